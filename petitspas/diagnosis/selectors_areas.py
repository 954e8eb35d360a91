"""What the diagnosis' pages read: an area's indicators beside its arrondissement's and its
city's, its IRIS for the map, the programmes' reach in it (from ``reporting.indicators``)
and the impact comparison before and after a date."""

import dataclasses
import datetime
from decimal import Decimal

from petitspas.diagnosis import geo
from petitspas.diagnosis.models import Area, Indicator, IndicatorValue, Iris, Level
from petitspas.diagnosis.services_areas import area_geometry, city_of
from petitspas.places.communes import get_commune
from petitspas.places.models import Site
from petitspas.reporting.indicators import INDICATORS, Scope, figures_for
from petitspas.reporting.permissions import can_read_figures

# The reporting figures shown for an area's reach, in this order.
REACH_FIGURES = (
    "households_reached",
    "children_reached",
    "children_reached_under_6",
    "sessions_held",
    "headcount_adults",
    "headcount_children",
)
# Only their sections are computed for each site (reach, activity, headcounts).
REACH_SECTIONS = frozenset(i.section for i in INDICATORS if i.name in REACH_FIGURES)
# Distinct people: summed over several sites, a family seen at two counts twice.
DISTINCT_FIGURES = {"households_reached", "children_reached", "children_reached_under_6"}


def representative_point(geometry) -> tuple[float, float] | None:
    """A point of an IRIS to place it in a drawn area: the mean of its outer ring's
    vertices, or the first vertex when that mean falls outside (a crescent)."""
    try:
        parts = geo.polygons(geometry)
    except ValueError:
        return None
    ring = max((polygon[0] for polygon in parts), key=len)[:-1]
    lon = sum(p[0] for p in ring) / len(ring)
    lat = sum(p[1] for p in ring) / len(ring)
    if geo.contains(geometry, lon, lat):
        return lon, lat
    return ring[0]


def area_iris(area: Area, iris_rows: list[Iris] | None = None) -> list[Iris]:
    """The IRIS that make the area: its list, or, for a drawn area, the organisation's
    IRIS of its commune whose representative point lies in the contour."""
    if iris_rows is None:
        iris_rows = list(Iris.objects.filter(organisation_id=area.organisation_id))
    if area.iris_codes:
        codes = set(area.iris_codes)
        return [i for i in iris_rows if i.code in codes]
    if not area.geometry:
        return []
    inside = []
    for iris in iris_rows:
        if iris.commune != area.commune:
            continue
        point = representative_point(iris.geometry)
        if point and geo.contains(area.geometry, *point):
            inside.append(iris)
    return inside


@dataclasses.dataclass
class PlaceValue:
    value: Decimal | None = None
    share: Decimal | None = None  # percent of the denominator, when the indicator has one
    how: str = ""  # « importé » or « somme de N IRIS »


@dataclasses.dataclass
class FigureRow:
    indicator: Indicator
    area: PlaceValue
    commune: PlaceValue
    city: PlaceValue | None


@dataclasses.dataclass
class AreaFigures:
    year: int | None
    years: list[int]
    rows: list[FigureRow]
    commune_name: str
    city_name: str
    iris: list[Iris]
    sources: list[str]


class _Values:
    """The organisation's values of one year, indexed once for the page."""

    def __init__(self, organisation_id: int, year: int):
        self.by_key: dict[tuple, Decimal] = {}
        self.sources: set[str] = set()
        values = IndicatorValue.objects.filter(
            indicator__organisation_id=organisation_id, year=year
        )
        for v in values:
            self.by_key[(v.indicator_id, v.level, v.code, v.area_id)] = v.value
            self.sources.add(v.source)
        self.iris_values: dict[int, dict[str, Decimal]] = {}
        for (indicator_id, level, code, _), value in self.by_key.items():
            if level == Level.IRIS:
                self.iris_values.setdefault(indicator_id, {})[code] = value

    def _sum(self, indicator_id: int, codes) -> PlaceValue:
        found = [self.iris_values.get(indicator_id, {}).get(c) for c in codes]
        found = [v for v in found if v is not None]
        if not found:
            return PlaceValue()
        return PlaceValue(value=sum(found), how=f"somme de {len(found)} IRIS")

    def at_area(self, indicator_id: int, area: Area, iris_codes: list[str]) -> PlaceValue:
        imported = self.by_key.get((indicator_id, Level.AREA, "", area.pk))
        if imported is not None:
            return PlaceValue(value=imported, how="importé")
        return self._sum(indicator_id, iris_codes)

    def at_commune(self, indicator_id: int, commune: str, prefix: str) -> PlaceValue:
        imported = self.by_key.get((indicator_id, Level.COMMUNE, commune, None))
        if imported is not None:
            return PlaceValue(value=imported, how="importé")
        codes = [c for c in self.iris_values.get(indicator_id, {}) if c.startswith(prefix)]
        return self._sum(indicator_id, codes)


