"""Distances on the sphere as plain arithmetic, so that a database can filter and sort by
them without trigonometry.

A point is kept as its unit vector (x, y, z). The chord between two points (the straight
line through the Earth) grows with their great-circle distance: "within r km" is "squared
chord at most ``chord2(r)``", and sorting by the squared chord sorts by distance. The
squared chord is three differences squared and summed: SQLite and PostgreSQL compute it
the same way, with no function, over indexed rows. It is also the haversine's own
quantity (4·h), so ``chord2_km`` gives the same kilometres as ``geo.distance_km``."""

import math

EARTH_RADIUS_KM = 6371.0088


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def chord2(radius_km: float) -> float:
    """The squared chord of a great-circle distance of ``radius_km``."""
    return (2 * math.sin(min(radius_km / EARTH_RADIUS_KM, math.pi) / 2)) ** 2


def chord2_km(squared_chord: float) -> float:
    """The great-circle distance of a squared chord."""
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(max(squared_chord, 0.0)) / 2))
