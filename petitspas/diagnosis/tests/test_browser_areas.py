"""The coordinator imports the indicators' CSV, maps its columns, sees the choropleth of a
neighbourhood beside its table; then draws an area on the map, on a phone."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.diagnosis.models import Area, IndicatorValue
from petitspas.diagnosis.services_areas import boundaries_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent.parent / "data"
SHOTS = Path("/tmp/shots-diagareas")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def no_tiles(page):
    # No network for the map's background: the page says so and draws the IRIS anyway.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())


def test_coordinator_imports_indicators_and_sees_the_choropleth(browser, live_server, alice):
    boundaries_import(
        by=alice.coordinator,
        organisation=alice.organisation,
        content=(DATA / "paris_iris.geojson").read_bytes(),
    )
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    no_tiles(page)
    sign_in(page, live_server, alice.coordinator.email)
    page.get_by_role("link", name="Diagnostic territorial").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic territorial")
    page.get_by_role("link", name="Importer des indicateurs (CSV)").click()
    page.get_by_label("Fichier CSV des indicateurs").set_input_files(DATA / "paris_indicateurs.csv")
    page.get_by_label("Source").fill("INSEE, RP 2021")
    page.get_by_label("Année des données").fill("2021")
    page.get_by_role("button", name="Lire le fichier").click()
    # The columns are proposed from INSEE's names.
    expect(page.get_by_label("Colonne du lieu")).to_have_value("IRIS")
    expect(page.get_by_label("Colonne « C21_FAMMONO »")).to_have_value("FAMMONO")
    expect(page.get_by_label("Colonne « LIBIRIS »")).to_have_value("")
    shot(page, "1-mapping")
    page.get_by_role("button", name="Importer avec ces colonnes").click()
    expect(page.locator("#resultat-import")).to_contain_text("200 valeurs de 25 lignes")
    assert IndicatorValue.objects.count() == 200
    page.get_by_role("link", name="Quartier Flandre (19e)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quartier Flandre (19e)")
    row = page.locator('tr[data-indicateur="POP"]')
    expect(row.locator("td").nth(1)).to_contain_text("181\u202f616")
    expect(row.locator("td").nth(2)).to_contain_text("2\u202f103\u202f778")
    # The choropleth: five IRIS of the 19e and the area's outline, a legend, a table.
    page.get_by_label("Indicateur de la carte").select_option(label="Familles monoparentales")
    page.get_by_role("button", name="Afficher la carte").click()
    expect(page.locator("#carte-titre")).to_contain_text("familles monoparentales")
    expect(page.locator("#choropleth-map")).to_be_visible()
    expect(page.locator("#choropleth-map path.leaflet-interactive")).to_have_count(5)
    expect(page.locator("#choropleth-map .leaflet-overlay-pane path")).to_have_count(6)
    legend = page.locator("#choropleth-legend")
    expect(legend).to_contain_text("moins de")
    expect(legend).to_contain_text("et plus")
    expect(legend).to_contain_text("pas de valeur")
    expect(page.locator("#choropleth-table tbody tr")).to_have_count(5)
    expect(page.locator("#choropleth-table tbody tr.pp-in-area")).to_have_count(3)
    page.locator("#choropleth-map").scroll_into_view_if_needed()
    shot(page, "2-area")

    # The impact report, before and after the kiosque's opening.
    page.get_by_role("link", name="Étude d'impact").click()
    page.get_by_label("Date de l'action").fill("2022-09-01")
    page.get_by_label("Familles monoparentales").check()
    page.get_by_role("button", name="Comparer").click()
    table = page.locator("#impact")
    expect(table).to_contain_text("Familles monoparentales (%)")
    expect(table).to_contain_text("Familles touchées")
    expect(page.locator("#impact-sans-lieu")).to_be_visible()
    shot(page, "3-impact")

    # Adjusting the area: its IRIS' contour becomes its own, drawn one.
    page.goto(
        f"{live_server.url}/diagnostic/quartiers/{area_pk('Quartier Flandre (19e)')}/modifier/"
    )
    page.get_by_role("button", name="Ajuster le contour des IRIS").click()
    expect(page.locator("#area-map-status")).to_contain_text("Contour des IRIS copié")
    expect(page.get_by_label("Contour (GeoJSON)")).to_have_value(re.compile("MultiPolygon"))
    expect(page.get_by_role("button", name="Ajuster le contour des IRIS")).to_be_hidden()
    shot(page, "4-adjust")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quartier Flandre (19e)")
    geometry = Area.objects.get(name="Quartier Flandre (19e)").geometry
    assert geometry["type"] == "MultiPolygon" and len(geometry["coordinates"]) == 3
    context.close()


def area_pk(name):
    return Area.objects.get(name=name).pk


def test_coordinator_draws_an_area_on_a_phone(browser, live_server, alice):
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", has_touch=False
    )
    page = context.new_page()
    no_tiles(page)
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/diagnostic/")
    page.get_by_role("link", name="Dessiner un quartier").click()
    page.get_by_label("Nom du quartier").fill("Autour du square")
    page.get_by_label("Commune ou arrondissement (code INSEE)").fill("75119")
    the_map = page.locator("#area-draw-map")
    the_map.scroll_into_view_if_needed()
    expect(the_map).to_be_visible()
    page.locator(".leaflet-pm-icon-polygon").click()
    box = the_map.bounding_box()
    points = [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]
    for x, y in points:
        page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    expect(page.locator("#area-map-status")).to_have_text("Contour dessiné : 1 polygone.")
    shot(page, "5-draw-phone")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autour du square")
    area = Area.objects.get(name="Autour du square")
    geometry = area.geometry
    assert geometry["type"] == "Polygon"
    assert len(geometry["coordinates"][0]) == 5
    lon, lat = geometry["coordinates"][0][0]
    assert 2.2 < lon < 2.5 and 48.8 < lat < 48.95, json.dumps(geometry)
    shot(page, "6-area-phone")
    context.close()
