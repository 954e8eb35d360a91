"""The itinerant micro-crèche's round: one relocation of the site per open day, from a
weekly pattern (Monday at the Mas de Chambon, Tuesday at the Abrivado hall…).

Each day becomes a ``places.SiteRelocation`` of one day, through the places service
(``site_relocation_add``: planners only, overlapping moves refused, logged), so the
calendar function stays the one answer to "where is the site that day".
"""

import dataclasses
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from petitspas.childcare.permissions import can_book
from petitspas.core.audit import audit_log
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import SiteRelocation
from petitspas.places.services import site_relocation_add

MSG_PERIOD = "Le dernier jour ne peut pas précéder le premier."
MSG_TOO_LONG = "Prévoyez la tournée sur {days} jours au plus."
MSG_NO_PLACE = "Indiquez au moins un lieu pour un jour de la semaine."
MAX_DAYS = 186


@dataclasses.dataclass
class ItineraryResult:
    placed: list[SiteRelocation] = dataclasses.field(default_factory=list)
    # (day, French reason) for each open day left as it was.
    skipped: list[tuple[datetime.date, str]] = dataclasses.field(default_factory=list)


@transaction.atomic
def itinerary_repeat(
    *,
    site,
    places_by_weekday: dict[int, tuple[str, str]],
    starts_on: datetime.date,
    ends_on: datetime.date,
    by,
) -> ItineraryResult:
    """For each day from ``starts_on`` to ``ends_on`` on which ``site`` opens (the
    calendar's answer), a one-day relocation to the place of its weekday
    (``{0: (name, address)}``, Monday = 0). A day that already has a place is left
    alone and listed. Logged (each relocation, and the round)."""
    if not can_book(by, site.programme):
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError({"ends_on": MSG_PERIOD})
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise ValidationError({"ends_on": MSG_TOO_LONG.format(days=MAX_DAYS)})
    if not any(name for name, _address in places_by_weekday.values()):
        raise ValidationError(MSG_NO_PLACE)
    calendar = SiteCalendar.for_site(site)
    result = ItineraryResult()
    open_days = sorted({opening.day for opening in calendar.openings(starts_on, ends_on)})
    for day in open_days:
        name, address = places_by_weekday.get(day.weekday(), ("", ""))
        if not name:
            continue
        try:
            with transaction.atomic():
                relocation = site_relocation_add(
                    site=site,
                    relocation=SiteRelocation(
                        starts_on=day,
                        ends_on=day,
                        place_name=name,
                        address=address,
                        reason="Tournée de la micro-crèche itinérante",
                    ),
                    by=by,
                )
        except ValidationError as error:
            result.skipped.append((day, " ".join(error.messages)))
        else:
            result.placed.append(relocation)
        # The site's prefetched relocations must see the new one for the next overlap check.
        if hasattr(site, "_prefetched_objects_cache"):
            site._prefetched_objects_cache.pop("relocations", None)
    audit_log(
        by,
        "childcare.itinerary",
        site,
        organisation=site.programme.organisation,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
        placed=len(result.placed),
        skipped=len(result.skipped),
    )
    return result
