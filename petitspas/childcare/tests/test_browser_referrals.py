"""On a 390×844 phone: a France Travail adviser refers a parent and one child, Lunel's
coordinator reviews and accepts, and the adviser reads "Accepté / inscrit"."""

import datetime
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.childcare.models import Enrolment, Referral
from petitspas.childcare.tests.conftest import make_agency, open_like_lunel
from petitspas.conftest import PHONE
from petitspas.organisations.models import PrescriberKind, ProgrammePrescriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "childcare"


def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    return context, context.new_page()


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_prescriber_refers_coordinator_accepts_prescriber_sees_enrolled(browser, live_server, bob):
    open_like_lunel(bob.site)
    agency = make_agency(
        "France Travail – Agence de Lunel", PrescriberKind.FRANCE_TRAVAIL, "conseil@ft-lunel.fr"
    )
    ProgrammePrescriber.objects.create(programme=bob.programme, organisation=agency.organisation)
    today = timezone.localdate()
    birth = today - relativedelta(months=14)

    # The adviser refers, on a phone, first with a baby too young.
    context, page = phone(browser)
    sign_in(page, live_server, agency.prescriber.email)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Mes orientations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes orientations")
    page.get_by_role("link", name="Orienter une famille").click()
    page.get_by_label("Prénom du parent").fill("Samira")
    page.get_by_label("Téléphone du parent").fill("06 12 34 56 78")
    page.get_by_label("Parcours d'insertion").select_option("france_travail")
    page.get_by_label("Conseiller ou conseillère qui suit le parent").fill("Julien Fabre")
    page.locator("#id_enfants-0-first_name").fill("Inès")
    page.locator("#id_enfants-0-birth_date").fill((today - relativedelta(months=2)).isoformat())
    page.get_by_label("Besoin d'accueil à partir du").fill(today.isoformat())
    page.get_by_label("Jours ou rendez-vous à couvrir").fill("Entretien jeudi à 14 h.")
    fits(page)
    shot(page, "1-referral-form")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_role("alert").first).to_contain_text("à partir de 3 mois")
    expect(page.locator("#id_enfants-0-first_name")).to_have_value("Inès")
    expect(page.get_by_label("Prénom du parent")).to_have_value("Samira")
    fits(page)
    shot(page, "2-referral-form-error")
    page.locator("#id_enfants-0-birth_date").fill(birth.isoformat())
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orientation de Samira")
    expect(page.get_by_text("L'équipe n'a pas encore décidé.")).to_be_visible()
    context.close()

    # The coordinator reviews, then accepts with a reference week.
    context, page = phone(browser)
    sign_in(page, live_server, bob.coordinator.email)
    page.goto(f"{live_server.url}/accueil-enfants/orientations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Orientations reçues")
    expect(page.get_by_text("Inès, ")).to_contain_text("(1 an et 2 mois)")
    fits(page)
    shot(page, "3-inbox")
    page.get_by_role("link", name="Samira · France Travail").click()
    page.get_by_role("button", name="Commencer l'étude").click()
    page.locator("#decision-review").get_by_role("button", name="Commencer l'étude").click()
    expect(page.get_by_text("Orientation : en cours d'étude.")).to_be_visible()
    page.get_by_role("button", name="Accepter").click()
    accept = page.locator("#decision-accept")
    accept.get_by_label("mardi matin").check()
    fits(page)
    shot(page, "4-accept")
    accept.get_by_role("button", name="Accepter").click()
    expect(page.get_by_text("Orientation : acceptée.")).to_be_visible()
    context.close()
    assert Enrolment.objects.get().child.first_name == "Inès"

    # The adviser reads the outcome.
    context, page = phone(browser)
    sign_in(page, live_server, agency.prescriber.email)
    page.goto(f"{live_server.url}/accueil-enfants/mes-orientations/")
    card = page.locator(".pp-referrals li").first
    expect(card).to_contain_text("Acceptée")
    expect(card).to_contain_text("Accepté / inscrit")
    expect(card).to_contain_text("Inès : inscrit, 0 demi-journée utilisée ce mois-ci")
    fits(page)
    shot(page, "5-my-referrals")
    referral = Referral.objects.get()
    page.goto(f"{live_server.url}/accueil-enfants/orientations/{referral.pk}/")
    expect(page.get_by_role("heading", level=2, name="Décider")).to_have_count(0)
    shot(page, "6-prescriber-detail")
    context.close()
    assert referral.children.get().birth_date == birth
    assert datetime.date.today() >= referral.needed_from
