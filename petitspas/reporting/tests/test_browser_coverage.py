"""The coordinator imports the social hotels' list on a phone (one bad row named, the good
ones kept), enters the département's reference figures, then reads the coverage by town
on the map and in the table, with the children not reached; the funder reads the towns'
figures with small cells hidden, and no hotel."""

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance
from petitspas.conftest import PHONE
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[3] / "var" / "screenshots")
)
CSV = (
    "nom;adresse;code_insee;enfants;latitude;longitude;lieu\n"
    "Hôtel des Tilleuls;7 rue de la République;93008;40;48.9079;2.4394;Hôtel social – Bobigny\n"
    "Hôtel du Canal;;93008;25;48.9165;2.4312;\n"
    "Hôtel de la Gare;;93066;plusieurs;48.9234;2.3579;\n"
    "Hôtel du Parc;;93066;60;48.9234;2.3579;\n"
)


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"coverage-{name}.png", full_page=True)


def test_coordinator_imports_the_hotels_and_reads_the_coverage(
    browser, live_server, alice, funder, tmp_path
):
    hotel = SiteFactory(
        programme=alice.programme,
        name="Hôtel social – Bobigny",
        kind=Site.Kind.SOCIAL_HOTEL,
        postcode="93000",
        commune_code="93008",
        town="Bobigny",
    )
    family = HouseholdFactory(organisation=alice.organisation, housing_site=hotel)
    session = SessionFactory(
        activity_type=ActivityTypeFactory(programme=alice.programme),
        site=hotel,
        date=timezone.localdate().replace(month=1, day=1),
    )
    for person in (
        PersonFactory(household=family, parent=True),
        PersonFactory(household=family, child=True),
        PersonFactory(household=family, child=True),
    ):
        Attendance.objects.create(
            session=session, person=person, household=family, status=Attendance.Status.PRESENT
        )
    path = tmp_path / "hotels-93.csv"
    path.write_text(CSV, encoding="utf-8")

    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/indicateurs/{alice.programme.pk}/couverture/")
    expect(page.get_by_text("Aucun hôtel social dans la liste de référence")).to_be_visible()
    page.get_by_role("link", name="Importer la liste des hôtels").click()

    page.get_by_label("Fichier CSV des hôtels sociaux").set_input_files(str(path))
    page.get_by_role("button", name="Importer", exact=True).click()
    result = page.locator("#resultat-import")
    expect(result).to_contain_text("3 lignes retenues, 1 refusée")
    expect(result).to_contain_text(
        "Ligne 4 : le nombre d'enfants « plusieurs » n'est pas un nombre entier."
    )
    shot(page, "1-import")

    figures = page.locator("#chiffres-reference")
    figures.get_by_label("Département").fill("93")
    figures.get_by_label("Hôtels sociaux").fill("127")
    figures.get_by_label("Enfants qui y vivent").fill("4635")
    figures.get_by_label("Dont enfants de 0 à 6 ans").fill("5261")
    figures.get_by_label("Source").fill("Asmae, Espace Petits Pas")
    figures.get_by_label("Année des chiffres").fill("2022")
    figures.get_by_role("button", name="Enregistrer les chiffres").click()
    expect(page.get_by_text("ne peuvent être plus nombreux")).to_be_visible()
    figures = page.locator("#chiffres-reference")
    expect(page.locator("#chiffres-reference").get_by_label("Source")).to_have_value(
        "Asmae, Espace Petits Pas"
    )
    figures.get_by_label("Enfants qui y vivent").fill("5261")
    figures.get_by_label("Dont enfants de 0 à 6 ans").fill("4635")
    page.get_by_role("button", name="Enregistrer les chiffres").click()
    expect(page.get_by_text("sont enregistrés")).to_be_visible()

    page.get_by_role("link", name="Voir la couverture des hôtels sociaux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Où les familles ne sont pas encore atteintes"
    )
    expect(
        page.get_by_text("127 hôtels sociaux, 5\u202f261 enfants dont 4\u202f635")
    ).to_be_visible()
    bobigny = page.locator('tr[data-commune="93008"] td')
    expect(bobigny.nth(0)).to_have_text("2")
    expect(bobigny.nth(1)).to_have_text("1")
    expect(bobigny.nth(3)).to_have_text("65")
    expect(bobigny.nth(4)).to_have_text("2")
    expect(bobigny.nth(5)).to_have_text("63")
    total = page.locator('tr[data-commune="total"] td')
    expect(total.nth(5)).to_have_text("123")
    expect(page.locator("#coverage-map")).to_be_visible()
    expect(page.locator("#coverage-map .leaflet-interactive")).to_have_count(2)
    shot(page, "2-coverage")
    context.close()

    # The funder reads the towns' figures, small cells hidden, and no hotel.
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, funder.email)
    page.goto(f"{live_server.url}/indicateurs/{alice.programme.pk}/couverture/")
    bobigny = page.locator('tr[data-commune="93008"] td')
    expect(bobigny.nth(3)).to_have_text("65")
    expect(bobigny.nth(4)).to_have_text("< 5")
    expect(bobigny.nth(5)).to_have_text("non communiqué")
    expect(
        page.get_by_text("le nombre d'enfants non atteints n'est pas communiqué")
    ).to_be_visible()
    expect(page.locator('tr[data-commune="total"] td').nth(4)).to_have_text("< 5")
    expect(page.get_by_text("Hôtel des Tilleuls")).to_have_count(0)
    expect(page.get_by_text("7 rue de la République")).to_have_count(0)
    expect(page.locator("#coverage-map")).to_have_count(0)
    shot(page, "3-funder")
    context.close()
