"""The kept figures of closed periods: the same numbers as the live computation after any
write, however it is made; a kept period is read without its rows; only closed calendar
periods of a whole programme are kept; a mark written while a period is computed again
survives it."""

import dataclasses
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitspas.activities.models import RegistrationMode, Session
from petitspas.attendance.models import Attendance, Headcount
from petitspas.families.models import Household
from petitspas.reporting import kept, kept_triggers
from petitspas.reporting.indicators import (
    Scope,
    compute,
    core,
    core_live,
    keep_closed,
    refresh_kept,
)
from petitspas.reporting.models import FiguresChange, KeptFigures

D = datetime.date
TODAY = D(2026, 1, 15)  # 2025 and its months are closed
YEAR = (D(2025, 1, 1), D(2025, 12, 31))
MARCH = (D(2025, 3, 1), D(2025, 3, 31))
WATCHED_TABLES = {table.model._meta.db_table for table in kept_triggers.watched()}


def _scope(built, start, end, **kwargs):
    return Scope(programme=built.programme, start=start, end=end, **kwargs)


def _kept_rows(built) -> dict:
    return {
        (year, month): figures
        for year, month, figures in KeptFigures.objects.filter(
            programme=built.programme
        ).values_list("year", "month", "figures")
    }


def _tables(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql))


def test_every_table_the_kept_figures_read_is_watched(built):
    for period in (YEAR, MARCH):
        with CaptureQueriesContext(connection) as queries:
            core_live(_scope(built, *period), today=TODAY)
        read = set().union(*(_tables(q["sql"]) for q in queries.captured_queries))
        assert read - {"reporting_pendingrefresh"} <= WATCHED_TABLES, read - WATCHED_TABLES


def test_a_closed_period_is_kept_and_then_read_without_its_rows(built):
    for period in (YEAR, MARCH):
        live = core_live(_scope(built, *period), today=TODAY)
        assert core(_scope(built, *period), today=TODAY) == live
    assert set(_kept_rows(built)) == {(2025, 0), (2025, 3)}
    assert _kept_rows(built)[(2025, 0)]["sessions_held"] == 4
    assert _kept_rows(built)[(2025, 0)]["households_reached"] == 3
    with CaptureQueriesContext(connection) as queries:
        figures = core(_scope(built, *YEAR), today=TODAY)
    assert figures == core_live(_scope(built, *YEAR), today=TODAY)
    read = set().union(*(_tables(q["sql"]) for q in queries.captured_queries))
    assert read == {"reporting_pendingrefresh", "reporting_keptfigures", "reporting_figureschange"}
    assert len(queries) == 2


@pytest.mark.parametrize(
    ("period", "months"),
    [
        ((D(2025, 1, 1), D(2026, 1, 15)), [(2025, m) for m in range(1, 13)]),  # ends today
        ((D(2026, 1, 1), D(2026, 12, 31)), []),  # the year in course
        ((D(2025, 1, 1), D(2025, 6, 30)), [(2025, m) for m in range(1, 7)]),
        ((D(2025, 3, 2), D(2025, 3, 31)), []),
        ((D(2025, 3, 2), D(2025, 5, 30)), [(2025, 4)]),
        ((D(2024, 12, 1), D(2025, 1, 31)), [(2024, 12), (2025, 1)]),
    ],
)
def test_only_closed_calendar_months_and_years_are_kept(built, period, months):
    """A period that is not a calendar month or year keeps the closed months it holds
    whole (its activity adds them up), never itself."""
    figures = core(_scope(built, *period), today=TODAY)
    assert figures == core_live(_scope(built, *period), today=TODAY)
    assert sorted(_kept_rows(built)) == months


@pytest.mark.parametrize(
    "cut",
    [
        lambda b: {"site_id": b.site.pk},
        lambda b: {"activity_type_id": b.named.pk},
        lambda b: {"town": "Pantin"},
        lambda b: {"households": Household.objects.filter(pk=b.h1.pk)},
    ],
    ids=["site", "activity", "town", "households"],
)
def test_a_part_of_a_programme_is_computed_not_kept(built, cut):
    figures = core(_scope(built, *YEAR), today=TODAY)  # the whole programme's year is kept
    # A kept row altered by hand shows which reads go through it.
    KeptFigures.objects.update(figures={**figures, "sessions_held": 999})
    assert core(_scope(built, *YEAR), today=TODAY)["sessions_held"] == 999
    part = _scope(built, *YEAR, **cut(built))
    assert core(part, today=TODAY) == core_live(part, today=TODAY)
    assert core(part, today=TODAY)["sessions_held"] != 999
    assert set(_kept_rows(built)) == {(2025, 0)}


