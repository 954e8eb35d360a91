"""Reads for the activities screens. Each starts from ``visible_to``."""

from __future__ import annotations

import calendar as stdlib_calendar
import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, QuerySet, Value

from petitspas.activities.hooks import with_registered
from petitspas.activities.models import ActivityType, Facilitator, Series, Session
from petitspas.activities.recurrence import (
    WEEKDAY_NAMES,
    byday_weekdays,
    filter_open_dates,
    fits_opening,
    format_day,
    format_hour,
    half_day_of,
    occurrences,
    rotation_dates,
)
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Programme
from petitspas.places.calendar import REASON_NO_OPENING, SiteCalendar
from petitspas.places.models import HalfDay, Site

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
    """A site's part of a series: ``dates`` where it hosts a session, and ``refusal``, why
    the site cannot be part of it ("" when it can)."""

    site: Site
    dates: list[datetime.date]
    refusal: str = ""


SITE_NEVER_OPEN = (
    "{site} n'ouvre pas {weekdays} {half_day} : choisissez d'autres jours ou retirez ce lieu."
)
SITE_TOO_SHORT = (
    "{site} ouvre le {weekday} {half_day} de {opens} à {closes} : une séance de {start} à "
    "{end} n'y tient pas."
)
SITE_ALWAYS_CLOSED = "{site} est fermé à chacune de ses dates ({reason})."
SITE_NO_TURN = (
    "{site} n'a aucune date dans la rotation : la série compte {count} date(s) pour {sites} lieux."
)


def rotation_order(sites: Iterable[Site]) -> list[Site]:
    """The order in which a rotation visits its sites: by name (then id), the same on every
    database."""
    return sorted(sites, key=lambda site: (site.name, site.pk))


def _weekdays_in_words(weekdays: Iterable[int]) -> str:
    names = [f"le {WEEKDAY_NAMES[day]}" for day in sorted(weekdays)]
    return " ni ".join(names)


def _refusal(
    site: Site,
    calendar: SiteCalendar,
    *,
    candidates: list[datetime.date],
    dates: list[datetime.date],
    named_weekdays: frozenset[int],
    start_time: datetime.time,
    end_time: datetime.time,
    occurrences_count: int,
    sites_count: int,
) -> str:
    """Why ``site`` cannot take part in the series, or "": a weekday the rule names (or,
    when the site would get no session at all, any weekday of its dates) on which it has no
    opening that half-day, hours that never fit, or a closure on every one of its dates."""
    if not candidates:
        return SITE_NO_TURN.format(site=site.name, count=occurrences_count, sites=sites_count)
    half_day = half_day_of(start_time)
    half_day_label = HalfDay(half_day).label
    open_dates = set(dates)
    statuses = [calendar.status(day, half_day) for day in candidates if day not in open_dates]
    never_open = {status.day.weekday() for status in statuses if status.reason == REASON_NO_OPENING}
    if not dates or never_open & named_weekdays:
        shown = never_open & named_weekdays if dates else never_open
        if shown:
            return SITE_NEVER_OPEN.format(
                site=site.name, weekdays=_weekdays_in_words(shown), half_day=half_day_label
            )
    if dates:
        return ""
    too_short = next((status for status in statuses if status.opening is not None), None)
    if too_short is not None:
        opening = too_short.opening
        return SITE_TOO_SHORT.format(
            site=site.name,
            weekday=WEEKDAY_NAMES[too_short.day.weekday()],
            half_day=half_day_label,
            opens=format_hour(opening.opens_at),
            closes=format_hour(opening.closes_at),
            start=format_hour(start_time),
            end=format_hour(end_time),
        )
    return SITE_ALWAYS_CLOSED.format(site=site.name, reason=statuses[0].reason)


