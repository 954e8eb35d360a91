"""Arrival, departure and absence of a booked child, and the month's hours planned and
actual, with Lunel's hours: mornings 8:30–12:15 (3 h 45), afternoons 13:30–17:00 (3 h 30)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from petitspas.childcare import services_bookings
from petitspas.childcare.hooks import MonthUsage
from petitspas.childcare.models import AbsenceReason, Booking, BookingKind
from petitspas.childcare.selectors import referral_outcome
from petitspas.childcare.selectors_presence import (
    age_in_months,
    hours_label,
    month_hours,
    programme_month_hours,
    today_half_days,
)
from petitspas.childcare.services_presence import (
    booking_check_in,
    booking_check_out,
    booking_mark_absent,
    booking_presence_undo,
)
from petitspas.childcare.tests.conftest import MONDAY
from petitspas.childcare.tests.test_bookings import TUESDAY, book, child
from petitspas.core.audit import action_sentence
from petitspas.core.models import AuditEntry

pytestmark = pytest.mark.django_db

WEDNESDAY = MONDAY + datetime.timedelta(days=2)
THURSDAY = MONDAY + datetime.timedelta(days=3)
FRIDAY = MONDAY + datetime.timedelta(days=4)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


def test_arrival_and_departure_are_noted_at_the_time_of_the_tap_and_logged(lunel, travel):
    lina = book(lunel, child(lunel, first_name="Lina"))
    travel(at(TUESDAY, 8, 42))
    booking_check_in(booking=lina, by=lunel.professional)
    travel(at(TUESDAY, 12, 10))
    booking_check_out(booking=lina, by=lunel.professional)
    lina.refresh_from_db()
    assert timezone.localtime(lina.checked_in_at).time() == datetime.time(8, 42)
    assert timezone.localtime(lina.checked_out_at).time() == datetime.time(12, 10)
    entries = AuditEntry.objects.filter(action__startswith="booking.check").order_by("pk")
    assert [e.action for e in entries] == ["booking.check_in", "booking.check_out"]
    assert all(
        e.actor == lunel.professional and e.organisation == lunel.organisation for e in entries
    )
    assert action_sentence(entries[0].action, entries[0].target_repr) == (
        f"a noté l'arrivée d'un enfant : {lina}"
    )


def test_refusals_say_why_in_french_and_change_nothing(lunel, travel):
    lina = book(lunel, child(lunel, first_name="Lina"))
    # Monday: the booking is for Tuesday.
    assert refusal(lambda: booking_check_in(booking=lina, by=lunel.professional)) == (
        "La demi-journée de Lina est le mardi 11 mars 2025 : l'arrivée et le départ se notent "
        "ce jour-là."
    )
    assert refusal(lambda: booking_mark_absent(booking=lina, reason="sick", by=lunel.coordinator))
    travel(at(TUESDAY, 8, 35))
    assert refusal(lambda: booking_check_out(booking=lina, by=lunel.professional)) == (
        "Lina n'est pas encore arrivé(e) : notez l'arrivée avant le départ."
    )
    booking_check_in(booking=lina, by=lunel.professional)
    assert refusal(lambda: booking_check_in(booking=lina, by=lunel.professional)) == (
        "Lina est déjà arrivé(e), à 8 h 35."
    )
    assert (
        refusal(lambda: booking_mark_absent(booking=lina, reason="sick", by=lunel.professional))
        == "Lina est arrivé(e) à 8 h 35 : annulez l'arrivée avant de noter une absence."
    )
    travel(at(TUESDAY + datetime.timedelta(days=1), 9, 0))
    assert "se notent ce jour-là" in refusal(
        lambda: booking_check_out(booking=lina, by=lunel.professional)
    )
    lina.refresh_from_db()
    assert lina.checked_out_at is None and lina.absence == ""
    assert AuditEntry.objects.filter(action__startswith="booking.check").count() == 1


def test_a_cancelled_booking_takes_no_arrival(lunel, travel):
    lina = book(lunel, child(lunel, first_name="Lina"))
    services_bookings.booking_cancel(booking=lina, by=lunel.coordinator)
    travel(at(TUESDAY, 8, 35))
    assert refusal(lambda: booking_check_in(booking=lina, by=lunel.professional)) == (
        "La réservation de Lina est annulée : rien à noter."
    )
    assert Booking.objects.get(pk=lina.pk).checked_in_at is None


def test_an_absence_instead_of_an_arrival_with_its_reason(lunel, travel):
    lina = book(lunel, child(lunel, first_name="Lina"))
    travel(at(TUESDAY, 9, 0))
    assert refusal(
        lambda: booking_mark_absent(booking=lina, reason="vacances", by=lunel.professional)
    ) == ("Choisissez le motif de l'absence : malade, absence prévenue ou absence sans prévenir.")
    booking_mark_absent(booking=lina, reason=AbsenceReason.SICK, by=lunel.professional)
    assert Booking.objects.get(pk=lina.pk).absence == "sick"
    assert refusal(lambda: booking_check_in(booking=lina, by=lunel.professional)) == (
        "Lina est noté(e) absent(e) (malade) : annulez l'absence avant de noter l'arrivée."
    )
    entry = AuditEntry.objects.get(action="booking.absence")
    assert entry.details == {"reason": "sick"}


def test_undo_takes_back_the_last_tap(lunel, travel):
    lina = book(lunel, child(lunel, first_name="Lina"))
    travel(at(TUESDAY, 8, 35))
    assert refusal(lambda: booking_presence_undo(booking=lina, by=lunel.professional)) == (
        "Rien à annuler pour Lina : ni arrivée, ni départ, ni absence."
    )
    booking_check_in(booking=lina, by=lunel.professional)
    booking_check_out(booking=lina, by=lunel.professional)  # a wrong tap, at 8:35
    assert booking_presence_undo(booking=lina, by=lunel.professional) == "départ"
    travel(at(TUESDAY, 12, 14))
    booking_check_out(booking=lina, by=lunel.professional)
    lina.refresh_from_db()
    assert timezone.localtime(lina.checked_out_at).time() == datetime.time(12, 14)
    assert booking_presence_undo(booking=lina, by=lunel.professional) == "départ"
    assert booking_presence_undo(booking=lina, by=lunel.professional) == "arrivée"
    booking_mark_absent(booking=lina, reason="notified", by=lunel.professional)
    assert booking_presence_undo(booking=lina, by=lunel.professional) == "absence"
    lina.refresh_from_db()
    assert (lina.checked_in_at, lina.checked_out_at, lina.absence) == (None, None, "")
    assert AuditEntry.objects.filter(action="booking.presence_undo").count() == 4


def test_only_the_organisations_staff_note_presence(lunel, agency, alice, travel):
    lina = book(lunel, child(lunel, first_name="Lina"))
    travel(at(TUESDAY, 8, 35))
    for outsider in (agency.prescriber, alice.professional, alice.admin):
        with pytest.raises(PermissionDenied):
            booking_check_in(booking=lina, by=outsider)
    for member in (lunel.professional, lunel.coordinator, lunel.admin):
        booking_check_in(booking=lina, by=member)
        booking_presence_undo(booking=lina, by=member)


def test_the_database_refuses_a_departure_without_arrival_or_an_absent_arrival(lunel):
    lina = book(lunel, child(lunel, first_name="Lina"))
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=lina.pk).update(checked_out_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=lina.pk).update(checked_in_at=now, absence="sick")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=lina.pk).update(
            checked_in_at=now, checked_out_at=now - datetime.timedelta(minutes=1)
        )


def test_month_hours_planned_and_actual_with_lunels_hours(lunel, travel):
    lina = child(lunel, first_name="Lina", settling_in_until=TUESDAY)
    morning = book(lunel, lina, kind=BookingKind.SETTLING_IN)
    afternoon = book(lunel, lina, half_day="pm", kind=BookingKind.SETTLING_IN)
    sick = book(lunel, lina, day=WEDNESDAY)
    no_notice = book(lunel, lina, day=THURSDAY)
    book(lunel, lina, day=FRIDAY)  # nothing noted: a no-show once past
    no_departure = book(lunel, lina, day=NEXT_MONDAY)
    cancelled = book(lunel, lina, day=NEXT_MONDAY + datetime.timedelta(days=1))
    services_bookings.booking_cancel(booking=cancelled, by=lunel.coordinator)
    other = child(lunel, first_name="Adam")
    book(lunel, other, day=FRIDAY)

    by = lunel.professional
    travel(at(TUESDAY, 8, 40))
    booking_check_in(booking=morning, by=by)
    travel(at(TUESDAY, 12, 10))
    booking_check_out(booking=morning, by=by)  # 3 h 30
    travel(at(TUESDAY, 13, 35))
    booking_check_in(booking=afternoon, by=by)
    travel(at(TUESDAY, 16, 50))
    booking_check_out(booking=afternoon, by=by)  # 3 h 15
    travel(at(WEDNESDAY, 8, 0))
    booking_mark_absent(booking=sick, reason="sick", by=by)
    travel(at(THURSDAY, 11, 0))
    booking_mark_absent(booking=no_notice, reason="no_notice", by=by)
    travel(at(NEXT_MONDAY, 8, 30))
    booking_check_in(booking=no_departure, by=by)
    travel(at(NEXT_MONDAY + datetime.timedelta(days=3), 10, 0))

    row, adam = month_hours([lina, other], MONDAY)
    # Planned: 5 mornings of 3 h 45 and 1 afternoon of 3 h 30 = 22 h 15.
    assert (row.booked, row.planned_minutes, row.planned) == (6, 1335, "22 h 15")
    # Actual: 3 h 30 + 3 h 15 = 6 h 45; the arrival without departure counts apart.
    assert (row.used, row.actual_minutes, row.actual, row.no_departure) == (3, 405, "6 h 45", 1)
    assert (row.sick, row.notified, row.no_notice, row.absent, row.no_shows) == (1, 0, 1, 2, 1)
    assert (adam.booked, adam.used, adam.no_shows, adam.planned) == (1, 0, 1, "3 h 45")
    # The coordinator's view of the programme, by first name; nothing in April.
    names = [
        r.enrolment.child.first_name
        for r in programme_month_hours(user=lunel.coordinator, month=MONDAY)
    ]
    assert names == ["Adam", "Lina"]
    april = month_hours([lina], datetime.date(2025, 4, 1))[0]
    assert (april.booked, april.planned_minutes) == (0, 0)
    # The prescriber reads the half-days used: the arrivals noted.
    usage = referral_outcome(lina.referral).children[0].usage
    assert usage == MonthUsage(booked=6, used=3)


def test_a_half_day_not_yet_past_is_no_no_show(lunel, travel):
    lina = child(lunel, first_name="Lina")
    book(lunel, lina)
    travel(at(TUESDAY, 9, 0))
    assert month_hours([lina], MONDAY)[0].no_shows == 0
    travel(at(WEDNESDAY, 9, 0))
    assert month_hours([lina], MONDAY)[0].no_shows == 1


def test_the_days_children_per_site_and_half_day(lunel, travel):
    lina = child(lunel, first_name="Lina", months=14, settling_in_until=TUESDAY)
    adam = child(lunel, first_name="Adam", months=30)
    book(lunel, lina, kind=BookingKind.SETTLING_IN)
    book(lunel, adam)
    book(lunel, adam, half_day="pm", reason="training")
    book(lunel, lina, day=WEDNESDAY)
    travel(at(TUESDAY, 8, 0))
    groups = today_half_days(user=lunel.professional, day=TUESDAY)
    assert [(g.half_day, g.opens_at, g.closes_at) for g in groups] == [
        ("am", datetime.time(8, 30), datetime.time(12, 15)),
        ("pm", datetime.time(13, 30), datetime.time(17, 0)),
    ]
    morning = groups[0]
    assert [(r.booking.enrolment.child.first_name, r.age_months) for r in morning.rows] == [
        ("Adam", 30),
        ("Lina", 14),
    ]
    assert [r.is_extra for r in morning.rows] == [False, True]
    assert (morning.expected, morning.present) == (2, 0)
    booking_check_in(booking=morning.rows[1].booking, by=lunel.professional)
    morning = today_half_days(user=lunel.professional, day=TUESDAY)[0]
    assert (morning.expected, morning.present, morning.rows[1].state) == (1, 1, "present")


def test_nobody_else_reads_the_days_children(lunel, agency, alice, funder, travel):
    book(lunel, child(lunel, first_name="Lina"))
    travel(at(TUESDAY, 8, 0))
    assert today_half_days(user=lunel.coordinator, day=TUESDAY)
    for user in (agency.prescriber, alice.professional, alice.coordinator, funder):
        assert today_half_days(user=user, day=TUESDAY) == []


def test_ages_in_months_and_hours_labels():
    born = datetime.date(2024, 1, 10)
    assert age_in_months(born, datetime.date(2025, 3, 9)) == 13
    assert age_in_months(born, datetime.date(2025, 3, 10)) == 14
    assert age_in_months(born, datetime.date(2023, 12, 1)) is None
    assert age_in_months(None, datetime.date(2025, 3, 10)) is None
    assert [hours_label(m) for m in (0, 210, 225, 1335)] == ["0 h", "3 h 30", "3 h 45", "22 h 15"]


def test_the_familys_export_holds_arrivals_departures_and_absences(lunel, travel):
    from petitspas.privacy.services import household_export

    lina = child(lunel, first_name="Lina")
    came = book(lunel, lina)
    absent = book(lunel, lina, half_day="pm")
    travel(at(TUESDAY, 8, 40))
    booking_check_in(booking=came, by=lunel.professional)
    travel(at(TUESDAY, 12, 10))
    booking_check_out(booking=came, by=lunel.professional)
    booking_mark_absent(booking=absent, reason="sick", by=lunel.professional)
    household = lina.referral.household
    [referral] = household_export(household=household, by=lunel.coordinator)["referrals"]
    bookings = referral["enrolments"][0]["bookings"]
    assert [(b["half_day"], b["arrived_at"], b["left_at"], b["absence"]) for b in bookings] == [
        ("matin", "2025-03-11T07:40:00+00:00", "2025-03-11T11:10:00+00:00", None),
        ("après-midi", None, None, "Malade"),
    ]
