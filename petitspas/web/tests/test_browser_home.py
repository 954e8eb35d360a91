"""A family on a 390×844 phone goes from the home page to the agenda in one tap."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def test_a_family_finds_the_agenda_from_the_home_page_on_a_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    action = page.get_by_role("link", name="Trouver un atelier près de chez vous")
    expect(action).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "home-phone.png", full_page=True)
    action.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda des familles")
    context.close()
