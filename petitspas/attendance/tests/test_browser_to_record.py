"""A session held yesterday is recorded today, on a phone, from the menu's "À saisir": the
sheet is headed with its own date, and once saved the session leaves the list."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance
from petitspas.attendance.tests.factories import RegistrationFactory, family
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


def test_yesterdays_session_is_recorded_from_the_menu(phone, live_server, alice):
    page = phone
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    activity = ActivityTypeFactory(
        programme=alice.programme, name="Atelier lecture", on_registration=True
    )
    session = SessionFactory(
        activity_type=activity, site=alice.site, date=yesterday, staff=[alice.professional]
    )
    for n, parent in enumerate(["Awa", "Fatou", "Léa"], start=1):
        household = family(alice.organisation, f"F-{n:04d}", parent=parent, children=["Noa"])
        RegistrationFactory(session=session, household=household)

    sign_in(page, live_server, alice.professional.email)
    page.get_by_role("button", name="Menu").click()
    page.locator("#menu-principal").get_by_role("link", name="À saisir (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("À saisir")

    day = date_format(yesterday, "l j F").capitalize()
    page.get_by_role("link", name=re.compile(f"{day}.*Atelier lecture")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier lecture")
    expect(page.get_by_text(f"{alice.site.name} · {day}")).to_be_visible()
    expect(page.locator("main").get_by_text("Aujourd'hui", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Tous présents").click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#pp-result")).to_contain_text("C'est enregistré")
    page.screenshot(path="var/screenshots/to-record-saved.png", full_page=True)

    page.get_by_role("link", name="À saisir").first.click()
    expect(page.get_by_text("Toutes vos séances sont saisies.")).to_be_visible()
    assert Attendance.objects.filter(session=session, status="present").count() == 6
