"""In Chromium: the main pages run under the Content-Security-Policy without a single
violation (field sheet, a family file, the commune picker, the agenda and its map), and
signing out of a shared phone leaves no field draft behind."""

import datetime
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in as sign_in_through_the_forms
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.tests.factories import RegistrationFactory, family
from petitspas.conftest import PHONE
from petitspas.core.middleware import LAST_SEEN_AT
from petitspas.places.tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
DRAFT_PREFIX = "petitspas:terrain:"

# Every violation the page reports, kept on window; the script is injected by the browser
# itself, before the page's own, so the policy does not apply to it.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    [event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber].join(" ")
  );
});
"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def workshop(alice):
    """Today's workshop at Pantin staffed by the professional, one family registered; the
    site is on the map of the public agenda, with a session tomorrow."""
    site = SiteFactory(
        programme=alice.programme,
        name="Square Stalingrad",
        town="Pantin",
        latitude=Decimal("48.89460"),
        longitude=Decimal("2.40980"),
    )
    activity = ActivityTypeFactory(
        programme=alice.programme, name="Atelier lecture", on_registration=True
    )
    session = SessionFactory(
        activity_type=activity, site=site, date=timezone.localdate(), staff=[alice.professional]
    )
    SessionFactory(
        activity_type=activity, site=site, date=timezone.localdate() + datetime.timedelta(days=1)
    )
    household = family(alice.organisation, "F-0001", parent="Awa", children=["Noa"])
    RegistrationFactory(session=session, household=household)
    return session


def assert_no_violation(page):
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []


def sign_in(page, live_server, email):
    sign_in_through_the_forms(page, live_server, email)
    assert_no_violation(page)


def open_sheet(page, live_server):
    page.goto(f"{live_server.url}/terrain/")
    page.get_by_role("link", name=re.compile("Atelier lecture")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier lecture")
    # The heading shows once the page is parsed; the sheet's deferred script, which keeps
    # drafts, runs just after. A tap before it would be a tap the page never hears.
    page.wait_for_load_state("load")


def wait_for_a_draft(page) -> None:
    """The draft is written when the page hears the tap: wait for it, do not race it."""
    page.wait_for_function(
        "(prefix) => Object.keys(window.localStorage).some((k) => k.startsWith(prefix))",
        arg=DRAFT_PREFIX,
    )


def drafts(page) -> list[str]:
    return page.evaluate(
        "(prefix) => Object.keys(window.localStorage).filter((k) => k.startsWith(prefix))",
        DRAFT_PREFIX,
    )


def sign_out(page):
    page.get_by_role("button", name="Menu").click()
    page.locator("#menu-principal").get_by_role("button", name="Se déconnecter").click()


def test_main_pages_run_without_a_policy_violation(phone, live_server, alice, workshop):
    page = phone
    page.goto(f"{live_server.url}/agenda/")
    expect(page.locator("#agenda-map .leaflet-marker-icon")).to_have_count(1)
    assert_no_violation(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#agenda-map").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "csp-agenda-map.png")

    sign_in(page, live_server, alice.professional.email)
    open_sheet(page, live_server)
    # The search box searches on Enter (a custom event: htmx's filters need eval).
    page.get_by_label("Chercher par code ou prénom").fill("awa")
    page.get_by_label("Chercher par code ou prénom").press("Enter")
    expect(page.locator("#pp-search-results")).to_contain_text("F-0001")
    assert_no_violation(page)

    sign_out(page)
    sign_in(page, live_server, alice.coordinator.email)
    household = workshop.registrations.get().household
    page.goto(f"{live_server.url}/familles/{household.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("F-0001")
    assert_no_violation(page)

    page.goto(f"{live_server.url}/familles/nouvelle/")
    page.locator("#id_commune").press_sequentially("Panti")
    expect(page.locator("#communes-proposees option").first).to_be_attached()
    assert_no_violation(page)


def test_signing_out_asks_about_unsaved_drafts_then_removes_them(
    phone, live_server, alice, workshop
):
    page = phone
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, alice.professional.email)
    open_sheet(page, live_server)
    page.locator(".pp-family").first.locator("label", has_text="Présent").click()
    wait_for_a_draft(page)
    assert len(drafts(page)) == 1
    page.screenshot(path=SCREENSHOTS / "signout-sheet-with-draft.png")

    questions = []

    def cancel(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    sign_out(page)
    assert "pas encore enregistrés" in questions[0]
    # Cancelled: still signed in, on the sheet, the draft kept.
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier lecture")
    assert len(drafts(page)) == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Escape")
    sign_out(page)

    expect(page.get_by_role("link", name="Se connecter").first).to_be_attached()
    assert drafts(page) == []
    page.screenshot(path=SCREENSHOTS / "signout-done.png")


def test_a_page_shown_signed_out_removes_drafts_left_on_the_phone(phone, live_server):
    page = phone
    page.goto(f"{live_server.url}/agenda/")
    page.evaluate("(key) => window.localStorage.setItem(key, '{}')", DRAFT_PREFIX + "seance:1")
    assert len(drafts(page)) == 1

    page.goto(f"{live_server.url}/compte/connexion/")

    assert drafts(page) == []


def test_a_save_after_expiry_keeps_the_sheet_and_what_is_typed(phone, live_server, alice, workshop):
    page = phone
    sign_in(page, live_server, alice.professional.email)
    open_sheet(page, live_server)
    page.locator(".pp-family").first.locator("label", has_text="Présent").click()
    wait_for_a_draft(page)
    # The phone stayed unused for an hour: the server's idle clock says so.
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[LAST_SEEN_AT] = int(time.time()) - 3600
    session.save()

    page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator("#pp-offline")).to_contain_text("Votre session a expiré")
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier lecture")
    expect(page.locator(".pp-family").first.get_by_label("Présent")).to_be_checked()
    assert len(drafts(page)) == 1
    page.screenshot(path=SCREENSHOTS / "expired-sheet.png")
