"""The resource places of an area and how they are drawn.

``resource_places(area)`` gathers, in a fixed order, the directory's structures placed in
the area, the programme's sites there (never a place where families live) and the
proposals the coordination validated: one list for the page's list, the Leaflet map
(``static/directory/map.js`` reads the same markers) and the printed map.

``plot(outline, points)`` is the printed map: WeasyPrint runs no script, so the PDF draws
the area's outline and numbered points as SVG, projected on the spot (equirectangular,
longitudes shrunk by the cosine of the latitude, which is exact enough for a
neighbourhood).
"""

from __future__ import annotations

import dataclasses
import math

from django.urls import reverse

from petitspas.diagnosis import geo
from petitspas.diagnosis.models import Area, PlaceProposal
from petitspas.directory.geo import in_france
from petitspas.directory.models import Structure
from petitspas.places.models import HOME_KINDS, Site


@dataclasses.dataclass
class Place:
    kind: str  # "structure", "site", "proposal"
    pk: int
    name: str
    address: str
    lat: float | None
    lon: float | None
    url: str = ""
    number: int = 0

    @property
    def kind_label(self) -> str:
        return {
            "structure": "Structure de l'annuaire",
            "site": "Lieu du programme",
            "proposal": "Proposé par les habitants et professionnels",
        }[self.kind]

    @property
    def key(self) -> str:
        """What a form posts to name this place as a walk's stop."""
        return f"{self.kind}:{self.pk}"


def outline_rings(geometry) -> list[list[tuple[float, float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon (or a Feature holding one), as
    (longitude, latitude) pairs; nothing for anything else."""
    if not isinstance(geometry, dict):
        return []
    if geometry.get("type") == "Feature":
        return outline_rings(geometry.get("geometry"))
    if geometry.get("type") == "FeatureCollection":
        rings = []
        for feature in geometry.get("features") or []:
            rings.extend(outline_rings(feature))
        return rings
    coordinates = geometry.get("coordinates") or []
    try:
        if geometry.get("type") == "Polygon":
            return [[(float(x), float(y)) for x, y, *_ in coordinates[0]]]
        if geometry.get("type") == "MultiPolygon":
            return [[(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in coordinates]
    except (TypeError, ValueError, IndexError):
        return []
    return []


def contains(area: Area, lat: float, lon: float) -> bool:
    """Whether the point lies in the area's outline (``diagnosis.geo``: holes are outside);
    without an outline, every point of its commune is taken (the caller has already kept
    the commune's)."""
    if not outline_rings(area.geometry):
        return True
    return geo.contains(area.geometry, lon, lat)


def resource_places(area: Area) -> list[Place]:
    places: list[Place] = []
    structures = Structure.objects.filter(
        code_insee=area.commune, latitude__isnull=False, longitude__isnull=False
    ).order_by("nom")
    for s in structures:
        if contains(area, s.latitude, s.longitude):
            places.append(
                Place(
                    "structure",
                    s.pk,
                    s.nom,
                    " ".join(p for p in (s.adresse, s.code_postal, s.commune) if p),
                    s.latitude,
                    s.longitude,
                    reverse("directory:structure", kwargs={"structure_pk": s.pk}),
                )
            )
    sites = (
        Site.objects.filter(
            programme__organisation=area.organisation,
            commune_code=area.commune,
            is_active=True,
        )
        .exclude(kind__in=HOME_KINDS)
        .order_by("name")
    )
    for site in sites:
        lat = float(site.latitude) if site.latitude is not None else None
        lon = float(site.longitude) if site.longitude is not None else None
        if lat is not None and not contains(area, lat, lon):
            continue
        places.append(Place("site", site.pk, site.name, f"{site.address} {site.town}", lat, lon))
    proposals = area.place_proposals.filter(status=PlaceProposal.Status.VALIDATED).order_by("name")
    for proposal in proposals:
        places.append(
            Place(
                "proposal",
                proposal.pk,
                proposal.name,
                proposal.address,
                proposal.latitude,
                proposal.longitude,
            )
        )
    for number, place in enumerate(places, 1):
        place.number = number
    return places


def map_markers(places) -> list[dict]:
    """The markers ``static/directory/map.js`` draws: the placed ones, numbered as listed."""
    return [
        {
            "number": p.number,
            "lat": p.lat,
            "lng": p.lon,
            "name": p.name,
            "structure": p.kind_label,
            "url": p.url or f"#lieu-{p.number}",
            "anchor": f"lieu-{p.number}",
        }
        for p in places
        if p.lat is not None and p.lon is not None
    ]


def check_point(lat, lon) -> str | None:
    """A French message when a typed point cannot be a place of the map."""
    if (lat is None) != (lon is None):
        return "Indiquez la latitude et la longitude, ou aucune des deux."
    if lat is not None and not in_france(lat, lon):
        return "Ce point n'est pas en France : vérifiez la latitude et la longitude."
    return None


@dataclasses.dataclass
class Plot:
    width: int
    height: int
    outlines: list[str]
    points: list[dict]
    route: str = ""


def plot(
    geometry, points: list[tuple[int, float, float]], *, width=600, height=420, route=False
) -> Plot:
    """The SVG drawing of an outline and numbered points ``(number, lat, lon)``; with
    ``route``, a line joins the points in their order (a walk)."""
    rings = outline_rings(geometry)
    lons = [x for ring in rings for x, _ in ring] + [lon for _, _, lon in points]
    lats = [y for ring in rings for _, y in ring] + [lat for _, lat, _ in points]
    if not lons:
        return Plot(width, height, [], [])
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    shrink = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * shrink, 1e-4)
    span_y = max(north - south, 1e-4)
    margin = 24
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def xy(lon, lat):
        return (
            round(off_x + (lon - west) * shrink * scale, 1),
            round(off_y + (north - lat) * scale, 1),
        )

    outlines = [
        "M " + " L ".join(f"{x} {y}" for x, y in (xy(lon, lat) for lon, lat in ring)) + " Z"
        for ring in rings
    ]
    drawn = []
    for number, lat, lon in points:
        x, y = xy(lon, lat)
        drawn.append({"number": number, "x": x, "y": y, "label_y": round(y + 4, 1)})
    line = ""
    if route and len(drawn) > 1:
        line = "M " + " L ".join(f"{p['x']} {p['y']}" for p in drawn)
    return Plot(width, height, outlines, drawn, line)
