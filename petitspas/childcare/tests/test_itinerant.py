"""The itinerant micro-crèche (Lunel, 2026): a site whose place changes by day, laid out as
one-day relocations of the calendar; bookings, the week grid, the API and the reminder
follow the place of the day."""

import datetime
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from petitspas.accounts.services import api_token_create
from petitspas.childcare.services_itinerary import itinerary_repeat
from petitspas.childcare.tests.conftest import MONDAY, open_like_lunel
from petitspas.childcare.tests.test_bookings import child
from petitspas.core.models import AuditEntry
from petitspas.places.models import Site, SiteRelocation
from petitspas.places.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

ROUND = {
    0: ("Mas de Chambon", "Chemin du Mas de Chambon, 34400 Lunel"),
    1: ("Salle Abrivado", "Place des Arènes, 34400 Lunel"),
    2: ("Maison Jean-Jacques Rousseau", "2 rue Rousseau, 34400 Lunel"),
    3: ("Salle Abrivado", "Place des Arènes, 34400 Lunel"),
    4: ("Mas de Chambon", "Chemin du Mas de Chambon, 34400 Lunel"),
}


@pytest.fixture
def itinerant(lunel):
    site = SiteFactory(
        programme=lunel.programme,
        name="Micro-crèche itinérante",
        kind=Site.Kind.MOBILE_UNIT,
        address="Centre technique municipal, 34400 Lunel",
    )
    open_like_lunel(site)
    itinerary_repeat(
        site=site,
        places_by_weekday=ROUND,
        starts_on=MONDAY,
        ends_on=MONDAY + datetime.timedelta(days=13),
        by=lunel.coordinator,
    )
    return site


def test_the_round_gives_one_place_per_open_day(lunel, itinerant):
    relocations = list(SiteRelocation.objects.filter(site=itinerant).order_by("starts_on"))
    assert len(relocations) == 10  # two weeks, Monday to Friday
    assert all(r.starts_on == r.ends_on for r in relocations)
    assert [r.place_name for r in relocations[:3]] == [
        "Mas de Chambon",
        "Salle Abrivado",
        "Maison Jean-Jacques Rousseau",
    ]
    assert AuditEntry.objects.filter(action="childcare.itinerary").count() == 1
    assert AuditEntry.objects.filter(action="site.relocation_add").count() == 10


def test_a_public_holiday_gets_no_place_and_a_placed_day_is_left_alone(lunel):
    site = SiteFactory(programme=lunel.programme, name="Micro-crèche itinérante")
    open_like_lunel(site)
    easter_monday = datetime.date(2025, 4, 21)
    SiteRelocation.objects.create(
        site=site,
        starts_on=easter_monday + datetime.timedelta(days=1),
        ends_on=easter_monday + datetime.timedelta(days=1),
        place_name="Fête du quartier",
    )
    result = itinerary_repeat(
        site=site,
        places_by_weekday=ROUND,
        starts_on=easter_monday,
        ends_on=easter_monday + datetime.timedelta(days=4),
        by=lunel.coordinator,
    )
    assert [r.starts_on.isoformat() for r in result.placed] == [
        "2025-04-23",
        "2025-04-24",
        "2025-04-25",
    ]
    assert [(day.isoformat(), "Fête du quartier" in reason) for day, reason in result.skipped] == [
        ("2025-04-22", True)
    ]


def test_bad_rounds_are_refused_in_french(lunel, itinerant):
    with pytest.raises(ValidationError, match="ne peut pas précéder"):
        itinerary_repeat(
            site=itinerant,
            places_by_weekday=ROUND,
            starts_on=MONDAY,
            ends_on=MONDAY - datetime.timedelta(days=1),
            by=lunel.coordinator,
        )
    with pytest.raises(ValidationError, match="au moins un lieu"):
        itinerary_repeat(
            site=itinerant,
            places_by_weekday={0: ("", "")},
            starts_on=MONDAY,
            ends_on=MONDAY,
            by=lunel.coordinator,
        )
    with pytest.raises(ValidationError, match="186 jours"):
        itinerary_repeat(
            site=itinerant,
            places_by_weekday=ROUND,
            starts_on=MONDAY,
            ends_on=MONDAY + datetime.timedelta(days=400),
            by=lunel.coordinator,
        )
    with pytest.raises(PermissionDenied):
        itinerary_repeat(
            site=itinerant,
            places_by_weekday=ROUND,
            starts_on=MONDAY,
            ends_on=MONDAY,
            by=lunel.professional,
        )


def test_the_week_grid_and_the_half_day_show_the_place_of_the_day(client, lunel, itinerant):
    client.force_login(lunel.coordinator)
    week = reverse("childcare:site-week", kwargs={"site_pk": itinerant.pk})
    page = unescape(client.get(f"{week}?semaine=2025-03-10").content.decode())
    assert "Lieu du jour : Mas de Chambon" in page
    assert "Lieu du jour : Maison Jean-Jacques Rousseau" in page
    half_day = reverse("childcare:half-day", kwargs={"site_pk": itinerant.pk})
    page = unescape(client.get(f"{half_day}?jour=2025-03-11&demi=am").content.decode())
    assert "lieu du jour : Salle Abrivado</strong>, Place des Arènes, 34400 Lunel" in page


def test_the_booking_confirmation_says_where(client, lunel, itinerant):
    enrolment = child(lunel, first_name="Noé")
    client.force_login(lunel.coordinator)
    url = reverse("childcare:half-day", kwargs={"site_pk": itinerant.pk})
    response = client.post(
        f"{url}?jour=2025-03-12&demi=am",
        {"enrolment": enrolment.pk, "kind": "regular", "reason": "training"},
    )
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "Demi-journée réservée pour Noé : mercredi 12 mars 2025 matin, à Maison "
        "Jean-Jacques Rousseau, 2 rue Rousseau, 34400 Lunel."
    )


def test_the_api_slots_name_the_place_of_each_day(client, lunel, itinerant):
    token = api_token_create(user=lunel.coordinator, name="script")[1]
    url = reverse("api:site_half_days", kwargs={"site_id": itinerant.pk})
    response = client.get(
        f"{url}?start=2025-03-10&end=2025-03-14", headers={"Authorization": f"Bearer {token}"}
    )
    slots = response.json()["slots"]
    assert [(s["day"], s["half_day"], s["place_name"], s["relocated"]) for s in slots[:3]] == [
        ("2025-03-10", "am", "Mas de Chambon", True),
        ("2025-03-10", "pm", "Mas de Chambon", True),
        ("2025-03-11", "am", "Salle Abrivado", True),
    ]
    assert slots[0]["address"] == "Chemin du Mas de Chambon, 34400 Lunel"
    friday_afternoon = slots[-1]
    assert friday_afternoon["open"] is False and friday_afternoon["place_name"] is None
