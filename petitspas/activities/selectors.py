"""Reads for the activities screens. Each starts from ``visible_to``."""

from __future__ import annotations

import calendar as stdlib_calendar
import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from petitspas.activities.hooks import with_registered
from petitspas.activities.models import ActivityType, Facilitator, Series, Session
from petitspas.activities.recurrence import (
    filter_open_dates,
    fits_opening,
    format_hour,
    half_day_of,
    occurrences,
)
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Programme
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site

MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


# --- Lists ----------------------------------------------------------------------------------


def programmes_with_sessions_for(*, user):
    """Programmes whose sessions the user may see (the organisation's own staff)."""
    return (
        Programme.objects.where_role(user, STAFF_ROLES)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def activity_types_of(*, user, programme: Programme):
    return ActivityType.objects.visible_to(user).filter(programme=programme).order_by("name")


def facilitators_of(*, user, organisation):
    return Facilitator.objects.visible_to(user).filter(organisation=organisation).order_by("name")


def staff_candidates(*, organisation):
    """Members who may staff a session: the organisation's active admins, coordinators and
    professionals (never its funders or partners)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=STAFF_ROLES,
        )
        .order_by("last_name", "first_name", "email")
        .distinct()
    )


def sites_for_planning(*, programme: Programme):
    """The programme's active sites, with what the calendar function reads."""
    return (
        Site.objects.filter(programme=programme, is_active=True)
        .prefetch_related("weekly_openings", "closures", "relocations")
        .order_by("name")
    )


def organisation_sites(*, organisation_id: int):
    """Every active site of the organisation: a session may move to any of them."""
    return (
        Site.objects.filter(programme__organisation_id=organisation_id, is_active=True)
        .select_related("programme")
        .order_by("programme__name", "name")
    )


def session_for_page(*, user, session_pk: int):
    """The session, if visible, with what its page shows."""
    return with_registered(
        Session.objects.visible_to(user)
        .select_related("activity_type__programme__organisation", "site__programme", "series")
        .prefetch_related("staff", "facilitators")
        .filter(pk=session_pk)
    )


def series_for_page(*, user, series_pk: int):
    return (
        Series.objects.visible_to(user)
        .select_related("activity_type__programme__organisation")
        .prefetch_related(
            "sites",
            "staff",
            "facilitators",
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("site").order_by("date", "start_time"),
            ),
        )
        .filter(pk=series_pk)
    )


# --- Planning preview -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SitePlan:
    site: Site
    dates: list[datetime.date]


def series_plan(
    *,
    rrule: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    sites: Iterable[Site],
) -> tuple[list[datetime.date], list[SitePlan]]:
    """The rule's occurrences, and for each site the dates where it can host the session
    (the calendar function decides). Sites should come with their rules prefetched."""
    dates = occurrences(rrule=rrule, starts_on=starts_on, ends_on=ends_on)
    plans = [
        SitePlan(
            site,
            filter_open_dates(
                dates,
                start_time=start_time,
                end_time=end_time,
                calendar=SiteCalendar.for_site(site),
            ),
        )
        for site in sites
    ]
    return dates, plans


# --- Calendars ------------------------------------------------------------------------------


def _calendar_sessions(*, user):
    """Visible sessions with their places (``with_registered``)."""
    return with_registered(
        Session.objects.visible_to(user).select_related("activity_type", "site")
    ).order_by("date", "start_time", "site__name")


@dataclasses.dataclass(frozen=True)
class Day:
    day: datetime.date
    in_month: bool
    sessions: list[Session]
    closed: bool = False


def month_weeks(
    *,
    year: int,
    month: int,
    sessions: Iterable[Session],
    closed_days: frozenset[datetime.date] = frozenset(),
) -> list[list[Day]]:
    """Weeks (Monday first) covering the month, each day with its sessions (and whether the
    site is closed all day, for a site's calendar)."""
    by_day: dict[datetime.date, list[Session]] = defaultdict(list)
    for session in sessions:
        by_day[session.date].append(session)
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [Day(day, day.month == month, by_day.get(day, []), day in closed_days) for day in week]
        for week in weeks
    ]


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    last = stdlib_calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def sessions_of_month_for_programme(*, user, programme: Programme, year: int, month: int):
    first, last = month_bounds(year, month)
    return list(
        _calendar_sessions(user=user).filter(
            activity_type__programme=programme, date__range=(first, last)
        )
    )


def sessions_of_month_for_site(*, user, site: Site, year: int, month: int):
    first, last = month_bounds(year, month)
    return list(_calendar_sessions(user=user).filter(site=site, date__range=(first, last)))


