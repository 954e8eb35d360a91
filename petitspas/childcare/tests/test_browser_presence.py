"""The issue's journey, on 390×844 phones: a France Travail adviser refers a parent and her
child, Lunel's coordinator accepts (the enrolment is created) and books the morning and
the afternoon of the day, the professional checks the child in and out of both, undoing a
wrong tap, and the adviser reads "inscrit, 2 demi-journées".

The clock is moved to a Tuesday to come (8:00, then through the day): the site opens
both half-days, and the browser keeps the sessions it is given."""

import datetime
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.childcare.models import Booking, Enrolment
from petitspas.childcare.tests.conftest import make_agency, open_like_lunel
from petitspas.conftest import PHONE
from petitspas.organisations.models import PrescriberKind, ProgrammePrescriber
from petitspas.places.calendar import public_holidays

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-presence")


def a_tuesday_to_come(today: datetime.date) -> datetime.date:
    day = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    while day in public_holidays("34", day.year):
        day += datetime.timedelta(days=7)
    return day


def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    return context, context.new_page()


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_refer_accept_book_check_in_and_out_then_the_prescriber_reads_it(
    browser, live_server, bob, travel
):
    open_like_lunel(bob.site)
    agency = make_agency(
        "France Travail – Agence de Lunel", PrescriberKind.FRANCE_TRAVAIL, "conseil@ft-lunel.fr"
    )
    ProgrammePrescriber.objects.create(programme=bob.programme, organisation=agency.organisation)
    day = a_tuesday_to_come(timezone.localdate())

    def at(hour, minute):
        travel(datetime.datetime.combine(day, datetime.time(hour, minute)), tick=True)

    at(8, 0)
    birth = day - relativedelta(months=14)

    # The adviser refers Samira and Inès, on a phone.
    context, page = phone(browser)
    sign_in(page, live_server, agency.prescriber.email)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Mes orientations").click()
    page.get_by_role("link", name="Orienter une famille").click()
    page.get_by_label("Prénom du parent").fill("Samira")
    page.get_by_label("Téléphone du parent").fill("06 12 34 56 78")
    page.get_by_label("Parcours d'insertion").select_option("france_travail")
    page.get_by_label("Conseiller ou conseillère qui suit le parent").fill("Julien Fabre")
    page.locator("#id_enfants-0-first_name").fill("Inès")
    page.locator("#id_enfants-0-birth_date").fill(birth.isoformat())
    page.get_by_label("Besoin d'accueil à partir du").fill(day.isoformat())
    page.get_by_label("Jours ou rendez-vous à couvrir").fill(
        "Formation le mardi, toute la journée."
    )
    fits(page)
    shot(page, "1-orientation-telephone")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orientation de Samira")
    context.close()

    # The coordinator accepts with Tuesday morning and afternoon, then books both.
    context, page = phone(browser)
    sign_in(page, live_server, bob.coordinator.email)
    page.goto(f"{live_server.url}/accueil-enfants/orientations/")
    page.get_by_role("link", name="Samira · France Travail").click()
    page.get_by_role("button", name="Commencer l'étude").click()
    page.locator("#decision-review").get_by_role("button", name="Commencer l'étude").click()
    page.get_by_role("button", name="Accepter").click()
    accept = page.locator("#decision-accept")
    accept.get_by_label("mardi matin").check()
    accept.get_by_label("mardi après-midi").check()
    accept.get_by_role("button", name="Accepter").click()
    expect(page.get_by_text("Orientation : acceptée.")).to_be_visible()
    enrolment = Enrolment.objects.get()
    assert (enrolment.child.first_name, enrolment.starts_on) == ("Inès", day)

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Demi-journées", exact=True).click()
    page.get_by_role("link", name="Accueil de loisirs du parc").click()
    for half_day in ("am", "pm"):
        page.locator(f'[data-slot="{day:%Y-%m-%d}-{half_day}"]').click()
        page.get_by_label("Enfant").select_option(label=f"Inès ({birth:%d/%m/%Y})")
        page.get_by_label("Rendez-vous du parent").select_option("training")
        page.get_by_role("button", name="Réserver").click()
        expect(page.get_by_text("Demi-journée réservée pour Inès")).to_be_visible()
        fits(page)
        if half_day == "am":
            shot(page, "2-reservation-telephone")
        page.get_by_role("link", name="Retour à la semaine").click()
    context.close()
    assert Booking.objects.active().filter(enrolment=enrolment).count() == 2

    # The professional checks Inès in at 8:35, taps "Départ" by mistake and undoes it.
    at(8, 35)
    context, page = phone(browser)
    sign_in(page, live_server, bob.professional.email)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Demi-journées du jour").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demi-journées du jour")
    morning = page.locator("section", has=page.get_by_role("heading", name="Matin"))
    afternoon = page.locator("section", has=page.get_by_role("heading", name="Après-midi"))
    expect(morning).to_contain_text("Inès · 14 mois")
    expect(morning).to_contain_text("Rendez-vous du parent : formation")
    expect(morning).to_contain_text("1 enfant · 0 présent · 0 parti · 1 attendu")
    fits(page)
    shot(page, "3-jour-avant")
    morning.get_by_role("button", name="Arrivée de Inès").click()
    expect(morning).to_contain_text("Arrivé(e) à 8 h 35")
    expect(morning).to_contain_text("1 enfant · 1 présent · 0 parti · 0 attendu")
    expect(page.locator("#presence-annonce")).to_have_text("Arrivée de Inès notée à 8 h 35.")
    # htmx kept the focus on the row's main button.
    expect(morning.get_by_role("button", name="Départ de Inès")).to_be_focused()
    morning.get_by_role("button", name="Départ de Inès").click()
    expect(morning).to_contain_text("parti(e) à 8 h 35")
    morning.get_by_role("button", name="Annuler le départ de Inès").click()
    expect(morning).not_to_contain_text("parti(e)")
    expect(morning.get_by_role("button", name="Départ de Inès")).to_be_visible()
    fits(page)
    shot(page, "4-jour-arrivee")
    # The afternoon's absence reasons, one tap away.
    afternoon.locator("summary").click()
    expect(afternoon.get_by_role("button", name="Malade : Inès")).to_be_visible()
    shot(page, "5-jour-absence-ouverte")
    context.close()

    # At 12:10 she leaves, at 13:32 she is back (a new sign-in each time: the session ends
    # after 30 minutes idle).
    for hour, minute, section, button in (
        (12, 10, "Matin", "Départ de Inès"),
        (13, 32, "Après-midi", "Arrivée de Inès"),
    ):
        at(hour, minute)
        context, page = phone(browser)
        sign_in(page, live_server, bob.professional.email)
        page.goto(f"{live_server.url}/accueil-enfants/aujourdhui/")
        part = page.locator("section", has=page.get_by_role("heading", name=section))
        part.get_by_role("button", name=button).click()
        expect(part).to_contain_text(f"{hour} h {minute:02d}")
        context.close()
    # At 16:55 she leaves, noted on a phone without JavaScript: the same plain form.
    at(16, 55)
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, live_server, bob.professional.email)
    page.goto(f"{live_server.url}/accueil-enfants/aujourdhui/")
    afternoon = page.locator("section", has=page.get_by_role("heading", name="Après-midi"))
    afternoon.get_by_role("button", name="Départ de Inès").click()
    expect(page.get_by_text("Départ de Inès noté à 16 h 55.")).to_be_visible()
    morning = page.locator("section", has=page.get_by_role("heading", name="Matin"))
    afternoon = page.locator("section", has=page.get_by_role("heading", name="Après-midi"))
    expect(morning).to_contain_text("Arrivé(e) à 8 h 35 · parti(e) à 12 h 10")
    expect(afternoon).to_contain_text("Arrivé(e) à 13 h 32 · parti(e) à 16 h 55")
    fits(page)
    shot(page, "6-jour-fin-sans-javascript")
    context.close()
    booked = Booking.objects.filter(enrolment=enrolment).order_by("slot__half_day")
    assert all(b.checked_in_at and b.checked_out_at for b in booked)

    # The adviser reads the outcome.
    at(17, 30)
    context, page = phone(browser)
    sign_in(page, live_server, agency.prescriber.email)
    page.goto(f"{live_server.url}/accueil-enfants/mes-orientations/")
    card = page.locator(".pp-referrals li").first
    expect(card).to_contain_text("Inès : inscrit, 2 demi-journées utilisées ce mois-ci")
    expect(card).to_contain_text("sur 2 réservées")
    fits(page)
    shot(page, "7-prescripteur")
    context.close()

    # The coordinator reads the month's hours: 3 h 45 + 3 h 30 planned.
    context, page = phone(browser)
    sign_in(page, live_server, bob.coordinator.email)
    page.goto(f"{live_server.url}/accueil-enfants/garde/")
    row = page.locator("#heures tbody tr", has_text="Inès")
    expect(row).to_contain_text("7 h 15")
    fits(page)
    row.scroll_into_view_if_needed()
    shot(page, "8-heures-du-mois")
    row.get_by_role("link", name="Inès").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réservations de Inès")
    expect(page.locator("#heures")).to_contain_text("7 h 15")
    expect(page.get_by_text("arrivée 8 h 35, départ 12 h 10")).to_be_visible()
    fits(page)
    shot(page, "9-inscription")
    context.close()
