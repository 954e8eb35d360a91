"""The dashboard's sessions per month, grouped in one query (``activity_by_month``),
against ``activity`` called on each month as the table used to: the same figures, month
by month, on sessions spread over months and years, cancelled, still to come, open and
on registration, with headcounts and named sheets, cut by site, activity and town."""

import dataclasses
import datetime

import pytest

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance, Headcount
from petitspas.places.tests.factories import SiteFactory
from petitspas.reporting.indicators import Figures, Scope, activity, activity_by_month
from petitspas.reporting.tables import MONTHS, months_of, sessions_by_month

D = datetime.date
T = datetime.time
TODAY = D(2025, 10, 15)  # October 2025 has sessions held and sessions still to come


@pytest.fixture
def spread(built):
    """``built``'s sessions (November 2024 to October 2025), and more: two on one day of
    another site in Bobigny (a 1 h 45 morning, a 50 min evening), a cancelled one still
    to come, sessions to come later in October and in January 2026, a headcount on
    another open session, one named sheet in December 2024 and a session on the last
    day of a month and the first of the next."""
    b = built
    other = SiteFactory(programme=b.programme, name="Centre social de Bobigny", town="Bobigny")
    b.other = other
    b.talk = ActivityTypeFactory(programme=b.programme, name="Causerie", on_registration=True)

    def session(day, activity=b.named, site=b.site, **kwargs):
        return SessionFactory(activity_type=activity, site=site, date=day, **kwargs)

    december = session(D(2024, 12, 3), activity=b.talk, capacity=8)
    Attendance.objects.create(
        session=december, person=b.a2, household=b.h2, status=Attendance.Status.PRESENT
    )
    session(D(2025, 1, 31), start_time=T(9, 15), end_time=T(11, 0), site=other)
    session(D(2025, 1, 31), activity=b.laep, start_time=T(18, 10), end_time=T(19, 0))
    session(D(2025, 2, 1), activity=b.laep, site=other)
    open_one = session(D(2025, 6, 16), activity=b.laep, site=other)
    Headcount.objects.create(session=open_one, adults=4, children_1_3=2)
    session(D(2025, 6, 17), cancelled=True, site=other)
    session(D(2025, 10, 15), start_time=T(9, 30), end_time=T(11, 40))  # today: held
    session(D(2025, 10, 16), activity=b.talk)  # tomorrow: to come
    session(D(2025, 10, 28), cancelled=True)  # cancelled before its day
    session(D(2026, 1, 12), activity=b.laep)
    return b


def one_call_per_month(scope: Scope, *, today) -> dict:
    """What the table read before: ``activity`` on each month of the period."""
    result = {}
    for start, end in months_of(scope):
        month = activity(dataclasses.replace(scope, start=start, end=end), today=today)
        result[start.replace(day=1)] = {
            name: month[name] for name in ("sessions_held", "hours_open", "sessions_cancelled")
        }
    return result


def grouped(scope: Scope, *, today) -> dict:
    """``activity_by_month``, a month without a session as zeros (as the table shows it)."""
    per_month = activity_by_month(scope, today=today)
    zeros = {"sessions_held": 0, "hours_open": 0.0, "sessions_cancelled": 0}
    return {
        start.replace(day=1): per_month.get(start.replace(day=1), zeros)
        for start, _end in months_of(scope)
    }


