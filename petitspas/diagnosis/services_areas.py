"""Writes on the diagnosis' areas and figures: keyword-only arguments, one transaction, the
permission check and the audit entry inside. The views and the demo call these.

Imports are whole or nothing: a file is read and every feature or row checked first; one
refused item refuses the file, with every reason listed (feature or line number), and
nothing is written."""

import csv
import dataclasses
import io
import json
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.core.bounds import FIRST_DAY, LAST_DAY
from petitspas.diagnosis import geo
from petitspas.diagnosis.models import (
    Area,
    ColumnMapping,
    Indicator,
    IndicatorValue,
    Iris,
    Level,
)
from petitspas.diagnosis.permissions_areas import can_edit_areas
from petitspas.places.communes import get_commune

# The indicators of INSEE's « base infracommunale » (IRIS) files that a diagnosis of
# families reads, by their code without the year prefix (P21_POP0002 → POP0002), with the
# count each is a share of.
CATALOGUE = (
    ("POP", "Population", ""),
    ("POP0002", "Enfants de 0 à 2 ans", "POP"),
    ("POP0305", "Enfants de 3 à 5 ans", "POP"),
    ("POP0610", "Enfants de 6 à 10 ans", "POP"),
    ("MEN", "Ménages", ""),
    ("FAM", "Familles", ""),
    ("FAMMONO", "Familles monoparentales", "FAM"),
    ("NE24F3", "Familles de 3 enfants ou plus de moins de 25 ans", "FAM"),
    ("MEN_PAUV", "Ménages sous le seuil de pauvreté", "MEN"),
)
INSEE_PREFIX = re.compile(r"^[PC](\d{2})_(.+)$")
IRIS_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})\d{4}$")
COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
# Paris, Lyon and Marseille: their arrondissements' INSEE codes, and the city's.
CITY_OF = (("751", "75056"), ("6938", "69123"), ("132", "13055"))
MAX_FILE_BYTES = 5 * 1024 * 1024
# An indicator file travels back in the mapping form, under Django's 2.5 MB request limit
# (DATA_UPLOAD_MAX_MEMORY_SIZE): a commune's or a département's IRIS fit.
MAX_CSV_BYTES = 2 * 1024 * 1024

NAME_REQUIRED = "Donnez un nom au quartier."
NAME_TAKEN = "Un quartier porte déjà ce nom dans l'organisation."
UNKNOWN_COMMUNE = "Le code INSEE {code} n'est pas celui d'une commune ou d'un arrondissement."
NO_SHAPE = "Dessinez le contour du quartier sur la carte ou choisissez ses IRIS."
UNKNOWN_IRIS = "IRIS inconnus de l'organisation : {codes}. Importez d'abord leurs contours."
IRIS_ELSEWHERE = "Les IRIS {codes} ne sont pas dans la commune {commune}."
BAD_JSON = "Le fichier n'est pas un GeoJSON lisible : {error}."
NOT_A_COLLECTION = "Le fichier doit être une FeatureCollection GeoJSON."
NO_FEATURE = "Le fichier ne contient aucun contour."
FEATURE_REFUSED = "Contour n° {number}{name} : {reason}"
NO_IRIS_CODE = "pas de propriété CODE_IRIS (code IRIS à 9 caractères)"
BAD_IRIS_CODE = "le code IRIS « {code} » n'a pas 9 caractères (code INSEE de la commune + 4)"
COMMUNE_MISMATCH = "INSEE_COM {commune} ne correspond pas au code IRIS {code}"
DUPLICATE_IRIS = "l'IRIS {code} figure deux fois dans le fichier"
TOO_BIG = "Le fichier dépasse 5 Mo."
CSV_TOO_BIG = (
    "Le fichier dépasse 2 Mo : ne gardez que les lignes de votre territoire "
    "(par exemple les IRIS de votre commune)."
)
ENCODING = "Le fichier n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le en CSV UTF-8."
EMPTY_CSV = "Le fichier CSV n'a pas de ligne d'en-tête."
NO_ROWS = "Le fichier CSV ne contient aucune ligne de données."
PLACE_COLUMN = "Choisissez la colonne qui donne le lieu (code IRIS, code INSEE ou quartier)."
NO_COLUMN = "Associez au moins une colonne à un indicateur."
UNKNOWN_COLUMN = "La colonne « {column} » n'est pas dans le fichier."
UNKNOWN_INDICATOR = "L'indicateur « {code} » n'existe pas."
ROW_REFUSED = "Ligne {line} : {reason}"
NO_PLACE = "le lieu est vide"
ROW_UNKNOWN_IRIS = "IRIS {code} inconnu (aucun contour importé pour ce code)"
ROW_UNKNOWN_COMMUNE = "code INSEE {code} inconnu"
ROW_UNKNOWN_PLACE = "lieu « {place} » inconnu (ni un code IRIS, ni un code INSEE, ni un quartier)"
ROW_BAD_NUMBER = "« {value} » n'est pas un nombre (colonne {column})"
ROW_NEGATIVE = "valeur négative {value} (colonne {column})"
ROW_TWICE = "{place} figure déjà ligne {first}"
BAD_YEAR = f"Indiquez l'année des données, entre {FIRST_DAY.year} et {LAST_DAY.year}."
SOURCE_REQUIRED = "Indiquez la source des données (par exemple « INSEE, RP 2021 »)."


