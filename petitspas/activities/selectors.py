"""Reads for the activities screens. Each starts from ``visible_to``."""

from __future__ import annotations

import calendar as stdlib_calendar
import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q

from petitspas.activities.hooks import with_registered
from petitspas.activities.models import ActivityType, Facilitator, Series, Session
from petitspas.activities.recurrence import filter_open_dates, occurrences
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
