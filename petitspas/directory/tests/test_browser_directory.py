"""On a 390×844 phone: a family searches the public directory with no account ("parent"
finds "parentalité"); a partner confirms its entry from the monthly e-mail's link."""

import datetime
import os
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from petitspas.conftest import PHONE
from petitspas.directory.models import Service
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
def entries(db):
    organisation = OrganisationFactory(name="Centre social", kind="partner", departement="92")
    partner = MembershipFactory(organisation=organisation, role=Role.PARTNER).user
    structure = make_structure(partner, horaires_accueil="Mo-Su 00:00-24:00")
    service = make_service(
        partner,
        structure,
        nom="Café des familles",
        description="Un temps d'échange sur la parentalité, chaque vendredi.",
    )
    make_service(
        partner,
        structure,
        nom="Permanence juridique",
        description="Accès au droit",
        thematiques=[
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
        ],
    )
    return partner, service


def test_family_searches_the_public_directory_on_a_phone(phone, live_server, entries):
    page = phone
    page.goto(f"{live_server.url}/annuaire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des partenaires")
    page.get_by_role("searchbox", name="Que cherchez-vous ?").fill("Parent")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_role("heading", name="1 service trouvé")).to_be_visible()
    expect(page.get_by_text("Permanence juridique")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "directory-search-phone.png", full_page=True)
    page.get_by_role("link", name="Café des familles").click()
    expect(page.get_by_text("Ouvert maintenant")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "directory-service-phone.png", full_page=True)


def test_partner_confirms_its_entry_from_the_email_link(phone, live_server, entries):
    partner, service = entries
    Service.objects.filter(pk=service.pk).update(confirmed_on=datetime.date(2024, 1, 5))
    call_command("send_directory_reminders", base_url=live_server.url)
    (message,) = [m for m in mail.outbox if partner.email in m.to]
    link = next(w for w in message.body.split() if "/annuaire/confirmer/" in w)
    page = phone
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Café des familles")
    page.screenshot(path=SCREENSHOTS / "directory-confirm-phone.png", full_page=True)
    page.get_by_role("button", name="Oui, toujours exacte").click()
    expect(page.get_by_role("status")).to_contain_text("la fiche est confirmée toujours exacte")
    page.screenshot(path=SCREENSHOTS / "directory-confirmed-phone.png", full_page=True)
    assert not Service.objects.get(pk=service.pk).is_stale
    page.goto(link[:-3] + "abc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien ne peut pas être utilisé")
