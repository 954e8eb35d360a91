"""The attendance rows export: one pseudonymous line per person marked, CSV and XLSX,
for the organisation's admins and coordinators only, audited; a bad period is refused."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from petitspas.core.audit import AuditEntry
from petitspas.reporting import rows
from petitspas.reporting.rows import HEADERS

YEAR = "start=2025-01-01&end=2025-12-31"


@pytest.fixture(autouse=True)
def today(travel):
    travel(datetime.date(2025, 12, 31))


def url(programme, extension, query=YEAR):
    return f"/indicateurs/{programme.pk}/presences.{extension}?{query}"


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_coordinator_exports_one_line_per_person_marked(client, alice, built):
    client.force_login(alice.coordinator)
    rows = read_csv(client.get(url(alice.programme, "csv")))
    assert rows[0] == HEADERS
    body = rows[1:]
    # S1: H1 and H2 whole (5), S2: A1 present and C1 absent (2), S3: H1 whole and A3 (3).
    # S0 (November 2024) is outside the year.
    assert len(body) == 10
    assert [r[0] for r in body] == ["2025-03-10"] * 5 + ["2025-04-14"] * 2 + ["2025-10-07"] * 3
    first_session = {(r[4], r[5], r[6]) for r in body[:5]}
    assert first_session == {
        (built.h1.code, "parent", ""),
        (built.h1.code, "enfant", "0-1 an"),  # C1, 5 months old
        (built.h2.code, "parent", ""),
        (built.h2.code, "enfant", "3-6 ans"),  # C2, 4 years old
        (built.h2.code, "enfant", "6 ans et plus, ou âge inconnu"),  # C3, 7 years old
    }
    assert sorted((r[5], r[7]) for r in body[5:7]) == [("enfant", "Absent"), ("parent", "Présent")]
    text = "\n".join(";".join(r) for r in body)
    for person in (built.a1, built.c1, built.a2):
        assert person.first_name not in text
    assert "2024-09-15" not in text  # no birth date
    entry = AuditEntry.objects.get(action="attendance_rows.export")
    assert entry.actor == alice.coordinator
    assert entry.details["format"] == "csv"


def test_the_xlsx_holds_the_same_rows(client, alice, built):
    client.force_login(alice.admin)
    response = client.get(url(alice.programme, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0].startswith("Espace Petits Pas")
    assert list(values[1]) == HEADERS
    assert len(values) == 2 + 10


def test_rows_past_a_sheet_go_on_in_the_next(client, alice, built, monkeypatch):
    monkeypatch.setattr(rows, "SHEET_ROWS", 6)  # the title, the headers and 4 rows a sheet
    client.force_login(alice.admin)
    response = client.get(url(alice.programme, "xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    assert workbook.sheetnames == ["Présences", "Présences (2)", "Présences (3)"]
    sheets = [list(sheet.values) for sheet in workbook.worksheets]
    assert [len(values) for values in sheets] == [6, 6, 4]  # 10 rows: 4, 4 and 2
    for values in sheets:
        assert values[0][0].startswith("Espace Petits Pas") and list(values[1]) == HEADERS
    read = [row for values in sheets for row in values[2:]]
    single = client.get(url(alice.programme, "csv"))
    assert [row[0] for row in read] == [row[0] for row in read_csv(single)[1:]]


def test_an_export_without_rows_has_its_headers(client, alice, built):
    client.force_login(alice.admin)
    response = client.get(url(alice.programme, "xlsx", "start=2020-01-01&end=2020-12-31"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Présences"]
    assert list(list(workbook.active.values)[1]) == HEADERS


def test_filters_by_site_and_activity(client, alice, built):
    client.force_login(alice.coordinator)
    rows = read_csv(
        client.get(url(alice.programme, "csv", f"{YEAR}&activity_type={built.laep.pk}"))
    )
    assert rows[1:] == []  # the LAEP is counted, never named
    rows = read_csv(client.get(url(alice.programme, "csv", f"{YEAR}&site={built.site.pk}")))
    assert len(rows) == 11


@pytest.mark.parametrize(
    "query, message",
    [
        ("start=2025-12-31&end=2025-01-01", "après son début"),
        ("start=hier&end=2025-01-01", "Date illisible"),
        ("", "obligatoire"),
    ],
)
def test_a_bad_period_is_refused_with_a_message(client, alice, built, query, message):
    client.force_login(alice.coordinator)
    response = client.get(url(alice.programme, "csv", query))
    assert response.status_code == 400
    assert "Période invalide" in response.content.decode()
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action="attendance_rows.export").exists()


def test_professionals_and_funders_never_export_rows(client, alice, built, funder):
    for user in (alice.professional, funder):
        client.force_login(user)
        for extension in ("csv", "xlsx"):
            assert client.get(url(alice.programme, extension)).status_code == 403


def test_another_organisation_gets_404(client, alice, bob, built):
    client.force_login(bob.coordinator)
    for extension in ("csv", "xlsx"):
        assert client.get(url(alice.programme, extension)).status_code == 404
