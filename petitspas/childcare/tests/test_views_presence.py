"""The professional's "Demi-journées du jour" and the hours on the coordinator's pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from petitspas.childcare.models import Booking, BookingKind
from petitspas.childcare.services_presence import booking_check_in, booking_check_out
from petitspas.childcare.tests.test_bookings import TUESDAY, book, child
from petitspas.childcare.tests.test_presence import at

pytestmark = pytest.mark.django_db

TODAY = reverse("childcare:presence-today")


def url(name, booking):
    return reverse(f"childcare:presence-{name}", kwargs={"booking_pk": booking.pk})


@pytest.fixture
def morning(lunel, agency, travel):
    """Lina (14 months, settling in) and Adam are booked on Tuesday morning; it is 8:30."""
    lina = child(lunel, first_name="Lina", settling_in_until=TUESDAY)
    adam = child(lunel, first_name="Adam", months=30)
    booked = book(lunel, lina, kind=BookingKind.SETTLING_IN, reason="training")
    book(lunel, adam, reason="job_interview")
    travel(at(TUESDAY, 8, 30))
    return booked


@pytest.fixture
def professional(client, lunel, morning):
    client.force_login(lunel.professional)
    return client


def test_the_day_on_a_professionals_phone(professional, morning):
    response = professional.get(TODAY)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Demi-journées du jour</a>" in body  # the menu
    assert "Mardi 11 mars 2025" in body
    assert "Matin · 8 h 30 – 12 h 15" in body
    assert "<strong>2 enfants</strong> · 0 présent · 0 parti · 2 attendus · 0 absent" in body
    assert "<strong>Lina</strong> · 14 mois" in body and "<strong>Adam</strong> · 30 mois" in body
    assert ">Adaptation</span>" in body
    assert "Rendez-vous du parent : formation" in body
    assert "Rendez-vous du parent : entretien d&#x27;embauche" in body
    assert f'action="{url("check-in", morning)}"' in body
    assert body.count('name="absence"') == 6  # 3 reasons for each child


def test_one_tap_without_javascript_redirects_with_a_message(professional, lunel, morning, travel):
    response = professional.post(url("check-in", morning))
    assert response.status_code == 302
    assert response["Location"] == f"{TODAY}#enfant-{morning.pk}"
    page = professional.get(TODAY).content.decode()
    assert "Arrivée de Lina notée à 8 h 30." in page
    assert "Arrivé(e) à <strong>8 h 30</strong>" in page
    travel(at(TUESDAY, 12, 5))
    professional.force_login(lunel.professional)  # signed out after 30 minutes idle
    professional.post(url("check-out", morning))
    page = professional.get(TODAY).content.decode()
    assert "Départ de Lina noté à 12 h 05." in page
    assert "parti(e) à <strong>12 h 05</strong>" in page
    assert "Annuler le départ" in page


def test_one_tap_with_htmx_swaps_the_row_and_the_counts(professional, morning):
    response = professional.post(url("check-in", morning), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<li id="enfant-{morning.pk}" class="pp-presence__row pp-presence__row--present">' in (
        body
    )
    assert f'action="{url("check-out", morning)}"' in body
    assert 'hx-swap-oob="true"' in body
    assert "1 présent · 0 parti · 1 attendu" in body
    assert "Arrivée de Lina notée à 8 h 30." in body  # the live region
    assert Booking.objects.get(pk=morning.pk).checked_in_at is not None


def test_a_refused_tap_says_why_in_the_row(professional, morning):
    response = professional.post(url("check-out", morning), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body
    assert "Lina n&#x27;est pas encore arrivé(e) : notez l&#x27;arrivée avant le départ." in body
    response = professional.post(url("check-out", morning))
    assert response.status_code == 302
    page = professional.get(TODAY).content.decode()
    assert "notez l&#x27;arrivée avant le départ" in page


def test_absence_with_its_reason_then_undo(professional, morning):
    professional.post(url("absence", morning), {"absence": "sick"})
    assert Booking.objects.get(pk=morning.pk).absence == "sick"
    page = professional.get(TODAY).content.decode()
    assert "Absence de Lina notée : malade." in page
    assert "Absent(e) : malade" in page
    assert "0 attendu" not in page and "1 attendu · 1 absent" in page
    response = professional.post(url("absence", morning), {"absence": "nimporte"})
    assert response.status_code == 302
    professional.post(url("undo", morning))
    assert Booking.objects.get(pk=morning.pk).absence == ""
    assert "Absence de Lina annulée." in professional.get(TODAY).content.decode()


def test_taps_are_post_only(professional, morning):
    assert professional.get(url("check-in", morning)).status_code == 405


def test_who_may_open_the_day(client, lunel, agency, alice, funder, morning):
    for user in (lunel.coordinator, lunel.admin):
        client.force_login(user)
        assert client.get(TODAY).status_code == 200
    for user in (agency.prescriber, funder, alice.professional):
        client.force_login(user)
        assert client.get(TODAY).status_code == 403
        assert client.post(url("check-in", morning)).status_code == 404
        assert "Demi-journées du jour" not in client.get(reverse("web:home")).content.decode()
    assert Booking.objects.get(pk=morning.pk).checked_in_at is None


def test_nobody_booked_today(client, lunel, agency, travel):
    client.force_login(lunel.professional)
    response = client.get(TODAY)
    assert "Aucun enfant n'est attendu aujourd'hui." in response.content.decode()


def test_hours_on_the_follow_up_and_enrolment_pages(client, lunel, morning, travel):
    travel(at(TUESDAY, 8, 40))
    booking_check_in(booking=morning, by=lunel.professional)
    travel(at(TUESDAY, 12, 10))
    booking_check_out(booking=morning, by=lunel.professional)
    client.force_login(lunel.coordinator)
    page = client.get(reverse("childcare:follow-up")).content.decode()
    # Lina: 1 half-day booked, used, 3 h 45 planned, 3 h 30 actual.
    lina = morning.enrolment
    assert (
        f'<a href="/accueil-enfants/garde/inscriptions/{lina.pk}/">Lina</a></th>\n'
        "            <td>3 h 45</td>\n            <td>3 h 30</td>\n"
        "            <td>1</td>\n            <td>1</td>"
    ) in page
    assert "Lina</a> (Les Petits Pas) : 1 demi-journée réservée, dont 1 utilisée" in page
    assert "Adam</a> (Les Petits Pas) : 1 demi-journée réservée, dont 0 utilisée" in page
    page = client.get(
        reverse("childcare:enrolment-bookings", kwargs={"enrolment_pk": lina.pk})
    ).content.decode()
    assert "Heures prévues et réalisées · mars 2025" in page
    assert "<dd>3 h 45 prévues, 3 h 30 réalisées</dd>" in page
    assert "<dd>1 réservée, 1 utilisée</dd>" in page
    assert "arrivée 8 h 40, départ 12 h 10" in page
    assert timezone.localdate() == TUESDAY
    page = client.get(
        reverse("childcare:enrolment-bookings", kwargs={"enrolment_pk": lina.pk}) + "?mois=2025-04"
    ).content.decode()
    assert "Heures prévues et réalisées · avril 2025" in page
    assert "<dd>0 h prévues, 0 h réalisées</dd>" in page
