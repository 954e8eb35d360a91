"""Random saves, edits, deletions and anonymisations: the aggregates always agree with a
rebuild from scratch and with the plain-SQL oracle; disaggregations sum to their totals;
distinct reach never exceeds visits."""

import contextlib
import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from petitspas.attendance.models import Attendance
from petitspas.attendance.services import attendance_record
from petitspas.privacy.services import household_anonymise
from petitspas.reporting.aggregates import catch_up, rebuild_all
from petitspas.reporting.indicators import Scope, compute
from petitspas.reporting.models import FirstSeen, HouseholdMonth, PendingRefresh, SessionTally
from petitspas.reporting.tests import oracle

D = datetime.date
STATUSES = ["present", "excused", "no_show"]

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("sheet"), st.integers(0, 3), st.integers(0, 2), st.sampled_from(STATUSES)
        ),
        st.tuples(st.just("delete"), st.integers(0, 3), st.integers(0, 8), st.none()),
        st.tuples(st.just("birth"), st.integers(0, 2), st.integers(0, 2000), st.none()),
        st.tuples(st.just("move"), st.integers(0, 3), st.integers(-200, 200), st.none()),
        st.tuples(st.just("anonymise"), st.integers(0, 2), st.none(), st.none()),
        st.tuples(st.just("headcount"), st.integers(0, 20), st.integers(0, 9), st.none()),
    ),
    max_size=8,
)

PERIODS = [
    (D(2025, 1, 1), D(2025, 12, 31)),
    (D(2025, 1, 1), D(2025, 5, 20)),
    (D(2025, 4, 1), D(2025, 4, 30)),
    (D(2024, 1, 1), D(2024, 12, 31)),
    (D(2024, 9, 15), D(2025, 4, 20)),
]


def snapshot():
    return (
        sorted(
            FirstSeen.objects.values_list(
                "programme_id",
                "household_id",
                "person_id",
                "subject",
                "span",
                "year",
                "month",
                "seen_on",
                "band",
            ),
            key=repr,
        ),
        sorted(
            HouseholdMonth.objects.values_list(
                "programme_id", "household_id", "year", "month", "visits"
            )
        ),
        sorted(
            SessionTally.objects.values_list(
                "session_id",
                "programme_id",
                "site_id",
                "activity_type_id",
                "date",
                "households",
                "adults",
                "children",
            )
        ),
    )


def apply(op, built, alice):
    kind, a, b, c = op
    households = [built.h1, built.h2, built.h3]
    named = [built.s0, built.s1, built.s2, built.s3]
    if kind == "sheet":
        attendance_record(
            session=named[a],
            marks={households[b].pk: c},
            client_id=uuid.uuid4(),
            by=alice.coordinator,
        )
    elif kind == "delete":
        rows = list(Attendance.objects.filter(session=named[a]).order_by("pk"))
        if rows:
            rows[b % len(rows)].delete()
    elif kind == "birth":
        child = [built.c1, built.c2, built.c3][a]
        child.refresh_from_db()
        child.birth_date = D(2018, 1, 1) + datetime.timedelta(days=b)
        child.save()
    elif kind == "move":
        session = named[a]
        session.refresh_from_db()
        session.date = session.date + datetime.timedelta(days=b)
        session.save()
    elif kind == "anonymise":
        household = households[a]
        household.refresh_from_db()
        if household.anonymised_at is None:
            household_anonymise(household=household, by=alice.admin)
    elif kind == "headcount":
        attendance_record(
            session=built.s5,
            marks={},
            headcount={"adults": a, "children_1_3": b},
            client_id=uuid.uuid4(),
            by=alice.coordinator,
        )


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_aggregates_follow_every_write(built, alice, travel, ops):
    travel(D(2025, 12, 31))
    with transaction.atomic():
        for op in ops:
            # A refused save (an anonymised household) writes nothing.
            with contextlib.suppress(ValidationError):
                apply(op, built, alice)
        # A sheet's save leaves its refresh pending; every read of the figures catches up
        # first (reading the rows directly here, so catching up by hand).
        catch_up()
        assert not PendingRefresh.objects.exists()
        kept = snapshot()
        rebuild_all()
        assert snapshot() == kept
        for start, end in PERIODS:
            figures = compute(
                Scope(programme=built.programme, start=start, end=end), today=D(2025, 12, 31)
            )
            expected = oracle.reach(built.programme.pk, start, end)
            assert {k: figures[k] for k in expected} == expected
            people = oracle.session_people(built.programme.pk, start, end)
            assert figures["sessions_recorded"] == len(people)
            # Disaggregations sum to their totals.
            bands = ["children_reached_0_1", "children_reached_1_3", "children_reached_3_6"]
            assert figures["children_reached_under_6"] == sum(figures[b] for b in bands)
            assert (
                figures["children_reached"]
                == figures["children_reached_under_6"] + figures["children_reached_6_plus"]
            )
            assert (
                figures["households_reached"]
                == figures["new_households"] + figures["returning_households"]
            )
            visits = [
                "households_visits_1",
                "households_visits_2_3",
                "households_visits_4_9",
                "households_visits_10_plus",
            ]
            assert figures["households_reached"] == sum(figures[v] for v in visits)
            assert figures["headcount_children"] == sum(
                figures[f"headcount_children_{b}"] for b in ("0_1", "1_3", "3_6")
            )
            # Distinct reach never exceeds visits.
            assert figures["households_reached"] <= figures["household_visits"]
            assert figures["households_seen_3_months"] <= figures["households_reached"]
        transaction.set_rollback(True)
