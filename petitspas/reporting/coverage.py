"""The coverage page of the social hotels: ``indicators.hotels_coverage`` by town.

One row per town (hotels of the list, visited, children living there against children
reached, and the gap "non atteints"), the whole list's total, the hotels one by one for the
staff of the programme's organisation, and the map's points (one per town, where its
hotels are on average; staff only, since a town with one hotel would place it).

Funders read the towns' figures only, with the children reached under 5 shown "< 5" and
secondary suppression over the towns and their total (``smallcells.protect``); the gap
of a town whose children reached are hidden is hidden with them ("non communiqué": it is
no small number).
"""

import dataclasses
from decimal import Decimal

from petitspas.reporting.indicators import (
    HotelCoverage,
    Scope,
    hotels_coverage,
    households_counted_by,
    reads_people,
    sum_coverage,
)
from petitspas.reporting.models import CoverageReference
from petitspas.reporting.permissions import reads_hotels
from petitspas.reporting.smallcells import protect

TOTAL = "total"
# A gap hidden with the children reached it is computed from: not a small number.
GAP_HIDDEN = "non communiqué"


@dataclasses.dataclass
class Town:
    code: str
    name: str
    figures: dict  # the coverage indicators of its hotels; "< 5" where hidden
    hotels: list[HotelCoverage]
    latitude: float | None = None
    longitude: float | None = None


@dataclasses.dataclass
class CoveragePage:
    scope: Scope
    towns: list[Town]
    total: dict
    references: list[CoverageReference]
    protected: bool
    shows_hotels: bool

    @property
    def gap_hidden(self) -> bool:
        return self.total["hotel_children_not_reached"] == GAP_HIDDEN

    @property
    def map_points(self) -> list[dict]:
        """The towns placed on the map (those with a hotel's coordinates), for the page's
        script: no name of a hotel, no address."""
        return [
            {
                "town": town.name,
                "lat": town.latitude,
                "lng": town.longitude,
                **dict(town.figures.items()),
            }
            for town in self.towns
            if town.latitude is not None
        ]


def _protect(towns: list[Town], total: dict) -> None:
    cells = {TOTAL: total["hotel_children_reached"]}
    for town in towns:
        cells[town.code] = town.figures["hotel_children_reached"]
    hidden = protect(cells, protected=list(cells), constraints=[(TOTAL, [t.code for t in towns])])
    for key, figures in [(TOTAL, total), *((t.code, t.figures) for t in towns)]:
        if hidden[key] != cells[key]:
            figures["hotel_children_reached"] = hidden[key]
            figures["hotel_children_not_reached"] = GAP_HIDDEN


def _centre(hotels: list[HotelCoverage]) -> tuple[float | None, float | None]:
    placed = [h.hotel for h in hotels if h.hotel.latitude is not None]
    if not placed:
        return None, None
    latitude = sum((h.latitude for h in placed), Decimal(0)) / len(placed)
    longitude = sum((h.longitude for h in placed), Decimal(0)) / len(placed)
    return round(float(latitude), 5), round(float(longitude), 5)


def coverage_page(user, scope: Scope, *, today) -> CoveragePage:
    """The coverage ``user`` may read for ``scope`` (whose programme came through
    ``reporting.permissions.access_programme_coverage``)."""
    programme = scope.programme
    scope = dataclasses.replace(scope, households=households_counted_by(user, programme))
    rows = hotels_coverage(scope, today=today)
    by_town: dict[str, list[HotelCoverage]] = {}
    for row in rows:
        by_town.setdefault(row.hotel.commune_code, []).append(row)
    towns = []
    for code, hotels in by_town.items():
        latitude, longitude = _centre(hotels)
        towns.append(
            Town(
                code=code,
                name=hotels[0].hotel.town,
                figures=sum_coverage(hotels),
                hotels=hotels,
                latitude=latitude,
                longitude=longitude,
            )
        )
    towns.sort(key=lambda town: town.name)
    total = sum_coverage(rows)
    protected = not reads_people(user, programme)
    if protected:
        _protect(towns, total)
    shows_hotels = reads_hotels(user, programme)
    if not shows_hotels:
        for town in towns:
            town.hotels = []
            town.latitude = town.longitude = None
    references = list(
        CoverageReference.objects.visible_to(user)
        .filter(programme=programme)
        .order_by("departement")
    )
    return CoveragePage(
        scope=scope,
        towns=towns,
        total=total,
        references=references,
        protected=protected,
        shows_hotels=shows_hotels,
    )
