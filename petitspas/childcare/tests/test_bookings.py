"""The seed's rules for half-day bookings at Lunel, with its numbers: 6 regular places and
1 settling-in or emergency place, children of 3 months to 3 years, closed on Friday
afternoons and public holidays, at least two half-days a month."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError

from petitspas.childcare import services_bookings as bookings
from petitspas.childcare.hooks import MonthUsage
from petitspas.childcare.models import Booking, BookingKind, State, WaitingEntry
from petitspas.childcare.selectors import referral_outcome
from petitspas.childcare.selectors_bookings import (
    monthly_occupancy,
    site_week,
    turning_three,
    under_minimum,
)
from petitspas.childcare.tests.conftest import MONDAY
from petitspas.childcare.tests.factories import enrol
from petitspas.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + datetime.timedelta(days=1)
FRIDAY = MONDAY + datetime.timedelta(days=4)
EASTER_MONDAY = datetime.date(2025, 4, 21)


def child(lunel, n=0, *, months=14, **kwargs):
    kwargs.setdefault("starts_on", MONDAY)
    return enrol(
        lunel.programme,
        first_name=kwargs.pop("first_name", f"Enfant{n}"),
        birth_date=kwargs.pop("birth_date", MONDAY - relativedelta(months=months)),
        **kwargs,
    )


def book(lunel, enrolment, day=TUESDAY, half_day="am", kind=BookingKind.REGULAR, **kwargs):
    return bookings.booking_create(
        enrolment=enrolment,
        site=kwargs.pop("site", lunel.site),
        day=day,
        half_day=half_day,
        kind=kind,
        reason=kwargs.pop("reason", "job_interview"),
        by=kwargs.pop("by", lunel.coordinator),
    )


def fill(lunel, regular=6, extra=0, day=TUESDAY, half_day="am"):
    made = []
    for n in range(regular):
        made.append(book(lunel, child(lunel, n), day, half_day))
    for n in range(extra):
        made.append(book(lunel, child(lunel, 100 + n), day, half_day, kind=BookingKind.EMERGENCY))
    return made


def refusal(call):
    with pytest.raises(ValidationError) as error:
        call()
    return error.value


def test_a_booking_is_logged_with_its_appointment(lunel):
    enrolment = child(lunel)
    booking = book(lunel, enrolment, reason="plie_workshop")
    assert booking.state == Booking.State.BOOKED
    assert booking.reason == "plie_workshop"
    entry = AuditEntry.objects.get(action="booking.create")
    assert entry.target_id == str(booking.pk)
    assert entry.organisation == lunel.organisation


def test_six_regular_places_then_the_seventh_only_for_settling_in_or_emergency(lunel):
    fill(lunel, regular=6)
    seventh = child(lunel, 7, settling_in_until=TUESDAY)
    error = refusal(lambda: book(lunel, seventh))
    assert error.code == bookings.FULL
    assert "6 places régulières" in error.messages[0]
    assert "7e place ne prend qu'une adaptation ou une urgence" in error.messages[0]
    assert book(lunel, seventh, kind=BookingKind.SETTLING_IN).kind == BookingKind.SETTLING_IN
    eighth = child(lunel, 8)
    error = refusal(lambda: book(lunel, eighth, kind=BookingKind.EMERGENCY))
    assert error.code == bookings.FULL
    assert error.messages == [
        "Complet : les 7 places du mardi 11 mars 2025 matin sont prises "
        "(Accueil de loisirs du parc)."
    ]
    assert Booking.objects.active().count() == 7


def test_emergencies_take_the_seventh_place_first_then_regular_ones(lunel):
    fill(lunel, regular=5, extra=2)
    # 5 regular + 2 emergencies: the 7th place and one regular place; none is left.
    error = refusal(lambda: book(lunel, child(lunel, 9)))
    assert error.code == bookings.FULL
    error = refusal(lambda: book(lunel, child(lunel, 10), kind=BookingKind.EMERGENCY))
    assert "les 7 places" in error.messages[0]


def test_ages_three_months_and_three_years_on_the_day(lunel):
    two_months = child(lunel, 1, birth_date=TUESDAY - relativedelta(months=2))
    error = refusal(lambda: book(lunel, two_months))
    assert error.code == bookings.NOT_ELIGIBLE
    assert error.messages == [
        "Enfant1 n'aura que 2 mois le 11 mars 2025 : l'accueil commence à 3 mois."
    ]
    three_months = child(lunel, 2, birth_date=TUESDAY - relativedelta(months=3))
    assert book(lunel, three_months)
    three_years_and_a_day = child(
        lunel, 3, birth_date=TUESDAY - relativedelta(years=3, days=1), starts_on=MONDAY
    )
    error = refusal(lambda: book(lunel, three_years_and_a_day))
    assert error.messages == [
        "Enfant3 aura 3 ans le 11 mars 2025 : l'accueil s'arrête le jour de ses 3 ans."
    ]
    # The day before their third birthday is the last one.
    turning = child(
        lunel, 4, birth_date=TUESDAY + datetime.timedelta(days=1) - relativedelta(years=3)
    )
    assert book(lunel, turning)
    error = refusal(lambda: book(lunel, turning, day=TUESDAY + datetime.timedelta(days=1)))
    assert "le jour de ses 3 ans" in error.messages[0]


def test_closed_half_days_are_refused_with_the_calendars_reason(lunel):
    enrolment = child(lunel, starts_on=MONDAY, ends_on=datetime.date(2025, 6, 30))
    error = refusal(lambda: book(lunel, enrolment, day=FRIDAY, half_day="pm"))
    assert error.code == bookings.CLOSED
    assert error.messages == [
        "Accueil de loisirs du parc est fermé le vendredi 14 mars 2025 après-midi : "
        "Pas d'ouverture ce jour."
    ]
    error = refusal(lambda: book(lunel, enrolment, day=EASTER_MONDAY))
    assert error.code == bookings.CLOSED
    assert "Jour férié : Lundi de Pâques" in error.messages[0]
    assert book(lunel, enrolment, day=FRIDAY, half_day="am")
    assert not Booking.objects.filter(slot__half_day="pm", slot__day=FRIDAY).exists()


def test_the_same_child_twice_on_a_half_day_is_refused(lunel):
    enrolment = child(lunel)
    book(lunel, enrolment)
    error = refusal(lambda: book(lunel, enrolment, kind=BookingKind.EMERGENCY))
    assert error.code == bookings.ALREADY
    assert error.messages == ["Enfant0 a déjà une place le mardi 11 mars 2025 matin."]
    assert book(lunel, enrolment, half_day="pm")


def test_the_enrolment_and_the_referral_must_be_active(lunel):
    later = child(lunel, 1, starts_on=MONDAY + datetime.timedelta(days=14))
    error = refusal(lambda: book(lunel, later))
    assert error.code == bookings.NOT_ELIGIBLE
    assert "ne couvre pas le 11 mars 2025 (à partir du 24 mars 2025)" in error.messages[0]
    ended = child(lunel, 2)
    ended.referral.state = State.ENDED
    ended.referral.save()
    error = refusal(lambda: book(lunel, ended))
    assert error.messages == [
        "L'orientation de Enfant2 est « Terminée » : plus de réservation possible."
    ]


def test_settling_in_only_during_the_settling_in_period(lunel):
    enrolment = child(lunel, settling_in_until=MONDAY)
    error = refusal(lambda: book(lunel, enrolment, kind=BookingKind.SETTLING_IN))
    assert "L'adaptation de Enfant0 s'est terminée le 10 mars 2025" in error.messages[0]


def test_only_the_programmes_coordinators_book(lunel, alice):
    enrolment = child(lunel)
    with pytest.raises(PermissionDenied):
        book(lunel, enrolment, by=alice.coordinator)
    with pytest.raises(PermissionDenied):
        book(lunel, enrolment, by=lunel.professional)
    with pytest.raises(ValidationError):
        book(lunel, enrolment, site=alice.site)


def test_bad_reason_or_kind_is_refused_and_nothing_saved(lunel):
    enrolment = child(lunel)
    error = refusal(lambda: book(lunel, enrolment, reason="shopping"))
    assert error.message_dict == {"reason": ["Choisissez le rendez-vous du parent."]}
    error = refusal(lambda: book(lunel, enrolment, kind="vip"))
    assert "kind" in error.message_dict
    assert not Booking.objects.exists()


def test_cancelling_gives_the_place_to_the_first_in_line(lunel, travel):
    made = fill(lunel, regular=6, extra=1)
    first = child(lunel, 20, first_name="Premier")
    second = child(lunel, 21, first_name="Second")
    regular_late = bookings.waiting_entry_create(
        enrolment=first,
        site=lunel.site,
        day=TUESDAY,
        half_day="am",
        reason="training",
        by=lunel.coordinator,
    )
    travel(MONDAY + datetime.timedelta(hours=1))
    bookings.waiting_entry_create(
        enrolment=second,
        site=lunel.site,
        day=TUESDAY,
        half_day="am",
        kind=BookingKind.EMERGENCY,
        reason="training",
        by=lunel.coordinator,
    )
    # The emergency booking leaves: the freed 7th place cannot go to a regular request,
    # so the first in line who fits (the emergency) takes it.
    offered = bookings.booking_cancel(booking=made[-1], by=lunel.coordinator)
    assert offered.enrolment == second and offered.from_waiting_list
    # A regular booking leaves: the first in line takes it.
    offered = bookings.booking_cancel(booking=made[0], by=lunel.coordinator)
    assert offered.enrolment == first
    regular_late.refresh_from_db()
    assert regular_late.state == WaitingEntry.State.BOOKED
    assert Booking.objects.active().count() == 7
    assert AuditEntry.objects.filter(action="booking.offer").count() == 2
    error = refusal(lambda: bookings.booking_cancel(booking=made[0], by=lunel.coordinator))
    assert error.messages == ["Cette réservation est déjà annulée."]


def test_waiting_only_when_full(lunel):
    enrolment = child(lunel)
    error = refusal(
        lambda: bookings.waiting_entry_create(
            enrolment=enrolment,
            site=lunel.site,
            day=TUESDAY,
            half_day="am",
            reason="training",
            by=lunel.coordinator,
        )
    )
    assert "Il reste une place" in error.messages[0]


def test_the_reference_week_is_booked_over_a_period(lunel):
    # Tuesday and Thursday mornings and Friday afternoon (never open) for two weeks, the
    # first week in settling-in.
    enrolment = child(
        lunel,
        settling_in_until=MONDAY + datetime.timedelta(days=6),
        reference_week=("1am", "3am", "4pm"),
    )
    fill(lunel, regular=6, day=MONDAY + datetime.timedelta(days=8))  # next Tuesday full
    result = bookings.bookings_for_reference_week(
        enrolment=enrolment,
        starts_on=MONDAY,
        ends_on=MONDAY + datetime.timedelta(days=13),
        reason="training",
        by=lunel.coordinator,
    )
    assert [(b.slot.day.day, b.kind) for b in result.booked] == [
        (11, BookingKind.SETTLING_IN),
        (13, BookingKind.SETTLING_IN),
        (20, BookingKind.REGULAR),
    ]
    labels = [label for label, _reason in result.refused]
    assert labels == [
        "vendredi 14 mars 2025 après-midi",
        "mardi 18 mars 2025 matin",
        "vendredi 21 mars 2025 après-midi",
    ]
    assert result.refused[0][1] == "fermé : Pas d'ouverture ce jour"
    assert result.refused[1][1].startswith("Complet pour une place régulière")


def test_week_grid_counts_places_and_shows_closed_half_days(lunel):
    fill(lunel, regular=6, extra=1)
    days = site_week(lunel.site, MONDAY)
    assert [d.weekday() for d, _cells in days] == [0, 1, 2, 3, 4]
    tuesday_am = days[1][1][0]
    assert (tuesday_am.places.taken, tuesday_am.places.extra_taken, tuesday_am.is_full) == (
        7,
        1,
        True,
    )
    friday_pm = days[4][1][1]
    assert not friday_pm.is_open and friday_pm.status.reason == "Pas d'ouverture ce jour"


def test_under_minimum_and_turning_three_lists(lunel, travel):
    travel(MONDAY)
    twice = child(lunel, 1, first_name="Deux")
    once = child(lunel, 2, first_name="Une")
    book(lunel, twice)
    book(lunel, twice, half_day="pm")
    book(lunel, once)
    never = child(lunel, 3, first_name="Aucune")
    rows = under_minimum(user=lunel.coordinator, month=MONDAY)
    assert [(e.child.first_name, n) for e, n in rows] == [("Aucune", 0), ("Une", 1)]
    birthday_in_30 = MONDAY + datetime.timedelta(days=30) - relativedelta(years=3)
    soon = child(lunel, 4, first_name="Bientôt", birth_date=birthday_in_30)
    child(lunel, 5, first_name="Plus tard", birth_date=birthday_in_30 + datetime.timedelta(days=1))
    assert [(e.child.first_name, d) for e, d in turning_three(user=lunel.coordinator)] == [
        ("Bientôt", MONDAY + datetime.timedelta(days=30))
    ]
    assert soon and never
    occupancy = monthly_occupancy(sites=[lunel.site], month=MONDAY)[0]
    # March 2025: 21 weekdays, 4 Friday afternoons closed = 38 open half-days.
    assert (occupancy.open_half_days, occupancy.places, occupancy.booked) == (38, 266, 3)


def test_the_prescriber_reads_half_days_booked_and_used(lunel, travel):
    enrolment = child(lunel)
    book(lunel, enrolment)
    book(lunel, enrolment, day=MONDAY + datetime.timedelta(days=3))
    travel(MONDAY + datetime.timedelta(days=2))
    outcome = referral_outcome(enrolment.referral)
    assert outcome.children[0].usage == MonthUsage(booked=2, used=1)
