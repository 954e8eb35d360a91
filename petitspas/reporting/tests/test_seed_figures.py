"""The seed's year-on-year pair, on data built in bulk and then aggregated, as a loader
does: Espace Petits Pas reached 1,127 families and 1,852 children in 2022, against 667
families and 991 children in 2021 (seed 000)."""

import datetime

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance
from petitspas.families.models import Household, Person
from petitspas.families.services import people_bulk_create
from petitspas.reporting.aggregates import rebuild
from petitspas.reporting.indicators import Scope, compute, figures_for
from petitspas.reporting.models import FirstSeen, HouseholdMonth, SessionTally
from petitspas.reporting.tests import oracle

D = datetime.date


def _households(organisation, prefix, count, children_of):
    households = Household.objects.bulk_create(
        [Household(organisation=organisation, code=f"{prefix}{n:04d}") for n in range(count)]
    )
    people = []
    for n, household in enumerate(households):
        people.append(Person(household=household, role=Person.Role.PARENT, first_name="P"))
        people += [
            Person(household=household, role=Person.Role.CHILD, birth_date=D(2020, 6, 1))
            for _ in range(children_of(n))
        ]
    people_bulk_create(people)
    return households


def _attend(households, sessions):
    rows = []
    for n, household in enumerate(households):
        session = sessions[n % len(sessions)]
        for person in household.people.all():
            rows.append(
                Attendance(session=session, person=person, household=household, status="present")
            )
    Attendance.objects.bulk_create(rows)


def test_the_seed_year_on_year_pair(alice, travel):
    travel(D(2023, 1, 15))
    programme = alice.programme
    activity = ActivityTypeFactory(programme=programme, on_registration=True)
    sessions = {
        year: [
            SessionFactory(activity_type=activity, site=alice.site, date=D(year, month, 10))
            for month in (3, 6, 10)
        ]
        for year in (2021, 2022)
    }
    # 400 families came both years (1 child each), 267 only in 2021 (591 children),
    # 727 only in 2022 (1,452 children).
    both = _households(alice.organisation, "A", 400, lambda n: 1)
    only_2021 = _households(alice.organisation, "B", 267, lambda n: 3 if n < 57 else 2)
    only_2022 = _households(alice.organisation, "C", 727, lambda n: 1 if n < 2 else 2)
    _attend(both + only_2021, sessions[2021])
    _attend(both + only_2022, sessions[2022])
    rebuild(D(2021, 1, 1), D(2022, 12, 31))

    scope = Scope(programme=programme, start=D(2022, 1, 1), end=D(2022, 12, 31))
    figures = figures_for(alice.coordinator, scope, today=D(2023, 1, 15))
    rows = {row["name"]: row for row in figures.rows()}
    assert (rows["households_reached"]["value"], rows["households_reached"]["previous"]) == (
        1127,
        667,
    )
    assert (rows["children_reached"]["value"], rows["children_reached"]["previous"]) == (1852, 991)
    assert rows["households_reached"]["change"] == 460
    assert rows["households_reached"]["change_pct"] == 69.0
    assert rows["children_reached"]["change_pct"] == 86.9
    assert rows["new_households"]["value"] == 727
    assert rows["returning_households"]["value"] == 400
    for year in (2021, 2022):
        expected = oracle.reach(programme.pk, D(year, 1, 1), D(year, 12, 31))
        got = compute(
            Scope(programme=programme, start=D(year, 1, 1), end=D(year, 12, 31)),
            today=D(2023, 1, 1),
        )
        assert {k: got[k] for k in expected} == expected

    # Rebuilding again changes nothing.
    def snapshot():
        return (
            sorted(
                FirstSeen.objects.values_list(
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
            sorted(HouseholdMonth.objects.values_list("household_id", "year", "month", "visits")),
            sorted(
                SessionTally.objects.values_list("session_id", "households", "adults", "children")
            ),
        )

    before = snapshot()
    rebuild(D(2022, 3, 1), D(2022, 3, 2))
    assert snapshot() == before
