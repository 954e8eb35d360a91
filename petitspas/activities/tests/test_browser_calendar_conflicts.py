"""A coordinator closes a site over planned sessions and cancels them in one action; the
public agenda then gives the reason. On a desktop screen, and the list on a 390×844 phone.
Browser tests keep the real clock: the sessions are planned from next week on."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.models import Session
from petitspas.activities.services import series_create
from petitspas.activities.tests.factories import ActivityTypeFactory, open_site
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.fixture
def planned(alice):
    """Tuesday afternoons for eight weeks at a Lunel centre closed on Friday afternoons."""
    site = open_site(
        programme=alice.programme, name="Espace Petits Pas", lunel=True, closed=[(4, "pm")]
    )
    activity = ActivityTypeFactory(programme=alice.programme, name="Temps de jeu libre")
    start = timezone.localdate() + datetime.timedelta(days=7)
    series = series_create(
        activity_type=activity,
        sites=[site],
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=start,
        ends_on=start + datetime.timedelta(weeks=8),
        start_time=datetime.time(14),
        end_time=datetime.time(16),
        by=alice.coordinator,
    )
    return site, list(series.sessions.order_by("date"))


def test_coordinator_closes_a_site_and_cancels_its_sessions(page, live_server, alice, planned):
    site, sessions = planned
    # From the 2nd to the 4th session: exactly three sessions on closed days.
    hit = sessions[1:4]
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/lieux/{site.pk}/fermetures/")
    page.locator("#id_closure-starts_on").fill(hit[0].date.isoformat())
    page.locator("#id_closure-ends_on").fill(hit[-1].date.isoformat())
    page.locator("#id_closure-reason").fill("Travaux de peinture")
    page.get_by_role("button", name="Ajouter la fermeture").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Séances touchées par le calendrier"
    )
    expect(page.get_by_text("3 séance(s) prévue(s) tombent désormais")).to_be_visible()
    boxes = page.locator("input[name=sessions]")
    expect(boxes).to_have_count(3)
    for index in range(3):
        expect(boxes.nth(index)).to_be_checked()
    expect(page.get_by_label("Motif de l'annulation")).to_have_value(
        "Fermeture : Travaux de peinture"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "calendar-conflicts-desktop.png", full_page=True)

    page.get_by_label("Motif de l'annulation").fill("Fermeture pour travaux de peinture")
    page.get_by_role("button", name="Annuler les séances cochées").click()

    expect(page.get_by_text("3 séance(s) annulée(s).")).to_be_visible()
    expect(page.get_by_text("Aucune séance prévue n'est touchée")).to_be_visible()
    assert set(
        Session.objects.filter(status=Session.Status.CANCELLED).values_list("pk", flat=True)
    ) == {s.pk for s in hit}
    page.screenshot(path=SCREENSHOTS / "calendar-conflicts-done.png", full_page=True)

    page.goto(f"{live_server.url}/agenda/")
    # All three fall within the agenda's eight weeks.
    expect(page.get_by_text("Séance annulée : Fermeture pour travaux de peinture")).to_have_count(3)
    page.screenshot(path=SCREENSHOTS / "agenda-cancelled.png", full_page=True)


def test_the_list_is_usable_on_a_phone(browser, live_server, alice, planned):
    site, sessions = planned
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/lieux/{site.pk}/fermetures/")
    page.locator("#id_closure-starts_on").fill(sessions[0].date.isoformat())
    page.locator("#id_closure-ends_on").fill(sessions[1].date.isoformat())
    page.locator("#id_closure-reason").fill("Inondation")
    page.get_by_role("button", name="Ajouter la fermeture").click()

    expect(page.locator("input[name=sessions]")).to_have_count(2)
    # Untick the second by its label, as a thumb does, and cancel the first only.
    second = page.locator("input[name=sessions]").nth(1)
    page.locator(f"label[for='{second.get_attribute('id')}']").click()
    expect(second).not_to_be_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the list must not scroll sideways on a phone"
    page.screenshot(path=SCREENSHOTS / "calendar-conflicts-phone.png", full_page=True)
    page.get_by_role("button", name="Annuler les séances cochées").click()

    expect(page.get_by_text("1 séance(s) annulée(s).")).to_be_visible()
    expect(page.locator("input[name=sessions]")).to_have_count(1)
    context.close()
