"""The demo's territorial diagnosis: the four Paris micro-neighbourhoods of seed 004, each
with its site inside it and its sample indicators beside its arrondissement's and Paris'."""

import pytest

from petitspas.demo.diagnosis_areas import load_diagnosis_areas
from petitspas.demo.loader import DemoResult
from petitspas.demo.tests.test_load_demo import load, loaded, loaded_once  # noqa: F401
from petitspas.diagnosis.models import Area, IndicatorValue, Iris
from petitspas.diagnosis.selectors_areas import area_figures, sites_in_area

pytestmark = pytest.mark.django_db

AREAS = {
    "Quartier Porte de Vincennes (12e)": ("75112", "École maternelle – micro-quartier du 12e"),
    "Quartier Didot – Porte de Vanves (14e)": (
        "75114",
        "Kiosque des familles – micro-quartier du 14e",
    ),
    "Quartier Porte Montmartre – Porte de Clignancourt (18e)": (
        "75118",
        "École élémentaire – micro-quartier du 18e",
    ),
    "Quartier Flandre (19e)": ("75119", "Centre social – micro-quartier du 19e"),
}


def test_the_four_paris_neighbourhoods_hold_their_sites(loaded):  # noqa: F811
    areas = {a.name: a for a in Area.objects.select_related("programme")}
    assert set(areas) == set(AREAS)
    for name, (commune, site) in AREAS.items():
        area = areas[name]
        assert area.commune == commune
        assert area.programme.name == "Agir ensemble pour les enfants"
        assert len(area.iris_codes) == 3
        assert [s.name for s in sites_in_area(area)] == [site]
        figures = area_figures(area)
        assert figures.year == 2021
        pop = next(r for r in figures.rows if r.indicator.code == "POP")
        assert pop.area.how == "somme de 3 IRIS"
        assert pop.city.value == 2103778  # Paris, the official population


def test_loading_again_changes_nothing(loaded):  # noqa: F811
    before = (Iris.objects.count(), Area.objects.count(), IndicatorValue.objects.count())
    load_diagnosis_areas(result=DemoResult())
    assert (Iris.objects.count(), Area.objects.count(), IndicatorValue.objects.count()) == before
    assert before == (20, 4, 200)
