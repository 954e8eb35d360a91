"""The coordinator opens the organisation's figures from the menu, on a phone: both
programmes side by side and the families of the whole organisation counted once."""

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.reporting.tests.test_browser_funder_demo import shot
from petitspas.reporting.tests.test_organisation import two  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reads_the_organisation_figures(browser, live_server, alice, two):  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, alice.coordinator.email)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Indicateurs").first.click()
    page.get_by_role("link", name=f"Ensemble de {alice.organisation.name}").click()
    page.get_by_label("Du", exact=True).fill("2025-01-01")
    page.get_by_label("Au", exact=True).fill("2025-12-31")
    page.get_by_role("button", name="Afficher").click()
    total = page.locator('tr[data-indicateur="households_reached"]').first
    # H1, H2, H3, H4 in 2025 against H3, H2 in 2024: the Espace's 3 and the Cabanes' 2
    # share H1.
    expect(total.locator("td")).to_have_text(["4", "2", "+2", "+100,0 %"])
    side = page.get_by_role("table", name="Les programmes côte à côte")
    row = side.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Familles touchées", exact=True)
    )
    expect(row.locator("td")).to_have_text(["3", "1", "2", "1", "4", "2"])
    shot(page, "coordinator-organisation-phone")
    context.close()
