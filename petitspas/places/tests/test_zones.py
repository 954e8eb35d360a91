import pytest

from petitspas.places.zones import ZONE_BY_DEPARTEMENT, school_zone_for_departement

METROPOLITAN_DEPARTEMENTS = [f"{number:02d}" for number in range(1, 96) if number != 20]


@pytest.mark.parametrize(
    ("departement", "zone"),
    [
        ("34", "C"),  # Hérault, académie de Montpellier: Lunel
        ("93", "C"),  # Seine-Saint-Denis, Créteil: Pantin, Les Lilas, La Courneuve
        ("75", "C"),  # Paris
        ("92", "C"),  # Hauts-de-Seine, Versailles: Suresnes
        ("69", "A"),  # Rhône, Lyon
        ("59", "B"),  # Nord, Lille
        ("57", "B"),  # Moselle, Nancy-Metz
        ("67", "B"),  # Bas-Rhin, Strasbourg
    ],
)
def test_departement_gets_the_zone_of_its_academie(departement, zone):
    assert school_zone_for_departement(departement) == zone


@pytest.mark.parametrize("departement", ["2A", "2B", "20", "971", "974", "976", "", "96"])
def test_corsica_overseas_and_unknown_departements_have_no_zone(departement):
    assert school_zone_for_departement(departement) is None


def test_every_metropolitan_departement_outside_corsica_has_a_zone():
    assert len(METROPOLITAN_DEPARTEMENTS) == 94
    missing = [d for d in METROPOLITAN_DEPARTEMENTS if school_zone_for_departement(d) is None]
    assert missing == []


def test_zone_table_holds_only_metropolitan_departements_in_zones_a_b_c():
    assert sorted(ZONE_BY_DEPARTEMENT) == METROPOLITAN_DEPARTEMENTS
    assert set(ZONE_BY_DEPARTEMENT.values()) == {"A", "B", "C"}
