"""Reads of the Point Info Famille desk: its opening slots and the orientation counts.

The desk's openings are its site's, as the calendar function (``places.calendar``) gives
them: weekly half-days, public holidays, closures, moves. The desk itself adds one rule: of
the site's Saturday mornings, it opens only one a month (``Desk.saturday_rank``, the first
Saturday by default; seed 002: "un samedi matin par mois"). Each opening is cut into
appointment slots of ``Desk.slot_minutes``.
"""

import dataclasses
import datetime
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone

from petitspas.directory.models import Appointment, Desk, Orientation
from petitspas.directory.themes import SURESNES_GROUPS
from petitspas.places.calendar import Opening, SiteCalendar

SATURDAY = 5


@dataclasses.dataclass
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    opening: Opening
    appointment: Appointment | None = None

    @property
    def key(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M")


def saturday_rank(day: datetime.date) -> int:
    """1 for the first Saturday of the month, 2 for the second…"""
    return (day.day - 1) // 7 + 1


def desk_open_on(desk: Desk, opening: Opening) -> bool:
    return opening.day.weekday() != SATURDAY or saturday_rank(opening.day) == desk.saturday_rank


def desk_openings(
    desk: Desk, start: datetime.date, end: datetime.date, *, calendar: SiteCalendar | None = None
) -> list[Opening]:
    """The desk's openings from ``start`` to ``end`` included, from the site's calendar."""
    calendar = calendar or SiteCalendar.for_site(desk.site)
    return [o for o in calendar.openings(start, end) if desk_open_on(desk, o)]


def _aware(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def desk_slots(desk: Desk, start: datetime.date, end: datetime.date) -> list[Slot]:
    """Appointment slots of ``slot_minutes`` in each opening, with the appointment (not
    cancelled) that takes each one, if any."""
    step = datetime.timedelta(minutes=desk.slot_minutes or 30)
    slots: list[Slot] = []
    for opening in desk_openings(desk, start, end):
        at = _aware(opening.day, opening.opens_at)
        closes = _aware(opening.day, opening.closes_at)
        while at + step <= closes:
            slots.append(Slot(at, at + step, opening))
            at += step
    if slots:
        taken = {
            a.starts_at: a
            for a in Appointment.objects.filter(
                desk=desk,
                cancelled=False,
                starts_at__gte=slots[0].starts_at,
                starts_at__lte=slots[-1].starts_at,
            ).select_related("household")
        }
        for slot in slots:
            slot.appointment = taken.get(slot.starts_at)
    return slots


def find_slot(desk: Desk, starts_at: datetime.datetime) -> Slot | None:
    """The desk's slot starting at ``starts_at``, or None (closed, not a slot's start)."""
    day = timezone.localtime(starts_at).date()
    for slot in desk_slots(desk, day, day):
        if slot.starts_at == starts_at:
            return slot
    return None


# --- Orientation counts (read by the reports) ---------------------------------------------


def orientation_counts(
    *,
    organisation_ids: Iterable[int],
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict]:
    """Orientations of the given organisations from ``start`` to ``end`` included, counted
    by theme (Suresnes' group) and partner (the service's structure). Plain rows, no
    person: ``{"theme", "partner", "total", "yes", "no", "pending"}``, by theme in the
    order of the six groups, then the most used partner first."""
    rows = Orientation.objects.filter(organisation_id__in=list(organisation_ids))
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    counted = rows.values("theme", "service__structure__nom").annotate(
        total=Count("pk"),
        yes=Count("pk", filter=Q(outcome=Orientation.Outcome.YES)),
        no=Count("pk", filter=Q(outcome=Orientation.Outcome.NO)),
        pending=Count("pk", filter=Q(outcome=Orientation.Outcome.PENDING)),
    )
    order = {name: rank for rank, name in enumerate(SURESNES_GROUPS)}
    result = [
        {
            "theme": row["theme"] or "Autre",
            "partner": row["service__structure__nom"],
            "total": row["total"],
            "yes": row["yes"],
            "no": row["no"],
            "pending": row["pending"],
        }
        for row in counted
    ]
    result.sort(key=lambda r: (order.get(r["theme"], len(order)), -r["total"], r["partner"]))
    return result


def counts_by_theme(counts: list[dict]) -> list[dict]:
    """``orientation_counts`` summed per theme."""
    themes: dict[str, dict] = {}
    for row in counts:
        total = themes.setdefault(
            row["theme"], {"theme": row["theme"], "total": 0, "yes": 0, "no": 0, "pending": 0}
        )
        for key in ("total", "yes", "no", "pending"):
            total[key] += row[key]
    return list(themes.values())
