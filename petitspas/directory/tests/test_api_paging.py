"""The directory's API pages its lists like the rest of the API (``?limit=&offset=``,
``{"items", "count"}``), over the demo's Suresnes directory (seed 002, the Point Info
Famille's partners): a search's count is the one the public search page shows, its
first page is that page's order, and walking the pages reaches every service once."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petitspas.accounts.services import api_token_create
from petitspas.demo.data.territory import SURESNES, SURESNES_PARTNER
from petitspas.demo.directory import load_directory
from petitspas.directory.models import Service, Structure
from petitspas.directory.search import PAGE_SIZE, Filters, search_services
from petitspas.directory.tests.test_directory import make_service, make_structure
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory

SERVICES = "/api/annuaire/services"
STRUCTURES = "/api/annuaire/structures"
PARENT = "famille--soutien-a-la-parentalite-et-a-leducation"
GARDE = "famille--garde-denfants"


@pytest.fixture
def demo(db):
    OrganisationFactory(name=SURESNES, kind="municipality", departement="92")
    partner = OrganisationFactory(name=SURESNES_PARTNER, kind="partner", departement="92")
    load_directory()
    return MembershipFactory(organisation=partner, role=Role.COORDINATOR).user


@pytest.fixture
def caller(client, demo):
    client.force_login(demo)
    return client


def walk(client, url, params, limit):
    """Every page of a list, in order; the counts each page gave."""
    items, counts, offset = [], set(), 0
    while True:
        page = client.get(url, {**params, "limit": limit, "offset": offset})
        assert page.status_code == 200, page.content
        data = page.json()
        counts.add(data["count"])
        assert len(data["items"]) <= limit
        if not data["items"]:
            return items, counts
        items += data["items"]
        offset += limit


def screen_count(client, params) -> int:
    body = client.get(reverse("public_directory:search"), params).content.decode()
    found = re.search(r"(\d+) services? trouvés?", body)
    return int(found.group(1))


def screen_names(client, params) -> list[str]:
    body = client.get(reverse("public_directory:search"), params).content.decode()
    links = re.findall(r'<h3 class="fr-h6 fr-mb-1v"><a href="[^"]+">([^<]+)</a></h3>', body)
    return [html.unescape(name) for name in links]


def test_the_demo_directory_is_bigger_than_a_page(demo):
    # Otherwise the walks below would not cross a page.
    assert Service.objects.count() > PAGE_SIZE + 7
    assert Structure.objects.count() > 7


@pytest.mark.parametrize(
    ("api", "screen", "expected"),
    [
        ({"q": "parent"}, {"q": "parent"}, 21),  # one more than the screen's page
        ({"thematique": PARENT}, {"thematique": PARENT}, 15),
        ({"public": "familles", "gratuit": "true"}, {"public": "familles", "gratuit": "on"}, 28),
        ({"pres_de": "Suresnes", "rayon_km": 5}, {"pres_de": "Suresnes", "rayon": 5}, 56),
        ({"q": "enfant", "thematique": GARDE}, {"q": "enfant", "thematique": GARDE}, 6),
    ],
)
def test_walking_the_pages_reaches_every_service_once_with_the_screens_count(
    caller, api, screen, expected
):
    assert screen_count(caller, screen) == expected
    items, counts = walk(caller, SERVICES, api, limit=4)  # every one crosses pages
    ids = [item["id"] for item in items]
    assert counts == {expected}
    assert len(ids) == len(set(ids)) == expected
    # The same order as one big page, and the same first page as the screen's.
    whole = caller.get(SERVICES, {**api, "limit": 100}).json()["items"]
    assert [item["id"] for item in whole] == ids
    assert [item["nom"] for item in items[:PAGE_SIZE]] == screen_names(caller, screen)


def test_every_service_is_reached_once_without_a_filter(caller):
    items, counts = walk(caller, SERVICES, {}, limit=9)
    ids = [(item["source"], item["id"]) for item in items]
    assert counts == {Service.objects.count()}
    assert sorted(ids) == sorted(Service.objects.values_list("source", "source_id"))


def test_ties_keep_one_order_across_pages(caller, demo):
    # Twelve services with the same name and the same text: the same score, the same
    # distance; only their id tells them apart.
    structure = make_structure(demo, nom="Maison des jumeaux", latitude=48.87, longitude=2.22)
    twins = [
        make_service(demo, structure, nom="Atelier jumeau", description="Atelier jumeau.")
        for _ in range(12)
    ]
    for params in ({"q": "jumeau"}, {"q": "jumeau", "latitude": 48.87, "longitude": 2.22}):
        items, counts = walk(caller, SERVICES, params, limit=5)
        assert counts == {12}
        assert [item["id"] for item in items] == [t.source_id for t in twins]


def test_structures_are_paged_too(caller):
    items, counts = walk(caller, STRUCTURES, {}, limit=4)
    assert counts == {Structure.objects.count()}
    keys = [(item["source"], item["id"]) for item in items]
    assert keys == sorted(Structure.objects.values_list("source", "source_id"))


def test_a_page_holds_50_by_default_and_100_at_most(caller, demo):
    structure = make_structure(demo)
    for i in range(110 - Service.objects.count()):
        make_service(demo, structure, nom=f"Permanence {i:03}")
    assert Service.objects.count() == 110
    data = caller.get(SERVICES).json()
    assert (len(data["items"]), data["count"]) == (50, 110)
    data = caller.get(SERVICES, {"limit": 100}).json()
    assert (len(data["items"]), data["count"]) == (100, 110)
    answer = caller.get(SERVICES, {"limit": 101})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "limit"]
    data = caller.get(STRUCTURES, {"limit": 100}).json()
    assert len(data["items"]) == data["count"] == Structure.objects.count()
    assert caller.get(STRUCTURES, {"limit": 101}).status_code == 422


@pytest.mark.parametrize("url", [SERVICES, STRUCTURES])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": -5}, "limit"),
        ({"limit": "dix"}, "limit"),
        ({"limit": 1000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": "1.5"}, "offset"),
        ({"offset": 2**64}, "offset"),
    ],
)
def test_bad_paging_gets_422_with_the_field(caller, url, params, field):
    answer = caller.get(url, params)
    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert error["loc"] == ["query", field]


@pytest.mark.parametrize("url", [SERVICES, STRUCTURES])
def test_a_page_past_the_end_is_empty_and_still_counted(caller, url):
    total = caller.get(url, {"limit": 1}).json()["count"]
    data = caller.get(url, {"offset": total}).json()
    assert data == {"items": [], "count": total}
    data = caller.get(url, {"offset": 1_000_000, "q": "parent"}).json()
    assert data["items"] == [] and data["count"] == (
        total if url == STRUCTURES else len(search_services(Filters(q="parent")))
    )


def test_filters_and_paging_errors_are_said_together_in_the_documented_shape(caller):
    answer = caller.get(SERVICES, {"thematique": "famille--rien", "limit": 20})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "thematique"]
    answer = caller.get(SERVICES, {"pres_de": "Atlantide", "limit": 20})
    assert answer.status_code == 422
    assert "Atlantide" in answer.json()["detail"][0]["msg"]


def test_a_search_page_is_one_query_with_its_count_then_its_rows(caller):
    caller.get(SERVICES, {"q": "parent", "limit": 3})  # the session's first reads
    for offset in (0, 3, 6):
        with CaptureQueriesContext(connection) as queries:
            data = caller.get(SERVICES, {"q": "parent", "limit": 3, "offset": offset}).json()
        assert len(data["items"]) == 3
        searches = [q["sql"] for q in queries if "directory_service" in q["sql"]]
        assert len(searches) == 2, searches
        assert "OVER ()" in searches[0] and "LIMIT 3" in searches[0]


def test_the_lists_keep_their_door(client, demo):
    for url in (SERVICES, STRUCTURES):
        assert client.get(url).status_code == 401
        assert client.get(url, headers={"Authorization": "Bearer pp_faux"}).status_code == 401
    _token, raw = api_token_create(user=demo, name="Annuaire")
    headers = {"Authorization": f"Bearer {raw}"}
    data = client.get(SERVICES, {"limit": 2}, headers=headers).json()
    assert len(data["items"]) == 2 and data["count"] == Service.objects.count()


def test_the_schema_tells_an_integrator_how_to_page(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "`offset + limit`" in schema["info"]["description"]
    for path in (SERVICES, STRUCTURES):
        operation = schema["paths"][path]["get"]
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert parameters["limit"]["maximum"] == 100 and parameters["limit"]["default"] == 50
        assert parameters["offset"]["minimum"] == 0
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        paged = schema["components"]["schemas"][answer["$ref"].rsplit("/", 1)[1]]
        assert set(paged["required"]) == {"items", "count"}