def _check(by, organisation) -> None:
    if not can_edit_areas(by, organisation.pk):
        raise PermissionDenied


def city_of(commune: str) -> str | None:
    """The city of an arrondissement (75112 → 75056), None for any other commune."""
    for prefix, city in CITY_OF:
        if commune.startswith(prefix) and commune != city:
            return city
    return None


# --- Areas -------------------------------------------------------------------------------


@transaction.atomic
def area_save(
    *,
    by,
    organisation,
    name: str,
    commune: str,
    iris_codes: list[str] | None = None,
    geometry: dict | None = None,
    description: str = "",
    programme=None,
    area: Area | None = None,
) -> Area:
    """Create an area of ``organisation``, or change ``area``: a drawn contour
    (``geometry``, a GeoJSON Polygon or MultiPolygon in France), a set of the
    organisation's IRIS in its commune, or both."""
    _check(by, organisation)
    if area is not None and area.organisation_id != organisation.pk:
        raise PermissionDenied
    if programme is not None and programme.organisation_id != organisation.pk:
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = (name or "").strip()
    commune = (commune or "").strip().upper()
    iris_codes = sorted({c.strip().upper() for c in iris_codes or [] if c.strip()})
    if not name:
        errors["name"] = NAME_REQUIRED
    elif (
        Area.objects.filter(organisation=organisation, name__iexact=name)
        .exclude(pk=getattr(area, "pk", None))
        .exists()
    ):
        errors["name"] = NAME_TAKEN
    if get_commune(commune) is None:
        errors["commune"] = UNKNOWN_COMMUNE.format(code=commune or "vide")
    if geometry:
        try:
            geo.polygons(geometry)
        except ValueError as error:
            errors["geometry"] = str(error)
    if iris_codes:
        known = set(
            Iris.objects.filter(organisation=organisation, code__in=iris_codes).values_list(
                "code", flat=True
            )
        )
        unknown = [c for c in iris_codes if c not in known]
        elsewhere = [c for c in known if commune and not c.startswith(commune)]
        if unknown:
            errors["iris_codes"] = UNKNOWN_IRIS.format(codes=", ".join(unknown))
        elif elsewhere:
            errors["iris_codes"] = IRIS_ELSEWHERE.format(
                codes=", ".join(sorted(elsewhere)), commune=commune
            )
    elif not geometry:
        errors["geometry"] = NO_SHAPE
    if errors:
        raise ValidationError(errors)
    created = area is None
    if created:
        area = Area(organisation=organisation)
    before = {"name": area.name, "commune": area.commune, "iris_codes": area.iris_codes}
    area.name, area.commune, area.iris_codes = name, commune, iris_codes
    area.geometry = geometry or None
    area.description = (description or "").strip()
    area.programme = programme
    area.save()
    audit_log(
        by,
        "diagnosis_area.create" if created else "diagnosis_area.update",
        area,
        commune=commune,
        iris=len(iris_codes),
        drawn=bool(geometry),
        **({} if created else {"before": before}),
    )
    return area


