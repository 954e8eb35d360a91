"""The annual report: asked for on the page, built by the background job, read back
with pypdf; a funder's has "< 5" and no household code or first name anywhere; the file
goes to who asked and the organisation's admins and coordinators; the same report from
the shell."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from petitspas.attendance.models import Observation
from petitspas.core.models import AuditEntry
from petitspas.reporting.models import AnnualReport, ReportObservation
from petitspas.reporting.services_review import observation_select
from petitspas.web.tests.test_isolation import person_markers

D = datetime.date


@pytest.fixture(autouse=True)
def setup(travel, settings, tmp_path):
    travel(D(2025, 12, 31))
    settings.MEDIA_ROOT = tmp_path


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def chosen(alice, built):
    """An observation naming a family by code and first name, chosen for 2025."""
    built.h1.code = "F-ALICE"
    built.h1.save()
    built.a1.first_name = "Zéphyrine"
    built.a1.save()
    note = Observation.objects.create(
        session=built.s1,
        observed_on=D(2025, 3, 10),
        themes=["sleep"],
        text="F-ALICE : Zéphyrine raconte des nuits courtes ; les parents échangent.",
    )
    return observation_select(
        programme=alice.programme, year=2025, observation=note, by=alice.coordinator
    )


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Post the request; the job starts once the request's transaction is committed."""

    def post(client, programme, year=2025):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/indicateurs/{programme.pk}/rapport/{year}/")
        assert response.status_code == 302
        return AnnualReport.objects.latest("pk")

    return post


