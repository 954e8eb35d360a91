"""A professional, on a 390×844 phone, creates a walk-in family with a first name, finds it
again by typing "zoe" (htmx live results) and opens its file."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.core.models import AuditEntry
from petitspas.families.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def test_professional_creates_and_finds_a_family_on_a_phone(browser, live_server, alice):
    PersonFactory(household__organisation=alice.organisation, first_name="Awa")
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, alice.professional.email)

    page.goto(f"{live_server.url}/familles/rapide/")
    page.get_by_label("Prénom").fill("Zoé")
    page.get_by_role("button", name="Créer la famille").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Famille F-")
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Famille ")

    page.goto(f"{live_server.url}/familles/")
    page.get_by_role("searchbox").fill("zoe")
    results = page.locator("#resultats")
    expect(results).to_contain_text("1 famille trouvée")
    expect(results).to_contain_text(code)
    expect(results).not_to_contain_text("Awa")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "families-search-phone.png", full_page=True)

    results.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Famille {code}")
    expect(page.get_by_role("link", name="Modifier Zoé")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "families-detail-phone.png", full_page=True)
    assert AuditEntry.objects.filter(action="household.view").count() == 2  # create, then link

    page.goto(f"{live_server.url}/familles/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle famille")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / "families-create-phone.png", full_page=True)
    context.close()


def test_admin_hands_over_then_erases_a_familys_data(browser, live_server, alice):
    household = PersonFactory(
        household__organisation=alice.organisation, household__code="F-0042", first_name="Awa"
    ).household
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", accept_downloads=True
    )
    page = context.new_page()
    sign_in(page, live_server, alice.admin.email)
    page.goto(f"{live_server.url}/familles/{household.pk}/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter ses données (droit d'accès)").click()
    assert download.value.suggested_filename == "petitspas-famille-f-0042.json"
    assert '"first_name": "Awa"' in Path(download.value.path()).read_text()

    page.get_by_role("link", name="Anonymiser (droit à l'effacement)").click()
    page.get_by_label("Code de la famille, pour confirmer").fill("F-0024")
    page.get_by_role("button", name="Anonymiser définitivement").click()
    expect(page.get_by_role("alert")).to_contain_text("corrigez le point signalé")
    expect(page.get_by_label("Code de la famille, pour confirmer")).to_have_value("F-0024")
    page.screenshot(path=SCREENSHOTS / "families-anonymise-error.png", full_page=True)

    page.get_by_label("Code de la famille, pour confirmer").fill("F-0042")
    page.get_by_role("button", name="Anonymiser définitivement").click()
    expect(page.get_by_text("La famille F-0042 est anonymisée")).to_be_visible()
    expect(page.locator("#resultats")).not_to_contain_text("F-0042")
    page.screenshot(path=SCREENSHOTS / "families-anonymised.png", full_page=True)
    household.refresh_from_db()
    assert household.code == f"ANONYME-{household.pk}"
    context.close()