def _with_share(indicator: Indicator, get) -> PlaceValue:
    place = get(indicator.pk)
    if indicator.denominator_id and place.value is not None:
        whole = get(indicator.denominator_id).value
        if whole:
            place.share = (100 * place.value / whole).quantize(Decimal("0.1"))
    return place


def years_with_values(organisation_id: int) -> list[int]:
    return sorted(
        set(
            IndicatorValue.objects.filter(indicator__organisation_id=organisation_id)
            .values_list("year", flat=True)
            .distinct()
        ),
        reverse=True,
    )


def area_figures(area: Area, year: int | None = None) -> AreaFigures:
    """The area's indicators for ``year`` (the latest with values by default), beside its
    commune's or arrondissement's and, for an arrondissement, its city's: a value imported
    at that level, else the sum of the IRIS imported there (and said so)."""
    years = years_with_values(area.organisation_id)
    if year not in years:
        year = years[0] if years else None
    iris_rows = list(Iris.objects.filter(organisation_id=area.organisation_id))
    iris = area_iris(area, iris_rows)
    commune = get_commune(area.commune)
    city_code = city_of(area.commune)
    city = get_commune(city_code) if city_code else None
    rows: list[FigureRow] = []
    sources: list[str] = []
    if year is not None:
        values = _Values(area.organisation_id, year)
        sources = sorted(values.sources)
        codes = [i.code for i in iris]
        city_prefix = area.commune[:3] if city_code == "75056" else area.commune[:4]
        if city_code == "13055":
            city_prefix = "132"
        for indicator in Indicator.objects.filter(
            organisation_id=area.organisation_id
        ).select_related("denominator"):
            row = FigureRow(
                indicator=indicator,
                area=_with_share(indicator, lambda pk: values.at_area(pk, area, codes)),
                commune=_with_share(
                    indicator, lambda pk: values.at_commune(pk, area.commune, area.commune)
                ),
                city=(
                    _with_share(indicator, lambda pk: values.at_commune(pk, city_code, city_prefix))
                    if city_code
                    else None
                ),
            )
            if row.area.value is not None or row.commune.value is not None:
                rows.append(row)
    return AreaFigures(
        year=year,
        years=years,
        rows=rows,
        commune_name=commune.name if commune else area.commune,
        city_name=city.name if city else "",
        iris=iris,
        sources=sources,
    )


def choropleth(area: Area, indicator: Indicator, year: int | None) -> dict:
    """The IRIS of the area's commune with the indicator's value (or share) for the map and
    its table: GeoJSON features with the value in their properties, and the area's
    contour."""
    iris_rows = list(
        Iris.objects.filter(organisation_id=area.organisation_id, commune=area.commune)
    )
    in_area = {i.code for i in area_iris(area, iris_rows)}
    values = _Values(area.organisation_id, year) if year else None
    features, table = [], []
    for iris in iris_rows:
        place = (
            _with_share(indicator, lambda pk, code=iris.code: values._sum(pk, [code]))
            if values
            else PlaceValue()
        )
        shown = place.share if indicator.denominator_id else place.value
        features.append(
            {
                "type": "Feature",
                "geometry": iris.geometry,
                "properties": {
                    "code": iris.code,
                    "name": iris.name,
                    "value": float(shown) if shown is not None else None,
                    "in_area": iris.code in in_area,
                },
            }
        )
        table.append({"iris": iris, "value": shown, "in_area": iris.code in in_area})
    table.sort(key=lambda r: (not r["in_area"], r["iris"].code))
    return {
        "features": {"type": "FeatureCollection", "features": features},
        "area": area_geometry(area),
        "table": table,
        "unit": "%" if indicator.denominator_id else "",
    }


# --- The programmes' reach in the area ---------------------------------------------------


