"""A coordinator plans "the first Tuesday of each month in two hotels" on a phone, sees the
count of sessions before saving, then a professional finds hers in "Ma semaine". A clash is
named, then confirmed or avoided by a rotation."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.models import Session
from petitspas.activities.tests.factories import (
    ActivityTypeFactory,
    FacilitatorFactory,
    SessionFactory,
    open_site,
)
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def tick(page, label, *, exact=True):
    box = page.get_by_label(label, exact=exact)
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
    # The same professional in both hotels at once: she is asked for, and confirmed.
    expect(page.locator(".fr-alert--error")).to_contain_text("Conflit d'agenda")
    tick(page, "Je confirme malgré le conflit", exact=False)
    page.get_by_role("button", name="Créer la série et ses séances").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La série est créée")
    assert not Session.objects.filter(clash_note="").exists()
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


def test_a_clash_is_named_then_the_series_rotates_on_a_phone(page, live_server, alice):
    """One psychomotor therapist, two hotels, the first Tuesday of each month: refused with
    the clash named; in rotation, saved."""
    page.set_viewport_size(PHONE)
    ActivityTypeFactory(programme=alice.programme, name="Atelier psychomotricité")
    FacilitatorFactory(
        organisation=alice.organisation, name="Hélène Moreau", role="Psychomotricienne"
    )
    for name in ("Hôtel social de Bobigny", "Hôtel social de Rosny"):
        open_site(programme=alice.programme, name=name, weekdays=range(7))
    start = timezone.localdate().replace(day=1)

    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/activites/programme/{alice.programme.pk}/series/nouvelle/")
    page.get_by_label("Activité", exact=True).select_option(label="Atelier psychomotricité")
    tick(page, "Hôtel social de Bobigny (Pantin)")
    tick(page, "Hôtel social de Rosny (Pantin)")
    tick(page, "Un jour par mois (par exemple le premier mardi)")
    page.get_by_label("Semaine du mois").select_option(label="Premier")
    page.get_by_label("Jour du mois").select_option(label="Mardi")
    page.get_by_label("À partir du").fill(start.isoformat())
    page.get_by_label("Jusqu'au (inclus)").fill((start + datetime.timedelta(days=180)).isoformat())
    page.get_by_label("Début").fill("14:00")
    page.get_by_label("Fin", exact=True).fill("16:00")
    tick(page, "Hélène Moreau (Psychomotricienne)")

    preview = page.locator("#apercu")
    expect(preview).to_contain_text("Hélène Moreau serait sur 2 séances en même temps")
    page.get_by_role("button", name="Créer la série et ses séances").click()
    alert = page.locator(".fr-alert--error")
    expect(alert).to_contain_text("Conflit d'agenda : Hélène Moreau serait sur 2 séances")
    expect(alert).to_contain_text("Hôtel social de Bobigny (14h–16h) et Hôtel social de Rosny")
    expect(page.get_by_label("Je confirme malgré le conflit")).to_be_visible()
    expect(page.get_by_label("Hélène Moreau (Psychomotricienne)")).to_be_checked()
    assert not Session.objects.exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "series-clash-phone.png", full_page=True)
    alert.screenshot(path=SCREENSHOTS / "series-clash-alert.png")
    page.locator("#apercu").screenshot(path=SCREENSHOTS / "series-clash-preview.png")
    page.locator("fieldset", has_text="À confirmer").screenshot(
        path=SCREENSHOTS / "series-clash-confirm.png"
    )

    tick(page, "Une séance par date, à tour de rôle dans les lieux")
    expect(preview).to_contain_text("à tour de rôle dans les lieux")
    expect(preview).not_to_contain_text("Conflit")
    page.screenshot(path=SCREENSHOTS / "series-rotation-phone.png", full_page=True)
    preview.screenshot(path=SCREENSHOTS / "series-rotation-preview.png")
    page.locator("fieldset", has_text="Quoi et où").screenshot(
        path=SCREENSHOTS / "series-where.png"
    )
    page.get_by_role("button", name="Créer la série et ses séances").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La série est créée")
    expect(page.get_by_text("à tour de rôle dans les lieux")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "series-detail-rotation-phone.png", full_page=True)
    sites_by_date = dict(Session.objects.values_list("date", "site__name"))
    assert len(sites_by_date) == Session.objects.count() >= 5
    assert len(set(sites_by_date.values())) == 2
    assert page.viewport_size["width"] >= page.evaluate("document.documentElement.scrollWidth")
