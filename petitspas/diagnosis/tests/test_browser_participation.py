"""On a 390×844 phone, the coordinator looks at an area's map of resource places, plans an
urban walk with three stops (two places of the map and a free point), registers a resident
and downloads the route sheet, whose PDF is read back; then moves a walk and cancels it."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.diagnosis.models import Area, UrbanWalk
from petitspas.diagnosis.services_participation import walk_create, walk_register
from petitspas.directory.models import Structure
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "var/screenshots"))


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", accept_downloads=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def area(alice):
    area = Area.objects.create(
        organisation=alice.organisation,
        name="Quartier Didot – Porte de Vanves (14e)",
        commune="75114",
        geometry={
            "type": "Polygon",
            "coordinates": [
                [
                    [2.300, 48.825],
                    [2.320, 48.825],
                    [2.320, 48.836],
                    [2.300, 48.836],
                    [2.300, 48.825],
                ]
            ],
        },
    )
    Structure.objects.create(
        source_id="b-1", nom="Centre social Didot", code_insee="75114",
        adresse="52 rue Didot", commune="Paris", latitude=48.8318, longitude=2.3150,
    )  # fmt: skip
    Structure.objects.create(
        source_id="b-2", nom="Centre de PMI Losserand", code_insee="75114",
        adresse="120 rue Raymond Losserand", commune="Paris", latitude=48.8290, longitude=2.3120,
    )  # fmt: skip
    SiteFactory(
        programme=alice.programme, name="Kiosque des familles", commune_code="75114",
        town="Paris", latitude=48.8274, longitude=2.3053, kind=Site.Kind.PUBLIC_SPACE,
    )  # fmt: skip
    return area


def test_coordinator_plans_a_walk_and_downloads_its_route_sheet(phone, live_server, alice, area):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = phone
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/diagnostic/participation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Participation au diagnostic")
    page.get_by_role("link", name="Carte des lieux").click()
    expect(page.get_by_role("heading", level=2, name="3 lieux")).to_be_visible()
    expect(page.locator("#directory-map")).to_be_visible()
    page.screenshot(path=str(SHOTS / "diagnosis-places.png"), full_page=True)

    page.get_by_role("link", name="Parcours urbains").first.click()
    page.get_by_role("link", name="Programmer un parcours").click()
    day = datetime.date.today() + datetime.timedelta(days=10)
    page.get_by_label("Titre").fill("Découvrir le quartier Didot")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Début").fill("14:00")
    page.get_by_label("Fin").fill("16:00")
    page.get_by_label("Guide").fill("Hélène Dubois")
    page.get_by_label("Places").fill("12")
    page.get_by_label("Étape 1 : lieu").select_option(
        label="1. Centre de PMI Losserand (Structure de l'annuaire)"
    )
    page.get_by_label("Étape 2 : lieu").select_option(
        label="2. Centre social Didot (Structure de l'annuaire)"
    )
    # Forgotten: only two stops and no end; the form says so and keeps what was typed.
    page.get_by_label("Fin").fill("")
    page.get_by_role("button", name="Programmer le parcours").click()
    expect(page.get_by_text("Corrigez les points signalés")).to_be_visible()
    expect(page.get_by_label("Titre")).to_have_value("Découvrir le quartier Didot")
    page.get_by_label("Fin").fill("16:00")
    stop3 = page.locator(".pp-stop").nth(2)
    stop3.locator("summary").click()
    page.get_by_label("Étape 3 : nom (point libre)").fill("Square du Cardinal-Wyszynski")
    page.get_by_label("Étape 3 : latitude").fill("48.8335")
    page.get_by_label("Étape 3 : longitude").fill("2.3110")
    page.get_by_label("Étape 3 : à voir, à dire").fill("Aire de jeux des tout-petits")
    page.screenshot(path=str(SHOTS / "diagnosis-walk-form.png"), full_page=True)
    page.get_by_role("button", name="Programmer le parcours").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Découvrir le quartier Didot")
    expect(page.locator("#walk-count")).to_have_text("0 inscrit pour 12 places (12 restantes).")
    page.get_by_text("Inscrire une personne").click()
    page.get_by_label("Habitant ou habitante").check()
    page.get_by_label("Prénom").fill("Aminata")
    page.get_by_label("Téléphone ou courriel").fill("06 12 34 56 78")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    expect(page.get_by_text("Un contact ne se garde qu'avec l'accord")).to_be_visible()
    page.get_by_text("La personne accepte que son contact").click()
    page.get_by_role("button", name="Inscrire", exact=True).click()
    expect(page.locator("#walk-count")).to_have_text("1 inscrit pour 12 places (11 restantes).")
    page.screenshot(path=str(SHOTS / "diagnosis-walk.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Feuille de route (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Découvrir le quartier Didot" in text
    assert (
        text.index("Centre de PMI Losserand —")
        < text.index("Centre social Didot —")
        < text.index("Square du Cardinal-Wyszynski")
    )
    walk = UrbanWalk.objects.get()
    assert [s.label for s in walk.stops.all()] == [
        "Centre de PMI Losserand",
        "Centre social Didot",
        "Square du Cardinal-Wyszynski",
    ]
    page.goto(f"{live_server.url}/diagnostic/parcours/{walk.pk}/feuille-de-route/")
    page.screenshot(path=str(SHOTS / "diagnosis-route-sheet.png"), full_page=True)

    # The public form (no account needed): a resident proposes a place; a missing address
    # is said in French and the name typed stays.
    page.goto(f"{live_server.url}/diagnostic/quartiers/{area.pk}/proposer-un-lieu/")
    page.get_by_text("Habitant ou habitante").click()
    page.get_by_label("Nom du lieu").fill("Jardin partagé Didot")
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text("Indiquez son adresse ou un repère pour le trouver.")).to_be_visible()
    expect(page.get_by_label("Nom du lieu")).to_have_value("Jardin partagé Didot")
    page.get_by_label("Adresse ou repère").fill("rue Didot, derrière l'école")
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_role("status")).to_contain_text("votre proposition est envoyée")
    page.screenshot(path=str(SHOTS / "diagnosis-propose.png"), full_page=True)
    assert area.place_proposals.get().name == "Jardin partagé Didot"


def test_coordinator_moves_a_walk_then_cancels_it(phone, live_server, alice, area):
    SHOTS.mkdir(parents=True, exist_ok=True)
    structures = {s.nom: s for s in Structure.objects.all()}
    day = datetime.date.today() + datetime.timedelta(days=10)
    walk = walk_create(
        by=alice.coordinator, area=area, title="Découvrir le quartier Didot",
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(14))),
        ends_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(16))),
        guide="Hélène Dubois", capacity=2,
        stops=[{"place": f"structure:{s.pk}"} for s in structures.values()],
    )  # fmt: skip
    walk_register(by=alice.coordinator, walk=walk, kind="resident", first_name="Aminata")
    walk_register(by=alice.coordinator, walk=walk, kind="resident", first_name="Binta")
    page = phone
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/diagnostic/parcours/{walk.pk}/")
    page.get_by_role("link", name="Modifier le parcours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier le parcours urbain")
    expect(page.get_by_label("Titre")).to_have_value("Découvrir le quartier Didot")
    # Two people are registered: one place is too few, and the form says so.
    page.get_by_label("Places").fill("1")
    page.get_by_label("Début").fill("10:00")
    page.get_by_label("Fin").fill("12:00")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_text("2 personnes sont déjà inscrites")).to_be_visible()
    expect(page.get_by_label("Début")).to_have_value("10:00")
    page.get_by_label("Places").fill("15")
    page.screenshot(path=str(SHOTS / "diagnosis-walk-edit.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_text("Le parcours est modifié.")).to_be_visible()
    expect(page.locator("#walk-count")).to_have_text("2 inscrits pour 15 places (13 restantes).")
    expect(page.locator(".fr-text--lead")).to_contain_text("10:00–12:00")

    page.get_by_text("Annuler le parcours").click()
    expect(page.get_by_text("2 personnes inscrites : prévenez-les.")).to_be_visible()
    page.get_by_role("button", name="Confirmer l'annulation").click()
    expect(
        page.get_by_text("Ce parcours est annulé : il ne prend plus d'inscription.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Modifier le parcours")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "diagnosis-walk-cancelled.png"), full_page=True)
    walk.refresh_from_db()
    assert walk.cancelled and walk.capacity == 15
