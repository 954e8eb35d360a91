"""The figures of closed calendar periods, kept (``KeptFigures``) until a write changes them.

A calendar month or year that has ended rarely changes, yet every annual report, export
and comparison with the previous year read its rows again: each held session, its tally
and its headcount, each household's months. Here the figures that come from those rows
(``indicators.core_live``: reach, regularity, activity, headcounts) are kept per programme
and closed period, for every household of the programme (a professional's scope, a town,
a site or an activity type are always computed).

A kept row is read while no mark names its period. The marks (``FiguresChange``) are
written by the database's triggers (``kept_triggers``) in the transaction of any write to
a row the figures are made from, by whatever code path: a sheet's aggregates, a session
moved or cancelled, a headcount corrected, an activity type's capacity changed. The row
and the absence of marks are read in one statement, hence from one snapshot.

Rows are written, and marks deleted, by ``keep``: the first read that finds a period
missing or marked, the refresh job (``tasks.refresh_aggregates``) and a rebuild (``fill``).
It runs on the primary, one programme at a time (an advisory lock on PostgreSQL; SQLite's
writers take turns), reads the programme's marks first, computes every kept period they
name again, and deletes only the marks it read: a change committed meanwhile keeps its
mark, so its period is computed again by the next read, never left stale.
"""

from __future__ import annotations

import datetime
from calendar import monthrange
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import Exact

from petitspas.activities.models import Session
from petitspas.core.db import serialize
from petitspas.core.replica import from_primary
from petitspas.reporting.aggregates import catch_up
from petitspas.reporting.models import FiguresChange, KeptFigures

LOCK = "reporting.kept"
# Marks deleted per statement (ids named in the statement).
DELETE_BATCH = 5000

Period = tuple[int, int]  # (year, month), month 0 for the whole year
Compute = Callable[[object, datetime.date, datetime.date], dict]


def days(period: Period) -> tuple[datetime.date, datetime.date]:
    year, month = period
    if month == 0:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return datetime.date(year, month, 1), datetime.date(year, month, monthrange(year, month)[1])


def _whole_programme(scope) -> bool:
    """Whether ``scope`` counts every household of its programme: the scopes kept."""
    return not (scope.cut or scope.town or scope.households is not None or scope.programme is None)


def closed_period(scope, today: datetime.date) -> Period | None:
    """The calendar month or year ``scope`` covers, if it has ended before ``today`` and the
    scope counts every household of its programme; None for any other scope."""
    if not _whole_programme(scope) or scope.end >= today or scope.start.year != scope.end.year:
        return None
    for period in ((scope.start.year, 0), (scope.start.year, scope.start.month)):
        if days(period) == (scope.start, scope.end):
            return period
    return None


def figures(scope, *, today: datetime.date, compute: Compute) -> dict | None:
    """``compute(programme, start, end)`` for ``scope`` when it is a closed period (kept,
    or computed and kept); None for any other scope, which the caller computes."""
    period = closed_period(scope, today)
    if period is None:
        return None
    return stored(scope.programme, [period], compute=compute)[period]


def closed_months(scope, today: datetime.date) -> list[Period]:
    """The calendar months wholly inside ``scope``'s period that ended before ``today``,
    in order, when the scope counts every household of its programme (as
    ``closed_period``); an empty list otherwise."""
    if not _whole_programme(scope):
        return []
    found = []
    year, month = scope.start.year, scope.start.month
    while True:
        first, last = days((year, month))
        if last > scope.end or last >= today:
            break
        if first >= scope.start:
            found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _unmarked():
    """A kept row no mark names: none of the programme's own (year 0), none of its month,
    and, for a year (month 0), none of any of its months."""
    year, month = OuterRef("year"), OuterRef("month")
    marks = FiguresChange.objects.filter(programme_id=OuterRef("programme_id")).filter(
        Q(year=0) | Q(year=year, month__in=(0, month)) | (Q(year=year) & Q(Exact(month, 0)))
    )
    return ~Exists(marks)


def stored(programme, periods: list[Period], *, compute: Compute) -> dict[Period, dict]:
    """The kept figures of these closed periods of ``programme``: the rows no mark names,
    read in one statement, and the others computed and kept (``keep``)."""
    catch_up()  # a sheet's pending aggregates are written, and marked, first
    found = {
        (year, month): figures
        for year, month, figures in KeptFigures.objects.filter(
            _periods(periods), programme_id=programme.pk
        )
        .filter(_unmarked())
        .values_list("year", "month", "figures")
    }
    missing = [period for period in periods if period not in found]
    if missing:
        found.update(keep(programme, missing, compute=compute))
    return found


