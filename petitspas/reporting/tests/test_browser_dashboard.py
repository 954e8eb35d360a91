"""The coordinator opens the programme's figures and compares 2025 with 2024; the funder
opens its programme's figures, small cells hidden."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "reporting"


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_coordinator_compares_a_year_with_the_previous_one(browser, live_server, alice, built):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    sign_in(page, live_server, alice.coordinator.email)
    page.get_by_role("link", name="Indicateurs").first.click()
    page.get_by_role("link", name=alice.programme.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Indicateurs — {alice.programme.name}"
    )
    page.get_by_label("Du", exact=True).fill("2025-01-01")
    page.get_by_label("Au", exact=True).fill("2025-12-31")
    page.get_by_role("button", name="Afficher").click()
    row = page.locator('tr[data-indicateur="households_reached"]')
    expect(row.locator("td").nth(0)).to_have_text("3")
    expect(row.locator("td").nth(1)).to_have_text("1")
    expect(row.locator("td").nth(2)).to_have_text("+2")
    expect(row.locator("td").nth(3)).to_have_text("+200,0 %")
    expect(page.get_by_role("img", name="Enfants touchés par âge")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en XLSX (un onglet par tableau)").click()
    assert download.value.suggested_filename.endswith("-20250101-20251231.xlsx")
    shot(page, "coordinator-dashboard")
    context.close()


def test_funder_opens_its_programme_figures(browser, live_server, alice, funder, built):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, funder.email)
    page.goto(f"{live_server.url}/indicateurs/")
    page.get_by_role("link", name=alice.programme.name).click()
    page.get_by_label("Du", exact=True).fill("2025-01-01")
    page.get_by_label("Au", exact=True).fill("2025-12-31")
    page.get_by_role("button", name="Afficher").click()
    row = page.locator('tr[data-indicateur="households_reached"]')
    expect(row.locator("td").nth(0)).to_have_text("< 5")
    expect(page.get_by_text("Les effectifs de moins de 5 personnes")).to_be_visible()
    expect(page.locator('tr[data-indicateur="sessions_held"] td').nth(0)).to_have_text("4")
    shot(page, "funder-dashboard")
    context.close()
