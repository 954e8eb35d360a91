"""A coordinator plans "the first Tuesday of each month in two hotels" on a phone, sees the
count of sessions before saving, then a professional finds hers in "Ma semaine"."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.models import Session
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory, open_site
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def tick(page, label):
    box = page.get_by_label(label, exact=True)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def test_plan_a_monthly_series_on_a_phone(page, live_server, alice):
    page.set_viewport_size(PHONE)
    ActivityTypeFactory(programme=alice.programme, name="Atelier lecture")
    for name in ("Hôtel social de Bobigny", "Hôtel social de Rosny"):
        open_site(programme=alice.programme, name=name, weekdays=range(7))
    start = timezone.localdate().replace(day=1)

    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/activites/programme/{alice.programme.pk}/series/nouvelle/")
    page.get_by_label("Activité", exact=True).select_option(label="Atelier lecture")
    tick(page, "Hôtel social de Bobigny (Pantin)")
    tick(page, "Hôtel social de Rosny (Pantin)")
    tick(page, "Un jour par mois (par exemple le premier mardi)")
    page.get_by_label("Semaine du mois").select_option(label="Premier")
    page.get_by_label("Jour du mois").select_option(label="Mardi")
    page.get_by_label("À partir du").fill(start.isoformat())
    page.get_by_label("Jusqu'au (inclus)").fill((start + datetime.timedelta(days=180)).isoformat())
    page.get_by_label("Début").fill("14:00")
    page.get_by_label("Fin", exact=True).fill("16:00")
    tick(page, alice.professional.get_full_name())

    preview = page.locator("#apercu")
    expect(preview).to_contain_text("le premier mardi de chaque mois")
    expect(preview).to_contain_text("Hôtel social de Rosny")
    assert not Session.objects.exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "series-form-phone.png", full_page=True)

    page.get_by_role("button", name="Créer la série et ses séances").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La série est créée")
    count = Session.objects.count()
    assert count >= 10 and count % 2 == 0
    assert page.viewport_size["width"] >= page.evaluate("document.documentElement.scrollWidth")


def test_my_week_on_a_phone(page, live_server, alice):
    page.set_viewport_size(PHONE)
    site = open_site(programme=alice.programme, name="Cabane des Lilas", weekdays=range(7))
    session = SessionFactory(
        activity_type__programme=alice.programme,
        activity_type__name="Atelier Cabane",
        site=site,
        date=timezone.localdate(),
    )
    session.staff.set([alice.professional])

    sign_in(page, live_server, alice.professional.email)
    page.goto(f"{live_server.url}/activites/ma-semaine/")
    expect(page.locator("main").get_by_text("aujourd'hui", exact=True)).to_be_visible()
    page.get_by_role("link", name="14h–16h · Atelier Cabane").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier Cabane")
    expect(page.get_by_text("Cabane des Lilas")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "session-detail-phone.png", full_page=True)
    page.goto(f"{live_server.url}/activites/programme/{alice.programme.pk}/mois/")
    expect(page.get_by_role("link", name="14h Atelier Cabane · Cabane des Lilas")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "month-phone.png", full_page=True)
    assert page.viewport_size["width"] >= page.evaluate("document.documentElement.scrollWidth")
