"""Requests for the same half-day at once, on PostgreSQL (SQLite runs one write
transaction at a time: there the requests cannot overlap). Each request runs in its own
thread and connection, through the API or the half-day page: the places go to as many
requests as there are places, never more, and the others are told "complet"."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from petitspas.accounts.services import api_token_create
from petitspas.accounts.tests.mfa import SignInClient
from petitspas.childcare.models import Booking, BookingKind, ChildcareSlot
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


def test_requests_at_once_on_a_half_day_never_booked_take_its_six_regular_places(lunel, agency):
    """The first bookings of a half-day create its row: twelve at once through the page
    (each with its own session, as twelve desks) give six bookings and six "complet", and
    none a server error (two requests inserting the row at once: one waits on the unique
    index, then locks the row the other made)."""
    requests = 12
    enrolments = [child(lunel, 300 + n) for n in range(requests)]
    url = reverse("childcare:half-day", kwargs={"site_pk": lunel.site.pk})
    url = f"{url}?jour={TUESDAY:%Y-%m-%d}&demi=pm"
    clients = []
    for _ in range(requests):
        client = SignInClient()
        client.force_login(lunel.coordinator)
        clients.append(client)
    barrier = threading.Barrier(requests)
    answers = [None] * requests

    def request(index):
        try:
            barrier.wait(10)
            response = clients[index].post(
                url,
                {
                    "enrolment": enrolments[index].pk,
                    "kind": BookingKind.REGULAR,
                    "reason": "training",
                    "action": "reserver",
                },
            )
            answers[index] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(status for status, _body in answers) == [302] * 6 + [409] * 6
    assert all(
        "Complet pour une place régulière : les 6 places régulières du mardi 11 mars 2025 "
        "après-midi sont prises" in body
        for status, body in answers
        if status == 409
    )
    assert ChildcareSlot.objects.filter(day=TUESDAY, half_day="pm").count() == 1
    assert Booking.objects.active().filter(slot__half_day="pm").count() == 6
