"""The directory's search (issue 17) over a directory of generated services (100,000 at
département scale, 5,000 at town scale; ``BENCH_SEARCH_SERVICES`` overrides): words, a
theme and "within N km of a point", through ``directory.search.search_services`` as the
search page calls it (``Paginator``: the count and the first page of 20), p95 over a
fixed set of questions. The API's answer to the same question is recorded beside it,
through the whole request with a personal token (``GET /api/annuaire/services``: its first
page of 50 records and the count), and so is what that answer was before the API was
paged: every service found, as the standard's records, in JSON; and the same words over the
whole directory, with their theme or a public and no place (``search.without_distance``).
Reference, run just before each question: a plain ``icontains`` on the services' name
and description for the same word (no theme, no distance), counted and its first page of
20 by name, the same shape of work as the page.

The directory is generated through the directory's own import
(``directory.interop.import_records``, every record checked by the data·inclusion schema
package), by batches of 500 structures (about 700 services): the Suresnes demo partners'
structures and services as templates, spread over the communes of Paris and the inner
suburbs around their town halls. The import writes by batches, so 100,000 services take
about 6 minutes on a loaded 2-core machine (they took an hour and a half one at a
time). It is kept in the bench database: a second run reuses it.

The templates repeat: a word or a theme is in 5–35% of the services, so the text is
rarely selective, and a question's place decides how many rows are read (``bench/
README.md`` says what that costs on each database).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.test import Client

from bench.results import Recorder, percentile, timed
from petitspas.accounts.services import api_token_create
from petitspas.demo.data import directory as templates
from petitspas.directory.geo import Point
from petitspas.directory.interop import import_records
from petitspas.directory.models import Service
from petitspas.directory.schema import service_record
from petitspas.directory.search import Filters, search_services
from petitspas.directory.towns import town_centre
from petitspas.places.communes import _index as communes_index

# 100,000 at département scale and above, through the import (checked by the schema
# package, written by batches).
SERVICES_BY_SCALE = {"test": 500, "town": 5_000}
DEFAULT_SERVICES = 100_000
SOURCE = "bench-annuaire"
DEPARTEMENTS = ("75", "92", "93", "94")
BATCH = 500  # structures per import
RUNS = 30
PAGE_SIZE = 20  # the search page's (directory.views_public.PAGE_SIZE)
API = "/api/annuaire/services"
API_PAGE = 50  # the API's default page (core.api.Pagination)
QUESTIONS = (
    ("parent", templates.PARENT, 3.0),
    ("garde", templates.GARDE, 5.0),
    ("soins", templates.SOINS, 2.0),
    # No template "atelier" is "lien social": asked so, it found nothing and measured little.
    ("atelier", templates.CULTURE, 10.0),
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


def ensure_directory(recorder: Recorder) -> int:
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
    # What autovacuum does within a minute of a bulk import, before the questions: the
    # planner's statistics on the new rows, and on PostgreSQL the visibility map of the
    # search's index table (read from its index alone once its pages are marked visible).
    # VACUUM cannot run in a transaction (a test's): there, the statistics alone.
    vacuum = (
        "VACUUM ANALYZE"
        if connection.vendor == "postgresql" and not connection.in_atomic_block
        else "ANALYZE"
    )
    with connection.cursor() as cursor:
        for table in (
            "directory_structure",
            "directory_service",
            "directory_serviceterm",
            "directory_searchword",
        ):
            cursor.execute(f"{vacuum} {table}")
    recorder.add(
        "search.generate.seconds",
        time.monotonic() - began,
        "s",
        note=f"{have:,} services in {number:,} structures over {len(communes)} communes, "
        "through the directory's import",
    )
    return have


def _page(filters: Filters, **near) -> list:
    """What the search page does: the count and the first page of 20 (``Paginator``)."""
    page = Paginator(search_services(filters, **near), PAGE_SIZE).get_page(1)
    return [page.paginator.count, *page.object_list]


def _everything(filters: Filters, **near) -> str:
    """What the API answered before it was paged: every service found, as the standard's
    records, in JSON (without the request around it)."""
    return json.dumps([service_record(s) for s in search_services(filters, **near)])


def _api(client: Client, headers: dict, params: dict) -> dict:
    """The API's answer, the whole request: the token, the search, its first page of
    records and the count."""
    response = client.get(API, params, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{API} answered {response.status_code}: {response.content[:200]}")
    return response.json()


def _plain(word: str) -> list:
    """The reference, shaped as the page: a plain ``icontains`` on the name and the
    description, counted, and its first 20 by name."""
    plain = Service.objects.filter(Q(nom__icontains=word) | Q(description__icontains=word))
    page = Paginator(plain.order_by("nom", "pk"), PAGE_SIZE).get_page(1)
    return [page.paginator.count, *page.object_list]


def measure(recorder: Recorder, subjects) -> None:
    total = ensure_directory(recorder)
    communes = _communes()
    rng = random.Random(20)
    client = Client(HTTP_HOST="127.0.0.1")
    _token, raw = api_token_create(user=subjects.professional, name="Banc d'essai annuaire")
    headers = {"Authorization": f"Bearer {raw}"}
    pages, answers, everything, plains, found = [], [], [], [], []
    for run, (word, theme, radius) in enumerate(itertools.islice(itertools.cycle(QUESTIONS), RUNS)):
        _code, _postcode, _town, (lat, lon) = rng.choice(communes)
        filters = Filters(q=word, thematique=theme)
        near = {"near": Point(lat, lon), "radius_km": radius}
        plain_ms, _ = timed(_plain, word)
        page_ms, page = timed(_page, filters, **near)
        params = {"q": word, "thematique": theme, "latitude": lat, "longitude": lon}
        api_ms, answer = timed(_api, client, headers, {**params, "rayon_km": radius})
        all_ms, _records_json = timed(_everything, filters, **near)
        if answer["count"] != page[0] or len(answer["items"]) != min(API_PAGE, page[0]):
            raise RuntimeError(f"the API found {answer['count']}, the page {page[0]}")
        if run >= len(QUESTIONS):  # the first round warms the caches
            pages.append(page_ms)
            answers.append(api_ms)
            everything.append(all_ms)
            plains.append(plain_ms)
            found.append(page[0])
    # The same words and themes without a place, and with a public: every service of the
    # directory holding them, ranked by the text (a slow plan here went unseen once).
    anywhere = []
    for run in range(2):
        for word, theme, _radius in QUESTIONS:
            for filters in (Filters(q=word, thematique=theme), Filters(q=word, public="familles")):
                page_ms, _page_rows = timed(_page, filters)
                if run:  # the first round warms the caches
                    anywhere.append(page_ms)
    recorder.add(
        "search.without_distance.p95",
        percentile(anywhere, 95),
        "ms",
        note="the same words with their theme, then with a public, over the whole directory "
        "(no place): the count and the first page",
    )
    note = (
        f"{total:,} services; words + theme + distance (2–10 km); the count and the first "
        f"page of {PAGE_SIZE}, as the search page asks; {min(found):,}–{max(found):,} found"
    )
    recorder.add("search.p95", percentile(pages, 95), "ms", "<= 10", note=note)
    recorder.add(
        "search.api.p95",
        percentile(answers, 95),
        "ms",
        note=f"GET {API} with a token, the same questions: the first page of {API_PAGE} "
        "records and the count, the whole request",
    )
    recorder.add(
        "search.all_results.p95",
        percentile(everything, 95),
        "ms",
        note="every service found, as records in JSON: the API's answer before it was paged "
        "(without the request)",
    )
    recorder.add(
        "search.api.vs_all_results.p95",
        percentile(answers, 95) / percentile(everything, 95),
        "x",
        note="the paged API's p95 / the unpaged answer's p95, same questions, same run",
    )
    recorder.add(
        "search.plain_icontains.p95",
        percentile(plains, 95),
        "ms",
        note="icontains on name and description, counted, first page by name",
    )
    recorder.add(
        "search.vs_plain_icontains.p95",
        percentile(pages, 95) / percentile(plains, 95),
        "x",
        note="search p95 / plain icontains p95 on the same table, same page",
    )
