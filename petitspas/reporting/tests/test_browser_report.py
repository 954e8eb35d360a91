"""The coordinator opens the dashboard, compares 2026 with 2025, asks for the annual PDF,
watches its progress and downloads it; then writes the monthly review on a phone."""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from petitspas.accounts.tests.browser import sign_in
from petitspas.activities.tests.factories import SessionFactory
from petitspas.attendance.models import Attendance, Observation
from petitspas.conftest import PHONE
from petitspas.reporting.models import AnnualReport, MonthlyReview
from petitspas.reporting.tasks import build_annual_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "review"
D = datetime.date


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def year_2026(built):
    """2026: H1 and H2 on 9 March (2 households against 3 in 2025), with a note."""
    session = SessionFactory(
        activity_type=built.named, site=built.site, date=D(2026, 3, 9), capacity=10
    )
    for person in (built.a1, built.c1, built.a2, built.c2):
        Attendance.objects.create(
            session=session, person=person, household=person.household, status="present"
        )
    Observation.objects.create(
        session=session,
        observed_on=D(2026, 3, 9),
        themes=["sleep", "father"],
        text=f"{built.h1.code} : deux pères pour la première fois, questions sur le sommeil.",
    )
    return session


@pytest.fixture
def queued(settings, tmp_path):
    """Jobs wait in a queue, as with the database backend, until the test runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path


def test_coordinator_compares_years_and_downloads_the_annual_pdf(
    browser, live_server, alice, built, year_2026, queued, tmp_path
):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    sign_in(page, live_server, alice.coordinator.email)
    page.get_by_role("link", name="Indicateurs").first.click()
    page.get_by_role("link", name=alice.programme.name).click()
    page.get_by_label("Du", exact=True).fill("2026-01-01")
    page.get_by_label("Au", exact=True).fill("2026-12-31")
    page.get_by_role("button", name="Afficher").click()
    row = page.locator('tr[data-indicateur="households_reached"]')
    expect(row.locator("td").nth(0)).to_have_text("2")
    expect(row.locator("td").nth(1)).to_have_text("3")
    expect(row.locator("td").nth(2)).to_have_text("−1")
    shot(page, "1-dashboard-2026")

    page.get_by_role("link", name="Rapport annuel 2026 (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Rapport annuel 2026 — {alice.programme.name}"
    )
    page.get_by_role("button", name="Préparer le PDF du rapport 2026").click()
    progress = page.get_by_role("progressbar")
    expect(progress).to_be_visible()
    expect(page.get_by_text("En attente : En attente de démarrage (0 %)")).to_be_visible()
    shot(page, "2-report-queued")
    # The worker takes the job; the page, polling every 2 s, follows it to the end.
    report = AnnualReport.objects.get()
    build_annual_report.call(report.pk)
    download_button = page.get_by_role("link", name="Télécharger le PDF du rapport 2026")
    expect(download_button).to_be_visible(timeout=8000)
    shot(page, "3-report-ready")
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == "rapport-espace-petits-pas-2026.pdf"
    pdf = tmp_path / "rapport.pdf"
    download.value.save_as(pdf)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages).split()
    )
    assert "Rapport annuel 2026" in text and "Familles touchées 2 3 −1 −33,3 %" in text
    shutil.copy(pdf, SCREENSHOTS / "rapport-2026.pdf")
    context.close()


def test_coordinator_writes_the_monthly_review_on_a_phone(
    browser, live_server, alice, built, year_2026
):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    sign_in(page, live_server, alice.coordinator.email)
    page.goto(f"{live_server.url}/indicateurs/{alice.programme.pk}/")
    page.get_by_role("link", name="Revues mensuelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Revues mensuelles — {alice.programme.name}"
    )
    page.goto(f"{live_server.url}/indicateurs/{alice.programme.pk}/revues/2026/3/")
    row = page.locator('tr[data-indicateur="households_reached"]')
    expect(row.locator("td").nth(0)).to_have_text("2")
    expect(row.locator("td").nth(1)).to_have_text("0")
    expect(page.get_by_role("heading", name="Sommeil (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Place du père (1)")).to_be_visible()
    # Nothing typed: refused with a French message.
    page.get_by_role("button", name="Enregistrer la revue").click()
    expect(
        page.get_by_text("Écrivez au moins les conclusions ou un ajustement décidé.")
    ).to_be_visible()
    page.get_by_label("Conclusions de la revue").fill("Deux pères sont venus : à encourager.")
    page.get_by_label("Ajustements de la mobilisation").fill("Affiche à la PMI de Pantin.")
    page.get_by_role("button", name="Enregistrer la revue").click()
    expect(page.get_by_text("Revue de mars 2026 enregistrée.")).to_be_visible()
    expect(page.get_by_label("Ajustements de la mobilisation")).to_have_value(
        "Affiche à la PMI de Pantin."
    )
    shot(page, "4-review-phone")
    review = MonthlyReview.objects.get()
    assert review.month == D(2026, 3, 1) and review.created_by == alice.coordinator
    # The observation chosen for the report is quoted without the family's code.
    page.get_by_role("link", name="Choisir les observations du rapport annuel 2026").click()
    page.get_by_role("button", name="Retenir pour le rapport").first.click()
    expect(page.get_by_text("Observation retenue pour le rapport.")).to_be_visible()
    expect(page.get_by_text("Texte cité : […] : deux pères")).to_be_visible()
    shot(page, "5-observations-phone")
    context.close()
