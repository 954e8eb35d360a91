"""The territorial diagnosis in one sitting, as a coordinator of the Paris programme would
go through it (seed 004): import the neighbourhoods' indicators, code a passage of an
interview, plan an urban walk, and print the methodological booklet."""

import datetime
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from petitspas.accounts.tests.browser import sign_in
from petitspas.diagnosis.models import (
    Area,
    BookletSection,
    IndicatorValue,
    Passage,
    UrbanWalk,
)
from petitspas.diagnosis.services_areas import boundaries_import
from petitspas.diagnosis.tests.inquiry_fixtures import make_code, make_record
from petitspas.diagnosis.tests.test_browser_inquiry import select_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent.parent / "data"
SHOTS = Path("/tmp/shots-diagnosis-journey")
AREA = "Quartier Flandre (19e)"
TRANSCRIPT = (
    "On est arrivés rue de Flandre l'an dernier.\n"
    "Le soir, avec les enfants, on ne sait pas où aller : le square ferme tôt.\n"
    "À la crèche, pas de place avant septembre."
)
PASSAGE = "le square ferme tôt."


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def paris(alice):
    """Alice's organisation holds the four Paris neighbourhoods' IRIS, a codebook and an
    interview in the 19e, and the first step of its method in the booklet."""
    boundaries_import(
        by=alice.coordinator,
        organisation=alice.organisation,
        content=(DATA / "paris_iris.geojson").read_bytes(),
    )
    area = Area.objects.get(organisation=alice.organisation, name=AREA)
    public_space = make_code(alice.organisation, "Usage de l'espace public", position=1)
    make_code(alice.organisation, "Horaires des squares", parent=public_space)
    make_code(alice.organisation, "Accès aux modes de garde", position=2)
    make_record(area, transcript=TRANSCRIPT, title="Entretien avec un père, rue de Flandre")
    BookletSection.objects.create(
        organisation=alice.organisation,
        part="method",
        position=1,
        title="Constituer le groupe d'ingénierie",
        body="La coordinatrice sociale territoriale réunit les partenaires du quartier.",
    )
    return area


def test_coordinator_imports_codes_plans_a_walk_and_prints_the_booklet(
    browser, live_server, alice, paris
):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="fr-FR",
        timezone_id="Europe/Paris",
        accept_downloads=True,
    )
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    sign_in(page, live_server, alice.coordinator.email)

    # 1. The indicators of INSEE's "base infracommunale", by IRIS.
    page.get_by_role("link", name="Diagnostic territorial").first.click()
    page.get_by_role("link", name="Importer des indicateurs (CSV)").click()
    page.get_by_label("Fichier CSV des indicateurs").set_input_files(DATA / "paris_indicateurs.csv")
    page.get_by_label("Source").fill("INSEE, RP 2021")
    page.get_by_label("Année des données").fill("2021")
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("button", name="Importer avec ces colonnes").click()
    expect(page.locator("#resultat-import")).to_contain_text("200 valeurs de 25 lignes")
    assert IndicatorValue.objects.count() == 200
    page.get_by_role("link", name=AREA).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(AREA)
    shot(page, "1-area")

    # 2. A passage of an interview of the area, coded by selecting it.
    page.get_by_role("link", name="Entretiens, focus groups et observations").click()
    page.get_by_role("link", name="Entretien avec un père, rue de Flandre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Entretien avec un père, rue de Flandre"
    )
    expect(page.locator("#transcript")).to_be_visible()
    select_text(page, PASSAGE)
    expect(page.get_by_label("Passage à coder")).to_have_value(PASSAGE)
    page.get_by_label("Usage de l'espace public › Horaires des squares").check()
    page.get_by_role("button", name="Coder ce passage").click()
    expect(page.get_by_text("Le passage est codé.")).to_be_visible()
    passage = Passage.objects.get()
    assert TRANSCRIPT[passage.start : passage.end] == PASSAGE
    shot(page, "2-coded")

    # 3. An urban walk in the area, from the area's page.
    page.goto(f"{live_server.url}/diagnostic/quartiers/{paris.pk}/")
    page.get_by_role("link", name="Parcours urbains").click()
    page.get_by_role("link", name="Programmer un parcours").click()
    day = datetime.date.today() + datetime.timedelta(days=14)
    page.get_by_label("Titre").fill("Les squares de Flandre")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Début").fill("10:00")
    page.get_by_label("Fin").fill("12:00")
    page.get_by_label("Guide").fill("Samia, habitante-relais")
    page.get_by_label("Places").fill("15")
    for number, (name, lat, lon) in enumerate(
        (
            ("Square de Joinville", "48.8905", "2.3770"),
            ("Jardin d'Éole", "48.8881", "2.3645"),
        ),
        start=1,
    ):
        page.locator(".pp-stop").nth(number - 1).locator("summary").click()
        page.get_by_label(f"Étape {number} : nom (point libre)").fill(name)
        page.get_by_label(f"Étape {number} : latitude").fill(lat)
        page.get_by_label(f"Étape {number} : longitude").fill(lon)
    page.get_by_role("button", name="Programmer le parcours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les squares de Flandre")
    walk = UrbanWalk.objects.get()
    assert walk.area == paris and walk.stops.count() == 2
    shot(page, "3-walk")

    # 4. The booklet: a first edition, printed.
    page.goto(f"{live_server.url}/diagnostic/enquete/{alice.organisation.pk}/livret/")
    page.get_by_label("Ce qui a changé dans cette édition").fill("Première édition.")
    page.get_by_role("button", name="Publier l'édition n° 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Livret méthodologique, édition n° 1")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    pdf = download_info.value.path().read_bytes()
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Constituer le groupe d'ingénierie" in text
    assert "Usage de l'espace public" in text and "Accès aux modes de garde" in text
    shot(page, "4-booklet")
    context.close()
