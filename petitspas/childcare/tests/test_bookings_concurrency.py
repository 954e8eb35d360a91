"""Twenty requests for the last place of a half-day at once, on PostgreSQL (SQLite runs
one write transaction at a time: there the requests cannot overlap). Each request runs in
its own thread and connection, through the API; exactly one gets the place."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from petitspas.accounts.services import api_token_create
from petitspas.childcare.models import Booking, BookingKind
from petitspas.childcare.tests.test_bookings import TUESDAY, child, fill

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections with row locks"
    ),
]

REQUESTS = 20


def test_twenty_requests_for_the_last_place_give_one_booking(lunel, settings):
    settings.RATELIMIT_API = "1000/m"
    fill(lunel, regular=6)  # 6 regular places taken: only the 7th is left
    enrolments = [child(lunel, 200 + n) for n in range(REQUESTS)]
    token = api_token_create(user=lunel.coordinator, name="concurrence")[1]
    url = reverse("api:booking_create")
    barrier = threading.Barrier(REQUESTS)
    answers = [None] * REQUESTS

    def request(index):
        try:
            barrier.wait(10)
            response = Client().post(
                url,
                {
                    "enrolment_id": enrolments[index].pk,
                    "site_id": lunel.site.pk,
                    "day": TUESDAY.isoformat(),
                    "half_day": "am",
                    "kind": BookingKind.EMERGENCY,
                    "reason": "job_interview",
                },
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            answers[index] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    statuses = sorted(status for status, _body in answers)
    assert statuses == [201] + [409] * (REQUESTS - 1)
    refusals = [body for status, body in answers if status == 409]
    assert all(body["code"] == "full" for body in refusals)
    assert all(body["detail"].startswith("Complet : les 7 places") for body in refusals)
    assert Booking.objects.active().count() == 7
    assert Booking.objects.active().filter(kind=BookingKind.REGULAR).count() == 6
