"""A coordinator creates a site with its opening rules and reads its calendar, on a desktop
screen and on a 390×844 phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def tick(page, label):
    """Tick a DSFR checkbox as a person does: by its visible box, which is the label."""
    box = page.get_by_label(label)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def create_lunel_site(page, live_server, name):
    page.goto(f"{live_server.url}/lieux/nouveau/")
    page.get_by_label("Nom", exact=True).fill(name)
    page.get_by_label("Type de lieu").select_option(label="École")
    page.get_by_label("Adresse", exact=True).fill("149 rue des 4 Vents")
    page.get_by_label("Code postal").fill("34400")
    page.get_by_label("Commune").fill("Lunel")
    expect(page.locator("#communes-proposees option").first).to_have_attribute(
        "value", "Lunel — 34145"
    )
    page.get_by_label("Commune").fill("Lunel — 34145")
    # Wednesdays all year; Monday mornings during school holidays only; one overlap first.
    tick(page, "Ouvert le mercredi matin")
    page.get_by_label("Ouverture le mercredi matin").fill("08:30")
    page.get_by_label("Fermeture le mercredi matin").fill("12:15")
    tick(page, "Ouvert le mercredi après-midi")
    page.get_by_label("Ouverture le mercredi après-midi").fill("12:00")
    page.get_by_label("Fermeture le mercredi après-midi").fill("17:00")
    tick(page, "Ouvert le lundi matin")
    page.get_by_label("Vacances scolaires le lundi matin").select_option(
        label="pendant les vacances scolaires seulement"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").first).to_contain_text("se chevauchent")
    # What was typed is kept; fix the afternoon and save.
    expect(page.get_by_label("Nom", exact=True)).to_have_value(name)
    page.get_by_label("Ouverture le mercredi après-midi").fill("13:30")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_coordinator_creates_a_site_and_sees_its_calendar(page, live_server, bob):
    sign_in(page, live_server, bob.coordinator.email)
    create_lunel_site(page, live_server, "École maternelle Arc-en-Ciel")
    expect(page.get_by_text("Vacances scolaires : zone C")).to_be_visible()
    calendar = page.locator(".pp-calendar")
    expect(calendar).to_have_count(8)
    expect(page.locator(".pp-day--open").first).to_contain_text("08h30–12h15")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "site-calendar-desktop.png", full_page=True)


def test_coordinator_does_it_on_a_phone(browser, live_server, bob):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, bob.coordinator.email)
    create_lunel_site(page, live_server, "Arc-en-Ciel sur téléphone")
    expect(page.locator(".pp-calendar").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the calendar must not scroll sideways on a phone"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "site-calendar-phone.png", full_page=True)
    context.close()
