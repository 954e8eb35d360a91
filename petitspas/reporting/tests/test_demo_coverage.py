"""The demo's social hotels of the 93 against seed 000: "5 261 enfants, dont 4 635 âgés de
0 et 6 ans, qui vivent dans 127 hôtels sociaux"."""

import datetime

import pytest
from django.utils import timezone

from petitspas.demo.tests.test_load_demo import load, loaded, loaded_once  # noqa: F401
from petitspas.organisations.models import Programme
from petitspas.reporting.coverage import coverage_page
from petitspas.reporting.indicators import Scope, compute
from petitspas.reporting.models import CoverageReference, SocialHotel

pytestmark = pytest.mark.django_db


def test_the_demo_totals_the_seeds_figures(loaded):  # noqa: F811
    today = timezone.localdate()
    programme = Programme.objects.get(name="Espace Petits Pas")
    reference = CoverageReference.objects.get(programme=programme, departement="93")
    assert (reference.hotels, reference.children, reference.children_0_6) == (127, 5261, 4635)
    assert reference.source and reference.year == 2022

    scope = Scope(programme=programme, start=today - datetime.timedelta(days=365), end=today)
    figures = compute(scope, today=today)
    assert figures["hotels_reference"] == reference.hotels
    assert figures["hotel_children_reference"] == reference.children
    # The demo's six hotel sites are on the list and visited; the rest are not.
    linked = SocialHotel.objects.filter(programme=programme, site__isnull=False)
    assert linked.count() == 6
    assert figures["hotels_visited"] == 6
    assert figures["hotels_not_visited"] == 121
    assert 0 < figures["hotel_children_reached"] < figures["hotel_children_reference"]
    assert (
        figures["hotel_children_not_reached"]
        >= figures["hotel_children_reference"] - figures["hotel_children_reached"]
    )

    page = coverage_page(programme.organisation.memberships.first().user, scope, today=today)
    assert sum(town.figures["hotels_reference"] for town in page.towns) == 127
    assert sum(town.figures["hotel_children_reference"] for town in page.towns) == 5261


def test_loading_the_demo_again_changes_no_hotel(loaded):  # noqa: F811
    programme = Programme.objects.get(name="Espace Petits Pas")
    before = list(SocialHotel.objects.filter(programme=programme).values().order_by("pk"))
    load()
    assert list(SocialHotel.objects.filter(programme=programme).values().order_by("pk")) == before
