"""Reads for the bookings of half-days: a site's week, one half-day, the coordinator's
follow-up lists (children under the monthly minimum, turning 3 soon), the month's
occupancy, and the half-days booked and used that the prescriber reads (``hooks``)."""

import dataclasses
import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.utils import timezone

from petitspas.childcare.hooks import MonthUsage
from petitspas.childcare.models import (
    CAPACITY,
    EXTRA_KINDS,
    MAX_AGE,
    MIN_HALF_DAYS_PER_MONTH,
    TURNING_THREE_NOTICE_DAYS,
    Booking,
    BookingKind,
    ChildcareSlot,
    Enrolment,
    Places,
    State,
    WaitingEntry,
)
from petitspas.places.calendar import SiteCalendar, SlotStatus
from petitspas.places.models import Site


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first + relativedelta(months=1) - datetime.timedelta(days=1)


@dataclasses.dataclass
class HalfDayCell:
    day: datetime.date
    half_day: str
    status: SlotStatus
    places: Places
    bookings: list[Booking]
    waiting: int

    @property
    def is_open(self) -> bool:
        return self.status.opening is not None

    @property
    def is_full(self) -> bool:
        return self.places.left == 0


def _places_by_slot(slot_ids) -> dict[int, Places]:
    rows = (
        Booking.objects.active()
        .filter(slot_id__in=slot_ids)
        .values("slot_id")
        .annotate(
            regular=Count("pk", filter=Q(kind=BookingKind.REGULAR)),
            extra=Count("pk", filter=Q(kind__in=EXTRA_KINDS)),
        )
    )
    return {row["slot_id"]: Places(row["regular"], row["extra"]) for row in rows}


def site_cells(site: Site, start: datetime.date, end: datetime.date) -> list[HalfDayCell]:
    """Every half-day of ``site`` from ``start`` to ``end``: the calendar's answer, the
    places taken and the children booked. ``site`` comes with its rules prefetched."""
    calendar = SiteCalendar.for_site(site)
    slots = {
        (slot.day, slot.half_day): slot
        for slot in ChildcareSlot.objects.filter(site=site, day__range=(start, end))
    }
    slot_ids = [slot.pk for slot in slots.values()]
    places = _places_by_slot(slot_ids)
    bookings: dict[int, list[Booking]] = {}
    for booking in (
        Booking.objects.active()
        .filter(slot_id__in=slot_ids)
        .select_related("enrolment__child")
        .order_by("created_at", "pk")
    ):
        bookings.setdefault(booking.slot_id, []).append(booking)
    waiting = dict(
        WaitingEntry.objects.waiting()
        .filter(slot_id__in=slot_ids)
        .values("slot_id")
        .annotate(n=Count("pk"))
        .values_list("slot_id", "n")
    )
    cells = []
    for status in calendar.statuses(start, end):
        slot = slots.get((status.day, status.half_day))
        pk = slot.pk if slot else None
        cells.append(
            HalfDayCell(
                day=status.day,
                half_day=status.half_day,
                status=status,
                places=places.get(pk, Places(0, 0)),
                bookings=bookings.get(pk, []),
                waiting=waiting.get(pk, 0),
            )
        )
    return cells


def site_week(site: Site, monday: datetime.date) -> list[tuple[datetime.date, list[HalfDayCell]]]:
    """The week from ``monday``, day by day (Saturday and Sunday only when the site has
    weekly rules on them), each with its morning and afternoon."""
    weekdays = {rule.weekday for rule in site.weekly_openings.all()}
    cells = site_cells(site, monday, monday + datetime.timedelta(days=6))
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        if offset >= 5 and day.weekday() not in weekdays:
            continue
        days.append((day, [c for c in cells if c.day == day]))
    return days


def slot_cell(site: Site, day: datetime.date, half_day: str) -> HalfDayCell:
    return next(c for c in site_cells(site, day, day) if c.half_day == half_day)


def waiting_list(site: Site, day: datetime.date, half_day: str) -> list[WaitingEntry]:
    return list(
        WaitingEntry.objects.waiting()
        .filter(slot__site=site, slot__day=day, slot__half_day=half_day)
        .select_related("enrolment__child")
        .order_by("created_at", "pk")
    )


