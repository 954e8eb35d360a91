"""The coordinator of Les Petits Pas reads March 2025's referrals, half-days and
orientations on the dashboard; the funder reads them on a phone, small cells hidden."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.accounts.tests.factories import UserFactory
from petitspas.conftest import PHONE
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory
from petitspas.reporting.tests import test_childcare_indicators

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
month = test_childcare_indicators.month  # the hand-computed March of Les Petits Pas

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "reporting"
# Read before any test moves the clocks: the browser keeps the session cookie by its own.
NOW = datetime.datetime.now()


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def open_march(page, live_server, programme):
    page.goto(f"{live_server.url}/indicateurs/")
    page.get_by_role("link", name=programme.name).click()
    page.get_by_label("Du", exact=True).fill("2025-03-01")
    page.get_by_label("Au", exact=True).fill("2025-03-31")
    page.get_by_role("button", name="Afficher").click()


def test_coordinator_and_funder_read_the_childcare_figures(browser, live_server, month, travel):
    travel(NOW, tick=True)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    sign_in(page, live_server, month.bob.coordinator.email)
    open_march(page, live_server, month.programme)
    expect(page.get_by_role("table", name="Accueil des enfants", exact=True)).to_be_visible()
    booked = page.locator('tr[data-indicateur="childcare_half_days_booked"]')
    expect(booked.locator("td").nth(0)).to_have_text("12")
    received = page.locator('tr[data-indicateur="referrals_received"]')
    expect(received.locator("td").nth(0)).to_have_text("4")
    occupancy = page.locator('tr[data-indicateur="childcare_occupancy"]')
    expect(occupancy.locator("td").nth(0)).to_have_text("4,4 %")
    chart = "Rendez-vous des parents couverts par l'accueil des enfants"
    expect(page.get_by_role("img", name=chart)).to_be_visible()
    shot(page, "coordinator-childcare-figures")
    context.close()

    funder = MembershipFactory(
        organisation=month.bob.organisation,
        role=Role.FUNDER,
        user=UserFactory(email="caf-herault@exemple.fr"),
    ).user
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, funder.email)
    open_march(page, live_server, month.programme)
    received = page.locator('tr[data-indicateur="referrals_received"]')
    expect(received.locator("td").nth(0)).to_have_text("< 5")
    booked = page.locator('tr[data-indicateur="childcare_half_days_booked"]')
    expect(booked.locator("td").nth(0)).to_have_text("12")
    shot(page, "funder-childcare-figures")
    context.close()
