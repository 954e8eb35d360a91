"""One definition of a no-show (``Booking.objects.no_shows``): the figures and the
month's hours of the childcare follow-up count the same half-days."""

import datetime

import pytest

from petitspas.childcare.models import Booking, ChildcareSlot, Enrolment
from petitspas.childcare.selectors_presence import month_hours
from petitspas.childcare.tests.factories import PrescriberOrganisationFactory
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.organisations.models import ProgrammePrescriber
from petitspas.places.models import HalfDay
from petitspas.reporting.indicators import Scope, childcare
from petitspas.reporting.tests.test_childcare_indicators import at, referral

D = datetime.date
AM, PM = HalfDay.MORNING, HalfDay.AFTERNOON
MONDAY, TUESDAY, WEDNESDAY, THURSDAY = (D(2025, 3, day) for day in (10, 11, 12, 13))


@pytest.fixture
def week(bob):
    """Two children of one family at the parc, the week of 10 March 2025:
    - Monday morning: Lina, nothing noted (a no-show once Monday is past);
    - Monday afternoon: Lina's booking cancelled, nothing noted (counts for nothing);
    - Tuesday morning: Lina sick (an absence), Adam arrived;
    - Tuesday afternoon: Adam arrived, his departure not noted (used, not a no-show);
    - Wednesday morning: both, nothing noted yet (today's half-day is not over);
    - Thursday morning: Lina, still to come."""
    agency = PrescriberOrganisationFactory(name="France Travail – Agence de Lunel")
    ProgrammePrescriber.objects.create(programme=bob.programme, organisation=agency)
    sent = referral(bob.programme, D(2025, 2, 20), (D(2025, 2, 25), "accepted"), agency=agency)
    household = HouseholdFactory(organisation=bob.organisation)
    enrolments = []
    for name in ("Lina", "Adam"):
        child = PersonFactory(
            household=household, child=True, first_name=name, birth_date=D(2023, 4, 1)
        )
        enrolments.append(
            Enrolment.objects.create(
                programme=bob.programme,
                referral=sent,
                child=child,
                starts_on=D(2025, 3, 1),
                settling_in_until=D(2025, 3, 1),
            )
        )
    lina, adam = enrolments

    def book(enrolment, day, half_day, **noted):
        slot, _ = ChildcareSlot.objects.get_or_create(site=bob.site, day=day, half_day=half_day)
        return Booking.objects.create(slot=slot, enrolment=enrolment, reason="training", **noted)

    book(lina, MONDAY, AM)
    cancelled = book(lina, MONDAY, PM)
    cancelled.state = Booking.State.CANCELLED
    cancelled.save()
    book(lina, TUESDAY, AM, absence="sick")
    book(adam, TUESDAY, AM, checked_in_at=at(TUESDAY, 9))
    book(adam, TUESDAY, PM, checked_in_at=at(TUESDAY, 14))
    book(lina, WEDNESDAY, AM)
    book(adam, WEDNESDAY, AM)
    book(lina, THURSDAY, AM)
    return bob.programme, enrolments


def both_counts(programme, enrolments, today):
    scope = Scope(programme=programme, start=D(2025, 3, 1), end=D(2025, 3, 31))
    figures = childcare(scope, today=today)["childcare_no_shows"]
    hours = [row.no_shows for row in month_hours(enrolments, D(2025, 3, 1), today=today)]
    return figures, hours


@pytest.mark.parametrize(
    ("today", "lina", "adam"),
    [
        (MONDAY, 0, 0),  # Monday's own half-days are not over yet
        (TUESDAY, 1, 0),  # Monday morning is past: Lina's no-show; the cancelled one is not
        (WEDNESDAY, 1, 0),  # Tuesday's absences and arrival are not no-shows
        (THURSDAY, 2, 1),  # Wednesday morning is past with nothing noted
        (D(2025, 4, 1), 3, 1),  # Thursday too
    ],
)
def test_the_figures_and_the_month_hours_count_the_same_no_shows(week, today, lina, adam):
    programme, enrolments = week
    figures, hours = both_counts(programme, enrolments, today)
    assert hours == [lina, adam]
    assert figures == lina + adam


def test_the_queryset_is_the_one_definition(week):
    programme, _enrolments = week
    no_shows = Booking.objects.filter(enrolment__programme=programme).no_shows(today=THURSDAY)
    assert sorted((b.enrolment.child.first_name, b.slot.day) for b in no_shows) == [
        ("Adam", WEDNESDAY),
        ("Lina", MONDAY),
        ("Lina", WEDNESDAY),
    ]
