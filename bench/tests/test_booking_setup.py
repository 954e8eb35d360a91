"""The last-place measurement's setup (``bench.measure_booking.prepare``), at the test
scale: childcare written through the services, and a half-day with exactly one place
left that every contender may take."""

import datetime

import pytest

from bench import measure_booking
from bench.measure_booking import _save_vs_bare, prepare
from bench.results import Recorder
from bench.subjects import find_subjects
from bench.territory import generate_territory
from petitspas.childcare.models import CAPACITY, Booking, BookingKind, ChildcareSlot, State
from petitspas.childcare.services_bookings import eligibility_error, places_of
from petitspas.demo.consistency import rule_violations
from petitspas.places.calendar import SiteCalendar

TODAY = datetime.date(2026, 11, 25)  # a Wednesday, inside the published school calendar


def test_prepare_leaves_exactly_one_place_that_each_contender_may_take(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0), tick=False)
    generate_territory(scale="test", seed=3, today=TODAY, out=lambda _line: None)
    childcare = prepare(find_subjects(), contenders=4)

    slot = childcare.contested
    assert slot.day > TODAY
    assert SiteCalendar.for_site(childcare.site).status(slot.day, slot.half_day).opening
    places = places_of(slot)
    assert (places.regular, places.extra, places.left) == (5, 1, 1)
    assert places.takes(BookingKind.REGULAR)
    booked = Booking.objects.filter(slot=slot).active()
    assert booked.count() == CAPACITY - 1
    assert set(booked.values_list("enrolment", flat=True)) == {e.pk for e in childcare.filled_by}
    assert len(childcare.contenders) == 4
    for enrolment in childcare.contenders:
        assert enrolment.referral.state == State.ACCEPTED
        assert eligibility_error(enrolment, slot.day) == ""
    # The spare half-days of the save's measurement are open and free.
    assert len(childcare.spare_half_days) >= 43
    assert (slot.day, slot.half_day) not in childcare.spare_half_days
    assert rule_violations(today=TODAY) == []

    # Run again on the same database, it takes the next free half-day.
    again = prepare(find_subjects(), contenders=4)
    assert again.contested.pk != slot.pk
    assert places_of(again.contested).left == 1
    assert places_of(slot).left == 1


def test_the_save_s_measurement_frees_its_half_days_and_runs_again(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0), tick=False)
    generate_territory(scale="test", seed=3, today=TODAY, out=lambda _line: None)
    childcare = prepare(find_subjects(), contenders=4)
    slots_before = set(ChildcareSlot.objects.values_list("pk", flat=True))
    bookings_before = set(Booking.objects.values_list("pk", flat=True))

    for _ in range(2):
        recorder = Recorder(database="SQLite", scale="test", out=lambda _line: None)
        _save_vs_bare(recorder, childcare)
        saved = {m.name: m.value for m in recorder.measurements}
        assert saved["booking.save.p95"] > 0
        assert set(ChildcareSlot.objects.values_list("pk", flat=True)) == slots_before
        assert set(Booking.objects.values_list("pk", flat=True)) == bookings_before


def test_prepare_says_when_no_half_day_is_left(db, time_machine, monkeypatch):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0), tick=False)
    generate_territory(scale="test", seed=3, today=TODAY, out=lambda _line: None)
    monkeypatch.setattr(measure_booking, "_open_half_days", lambda site, today: [])

    with pytest.raises(RuntimeError, match="no open half-day left"):
        prepare(find_subjects(), contenders=4)