def download(client, report) -> bytes:
    response = client.get(f"/indicateurs/rapports/{report.pk}/telecharger/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_coordinator_asks_for_the_pdf_and_reads_it_back(client, alice, built, chosen, ask):
    client.force_login(alice.coordinator)
    report = ask(client, alice.programme)
    assert report.status == AnnualReport.Status.DONE and report.progress == 100
    assert not report.protected
    assert AuditEntry.objects.filter(action="annual_report.request").count() == 1
    page = client.get(f"/indicateurs/{alice.programme.pk}/rapport/2025/").content.decode()
    assert "Télécharger le PDF du rapport 2025" in page
    text = pdf_text(download(client, report))
    assert "Rapport annuel 2025" in text and alice.programme.name in text
    assert "Chiffres clés" in text and "Graphiques" in text
    assert "Enfants touchés par âge" in text  # the dashboard's chart and its table
    assert "D'une année sur l'autre" in text
    # 3 households in 2025 against 1 in 2024, +2, +200 %.
    assert "Familles touchées 3 1 +2 +200,0 %" in " ".join(text.split())
    assert "< 5" not in text  # staff read exact counts
    assert "nuits courtes" in text
    # The chosen text only: never the raw observation.
    assert "F-ALICE" not in text and "Zéphyrine" not in text


def test_funders_pdf_hides_small_cells_and_names_nobody(client, alice, funder, built, chosen, ask):
    client.force_login(funder)
    report = ask(client, alice.programme)
    assert report.protected and report.status == AnnualReport.Status.DONE
    text = pdf_text(download(client, report))
    flat = " ".join(text.split())
    assert "Familles touchées < 5" in flat
    assert "< 5" in text and "Les effectifs de moins de 5 personnes" in flat
    assert "Séances tenues 4" in flat  # sessions name nobody: shown
    assert "nuits courtes" in text
    for marker in person_markers(alice):
        assert marker not in text
    for code in (built.h1.code, built.h2.code, built.h3.code):
        assert code not in text
    for person in (built.a1, built.a2, built.c1, built.c2, built.c3, built.a3):
        if person.first_name:
            assert person.first_name not in text.replace("[…]", "")


def test_the_file_goes_to_who_asked_and_the_organisations_planners(
    client, alice, bob, funder, built, ask
):
    client.force_login(alice.coordinator)
    coordinators = ask(client, alice.programme)
    client.force_login(funder)
    funders = ask(client, alice.programme)
    # The funder reads its own report, never the coordinator's exact one.
    page = client.get(f"/indicateurs/{alice.programme.pk}/rapport/2025/").content.decode()
    assert f"rapport-{funders.pk}" in page and f"rapport-{coordinators.pk}" not in page
    assert client.get(f"/indicateurs/rapports/{coordinators.pk}/telecharger/").status_code == 404
    assert client.get(f"/indicateurs/rapports/{coordinators.pk}/etat/").status_code == 404
    download(client, funders)
    # The organisation's admin reads both; a professional only what they asked for.
    client.force_login(alice.admin)
    download(client, coordinators)
    download(client, funders)
    client.force_login(alice.professional)
    assert client.get(f"/indicateurs/rapports/{coordinators.pk}/telecharger/").status_code == 404
    client.force_login(bob.coordinator)
    assert client.get(f"/indicateurs/rapports/{funders.pk}/telecharger/").status_code == 404
    assert client.post(f"/indicateurs/{alice.programme.pk}/rapport/2025/").status_code == 404


def test_progress_is_polled_until_the_report_is_ready(client, alice, built):
    report = AnnualReport.objects.create(
        programme=alice.programme, year=2025, requested_by=alice.coordinator,
        status=AnnualReport.Status.RUNNING, progress=45, step="Séances par mois et tableaux",
    )  # fmt: skip
    client.force_login(alice.coordinator)
    fragment = client.get(f"/indicateurs/rapports/{report.pk}/etat/").content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert "Séances par mois et tableaux (45 %)" in fragment
    assert 'value="45"' in fragment
    # Not ready: nothing to download yet.
    assert client.get(f"/indicateurs/rapports/{report.pk}/telecharger/").status_code == 404
    from petitspas.reporting.tasks import build_annual_report

    report.status = AnnualReport.Status.QUEUED
    report.save()
    build_annual_report.call(report.pk)
    fragment = client.get(f"/indicateurs/rapports/{report.pk}/etat/").content.decode()
    assert "hx-trigger" not in fragment and "Télécharger le PDF" in fragment


def test_a_failed_job_says_so(client, alice, built, monkeypatch, ask):
    from petitspas.reporting import tasks

    def broken(content):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(tasks, "report_pdf", broken)
    client.force_login(alice.coordinator)
    report = ask(client, alice.programme)
    assert report.status == AnnualReport.Status.FAILED
    fragment = client.get(f"/indicateurs/rapports/{report.pk}/etat/").content.decode()
    assert "pas pu être produit" in fragment and "hx-trigger" not in fragment


@pytest.mark.parametrize("year", [1999, 2101])
def test_impossible_years_are_404(client, alice, year):
    client.force_login(alice.coordinator)
    assert client.get(f"/indicateurs/{alice.programme.pk}/rapport/{year}/").status_code == 404
    assert client.post(f"/indicateurs/{alice.programme.pk}/rapport/{year}/").status_code == 404


def test_xlsx_has_the_tables_and_the_chosen_observations(client, alice, funder, built, chosen):
    client.force_login(funder)
    response = client.get(f"/indicateurs/{alice.programme.pk}/rapport/2025/rapport.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Chiffres clés" and workbook.sheetnames[-1] == "Observations"
    rows = {r[1]: r for r in workbook["Chiffres clés"].iter_rows(min_row=4, values_only=True)}
    assert rows["households_reached"][2] == "< 5"
    quoted = [r[2] for r in workbook["Observations"].iter_rows(min_row=4, values_only=True)]
    assert quoted == ["[…] : […] raconte des nuits courtes ; les parents échangent."]
    cells = " ".join(
        str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row
    )
    assert "F-ALICE" not in cells and "Zéphyrine" not in cells


def test_the_same_report_from_the_shell(alice, built, chosen, tmp_path):
    out = tmp_path / "rapport.pdf"
    call_command("annual_report", str(alice.programme.pk), "2025", "--output", str(out))
    flat = " ".join(pdf_text(out.read_bytes()).split())
    assert "Familles touchées 3 1 +2 +200,0 %" in flat
    call_command(
        "annual_report", str(alice.programme.pk), "2025", "--output", str(out), "--financeur"
    )
    flat = " ".join(pdf_text(out.read_bytes()).split())
    assert "Familles touchées < 5" in flat and "F-ALICE" not in flat
    xlsx = tmp_path / "rapport.xlsx"
    call_command("annual_report", str(alice.programme.pk), "2025", "--output", str(xlsx))
    assert "Observations" in load_workbook(xlsx).sheetnames
    for args in (["abc", "2025"], ["999999", "2025"], [str(alice.programme.pk), "1999"]):
        with pytest.raises(CommandError):
            call_command("annual_report", *args, "--output", str(out))
    with pytest.raises(CommandError):
        call_command(
            "annual_report", str(alice.programme.pk), "2025", "--output", "/nulle/part/r.pdf"
        )
    assert ReportObservation.objects.count() == 1


def test_a_family_arrived_after_the_choice_is_stripped_too(alice, built, chosen):
    from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
    from petitspas.reporting.report import report_content

    chosen.text = "Les parents échangent ; Capucine aussi."
    chosen.save()
    PersonFactory(
        household=HouseholdFactory(organisation=alice.organisation), first_name="Capucine"
    )
    content = report_content(alice.programme, 2025, today=D(2025, 12, 31), protected=True)
    assert [o.text for o in content.observations] == ["Les parents échangent ; […] aussi."]


def test_a_job_for_someone_who_left_builds_nothing(alice, funder, built):
    from petitspas.organisations.models import Membership
    from petitspas.reporting.tasks import build_annual_report

    report = AnnualReport.objects.create(programme=alice.programme, year=2025, requested_by=funder)
    Membership.objects.filter(user=funder).delete()
    build_annual_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED and not report.file
    assert "ne lit plus les chiffres" in report.error


def test_the_report_prints_the_budget_and_its_funders(alice, built, funder, tmp_path):
    """Seed 002's money in the report: 136 000 € of cost, CAF 26 000 € (72,2 % of the
    funding), 100 000 € left to fund; the cost per family (3 households reached in 2025)
    for the organisation, none for a funder, who reads "< 5"."""
    from decimal import Decimal

    from petitspas.reporting.report import report_content, report_pdf, report_xlsx
    from petitspas.reporting.services_money import budget_line_save, funding_save

    c, p = alice.coordinator, alice.programme
    budget_line_save(
        by=c, programme=p, year=2025, category="other", label="Coût", amount=Decimal(136000)
    )
    funding_save(by=c, programme=p, year=2025, funder_name="CAF", amount=Decimal(26000), note="")
    funding_save(
        by=c, programme=p, year=2025, funder_name="Département", amount=Decimal(10000), note=""
    )

    def flat(content) -> str:
        return "".join(pdf_text(report_pdf(content)).split()).replace("\u202f", "")

    text = flat(report_content(p, 2025, today=D(2025, 12, 31), user=c))
    assert "Budgetetfinanceurs2025" in text
    assert "136000€budget" in text
    assert "CAF26000" in text and "72,2" in text
    assert "Resteàfinancer(autofinancement)100000" in text
    assert "45333,33€parfamilletouchée" in text
    protected = flat(report_content(p, 2025, today=D(2025, 12, 31), user=funder))
    assert "CAF26000" in protected and "45333" not in protected
    workbook = load_workbook(
        io.BytesIO(report_xlsx(report_content(p, 2025, today=D(2025, 12, 31), user=c)))
    )
    assert {"Budget", "Financeurs"} <= set(workbook.sheetnames)
    # No budget for 2024: no section at all.
    assert "Budgetetfinanceurs" not in flat(report_content(p, 2024, today=D(2025, 12, 31), user=c))
