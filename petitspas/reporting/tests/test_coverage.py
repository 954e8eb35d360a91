"""Where families are not reached: the social hotels' list (CSV import), the coverage
indicator computed by hand, the coverage page and who reads what of it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance
from petitspas.core.models import AuditEntry
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory
from petitspas.reporting import indicators
from petitspas.reporting.coverage import GAP_HIDDEN, coverage_page
from petitspas.reporting.hotels import HotelFileError, read_hotels
from petitspas.reporting.indicators import Scope, compute, figures_for
from petitspas.reporting.models import CoverageReference, SocialHotel
from petitspas.reporting.services_coverage import hotels_import, reference_save
from petitspas.reporting.smallcells import SMALL

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 12, 31)
HEADER = "nom;adresse;code_insee;enfants;latitude;longitude;lieu\n"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n".join(lines) + "\n").encode(encoding)


@pytest.fixture
def hotel_site(alice):
    return SiteFactory(
        programme=alice.programme,
        name="Hôtel social – Bobigny",
        kind=Site.Kind.SOCIAL_HOTEL,
        postcode="93000",
        commune_code="93008",
        town="Bobigny",
    )


# --- The CSV file ----------------------------------------------------------------------


def test_bad_rows_are_reported_by_line_and_good_rows_kept(alice, hotel_site):
    data = csv_bytes(
        "Hôtel des Lilas;3 rue A;93008;40;48.9;2.44;Hôtel social – Bobigny",  # line 2
        ";4 rue B;93008;12;;;",  # 3: no name
        "Hôtel B;;99999;12;;;",  # 4: no such town
        "Hôtel C;;93001;douze;;;",  # 5: not a number
        "Hôtel D;;93001;-3;;;",  # 6: negative
        "Hôtel E;;93001;12;48.9;;",  # 7: half the coordinates
        "Hôtel F;;93001;12;12;2.3;",  # 8: outside France
        "Hôtel G;;93001;;;;Hôtel inconnu",  # 9: not a site of the programme
        "hotel des lilas;;93008;;;;",  # 10: the same hotel as line 2
        "Hôtel H;;93001;;;;",  # 11: children unknown: kept
        "",  # an empty line is skipped
        "Hôtel I;;93066;1 200;;;",  # 13: "1 200" read as 1200
    )
    rows, errors = read_hotels(data, programme=alice.programme)
    assert [row.line for row in rows] == [2, 11, 13]
    assert rows[0].site == hotel_site
    assert rows[0].town == "Bobigny" and rows[0].departement == "93"
    assert rows[1].children is None and rows[2].children == 1200
    reasons = {error.line: error.reason for error in errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert reasons[3] == "le nom de l'hôtel manque."
    assert "99999" in reasons[4] and "code INSEE" in reasons[4]
    assert "douze" in reasons[5]
    assert "-3" in reasons[6]
    assert "latitude et la longitude" in reasons[7]
    assert "hors de la France" in reasons[8]
    assert "Hôtel inconnu" in reasons[9]
    assert "ligne 2" in reasons[10]
    assert str(errors[0]) == "Ligne 3 : le nom de l'hôtel manque."


def test_a_file_not_in_utf8_is_refused_whole(alice):
    with pytest.raises(HotelFileError, match="UTF-8"):
        read_hotels(
            csv_bytes("Hôtel Étoile;;93008;10;;;", encoding="latin-1"), programme=alice.programme
        )


def test_missing_columns_are_named(alice):
    with pytest.raises(HotelFileError, match="« code_insee »"):
        read_hotels(csv_bytes("Hôtel;93008", header="nom;commune\n"), programme=alice.programme)
    with pytest.raises(HotelFileError, match="vide"):
        read_hotels(b"", programme=alice.programme)


def test_commas_bom_and_header_case_are_read(alice):
    data = "\ufeffNom,Code INSEE,Enfants\nHôtel A,93008,5\n".encode()
    rows, errors = read_hotels(data, programme=alice.programme)
    assert errors == [] and rows[0].name == "Hôtel A" and rows[0].children == 5


def test_reimport_is_idempotent_and_updates_by_identity(alice, hotel_site):
    first = csv_bytes("Hôtel A;;93008;40;;;", "Hôtel B;;93001;10;;;")
    rows, errors = read_hotels(first, programme=alice.programme)
    report = hotels_import(by=alice.coordinator, programme=alice.programme, rows=rows)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    report = hotels_import(by=alice.coordinator, programme=alice.programme, rows=rows)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    # Same département, name (whatever its case) and town: updated; another town: new.
    rows, _ = read_hotels(
        csv_bytes("HÔTEL A;1 rue X;93008;45;;;Hôtel social – Bobigny", "Hôtel A;;93066;3;;;"),
        programme=alice.programme,
    )
    report = hotels_import(by=alice.coordinator, programme=alice.programme, rows=rows)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert SocialHotel.objects.filter(programme=alice.programme).count() == 3
    updated = SocialHotel.objects.get(commune_code="93008")
    assert (updated.name, updated.children, updated.site) == ("HÔTEL A", 45, hotel_site)
    assert AuditEntry.objects.filter(action="coverage.hotels_import").count() == 3


def test_only_admins_and_coordinators_import(alice, funder):
    for user in (alice.professional, funder):
        with pytest.raises(PermissionDenied):
            hotels_import(by=user, programme=alice.programme, rows=[])
        with pytest.raises(PermissionDenied):
            reference_save(
                by=user,
                programme=alice.programme,
                departement="93",
                hotels=1,
                children=1,
                children_0_6=None,
                source="x",
                year=2022,
            )


def test_the_command_imports_and_reports_bad_rows(alice, tmp_path, capsys):
    path = tmp_path / "hotels.csv"
    path.write_bytes(csv_bytes("Hôtel A;;93008;40;;;", "Hôtel B;;00000;;;;"))
    with pytest.raises(SystemExit):
        call_command("import_social_hotels", alice.programme.pk, str(path))
    out = capsys.readouterr().out
    assert "1 ajouté(s)" in out and "Ligne 3" in out
    assert SocialHotel.objects.filter(programme=alice.programme).count() == 1


# --- The indicator, computed by hand ---------------------------------------------------


@pytest.fixture
def hotels(alice, hotel_site):
    """Espace Petits Pas and four hotels of the 93 in 2025:

    - H1 "Hôtel A" (Bobigny, 10 children), the programme's site ``hotel_site``: a session
      held there on 2025-03-10 with family F1 (housed there: children K1, K2; parent P1)
      and F3 (housed elsewhere);
    - H2 "Hôtel B" (Bobigny, children unknown), no site;
    - H3 "Hôtel C" (Saint-Denis, 30 children), site S3: only a cancelled session there, but
      family F2 housed at S3 came to the Pantin site on 2025-04-14 with child K3; family
      F4 housed at S3 came in 2024 only;
    - H4 "Hôtel D" (Saint-Denis, 5 children), site S4: nothing in 2025.
    Hand-computed for 2025: 4 hotels, 2 visited (H1, H3), 45 children living there, 3
    reached (K1, K2 at H1; K3 at H3), not reached 8 + 29 + 5 = 42.
    """
    programme = alice.programme
    atelier = ActivityTypeFactory(programme=programme, name="Atelier")
    s3 = SiteFactory(
        programme=programme,
        name="Hôtel C",
        kind=Site.Kind.SOCIAL_HOTEL,
        postcode="93200",
        commune_code="93066",
        town="Saint-Denis",
    )
    SiteFactory(
        programme=programme,
        name="Hôtel D",
        kind=Site.Kind.SOCIAL_HOTEL,
        postcode="93200",
        commune_code="93066",
        town="Saint-Denis",
    )
    data = csv_bytes(
        "Hôtel A;1 rue de l'Hôtel;93008;10;48.90;2.44;Hôtel social – Bobigny",
        "Hôtel B;;93008;;48.91;2.43;",
        "Hôtel C;;93066;30;;;Hôtel C",
        "Hôtel D;;93066;5;;;Hôtel D",
    )
    rows, errors = read_hotels(data, programme=programme)
    assert errors == []
    hotels_import(by=None, programme=programme, rows=rows)

    org = alice.organisation
    f1 = HouseholdFactory(organisation=org, housing_site=hotel_site)
    p1 = PersonFactory(household=f1, parent=True)
    k1 = PersonFactory(household=f1, child=True, birth_date=D(2022, 1, 1))
    k2 = PersonFactory(household=f1, child=True, birth_date=D(2024, 1, 1))
    f2 = HouseholdFactory(organisation=org, housing_site=s3)
    k3 = PersonFactory(household=f2, child=True, birth_date=D(2023, 5, 1))
    f3 = HouseholdFactory(organisation=org)
    k4 = PersonFactory(household=f3, child=True, birth_date=D(2023, 5, 1))
    f4 = HouseholdFactory(organisation=org, housing_site=s3)
    k5 = PersonFactory(household=f4, child=True, birth_date=D(2023, 5, 1))

    def present(session, *people):
        for person in people:
            Attendance.objects.create(
                session=session,
                person=person,
                household=person.household,
                status=Attendance.Status.PRESENT,
            )

    at_hotel = SessionFactory(activity_type=atelier, site=hotel_site, date=D(2025, 3, 10))
    present(at_hotel, p1, k1, k2, k4)
    again = SessionFactory(activity_type=atelier, site=hotel_site, date=D(2025, 5, 10))
    present(again, k1)
    SessionFactory(activity_type=atelier, site=s3, date=D(2025, 6, 2), cancelled=True)
    pantin = SessionFactory(activity_type=atelier, site=alice.site, date=D(2025, 4, 14))
    present(pantin, k3)
    old = SessionFactory(activity_type=atelier, site=alice.site, date=D(2024, 4, 14))
    present(old, k5)
    return {"programme": programme, "f1": f1, "f2": f2}


def year(programme, **kwargs):
    return Scope(programme=programme, start=D(2025, 1, 1), end=D(2025, 12, 31), **kwargs)


def test_the_indicator_computed_by_hand(hotels):
    figures = compute(year(hotels["programme"]), today=TODAY)
    assert {name: figures[name] for name in indicators.COVERAGE_NAMES} == {
        "hotels_reference": 4,
        "hotels_visited": 2,
        "hotels_not_visited": 2,
        "hotel_children_reference": 45,
        "hotel_children_reached": 3,
        "hotel_children_not_reached": 42,
    }
    # 2024: F4's child came to Pantin: Hôtel C visited through its family.
    previous = compute(year(hotels["programme"]).previous_year(), today=TODAY)
    assert previous["hotels_visited"] == 1 and previous["hotel_children_reached"] == 1


def test_one_town(hotels):
    figures = compute(year(hotels["programme"], town="Saint-Denis"), today=TODAY)
    assert {name: figures[name] for name in indicators.COVERAGE_NAMES} == {
        "hotels_reference": 2,
        "hotels_visited": 1,
        "hotels_not_visited": 1,
        "hotel_children_reference": 35,
        "hotel_children_reached": 1,
        "hotel_children_not_reached": 34,
    }


def test_a_session_held_makes_a_hotel_visited_even_with_nobody_recorded(hotels, alice):
    # Only the cancelled session at Hôtel C in June, and F2's visit in April.
    june = Scope(programme=hotels["programme"], start=D(2025, 6, 1), end=D(2025, 6, 30))
    assert compute(june, today=TODAY)["hotels_visited"] == 0
    may = Scope(programme=hotels["programme"], start=D(2025, 5, 1), end=D(2025, 5, 31))
    figures = compute(may, today=TODAY)
    assert figures["hotels_visited"] == 1 and figures["hotel_children_reached"] == 1
    # A session with nobody recorded visits the hotel once its day has come.
    SessionFactory(
        activity_type=ActivityTypeFactory(programme=alice.programme),
        site=SocialHotel.objects.get(name="Hôtel D").site,
        date=D(2025, 7, 7),
    )
    july = Scope(programme=hotels["programme"], start=D(2025, 7, 1), end=D(2025, 7, 31))
    assert compute(july, today=D(2025, 7, 6))["hotels_visited"] == 0
    figures = compute(july, today=D(2025, 7, 7))
    assert figures["hotels_visited"] == 1 and figures["hotel_children_reached"] == 0


def test_a_professional_counts_only_the_children_of_families_they_may_open(hotels, alice):
    figures = figures_for(alice.professional, year(hotels["programme"]), today=TODAY)
    # The professional staffs no session and created no file: nobody counted, but the
    # session held at Hôtel A still makes it visited.
    assert figures.values["hotel_children_reached"] == 0
    assert figures.values["hotels_visited"] == 1


def test_a_programme_without_a_hotel_list_has_no_coverage(bob):
    figures = compute(year(bob.programme), today=TODAY)
    assert all(figures[name] is None for name in indicators.COVERAGE_NAMES)


def test_by_town_and_the_funder_reads_small_cells_hidden(hotels, alice, funder):
    page = coverage_page(alice.coordinator, year(hotels["programme"]), today=TODAY)
    assert [
        (t.name, t.figures["hotels_visited"], t.figures["hotel_children_reached"])
        for t in page.towns
    ] == [
        ("Bobigny", 1, 2),
        ("Saint-Denis", 1, 1),
    ]
    assert page.total["hotel_children_not_reached"] == 42
    assert [len(t.hotels) for t in page.towns] == [2, 2]
    assert page.map_points[0]["town"] == "Bobigny"
    assert page.map_points[0]["lat"] == 48.905  # the mean of its hotels
    # Funders: towns only, no hotel, no map; 2 and 1 children hidden, the total too.
    page = coverage_page(funder, year(hotels["programme"]), today=TODAY)
    assert page.protected and not page.shows_hotels and page.map_points == []
    assert all(t.hotels == [] for t in page.towns)
    assert [t.figures["hotel_children_reached"] for t in page.towns] == [SMALL, SMALL]
    assert [t.figures["hotel_children_not_reached"] for t in page.towns] == [GAP_HIDDEN] * 2
    assert page.total["hotel_children_reached"] == SMALL
    assert page.total["hotels_reference"] == 4
    figures = figures_for(funder, year(hotels["programme"]), today=TODAY)
    assert figures.values["hotel_children_reached"] == SMALL
    assert figures.values["hotel_children_not_reached"] == SMALL
    assert figures.values["hotel_children_reference"] == 45


# --- The pages and the API -------------------------------------------------------------


def test_the_coverage_page_for_staff_and_for_funders(client, hotels, alice, funder):
    url = reverse("reporting:coverage", args=[alice.programme.pk])
    query = "?start=2025-01-01&end=2025-12-31"
    client.force_login(alice.coordinator)
    html = client.get(url + query).content.decode()
    assert "Hôtel A" in html and "1 rue de l&#x27;Hôtel" in html
    assert 'id="coverage-map"' in html and "Non atteints" in html
    assert "Importer la liste" in html
    client.force_login(funder)
    html = client.get(url + query).content.decode()
    assert "Hôtel A" not in html and "rue de l" not in html and "coverage-map" not in html
    assert "Saint-Denis" in html and "&lt; 5" in html
    assert "Importer la liste" not in html
    assert (
        client.get(reverse("reporting:coverage-import", args=[alice.programme.pk])).status_code
        == 403
    )


def test_the_dashboard_links_to_the_coverage(client, hotels, alice):
    client.force_login(alice.coordinator)
    html = client.get(reverse("reporting:dashboard", args=[alice.programme.pk])).content.decode()
    assert reverse("reporting:coverage", args=[alice.programme.pk]) in html
    assert "Couverture des hôtels sociaux" in html


def test_the_api_serves_the_coverage(client, hotels, alice):
    client.force_login(alice.coordinator)
    response = client.get(
        "/api/indicators",
        {"programme": alice.programme.pk, "start": "2025-01-01", "end": "2025-12-31"},
    )
    assert response.status_code == 200, response.content
    values = {row["name"]: row["value"] for row in response.json()["indicators"]}
    assert values["hotels_reference"] == 4
    assert values["hotels_visited"] == 2
    assert values["hotel_children_reference"] == 45
    assert values["hotel_children_reached"] == 3
    assert values["hotel_children_not_reached"] == 42


def test_upload_page_keeps_good_rows_and_names_bad_ones(client, alice, hotel_site):
    client.force_login(alice.coordinator)
    url = reverse("reporting:coverage-import", args=[alice.programme.pk])
    upload = SimpleUploadedFile(
        "hotels.csv", csv_bytes("Hôtel A;;93008;40;;;", "Hôtel B;;93008;beaucoup;;;")
    )
    html = client.post(url, {"file": upload}).content.decode()
    assert "1 ligne retenue, 1 refusée" in html
    assert (
        "Ligne 3 : le nombre d&#x27;enfants « beaucoup » n&#x27;est pas un nombre entier." in html
    )
    assert SocialHotel.objects.filter(programme=alice.programme).count() == 1
    latin = SimpleUploadedFile("hotels.csv", csv_bytes("Hôtel É;;93008;4;;;", encoding="latin-1"))
    response = client.post(url, {"file": latin})
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_reference_figures_form(client, alice):
    client.force_login(alice.coordinator)
    url = reverse("reporting:coverage-import", args=[alice.programme.pk])
    bad = {
        "reference": "1",
        "departement": "93",
        "hotels": "127",
        "children": "100",
        "children_0_6": "4635",
        "source": "Asmae",
        "year": "2022",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ne peuvent être plus nombreux" in html and 'value="Asmae"' in html
    response = client.post(url, {**bad, "children": "5261"})
    assert response.status_code == 302
    reference = CoverageReference.objects.get(programme=alice.programme)
    assert (reference.hotels, reference.children, reference.children_0_6) == (127, 5261, 4635)
