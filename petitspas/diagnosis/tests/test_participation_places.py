"""The resource places of an area: gathered from the directory and the sites, proposed
from the public form, validated or refused; the map printed as a PDF."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from petitspas.core.audit import AuditEntry
from petitspas.diagnosis.models import Area, PlaceProposal
from petitspas.diagnosis.places_map import contains, plot, resource_places
from petitspas.diagnosis.services_participation import proposal_create, proposal_decide
from petitspas.directory.models import Structure
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory

# A square around Porte Montmartre (18e), longitude then latitude as GeoJSON writes them.
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[2.330, 48.895], [2.350, 48.895], [2.350, 48.905], [2.330, 48.905], [2.330, 48.895]]
    ],
}


@pytest.fixture
def area(alice):
    return Area.objects.create(
        organisation=alice.organisation,
        name="Quartier Porte Montmartre – Porte de Clignancourt (18e)",
        commune="75118",
        geometry=SQUARE,
    )


@pytest.fixture
def places(alice, area):
    inside = Structure.objects.create(
        source_id="t-1", nom="Centre social Belliard", code_insee="75118",
        adresse="10 rue Belliard", latitude=48.898, longitude=2.340,
    )  # fmt: skip
    outside = Structure.objects.create(
        source_id="t-2", nom="Maison des familles Flandre", code_insee="75118",
        latitude=48.890, longitude=2.370,
    )  # fmt: skip
    unplaced = Structure.objects.create(source_id="t-3", nom="Sans adresse", code_insee="75118")
    site = SiteFactory(
        programme=alice.programme, name="Kiosque Binet", commune_code="75118", town="Paris",
        latitude=48.899, longitude=2.345, kind=Site.Kind.PUBLIC_SPACE,
    )  # fmt: skip
    hotel = SiteFactory(
        programme=alice.programme, name="Hôtel Ornano", commune_code="75118", town="Paris",
        latitude=48.899, longitude=2.346, kind=Site.Kind.SOCIAL_HOTEL,
    )  # fmt: skip
    return {
        "inside": inside,
        "outside": outside,
        "unplaced": unplaced,
        "site": site,
        "hotel": hotel,
    }


def test_point_in_the_outline():
    area = Area(geometry=SQUARE)
    assert contains(area, 48.900, 2.340)
    assert not contains(area, 48.900, 2.360)
    assert not contains(area, 48.910, 2.340)
    # Without an outline, the commune's points are all taken.
    assert contains(Area(geometry=None), 45.0, 5.0)


def test_map_gathers_the_structures_sites_and_validated_proposals(alice, area, places):
    proposal = PlaceProposal.objects.create(
        area=area, name="Square Léon Serpollet", address="rue Championnet",
        proposer="resident", latitude=48.897, longitude=2.341,
    )  # fmt: skip
    PlaceProposal.objects.create(area=area, name="Pas encore vu", address="x", proposer="resident")
    listed = resource_places(area)
    # Structures inside the outline; the sites but never a home (a social hotel); only
    # the validated proposals.
    assert [p.name for p in listed] == ["Centre social Belliard", "Kiosque Binet"]
    proposal_decide(by=alice.coordinator, proposal=proposal, validate=True)
    listed = resource_places(area)
    assert [(p.number, p.name, p.kind) for p in listed] == [
        (1, "Centre social Belliard", "structure"),
        (2, "Kiosque Binet", "site"),
        (3, "Square Léon Serpollet", "proposal"),
    ]


def test_plot_projects_the_points_inside_the_drawing():
    drawn = plot(SQUARE, [(1, 48.898, 2.340), (2, 48.905, 2.350)], width=600, height=420)
    assert len(drawn.outlines) == 1 and drawn.outlines[0].startswith("M ")
    for point in drawn.points:
        assert 0 <= point["x"] <= 600 and 0 <= point["y"] <= 420
    # North is up: the second point, further north, is higher on the page.
    assert drawn.points[1]["y"] < drawn.points[0]["y"]
    assert plot(None, []).points == []


def test_a_proposal_needs_a_name_an_address_and_a_point_in_france(area):
    with pytest.raises(ValidationError) as error:
        proposal_create(area=area, name=" ", address="", proposer="voisin")
    assert set(error.value.message_dict) == {"name", "address", "proposer"}
    with pytest.raises(ValidationError) as error:
        proposal_create(
            area=area, name="Parc", address="Ici", proposer="resident",
            latitude=40.7, longitude=-74.0,
        )  # fmt: skip
    assert "pas en France" in error.value.message_dict["latitude"][0]
    assert not PlaceProposal.objects.exists()


def test_deciding_is_for_the_coordination_once(alice, bob, area):
    proposal = proposal_create(
        area=area, name="Ludothèque", address="rue Binet", proposer="professional"
    )
    with pytest.raises(PermissionDenied):
        proposal_decide(by=alice.professional, proposal=proposal, validate=False, reason="x")
    with pytest.raises(PermissionDenied):
        proposal_decide(by=bob.coordinator, proposal=proposal, validate=False, reason="x")
    with pytest.raises(ValidationError) as error:
        proposal_decide(by=alice.coordinator, proposal=proposal, validate=True)
    assert "Placez le lieu" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        proposal_decide(by=alice.coordinator, proposal=proposal, validate=False, reason=" ")
    assert "motif" in error.value.messages[0]
    proposal_decide(by=alice.coordinator, proposal=proposal, validate=False, reason="Fermé")
    proposal.refresh_from_db()
    assert proposal.status == "refused" and proposal.refusal_reason == "Fermé"
    with pytest.raises(ValidationError):
        proposal_decide(by=alice.coordinator, proposal=proposal, validate=True)
    assert AuditEntry.objects.filter(action="diagnosis.place_refuse").count() == 1


def test_public_form_keeps_what_was_typed_and_thanks(client, area):
    url = reverse("diagnosis:place-propose", kwargs={"area_pk": area.pk})
    page = client.get(url)
    assert page.status_code == 200 and area.name in page.content.decode()
    response = client.post(url, {"name": "Jardin partagé", "address": "", "proposer": "resident"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Jardin partagé" in body and "La proposition n'est pas envoyée" in body
    assert "Indiquez son adresse ou un repère" in body
    response = client.post(
        url, {"name": "Jardin partagé", "address": "rue du Poteau", "proposer": "resident"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?envoye=1")
    assert PlaceProposal.objects.get().status == "proposed"
    # A robot fills the hidden field: nothing is kept, and it is told nothing else.
    client.post(url, {"name": "Spam", "address": "x", "proposer": "resident", "website": "x"})
    assert PlaceProposal.objects.count() == 1


@override_settings(RATELIMIT_PLACE_PROPOSALS="2/h")
def test_public_form_is_rate_limited(client, area):
    url = reverse("diagnosis:place-propose", kwargs={"area_pk": area.pk})
    data = {"name": "Parc", "address": "rue", "proposer": "resident"}
    assert client.post(url, data, REMOTE_ADDR="10.9.8.1").status_code == 302
    assert client.post(url, data, REMOTE_ADDR="10.9.8.1").status_code == 302
    response = client.post(url, data, REMOTE_ADDR="10.9.8.1")
    assert response.status_code == 429 and response["Retry-After"]
    assert PlaceProposal.objects.count() == 2


def test_places_page_validates_with_a_point(client, alice, area, places):
    proposal = proposal_create(
        area=area, name="Bibliothèque Goutte d'Or", address="rue Fleury", proposer="resident"
    )
    client.force_login(alice.professional)
    page = client.get(reverse("diagnosis:area-places", kwargs={"area_pk": area.pk}))
    body = page.content.decode()
    assert "Centre social Belliard" in body and "Hôtel Ornano" not in body
    assert "Valider" not in body  # a professional reads, the coordination decides
    url = reverse("diagnosis:proposal-decision", kwargs={"proposal_pk": proposal.pk})
    assert client.post(url, {"decision": "validate"}).status_code == 403
    client.force_login(alice.coordinator)
    client.post(url, {"decision": "validate", "latitude": "48.9", "longitude": "2.34"})
    proposal.refresh_from_db()
    assert proposal.status == "validated" and proposal.latitude == 48.9


def test_map_pdf_is_read_back(client, alice, area, places):
    client.force_login(alice.coordinator)
    response = client.get(reverse("diagnosis:area-places-pdf", kwargs={"area_pk": area.pk}))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert area.name in text
    assert "Centre social Belliard — 10 rue Belliard" in text
    assert "Kiosque Binet" in text and "Hôtel Ornano" not in text
    assert "2 lieux" in text
