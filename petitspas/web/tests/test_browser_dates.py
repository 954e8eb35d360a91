"""A date the phone's browser cannot read is refused beside its field, never dropped: a
professional on a 390×844 phone types 31/02 as a child's birth date; the family is not
saved, the message says why, everything typed stays; once corrected, it is saved with the
date (``web/static/web/dates.js``)."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.families.models import Household, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
UNREADABLE = "Cette date n'existe pas ou est incomplète"


def type_date(page, field, *, day: str, month: str, year: str) -> None:
    """Type a date key by key, as a person does, in the order of the browser's own fields
    (its interface language: day first in French, month first in English)."""
    probe = page.evaluate_handle(
        "() => document.body.appendChild(Object.assign(document.createElement('input'), "
        "{type: 'date'}))"
    )
    probe.focus()
    page.keyboard.type("12112024")
    day_first = probe.evaluate("input => input.value") == "2024-11-12"
    probe.evaluate("input => input.remove()")
    field.focus()  # the first segment
    page.keyboard.type(day + month + year if day_first else month + day + year)


def test_an_impossible_birth_date_is_refused_on_a_phone_and_nothing_typed_is_lost(
    browser, live_server, alice
):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, alice.professional.email)
    page.goto(f"{live_server.url}/familles/nouvelle/")
    page.get_by_label("Code famille").fill("F-DATE1")

    page.locator("#id_people-0-role").select_option("parent")
    page.locator("#id_people-0-first_name").fill("Aminata")
    page.locator("#id_people-1-role").select_option("child")
    page.locator("#id_people-1-first_name").fill("Lina")
    birth = page.locator("#id_people-1-birth_date")
    type_date(page, birth, day="31", month="02", year="2024")  # the browser keeps no value
    assert birth.evaluate("input => input.validity.badInput")

    page.get_by_role("button", name="Créer la famille").click()

    message = page.locator("#id_people-1-birth_date-illisible")
    expect(message).to_be_visible()
    expect(message).to_contain_text(UNREADABLE)
    expect(birth).to_have_attribute("aria-invalid", "true")
    expect(birth).to_be_focused()
    assert "id_people-1-birth_date-illisible" in birth.get_attribute("aria-describedby")
    # Nothing left the phone, and everything typed is still there.
    assert page.url.endswith("/familles/nouvelle/")
    assert not Household.objects.filter(code="F-DATE1").exists()
    expect(page.get_by_label("Code famille")).to_have_value("F-DATE1")
    expect(page.locator("#id_people-0-first_name")).to_have_value("Aminata")
    expect(page.locator("#id_people-1-first_name")).to_have_value("Lina")
    expect(page.locator("#id_people-1-role")).to_have_value("child")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    birth.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "date-refused-phone.png")

    # Corrected: the message goes, and the family is saved with the date.
    type_date(page, birth, day="28", month="02", year="2024")
    expect(message).to_have_count(0)
    expect(birth).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Créer la famille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Famille F-DATE1")
    child = Person.objects.get(household__code="F-DATE1", first_name="Lina")
    assert child.birth_date == datetime.date(2024, 2, 28)
    context.close()
