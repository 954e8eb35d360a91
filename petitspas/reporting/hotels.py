"""The reference list of social hotels, read from a CSV file.

One row per hotel, columns by name (in any order, case and accents ignored):
``nom``, ``code_insee`` (the town's INSEE code) and ``adresse``, ``enfants`` (the children
living there, if known), ``latitude``, ``longitude`` (for the map) and ``lieu`` (the
name of the programme's site of kind social hotel when the team goes there) when known.
The file is UTF-8 (Excel's "CSV UTF-8" too), separated by ``;`` or ``,``.

``read_hotels`` checks each row and says why a row is refused, by its line number in the
file; the good rows are kept. A file that is not UTF-8 or lacks a required column is
refused whole (``HotelFileError``), since none of its rows can be read with certainty.
"""

import csv
import dataclasses
import io
from decimal import Decimal, InvalidOperation

from petitspas.core.text import fold
from petitspas.places.communes import get_commune
from petitspas.places.models import Site

REQUIRED = ("nom", "code_insee")
OPTIONAL = ("adresse", "enfants", "latitude", "longitude", "lieu")
MAX_CHILDREN = 2000
MAX_BYTES = 2_000_000
MAX_ROWS = 5000


class HotelFileError(ValueError):
    """The whole file is refused, with a French message."""


@dataclasses.dataclass(frozen=True)
class HotelRow:
    line: int
    name: str
    address: str
    commune_code: str
    town: str
    departement: str
    children: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    site: Site | None

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.departement, fold(self.name), self.commune_code)


@dataclasses.dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Ligne {self.line} : {self.reason}"


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise HotelFileError("Le fichier dépasse 2 Mo : découpez-le par département.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HotelFileError(
            "Le fichier n'est pas encodé en UTF-8. Dans votre tableur, enregistrez-le au "
            "format « CSV UTF-8 », puis importez-le de nouveau."
        ) from exc


def _header_key(name: str) -> str:
    return fold(name or "").strip().replace(" ", "_").replace("-", "_")


def _reader(text: str):
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise HotelFileError("Le fichier est vide.") from None
    keys = [_header_key(h) for h in header]
    missing = [column for column in REQUIRED if column not in keys]
    if missing:
        raise HotelFileError(
            "Colonne(s) manquante(s) : "
            + ", ".join(f"« {m} »" for m in missing)
            + ". La première ligne doit nommer les colonnes : nom ; adresse ; code_insee ; "
            "enfants (et, si connus, latitude ; longitude ; lieu)."
        )
    return keys, reader


def _coordinate(text: str, low: int, high: int, label: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"la {label} « {text} » n'est pas un nombre.") from None
    if not value.is_finite() or not low <= value <= high:
        raise ValueError(f"la {label} {text} est hors de la France métropolitaine.")
    return value.quantize(Decimal("0.00001"))


def _row(line: int, values: dict, sites: dict) -> HotelRow:
    name = values.get("nom", "")
    if not name:
        raise ValueError("le nom de l'hôtel manque.")
    if len(name) > 200:
        raise ValueError("le nom dépasse 200 caractères.")
    address = values.get("adresse", "")
    if len(address) > 250:
        raise ValueError("l'adresse dépasse 250 caractères.")
    code = values.get("code_insee", "")
    if not code:
        raise ValueError("le code INSEE de la commune manque.")
    commune = get_commune(code.zfill(5) if code.isdigit() else code)
    if commune is None:
        raise ValueError(f"« {code} » n'est pas le code INSEE d'une commune.")
    children = None
    if values.get("enfants", ""):
        text = values["enfants"].replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if not text.isdigit():
            raise ValueError(
                f"le nombre d'enfants « {values['enfants']} » n'est pas un nombre entier."
            )
        children = int(text)
        if children > MAX_CHILDREN:
            raise ValueError(f"{children} enfants dans un hôtel : vérifiez ce nombre.")
    latitude = _coordinate(values.get("latitude", ""), 41, 52, "latitude")
    longitude = _coordinate(values.get("longitude", ""), -5, 10, "longitude")
    if (latitude is None) != (longitude is None):
        raise ValueError("indiquez la latitude et la longitude, ou aucune des deux.")
    site = None
    if values.get("lieu", ""):
        site = sites.get(fold(values["lieu"]))
        if site is None:
            raise ValueError(
                f"« {values['lieu']} » n'est pas un hôtel social parmi les lieux du programme."
            )
    return HotelRow(
        line=line,
        name=name,
        address=address,
        commune_code=commune.code,
        town=commune.name,
        departement=commune.departement,
        children=children,
        latitude=latitude,
        longitude=longitude,
        site=site,
    )


def read_hotels(data: bytes, *, programme) -> tuple[list[HotelRow], list[RowError]]:
    """The good rows and the refused ones (line numbers as a spreadsheet shows them: the
    header is line 1). Raises ``HotelFileError`` for a file refused whole."""
    keys, reader = _reader(_decode(data))
    sites = {
        fold(site.name): site
        for site in Site.objects.filter(programme=programme, kind=Site.Kind.SOCIAL_HOTEL)
    }
    rows, errors, seen = [], [], {}
    for index, cells in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            raise HotelFileError(f"Plus de {MAX_ROWS} lignes : découpez le fichier.")
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(keys):
            errors.append(
                RowError(index, f"{len(cells)} cellules pour {len(keys)} colonnes nommées.")
            )
            continue
        values = {
            key: cell.strip()
            for key, cell in zip(keys, cells, strict=False)
            if key
            in {
                *REQUIRED,
                *OPTIONAL,
            }
        }
        try:
            row = _row(index, values, sites)
        except ValueError as exc:
            errors.append(RowError(index, str(exc)))
            continue
        if row.identity in seen:
            errors.append(
                RowError(
                    index,
                    f"{row.name} ({row.town}) figure déjà ligne {seen[row.identity]}.",
                )
            )
            continue
        seen[row.identity] = index
        rows.append(row)
    return rows, errors