def _cancel(b):
    b.s1.status = Session.Status.CANCELLED
    b.s1.save()


def _move(b):
    b.s3.date = D(2026, 1, 6)
    b.s3.save()


def _hours(b):
    b.s1.end_time = datetime.time(17, 30)
    b.s1.save()


def _capacity(b):
    b.s1.capacity = 4
    b.s1.save()


def _headcount(b):
    Headcount.objects.filter(session=b.s5).update(adults=9, first_visits=0)


def _headcount_deleted(b):
    Headcount.objects.filter(session=b.s5).delete()


def _absent(b):
    Attendance.objects.get(session=b.s1, person=b.c2).delete()


def _present(b):
    Attendance.objects.create(
        session=b.s2, person=b.a2, household=b.h2, status=Attendance.Status.PRESENT
    )


def _birth(b):
    b.c1.birth_date = D(2023, 1, 1)
    b.c1.save()


def _open_registration(b):
    b.named.registration_mode = RegistrationMode.OPEN
    b.named.save()


def _session_deleted(b):
    b.s3.delete()


def _raw_sql(b):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Session._meta.db_table} SET status = %s WHERE id = %s",
            [Session.Status.CANCELLED, b.s2.pk],
        )


WRITES = [
    _cancel,
    _move,
    _hours,
    _capacity,
    _headcount,
    _headcount_deleted,
    _absent,
    _present,
    _birth,
    _open_registration,
    _session_deleted,
    _raw_sql,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_after_any_write_the_figures_are_the_live_ones(built, write):
    for period in (YEAR, MARCH):
        core(_scope(built, *period), today=TODAY)
    before = _kept_rows(built)
    write(built)
    assert FiguresChange.objects.exists()
    for period in (YEAR, MARCH):
        live = core_live(_scope(built, *period), today=TODAY)
        assert core(_scope(built, *period), today=TODAY) == live
    after = _kept_rows(built)
    assert after[(2025, 0)] != before[(2025, 0)]  # every write above changes the year
    assert after[(2025, 0)] == core_live(_scope(built, *YEAR), today=TODAY)
    assert not FiguresChange.objects.exists()


def test_an_unwatched_column_marks_nothing(built):
    core(_scope(built, *YEAR), today=TODAY)
    FiguresChange.objects.all().delete()
    sessions = Session.objects.filter(pk=built.s1.pk)
    sessions.update(notes="Salle du haut")
    sessions.update(status=built.s1.status, capacity=built.s1.capacity)  # unchanged values
    Headcount.objects.filter(session=built.s5).update(adults=6)  # unchanged
    assert not FiguresChange.objects.exists()
    sessions.update(capacity=12)
    assert list(FiguresChange.objects.values_list("programme_id", "year", "month")) == [
        (built.programme.pk, 2025, 3)
    ]


def test_a_write_marks_its_month_and_year_only(built):
    core(_scope(built, *YEAR), today=TODAY)
    core(_scope(built, *MARCH), today=TODAY)
    core(_scope(built, D(2025, 10, 1), D(2025, 10, 31)), today=TODAY)
    october = _kept_rows(built)[(2025, 10)]
    _headcount(built)  # June
    with CaptureQueriesContext(connection) as queries:
        core(_scope(built, D(2025, 10, 1), D(2025, 10, 31)), today=TODAY)
    assert len(queries) == 2  # October is still kept: read, not computed
    refresh_kept(today=TODAY)
    assert _kept_rows(built)[(2025, 10)] == october
    assert _kept_rows(built)[(2025, 0)]["headcount_adults"] == 9


def test_the_refresh_job_computes_the_marked_periods_again(built):
    core(_scope(built, *YEAR), today=TODAY)
    _cancel(built)
    assert refresh_kept(today=TODAY) == 1
    assert not FiguresChange.objects.exists()
    assert _kept_rows(built)[(2025, 0)]["sessions_held"] == 3
    assert refresh_kept(today=TODAY) == 0


def test_a_mark_of_a_month_nothing_kept_reads_no_kept_figures(built):
    core(_scope(built, *YEAR), today=TODAY)
    FiguresChange.objects.create(programme_id=built.programme.pk, year=2026, month=1)

    with CaptureQueriesContext(connection) as queries:
        assert refresh_kept(today=TODAY) == 1

    kept_reads = [q["sql"] for q in queries if "reporting_keptfigures" in _tables(q["sql"])]
    assert kept_reads and not any('"figures"' in sql for sql in kept_reads)
    assert not FiguresChange.objects.exists()


def test_a_mark_written_while_a_period_is_computed_again_survives(built):
    core(_scope(built, *YEAR), today=TODAY)
    _cancel(built)
    computed = []

    def compute_then_write(programme, start, end):
        figures = core_live(_scope(built, start, end), today=TODAY)
        if not computed:  # a write committed after the marks were read
            _headcount(built)
        computed.append((start, end))
        return figures

    kept.keep(built.programme, [], compute=compute_then_write)
    assert FiguresChange.objects.exists()  # the headcount's mark stays
    assert core(_scope(built, *YEAR), today=TODAY)["headcount_adults"] == 9


def test_fill_keeps_every_closed_period_with_sessions(built):
    assert keep_closed(today=TODAY) == 8
    assert set(_kept_rows(built)) == {
        (2024, 0),
        (2024, 11),
        (2025, 0),
        (2025, 3),
        (2025, 4),
        (2025, 5),
        (2025, 6),
        (2025, 10),
    }
    for (year, month), figures in _kept_rows(built).items():
        assert figures == core_live(_scope(built, *kept.days((year, month))), today=TODAY)
    assert keep_closed(today=TODAY) == 0
    # On 2025-10-20, October and 2025 have not ended: not kept.
    KeptFigures.objects.all().delete()
    keep_closed(today=D(2025, 10, 20))
    assert (2025, 10) not in _kept_rows(built)
    assert (2025, 0) not in _kept_rows(built)
    assert (2025, 6) in _kept_rows(built)


def test_the_previous_year_of_a_report_is_kept_too(built):
    figures = compute(_scope(built, *YEAR), today=TODAY)
    previous = compute(dataclasses.replace(_scope(built, *YEAR)).previous_year(), today=TODAY)
    assert figures["sessions_held"] == 4
    assert previous["sessions_held"] == 1
    assert set(_kept_rows(built)) == {(2025, 0), (2024, 0)}


def test_the_marks_of_a_deleted_programme_go(built):
    FiguresChange.objects.create(programme_id=10**9, year=2025, month=3)
    refresh_kept(today=TODAY)
    assert not FiguresChange.objects.filter(programme_id=10**9).exists()


# A dashboard's default period: 1 January to today, and the same days a year earlier.
DASHBOARD_TODAY = D(2025, 11, 20)
TO_DATE = (D(2025, 1, 1), D(2025, 11, 20))
TO_DATE_BEFORE = (D(2024, 1, 1), D(2024, 11, 20))


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__.strip("_"))
def test_a_period_from_kept_months_and_its_last_days_is_the_live_one(built, write):
    for period in (TO_DATE, TO_DATE_BEFORE):
        core(_scope(built, *period), today=DASHBOARD_TODAY)
    assert (2025, 10) in _kept_rows(built)
    write(built)
    for period in (TO_DATE, TO_DATE_BEFORE):
        live = core_live(_scope(built, *period), today=DASHBOARD_TODAY)
        assert core(_scope(built, *period), today=DASHBOARD_TODAY) == live


def test_a_period_adds_its_kept_months_to_its_last_days(built):
    figures = core(_scope(built, *TO_DATE), today=DASHBOARD_TODAY)
    assert figures["sessions_held"] == 4
    assert figures["headcount_adults"] == 6
    assert figures["median_attendance"] == 4.0  # 1, 3, 5 and 12 people
    # A kept month altered by hand shows that the period reads it.
    june = KeptFigures.objects.get(programme=built.programme, year=2025, month=6)
    parts = june.figures["activity_parts"]
    june.figures = {
        **june.figures,
        "headcount_adults": 100,
        "activity_parts": {**parts, "held": parts["held"] + 10, "people": [[50, 3]]},
    }
    june.save()
    figures = core(_scope(built, *TO_DATE), today=DASHBOARD_TODAY)
    assert figures["sessions_held"] == 14
    assert figures["headcount_adults"] == 100
    assert figures["sessions_recorded"] == 6  # 3 of March, April, October; 3 "of June"
    # November, still in course, is read from its rows: a session held there counts.
    Session.objects.create(
        activity_type=built.named,
        site=built.site,
        date=D(2025, 11, 3),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
    )
    assert core(_scope(built, *TO_DATE), today=DASHBOARD_TODAY)["sessions_held"] == 15
