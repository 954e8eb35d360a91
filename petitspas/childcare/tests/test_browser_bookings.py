"""On a desktop: Lunel's coordinator opens the week grid of the accueil de loisirs and
books two half-days for an enrolled child; the same grid and half-day page on a 390×844
phone have no sideways scrolling."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.childcare.models import Booking
from petitspas.childcare.selectors_bookings import monday_of
from petitspas.childcare.tests.conftest import make_agency, open_like_lunel
from petitspas.childcare.tests.factories import enrol
from petitspas.childcare.tests.test_bookings import book
from petitspas.conftest import PHONE
from petitspas.organisations.models import PrescriberKind, ProgrammePrescriber
from petitspas.places.calendar import public_holidays

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots-bookings"
DESKTOP = {"width": 1280, "height": 900}


def a_week_without_holidays(today):
    monday = monday_of(today) + datetime.timedelta(days=7)
    while any(
        monday + datetime.timedelta(days=n) in public_holidays("34", monday.year) for n in range(5)
    ):
        monday += datetime.timedelta(days=7)
    return monday


def test_coordinator_books_two_half_days_from_the_week_grid(browser, live_server, bob):
    open_like_lunel(bob.site)
    agency = make_agency(
        "France Travail – Agence de Lunel", PrescriberKind.FRANCE_TRAVAIL, "conseil@ft-lunel.fr"
    )
    ProgrammePrescriber.objects.create(programme=bob.programme, organisation=agency.organisation)
    today = timezone.localdate()
    monday = a_week_without_holidays(today)
    tuesday, thursday = monday + datetime.timedelta(days=1), monday + datetime.timedelta(days=3)
    born = today - relativedelta(months=14)
    lina = enrol(bob.programme, first_name="Lina", birth_date=born, starts_on=today)
    for n, name in enumerate(["Adam", "Jade", "Noé", "Sacha", "Lou"]):
        other = enrol(bob.programme, first_name=name, birth_date=born, starts_on=today)
        book(bob, other, day=tuesday)
        if n < 2:
            book(bob, other, day=thursday)

    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, bob.coordinator.email)
    page.get_by_role("link", name="Demi-journées").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demi-journées d'accueil")
    page.get_by_role("link", name="Accueil de loisirs du parc").click()
    page.get_by_role("link", name="Semaine suivante").click()
    expect(page.get_by_role("heading", name=f"Semaine du {monday.day}")).to_be_visible()
    tuesday_am = page.locator(f'[data-slot="{tuesday:%Y-%m-%d}-am"]')
    expect(tuesday_am).to_contain_text("5/7 places prises")
    expect(
        page.locator(f'[data-slot="{monday + datetime.timedelta(days=4):%Y-%m-%d}-pm"]')
    ).to_contain_text("Pas d'ouverture ce jour")
    page.screenshot(path=f"{SHOTS}/1-grille-bureau.png", full_page=True)

    for day in (tuesday, thursday):
        page.locator(f'[data-slot="{day:%Y-%m-%d}-am"]').click()
        page.get_by_label("Enfant").select_option(label=f"Lina ({born:%d/%m/%Y})")
        page.get_by_label("Rendez-vous du parent").select_option("training")
        page.get_by_role("button", name="Réserver").click()
        expect(page.get_by_text("Demi-journée réservée pour Lina")).to_be_visible()
        expect(page.locator(".pp-places")).to_contain_text("/7")
        if day == tuesday:
            page.screenshot(path=f"{SHOTS}/2-demi-journee-bureau.png", full_page=True)
        page.get_by_role("link", name="Retour à la semaine").click()
    expect(tuesday_am).to_contain_text("6/7 places prises")
    expect(tuesday_am).to_contain_text("Lina")
    expect(page.locator(f'[data-slot="{thursday:%Y-%m-%d}-am"]')).to_contain_text("3/7")
    page.screenshot(path=f"{SHOTS}/3-grille-apres.png", full_page=True)
    assert Booking.objects.active().filter(enrolment=lina).count() == 2
    week_url = page.url
    context.close()

    # The same pages on a phone.
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, bob.coordinator.email)
    page.goto(week_url)
    expect(page.locator(f'[data-slot="{tuesday:%Y-%m-%d}-am"]')).to_contain_text("6/7")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=f"{SHOTS}/4-grille-telephone.png", full_page=True)
    page.locator(f'[data-slot="{tuesday:%Y-%m-%d}-am"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("matin")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=f"{SHOTS}/5-demi-journee-telephone.png", full_page=True)
    context.close()