def area_geometry(area: Area, iris_by_code: dict | None = None) -> dict | None:
    """The area's contour: the one drawn, else its IRIS' contours together."""
    if area.geometry:
        return area.geometry
    if not area.iris_codes:
        return None
    if iris_by_code is None:
        iris_by_code = {
            i.code: i
            for i in Iris.objects.filter(
                organisation_id=area.organisation_id, code__in=area.iris_codes
            )
        }
    parts = [geo.polygons(iris_by_code[c].geometry) for c in area.iris_codes if c in iris_by_code]
    return geo.multipolygon(parts) if parts else None


# --- Boundaries from GeoJSON ---------------------------------------------------------------


@dataclasses.dataclass
class GeoImport:
    iris_created: int = 0
    iris_updated: int = 0
    areas_created: list[str] = dataclasses.field(default_factory=list)
    areas_updated: list[str] = dataclasses.field(default_factory=list)


def _read_features(content: bytes | str) -> list[dict]:
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise ValidationError(TOO_BIG)
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(BAD_JSON.format(error="il n'est pas en UTF-8")) from error
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise ValidationError(
            BAD_JSON.format(error=f"ligne {error.lineno}, colonne {error.colno}")
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(NOT_A_COLLECTION)
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(NO_FEATURE)
    return features


def _property(properties: dict, *names: str) -> str:
    for name in names:
        for key, value in properties.items():
            if key.upper() == name and value not in (None, ""):
                return str(value).strip()
    return ""


@transaction.atomic
def boundaries_import(*, by, organisation, content: bytes | str, source: str = "") -> GeoImport:
    """Import IRIS contours from an IGN-style GeoJSON FeatureCollection (properties
    CODE_IRIS, NOM_IRIS, INSEE_COM). A feature that also names a ``QUARTIER`` makes (or
    redraws) that area of the organisation from its IRIS. Each feature is checked
    (a Polygon or MultiPolygon, in France, a well-formed IRIS code); one refused feature
    refuses the file."""
    _check(by, organisation)
    features = _read_features(content)
    errors: list[str] = []
    rows: dict[str, dict] = {}
    quarters: dict[str, list[str]] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        code = _property(properties, "CODE_IRIS", "IRIS").upper()
        name = _property(properties, "NOM_IRIS", "LIB_IRIS")
        label = f" ({name})" if name else (f" ({code})" if code else "")
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise ValueError("ce n'est pas un objet GeoJSON « Feature »")
            parts = geo.polygons(feature.get("geometry"))
            if not code:
                raise ValueError(NO_IRIS_CODE)
            if not IRIS_CODE.match(code):
                raise ValueError(BAD_IRIS_CODE.format(code=code))
            commune = _property(properties, "INSEE_COM", "DEPCOM", "COM") or code[:5]
            if commune != code[:5]:
                raise ValueError(COMMUNE_MISMATCH.format(commune=commune, code=code))
            if get_commune(commune) is None:
                raise ValueError(UNKNOWN_COMMUNE.format(code=commune))
            if code in rows:
                raise ValueError(DUPLICATE_IRIS.format(code=code))
        except ValueError as error:
            errors.append(FEATURE_REFUSED.format(number=number, name=label, reason=error))
            continue
        rows[code] = {
            "name": name[:150],
            "commune": commune,
            "geometry": geo.multipolygon([parts]) if len(parts) > 1 else feature["geometry"],
        }
        quarter = _property(properties, "QUARTIER", "NOM_QUARTIER")[:150]
        if quarter:
            quarters.setdefault(quarter, []).append(code)
    for quarter, codes in quarters.items():
        communes = {rows[c]["commune"] for c in codes}
        if len(communes) > 1:
            errors.append(
                f"Quartier « {quarter} » : ses IRIS sont dans plusieurs communes "
                f"({', '.join(sorted(communes))}) ; un quartier est dans une seule."
            )
    if errors:
        raise ValidationError(errors)

    result = GeoImport()
    now = timezone.now()
    existing = {i.code: i for i in Iris.objects.filter(organisation=organisation, code__in=rows)}
    source = (source or "").strip()[:200]
    for code, row in rows.items():
        iris = existing.get(code) or Iris(organisation=organisation, code=code)
        if iris.pk:
            result.iris_updated += 1
        else:
            result.iris_created += 1
        iris.name, iris.commune, iris.geometry = row["name"], row["commune"], row["geometry"]
        iris.source, iris.imported_at = source, now
        iris.save()
    for quarter, codes in quarters.items():
        area = Area.objects.filter(organisation=organisation, name__iexact=quarter).first()
        if area is None:
            area = Area(organisation=organisation, name=quarter)
            result.areas_created.append(quarter)
        else:
            result.areas_updated.append(area.name)
        area.commune = rows[codes[0]]["commune"]
        area.iris_codes = sorted(codes)
        area.geometry = None
        area.save()
    audit_log(
        by,
        "diagnosis_boundaries.import",
        organisation=organisation,
        iris_created=result.iris_created,
        iris_updated=result.iris_updated,
        areas_created=len(result.areas_created),
        areas_updated=len(result.areas_updated),
        source=source,
    )
    return result


# --- Indicators from CSV -------------------------------------------------------------------


def indicators_ensure(organisation) -> dict[str, Indicator]:
    """The organisation's indicators, the catalogue's created on first use."""
    existing = {i.code: i for i in Indicator.objects.filter(organisation=organisation)}
    for position, (code, label, _) in enumerate(CATALOGUE):
        if code not in existing:
            existing[code] = Indicator.objects.create(
                organisation=organisation, code=code, label=label, position=position
            )
    for code, _, denominator in CATALOGUE:
        if denominator and existing[code].denominator_id is None:
            existing[code].denominator = existing[denominator]
            existing[code].save(update_fields=["denominator"])
    return existing


def decode_csv(content: bytes) -> str:
    if len(content) > MAX_CSV_BYTES:
        raise ValidationError(CSV_TOO_BIG)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(ENCODING)


def csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV in French or English punctuation (; or , or tab)."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), dialect)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationError(EMPTY_CSV)
    header = [cell.strip() for cell in rows[0]]
    return header, rows[1:]


def suggested_mapping(organisation, header: list[str]) -> tuple[str, dict[str, str]]:
    """The place column and the indicator of each column: the organisation's saved mapping
    where it names the column, else INSEE's column names (P21_POP0002 → POP0002)."""
    saved = ColumnMapping.objects.filter(organisation=organisation).first()
    codes = {c for c, _, _ in CATALOGUE} | set(
        Indicator.objects.filter(organisation=organisation).values_list("code", flat=True)
    )
    place = saved.place_column if saved and saved.place_column in header else ""
    if not place:
        for column in header:
            if column.upper() in ("IRIS", "CODE_IRIS", "CODGEO", "COM", "DEPCOM", "LIEU"):
                place = column
                break
    columns = {}
    for column in header:
        if column == place:
            continue
        if saved and column in saved.columns:
            columns[column] = saved.columns[column]
            continue
        match = INSEE_PREFIX.match(column.upper())
        code = match.group(2) if match else column.upper()
        if code in codes:
            columns[column] = code
    return place, columns


def year_of_column(column: str) -> int | None:
    """INSEE's columns carry their year: P21_POP → 2021."""
    match = INSEE_PREFIX.match(column.upper())
    return 2000 + int(match.group(1)) if match else None


def _number(value: str) -> Decimal | None:
    cleaned = value.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    number = Decimal(cleaned)
    if not number.is_finite():
        raise InvalidOperation
    return number.quantize(Decimal("0.01"))


@dataclasses.dataclass
class CsvImport:
    rows: int = 0
    values: int = 0
    indicators: list[str] = dataclasses.field(default_factory=list)
    years: list[int] = dataclasses.field(default_factory=list)


@transaction.atomic
def indicators_import(
    *,
    by,
    organisation,
    text: str,
    place_column: str,
    columns: dict[str, str],
    year: int | None,
    source: str,
) -> CsvImport:
    """Import indicator values from a CSV: ``place_column`` gives an IRIS code (one of the
    organisation's IRIS), an INSEE code (a commune, an arrondissement, 75056 for Paris) or
    the name of one of its areas; ``columns`` maps headers to indicator codes. Each value
    keeps ``source`` and its year (the column's INSEE prefix, else ``year``). The mapping
    is kept for the organisation's next file. One refused row refuses the file, every
    refused row is listed with its line number."""
    _check(by, organisation)
    errors: dict[str, list[str]] = {}
    source = (source or "").strip()[:200]
    if not source:
        errors["source"] = [SOURCE_REQUIRED]
    header, rows = csv_rows(text)
    columns = {c: code for c, code in columns.items() if code}
    indicators = indicators_ensure(organisation)
    if place_column not in header:
        errors["place_column"] = [PLACE_COLUMN]
    if not columns:
        errors.setdefault("columns", []).append(NO_COLUMN)
    for column, code in columns.items():
        if column not in header:
            errors.setdefault("columns", []).append(UNKNOWN_COLUMN.format(column=column))
        elif code not in indicators:
            errors.setdefault("columns", []).append(UNKNOWN_INDICATOR.format(code=code))
    needs_year = any(year_of_column(c) is None for c in columns)
    if needs_year and (year is None or not FIRST_DAY.year <= year <= LAST_DAY.year):
        errors["year"] = [BAD_YEAR]
    if not rows:
        errors.setdefault("__all__", []).append(NO_ROWS)
    if errors:
        raise ValidationError(errors)

    known_iris = set(Iris.objects.filter(organisation=organisation).values_list("code", flat=True))
    areas = {a.name.casefold(): a for a in Area.objects.filter(organisation=organisation)}
    place_index = header.index(place_column)
    indexes = {column: header.index(column) for column in columns}
    refused: list[str] = []
    seen: dict[tuple, int] = {}
    values: list[IndicatorValue] = []
    for line, row in enumerate(rows, start=2):
        row = row + [""] * (len(header) - len(row))
        place = row[place_index].strip()
        reasons = []
        level, code, area = None, "", None
        if not place:
            reasons.append(NO_PLACE)
        elif IRIS_CODE.match(place.upper()):
            level, code = Level.IRIS, place.upper()
            if code not in known_iris:
                reasons.append(ROW_UNKNOWN_IRIS.format(code=code))
        elif COMMUNE_CODE.match(place.upper()):
            level, code = Level.COMMUNE, place.upper()
            if get_commune(code) is None:
                reasons.append(ROW_UNKNOWN_COMMUNE.format(code=code))
        elif place.casefold() in areas:
            level, area = Level.AREA, areas[place.casefold()]
        else:
            reasons.append(ROW_UNKNOWN_PLACE.format(place=place[:80]))
        key = (level, code, getattr(area, "pk", None))
        if level and key in seen:
            reasons.append(ROW_TWICE.format(place=place, first=seen[key]))
        seen.setdefault(key, line)
        for column, index in indexes.items():
            try:
                number = _number(row[index])
            except (InvalidOperation, ValueError):
                reasons.append(ROW_BAD_NUMBER.format(value=row[index].strip()[:30], column=column))
                continue
            if number is None:
                continue
            if number < 0:
                reasons.append(ROW_NEGATIVE.format(value=number, column=column))
                continue
            values.append(
                IndicatorValue(
                    indicator=indicators[columns[column]],
                    level=level or Level.IRIS,
                    code=code,
                    area=area,
                    year=year_of_column(column) or year,
                    value=number,
                    source=source,
                )
            )
        if reasons:
            refused.append(ROW_REFUSED.format(line=line, reason=" ; ".join(reasons)))
    if refused:
        raise ValidationError({"__all__": refused})

    # The file's values replace those of the same indicator, place and year: one delete
    # per indicator, level and year, then one insert.
    now = timezone.now()
    replaced: dict[tuple, set] = {}
    for value in values:
        value.imported_at = now
        key = (value.indicator.pk, value.level, value.year)
        replaced.setdefault(key, set()).add(value.area.pk if value.area else value.code)
    for (indicator_id, level, year), places in replaced.items():
        lookup = "area__in" if level == Level.AREA else "code__in"
        IndicatorValue.objects.filter(
            indicator_id=indicator_id, level=level, year=year, **{lookup: places}
        ).delete()
    IndicatorValue.objects.bulk_create(values, batch_size=1000)
    ColumnMapping.objects.update_or_create(
        organisation=organisation, defaults={"place_column": place_column, "columns": columns}
    )
    result = CsvImport(
        rows=len(rows),
        values=len(values),
        indicators=sorted({indicators[c].label for c in columns.values()}),
        years=sorted({v.year for v in values}),
    )
    audit_log(
        by,
        "diagnosis_indicators.import",
        organisation=organisation,
        rows=result.rows,
        values=result.values,
        source=source,
        years=result.years,
    )
    return result