@dataclasses.dataclass
class SiteReach:
    site: Site
    values: dict
    protected: bool


@dataclasses.dataclass
class AreaReach:
    start: datetime.date
    end: datetime.date
    sites: list[SiteReach]
    totals: dict
    labels: list[tuple[str, str]]


def sites_in_area(area: Area) -> list[Site]:
    """The organisation's sites whose point lies in the area's contour (households have
    no coordinates: the reach of an area is that of the sites located in it)."""
    geometry = area_geometry(area)
    if not geometry:
        return []
    sites = Site.objects.filter(
        programme__organisation_id=area.organisation_id, latitude__isnull=False
    ).select_related("programme")
    return [s for s in sites if geo.contains(geometry, float(s.longitude), float(s.latitude))]


def area_reach(user, area: Area, start: datetime.date, end: datetime.date, *, today) -> AreaReach:
    """The reporting figures of each site located in the area over the period, for the
    programmes whose figures ``user`` reads, and their sum (distinct people summed over
    several sites: a family met at two sites counts twice)."""
    labels = {i.name: i.label for i in INDICATORS}
    result = []
    for site in sites_in_area(area):
        if not can_read_figures(user, site.programme):
            continue
        figures = figures_for(
            user,
            Scope(programme=site.programme, start=start, end=end, site_id=site.pk),
            today=today,
            compare=False,
            sections=REACH_SECTIONS,
        )
        values = {name: figures.values.get(name) for name in REACH_FIGURES}
        result.append(SiteReach(site=site, values=values, protected=figures.protected))
    totals = {}
    for name in REACH_FIGURES:
        numbers = [r.values[name] for r in result]
        totals[name] = (
            sum(n for n in numbers if isinstance(n, int | float))
            if numbers and all(isinstance(n, int | float) or n is None for n in numbers)
            else None
        )
    return AreaReach(
        start=start,
        end=end,
        sites=result,
        totals=totals,
        labels=[(name, labels[name]) for name in REACH_FIGURES],
    )


# --- Impact: before and after a date -------------------------------------------------------


@dataclasses.dataclass
class ImpactRow:
    label: str
    before: object
    after: object
    before_note: str = ""
    after_note: str = ""


def impact(user, area: Area, *, on: datetime.date, indicator_ids: list[int], months: int, today):
    """Chosen indicators before and after ``on``: each indicator's value for the last year
    imported before ``on``'s year and for the latest year from it on, then the reach of the
    area's sites over the ``months`` months before ``on`` and the ``months`` from it."""
    years = sorted(years_with_values(area.organisation_id))
    before_years = [y for y in years if y < on.year]
    after_years = [y for y in years if y >= on.year]
    before = area_figures(area, before_years[-1]) if before_years else None
    after = area_figures(area, after_years[-1]) if after_years else None
    rows: list[ImpactRow] = []

    def shown(figures, indicator_id):
        if figures is None:
            return None
        for row in figures.rows:
            if row.indicator.pk == indicator_id:
                return row.area.share if row.indicator.denominator_id else row.area.value
        return None

    for indicator in Indicator.objects.filter(
        organisation_id=area.organisation_id, pk__in=indicator_ids
    ):
        unit = " (%)" if indicator.denominator_id else ""
        rows.append(
            ImpactRow(
                label=indicator.label + unit,
                before=shown(before, indicator.pk),
                after=shown(after, indicator.pk),
                before_note=str(before.year) if before else "",
                after_note=str(after.year) if after else "",
            )
        )
    start_before = _months_back(on, months)
    end_after = min(_months_back(on, -months) - datetime.timedelta(days=1), today)
    reach_before = area_reach(
        user, area, start_before, on - datetime.timedelta(days=1), today=today
    )
    reach_after = area_reach(user, area, on, max(end_after, on), today=today)
    for name, label in reach_before.labels:
        rows.append(
            ImpactRow(
                label=label,
                before=reach_before.totals[name],
                after=reach_after.totals[name],
                before_note=f"{start_before:%d/%m/%Y} – {on - datetime.timedelta(days=1):%d/%m/%Y}",
                after_note=f"{on:%d/%m/%Y} – {max(end_after, on):%d/%m/%Y}",
            )
        )
    return {
        "rows": rows,
        "sites": [r.site for r in reach_after.sites],
        "before_year": before.year if before else None,
        "after_year": after.year if after else None,
    }


def _months_back(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))
