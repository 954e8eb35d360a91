"""Hostile input, for every URL of the project: never a server error.

The walk of the isolation test (``test_isolation.ROUTES``, one test per URL pattern) is
reused. Each URL is requested anonymously and as staff of organisation A with:
- ids beyond any row (and beyond a 64-bit integer, which SQLite cannot even compare) in its
  path;
- hostile values in the query parameters the project reads (dates in year 1 and 9999,
  huge and negative numbers, 10,000 characters, a NUL byte PostgreSQL refuses in text);
- for the staff, the same values posted to every field of the page's forms, and to ids
  in field names (``status_<household id>``), and to POST-only URLs.
A 4xx with a message is the right answer; a 500, or an exception, fails the test.
"""

import datetime
import re

import pytest
from django.http import HttpResponse
from django.urls import path

from petitspas.web.tests.test_isolation import (
    ROUTES,
    Route,
    alice_values,
    response_text,
    route_id,
    url_for,
)

# Beyond a signed 64-bit integer: no row has this id, and no database column holds it.
HUGE = "99999999999999999999"
HOSTILE_VALUES = [
    HUGE,
    "-1",
    "0",
    "9999-12-31",
    "0001-01-01",
    "2025-02-30",
    "x" * 10_000,
    "a\x00b",
]
# Every query parameter a view or a filter form reads (grep request.GET and GET forms).
QUERY_PARAMETERS = [
    "semaine",
    "mois",
    "annee",
    "date",
    "debut",
    "fin",
    "start",
    "end",
    "page",
    "q",
    "organisation",
    "programme",
    "site",
    "lieu",
    "commune",
    "activite",
    "age",
    "periode",
    "role",
    "action",
    "code",
    "personne",
    "limit",
    "offset",
    # The directory: "près de" (pages and API), its theme, and the widget's.
    "pres_de",
    "rayon",
    "rayon_km",
    "latitude",
    "longitude",
    "thematique",
    "limite",
]
FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', re.S)
NUMBERED_NAME = re.compile(r"^(.*?)(\d+)$")
GENERIC_POST_FIELDS = ["id", "pk", "action", "date", "reason", "q"]


def hostile_path_values(values: dict) -> dict:
    """Every integer URL argument beyond any id; the rest (signed links) as they are."""
    return {name: HUGE if isinstance(value, int) else value for name, value in values.items()}


def form_fields(body: str) -> list[str]:
    """The names of the fields of the page's forms, and the same names with an id beyond
    any row when they carry one (``status_12`` → ``status_<HUGE>``)."""
    names = {n for n in FIELD_NAME.findall(body) if n != "csrfmiddlewaretoken"}
    numbered = {f"{m.group(1)}{HUGE}" for n in names if (m := NUMBERED_NAME.match(n))}
    return sorted(names | numbered)


def ask(client, method: str, url: str, data: dict, who: str) -> tuple[str | None, object]:
    """A problem line when the request fails with a server error, and the response."""
    try:
        response = getattr(client, method)(url, data)
    except Exception as error:  # the test client re-raises what the view raised
        return f"{who} {method.upper()} {url[:120]}: {type(error).__name__}: {error}"[:400], None
    if response.status_code >= 500:
        return f"{who} {method.upper()} {url[:120]}: {response.status_code}", response
    return None, response


def check_hostile_route(client, route: Route, values: dict, staff: list) -> list[str]:
    """Every server error met on one URL, as readable lines; empty when none."""
    problems = []
    good_url = url_for(route, values)
    urls = [good_url]
    if route.kwargs_names:
        urls.append(url_for(route, hostile_path_values(values)))
    for who, user in [("anonymous", None)] + [(f"staff {u.email}", u) for u in staff]:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            for value in HOSTILE_VALUES:
                query = dict.fromkeys(QUERY_PARAMETERS, value)
                problem, _ = ask(client, "get", url, query, who)
                problems += [problem] if problem else []
        if user is None:
            continue
        problem, page = ask(client, "get", good_url, {}, who)
        problems += [problem] if problem else []
        if page is None:
            continue
        body = response_text(page) if page.status_code == 200 else ""
        if page.status_code == 405:
            fields = GENERIC_POST_FIELDS
        elif 'method="post"' in body:
            fields = form_fields(body) or GENERIC_POST_FIELDS
        else:
            continue
        for value in HOSTILE_VALUES:
            problem, _ = ask(client, "post", good_url, dict.fromkeys(fields, value), who)
            problems += [problem] if problem else []
    return problems


@pytest.fixture
def values(alice) -> dict:
    return alice_values(alice)


@pytest.mark.parametrize("route", ROUTES, ids=[route_id(r, ROUTES) for r in ROUTES])
def test_hostile_input_never_gets_a_server_error(client, values, alice, route, travel):
    # The day of A's session: its attendance sheet is open for recording.
    travel(datetime.date(2030, 1, 8))
    staff = [alice.admin, alice.professional]
    assert check_hostile_route(client, route, values, staff) == []


def test_form_fields_include_ids_beyond_any_row():
    body = '<input type="radio" name="status_12" value="present"><textarea name="notes">'
    assert form_fields(body) == ["notes", "status_12", f"status_{HUGE}"]


# A deliberately fragile view, as ``my_week`` was: the walk must catch it.
def _fragile_view(request, site_pk):
    day = datetime.date.fromisoformat(request.GET.get("semaine", "2025-01-06"))
    return HttpResponse((day + datetime.timedelta(days=7)).isoformat())


urlpatterns = [path("fragile/<int:site_pk>/", _fragile_view, name="fragile")]
handler500 = "petitspas.web.errors.server_error"
FRAGILE_ROUTE = Route(name="fragile", route="fragile/<int:site_pk>/", kwargs_names=("site_pk",))


@pytest.mark.urls("petitspas.web.tests.test_hostile_input")
def test_a_view_that_overflows_on_a_far_date_is_caught(client, values, alice):
    problems = check_hostile_route(client, FRAGILE_ROUTE, values, [alice.admin])
    assert any("GET /fragile/" in p and ": OverflowError" in p for p in problems), problems
