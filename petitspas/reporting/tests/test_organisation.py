"""An organisation's dashboard: its programmes side by side and its total reach, where a
family seen by two programmes counts once, year on year; CSV and XLSX; funders see the
programmes their organisation funds, small cells hidden over the whole page."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
)
from petitspas.places.tests.factories import SiteFactory
from petitspas.reporting.indicators import Scope, _reach_across_rows, compute, reach_across
from petitspas.reporting.models import Funder, Funding
from petitspas.reporting.organisation import protect_jointly
from petitspas.reporting.smallcells import SMALL

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.fixture
def two(alice, built):
    """Organisation A's second programme, Les Cabanes, beside ``built``'s Espace Petits
    Pas (households H1, H2, H3 in 2025; H3 alone in 2024):
    - 1 December 2024: A2 (H2) at a Cabane, so H2 is not new to the organisation in 2025;
    - 20 May 2025: H1 whole (A1, C1, and E1 still expected) and H4 (A4, C4 born 10
      January 2025), seen nowhere else.
    In 2025 the organisation reached H1, H2, H3, H4: 4 families, not 3 + 2."""
    b = built
    b.cabanes = ProgrammeFactory(organisation=alice.organisation, name="Les Cabanes")
    site = SiteFactory(programme=b.cabanes, name="Cabane du square")
    activity = ActivityTypeFactory(programme=b.cabanes, name="Cabane", on_registration=True)
    b.h4 = HouseholdFactory(organisation=alice.organisation)
    b.a4 = PersonFactory(household=b.h4, parent=True)
    b.c4 = PersonFactory(household=b.h4, child=True, birth_date=D(2025, 1, 10))
    for day, people in ((D(2024, 12, 1), [b.a2]), (D(2025, 5, 20), [b.a1, b.c1, b.a4, b.c4])):
        session = SessionFactory(activity_type=activity, site=site, date=day, capacity=10)
        for person in people:
            Attendance.objects.create(
                session=session,
                person=person,
                household=person.household,
                status=Attendance.Status.PRESENT,
            )
    return b


EXPECTED_2025 = {
    "households_reached": 4,  # H1 in both programmes counts once
    "parents_reached": 4,  # A1, A2, A3, A4
    "children_reached": 4,  # C1, C2, C3, C4
    "children_reached_0_1": 2,  # C1 (first seen 10 March, under 1), C4
    "children_reached_1_3": 0,
    "children_reached_3_6": 1,  # C2
    "children_reached_under_6": 3,
    "children_reached_6_plus": 1,  # C3
    "pregnant_women_reached": 1,  # E1, seen expected in both programmes
    "new_households": 2,  # H1, H4: H2 came to a Cabane in December 2024, H3 in November
    "returning_households": 2,
}
EXPECTED_2024 = {
    "households_reached": 2,  # H3 (Espace Petits Pas), H2 (Les Cabanes)
    "parents_reached": 2,
    "children_reached": 0,
    "children_reached_0_1": 0,
    "children_reached_1_3": 0,
    "children_reached_3_6": 0,
    "children_reached_under_6": 0,
    "children_reached_6_plus": 0,
    "pregnant_women_reached": 0,
    "new_households": 2,
    "returning_households": 0,
}


def year(programme, y):
    return Scope(programme=programme, start=D(y, 1, 1), end=D(y, 12, 31))


def test_the_total_reach_counts_a_family_of_two_programmes_once(two):
    programmes = [two.programme, two.cabanes]
    assert reach_across(programmes, year(two.programme, 2025)) == EXPECTED_2025
    assert reach_across(programmes, year(two.programme, 2024)) == EXPECTED_2024
    # Not the sum of the programmes' own counts.
    today = D(2026, 1, 15)
    own = [compute(year(p, 2025), today=today) for p in programmes]
    assert [f["households_reached"] for f in own] == [3, 2]
    # New to each programme: H1, H2 to the Espace, H1, H4 to the Cabanes; to the
    # organisation only H1 and H4.
    assert [f["new_households"] for f in own] == [2, 2]


def test_the_first_seen_rows_and_the_attendance_rows_agree(two):
    """A calendar year reads the first-seen rows; the raw rows give the same figures."""
    programmes = [two.programme, two.cabanes]
    for y in (2024, 2025):
        scope = year(two.programme, y)
        from_first_seen = reach_across(programmes, scope)
        from_rows = _reach_across_rows(programmes, scope)
        assert from_rows == {k: from_first_seen[k] for k in from_rows}, y
    # A period that is no calendar year nor month reads the rows: 2 January - 31 December.
    shifted = Scope(programme=two.programme, start=D(2025, 1, 2), end=D(2025, 12, 31))
    assert reach_across(programmes, shifted) == EXPECTED_2025


def test_a_child_seen_by_two_programmes_counts_once_in_its_first_band(two):
    """C5, born 1 April 2024, came to a Cabane at 10 months (under 1) and to the Espace at
    14 months (1 to 3): the organisation counts it once, under 1, as on its first day."""
    c5 = PersonFactory(household=two.h4, child=True, birth_date=D(2024, 4, 1))
    cabane = SessionFactory(
        activity_type=two.cabanes.activity_types.get(),
        site=two.cabanes.sites.get(),
        date=D(2025, 2, 1),
        capacity=10,
    )
    espace = SessionFactory(activity_type=two.named, site=two.site, date=D(2025, 6, 3))
    for session in (cabane, espace):
        Attendance.objects.create(
            session=session, person=c5, household=two.h4, status=Attendance.Status.PRESENT
        )
    programmes = [two.programme, two.cabanes]

    figures = reach_across(programmes, year(two.programme, 2025))

    assert figures["children_reached"] == EXPECTED_2025["children_reached"] + 1
    assert figures["children_reached_0_1"] == EXPECTED_2025["children_reached_0_1"] + 1
    assert figures["children_reached_1_3"] == EXPECTED_2025["children_reached_1_3"]
    assert figures["households_reached"] == EXPECTED_2025["households_reached"]
    rows = _reach_across_rows(programmes, year(two.programme, 2025))
    assert rows == {k: figures[k] for k in rows}


def test_a_professional_counts_only_the_families_they_may_open(two, alice, client):
    # The professional follows no household here: every count is 0 but sessions stay.
    client.force_login(alice.professional)
    response = client.get(f"/indicateurs/organisation/{alice.organisation.pk}/", YEAR)
    assert response.status_code == 200
    total = response.context["figures"].reach
    visible = set(
        two.h1.__class__.objects.visible_to(alice.professional).values_list("pk", flat=True)
    )
    expected = len(visible & {two.h1.pk, two.h2.pk, two.h3.pk, two.h4.pk})
    assert total["households_reached"] == expected


def test_the_coordinator_reads_every_programme_side_by_side(two, alice, client):
    client.force_login(alice.coordinator)
    response = client.get(f"/indicateurs/organisation/{alice.organisation.pk}/", YEAR)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Espace Petits Pas" in page and "Les Cabanes" in page
    figures = response.context["figures"]
    assert figures.reach == EXPECTED_2025
    assert figures.previous == EXPECTED_2024
    table = response.context["side_by_side"]
    assert table.headers == [
        "Indicateur",
        "Espace Petits Pas",
        "Espace Petits Pas — un an plus tôt",
        "Les Cabanes",
        "Les Cabanes — un an plus tôt",
        "Organisation",
        "Organisation — un an plus tôt",
    ]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Familles touchées"] == [3, 1, 2, 1, 4, 2]
    assert rows["Séances tenues"][0::2] == [4, 1, None]  # no total of a session count
    # The total table, year on year: 4 against 2, +2, +100 %.
    total = {r["name"]: r for r in figures.total_sections()[0][1]}
    assert (total["households_reached"]["change"], total["households_reached"]["change_pct"]) == (
        2,
        100.0,
    )


def test_the_csv_and_the_xlsx_read_back(two, alice, client):
    client.force_login(alice.coordinator)
    url = f"/indicateurs/organisation/{alice.organisation.pk}/"
    csv = client.get(url + "indicateurs.csv", YEAR)
    assert csv.status_code == 200
    assert 'filename="indicateurs-' in csv["Content-Disposition"]
    lines = csv.content.decode().splitlines()
    assert lines[0].split(";")[-2:] == ["Organisation", "Organisation — un an plus tôt"]
    assert "Familles touchées;3;1;2;1;4;2" in lines
    xlsx = client.get(url + "indicateurs.xlsx", YEAR)
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Ensemble", "Familles par programme", "Programmes"]
    households = list(workbook["Familles par programme"].iter_rows(min_row=4, values_only=True))
    assert households == [
        ("Espace Petits Pas", 3, 1),
        ("Les Cabanes", 2, 1),
        ("Organisation", 4, 2),
    ]
    total = {row[1]: row[2:4] for row in workbook["Ensemble"].iter_rows(values_only=True)}
    assert total["households_reached"] == (4, 2)
    assert total["children_reached_0_1"] == (2, 0)


def test_bad_dates_keep_what_was_typed_and_say_why(two, alice, client):
    client.force_login(alice.coordinator)
    url = f"/indicateurs/organisation/{alice.organisation.pk}/"
    response = client.get(url, {"start": "2025-12-31", "end": "2025-01-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "La fin de la période doit être après son début." in page
    assert 'value="2025-12-31"' in page
    assert response.context["figures"] is None
    bad = client.get(url + "indicateurs.csv", {"start": "31/02/2025", "end": "2025-01-01"})
    assert bad.status_code == 400
    assert "Date illisible" in bad.content.decode()


@pytest.fixture
def caf(two, alice, funder):
    """The funder's own organisation, the CAF, funds the Espace Petits Pas, not the
    Cabanes."""
    organisation = OrganisationFactory(name="CAF du département", kind="funder")
    MembershipFactory(organisation=organisation, user=funder, role=Role.FUNDER)
    named = Funder.objects.create(
        organisation=alice.organisation, name="CAF", platform_organisation=organisation
    )
    Funding.objects.create(programme=two.programme, year=2025, funder=named, amount=26_000)
    return organisation


def test_a_funder_sees_only_the_programmes_its_organisation_funds(caf, two, alice, funder, client):
    client.force_login(funder)
    response = client.get(f"/indicateurs/organisation/{alice.organisation.pk}/", YEAR)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Les Cabanes" not in page
    figures = response.context["figures"]
    assert [f.scope.programme for f in figures.programmes] == [two.programme]
    assert figures.protected
    # Three families (the Espace's own), shown "< 5"; never a person's name.
    assert figures.reach["households_reached"] == SMALL
    for person in (two.a1, two.a2, two.a3, two.c1):
        assert person.first_name not in page
    # Its own organisation, with no programme, is not offered as a dashboard.
    listing = client.get("/indicateurs/").content.decode()
    assert f"/indicateurs/organisation/{alice.organisation.pk}/" in listing
    assert f"/indicateurs/organisation/{caf.pk}/" not in listing


def test_a_funder_of_nothing_in_the_organisation_sees_no_figure(two, alice, funder, client):
    client.force_login(funder)
    response = client.get(f"/indicateurs/organisation/{alice.organisation.pk}/", YEAR)
    assert response.status_code == 200
    assert response.context["programmes"] == []
    assert "n'est financé par votre organisation" in response.content.decode()
    csv = client.get(f"/indicateurs/organisation/{alice.organisation.pk}/indicateurs.csv", YEAR)
    assert csv.content.decode().splitlines() == [
        "Indicateur;Organisation;Organisation — un an plus tôt"
    ]


def test_prescribers_and_other_organisations_are_kept_out(two, alice, bob, prescriber, client):
    client.force_login(bob.coordinator)
    assert client.get(f"/indicateurs/organisation/{alice.organisation.pk}/").status_code == 404
    client.force_login(prescriber)
    assert client.get(f"/indicateurs/organisation/{alice.organisation.pk}/").status_code == 404
    member = MembershipFactory(organisation=alice.organisation, role=Role.PARTNER).user
    client.force_login(member)
    assert client.get(f"/indicateurs/organisation/{alice.organisation.pk}/").status_code == 403


def test_no_hidden_cell_is_bounded_by_the_total_and_the_other_programmes():
    """9 families in one programme, 3 in the other, 12 in all: "< 5" alone would give
    the second at least 12 - 9 = 3. Another cell of that sum is hidden too."""
    figures = [
        {"households_reached": 9, "sessions_held": 12},
        {"households_reached": 3, "sessions_held": 4},
    ]
    programmes, total = protect_jointly(figures, {"households_reached": 12})
    cells = [programmes[0]["households_reached"], programmes[1]["households_reached"]]
    cells.append(total["households_reached"])
    assert cells[1] == SMALL
    assert cells.count(SMALL) >= 2
    assert [p["sessions_held"] for p in programmes] == [12, 4]  # no person, never hidden
    # Nothing small: nothing hidden.
    programmes, total = protect_jointly([{"households_reached": 9}], {"households_reached": 9})
    assert (programmes[0]["households_reached"], total["households_reached"]) == (9, 9)
