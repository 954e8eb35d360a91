"""Geometry of the diagnosis, in plain Python: GeoJSON polygons checked as IGN exports them
(WGS 84, longitude then latitude), the point-in-area test and bounding boxes.

No spatial database and no GIS library: a neighbourhood is a few polygons of a few hundred
points, and a point is tested against them by ray casting (even-odd rule), holes included.
"""

from collections.abc import Iterable

from petitspas.directory.geo import in_france

NOT_A_POLYGON = "La géométrie est de type « {kind} » : seuls Polygon et MultiPolygon sont acceptés."
NO_GEOMETRY = "L'objet n'a pas de géométrie."
BAD_RING = (
    "Le contour n'est pas un anneau fermé d'au moins 4 positions [longitude, latitude] "
    "(le dernier point répète le premier)."
)
BAD_POSITION = "Une position n'est pas une paire de nombres [longitude, latitude]."
OUTSIDE_FRANCE = (
    "Le contour sort de France (point {lon}, {lat}) : vérifiez que le fichier est en WGS 84 "
    "(longitude, latitude) et non en Lambert 93."
)

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # the outer ring, then its holes


def _position(value) -> tuple[float, float]:
    if (
        not isinstance(value, list | tuple)
        or len(value) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
    ):
        raise ValueError(BAD_POSITION)
    return float(value[0]), float(value[1])


def _ring(value) -> Ring:
    if not isinstance(value, list) or len(value) < 4:
        raise ValueError(BAD_RING)
    ring = [_position(p) for p in value]
    if ring[0] != ring[-1]:
        raise ValueError(BAD_RING)
    return ring


def polygons(geometry) -> list[Polygon]:
    """The polygons of a GeoJSON geometry, checked: a Polygon or a MultiPolygon of closed
    rings, every point in France. Raises ``ValueError`` with a French message."""
    if not isinstance(geometry, dict):
        raise ValueError(NO_GEOMETRY)
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        raw = [coordinates]
    elif kind == "MultiPolygon":
        raw = coordinates if isinstance(coordinates, list) else None
    else:
        raise ValueError(NOT_A_POLYGON.format(kind=kind or "inconnu"))
    if not raw or not all(isinstance(p, list) and p for p in raw):
        raise ValueError(BAD_RING)
    result = [[_ring(ring) for ring in polygon] for polygon in raw]
    for polygon in result:
        for lon, lat in polygon[0]:
            if not in_france(lat, lon):
                raise ValueError(OUTSIDE_FRANCE.format(lon=round(lon, 5), lat=round(lat, 5)))
    return result


def multipolygon(parts: Iterable[list[Polygon]]) -> dict:
    """One MultiPolygon of several geometries' polygons (a neighbourhood made of IRIS)."""
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [[list(point) for point in ring] for ring in polygon]
            for part in parts
            for polygon in part
        ],
    }


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting towards the east: an odd number of edges crossed means inside."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat):
            crossing = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < crossing:
                inside = not inside
        j = i
    return inside


def polygon_contains(polygon: Polygon, lon: float, lat: float) -> bool:
    outer, *holes = polygon
    return _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, hole) for hole in holes)


def contains(geometry, lon: float, lat: float) -> bool:
    """Whether the point (longitude, latitude) lies in the Polygon or MultiPolygon
    ``geometry`` (not in one of its holes). A geometry that does not read is empty."""
    try:
        parts = polygons(geometry)
    except ValueError:
        return False
    return any(polygon_contains(polygon, lon, lat) for polygon in parts)


def bbox(geometry) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a geometry's outer rings, None when it does not read."""
    try:
        parts = polygons(geometry)
    except ValueError:
        return None
    points = [p for polygon in parts for p in polygon[0]]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)
