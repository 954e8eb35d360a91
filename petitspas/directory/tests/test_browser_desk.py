"""On a 390×844 phone, the Point Info Famille agent opens the desk, logs an anonymous
visit, orients the family to a partner's service, then records the follow-up."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.directory.models import Desk, Orientation, Visit
from petitspas.directory.tests.test_directory import make_service, make_structure
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory
from petitspas.places.models import HalfDay
from petitspas.places.tests.factories import WeeklyOpeningFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(__file__).resolve().parents[3] / "var" / "screenshots")
)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(alice):
    site = alice.site
    for weekday in range(7):
        WeeklyOpeningFactory(
            site=site,
            weekday=weekday,
            half_day=HalfDay.MORNING,
            opens_at=datetime.time(9),
            closes_at=datetime.time(12),
        )
    organisation = OrganisationFactory(name="Centre social", kind="partner", departement="92")
    partner = MembershipFactory(organisation=organisation, role=Role.PARTNER).user
    structure = make_structure(partner, nom="Maison de quartier des Chênes")
    make_service(partner, structure, nom="Groupe de parole des parents")
    return Desk.objects.create(
        organisation=alice.organisation, site=site, name="Point Info Famille"
    )


def test_agent_logs_a_visit_orients_and_follows_up(phone, live_server, alice, desk):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = phone
    sign_in(page, live_server, alice.professional.email)
    page.goto(f"{live_server.url}/annuaire/accueil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Point Info Famille")
    page.screenshot(path=SCREENSHOTS / "desk-home-phone.png", full_page=True)

    page.get_by_role("link", name="Noter un passage").click()
    page.get_by_label("Accès au droit").check()
    page.get_by_label("Accompagnement psychosocial").check()
    page.get_by_label("Orientation donnée").fill("Groupe de parole")
    page.get_by_label("Note").fill("Mère isolée, demande un espace d'écoute.")
    page.screenshot(path=SCREENSHOTS / "desk-visit-form-phone.png", full_page=True)
    page.get_by_role("button", name="Enregistrer et orienter vers un partenaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orienter vers un partenaire")
    visit = Visit.objects.get()
    assert visit.household is None
    assert visit.themes == ["Accompagnement psychosocial", "Accès au droit"]

    page.get_by_label("Chercher un service de l'annuaire").fill("parent")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_label("Groupe de parole des parents — Maison de quartier des Chênes").check()
    page.screenshot(path=SCREENSHOTS / "desk-orientation-phone.png", full_page=True)
    page.get_by_role("button", name="Enregistrer l'orientation").click()
    expect(page.get_by_role("status").first).to_contain_text("Orientation vers « Groupe de parole")
    expect(page.get_by_role("heading", level=1)).to_have_text("Orientations vers les partenaires")
    page.screenshot(path=SCREENSHOTS / "desk-orientations-phone.png", full_page=True)

    page.get_by_role(
        "link", name="Suivi de l'orientation vers Groupe de parole des parents"
    ).click()
    page.get_by_label("Oui").check()
    page.get_by_role("button", name="Enregistrer le suivi").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Le suivi de l'orientation est enregistré"
    )
    page.screenshot(path=SCREENSHOTS / "desk-follow-up-phone.png", full_page=True)
    orientation = Orientation.objects.get()
    assert orientation.visit == visit and orientation.outcome == "yes"
    assert orientation.outcome_on is not None
