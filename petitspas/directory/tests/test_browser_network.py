"""On a 390×844 phone, a partner registers a colleague to an information session from
"Mes réunions"; the coordinator notes the attendance of a working group's meeting and opens
the guide update campaign."""

import datetime
import os
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.directory.models import Meeting, Participant, WorkingGroup
from petitspas.directory.tests.test_directory import make_service, make_structure
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory

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
def network(alice):
    organisation = OrganisationFactory(name="Centre social", kind="partner", departement="92")
    partner = MembershipFactory(organisation=organisation, role=Role.PARTNER).user
    structure = make_structure(partner, nom="Maison de quartier des Chênes", source_id="t--1")
    make_service(partner, structure, nom="Groupe de parole des parents", source_id="t--1-1")
    group = WorkingGroup.objects.create(
        organisation=alice.organisation, name="Soutien à la parentalité"
    )
    sessions = WorkingGroup.objects.create(
        organisation=alice.organisation,
        name="Sessions d'information",
        kind=WorkingGroup.Kind.INFO_SESSIONS,
    )
    for g in (group, sessions):
        g.members.add(structure)
    now = timezone.now()
    past = Meeting.objects.create(
        group=group,
        title="Groupe de travail de rentrée",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2, hours=-2),
        place="La Clef d'Or",
        agenda="Guide parentalité",
    )
    Participant.objects.create(meeting=past, structure=structure)
    session = Meeting.objects.create(
        group=sessions,
        title="Les écrans et les tout-petits",
        starts_at=now + datetime.timedelta(days=20),
        ends_at=now + datetime.timedelta(days=20, hours=2),
        place="La Clef d'Or, salle de conférence",
        capacity=12,
    )
    return partner, past, session


def test_partner_registers_and_coordinator_opens_the_campaign(phone, live_server, alice, network):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    partner, past, session = network
    page = phone
    sign_in(page, live_server, partner.email)
    page.goto(f"{live_server.url}/annuaire/mes-reunions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes réunions")
    page.get_by_role("link", name="Les écrans et les tout-petits").click()
    expect(page.get_by_role("status")).to_have_text("12 place(s) restante(s).")
    page.get_by_label("Structure").select_option(label="Maison de quartier des Chênes")
    page.get_by_label("Nom de la personne").fill("Nadia B.")
    page.get_by_label("Courriel de la personne").fill("nadia@example.fr")
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_role("status").first).to_contain_text("L'inscription est enregistrée")
    expect(page.get_by_text("11 place(s) restante(s).")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "network-registration-phone.png", full_page=True)
    assert session.participants.get().person_name == "Nadia B."

    page.context.clear_cookies()
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/annuaire/reseau/reunions/{past.pk}/")
    page.locator("label", has_text="Maison de quartier des Chênes").click()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_role("status").first).to_contain_text("1 présent(s)")
    page.get_by_role("button", name="Demander aux présents de confirmer leurs fiches").click()
    expect(page.get_by_role("status").first).to_contain_text("1 fiche(s) à confirmer")
    page.screenshot(path=SCREENSHOTS / "network-meeting-phone.png", full_page=True)
    assert [m.subject for m in mail.outbox] == [
        "Guide parentalité : merci de vérifier les fiches de Maison de quartier des Chênes"
    ]
