"""Reads of the public agenda. Public data only: activities, dates, places. Never a
family, never a member of staff or a partner facilitator (they are people)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from petitspas.activities.models import Session
from petitspas.attendance.models import Registration
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site, SiteRelocation

# The index shows eight weeks ahead unless a period is chosen.
DEFAULT_WEEKS = 8
# Feeds carry a year of history (so a subscriber's past entries stay) and six months ahead.
FEED_PAST = relativedelta(years=1)
FEED_AHEAD = relativedelta(months=6)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a session really is on its day: the site, or where the site is hosted."""

    name: str
    address: str
    relocated: bool


class Places:
    """The place of each of ``sessions`` on its day, from the calendar function (one
    calendar per site). One query: the relocations of their sites, the only rules
    ``SiteCalendar.place_on`` reads, fetched once per site. Prefetching them through each
    session instead cost a fifth of a second on a programme's feed (a copy of the rules per
    session, 1,337 of them), and the weekly openings and closures are not needed to say
    where a site is."""

    def __init__(self, sessions: Iterable[Session]):
        sites = {session.site_id: session.site for session in sessions}
        relocations: dict[int, list[SiteRelocation]] = {pk: [] for pk in sites}
        if sites:
            for relocation in SiteRelocation.objects.filter(site_id__in=sites).order_by(
                "starts_on", "pk"
            ):
                relocations[relocation.site_id].append(relocation)
        self._calendars = {
            pk: SiteCalendar(
                departement=site.departement,
                weekly=(),
                relocations=relocations[pk],
                site_name=site.name,
                site_address=site.address,
            )
            for pk, site in sites.items()
        }

    def of(self, session: Session) -> Place:
        site = session.site
        name, address, relocated = self._calendars[site.pk].place_on(session.date)
        return Place(name, _with_town(address, site), relocated)


def _with_town(address: str, site: Site) -> str:
    if site.town and site.town.casefold() in address.casefold():
        return address
    return ", ".join(part for part in (address, f"{site.postcode} {site.town}".strip()) if part)


# --- Sessions ------------------------------------------------------------------------------


def sessions_public() -> QuerySet[Session]:
    """Planned public sessions, with what the agenda shows of them."""
    return Session.objects.public().select_related("activity_type__programme__organisation", "site")


def sessions_published() -> QuerySet[Session]:
    """Public sessions and the cancelled ones that would be public (``published``)."""
    return Session.objects.published().select_related(
        "activity_type__programme__organisation", "site"
    )


def with_registered(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Adds ``registered``, for the places left: a number, never who. A correlated
    subquery rather than a grouped count, so that counting the pages (which drops unused
    annotations) does not count the registrations of every session of eight weeks."""
    registered = (
        Registration.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return sessions.annotate(registered=Coalesce(Subquery(registered), 0))


def agenda_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today, today + datetime.timedelta(weeks=DEFAULT_WEEKS) - datetime.timedelta(days=1)


def agenda_options(*, today: datetime.date) -> list[tuple[int, str, str, str]]:
    """(site id, site name, town, activity kind) of every public session of the coming
    weeks: the choices of the filters, so that none leads to an empty page."""
    start, end = agenda_window(today)
    return sorted(
        set(
            Session.objects.public()
            .filter(date__range=(start, end))
            .order_by()
            .values_list("site_id", "site__name", "site__town", "activity_type__kind")
        )
    )


def agenda_sessions(
    *,
    start: datetime.date,
    end: datetime.date,
    town: str = "",
    site_pk: int | None = None,
    kind: str = "",
    publics: tuple[str, ...] = (),
) -> QuerySet[Session]:
    sessions = sessions_public().filter(date__range=(start, end))
    if town:
        sessions = sessions.filter(site__town=town)
    if site_pk:
        sessions = sessions.filter(site_id=site_pk)
    if kind:
        sessions = sessions.filter(activity_type__kind=kind)
    if publics:
        sessions = sessions.filter(activity_type__public__in=publics)
    return sessions.order_by("date", "start_time", "site__town", "pk")


def agenda_markers(sessions: QuerySet[Session]) -> list[dict]:
    """One marker per site of ``sessions`` that has coordinates."""
    sites = (
        Site.objects.filter(pk__in=sessions.order_by().values("site_id"))
        .exclude(Q(latitude=None) | Q(longitude=None))
        .order_by("name")
        .values("pk", "name", "town", "latitude", "longitude")
    )
    return [
        {
            "site": site["pk"],
            "name": site["name"],
            "town": site["town"],
            "lat": float(site["latitude"]),
            "lng": float(site["longitude"]),
        }
        for site in sites
    ]


def session_public(*, session_pk: int) -> Session:
    """A public session, or 404: on referral, cancelled or hidden ones are not public."""
    return get_object_or_404(with_registered(sessions_public()), pk=session_pk)


def feed_sessions(*, today: datetime.date, **filters) -> QuerySet[Session]:
    return (
        sessions_published()
        .filter(date__range=(today - FEED_PAST, today + FEED_AHEAD), **filters)
        .order_by("date", "start_time", "pk")
    )
