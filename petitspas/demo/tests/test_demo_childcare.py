"""The demo's childcare on referral: the three prescribers linked to Les Petits Pas, and
referrals in every state, loaded through the services (so every rule holds)."""

import datetime

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.childcare.models import Booking, ChildcareSlot, Enrolment, Referral, State
from petitspas.childcare.selectors_bookings import turning_three, under_minimum
from petitspas.demo.tests.test_load_demo import load, loaded, loaded_once  # noqa: F401
from petitspas.organisations.models import ProgrammePrescriber

pytestmark = pytest.mark.django_db


def test_referrals_in_every_state_and_prescribers_linked(loaded):  # noqa: F811
    assert set(Referral.objects.values_list("state", flat=True)) == set(State.values)
    assert Referral.objects.overdue().count() == 1
    assert ProgrammePrescriber.objects.filter(programme__name="Les Petits Pas").count() == 3
    assert Enrolment.objects.filter(referral__state=State.ACCEPTED).count() == 9
    assert Enrolment.objects.filter(referral__state=State.ENDED, ends_on__isnull=False).count() == 1


def test_loading_twice_adds_no_referral(loaded):  # noqa: F811
    before = Referral.objects.count()
    load()
    assert Referral.objects.count() == before


def test_bookings_over_past_months_and_next_weeks(loaded):  # noqa: F811
    today = timezone.localdate()
    days = Booking.objects.active().values_list("slot__day", flat=True)
    assert min(days) < today - datetime.timedelta(days=60)
    assert max(days) > today + datetime.timedelta(days=7)
    full = ChildcareSlot.objects.annotate(
        n=Count("bookings", filter=Q(bookings__state="booked")),
        regular=Count("bookings", filter=Q(bookings__state="booked", bookings__kind="regular")),
    ).filter(n=7)
    assert full.exists()
    assert (
        not ChildcareSlot.objects.annotate(
            regular=Count("bookings", filter=Q(bookings__state="booked", bookings__kind="regular"))
        )
        .filter(regular__gt=6)
        .exists()
    )
    coordinator = User.objects.get(email="coordination@lunel.demo")
    assert [e.child.first_name for e, _n in under_minimum(user=coordinator, month=today)] == [
        "Ilyes"
    ]
    assert [e.child.first_name for e, _d in turning_three(user=coordinator)] == ["Nina"]
