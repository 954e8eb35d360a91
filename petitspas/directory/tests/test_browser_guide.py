"""The coordinator opens the guide, publishes an edition, sees what changed since the
last one and downloads its PDF; a family reads the published edition on a phone."""

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.directory.models import GuideEdition, Territory
from petitspas.directory.services_guide import guide_publish
from petitspas.directory.tests.test_directory import make_service, make_structure
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[3] / "var" / "screenshots")
)


@pytest.fixture
def guide(db):
    town = OrganisationFactory(name="Ville de Suresnes", kind="municipality", departement="92")
    territory = Territory.objects.create(organisation=town, communes=["92073"])
    coordinator = MembershipFactory(organisation=town, role=Role.COORDINATOR).user
    centre = OrganisationFactory(name="Centre social", kind="partner", departement="92")
    partner = MembershipFactory(organisation=centre, role=Role.PARTNER).user
    structure = make_structure(
        partner,
        nom="Maison des familles",
        adresse="12 rue des Bourets",
        telephone="01 99 00 00 01",
        horaires_accueil="Mo-Fr 09:00-12:00,14:00-17:30; Sa[1] 09:00-12:00; PH off",
    )
    make_service(partner, structure, nom="Café des parents")
    make_service(
        partner,
        structure,
        nom="Permanence juridique",
        thematiques=[
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
        ],
    )
    guide_publish(by=coordinator, territory=territory)
    # Since the first edition: a new service.
    make_service(
        partner,
        structure,
        nom="Atelier couture parents-enfants",
        thematiques=["remobilisation--activites-sportives-et-culturelles"],
        frais="payant",
    )
    return territory, coordinator


def test_coordinator_publishes_an_edition_and_downloads_its_pdf(page, live_server, guide):
    territory, coordinator = guide
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, coordinator.email)
    page.get_by_role("link", name="Guide parentalité").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guide parentalité — Suresnes")
    expect(page.get_by_text("1 ajout, 0 retrait et 0 modification")).to_be_visible()
    page.get_by_text("Le détail des changements").click()
    expect(page.get_by_text("Atelier couture parents-enfants")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "guide-territory.png", full_page=True)

    page.get_by_role("button", name="Publier l'édition n° 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guide parentalité, édition n° 2")
    expect(
        page.get_by_role("heading", name="Ce qui a changé depuis l'édition n° 1")
    ).to_be_visible()
    expect(page.get_by_text("Atelier couture parents-enfants")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "guide-edition.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename == "guide-parentalite-suresnes-edition-2.pdf"
    path = SCREENSHOTS / "guide-edition-2.pdf"
    download.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Édition n° 2 du" in text
    assert "Atelier couture parents-enfants" in text
    assert "Accès aux loisirs et à la culture" in text
    assert GuideEdition.objects.filter(territory=territory).count() == 2

    page.goto(f"{live_server.url}/annuaire/guide/{territory.pk}/")
    expect(
        page.get_by_text("Rien n'a changé dans l'annuaire depuis cette édition.")
    ).to_be_visible()
    page.get_by_role("button", name="Publier l'édition n° 3").click()
    expect(page.get_by_role("alert")).to_contain_text("Rien n'a changé dans l'annuaire")
    page.screenshot(path=SCREENSHOTS / "guide-nothing-changed.png", full_page=True)


def test_a_family_reads_the_published_guide_on_a_phone(browser, live_server, guide):
    territory, _ = guide
    edition = GuideEdition.objects.get(territory=territory)
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.goto(f"{live_server.url}/annuaire/")
    callout = page.get_by_role("region", name="Le guide parentalité à imprimer")
    expect(callout).to_contain_text("Ville de Suresnes : édition n° 1 du")
    page.screenshot(path=SCREENSHOTS / "guide-directory-phone.png", full_page=True)
    callout.get_by_role("link", name="en ligne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guide parentalité")
    expect(page.get_by_text("Édition n° 1 du")).to_be_visible()
    assert page.url.endswith(f"/annuaire/guide/editions/{edition.pk}/guide/")
    expect(page.get_by_text("Le 1er samedi du mois : 9 h – 12 h")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "guide-public-phone.png", full_page=True)
    context.close()
