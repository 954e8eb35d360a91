"""On a 390 px phone: a long unbroken name wraps instead of widening the page (family file,
field sheet, session page), and the 404 and the agenda read in Arabic, right to left."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.factories import PASSWORD
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.tests.factories import RegistrationFactory
from petitspas.conftest import PHONE
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
# The longest names the fields take, with no space to break at.
LONG_FIRST_NAME = "Marie" + "x" * 75
LONG_CODE = "F-" + "9" * 18
LONG_ACTIVITY = "Atelier" + "lecture" * 20
LONG_LANGUAGES = "wolof" * 40


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_long_names_wrap_on_a_phone(phone, live_server, alice):
    household = HouseholdFactory(
        organisation=alice.organisation, code=LONG_CODE, languages=LONG_LANGUAGES
    )
    PersonFactory(household=household, parent=True, first_name=LONG_FIRST_NAME)
    PersonFactory(household=household, child=True, first_name=LONG_FIRST_NAME)
    activity = ActivityTypeFactory(
        programme=alice.programme, name=LONG_ACTIVITY, on_registration=True
    )
    session = SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=timezone.localdate(),
        staff=[alice.professional],
    )
    RegistrationFactory(session=session, household=household)
    sign_in(phone, live_server, alice.professional.email)

    # Each page and the long name it shows (the session page names no family).
    pages = {
        "family": (
            reverse("families:household-detail", kwargs={"household_pk": household.pk}),
            LONG_FIRST_NAME,
        ),
        "sheet": (
            reverse("attendance:session-record", kwargs={"session_pk": session.pk}),
            LONG_FIRST_NAME,
        ),
        "session": (
            reverse("activities:session-detail", kwargs={"session_pk": session.pk}),
            LONG_ACTIVITY,
        ),
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, (url, long_name) in pages.items():
        phone.goto(live_server.url + url)
        phone.screenshot(path=SCREENSHOTS / f"long-names-{name}.png", full_page=True)
        expect(phone.get_by_text(long_name[:30], exact=False).first).to_be_visible()
        assert page_width(phone) <= PHONE["width"], name


def test_arabic_404_and_agenda_on_a_phone(phone, live_server, alice):
    activity = ActivityTypeFactory(programme=alice.programme, name="Temps de jeu libre")
    SessionFactory(activity_type=activity, site=alice.site, date=timezone.localdate())
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}]
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    response = phone.goto(f"{live_server.url}/agenda/seances/999999/")
    phone.screenshot(path=SCREENSHOTS / "error-404-ar.png", full_page=True)
    assert response.status == 404
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_role("heading", level=1)).to_have_text("الصفحة غير موجودة")
    expect(phone.get_by_role("link", name="الصفحة الرئيسية")).to_be_visible()
    # On a phone DSFR moves "Sign in" into the menu: it is there, translated.
    expect(phone.locator(".fr-header__tools-links")).to_contain_text("تسجيل الدخول")
    assert page_width(phone) <= PHONE["width"]

    phone.goto(f"{live_server.url}/agenda/")
    phone.screenshot(path=SCREENSHOTS / "agenda-ar.png", full_page=True)
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.get_by_text("دعم الوالدين والطفولة المبكرة", exact=True)).to_be_visible()
    expect(phone.get_by_text("إمكانية الوصول: مطابقة جزئيًا")).to_be_visible()
    assert page_width(phone) <= PHONE["width"]
