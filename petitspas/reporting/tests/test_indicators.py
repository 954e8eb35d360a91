"""Every indicator on the hand-computed programme of ``conftest.built``, through the
aggregates and through the raw rows, against the plain-SQL oracle."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitspas.reporting import indicators
from petitspas.reporting.indicators import INDICATORS, Scope, compute
from petitspas.reporting.tests import oracle

D = datetime.date
TODAY = D(2025, 12, 31)

YEAR_2025 = {
    "households_reached": 3,
    "parents_reached": 3,
    "children_reached": 3,
    "children_reached_0_1": 1,  # C1, 5 months old at its first session of the year
    "children_reached_1_3": 0,
    "children_reached_3_6": 1,
    "children_reached_under_6": 2,
    "children_reached_6_plus": 1,
    "pregnant_women_reached": 1,
    "new_households": 2,
    "returning_households": 1,
    "household_visits": 5,
    "households_visits_1": 2,
    "households_visits_2_3": 1,
    "households_visits_4_9": 0,
    "households_visits_10_plus": 0,
    "households_seen_3_months": 1,
    "share_seen_3_months": 33.3,
    "sessions_held": 4,
    "sessions_cancelled": 1,
    "hours_open": 8.0,
    "sessions_recorded": 4,
    "mean_attendance": 5.2,  # (5 + 1 + 3 + 12) / 4
    "median_attendance": 4.0,
    "occupancy": 16.7,  # 5 households for 30 places
    "headcount_adults": 6,
    "headcount_children": 6,
    "headcount_children_0_1": 2,
    "headcount_children_1_3": 3,
    "headcount_children_3_6": 1,
    "headcount_pregnant_women": 1,
    "headcount_first_visits": 2,
    # No childcare on referral, no desk, no list of hotels: none of their figures.
    **dict.fromkeys(
        indicators.REFERRAL_NAMES
        + indicators.CHILDCARE_NAMES
        + indicators.ORIENTATION_NAMES
        + indicators.COVERAGE_NAMES
    ),
}


def scope(built, start, end, **kwargs):
    return Scope(programme=built.programme, start=start, end=end, **kwargs)


def test_every_indicator_of_a_year(built):
    figures = compute(scope(built, D(2025, 1, 1), D(2025, 12, 31)), today=TODAY)
    assert figures == YEAR_2025
    assert list(figures) == [i.name for i in INDICATORS]


def test_the_previous_year(built):
    figures = compute(scope(built, D(2024, 1, 1), D(2024, 12, 31)), today=TODAY)
    assert figures["households_reached"] == 1
    assert figures["new_households"] == 1
    assert figures["households_visits_1"] == 1
    assert figures["sessions_held"] == 1
    assert figures["headcount_adults"] == 0
    assert figures["mean_attendance"] == 1.0


def test_a_month(built):
    figures = compute(scope(built, D(2025, 3, 1), D(2025, 3, 31)), today=TODAY)
    assert figures["households_reached"] == 2
    assert figures["children_reached"] == 3
    assert figures["children_reached_0_1"] == 1
    assert figures["new_households"] == 2
    assert figures["households_visits_1"] == 2


def test_a_period_across_months_reads_the_rows(built):
    """5 March to 20 April: H1 twice, H2 once; C1 is still under one."""
    figures = compute(scope(built, D(2025, 3, 5), D(2025, 4, 20)), today=TODAY)
    assert figures["households_reached"] == 2
    assert figures["households_visits_2_3"] == 1
    assert figures["households_visits_1"] == 1
    assert figures["sessions_held"] == 2


def test_age_band_is_taken_at_the_first_session_of_the_period(built):
    """C1 turns one on 15 September 2025: in the autumn it counts among the 1-3."""
    figures = compute(scope(built, D(2025, 9, 1), D(2025, 12, 31)), today=TODAY)
    assert figures["children_reached_1_3"] == 1
    assert figures["children_reached_0_1"] == 0
    assert figures["pregnant_women_reached"] == 0  # born by then (due 1 June)


def test_cuts_by_site_activity_and_town(built):
    year = (D(2025, 1, 1), D(2025, 12, 31))
    laep = compute(scope(built, *year, activity_type_id=built.laep.pk), today=TODAY)
    assert laep["households_reached"] == 0
    assert laep["headcount_adults"] == 6
    assert laep["sessions_held"] == 1
    named = compute(scope(built, *year, activity_type_id=built.named.pk), today=TODAY)
    assert named["households_reached"] == 3
    assert named["headcount_adults"] == 0
    site = compute(scope(built, *year, site_id=built.site.pk), today=TODAY)
    assert site["households_reached"] == 3
    # A cut reads the rows; H3, seen in November 2024, is still no new household.
    assert (site["new_households"], site["returning_households"]) == (2, 1)
    town = compute(scope(built, *year, town="Pantin"), today=TODAY)
    assert town["households_reached"] == 1
    assert town["children_reached"] == 2
    assert town["new_households"] == 1


def test_a_page_asking_some_sections_gets_the_same_figures_for_fewer_queries(built):
    """A diagnosis area shows the reach, the sessions held and the headcounts of each
    site: only their sections are computed, the others are None, never a wrong 0."""
    site = scope(built, D(2025, 1, 1), D(2025, 12, 31), site_id=built.site.pk)
    whole = compute(site, today=TODAY)
    asked = {indicators.REACH, indicators.ACTIVITY, indicators.HEADCOUNTS}
    with CaptureQueriesContext(connection) as every:
        compute(site, today=TODAY)
    with CaptureQueriesContext(connection) as some:
        part = compute(site, today=TODAY, sections=asked)
    assert len(some) < len(every)
    for indicator in INDICATORS:
        expected = whole[indicator.name] if indicator.section in asked else None
        assert part[indicator.name] == expected, indicator.name
    assert part["households_reached"] == 3 and part["sessions_held"] == 4


def test_sessions_still_to_come_are_not_held(built):
    figures = compute(scope(built, D(2025, 1, 1), D(2025, 12, 31)), today=D(2025, 5, 1))
    assert figures["sessions_held"] == 2


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2025, 1, 1), D(2025, 12, 31)),
        (D(2025, 1, 1), D(2025, 4, 14)),
        (D(2025, 3, 1), D(2025, 3, 31)),
        (D(2025, 4, 1), D(2025, 4, 13)),
        (D(2024, 6, 1), D(2025, 5, 31)),
        (D(2025, 3, 11), D(2025, 10, 7)),
    ],
)
def test_aggregates_agree_with_the_rows_and_the_oracle(built, start, end):
    s = scope(built, start, end)
    fast = compute(s, today=TODAY)
    # The same scope cut by the programme's only site reads the raw rows.
    slow = compute(dataclasses.replace(s, site_id=built.site.pk), today=TODAY)
    assert fast == slow
    expected = oracle.reach(built.programme.pk, start, end)
    assert {k: fast[k] for k in expected} == expected


def test_headcounts_are_never_added_to_distinct_reach(built):
    figures = compute(scope(built, D(2025, 6, 1), D(2025, 6, 30)), today=TODAY)
    assert figures["households_reached"] == 0
    assert figures["children_reached"] == 0
    assert figures["headcount_children"] == 6


def test_the_year_before_29_february():
    s = Scope(programme=None, start=D(2024, 2, 29), end=D(2024, 2, 29))
    assert s.previous_year().start == D(2023, 2, 28)


def test_span_choice():
    p = None
    assert indicators._span(Scope(p, D(2025, 1, 1), D(2025, 6, 3))) == "year"
    assert indicators._span(Scope(p, D(2025, 6, 1), D(2025, 6, 3))) == "month"
    assert indicators._span(Scope(p, D(2025, 6, 2), D(2025, 6, 3))) is None
    assert indicators._span(Scope(p, D(2024, 1, 1), D(2025, 6, 3))) is None
    assert indicators._span(Scope(p, D(2025, 1, 1), D(2025, 6, 3), site_id=1)) is None


def test_what_a_programme_runs_beside_its_sessions_is_read_once_per_scope(
    built, django_assert_num_queries
):
    """Childcare, desks and a hotel list: one query for the four groups of figures that
    show them (none of them here, so each group is empty)."""
    scope = Scope(programme=built.programme, start=D(2025, 1, 1), end=D(2025, 12, 31))

    with django_assert_num_queries(1):
        figures = {
            **indicators.referrals(scope),
            **indicators.childcare(scope, today=D(2026, 1, 15)),
            **indicators.orientations(scope),
            **indicators.coverage(scope, today=D(2026, 1, 15)),
        }

    assert set(figures.values()) == {None}
    assert scope.runs == indicators.Runs(childcare=False, desk=False, hotel_list=False)
