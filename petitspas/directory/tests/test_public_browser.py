"""On a 390×844 phone, with the demo's Suresnes directory: a family searches "garde
d'enfant" near an address, reads the list nearest first and the map (its tiles cannot
load here, so the note shows and the markers stay), opens a service, and reads the page
in Arabic, right to left. In English, a family searches "parent" near a town where the
directory has no structure (placed at its town hall). A partner reads the same search on
/annuaire/, with its edit links. A town hall copies the widget's code."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.demo.data.territory import SURESNES, SURESNES_PARTNER
from petitspas.demo.directory import load_directory
from petitspas.directory.models import Structure
from petitspas.organisations.models import Organisation, Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory
from petitspas.web.tests.test_browser_security import LISTEN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "/tmp/shots-dirmap"))


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    context.add_init_script(LISTEN)
    yield context.new_page()
    context.close()


@pytest.fixture
def demo_directory(db):
    OrganisationFactory(name=SURESNES, kind="municipality", departement="92")
    OrganisationFactory(name=SURESNES_PARTNER, kind="partner", departement="92")
    load_directory()


def distances(page) -> list[float]:
    texts = page.locator(".pp-dir__item strong").all_inner_texts()
    values = []
    for text in texts:
        if "100 m" in text:
            values.append(0.0)
        else:
            values.append(float(re.search(r"([\d.,]+) km", text).group(1).replace(",", ".")))
    return values


def marker_numbers(page, count):
    """Every service listed has its number on the map; services at one place share a
    marker ("2·3")."""
    expect(page.locator(".pp-dirmap__marker").first).to_be_visible()
    texts = page.locator(".pp-dirmap__marker").all_inner_texts()
    numbers = sorted(int(n) for text in texts for n in text.split("·"))
    assert numbers == list(range(1, count + 1))
    assert len(texts) < count  # the demo has two services at one structure


def test_family_searches_near_an_address_on_a_phone(phone, live_server, demo_directory):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = phone
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Trouver de l'aide près de chez vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver de l'aide près de chez vous")

    page.get_by_label("Que cherchez-vous ?").fill("garde d'enfant")
    page.get_by_label("Près de (adresse, commune ou code postal)").fill(
        "30 rue des Velettes, 92150 Suresnes"
    )
    page.get_by_label("Distance").select_option("2")
    page.get_by_role("button", name="Rechercher", exact=True).click()

    heading = page.locator("#resultats")
    expect(heading).to_contain_text("services trouvés")
    expect(heading).to_contain_text("à moins de 2 km de 30 rue des Velettes, 92150 Suresnes")
    names = page.locator(".pp-dir__item h3").all_inner_texts()
    assert names[0] == "Halte-garderie"  # at that very address
    found = distances(page)
    assert found == sorted(found) and found[-1] <= 2
    assert len(names) == len(found) >= 3

    map_element = page.locator("#directory-map")
    expect(map_element).to_be_visible()
    marker_numbers(page, len(names))
    # No tiles here: the note says so, the markers stay usable.
    expect(page.locator("#directory-map-tiles-error")).to_be_visible(timeout=15000)
    page.screenshot(path=SCREENSHOTS / "search-near-phone.png", full_page=True)
    # Leaflet, the map's script and its data block stay within the page's policy.
    assert page.evaluate("window.__cspViolations") == []

    page.locator(".pp-dirmap__marker").first.click()
    popup = page.locator(".leaflet-popup-content a").first
    expect(popup).to_have_text(f"1. {names[0]}")
    page.screenshot(path=SCREENSHOTS / "search-marker-popup-phone.png")

    page.get_by_role("link", name=names[0], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(names[0])
    expect(page.get_by_text("Horaires des 7 prochains jours")).to_be_visible()
    expect(page.get_by_text("30 rue des Velettes, 92150 Suresnes")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "service-phone.png", full_page=True)

    page.go_back()
    page.get_by_role("button", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("ابحث عن مساعدة بالقرب منك")
    expect(page.locator("#resultats")).to_contain_text("من الأقرب إلى الأبعد")
    marker_numbers(page, len(names))
    page.screenshot(path=SCREENSHOTS / "search-near-phone-ar.png", full_page=True)


def test_an_unknown_address_keeps_the_search(phone, live_server, demo_directory):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = phone
    page.goto(f"{live_server.url}/services-familles/")
    page.get_by_label("Que cherchez-vous ?").fill("garde")
    page.get_by_label("Près de (adresse, commune ou code postal)").fill("Atlantide")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_text("Nous ne trouvons pas l'adresse « Atlantide »")).to_be_visible()
    expect(page.get_by_label("Près de (adresse, commune ou code postal)")).to_have_value(
        "Atlantide"
    )
    expect(page.locator("#resultats")).to_contain_text("services trouvés")
    page.screenshot(path=SCREENSHOTS / "search-unknown-address-phone.png", full_page=True)


def test_a_town_hall_copies_the_widget(browser, live_server, demo_directory):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto(f"{live_server.url}/annuaire/integrer/")
    page.get_by_label("Thème").select_option("famille--garde-denfants")
    page.get_by_label("Commune").fill("Suresnes")
    page.get_by_role("button", name="Préparer le code").click()
    expect(page.get_by_label("Code de la fenêtre intégrée")).to_contain_text("<iframe src=")
    expect(page.get_by_label("Code HTML de la liste")).to_contain_text("Halte-garderie")
    frame = page.frame_locator("iframe.pp-widget-preview")
    expect(frame.get_by_role("heading", level=1)).to_contain_text("Garde d’enfants · Suresnes")
    page.screenshot(path=SCREENSHOTS / "widget-code-desktop.png", full_page=True)
    assert page.evaluate("window.__cspViolations") == []
    context.close()


def test_family_searches_parent_near_a_town_with_no_structure_in_english(
    phone, live_server, demo_directory
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert not Structure.objects.filter(code_insee="92062").exists()  # Puteaux
    page = phone
    page.goto(f"{live_server.url}/services-familles/")
    page.locator("button[name=language][value=en]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find help near you")

    page.get_by_label("What are you looking for?").fill("parent")
    page.get_by_label("Near (address, town or postcode)").fill("Puteaux")
    page.get_by_label("Distance").select_option("5")
    page.get_by_label("Audience").select_option("familles")
    page.get_by_role("button", name="Search", exact=True).click()

    heading = page.locator("#resultats")
    expect(heading).to_contain_text("services found")
    expect(heading).to_contain_text("within 5 km of Puteaux, nearest first")
    expect(page.get_by_label("Audience")).to_have_value("familles")
    names = page.locator(".pp-dir__item h3").all_inner_texts()
    found = distances(page)
    assert len(names) == len(found) >= 3
    assert found == sorted(found) and found[0] > 0 and found[-1] <= 5
    expect(page.locator(".pp-dirmap__marker").first).to_be_visible()
    texts = page.locator(".pp-dirmap__marker").all_inner_texts()
    assert sorted(int(n) for text in texts for n in text.split("·")) == list(
        range(1, len(names) + 1)
    )
    page.screenshot(path=SCREENSHOTS / "search-parent-near-puteaux-phone-en.png", full_page=True)

    page.get_by_role("link", name=names[0], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(names[0])
    expect(page.locator("dl.pp-dir__facts")).to_contain_text("Families")
    page.screenshot(path=SCREENSHOTS / "service-families-phone-en.png", full_page=True)


def test_a_partner_reads_the_same_search_with_its_edit_links(browser, live_server, demo_directory):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    organisation = Organisation.objects.get(name=SURESNES_PARTNER)
    partner = MembershipFactory(organisation=organisation, role=Role.PARTNER).user
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server, partner.email)

    page.goto(f"{live_server.url}/annuaire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des partenaires")
    page.get_by_label("Que cherchez-vous ?").fill("parent")
    page.get_by_label("Près de (adresse, commune ou code postal)").fill("Puteaux")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("#resultats")).to_contain_text("à moins de 5 km de Puteaux")
    professional_names = page.locator(".pp-dir__item h3").all_inner_texts()
    expect(page.get_by_role("link", name="Modifier").first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "annuaire-parent-near-puteaux-desktop.png", full_page=True)

    page.get_by_role("link", name="La page des familles").click()
    page.get_by_label("Que cherchez-vous ?").fill("parent")
    page.get_by_label("Près de (adresse, commune ou code postal)").fill("Puteaux")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    assert page.locator(".pp-dir__item h3").all_inner_texts() == professional_names
    expect(page.get_by_role("link", name="Modifier")).to_have_count(0)
    context.close()
