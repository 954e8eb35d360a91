"""A coordinator of the Département copies the Cabanes des 1000 premiers jours to a new
PMI centre of the Ville de Saint-Denis, on a desktop screen: a name already taken first,
then the preview, the places, and the copy."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.models import Session
from petitspas.diagnosis.tests.replication_fixtures import build_cabanes
from petitspas.organisations.models import Programme
from petitspas.organisations.tests.factories import ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[3] / "var" / "screenshots")
)
DESKTOP = {"width": 1280, "height": 900}


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"replication-{name}.png", full_page=True)


def test_a_coordinator_copies_the_cabanes_to_a_new_pmi_centre(browser, live_server, travel):
    travel(datetime.date(2026, 1, 5), tick=True)
    cabanes = build_cabanes(until=datetime.date(2026, 8, 31))
    # Saint-Denis already runs a programme of that name: the copy must take another.
    ProgrammeFactory(organisation=cabanes.target, name="Cabanes des 1000 premiers jours")
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, cabanes.coordinator.email)

    page.goto(f"{live_server.url}/activites/")
    page.get_by_role(
        "link",
        name="Copier vers un autre territoire : Cabanes des 1000 premiers jours "
        "(Département de la Seine-Saint-Denis)",
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Étape 1 sur 2")
    page.get_by_label("Organisation qui reprend le programme").select_option(
        label="Ville de Saint-Denis"
    )
    page.get_by_label("Premières séances à partir du").fill("2026-01-05")
    page.get_by_label("Dernières séances jusqu'au (inclus)").fill("2026-06-30")
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_text("« Ville de Saint-Denis » a déjà un programme nommé")).to_be_visible()
    expect(page.get_by_label("Dernières séances jusqu'au (inclus)")).to_have_value("2026-06-30")
    shot(page, "1-name-taken")

    page.get_by_label("Nom du programme copié").fill("Cabane des 1000 premiers jours – Saint-Denis")
    page.get_by_role("button", name="Voir l'aperçu").click()
    preview = page.locator("#apercu")
    expect(preview).to_contain_text("Atelier des 1000 premiers jours")
    expect(preview).to_contain_text("Mercredi après-midi, 14h–17h")
    shot(page, "2-preview")
    page.get_by_role("link", name="Continuer : les lieux").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Étape 2 sur 2")
    lilas = page.locator(f"#lieu-{cabanes.lilas.pk}")
    lilas.get_by_label("Nom du nouveau lieu").fill("Centre de PMI du Franc-Moisin")
    lilas.get_by_label("Type de lieu").select_option(label="Centre de PMI")
    lilas.get_by_label("Adresse", exact=True).fill("Rue Danielle-Casanova")
    lilas.get_by_label("Code postal", exact=True).fill("93200")
    lilas.get_by_label("Commune").fill("Saint-Dnis")
    courneuve = page.locator(f"#lieu-{cabanes.courneuve.pk}")
    courneuve.get_by_label("Le même nouveau lieu que « Cabane des Lilas »").check()
    # A site that joins another needs no name nor address: its fields go away.
    expect(courneuve.get_by_label("Nom du nouveau lieu")).to_be_hidden()
    expect(lilas.get_by_label("Nom du nouveau lieu")).to_be_visible()
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "la commune « Saint-Dnis » n'est pas connue avec le code postal 93200"
    )
    expect(lilas.get_by_label("Adresse", exact=True)).to_have_value("Rue Danielle-Casanova")
    expect(courneuve.get_by_label("Nom du nouveau lieu")).to_be_hidden()
    expect(page.get_by_role("button", name="Créer la copie")).to_have_count(0)
    shot(page, "3-commune-unknown")
    lilas.get_by_label("Commune").fill("Saint-Denis")
    page.get_by_role("button", name="Voir l'aperçu").click()
    # The four half-days of the two cabanes in the one centre: 96 sessions by 30 June.
    expect(page.locator('[data-apercu="seances"]')).to_have_text("96")
    expect(page.locator("#apercu")).to_contain_text("Cabane des Lilas, Cabane de La Courneuve")
    shot(page, "4-places")

    page.get_by_role("button", name="Créer la copie").click()
    expect(page.get_by_text("est créé dans Ville de Saint-Denis")).to_be_visible()
    shot(page, "5-created")
    copy = Programme.objects.get(name="Cabane des 1000 premiers jours – Saint-Denis")
    assert copy.organisation == cabanes.target
    assert Session.objects.filter(activity_type__programme=copy).count() == 96
    context.close()