def sessions_of_week_for_staff(*, user, monday: datetime.date):
    """ "Ma semaine": from ``monday`` to Sunday, the sessions the user staffs and, for admins
    and coordinators, every session of their organisations (as on "Aujourd'hui"), each with
    ``is_staffed`` and the number of registered households."""
    staffed = Session.objects.filter(staff=user).values("pk")
    planned_by_user = Session.objects.where_role(user, PLANNER_ROLES).values("pk")
    return list(
        with_registered(
            Session.objects.visible_to(user)
            .filter(Q(pk__in=staffed) | Q(pk__in=planned_by_user))
            .filter(date__range=(monday, monday + datetime.timedelta(days=6)))
            .select_related("activity_type", "site__programme")
            .annotate(
                is_staffed=Exists(
                    Session.staff.through.objects.filter(session=OuterRef("pk"), user=user)
                )
            )
        ).order_by("date", "start_time", "site__name", "pk")
    )


# --- Sessions the calendar no longer allows ---------------------------------------------------

OUTSIDE_HOURS_NOW = "Hors des horaires du lieu ({opens}–{closes})"


@dataclasses.dataclass(frozen=True)
class CalendarConflict:
    """A planned session that its site's calendar no longer allows, and why (the calendar
    function's own words: "Fermeture : Travaux", "Pas d'ouverture ce jour"…)."""

    session: Session
    reason: str


def calendar_conflict(
    calendar: SiteCalendar,
    day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
) -> str:
    """Why ``calendar`` does not allow a session on ``day`` at these hours, or "" when it
    does. Whether the half-day is closed is ``SiteCalendar.status``'s answer (a date beyond
    the published school calendar counts as closed, as when planning); the hours must then
    lie within the opening, as ``services.check_slot`` requires."""
    status = calendar.status(day, half_day_of(start_time))
    if status.opening is None:
        return status.reason
    if not fits_opening(status.opening, start_time, end_time):
        return OUTSIDE_HOURS_NOW.format(
            opens=format_hour(status.opening.opens_at), closes=format_hour(status.opening.closes_at)
        )
    return ""


def off_calendar_ids(sessions: QuerySet, *, today: datetime.date) -> dict[int, str]:
    """Of ``sessions``, the planned ones from ``today`` on whose site is closed on their
    half-day or open at other hours: ``{session id: reason}``. Reads the sessions' slots
    only and each site's rules once, so that a programme's year of sessions costs three
    queries and a few milliseconds."""
    slots = list(
        sessions.planned()
        .filter(date__gte=today)
        .order_by()
        .values_list("pk", "site_id", "date", "start_time", "end_time")
    )
    if not slots:
        return {}
    sites = Site.objects.filter(pk__in={slot[1] for slot in slots}).prefetch_related(
        "weekly_openings", "closures", "relocations"
    )
    calendars = {site.pk: SiteCalendar.for_site(site) for site in sites}
    found = {}
    for pk, site_id, day, start_time, end_time in slots:
        reason = calendar_conflict(calendars[site_id], day, start_time, end_time)
        if reason:
            found[pk] = reason
    return found


def sessions_off_calendar(sessions: QuerySet, *, today: datetime.date) -> list[CalendarConflict]:
    """``off_calendar_ids`` as rows to show: each session with its activity, site,
    programme and number of registered households, by date."""
    reasons = off_calendar_ids(sessions, today=today)
    rows = with_registered(
        Session.objects.filter(pk__in=reasons)
        .select_related("activity_type__programme__organisation", "site")
        .order_by("date", "start_time", "site__name", "pk")
    )
    return [CalendarConflict(session, reasons[session.pk]) for session in rows]


def planned_sessions_off_calendar(*, user, programme: Programme, today: datetime.date):
    """The programme's planned sessions that its sites' calendars no longer allow."""
    return sessions_off_calendar(
        Session.objects.visible_to(user).filter(activity_type__programme=programme), today=today
    )


def off_calendar_counts(*, user, today: datetime.date) -> dict[int, int]:
    """For the programmes ``user`` plans: ``{programme id: number of planned sessions the
    calendar no longer allows}``, the programmes with none left out."""
    sessions = Session.objects.where_role(user, PLANNER_ROLES)
    reasons = off_calendar_ids(sessions, today=today)
    counts: dict[int, int] = defaultdict(int)
    for programme_id in Session.objects.filter(pk__in=reasons).values_list(
        "activity_type__programme_id", flat=True
    ):
        counts[programme_id] += 1
    return dict(counts)


def sessions_during_relocation(*, user, relocation, today: datetime.date):
    """The planned sessions of the relocation's site from ``today`` (or its start) to its
    end: the calendar function puts them at the host place (``SiteCalendar.place_on``)."""
    sessions = (
        Session.objects.visible_to(user)
        .planned()
        .filter(site_id=relocation.site_id, date__gte=max(today, relocation.starts_on))
    )
    if relocation.ends_on is not None:
        sessions = sessions.filter(date__lte=relocation.ends_on)
    return list(
        with_registered(
            sessions.select_related("activity_type__programme__organisation", "site").order_by(
                "date", "start_time", "pk"
            )
        )
    )
