"""Where families live, on every URL of the project.

A social hotel of organisation A stands in for the site the walk builds its URLs from (its
sessions, series, closures and family files hang off it). Every URL is requested as A's
funder, partner and prescriber, as each member of organisation B and anonymously, pages
and API alike (the API with the viewer's own token): no answer may carry the hotel's
street, postcode, coordinates or access notes. A's staff do read them.
"""

import dataclasses
from decimal import Decimal

import pytest
from django.urls import reverse

from petitspas.accounts.services import api_token_create
from petitspas.families.models import Household, HousingSituation
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, UserFactory
from petitspas.places.models import Site
from petitspas.places.permissions import can_see_address, site_address
from petitspas.places.tests.factories import SiteFactory, WeeklyOpeningFactory
from petitspas.web.tests.test_isolation import (
    ROUTES,
    Route,
    alice_values,
    response_text,
    route_id,
    url_for,
)

STREET = "17 impasse des Volets-Clos"
NOTES = "Interphone Zorglub, deuxième cour"


def home_markers(hotel: Site) -> list[str]:
    """What only the hotel's own staff may read."""
    return [STREET, NOTES, hotel.postcode, f"{hotel.latitude}", f"{hotel.longitude}"]


@pytest.fixture
def hotel(alice):
    """Open on Monday mornings, so that its openings carry where they are."""
    hotel = SiteFactory(
        programme=alice.programme,
        name="Hôtel social – Bobigny",
        kind=Site.Kind.SOCIAL_HOTEL,
        address=STREET,
        postcode="93000",
        commune_code="93008",
        town="Bobigny",
        latitude=Decimal("48.90871"),
        longitude=Decimal("2.43912"),
        access_notes=NOTES,
    )
    WeeklyOpeningFactory(site=hotel)
    return hotel


@pytest.fixture
def values(alice, hotel) -> dict:
    """The isolation walk's objects, built around the hotel; the family lives there."""
    values = alice_values(dataclasses.replace(alice, site=hotel))
    Household.objects.filter(pk=values["household_pk"]).update(
        housing=HousingSituation.SOCIAL_HOTEL, housing_site=hotel
    )
    return values


def _member(alice, role: str, prefix: str):
    return MembershipFactory(
        organisation=alice.organisation,
        role=role,
        user=UserFactory(email=f"{prefix}@exemple.fr", first_name=prefix.title()),
    ).user


@pytest.fixture
def outsiders(alice, bob, funder) -> dict:
    """Everyone who may know the hotel's town and kind, never its street."""
    return {
        "funder of A": funder,
        "partner of A": _member(alice, Role.PARTNER, "partenaire"),
        "prescriber of A": _member(alice, Role.PRESCRIBER, "prescripteur"),
        "admin of B": bob.admin,
        "coordinator of B": bob.coordinator,
        "professional of B": bob.professional,
        "anonymous": None,
    }


def _get(client, url: str, user):
    client.logout()
    if user is None:
        return client.get(url)
    client.force_login(user)
    raw = api_token_create(user=user, name="Contrôle des adresses")[1]
    return client.get(url, headers={"Authorization": f"Bearer {raw}"})


def home_address_leaks(client, route: Route, values: dict, viewers: dict, hotel) -> list[str]:
    url = url_for(route, values)
    markers = home_markers(hotel)
    problems = []
    for label, user in viewers.items():
        response = _get(client, url, user)
        body = response_text(response)
        leaked = [m for m in markers if m in body]
        if leaked:
            problems.append(f"{route.name} {url}: {label} reads {leaked}")
    return problems


@pytest.mark.parametrize("route", ROUTES, ids=[route_id(r, ROUTES) for r in ROUTES])
def test_no_outsider_reads_where_families_live(client, values, outsiders, hotel, route):
    assert home_address_leaks(client, route, values, outsiders, hotel) == []


def test_the_walk_catches_a_page_that_prints_the_street(client, values, outsiders, hotel):
    """Proof that the walk can fail: the hotel's street printed as a site's name."""
    Site.objects.filter(pk=hotel.pk).update(name=f"Hôtel du {STREET}")
    route = next(r for r in ROUTES if r.name == "places:site-list")
    problems = home_address_leaks(client, route, values, outsiders, hotel)
    assert any("funder of A reads" in p for p in problems)
    assert any("partner of A reads" in p for p in problems)


@pytest.mark.parametrize("role", ["admin", "coordinator", "professional"])
def test_staff_of_the_hotel_read_its_address(client, alice, values, hotel, role):
    user = getattr(alice, role)
    for url in (
        reverse("places:site-detail", kwargs={"site_pk": hotel.pk}),
        reverse("activities:session-detail", kwargs={"session_pk": values["session_pk"]}),
        reverse("api:site_list"),
        reverse("api:site_detail", kwargs={"site_id": hotel.pk}),
        reverse("api:site_openings", kwargs={"site_id": hotel.pk}) + "?start=2030-01-07",
    ):
        body = _get(client, url, user).content.decode()
        assert STREET in body, url
    detail = _get(client, reverse("places:site-detail", kwargs={"site_pk": hotel.pk}), user)
    assert "93000 Bobigny" in detail.content.decode()


def test_funder_reads_the_hotel_town_and_kind(client, hotel, funder):
    site = _get(client, reverse("api:site_detail", kwargs={"site_id": hotel.pk}), funder).json()
    assert (site["town"], site["kind"]) == ("Bobigny", "social_hotel")
    assert (site["address"], site["postcode"], site["access_notes"]) == ("", "", "")
    assert (site["latitude"], site["longitude"]) == (None, None)
    page = _get(client, reverse("places:site-detail", kwargs={"site_pk": hotel.pk}), funder)
    assert "Hôtel social" in page.content.decode()
    assert "son adresse n'est connue que de l'équipe" in page.content.decode()


def test_funder_reads_other_sites_addresses(client, alice, funder):
    site = _get(client, reverse("api:site_detail", kwargs={"site_id": alice.site.pk}), funder)
    assert site.json()["address"] == alice.site.address


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.ADMIN, True),
        (Role.COORDINATOR, True),
        (Role.PROFESSIONAL, True),
        (Role.FUNDER, False),
        (Role.PARTNER, False),
        (Role.PRESCRIBER, False),
    ],
)
def test_only_staff_of_its_organisation_may_see_a_home_address(alice, hotel, role, sees):
    user = _member(alice, role, f"role-{role}")
    assert can_see_address(user, hotel) is sees
    assert site_address(user, hotel).hidden is not sees


def test_staff_of_another_organisation_and_anonymous_may_not_see_a_home_address(
    bob, hotel, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    assert not can_see_address(bob.admin, hotel)
    assert not can_see_address(AnonymousUser(), hotel)
    assert not can_see_address(None, hotel)
    assert str(site_address(None, hotel)) == "Bobigny"
