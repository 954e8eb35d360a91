"""Writes on sites and their opening rules. Views, the API and commands call these."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.organisations.permissions import can_plan_sites
from petitspas.places.calendar import SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.models import (
    HalfDay,
    SchoolHolidayRule,
    Site,
    SiteClosure,
    SiteRelocation,
    Weekday,
    WeeklyOpening,
)

NEVER_OPEN = (
    "Avec ces règles, le lieu ne serait ouvert aucune demi-journée dans les douze prochains "
    "mois : vérifiez les jours cochés, la règle des vacances scolaires et les fermetures."
)
NO_SCHOOL_CALENDAR = (
    "Le calendrier des vacances scolaires n'est pas connu pour ce lieu ({detail}) : "
    "choisissez « en période scolaire et pendant les vacances »."
)


def check_site_opens(
    *,
    site: Site,
    weekly: Iterable[WeeklyOpening],
    closures: Iterable[SiteClosure] = (),
    today: datetime.date | None = None,
) -> None:
    """Refuse rules that leave the site never open in the coming year (the calendar function
    is the judge, so the holiday rule, public holidays and closures all count)."""
    weekly = list(weekly)
    if site.school_zone is None and any(
        row.school_holidays != SchoolHolidayRule.ALWAYS for row in weekly
    ):
        raise ValidationError(
            NO_SCHOOL_CALENDAR.format(
                detail=f"le département {site.departement or '?'} n'a pas de zone A, B ou C"
            )
        )
    calendar = SiteCalendar(
        departement=site.departement,
        weekly=weekly,
        closures=list(closures),
        site_name=site.name,
        site_address=site.address,
    )
    try:
        first = calendar.first_opening(today or timezone.localdate())
    except SchoolCalendarUnavailable:
        # The coming year runs past the published school calendar before any opening was
        # found: nothing proves the site never opens, so the rules stand.
        return
    if first is None:
        raise ValidationError(NEVER_OPEN)


def check_weekly_pattern(weekly: Iterable[WeeklyOpening]) -> None:
    """One row per half-day, hours in order, the morning ending before the afternoon starts."""
    by_slot: dict[tuple[int, str], WeeklyOpening] = {}
    for row in weekly:
        day = Weekday(row.weekday).label
        if row.opens_at >= row.closes_at:
            raise ValidationError(
                f"Le {day} {HalfDay(row.half_day).label}, l'heure de fermeture "
                f"({row.closes_at:%H:%M}) doit être après l'heure d'ouverture "
                f"({row.opens_at:%H:%M})."
            )
        if (row.weekday, row.half_day) in by_slot:
            raise ValidationError(f"Le {day} {HalfDay(row.half_day).label} est indiqué deux fois.")
        by_slot[(row.weekday, row.half_day)] = row
    for (weekday, half_day), morning in by_slot.items():
        afternoon = by_slot.get((weekday, HalfDay.AFTERNOON))
        if half_day == HalfDay.MORNING and afternoon and morning.closes_at > afternoon.opens_at:
            raise ValidationError(
                f"Le {Weekday(weekday).label}, les horaires du matin "
                f"({morning.opens_at:%H:%M}-{morning.closes_at:%H:%M}) et de l'après-midi "
                f"({afternoon.opens_at:%H:%M}-{afternoon.closes_at:%H:%M}) se chevauchent."
            )


def _require_planner(user, programme) -> None:
    if not can_plan_sites(user, programme):
        raise PermissionDenied


@transaction.atomic
def site_save(*, site: Site, weekly: list[WeeklyOpening], by) -> Site:
    """Create or update a site with its whole weekly pattern. Admins and coordinators of the
    programme's organisation only. Validates everything before writing; logged."""
    _require_planner(by, site.programme)
    creating = site.pk is None
    if not creating:
        previous_programme = Site.objects.select_related("programme").get(pk=site.pk).programme
        _require_planner(by, previous_programme)
    site.full_clean()
    check_weekly_pattern(weekly)
    for row in weekly:
        row.site = site
        row.full_clean(exclude=["site"], validate_constraints=False)
    closures = [] if creating else list(site.closures.all())
    check_site_opens(site=site, weekly=weekly, closures=closures)
    site.save()
    site.weekly_openings.all().delete()
    for row in weekly:
        row.pk = None
        row.site = site
    WeeklyOpening.objects.bulk_create(weekly)
    audit_log(
        by,
        "site.create" if creating else "site.update",
        site,
        weekly=[
            f"{row.weekday}{row.half_day} {row.opens_at:%H:%M}-{row.closes_at:%H:%M}"
            f" {row.school_holidays}"
            for row in weekly
        ],
    )
    return site


@transaction.atomic
def site_closure_add(*, site: Site, closure: SiteClosure, by) -> SiteClosure:
    """Add a dated closure; refused if it leaves the site never open. Planners only; logged."""
    _require_planner(by, site.programme)
    closure.site = site
    closure.full_clean()
    check_site_opens(
        site=site,
        weekly=site.weekly_openings.all(),
        closures=[*site.closures.all(), closure],
    )
    closure.save()
    audit_log(by, "site.closure_add", site, closure=str(closure))
    return closure


def _dated_rule_delete(rule: SiteClosure | SiteRelocation, *, what: str, by) -> None:
    """Closures and relocations are deleted alike: planners of the site only, logged on the
    site as ``site.<what>_delete`` with the rule's description under ``<what>``."""
    site = rule.site
    _require_planner(by, site.programme)
    # Written out, so that the audit log's wording table can be checked against the code.
    audit_log(
        by,
        "site.closure_delete" if what == "closure" else "site.relocation_delete",
        site,
        **{what: str(rule)},
    )
    rule.delete()


@transaction.atomic
def site_closure_delete(*, closure: SiteClosure, by) -> None:
    """Planners only; logged."""
    _dated_rule_delete(closure, what="closure", by=by)


@transaction.atomic
def site_relocation_add(*, site: Site, relocation: SiteRelocation, by) -> SiteRelocation:
    """Record a temporary move (the Cabanes hosted indoors, then in containers). Planners
    only; overlapping moves are refused; logged."""
    _require_planner(by, site.programme)
    relocation.site = site
    relocation.full_clean()
    far_future = datetime.date.max
    for other in site.relocations.all():
        if relocation.starts_on <= (other.ends_on or far_future) and other.starts_on <= (
            relocation.ends_on or far_future
        ):
            raise ValidationError(
                f"Ce déménagement chevauche « {other.place_name} » "
                f"(à partir du {other.starts_on:%d/%m/%Y})."
            )
    relocation.save()
    audit_log(by, "site.relocation_add", site, relocation=str(relocation))
    return relocation


@transaction.atomic
def site_relocation_delete(*, relocation: SiteRelocation, by) -> None:
    """Planners only; logged."""
    _dated_rule_delete(relocation, what="relocation", by=by)
