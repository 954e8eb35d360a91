"""The funder's step of the journey, on the demo: the CAF officer opens the figures of
the programmes her CAF funds, on a phone, reads small counts as "< 5" and never a person,
and downloads the XLSX, which opens."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from petitspas.accounts.models import User
from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.demo.data.territory import DEMO_PASSWORD
from petitspas.families.models import Household, Person
from petitspas.reporting.smallcells import SMALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "reporting"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def people_of(organisation_name: str) -> list[str]:
    """What would name someone of the organisation: its family codes, its families'
    first names, its staff's names."""
    households = Household._base_manager.filter(organisation__name=organisation_name)
    words = set(households.values_list("code", flat=True))
    words |= set(
        Person._base_manager.filter(household__in=households).values_list("first_name", flat=True)
    )
    staff = User.objects.filter(memberships__organisation__name=organisation_name).exclude(
        memberships__role="funder"
    )
    for first, last in staff.values_list("first_name", "last_name"):
        words |= {first, last}
    return sorted(w for w in words if w and len(w) > 2)


def assert_names_nobody(text: str, words: list[str]):
    for word in words:
        assert not re.search(rf"\b{re.escape(word)}\b", text), word


def workbook_text(path) -> str:
    workbook = load_workbook(io.BytesIO(Path(path).read_bytes()))
    return "\n".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def test_the_caf_reads_its_programmes_figures_on_a_phone(browser, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--force")
    words = people_of("Ville de Lunel")
    assert len(words) > 20

    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", accept_downloads=True
    )
    page = context.new_page()
    sign_in(page, live_server, "financeur@caf.demo", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/indicateurs/")
    # Her CAF funds Les Petits Pas (seed 001), not the other programmes she observes.
    page.get_by_role("link", name="Ensemble de Ville de Lunel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs — Ville de Lunel")
    expect(
        page.get_by_text("Vous voyez les programmes que votre organisation finance.")
    ).to_be_visible()
    side = page.get_by_role("table", name="Les programmes côte à côte")
    expect(side.get_by_role("columnheader", name="Les Petits Pas", exact=True)).to_be_visible()
    assert_names_nobody(page.locator("main").inner_text(), words)
    shot(page, "funder-organisation-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en XLSX (un onglet par tableau)").click()
    text = workbook_text(download.value.path())
    assert "Les Petits Pas" in text and "Ensemble de l'organisation" in text
    assert_names_nobody(text, words)

    page.get_by_role("link", name="Les Petits Pas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs — Les Petits Pas")
    expect(page.get_by_text("Les effectifs de moins de 5 personnes")).to_be_visible()
    small = page.locator("td", has_text=SMALL)
    expect(small.first).to_be_visible()
    assert_names_nobody(page.locator("main").inner_text(), words)
    # The headings of a table keep whole words on a phone: the table scrolls instead.
    heading = page.locator("thead th", has_text="Un an plus tôt").first
    box = heading.bounding_box()
    assert box["height"] < 60, box
    shot(page, "funder-programme-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en XLSX (un onglet par tableau)").click()
    assert download.value.suggested_filename.startswith("indicateurs-les-petits-pas-")
    text = workbook_text(download.value.path())
    assert SMALL in text
    assert_names_nobody(text, words)
    context.close()
