"""Reads for presence: the day's booked children per site and half-day (the professional's
"Demi-journées du jour"), and the month's hours planned and actual per child.

Planned hours are the booked half-days' own hours, from the site's calendar (8:30–12:15 is
3 h 45, 13:30–17:00 is 3 h 30 at Lunel); actual hours are departure less arrival. One
computation, ``month_hours``, for the follow-up page and the enrolment page.
"""

import dataclasses
import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from petitspas.childcare.models import EXTRA_KINDS, AbsenceReason, Booking, Enrolment
from petitspas.childcare.selectors_bookings import _current_enrolments, month_bounds
from petitspas.organisations.models import STAFF_ROLES
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import HalfDay, Site


def age_in_months(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    """Whole months of age on ``on`` (14 for a child of 1 year and 2 months)."""
    if birth_date is None or on < birth_date:
        return None
    age = relativedelta(on, birth_date)
    return age.years * 12 + age.months


def hours_label(minutes: int) -> str:
    """ "7 h 15", "3 h 00", "0 h"."""
    if not minutes:
        return "0 h"
    return f"{minutes // 60} h {minutes % 60:02d}"


def site_calendars(site_ids) -> dict[int, tuple[SiteCalendar, dict]]:
    """Each site's calendar and its weekly hours by (weekday, half-day), read once."""
    result = {}
    for site in Site.objects.filter(pk__in=set(site_ids)).prefetch_related(
        "weekly_openings", "closures", "relocations"
    ):
        rules = {(r.weekday, r.half_day): r for r in site.weekly_openings.all()}
        result[site.pk] = (SiteCalendar.for_site(site), rules)
    return result


def slot_hours(calendars, site_id: int, day: datetime.date, half_day: str):
    """The half-day's opening and closing times: the calendar's, or the weekly rule's when
    the site has been closed since the booking; ``(None, None)`` when it has neither."""
    calendar, rules = calendars[site_id]
    opening = calendar.opening(day, half_day)
    if opening is not None:
        return opening.opens_at, opening.closes_at
    rule = rules.get((day.weekday(), half_day))
    return (rule.opens_at, rule.closes_at) if rule else (None, None)


def _minutes(day: datetime.date, opens_at, closes_at) -> int:
    if opens_at is None or closes_at is None:
        return 0
    delta = datetime.datetime.combine(day, closes_at) - datetime.datetime.combine(day, opens_at)
    return max(0, int(delta.total_seconds() // 60))


# --- The day's children ---------------------------------------------------------------------


@dataclasses.dataclass
class PresenceRow:
    booking: Booking
    age_months: int | None

    @property
    def state(self) -> str:
        """ "expected", "present", "left" or "absent"."""
        b = self.booking
        if b.absence:
            return "absent"
        if b.checked_out_at:
            return "left"
        if b.checked_in_at:
            return "present"
        return "expected"

    @property
    def is_extra(self) -> bool:
        """On the 7th place: settling-in or emergency."""
        return self.booking.kind in EXTRA_KINDS


@dataclasses.dataclass
class TodayHalfDay:
    site: Site
    half_day: str
    opens_at: datetime.time | None
    closes_at: datetime.time | None
    rows: list[PresenceRow]

    @property
    def label(self) -> str:
        return HalfDay(self.half_day).label

    def _count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def expected(self) -> int:
        return self._count("expected")

    @property
    def present(self) -> int:
        return self._count("present")

    @property
    def left(self) -> int:
        return self._count("left")

    @property
    def absent(self) -> int:
        return self._count("absent")


def day_bookings(user, day: datetime.date):
    """The active bookings of ``day`` at the sites of the organisations where the user is
    staff (admin, coordinator, professional). Its own query, wider than the families a
    professional has met: the team welcomes these children today and must know who is
    expected, as a session's sheet lists the households expected there. Only first names,
    ages and the parent's appointment reach the screen, never the family's file."""
    return (
        Booking.objects.where_role(user, STAFF_ROLES)
        .active()
        .filter(slot__day=day)
        .select_related("slot__site", "enrolment__child", "enrolment__programme")
        .order_by("slot__site__name", "slot__site_id", "slot__half_day", "created_at", "pk")
    )


def presence_row(booking: Booking, day: datetime.date) -> PresenceRow:
    return PresenceRow(booking, age_in_months(booking.enrolment.child.birth_date, day))


def today_half_days(*, user, day: datetime.date) -> list[TodayHalfDay]:
    """The day's booked children, per site and half-day (morning first), each with their
    age in months and what has been noted (arrival, departure, absence)."""
    bookings = list(day_bookings(user, day))
    calendars = site_calendars(b.slot.site_id for b in bookings)
    groups: dict[tuple[int, str], TodayHalfDay] = {}
    for booking in bookings:
        slot = booking.slot
        key = (slot.site_id, slot.half_day)
        if key not in groups:
            opens_at, closes_at = slot_hours(calendars, slot.site_id, day, slot.half_day)
            groups[key] = TodayHalfDay(slot.site, slot.half_day, opens_at, closes_at, [])
        groups[key].rows.append(presence_row(booking, day))
    for group in groups.values():
        group.rows.sort(key=lambda row: (row.booking.enrolment.child.first_name, row.booking.pk))
    return list(groups.values())


# --- Hours planned and actual --------------------------------------------------------------


@dataclasses.dataclass
class MonthHours:
    """One enrolled child's month: half-days booked and used (the child came), minutes
    planned (the booked half-days' hours) and actual (departure less arrival), absences by
    reason, half-days past with nothing noted (no-shows), and arrivals without a departure
    (not counted in the actual hours)."""

    enrolment: Enrolment
    booked: int = 0
    used: int = 0
    planned_minutes: int = 0
    actual_minutes: int = 0
    absences: dict[str, int] = dataclasses.field(
        default_factory=lambda: dict.fromkeys(AbsenceReason.values, 0)
    )
    no_shows: int = 0
    no_departure: int = 0

    @property
    def planned(self) -> str:
        return hours_label(self.planned_minutes)

    @property
    def actual(self) -> str:
        return hours_label(self.actual_minutes)

    @property
    def sick(self) -> int:
        return self.absences[AbsenceReason.SICK]

    @property
    def notified(self) -> int:
        return self.absences[AbsenceReason.NOTIFIED]

    @property
    def no_notice(self) -> int:
        return self.absences[AbsenceReason.NO_NOTICE]

    @property
    def absent(self) -> int:
        return sum(self.absences.values())


def month_hours(
    enrolments, month: datetime.date, *, today: datetime.date | None = None
) -> list[MonthHours]:
    """For each enrolment, in the given order, its month starting on ``month``: see
    ``MonthHours``. A cancelled booking counts for nothing; a no-show is
    ``Booking.objects.no_shows``' (the figures' definition too)."""
    enrolments = list(enrolments)
    today = today or timezone.localdate()
    first, last = month_bounds(month)
    month_bookings = Booking.objects.filter(
        enrolment__in=[e.pk for e in enrolments], slot__day__range=(first, last)
    )
    bookings = list(month_bookings.active().select_related("slot"))
    no_shows = set(month_bookings.no_shows(today=today).values_list("pk", flat=True))
    calendars = site_calendars(b.slot.site_id for b in bookings)
    rows = {e.pk: MonthHours(e) for e in enrolments}
    for booking in bookings:
        row = rows[booking.enrolment_id]
        slot = booking.slot
        row.booked += 1
        opens_at, closes_at = slot_hours(calendars, slot.site_id, slot.day, slot.half_day)
        row.planned_minutes += _minutes(slot.day, opens_at, closes_at)
        if booking.absence:
            row.absences[booking.absence] += 1
        elif booking.checked_in_at:
            row.used += 1
            if booking.checked_out_at:
                seconds = (booking.checked_out_at - booking.checked_in_at).total_seconds()
                row.actual_minutes += int(seconds // 60)
            else:
                row.no_departure += 1
        elif booking.pk in no_shows:
            row.no_shows += 1
    return [rows[e.pk] for e in enrolments]


def programme_month_hours(*, user, month: datetime.date) -> list[MonthHours]:
    """The month's hours of every child enrolled that month in the programmes the user
    administers or coordinates, by first name."""
    first, last = month_bounds(month)
    enrolments = sorted(
        _current_enrolments(user, first, last), key=lambda e: (e.child.first_name, e.pk)
    )
    return month_hours(enrolments, month)