def bookable_enrolments(programme, day: datetime.date):
    """The enrolments of ``programme`` covering ``day`` whose referral is accepted: whom
    the booking form offers (the service still checks the child's age that day)."""
    return (
        Enrolment.objects.filter(
            programme=programme, referral__state=State.ACCEPTED, starts_on__lte=day
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("child", "referral")
        .order_by("child__first_name", "pk")
    )


def _current_enrolments(user, first: datetime.date, last: datetime.date):
    return (
        Enrolment.objects.visible_to(user)
        .filter(referral__state=State.ACCEPTED, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("child", "programme", "referral")
    )


def month_counts(enrolment_ids, first: datetime.date, last: datetime.date) -> dict[int, int]:
    return dict(
        Booking.objects.active()
        .filter(enrolment_id__in=enrolment_ids, slot__day__range=(first, last))
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )


def under_minimum(*, user, month: datetime.date) -> list[tuple[Enrolment, int]]:
    """The enrolled children with fewer than 2 half-days booked in ``month``, fewest first."""
    first, last = month_bounds(month)
    enrolments = list(_current_enrolments(user, first, last))
    counts = month_counts([e.pk for e in enrolments], first, last)
    rows = [(e, counts.get(e.pk, 0)) for e in enrolments]
    return sorted(
        [row for row in rows if row[1] < MIN_HALF_DAYS_PER_MONTH],
        key=lambda row: (row[1], row[0].child.first_name),
    )


def turning_three(
    *, user, today: datetime.date | None = None
) -> list[tuple[Enrolment, datetime.date]]:
    """The enrolled children whose third birthday falls in the next 30 days: from that day
    they can no longer be booked."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=TURNING_THREE_NOTICE_DAYS)
    rows = []
    for enrolment in _current_enrolments(user, today, today):
        birth = enrolment.child.birth_date
        if birth is None:
            continue
        birthday = birth + MAX_AGE
        if today <= birthday <= horizon:
            rows.append((enrolment, birthday))
    return sorted(rows, key=lambda row: row[1])


@dataclasses.dataclass
class Occupancy:
    site: Site
    open_half_days: int
    places: int
    booked: int
    full_half_days: int

    @property
    def rate(self) -> int:
        return round(100 * self.booked / self.places) if self.places else 0


def monthly_occupancy(*, sites, month: datetime.date) -> list[Occupancy]:
    """For each site: its open half-days in ``month`` (the calendar's), the places they
    offer (7 each), the bookings and the half-days full."""
    first, last = month_bounds(month)
    result = []
    for site in sites:
        calendar = SiteCalendar.for_site(site)
        open_days = {
            (s.day, s.half_day) for s in calendar.statuses(first, last) if s.opening is not None
        }
        slots = {
            slot.pk: (slot.day, slot.half_day)
            for slot in ChildcareSlot.objects.filter(site=site, day__range=(first, last))
        }
        places = _places_by_slot(list(slots))
        booked = sum(p.taken for pk, p in places.items() if slots[pk] in open_days)
        full = sum(1 for pk, p in places.items() if slots[pk] in open_days and p.left == 0)
        result.append(
            Occupancy(
                site=site,
                open_half_days=len(open_days),
                places=len(open_days) * CAPACITY,
                booked=booked,
                full_half_days=full,
            )
        )
    return result


def enrolment_bookings(enrolment: Enrolment, *, since: datetime.date):
    return (
        Booking.objects.active()
        .filter(enrolment=enrolment, slot__day__gte=since)
        .select_related("slot__site")
        .order_by("slot__day", "slot__half_day")
    )


def month_usage(enrolments: list, month: datetime.date) -> dict[int, MonthUsage]:
    """``childcare.hooks`` provider: for each enrolment, its half-days booked in the month
    starting on ``month``, and those used: booked half-days already past (a cancelled
    booking counts for neither)."""
    first, last = month_bounds(month)
    today = timezone.localdate()
    rows = (
        Booking.objects.active()
        .filter(enrolment_id__in=[e.pk for e in enrolments], slot__day__range=(first, last))
        .values("enrolment_id")
        .annotate(
            booked=Count("pk"),
            used=Count("pk", filter=Q(slot__day__lt=today)),
        )
    )
    usage = {e.pk: MonthUsage(booked=0, used=0) for e in enrolments}
    for row in rows:
        usage[row["enrolment_id"]] = MonthUsage(booked=row["booked"], used=row["used"])
    return usage
