"""The directory's search (issue 17) over a directory of generated services (100,000 at
département scale, 5,000 at town scale; ``BENCH_SEARCH_SERVICES`` overrides): words, a
theme and "within N km of a point", through ``directory.search.search_services`` as the
pages and the API call it, p95 over a fixed set of questions. Reference, run just before
each question: a plain ``icontains`` on the services' name and description for the same
word (no theme, no distance).

The directory is generated through the directory's own import
(``directory.interop.import_records``, every record checked by the data·inclusion schema
package), by batches: the Suresnes demo partners' structures and services as templates,
spread over the communes of Paris and the inner suburbs around their town halls. It is
kept in the bench database: a second run reuses it.
"""

from __future__ import annotations

import itertools
import os
import random
import time

from django.db.models import Q

from bench.results import Recorder, percentile, timed
from petitspas.demo.data import directory as templates
from petitspas.directory.geo import Point
from petitspas.directory.interop import import_records
from petitspas.directory.models import Service
from petitspas.directory.search import Filters, search_services
from petitspas.directory.towns import town_centre
from petitspas.places.communes import _index as communes_index

# 100,000 at département scale and above; the import writes them one by one, checked by
# the schema package (about 20 a second on a loaded 2-core machine).
SERVICES_BY_SCALE = {"test": 500, "town": 5_000}
DEFAULT_SERVICES = 100_000
SOURCE = "bench-annuaire"
DEPARTEMENTS = ("75", "92", "93", "94")
BATCH = 500  # structures per import
RUNS = 30
QUESTIONS = (
    ("parent", templates.PARENT, 3.0),
    ("garde", templates.GARDE, 5.0),
    ("soins", templates.SOINS, 2.0),
    ("atelier", templates.LIEN, 10.0),
)


def _communes() -> list[tuple[str, str, str, tuple[float, float]]]:
    found = []
    for commune in communes_index().values():
        centre = town_centre(commune.code)
        if commune.departement in DEPARTEMENTS and centre and commune.postcodes:
            found.append((commune.code, commune.postcodes[0], commune.name, centre))
    return sorted(found)


def _records(start: int, count: int, communes, rng: random.Random):
    structures, services = [], []
    for number in range(start, start + count):
        name, street, hours, specs = templates.STRUCTURES[number % len(templates.STRUCTURES)]
        code, postcode, town, (lat, lon) = communes[number % len(communes)]
        ident = f"{SOURCE}--{number}"
        structures.append(
            {
                "source": SOURCE,
                "id": ident,
                "nom": f"{name} ({town}, {number})",
                "date_maj": "2026-11-01",
                "adresse": street,
                "code_insee": code,
                "code_postal": postcode,
                "commune": town,
                "horaires_accueil": hours,
                "latitude": round(lat + rng.uniform(-0.012, 0.012), 6),
                "longitude": round(lon + rng.uniform(-0.018, 0.018), 6),
            }
        )
        for index, (nom, description, thematiques, publics, frais) in enumerate(specs):
            services.append(
                {
                    "source": SOURCE,
                    "structure_id": ident,
                    "id": f"{ident}--{index}",
                    "nom": nom,
                    "description": description,
                    "date_maj": "2026-11-01",
                    "thematiques": list(thematiques),
                    "publics": list(publics),
                    "frais": frais,
                    "modes_accueil": ["en-presentiel"],
                    "zone_eligibilite": [code],
                    "code_insee": code,
                }
            )
    return list(enumerate(structures, 1)), list(enumerate(services, 1))


def _wanted(scale: str) -> int:
    return int(
        os.environ.get("BENCH_SEARCH_SERVICES") or SERVICES_BY_SCALE.get(scale, DEFAULT_SERVICES)
    )


def _ensure_directory(recorder: Recorder) -> int:
    wanted = _wanted(recorder.scale)
    have = Service.objects.filter(source=SOURCE).count()
    if have >= wanted:
        return have
    communes = _communes()
    rng = random.Random(17)
    began = time.monotonic()
    number = Service.objects.filter(source=SOURCE).values("structure").distinct().count()
    while have < wanted:
        structures, services = _records(number, BATCH, communes, rng)
        report = import_records(structures=structures, services=services)
        if report.errors:
            raise RuntimeError("; ".join(str(e) for e in report.errors[:3]))
        number += BATCH
        have = Service.objects.filter(source=SOURCE).count()
    recorder.add(
        "search.generate.seconds",
        time.monotonic() - began,
        "s",
        note=f"{have:,} services in {number:,} structures over {len(communes)} communes, "
        "through the directory's import",
    )
    return have


def _search(filters: Filters, **near) -> list:
    return list(search_services(filters, **near))


def _plain(word: str) -> list:
    return list(Service.objects.filter(Q(nom__icontains=word) | Q(description__icontains=word)))


def measure(recorder: Recorder, subjects) -> None:
    total = _ensure_directory(recorder)
    communes = _communes()
    rng = random.Random(20)
    searches, plains, found = [], [], []
    for run, (word, theme, radius) in enumerate(itertools.islice(itertools.cycle(QUESTIONS), RUNS)):
        _code, _postcode, _town, (lat, lon) = rng.choice(communes)
        near = Point(lat, lon)
        plain_ms, _ = timed(_plain, word)
        search_ms, results = timed(
            _search, Filters(q=word, thematique=theme), near=near, radius_km=radius
        )
        if run >= len(QUESTIONS):  # the first round warms the caches
            searches.append(search_ms)
            plains.append(plain_ms)
            found.append(len(results))
    note = (
        f"{total:,} services; words + theme + distance (2–10 km); {min(found)}–{max(found)} results"
    )
    recorder.add("search.p95", percentile(searches, 95), "ms", "<= 10", note=note)
    recorder.add("search.plain_icontains.p95", percentile(plains, 95), "ms")
    recorder.add(
        "search.vs_plain_icontains.p95",
        percentile(searches, 95) / percentile(plains, 95),
        "x",
        note="search p95 / plain icontains p95 on the same table",
    )
