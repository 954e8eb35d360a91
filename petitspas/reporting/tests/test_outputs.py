"""The dashboard, the CSV, the XLSX and the API: same figures, same door, same small-cell
rule; funders never read a person."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from petitspas.attendance.models import Attendance
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory
from petitspas.reporting.smallcells import SMALL
from petitspas.web.tests.test_isolation import person_markers

YEAR = "start=2025-01-01&end=2025-12-31"


def dashboard(programme, query=YEAR):
    return f"/indicateurs/{programme.pk}/?{query}"


def api(programme, query=YEAR):
    return f"/api/indicators?programme={programme.pk}&{query}"


@pytest.fixture(autouse=True)
def today(travel):
    travel(datetime.date(2025, 12, 31))


def values_from_api(response) -> dict:
    assert response.status_code == 200, response.content
    return {row["name"]: row["value"] for row in response.json()["indicators"]}


def test_coordinator_reads_exact_figures_everywhere(client, alice, built):
    client.force_login(alice.coordinator)
    page = client.get(dashboard(alice.programme))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-indicateur="households_reached"' in text
    assert "<svg" in text and "Données du graphique" in text
    values = values_from_api(client.get(api(alice.programme)))
    assert values["households_reached"] == 3
    assert values["children_reached_0_1"] == 1  # small, but staff read exact counts
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/indicateurs/{alice.programme.pk}/indicateurs.csv?{YEAR}"
                ).content.decode()
            ),
            delimiter=";",
        )
    )
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["households_reached"][2] == "3"
    assert by_name["households_reached"][3] == "1"  # 2024
    assert by_name["households_reached"][4] == "2"


def test_xlsx_has_one_sheet_per_table_and_reads_back(client, alice, built):
    client.force_login(alice.coordinator)
    response = client.get(f"/indicateurs/{alice.programme.pk}/indicateurs.xlsx?{YEAR}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Chiffres clés",
        "Enfants par âge",
        "Venues par famille",
        "Séances par mois",
    ]
    sheet = workbook["Chiffres clés"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["households_reached"][2] == 3
    assert rows["mean_attendance"][2] == 5.2
    months = list(workbook["Séances par mois"].iter_rows(min_row=4, values_only=True))
    assert len(months) == 12
    assert months[2][:2] == ("mars 2025", 1)


def test_funder_reads_protected_figures_in_every_output(client, alice, funder, built):
    client.force_login(funder)
    values = values_from_api(client.get(api(alice.programme)))
    # 3 households: under 5, hidden; new (2) and returning (1) with it.
    assert values["households_reached"] == SMALL
    assert values["new_households"] == SMALL
    assert values["sessions_held"] == 4  # sessions are not people
    assert values["headcount_adults"] == 6
    # headcount children 6 = 2 + 3 + 1: all parts small, the total stays.
    assert values["headcount_children"] == 6
    assert values["headcount_children_0_1"] == SMALL
    page = client.get(dashboard(alice.programme)).content.decode()
    assert "&lt; 5" in page
    csv_text = client.get(
        f"/indicateurs/{alice.programme.pk}/indicateurs.csv?{YEAR}"
    ).content.decode()
    assert f"Familles touchées;households_reached;{SMALL}" in csv_text
    workbook = load_workbook(
        io.BytesIO(client.get(f"/indicateurs/{alice.programme.pk}/indicateurs.xlsx?{YEAR}").content)
    )
    rows = {row[1]: row for row in workbook["Chiffres clés"].iter_rows(min_row=4, values_only=True)}
    assert rows["households_reached"][2] == SMALL
    everything = page + csv_text + str([list(s.values) for s in workbook])
    for marker in [*person_markers(alice), built.h1.code, built.h2.code, built.a1.first_name]:
        assert marker not in everything


def test_hidden_cell_cannot_be_recovered_from_the_margins(client, alice, funder, built):
    """Seven more households with a baby: 8 children under one, 1 aged 3-6, 1 aged 6+;
    the 1-3 band (0) and the total of 10 show, so the 3-6 cell alone would be recovered
    by subtraction: another cell is hidden with it, and no sum has a single hidden cell."""
    session = built.s1
    for n in range(7):
        household = HouseholdFactory(organisation=alice.organisation)
        parent = PersonFactory(household=household, parent=True)
        baby = PersonFactory(
            household=household, child=True, birth_date=datetime.date(2025, 1, n + 1)
        )
        for person in (parent, baby):
            Attendance.objects.create(
                session=session, person=person, household=household, status="present"
            )
    client.force_login(funder)
    values = values_from_api(client.get(api(alice.programme)))
    assert values["children_reached"] == 10
    assert values["children_reached_0_1"] == 8
    groups = [
        [
            "children_reached",
            "children_reached_0_1",
            "children_reached_1_3",
            "children_reached_3_6",
            "children_reached_6_plus",
        ],
        [
            "children_reached_under_6",
            "children_reached_0_1",
            "children_reached_1_3",
            "children_reached_3_6",
        ],
        ["children_reached", "children_reached_under_6", "children_reached_6_plus"],
        ["households_reached", "new_households", "returning_households"],
    ]
    for group in groups:
        hidden = [name for name in group if values[name] == SMALL]
        assert len(hidden) != 1, (group, hidden)
    assert values["children_reached_3_6"] == SMALL
    assert values["children_reached_6_plus"] == SMALL


def test_professional_counts_only_the_households_they_may_open(client, alice, built):
    built.s1.staff.add(alice.professional)  # met H1 and H2 there
    client.force_login(alice.professional)
    values = values_from_api(client.get(api(alice.programme)))
    assert values["households_reached"] == 2
    assert values["new_households"] == 2
    assert values["mean_attendance"] == pytest.approx((5 + 1 + 2 + 12) / 4, abs=0.05)


def test_other_organisation_and_prescribers_read_nothing(client, alice, bob, built):
    for user in (bob.admin, bob.coordinator, bob.professional):
        client.force_login(user)
        assert client.get(api(alice.programme)).status_code == 404
        assert client.get(dashboard(alice.programme)).status_code == 404
    partner = MembershipFactory(organisation=alice.organisation, role=Role.PARTNER).user
    client.force_login(partner)
    assert client.get(api(alice.programme)).status_code == 403
    assert client.get(dashboard(alice.programme)).status_code == 403
    client.logout()
    assert client.get(api(alice.programme)).status_code == 401


def test_site_or_activity_of_another_programme_is_refused(client, alice, bob, built):
    client.force_login(alice.coordinator)
    assert client.get(api(alice.programme, f"{YEAR}&site={bob.site.pk}")).status_code == 404
    page = client.get(dashboard(alice.programme, f"{YEAR}&site={bob.site.pk}"))
    assert "Ce lieu n&#x27;est pas un lieu du programme." in page.content.decode()


def test_bad_dates_say_why_and_keep_what_was_typed(client, alice, built):
    client.force_login(alice.coordinator)
    page = client.get(dashboard(alice.programme, "start=2025-06-01&end=2025-01-01"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "La fin de la période doit être après son début." in text
    assert 'value="2025-06-01"' in text
    assert (
        client.get(f"/indicateurs/{alice.programme.pk}/indicateurs.csv?start=x&end=y").status_code
        == 400
    )
    assert client.get(api(alice.programme, "start=2025-06-01&end=2025-01-01")).status_code == 422
    assert client.get(api(alice.programme, "start=1800-06-01&end=2025-01-01")).status_code == 422


def test_filters_by_activity_and_site(client, alice, built):
    client.force_login(alice.coordinator)
    laep = values_from_api(
        client.get(api(alice.programme, f"{YEAR}&activity_type={built.laep.pk}"))
    )
    assert laep["households_reached"] == 0
    assert laep["headcount_adults"] == 6
    town = values_from_api(client.get(api(alice.programme, f"{YEAR}&town=Pantin")))
    assert town["households_reached"] == 1
    page = client.get(dashboard(alice.programme, f"{YEAR}&activity_type={built.laep.pk}"))
    assert page.status_code == 200


def test_default_period_is_the_year_to_date(client, alice, built):
    client.force_login(alice.coordinator)
    page = client.get(f"/indicateurs/{alice.programme.pk}/").content.decode()
    assert 'value="2025-01-01"' in page and 'value="2025-12-31"' in page


def test_openapi_documents_the_indicators(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/indicators" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/indicators"]["get"]["parameters"]}
    assert {"programme", "start", "end", "site", "activity_type", "town"} <= params


def test_menu_entry(client, alice, funder):
    client.force_login(alice.coordinator)
    assert "/indicateurs/" in client.get("/").content.decode()
    client.force_login(funder)
    page = client.get("/indicateurs/").content.decode()
    assert alice.programme.name in page
