import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from petitspas.childcare.models import Booking, BookingKind, WaitingEntry
from petitspas.childcare.services_presence import booking_check_in
from petitspas.childcare.tests.conftest import MONDAY
from petitspas.childcare.tests.factories import enrol
from petitspas.childcare.tests.test_bookings import TUESDAY, book, child, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, lunel, agency):
    client.force_login(lunel.coordinator)
    return client


def half_day_url(lunel, day=TUESDAY, half_day="am"):
    url = reverse("childcare:half-day", kwargs={"site_pk": lunel.site.pk})
    return f"{url}?jour={day:%Y-%m-%d}&demi={half_day}"


def test_menu_and_follow_up_page(coordinator, lunel):
    once = child(lunel, first_name="Ambre")
    book(lunel, once)
    response = coordinator.get(reverse("childcare:follow-up"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Demi-journées" in body
    assert "Ambre</a> (Les Petits Pas) : 1 demi-journée réservée" in body
    assert "Accueil de loisirs du parc" in body


def test_the_week_grid_shows_places_out_of_seven_and_closed_half_days(coordinator, lunel):
    fill(lunel, regular=6, extra=1)
    response = coordinator.get(
        reverse("childcare:site-week", kwargs={"site_pk": lunel.site.pk}) + "?semaine=2025-03-12"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Semaine du 10 mars 2025" in body
    assert "<strong>7/7</strong> places prises · complet" in body
    assert "Adaptation ou urgence : prise" in body
    assert "Après-midi · fermé" in body and "Pas d&#x27;ouverture ce jour" in body


def test_booking_from_the_half_day_page(coordinator, lunel):
    enrolment = child(lunel, first_name="Lina")
    response = coordinator.post(
        half_day_url(lunel),
        {"enrolment": enrolment.pk, "kind": "regular", "reason": "training", "action": "reserver"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.enrolment, booking.slot.day, booking.reason) == (enrolment, TUESDAY, "training")
    page = coordinator.get(response["Location"]).content.decode()
    assert (
        "Demi-journée réservée pour Lina : mardi 11 mars 2025 matin, à Accueil de loisirs" in page
    )
    assert "<strong>1/7</strong> places prises" in page


def test_the_form_offers_each_child_enrolled_that_day_by_name_and_birth_date(coordinator, lunel):
    lina = child(lunel, first_name="Lina", birth_date=datetime.date(2024, 1, 5))
    later = child(lunel, first_name="Noé", starts_on=TUESDAY + datetime.timedelta(days=7))
    many = [child(lunel, n) for n in range(30)]

    body = coordinator.get(half_day_url(lunel)).content.decode()

    assert f'<option value="{lina.pk}">Lina (05/01/2024)</option>' in body
    assert all(f'<option value="{e.pk}">Enfant' in body for e in many)
    assert f'value="{later.pk}"' not in body
    refused = coordinator.post(
        half_day_url(lunel),
        {"enrolment": later.pk, "kind": "regular", "reason": "training", "action": "reserver"},
    )
    assert refused.status_code == 400
    assert "Choisissez un enfant inscrit ce jour-là." in refused.content.decode()
    assert not Booking.objects.exists()


def test_a_full_half_day_says_why_and_offers_the_waiting_list(coordinator, lunel):
    fill(lunel, regular=6)
    late = child(lunel, 9, first_name="Tardif")
    data = {"enrolment": late.pk, "kind": "regular", "reason": "training", "action": "reserver"}
    response = coordinator.post(half_day_url(lunel), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Complet pour une place régulière" in body
    assert "Mettre sur la liste d'attente" in body
    # What was typed stays.
    assert f'value="{late.pk}" selected' in body
    response = coordinator.post(half_day_url(lunel), {**data, "action": "attente"})
    assert response.status_code == 302
    assert WaitingEntry.objects.get().enrolment == late


def test_cancelling_offers_the_place_to_the_first_in_line(coordinator, lunel):
    made = fill(lunel, regular=6)
    late = child(lunel, 9, first_name="Tardif")
    coordinator.post(
        half_day_url(lunel),
        {"enrolment": late.pk, "kind": "regular", "reason": "training", "action": "attente"},
    )
    response = coordinator.post(
        reverse("childcare:booking-cancel", kwargs={"booking_pk": made[0].pk}), follow=True
    )
    body = response.content.decode()
    assert "La place libérée va à Tardif" in body
    assert Booking.objects.active().filter(enrolment=late).exists()


def test_a_closed_half_day_cannot_be_booked(coordinator, lunel):
    enrolment = child(lunel)
    friday = MONDAY + datetime.timedelta(days=4)
    response = coordinator.get(half_day_url(lunel, friday, "pm"))
    assert "Fermé : Pas d&#x27;ouverture ce jour" in response.content.decode()
    response = coordinator.post(
        half_day_url(lunel, friday, "pm"),
        {"enrolment": enrolment.pk, "kind": "regular", "reason": "training"},
    )
    assert response.status_code == 409
    assert not Booking.objects.exists()


def test_the_reference_week_booked_from_the_enrolment(coordinator, lunel):
    enrolment = child(lunel, first_name="Lina", reference_week=("1am", "4pm"))
    url = reverse("childcare:enrolment-bookings", kwargs={"enrolment_pk": enrolment.pk})
    response = coordinator.post(
        url, {"starts_on": "2025-03-10", "ends_on": "2025-03-23", "reason": "plie_workshop"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 demi-journées réservées pour Lina." in body
    assert "Vendredi 14 mars 2025 après-midi : fermé : Pas d&#x27;ouverture ce jour" in body
    assert Booking.objects.active().count() == 2
    response = coordinator.post(
        url, {"starts_on": "2025-03-23", "ends_on": "2025-03-10", "reason": "training"}
    )
    assert response.status_code == 400
    assert "le dernier ne peut pas précéder le premier" in response.content.decode()


def test_professionals_and_prescribers_book_nothing(client, lunel, agency):
    enrolment = enrol(
        lunel.programme, birth_date=MONDAY - relativedelta(months=14), starts_on=MONDAY
    )
    for user in (lunel.professional, agency.prescriber):
        client.force_login(user)
        assert client.get(reverse("childcare:follow-up")).status_code == 403
        assert client.get(half_day_url(lunel)).status_code == 404
        url = reverse("childcare:enrolment-bookings", kwargs={"enrolment_pk": enrolment.pk})
        assert client.post(url, {}).status_code == 404


def test_the_prescriber_reads_the_month(client, lunel, agency, travel):
    enrolment = child(lunel, first_name="Lina", settling_in_until=TUESDAY)
    enrolment.referral.prescriber_organisation = agency.organisation
    enrolment.referral.save()
    morning = book(lunel, enrolment)
    book(lunel, enrolment, kind=BookingKind.SETTLING_IN, half_day="pm")
    travel(datetime.datetime.combine(TUESDAY, datetime.time(8, 35)))
    booking_check_in(booking=morning, by=lunel.professional)
    travel(MONDAY + datetime.timedelta(days=3))
    client.force_login(agency.prescriber)
    response = client.get(
        reverse("childcare:referral-detail", kwargs={"referral_pk": enrolment.referral.pk})
    )
    assert (
        "Lina : inscrit, 1 demi-journée utilisée ce mois-ci sur 2 réservées"
        in response.content.decode()
    )
