"""The programmes' reach in an area: the reporting figures of the sites located in it, per
site and summed; sites outside or without coordinates are not counted."""

import datetime
from decimal import Decimal

import pytest

from petitspas.diagnosis.models import Area
from petitspas.diagnosis.selectors_areas import area_reach, impact
from petitspas.places.tests.factories import SiteFactory
from petitspas.reporting.tests.conftest import built  # noqa: F401

D = datetime.date
AROUND_PANTIN = {
    "type": "Polygon",
    "coordinates": [[[2.39, 48.88], [2.42, 48.88], [2.42, 48.90], [2.39, 48.90], [2.39, 48.88]]],
}


@pytest.fixture
def area(alice, built):  # noqa: F811
    site = alice.site
    site.latitude, site.longitude = Decimal("48.89000"), Decimal("2.40500")
    site.save()
    # Another site of the programme, outside the area, and one without coordinates.
    SiteFactory(programme=alice.programme, latitude=Decimal("48.95"), longitude=Decimal("2.40"))
    SiteFactory(programme=alice.programme, latitude=None, longitude=None)
    return Area.objects.create(
        organisation=alice.organisation,
        name="Autour du parc",
        commune="93055",
        geometry=AROUND_PANTIN,
    )


def test_the_reach_of_2025_is_the_sites_figures(alice, area, built):  # noqa: F811
    reach = area_reach(alice.coordinator, area, D(2025, 1, 1), D(2025, 12, 31), today=D(2026, 1, 5))
    assert [r.site for r in reach.sites] == [alice.site]
    values = reach.sites[0].values
    # The reporting fixture's 2025: H1, H2, H3 met; S1, S2, S3 named and S5 open held;
    # 6 adults counted at S5.
    assert values["households_reached"] == 3
    assert values["sessions_held"] == 4
    assert values["headcount_adults"] == 6
    assert reach.totals["households_reached"] == 3


def test_a_professional_counts_only_the_families_they_met(alice, area, built):  # noqa: F811
    reach = area_reach(
        alice.professional, area, D(2025, 1, 1), D(2025, 12, 31), today=D(2026, 1, 5)
    )
    assert reach.sites[0].values["households_reached"] == 0


def test_before_and_after_a_date(alice, area, built):  # noqa: F811
    report = impact(
        alice.coordinator, area, on=D(2025, 6, 1), indicator_ids=[], months=6, today=D(2026, 1, 5)
    )
    rows = {r.label: r for r in report["rows"]}
    # December 2024 – May 2025: S1, S2 (H1, H2); June – November 2025: S3 (H1, H3).
    assert (rows["Familles touchées"].before, rows["Familles touchées"].after) == (2, 2)
    assert (rows["Séances tenues"].before, rows["Séances tenues"].after) == (2, 2)