def test_the_months_by_hand(spread):
    scope = Scope(programme=spread.programme, start=D(2024, 11, 1), end=D(2026, 1, 31))
    months = activity_by_month(scope, today=TODAY)
    assert months[D(2024, 11, 1)] == {
        "sessions_held": 1,
        "hours_open": 2.0,
        "sessions_cancelled": 0,
    }
    # 1 h 45 + 50 min: 155 minutes.
    assert months[D(2025, 1, 1)] == {
        "sessions_held": 2,
        "hours_open": 2.6,
        "sessions_cancelled": 0,
    }
    assert months[D(2025, 2, 1)]["sessions_held"] == 1
    # S4 cancelled on 5 May: not held, counted as cancelled.
    assert months[D(2025, 5, 1)] == {
        "sessions_held": 0,
        "hours_open": 0.0,
        "sessions_cancelled": 1,
    }
    assert months[D(2025, 6, 1)] == {
        "sessions_held": 2,
        "hours_open": 4.0,
        "sessions_cancelled": 1,
    }
    # S3 (2 h) and today's morning (2 h 10) held; tomorrow's to come; the 28th cancelled.
    assert months[D(2025, 10, 1)] == {
        "sessions_held": 2,
        "hours_open": 4.2,
        "sessions_cancelled": 1,
    }
    assert months[D(2026, 1, 1)] == {
        "sessions_held": 0,
        "hours_open": 0.0,
        "sessions_cancelled": 0,
    }
    assert D(2025, 7, 1) not in months  # no session at all


@pytest.mark.parametrize(
    ("start", "end", "cut"),
    [
        (D(2024, 11, 1), D(2026, 1, 31), {}),
        (D(2025, 1, 1), D(2025, 12, 31), {}),
        # Clipped months at both ends: 31 January in, 1 February in, 16 October out.
        (D(2025, 1, 31), D(2025, 10, 15), {}),
        (D(2025, 2, 1), D(2025, 10, 15), {}),
        (D(2024, 12, 3), D(2025, 1, 30), {}),
        (D(2024, 12, 4), D(2025, 1, 31), {}),
        (D(2024, 11, 1), D(2026, 1, 31), {"site": "other"}),
        (D(2024, 11, 1), D(2026, 1, 31), {"activity": "laep"}),
        (D(2024, 11, 1), D(2026, 1, 31), {"activity": "talk"}),
        (D(2024, 11, 1), D(2026, 1, 31), {"town": "Bobigny"}),
    ],
)
@pytest.mark.parametrize("today", [TODAY, D(2025, 1, 31), D(2026, 3, 1)])
def test_grouped_equals_one_call_per_month(spread, start, end, cut, today):
    kwargs = {}
    if cut.get("site"):
        kwargs["site_id"] = spread.other.pk
    if cut.get("activity"):
        kwargs["activity_type_id"] = getattr(spread, cut["activity"]).pk
    if cut.get("town"):
        kwargs["town"] = cut["town"]
    scope = Scope(programme=spread.programme, start=start, end=end, **kwargs)
    expected = one_call_per_month(scope, today=today)
    assert grouped(scope, today=today) == expected
    # Not an empty comparison: the fixture holds sessions in these scopes.
    assert any(month["sessions_held"] or month["sessions_cancelled"] for month in expected.values())


def test_the_table_reads_the_grouped_months(spread):
    scope = Scope(programme=spread.programme, start=D(2025, 1, 1), end=D(2025, 12, 31))
    figures = Figures(scope=scope, values={}, previous={}, protected=False)
    table = sessions_by_month(figures, today=TODAY)
    expected = one_call_per_month(scope, today=TODAY)
    assert table.rows == [
        [
            f"{MONTHS[month.month - 1]} {month.year}",
            row["sessions_held"],
            row["hours_open"],
            row["sessions_cancelled"],
        ]
        for month, row in expected.items()
    ]
    assert table.rows[0] == ["janvier 2025", 2, 2.6, 0]
    assert table.rows[9] == ["octobre 2025", 2, 4.2, 1]
    assert [bar[1] for bar in table.bars] == [row[1] for row in table.rows]


def test_one_query_whatever_the_months(spread, django_assert_num_queries):
    scope = Scope(programme=spread.programme, start=D(2024, 1, 1), end=D(2026, 12, 31))
    figures = Figures(scope=scope, values={}, previous={}, protected=False)
    with django_assert_num_queries(1):
        table = sessions_by_month(figures, today=TODAY)
    assert len(table.rows) == 36
