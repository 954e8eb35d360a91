import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from petitspas.accounts.services import api_token_create
from petitspas.childcare.models import Booking
from petitspas.childcare.tests.conftest import MONDAY
from petitspas.childcare.tests.factories import enrol
from petitspas.childcare.tests.test_bookings import TUESDAY, child, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(lunel):
    token = api_token_create(user=lunel.coordinator, name="script")[1]
    return {"Authorization": f"Bearer {token}"}


def post(client, headers, enrolment, site, day=TUESDAY, half_day="am", kind="regular"):
    return client.post(
        reverse("api:booking_create"),
        {
            "enrolment_id": enrolment.pk,
            "site_id": site.pk,
            "day": day.isoformat(),
            "half_day": half_day,
            "kind": kind,
            "reason": "france_travail",
        },
        content_type="application/json",
        headers=headers,
    )


def test_half_days_with_places_left(client, lunel, headers):
    fill(lunel, regular=6, extra=1)
    url = reverse("api:site_half_days", kwargs={"site_id": lunel.site.pk})
    response = client.get(f"{url}?start=2025-03-11&end=2025-03-14", headers=headers)
    assert response.status_code == 200
    slots = response.json()["slots"]
    assert len(slots) == 8
    assert slots[0] == {
        "day": "2025-03-11",
        "half_day": "am",
        "open": True,
        "closed_reason": "",
        "opens_at": "08:30",
        "closes_at": "12:15",
        "places": 7,
        "taken": 7,
        "regular_left": 0,
        "settling_in_left": 0,
        "waiting": 0,
    }
    assert slots[1]["regular_left"] == 6 and slots[1]["settling_in_left"] == 1
    assert slots[-1]["open"] is False
    assert slots[-1]["closed_reason"] == "Pas d'ouverture ce jour"
    response = client.get(f"{url}?start=2025-03-11&end=2025-06-11", headers=headers)
    assert response.status_code == 422


def test_post_books_or_answers_409_in_french(client, lunel, headers):
    fill(lunel, regular=6)
    seventh = child(lunel, 7)
    response = post(client, headers, seventh, lunel.site)
    assert response.status_code == 409
    assert response.json()["code"] == "full"
    assert response.json()["detail"].startswith("Complet pour une place régulière")
    response = post(client, headers, seventh, lunel.site, kind="emergency")
    assert response.status_code == 201
    assert response.json()["kind"] == "emergency"
    eighth = child(lunel, 8)
    response = post(client, headers, eighth, lunel.site, kind="emergency")
    assert (response.status_code, response.json()["code"]) == (409, "full")
    friday = MONDAY + datetime.timedelta(days=4)
    response = post(client, headers, eighth, lunel.site, day=friday, half_day="pm")
    assert (response.status_code, response.json()["code"]) == (409, "closed")
    baby = child(lunel, 9, birth_date=TUESDAY - relativedelta(months=2))
    response = post(client, headers, baby, lunel.site, half_day="pm")
    assert (response.status_code, response.json()["code"]) == (409, "not_eligible")
    assert "2 mois" in response.json()["detail"]
    assert Booking.objects.active().count() == 7


def test_another_organisations_enrolment_or_site_is_404(client, lunel, alice, headers):
    theirs = enrol(alice.programme, birth_date=MONDAY - relativedelta(months=14), starts_on=MONDAY)
    assert post(client, headers, theirs, lunel.site).status_code == 404
    assert post(client, headers, child(lunel), alice.site).status_code == 404
    url = reverse("api:site_half_days", kwargs={"site_id": alice.site.pk})
    assert client.get(url, headers=headers).status_code == 404
    assert not Booking.objects.exists()


def test_the_schema_documents_the_booking_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    post_op = paths["/api/childcare/bookings"]["post"]
    assert {"201", "409", "404"} <= set(post_op["responses"])
    assert "/api/childcare/sites/{site_id}/half-days" in paths
