"""French communes from the official administrative split (@etalab/decoupage-administratif).

Read once per process from the JSON file that ``make install`` installs with npm; it
validates an INSEE code against a postcode, gives the département (hence the school-holiday
zone) and feeds the town picker. Current communes and the municipal arrondissements of
Paris, Lyon and Marseille are kept; merged or delegated communes are not.
"""

import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from petitspas.core.text import fold

KEPT_TYPES = {"commune-actuelle", "arrondissement-municipal"}


@dataclass(frozen=True, slots=True)
class Commune:
    code: str
    name: str
    departement: str
    postcodes: tuple[str, ...]
    population: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.departement})"


@cache
def _index() -> dict[str, Commune]:
    path = settings.COMMUNES_JSON
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(
            f"French communes file not found at {path}: run `make install` "
            "(it installs @etalab/decoupage-administratif with npm) or set COMMUNES_JSON."
        ) from exc
    return {
        row["code"]: Commune(
            code=row["code"],
            name=row["nom"],
            departement=row["departement"],
            postcodes=tuple(row.get("codesPostaux", ())),
            population=row.get("population") or 0,
        )
        for row in raw
        if row.get("type") in KEPT_TYPES
    }


@cache
def _folded_names() -> list[tuple[str, Commune]]:
    return sorted(
        ((fold(c.name), c) for c in _index().values()), key=lambda item: -item[1].population
    )


def get_commune(code: str) -> Commune | None:
    return _index().get((code or "").strip())


def search_communes(query: str, *, limit: int = 10) -> list[Commune]:
    """Communes whose name starts with (then contains) the query, or whose postcode or INSEE
    code starts with it; the most populated first."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    if query.isdigit():
        hits = [
            c
            for _, c in _folded_names()
            if c.code.startswith(query) or any(p.startswith(query) for p in c.postcodes)
        ]
        return hits[:limit]
    needle = fold(query)
    starts = [c for name, c in _folded_names() if name.startswith(needle)]
    if len(starts) >= limit:
        return starts[:limit]
    contains = [c for name, c in _folded_names() if needle in name and c not in starts]
    return (starts + contains)[:limit]