def _affected(kept: Iterable[Period], marks: Iterable[tuple[int, int]]) -> set[Period]:
    """The kept periods a set of (year, month) marks changes."""
    marks = set(marks)
    if any(year == 0 for year, _month in marks):
        return set(kept)
    years = {year for year, _month in marks}
    whole_years = {year for year, month in marks if month == 0}
    return {
        (year, month)
        for year, month in kept
        if (year, month) in marks or year in whole_years or (month == 0 and year in years)
    }


def keep(programme, wanted: Iterable[Period], *, compute: Compute) -> dict[Period, dict]:
    """Compute and keep ``wanted`` (closed periods) and every kept period of ``programme``
    its marks name; delete those marks. Returns the figures of ``wanted``."""
    wanted = set(wanted)
    with from_primary(), transaction.atomic():
        serialize(f"{LOCK}.{programme.pk}")
        marks = list(
            FiguresChange.objects.filter(programme_id=programme.pk).values_list(
                "pk", "year", "month"
            )
        )
        # The periods first, without their figures: the refresh job comes here after
        # every sheet's save, whose mark names the month in course, which nothing kept.
        rows = KeptFigures.objects.filter(programme_id=programme.pk)
        kept = set(rows.values_list("year", "month"))
        stale = _affected(kept, ((year, month) for _pk, year, month in marks))
        stale |= wanted - kept
        fresh = {period: compute(programme, *days(period)) for period in sorted(stale)}
        unchanged = _figures(rows, wanted - stale)
        if fresh:
            rows.filter(_periods(fresh)).delete()
            KeptFigures.objects.bulk_create(
                KeptFigures(programme_id=programme.pk, year=year, month=month, figures=values)
                for (year, month), values in fresh.items()
            )
        ids = [pk for pk, _year, _month in marks]
        for start in range(0, len(ids), DELETE_BATCH):
            FiguresChange.objects.filter(pk__in=ids[start : start + DELETE_BATCH]).delete()
    return {period: fresh.get(period, unchanged.get(period)) for period in wanted}


def _figures(rows, periods: set[Period]) -> dict[Period, dict]:
    """The kept figures of ``periods`` among ``rows``."""
    if not periods:
        return {}
    return {
        (year, month): figures
        for year, month, figures in rows.filter(_periods(periods)).values_list(
            "year", "month", "figures"
        )
    }


def _periods(periods: Iterable[Period]) -> Q:
    which = Q()
    for year, month in periods:
        which |= Q(year=year, month=month)
    return which


def refresh(*, compute: Compute, programmes=None) -> int:
    """Compute again the kept periods every mark names (of ``programmes``, or of every
    programme marked); the marks of a programme deleted since go. Returns the number of
    programmes refreshed. What the refresh job runs after the aggregates' catch-up."""
    from petitspas.organisations.models import Programme

    with from_primary():
        marked = set(FiguresChange.objects.values_list("programme_id", flat=True).distinct())
        if programmes is not None:
            marked &= {programme.pk for programme in programmes}
        found = {p.pk: p for p in Programme.objects.filter(pk__in=marked)}
        for programme_id in sorted(marked):
            if programme_id in found:
                keep(found[programme_id], [], compute=compute)
            else:
                FiguresChange.objects.filter(programme_id=programme_id).delete()
    return len(found)


def closed_periods(programme, today: datetime.date) -> set[Period]:
    """The calendar months and years of ``programme``'s sessions that ended before
    ``today``."""
    periods = set()
    for month in (
        Session._base_manager.filter(activity_type__programme=programme, date__lt=today)
        .order_by()
        .dates("date", "month")
    ):
        for period in ((month.year, 0), (month.year, month.month)):
            if days(period)[1] < today:
                periods.add(period)
    return periods


def fill(*, today: datetime.date, compute: Compute, programmes=None) -> int:
    """Keep every closed period of ``programmes`` (every programme by default) that has
    sessions and is not kept yet, and refresh the marked ones: what a bulk load runs after
    its aggregates' rebuild, so that the first reports do not compute them. Returns the
    number of periods that were missing."""
    from petitspas.organisations.models import Programme

    programmes = list(Programme.objects.order_by("pk") if programmes is None else programmes)
    computed = 0
    for programme in programmes:
        kept = set(KeptFigures.objects.filter(programme=programme).values_list("year", "month"))
        marked = FiguresChange.objects.filter(programme_id=programme.pk).exists()
        missing = closed_periods(programme, today) - kept
        if missing or marked:
            computed += len(keep(programme, missing, compute=compute))
    return computed
