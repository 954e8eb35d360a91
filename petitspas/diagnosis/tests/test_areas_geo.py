"""Point in area: ray casting on polygons with holes, multipolygons and the edges; the
checks on a GeoJSON geometry."""

import pytest

from petitspas.diagnosis import geo

SQUARE = [[2.30, 48.80], [2.40, 48.80], [2.40, 48.90], [2.30, 48.90], [2.30, 48.80]]
HOLE = [[2.33, 48.83], [2.37, 48.83], [2.37, 48.87], [2.33, 48.87], [2.33, 48.83]]
ISLAND = [[2.345, 48.845], [2.355, 48.845], [2.355, 48.855], [2.345, 48.855], [2.345, 48.845]]
# A U shape: the notch between its arms is outside although inside the bounding box.
U_SHAPE = [
    [2.30, 48.80], [2.40, 48.80], [2.40, 48.90], [2.37, 48.90], [2.37, 48.83],
    [2.33, 48.83], [2.33, 48.90], [2.30, 48.90], [2.30, 48.80],
]  # fmt: skip


def test_a_point_inside_a_polygon_and_outside():
    polygon = {"type": "Polygon", "coordinates": [SQUARE]}
    assert geo.contains(polygon, 2.35, 48.85)
    assert not geo.contains(polygon, 2.45, 48.85)
    assert not geo.contains(polygon, 2.35, 48.95)


def test_a_hole_is_outside_and_an_island_in_it_is_inside():
    with_hole = {"type": "Polygon", "coordinates": [SQUARE, HOLE]}
    assert geo.contains(with_hole, 2.31, 48.81)
    assert not geo.contains(with_hole, 2.35, 48.85)  # in the hole
    both = {
        "type": "MultiPolygon",
        "coordinates": [[SQUARE, HOLE], [ISLAND]],
    }
    assert geo.contains(both, 2.35, 48.85)  # the island inside the hole
    assert not geo.contains(both, 2.335, 48.835)  # the hole, off the island


def test_a_concave_polygon():
    u = {"type": "Polygon", "coordinates": [U_SHAPE]}
    assert geo.contains(u, 2.31, 48.88)  # left arm
    assert geo.contains(u, 2.39, 48.88)  # right arm
    assert not geo.contains(u, 2.35, 48.88)  # the notch
    assert geo.contains(u, 2.35, 48.81)  # the base


def test_a_point_level_with_a_vertex_counts_once():
    # The ray from (2.31, 48.83) passes exactly through the notch's corners.
    u = {"type": "Polygon", "coordinates": [U_SHAPE]}
    assert geo.contains(u, 2.31, 48.83)
    assert not geo.contains(u, 2.29, 48.83)


def test_a_geometry_that_does_not_read_contains_nothing():
    assert not geo.contains({"type": "Point", "coordinates": [2.35, 48.85]}, 2.35, 48.85)
    assert not geo.contains(None, 2.35, 48.85)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [2.35, 48.85]}, "« Point »"),
        ({"type": "LineString", "coordinates": [[2.3, 48.8], [2.4, 48.9]]}, "« LineString »"),
        ({"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.3, 48.8]]]}, "anneau"),
        ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "anneau fermé"),
        ({"type": "Polygon", "coordinates": [[["a", 48.8]] * 4]}, "paire de nombres"),
        # Lambert 93 metres instead of degrees, and latitude/longitude swapped.
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[652000, 6862000], [653000, 6862000], [653000, 6863000], [652000, 6862000]]
                ],
            },
            "sort de France",
        ),  # fmt: skip
        (
            {
                "type": "Polygon",
                "coordinates": [[[48.8, 2.3], [48.9, 2.3], [48.9, 2.4], [48.8, 2.3]]],
            },
            "sort de France",
        ),  # fmt: skip
        ("pas un objet", "pas de géométrie"),
    ],
)
def test_bad_geometries_are_refused_in_french(geometry, message):
    with pytest.raises(ValueError, match=message):
        geo.polygons(geometry)


def test_overseas_departements_are_in_france():
    reunion = [[55.45, -20.90], [55.50, -20.90], [55.50, -20.85], [55.45, -20.90]]
    assert geo.polygons({"type": "Polygon", "coordinates": [reunion]})


def test_bbox():
    assert geo.bbox({"type": "Polygon", "coordinates": [SQUARE, HOLE]}) == (
        2.30,
        48.80,
        2.40,
        48.90,
    )
