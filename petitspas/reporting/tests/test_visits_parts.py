"""The visits per household over a period that begins or ends within a month: its whole
months from ``HouseholdMonth`` and the days around them from the rows, added up, equal
the rows over the whole period."""

import dataclasses
import datetime

import pytest

from petitspas.reporting import indicators
from petitspas.reporting.indicators import Scope, regularity

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2024, 11, 5), D(2025, 10, 7)),  # both ends within a month, on sessions
        (D(2024, 11, 6), D(2025, 10, 6)),  # both ends within a month, just off them
        (D(2025, 1, 1), D(2025, 10, 7)),  # 1 January to a day: the dashboard's default
        (D(2025, 3, 10), D(2025, 12, 31)),  # begins within March
        (D(2025, 3, 11), D(2025, 4, 14)),  # no whole month
        (D(2025, 3, 1), D(2025, 4, 30)),  # whole months only
        (D(2025, 4, 14), D(2025, 4, 14)),  # one day
    ],
)
@pytest.mark.parametrize("town", ["", "Pantin"])
def test_months_and_edges_equal_the_rows(built, start, end, town):
    scope = Scope(programme=built.programme, start=start, end=end, town=town)
    expected = indicators._visits_from_rows(scope)
    assert indicators._visits(scope) == expected
    # A site cut reads the rows: the whole figures agree too.
    assert regularity(scope) == regularity(dataclasses.replace(scope, site_id=built.site.pk))


def test_a_household_seen_on_both_edges_and_between(built):
    """H1 came on 10 March, 14 April and 7 October; from 10 March to 7 October: March
    and October from the rows, April from its month, three visits in three months."""
    scope = Scope(programme=built.programme, start=D(2025, 3, 10), end=D(2025, 10, 7))
    assert indicators._visits(scope)[built.h1.pk] == [3, 3]
    assert regularity(scope)["households_seen_3_months"] == 1
