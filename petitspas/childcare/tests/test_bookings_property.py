"""Whatever sequence of bookings, waiting-list entries and cancellations a half-day sees,
it never holds more than 6 + 1 children, nor a regular booking on the 7th place, and a
booking is refused exactly when the seed's rule says so."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from petitspas.childcare import services_bookings as bookings
from petitspas.childcare.models import Booking, BookingKind
from petitspas.childcare.tests.test_bookings import TUESDAY, child

pytestmark = pytest.mark.django_db

CHILDREN = 10
KINDS = [BookingKind.REGULAR, BookingKind.SETTLING_IN, BookingKind.EMERGENCY]

operations = st.lists(
    st.tuples(
        st.sampled_from(["book", "wait", "cancel"]),
        st.integers(0, CHILDREN - 1),
        st.sampled_from(KINDS),
    ),
    max_size=30,
)


@pytest.fixture
def enrolments(lunel):
    # Everyone still in settling-in on the day, so that every kind is allowed.
    return [child(lunel, n, settling_in_until=TUESDAY) for n in range(CHILDREN)]


def counts():
    active = Booking.objects.active().filter(slot__day=TUESDAY)
    regular = active.filter(kind=BookingKind.REGULAR).count()
    return regular, active.count() - regular


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_no_sequence_exceeds_six_plus_one(lunel, enrolments, ops):
    with transaction.atomic():
        for op, index, kind in ops:
            enrolment = enrolments[index]
            regular, extra = counts()
            args = {
                "enrolment": enrolment,
                "site": lunel.site,
                "day": TUESDAY,
                "half_day": "am",
                "kind": kind,
                "reason": "training",
                "by": lunel.coordinator,
            }
            if op == "cancel":
                booking = (
                    Booking.objects.active().filter(slot__day=TUESDAY, enrolment=enrolment).first()
                )
                if booking:
                    bookings.booking_cancel(booking=booking, by=lunel.coordinator)
            else:
                already = Booking.objects.active().filter(enrolment=enrolment).exists()
                fits = regular + extra < 7 and (kind != BookingKind.REGULAR or regular < 6)
                service = bookings.booking_create if op == "book" else bookings.waiting_entry_create
                try:
                    service(**args)
                except ValidationError:
                    succeeded = False
                else:
                    succeeded = True
                if op == "book":
                    assert succeeded == (fits and not already), (regular, extra, kind, already)
            regular, extra = counts()
            assert regular + extra <= 7
            assert regular <= 6
        transaction.set_rollback(True)