def series_plan(
    *,
    rrule: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    sites: Iterable[Site],
    rotation: bool = False,
    rotation_offset: int = 0,
) -> tuple[list[datetime.date], list[SitePlan]]:
    """The rule's occurrences, and for each site the dates where it can host the session
    (the calendar function decides) and why it is refused, if it is. In a rotation the
    sites take the occurrences in turn (``rotation_order``), each keeping the open ones of
    its turn. Sites should come with their rules prefetched; the plans come in rotation
    order."""
    dates = occurrences(rrule=rrule, starts_on=starts_on, ends_on=ends_on)
    sites = rotation_order(sites)
    named_weekdays = byday_weekdays(rrule)
    plans = []
    for turn, site in enumerate(sites):
        calendar = SiteCalendar.for_site(site)
        candidates = (
            rotation_dates(dates, turn=turn, turns=len(sites), offset=rotation_offset)
            if rotation
            else dates
        )
        site_dates = filter_open_dates(
            candidates, start_time=start_time, end_time=end_time, calendar=calendar
        )
        refusal = _refusal(
            site,
            calendar,
            candidates=candidates,
            dates=site_dates,
            named_weekdays=named_weekdays,
            start_time=start_time,
            end_time=end_time,
            occurrences_count=len(dates),
            sites_count=len(sites),
        )
        plans.append(SitePlan(site, site_dates, refusal))
    return dates, plans


# --- Clashes: nobody in two places at once --------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Slot:
    """A session, planned now (``session_id`` None) or already there."""

    site_id: int
    site_name: str
    day: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    activity_name: str = ""
    session_id: int | None = None

    @property
    def is_new(self) -> bool:
        return self.session_id is None

    def describe(self) -> str:
        hours = f"{format_hour(self.start_time)}–{format_hour(self.end_time)}"
        if self.is_new:
            return f"{self.site_name} ({hours})"
        return f"{self.site_name} ({hours}, séance déjà prévue : {self.activity_name})"


@dataclasses.dataclass(frozen=True)
class Clash:
    """``person`` would be at overlapping ``slots`` on ``day``; at least one is new."""

    person: str
    day: datetime.date
    slots: tuple[Slot, ...]

    @property
    def message(self) -> str:
        places = [slot.describe() for slot in self.slots]
        listed = ", ".join(places[:-1]) + " et " + places[-1]
        return (
            f"Conflit d'agenda : {self.person} serait sur {len(self.slots)} séances en même "
            f"temps le {format_day(self.day)} : {listed}."
        )


def _overlapping_groups(slots: list[Slot]) -> list[list[Slot]]:
    """Slots of one day grouped where their hours overlap ([start, end): 10h-12h and
    12h-14h do not)."""
    groups: list[list[Slot]] = []
    group_end = None
    for slot in sorted(slots, key=lambda slot: (slot.start_time, slot.end_time, slot.site_name)):
        if groups and slot.start_time < group_end:
            groups[-1].append(slot)
            group_end = max(group_end, slot.end_time)
        else:
            groups.append([slot])
            group_end = slot.end_time
    return [group for group in groups if len(group) > 1]


