"""The CAF LAEP activity summary: the indicators' own figures over the LAEP activity
types, per site and in total; small cells hidden for funders, with no cell recoverable
from the total."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Headcount
from petitspas.places.tests.factories import SiteFactory
from petitspas.reporting.indicators import Scope, compute
from petitspas.reporting.laep import TOTAL, laep_summary
from petitspas.reporting.smallcells import SMALL

D = datetime.date
TODAY = D(2025, 12, 31)


@pytest.fixture(autouse=True)
def today(travel):
    travel(TODAY)


@pytest.fixture
def second_site(alice, built):
    """A second LAEP site with two sessions (one cancelled) and a headcount of 3 adults,
    2 children and 1 first visit; a second LAEP activity type at the first site, with one
    session of 4 adults and 5 children."""
    site = SiteFactory(programme=alice.programme, name="Cabane des Lilas")
    held = SessionFactory(activity_type=built.laep, site=site, date=D(2025, 9, 1), morning=True)
    SessionFactory(activity_type=built.laep, site=site, date=D(2025, 9, 8), cancelled=True)
    Headcount.objects.create(session=held, adults=3, children_1_3=2, first_visits=1)
    other = ActivityTypeFactory(programme=alice.programme, name="LAEP du samedi", kind="laep")
    saturday = SessionFactory(activity_type=other, site=built.site, date=D(2025, 11, 8))
    Headcount.objects.create(session=saturday, adults=4, children_under_1=5)
    return site


def by_site(summary) -> dict:
    return dict(summary.rows)


def test_one_site_reads_the_indicators_of_the_laep_activity(alice, built):
    summary = laep_summary(alice.coordinator, alice.programme, 2025, today=TODAY)
    assert [t.name for t in summary.activity_types] == ["LAEP"]
    figures = compute(
        Scope(
            programme=alice.programme,
            start=D(2025, 1, 1),
            end=D(2025, 12, 31),
            activity_type_id=built.laep.pk,
        ),
        today=TODAY,
    )
    total = by_site(summary)[TOTAL]
    assert total["sessions_held"] == figures["sessions_held"] == 1
    assert total["hours_open"] == figures["hours_open"] == 2.0
    assert total["headcount_adults"] == figures["headcount_adults"] == 6
    assert total["headcount_children"] == 6
    assert total["adults_per_session"] == 6.0 and total["children_per_session"] == 6.0
    assert total["headcount_first_visits"] == 2
    assert by_site(summary)[alice.site.name] == total
    assert not summary.protected


def test_sites_and_activity_types_add_up(alice, built, second_site):
    rows = by_site(laep_summary(alice.coordinator, alice.programme, 2025, today=TODAY))
    assert list(rows) == ["Cabane des Lilas", alice.site.name, TOTAL]
    first, lilas, total = rows[alice.site.name], rows["Cabane des Lilas"], rows[TOTAL]
    assert first["sessions_held"] == 2 and first["headcount_adults"] == 10
    assert first["adults_per_session"] == 5.0 and first["children_per_session"] == 5.5
    assert lilas["sessions_held"] == 1 and lilas["hours_open"] == 2.0
    for name in ("sessions_held", "hours_open", "headcount_adults", "headcount_children"):
        assert total[name] == first[name] + lilas[name]
    assert total["adults_per_session"] == round(13 / 3, 1)
    # The other year has nothing.
    empty = by_site(laep_summary(alice.coordinator, alice.programme, 2023, today=TODAY))
    assert list(empty) == [TOTAL]
    assert empty[TOTAL]["sessions_held"] == 0 and empty[TOTAL]["adults_per_session"] is None


def test_a_funder_cannot_recover_a_small_site_from_the_total(alice, built, second_site, funder):
    rows = by_site(laep_summary(funder, alice.programme, 2025, today=TODAY))
    lilas, first, total = rows["Cabane des Lilas"], rows[alice.site.name], rows[TOTAL]
    assert lilas["headcount_adults"] == SMALL  # 3 adults
    assert lilas["adults_per_session"] == SMALL  # 3.0 would give them back
    assert lilas["headcount_first_visits"] == SMALL
    # Total minus the other site would give the 3: one more cell of the sum is hidden.
    adults = [first["headcount_adults"], total["headcount_adults"]]
    assert SMALL in adults
    assert not (isinstance(adults[0], int) and isinstance(adults[1], int))
    assert lilas["sessions_held"] == 1  # sessions are not people


def test_page_csv_and_xlsx(client, alice, built, second_site, funder):
    client.force_login(alice.coordinator)
    url = f"/indicateurs/{alice.programme.pk}/laep/"
    text = client.get(url + "?annee=2025").content.decode()
    assert "Bilan d'activité LAEP 2025" in text and '<th scope="col">Cabane des Lilas</th>' in text
    response = client.get(url + "?annee=deux-mille")
    assert response.status_code == 400 and "Année illisible" in response.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(url + "laep.csv?annee=2025").content.decode()), delimiter=";"
        )
    )
    assert rows[0][:3] == ["Lieu", "Séances tenues", "Heures d'ouverture"]
    assert rows[-1][:5] == ["Total", "3", "6.0", "13", "13"]
    sheet = load_workbook(io.BytesIO(client.get(url + "laep.xlsx?annee=2025").content))["LAEP 2025"]
    assert list(sheet.iter_rows(min_row=4, values_only=True))[-1][:4] == ("Total", 3, 6.0, 13)
    client.force_login(funder)
    funder_csv = client.get(url + "laep.csv?annee=2025").content.decode()
    assert SMALL in funder_csv


def test_a_programme_without_laep_says_so(client, bob):
    client.force_login(bob.coordinator)
    text = client.get(f"/indicateurs/{bob.programme.pk}/laep/").content.decode()
    assert "Aucune activité de ce programme n'est un accueil LAEP" in text
