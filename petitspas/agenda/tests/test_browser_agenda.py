"""A family, on a 390×844 phone and without an account, looks for a session in their town,
opens it, and switches the page to Arabic."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitspas.activities.models import ActivityType, Session
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.agenda.tests.conftest import in_days
from petitspas.conftest import PHONE
from petitspas.places.tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def test_a_family_finds_a_session_in_their_town_and_reads_it_in_arabic(
    browser, live_server, make_session, programme, lunel
):
    make_session(days=1)
    make_session(days=2)
    reading = ActivityTypeFactory(
        programme=programme, name="Lectures au parc", kind=ActivityType.Kind.READING
    )
    make_session(days=3, site=lunel, activity_type=reading)
    SessionFactory(
        date=in_days(3),
        site=SiteFactory(programme=programme, lunel=True, name="Hôtel social du Vidourle"),
        activity_type=ActivityTypeFactory(programme=programme, on_referral=True),
    )
    lunel.access_notes = "Entrée par le portail vert, rue de l'École du Parc."
    lunel.latitude, lunel.longitude = Decimal("43.67610"), Decimal("4.13580")
    lunel.save()

    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    # No network in tests: the map's tiles are refused, the markers still show.
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())

    page.goto(f"{live_server.url}/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda des familles")
    expect(page.locator(".pp-session")).to_have_count(3)
    expect(page.locator("#agenda-map .leaflet-marker-icon")).to_have_count(2)
    expect(page.get_by_text("Gratuit, sans inscription").first).to_be_visible()

    page.get_by_label("Commune").select_option("Lunel")
    expect(page.locator(".pp-session")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"commune=Lunel"))
    expect(page.locator("#agenda-count")).to_contain_text("1 séance")
    expect(page.locator("#agenda-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.get_by_text("Hôtel social du Vidourle")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "agenda-phone-list-fr.png", full_page=True)

    page.get_by_role("link", name="Lectures au parc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lectures au parc")
    expect(page.get_by_text("Entrée par le portail vert")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter à mon agenda")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "agenda-phone-session-fr.png", full_page=True)

    page.locator("button[name=language][value=ar]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lectures au parc")
    expect(page.get_by_role("link", name="أضف إلى تقويمي")).to_be_visible()
    expect(page.get_by_text("ورشة قراءة")).to_be_visible()
    direction = page.evaluate("getComputedStyle(document.querySelector('h1')).direction")
    assert direction == "rtl"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page must not scroll sideways on a phone"

    page.screenshot(path=SCREENSHOTS / "agenda-phone.png", full_page=True)

    # Back to the list, still in Arabic and still filtered by the town chosen.
    page.get_by_role("link", name="برنامج أنشطة العائلات").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # htmx, a deferred script, listens for the change once the page has loaded.
    page.wait_for_load_state("load")
    page.get_by_label("البلدية").select_option("Lunel")
    expect(page.locator(".pp-session")).to_have_count(1)
    page.screenshot(path=SCREENSHOTS / "agenda-phone-list-ar.png", full_page=True)

    # Switching language on the filtered list keeps the filter.
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"commune=Lunel"))
    expect(page.locator(".pp-session")).to_have_count(1)
    expect(page.get_by_text("Free, no registration needed")).to_be_visible()
    context.close()


def test_the_list_and_its_filters_work_without_javascript(
    browser, live_server, make_session, lunel
):
    make_session(days=1)
    make_session(days=2, site=lunel)
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{live_server.url}/agenda/")
    expect(page.locator(".pp-session")).to_have_count(2)
    expect(page.locator("#agenda-map")).to_be_hidden()
    page.get_by_label("Commune").select_option("Lunel")
    page.get_by_role("button", name="Afficher les séances").click()

    expect(page).to_have_url(re.compile(r"commune=Lunel"))
    expect(page.locator(".pp-session")).to_have_count(1)
    expect(page.locator(".pp-session")).to_contain_text("Accueil de loisirs du parc")
    context.close()


def test_a_family_opens_a_cancelled_session_and_reads_why_in_english(
    browser, live_server, make_session, programme
):
    organisation = programme.organisation
    organisation.contact_phone, organisation.contact_email = "01 49 15 40 00", "cabanes@pantin.fr"
    organisation.save()
    workshop = ActivityTypeFactory(
        programme=programme, name="Atelier massage bébé", on_registration=True
    )
    make_session(days=2, activity_type=workshop, capacity=8)
    make_session(
        days=3,
        activity_type=workshop,
        capacity=8,
        cancelled=True,
        cancel_reason="Intervenante malade",
    )

    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    page.goto(f"{live_server.url}/agenda/")
    cancelled = page.locator(".pp-session--cancelled")
    expect(cancelled).to_contain_text("Séance annulée : Intervenante malade")
    cancelled.get_by_role("link", name="Atelier massage bébé").click()

    expect(
        page.get_by_role("heading", level=2, name="Séance annulée : Intervenante malade")
    ).to_be_visible()
    expect(page.get_by_text("Cette séance n'aura pas lieu.")).to_be_visible()
    expect(page.get_by_role("link", name="01 49 15 40 00")).to_have_attribute(
        "href", "tel:0149154000"
    )
    expect(page.get_by_role("button", name="Envoyer ma demande")).to_have_count(0)
    expect(page.get_by_role("link", name="Ajouter à mon agenda")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "agenda-phone-cancelled-fr.png", full_page=True)

    page.locator("button[name=language][value=en]").click()
    expect(
        page.get_by_role("heading", level=2, name="Session cancelled: Intervenante malade")
    ).to_be_visible()
    expect(page.get_by_text("This session will not take place.")).to_be_visible()
    expect(page.get_by_text("For any question, contact the Ville de Pantin team:")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "agenda-phone-cancelled-en.png", full_page=True)

    # The session still on: the request form, in English.
    page.goto(f"{live_server.url}/agenda/")
    page.locator(".pp-session").first.get_by_role("link").click()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("Please enter your first name.").first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "agenda-phone-request-en.png", full_page=True)
    context.close()


def test_a_second_family_gets_the_kept_page_switches_language_and_sees_a_cancellation(
    browser, live_server, make_session, lunel
):
    """The list is kept for anonymous visitors: the second family is served the page the
    first one was, compressed when it was kept (the browser asks for gzip), with their own
    CSRF token (the language switch works), and sees a cancellation made meanwhile by a
    plain UPDATE on their next request."""
    session = make_session(days=2, site=lunel)
    make_session(days=3)
    families = []
    for _ in range(2):
        context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
        page = context.new_page()
        page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
        response = page.goto(f"{live_server.url}/agenda/?commune=Lunel")
        assert response.headers["content-encoding"] == "gzip"
        expect(page.locator(".pp-session")).to_have_count(1)
        families.append(page)
    second = families[1]

    second.get_by_role("button", name="English").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("What's on for families")
    expect(second.locator(".pp-session")).to_have_count(1)

    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.CANCELLED, cancel_reason="Grève des transports"
    )
    # Lunel's only session is cancelled: the town leaves the filter's choices, and the
    # list shows every town, the cancellation among them.
    second.reload()
    expect(second.locator(".pp-session--cancelled")).to_have_count(1)
    expect(second.get_by_text("Grève des transports")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=SCREENSHOTS / "agenda-phone-kept-cancelled-en.png", full_page=True)
    first = families[0]
    first.reload()
    expect(first.locator(".pp-session--cancelled")).to_have_count(1)