def find_clashes(
    *,
    organisation_id: int,
    planned: list[Slot],
    staff: Iterable = (),
    facilitators: Iterable[Facilitator] = (),
    exclude_sessions: Iterable[int] = (),
) -> list[Clash]:
    """Where the people of the ``planned`` slots (every one of them staffed by ``staff``
    and ``facilitators``) would be in two places at once: two planned slots of the same
    day whose hours overlap, or a planned slot and a planned, not cancelled session of the
    organisation they already staff (``exclude_sessions`` aside: the ones being changed).
    One query for the whole period, whatever the number of dates.

    Sessions of other organisations are not looked at: a planner never learns anything of
    another organisation's agenda, not even that someone is busy there."""
    staff, facilitators = list(staff), list(facilitators)
    if not planned or not (staff or facilitators):
        return []
    people = {("user", user.pk): user.get_full_name() or user.email for user in staff}
    people |= {("facilitator", facilitator.pk): facilitator.name for facilitator in facilitators}
    days = {slot.day for slot in planned}
    window = {
        "session__date__range": (min(days), max(days)),
        "session__status": Session.Status.PLANNED,
        "session__activity_type__programme__organisation_id": organisation_id,
    }
    columns = (
        "kind",
        "person",
        "session_id",
        "session__date",
        "session__start_time",
        "session__end_time",
        "session__site_id",
        "session__site__name",
        "session__activity_type__name",
    )
    excluded = list(exclude_sessions)
    staff_rows = (
        Session.staff.through.objects.filter(user_id__in=[user.pk for user in staff], **window)
        .exclude(session_id__in=excluded)
        .annotate(kind=Value("user", output_field=CharField()), person=F("user_id"))
        .values_list(*columns)
    )
    facilitator_rows = (
        Session.facilitators.through.objects.filter(
            facilitator_id__in=[facilitator.pk for facilitator in facilitators], **window
        )
        .exclude(session_id__in=excluded)
        .annotate(kind=Value("facilitator", output_field=CharField()), person=F("facilitator_id"))
        .values_list(*columns)
    )
    busy: dict[tuple, list[Slot]] = defaultdict(list)
    for kind, person, session_id, day, start, end, site_id, site_name, activity in staff_rows.union(
        facilitator_rows, all=True
    ):
        if day in days:
            busy[(kind, person), day].append(
                Slot(site_id, site_name, day, start, end, activity, session_id)
            )
    planned_by_day: dict[datetime.date, list[Slot]] = defaultdict(list)
    for slot in planned:
        planned_by_day[slot.day].append(slot)
    clashes = []
    for day in sorted(days):
        for key, name in people.items():
            for group in _overlapping_groups(planned_by_day[day] + busy.get((key, day), [])):
                if any(slot.is_new for slot in group):
                    # The new sessions first, then the ones already there.
                    group.sort(key=lambda slot: (not slot.is_new, slot.start_time, slot.site_name))
                    clashes.append(Clash(name, day, tuple(group)))
    return clashes


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
    # The sessions as a page writes them (``activities.views.month_entries``).
    entries: list = dataclasses.field(default_factory=list)


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


def sessions_staffed_or_planned(user, *, days: tuple[datetime.date, datetime.date]):
    """The sessions from ``days[0]`` to ``days[1]`` (both included) the user staffs, and,
    for admins and coordinators, every session of their organisations in those days, each
    with ``is_staffed`` (the user's own): "Aujourd'hui", "Ma semaine", "À saisir" and the
    sheets kept offline.

    The days bound each subquery as well as the result: an organisation's sessions of every
    year are not read to keep a few days' (``session_type_date`` reaches them). The two
    are one set of ids (``UNION``), not two conditions joined by ``OR``: with the ``OR``,
    PostgreSQL read every organisation's sessions of those days (4,451 in a département's
    month, 27 ms, for the 5 the coordinator's menu counts; 1.3 ms with the ``UNION``)."""
    staffed = Session.objects.filter(staff=user, date__range=days)
    planned_by_user = Session.objects.where_role(user, PLANNER_ROLES).filter(date__range=days)
    either = staffed.order_by().values("pk").union(planned_by_user.order_by().values("pk"))
    return (
        Session.objects.where_role(user, STAFF_ROLES)
        .filter(pk__in=either, date__range=days)
        .annotate(
            is_staffed=Exists(
                Session.staff.through.objects.filter(session=OuterRef("pk"), user=user)
            )
        )
    )


def sessions_of_week_for_staff(*, user, monday: datetime.date):
    """ "Ma semaine": from ``monday`` to Sunday, the sessions the user staffs and, for admins
    and coordinators, every session of their organisations (as on "Aujourd'hui"), each with
    ``is_staffed`` and the number of registered households."""
    days = (monday, monday + datetime.timedelta(days=6))
    return list(
        with_registered(
            sessions_staffed_or_planned(user, days=days).select_related(
                "activity_type", "site__programme"
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
