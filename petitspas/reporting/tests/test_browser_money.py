"""The coordinator enters a budget line and a funder on a phone, sees the shares and the
cost per family, then runs the LAEP summary for 2025; the funder reads the budget."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[3] / "var" / "screenshots")
)


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_coordinator_enters_the_budget_and_runs_the_laep_summary(
    browser, live_server, alice, built, funder
):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/indicateurs/{alice.programme.pk}/")
    page.get_by_role("link", name="Budget et financeurs").click()
    page.goto(f"{live_server.url}/indicateurs/{alice.programme.pk}/budget/2025/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budget et financeurs 2025")

    line = page.locator("#ajouter-ligne")
    line.get_by_label("Poste").select_option(label="Personnel")
    line.get_by_label("Libellé").fill("Coordination")
    line.get_by_label("Montant (€)").fill("-136 000")
    line.get_by_role("button", name="Ajouter la ligne").click()
    expect(page.get_by_text("Le montant ne peut pas être négatif.")).to_be_visible()
    expect(page.locator("#ajouter-ligne").get_by_label("Libellé")).to_have_value("Coordination")
    shot(page, "1-budget-error")
    page.locator("#ajouter-ligne").get_by_label("Montant (€)").fill("136 000")
    page.locator("#ajouter-ligne").get_by_role("button", name="Ajouter la ligne").click()
    expect(page.get_by_text("Ligne de budget ajoutée.")).to_be_visible()

    funding = page.locator("#ajouter-financeur")
    funding.get_by_label("Financeur").fill("CAF")
    funding.get_by_label("Montant (€)").fill("26 000")
    funding.get_by_label("Précision (facultatif)").fill("pour le LAEP")
    funding.get_by_role("button", name="Ajouter le financeur").click()
    expect(page.get_by_text("Financement ajouté.")).to_be_visible()
    caf = page.locator('tr[data-financeur="CAF"] td')
    expect(caf.nth(0)).to_have_text("26\u202f000\u00a0€")
    expect(caf.nth(1)).to_have_text("100,0 %")
    expect(caf.nth(2)).to_have_text("19,1 %")
    expect(page.locator('[data-montant="cout-famille"]')).to_have_text("45\u202f333,33\u00a0€")
    expect(page.locator('tr[data-financeur="reste"] td').nth(0)).to_have_text("110\u202f000\u00a0€")
    shot(page, "2-budget")

    page.goto(f"{live_server.url}/indicateurs/{alice.programme.pk}/")
    page.get_by_role("link", name="Bilan d'activité LAEP (CAF)").click()
    page.get_by_label("Année").select_option("2025")
    page.get_by_role("button", name="Afficher le bilan").click()
    # One column per site, then the total.
    expect(page.locator('tr[data-mesure="sessions_held"] td').last).to_have_text("1")
    expect(page.locator('tr[data-mesure="headcount_adults"] td').last).to_have_text("6")
    expect(page.locator('tr[data-mesure="headcount_first_visits"] td').last).to_have_text("2")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en XLSX").click()
    assert download.value.suggested_filename.endswith("-2025.xlsx")
    shot(page, "3-laep")
    context.close()

    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, funder.email)
    page.goto(f"{live_server.url}/indicateurs/{alice.programme.pk}/budget/2025/")
    expect(page.locator('tr[data-financeur="CAF"] td').nth(0)).to_have_text("26\u202f000\u00a0€")
    expect(page.locator('[data-montant="cout-famille"]')).to_have_text("—")
    expect(page.get_by_role("button", name="Ajouter la ligne")).to_have_count(0)
    shot(page, "4-funder-budget")
    context.close()
