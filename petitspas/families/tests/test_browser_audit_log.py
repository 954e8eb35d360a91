"""The organisation's admin filters the access log and downloads it as CSV; a funder opens a
social hotel's page and reads its town, never its street."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE
from petitspas.core.models import AuditEntry
from petitspas.families.permissions import access_household
from petitspas.families.tests.factories import HouseholdFactory
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory, WeeklyOpeningFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
STREET = "17 impasse des Volets-Clos"


def test_admin_filters_the_log_and_downloads_it(page, live_server, alice):
    page.set_viewport_size(PHONE)
    first = HouseholdFactory(organisation=alice.organisation, code="F-0001")
    second = HouseholdFactory(organisation=alice.organisation, code="G-0002")
    access_household(alice.coordinator, first.pk)
    access_household(alice.admin, second.pk)
    today = timezone.localdate()

    sign_in(page, live_server, alice.admin.email)
    page.goto(f"{live_server.url}/familles/journal/")
    page.get_by_label("Personne").select_option(label=alice.coordinator.get_full_name())
    page.get_by_label("Action").select_option(label="a consulté le dossier de la famille …")
    page.locator("#id_date_from").fill(today.isoformat())
    page.locator("#id_date_to").fill(today.isoformat())
    page.get_by_role("button", name="Filtrer").click()

    rows = page.locator(".pp-audit__entry")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("a consulté le dossier de la famille F-0001")
    expect(rows.first).to_contain_text(alice.coordinator.get_full_name())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "audit-log-phone.png", full_page=True)
    assert page.viewport_size["width"] >= page.evaluate("document.documentElement.scrollWidth")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger ces entrées (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"journal-des-acces-{today:%Y-%m-%d}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Date et heure", "Organisation", "Personne", "Action"]
    assert [row[3] for row in rows[1:]] == ["a consulté le dossier de la famille F-0001"]
    export = AuditEntry.objects.get(action="audit_log.export")
    assert export.actor == alice.admin


def test_a_bad_date_is_told_in_french(page, live_server, alice):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, alice.admin.email)
    page.goto(f"{live_server.url}/familles/journal/?date_from=2026-03-12&date_to=2026-03-10")
    expect(page.locator(".fr-alert--error")).to_contain_text("Un filtre est mal saisi")
    expect(page.locator("#main-content, main").first).to_contain_text(
        "La date de fin doit être égale ou postérieure à la date de début."
    )
    expect(page.locator("#id_date_to")).to_have_value("2026-03-10")


def test_funder_sees_a_social_hotel_without_its_street(page, live_server, alice, funder):
    page.set_viewport_size(PHONE)
    hotel = SiteFactory(
        programme=alice.programme,
        name="Hôtel social – Bobigny",
        kind=Site.Kind.SOCIAL_HOTEL,
        address=STREET,
        postcode="93000",
        commune_code="93008",
        town="Bobigny",
        latitude=Decimal("48.90871"),
        longitude=Decimal("2.43912"),
    )
    WeeklyOpeningFactory(site=hotel)

    sign_in(page, live_server, funder.email)
    page.goto(f"{live_server.url}/lieux/{hotel.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hôtel social – Bobigny")
    body = page.locator("body")
    expect(body).to_contain_text("Bobigny")
    expect(body).to_contain_text("son adresse n'est connue que de l'équipe")
    expect(body).not_to_contain_text(STREET)
    expect(body).not_to_contain_text("93000")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "social-hotel-funder-phone.png", full_page=True)
    assert STREET not in page.content()
    # The staff of the hotel's organisation do read it.
    page.context.clear_cookies()
    sign_in(page, live_server, alice.professional.email)
    page.goto(f"{live_server.url}/lieux/{hotel.pk}/")
    expect(page.locator("body")).to_contain_text(f"{STREET}, 93000 Bobigny")
