"""On a 390×844 phone: a professional registers a family to next week's workshop, which
fills it; the next family goes to the waiting list; a family unregistered frees its place,
offered to the first in line, who takes it. A family asks for a place from the public
agenda."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import PlaceRequest, Registration
from petitspas.attendance.tests.factories import RegistrationFactory, family
from petitspas.conftest import PHONE
from petitspas.families.models import Household

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
def workshop(alice):
    """Next week's psychomotor workshop, 3 places, 2 families registered; the professional
    staffs it and created the files of Mariam's and Sofia's families."""
    organisation = alice.organisation
    organisation.contact_phone = "01 48 45 12 00"
    organisation.save()
    activity = ActivityTypeFactory(
        programme=alice.programme,
        name="Atelier psychomotricité",
        kind="psychomotor",
        on_registration=True,
    )
    session = SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=timezone.localdate() + datetime.timedelta(days=7),
        capacity=3,
        staff=[alice.professional],
    )
    for code, parent in (("F-0001", "Awa"), ("F-0002", "Fatou")):
        RegistrationFactory(session=session, household=family(organisation, code, parent=parent))
    for code, parent in (("F-0003", "Mariam"), ("F-0004", "Sofia")):
        household = family(organisation, code, parent=parent)
        Household.objects.filter(pk=household.pk).update(created_by=alice.professional)
    return session


def register(page, code):
    page.get_by_label("Code ou prénom").fill(code)
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name=f"Inscrire la famille {code}", exact=True).click()


def test_register_fill_the_session_then_the_waiting_list(phone, live_server, alice, workshop):
    page = phone
    sign_in(page, live_server, alice.professional.email)
    page.goto(f"{live_server.url}/activites/seance/{workshop.pk}/")
    expect(page.get_by_text("2 sur 3 places · 1 place restante")).to_be_visible()
    page.get_by_role("link", name="Inscriptions et liste d'attente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscriptions")

    register(page, "F-0003")
    expect(page.get_by_text("La famille F-0003 est inscrite.")).to_be_visible()
    expect(page.get_by_text("Complet")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "registrations-full.png", full_page=True)

    register(page, "F-0004")
    expect(page.get_by_text(re.compile("F-0004 est sur la liste d'attente"))).to_be_visible()
    expect(page.get_by_role("heading", name="Liste d'attente (1)")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "registrations-waiting.png", full_page=True)

    page.get_by_role("button", name="Désinscrire la famille F-0001", exact=True).click()
    expect(page.get_by_text(re.compile("La place libérée est proposée"))).to_be_visible()
    expect(page.get_by_role("heading", name="Places proposées (1)")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "registrations-offered.png", full_page=True)

    page.get_by_role("button", name="Prend la place : famille F-0004").click()
    expect(
        page.get_by_text("La famille F-0004 prend la place : elle est inscrite.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Familles inscrites (3)")).to_be_visible()
    assert set(
        Registration.objects.confirmed()
        .filter(session=workshop)
        .values_list("household__code", flat=True)
    ) == {"F-0002", "F-0003", "F-0004"}


def test_a_family_asks_for_a_place_from_the_agenda(phone, live_server, alice, workshop):
    page = phone
    page.goto(f"{live_server.url}/agenda/seances/{workshop.pk}/")
    expect(page.get_by_text("1 place restante")).to_be_visible()
    expect(page.get_by_role("link", name="01 48 45 12 00")).to_be_visible()
    page.get_by_label("Votre prénom", exact=True).fill("Nadia")
    page.get_by_label("Nombre d'enfants qui viennent").fill("2")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text(re.compile("Indiquez un numéro de téléphone"))).to_be_visible()
    expect(page.get_by_label("Votre prénom", exact=True)).to_have_value("Nadia")
    page.screenshot(path=SCREENSHOTS / "place-request-error.png", full_page=True)

    page.get_by_label(re.compile("^Téléphone")).fill("06 12 34 56 78")
    page.locator("label[for='id_consent']").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Votre demande est envoyée.")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "place-request-sent.png", full_page=True)
    assert PlaceRequest.objects.get().first_name == "Nadia"
