"""The issue's journey, with the demo's Suresnes directory. At her desk (a computer), the
Point Info Famille agent searches "garde d'enfant" near a family's address, logs the
family's visit and orients it to the nearest service, corrects the follow-up, and prints
the guide (the PDF downloads and reads back). Then, on a phone, a partner confirms its
entry from the link of the monthly e-mail."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.demo.data.territory import SURESNES, SURESNES_PARTNER
from petitspas.demo.directory import load_directory
from petitspas.directory.models import Desk, Orientation, Service, Visit
from petitspas.directory.themes import SURESNES_GROUPS
from petitspas.organisations.models import Organisation, Role
from petitspas.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
)
from petitspas.places.models import HalfDay
from petitspas.places.tests.factories import SiteFactory, WeeklyOpeningFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "/tmp/shots-deskedit"))
DESKTOP = {"width": 1280, "height": 900}
ADDRESS = "30 rue des Velettes, 92150 Suresnes"


@pytest.fixture
def suresnes(db):
    """The demo's directory of Suresnes, the town's Point Info Famille at La Clef d'Or with
    its agent, and the partner organisation's member."""
    town = OrganisationFactory(name=SURESNES, kind="municipality", departement="92")
    OrganisationFactory(name=SURESNES_PARTNER, kind="partner", departement="92")
    load_directory()
    site = SiteFactory(
        programme=ProgrammeFactory(organisation=town, name="Point Info Famille"),
        name="La Clef d'Or",
        address="28 boulevard Henri-Sellier",
        postcode="92150",
        commune_code="92073",
        town="Suresnes",
        departement="92",
    )
    for weekday in range(6):
        WeeklyOpeningFactory(
            site=site,
            weekday=weekday,
            half_day=HalfDay.AFTERNOON,
            opens_at=datetime.time(13, 30),
            closes_at=datetime.time(17, 30),
        )
    Desk.objects.create(organisation=town, site=site, name="Point Info Famille")
    agent = MembershipFactory(organisation=town, role=Role.PROFESSIONAL).user
    partner = MembershipFactory(
        organisation=Organisation.objects.get(name=SURESNES_PARTNER), role=Role.PARTNER
    ).user
    return agent, partner


def test_agent_searches_orients_prints_and_a_partner_confirms(browser, live_server, suresnes):
    agent, partner = suresnes
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, agent.email)

    # 1. "Garde d'enfant" near the family's address, nearest first.
    page.goto(
        f"{live_server.url}/services-familles/?q=garde+d%27enfant"
        f"&pres_de={ADDRESS.replace(' ', '+')}&rayon=2"
    )
    results = page.locator("#resultats")
    expect(results).to_contain_text("services trouvés")
    expect(results).to_contain_text(f"à moins de 2 km de {ADDRESS}")
    first = page.locator(".pp-dir__item h3").first
    expect(first).to_have_text("Halte-garderie")
    page.screenshot(path=SCREENSHOTS / "1-search-near.png", full_page=True)

    # 2. The family's visit, anonymous, then the orientation to the service found.
    page.get_by_role("link", name="Point Info Famille").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Point Info Famille")
    page.get_by_role("link", name="Journal des passages").click()
    theme = "Prises en charge et soins"
    assert "famille--garde-denfants" in SURESNES_GROUPS[theme]
    page.get_by_label(theme).check()
    page.get_by_label("Orientation donnée").fill("Halte-garderie La Farandole")
    page.get_by_label("Note").fill("Cherche une garde deux matinées par semaine.")
    page.get_by_role("button", name="Enregistrer et orienter vers un partenaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orienter vers un partenaire")
    page.get_by_label("Chercher un service de l'annuaire").fill("garde d'enfant")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_label("Halte-garderie — Halte-garderie La Farandole").check()
    page.screenshot(path=SCREENSHOTS / "2-orientation.png", full_page=True)
    page.get_by_role("button", name="Enregistrer l'orientation").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Orientation vers « Halte-garderie » enregistrée"
    )
    visit = Visit.objects.get()
    orientation = Orientation.objects.get()
    assert orientation.visit == visit and orientation.theme == theme
    assert orientation.service.structure.nom == "Halte-garderie La Farandole"

    # 3. The follow-up, then a correction of it (the family called back: no place).
    page.get_by_role("link", name="Suivi de l'orientation vers Halte-garderie").click()
    page.get_by_label("Oui", exact=True).check()
    page.get_by_role("button", name="Enregistrer le suivi").click()
    page.get_by_role("link", name="Corriger l'orientation vers Halte-garderie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Corriger une orientation")
    page.get_by_label("Non", exact=True).check()
    page.get_by_label("Note").fill("Plus de place avant septembre.")
    page.get_by_label("Date du suivi").fill("")
    page.get_by_role("button", name="Enregistrer les corrections").click()
    expect(page.get_by_role("alert")).to_contain_text("L'orientation n'est pas corrigée")
    expect(page.get_by_text("Indiquez la date du suivi.")).to_be_visible()
    expect(page.get_by_label("Note")).to_have_value("Plus de place avant septembre.")
    page.screenshot(path=SCREENSHOTS / "3-correction-error.png", full_page=True)
    today = datetime.date.today().isoformat()
    page.get_by_label("Date du suivi").fill(today)
    page.get_by_role("button", name="Enregistrer les corrections").click()
    expect(page.get_by_role("status").first).to_contain_text("L'orientation est corrigée.")
    page.screenshot(path=SCREENSHOTS / "3-orientations.png", full_page=True)
    orientation.refresh_from_db()
    assert (orientation.outcome, orientation.note) == ("no", "Plus de place avant septembre.")

    # 4. The guide, printed: the PDF downloads and reads back with every theme.
    page.get_by_role("link", name="Guide parentalité").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guide parentalité")
    page.screenshot(path=SCREENSHOTS / "4-guide.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Aperçu PDF (non publié)").click()
    path = SCREENSHOTS / "guide.pdf"
    download_info.value.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Halte-garderie La Farandole" in text
    for group in SURESNES_GROUPS:
        assert group in text, group
    context.close()

    # 5. On a phone, the partner confirms its entry from the monthly e-mail's link.
    service = Service.objects.filter(structure__nom="Maison de quartier des Chênes").first()
    # Not confirmed since last summer: the monthly reminder lists it.
    Service.objects.filter(pk=service.pk).update(
        confirmed_on=datetime.date.today() - datetime.timedelta(days=240)
    )
    mail.outbox.clear()
    call_command("send_directory_reminders", base_url=live_server.url)
    (message,) = [m for m in mail.outbox if partner.email in m.to]
    link = next(w for w in message.body.split() if "/annuaire/confirmer/" in w)
    phone = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = phone.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(service.nom)
    page.screenshot(path=SCREENSHOTS / "5-confirm-phone.png", full_page=True)
    page.get_by_role("button", name="Oui, toujours exacte").click()
    expect(page.get_by_role("status")).to_contain_text("la fiche est confirmée toujours exacte")
    page.screenshot(path=SCREENSHOTS / "5-confirmed-phone.png", full_page=True)
    service.refresh_from_db()
    assert not service.is_stale and service.confirmed_on == datetime.date.today()
    phone.close()
