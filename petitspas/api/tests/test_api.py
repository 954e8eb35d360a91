import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitspas.accounts.services import api_token_create, api_token_revoke
from petitspas.api.auth import INVALID_TOKEN
from petitspas.core.db import MAX_ID
from petitspas.organisations.tests.factories import ProgrammeFactory
from petitspas.places.api import END_BEFORE_START, RANGE_TOO_LONG
from petitspas.places.models import SchoolHolidayRule, SiteClosure, SiteRelocation
from petitspas.places.tests.factories import SiteFactory, WeeklyOpeningFactory


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def alice_token(alice):
    return api_token_create(user=alice.professional, name="Script de test")[1]


@pytest.fixture
def bob_token(bob):
    return api_token_create(user=bob.professional, name="Script de test")[1]


@pytest.fixture
def lunel_site(bob):
    """A Lunel site (Hérault, zone C) open on Monday mornings, 8:30–12:15, all year."""
    site = SiteFactory(programme=bob.programme, name="Accueil de loisirs Arc-en-Ciel", lunel=True)
    WeeklyOpeningFactory(site=site)
    return site


def openings_url(site, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("api:site_openings", kwargs={"site_id": site.pk}) + (
        f"?{query}" if query else ""
    )


# --- Authentication -----------------------------------------------------------------------


def test_token_authenticates_the_caller(client, alice, alice_token):
    response = client.get("/api/organisations", headers=bearer(alice_token))
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": alice.organisation.pk,
                "name": "Asmae",
                "slug": "asmae",
                "kind": "association",
                "kind_label": "Association",
                "departement": "93",
            }
        ],
        "count": 1,
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer pp_not-a-real-token"},
        {"Authorization": "Bearer not-even-our-prefix"},
        {"Authorization": "Token pp_whatever"},
    ],
    ids=["missing", "empty", "unknown", "foreign", "other-scheme"],
)
def test_missing_or_invalid_token_gets_401(client, alice, headers):
    response = client.get("/api/organisations", headers=headers)
    assert response.status_code == 401


def test_invalid_token_says_so(client, alice):
    response = client.get("/api/sites", headers=bearer("pp_not-a-real-token"))
    assert response.status_code == 401
    assert response.json() == {"detail": INVALID_TOKEN}


def test_revoked_token_gets_401(client, alice):
    token, raw = api_token_create(user=alice.professional, name="Ancien script")
    assert client.get("/api/sites", headers=bearer(raw)).status_code == 200
    api_token_revoke(token=token, by=alice.professional)
    assert client.get("/api/sites", headers=bearer(raw)).status_code == 401


def test_token_of_deactivated_user_gets_401(client, alice, alice_token):
    alice.professional.is_active = False
    alice.professional.save()
    assert client.get("/api/sites", headers=bearer(alice_token)).status_code == 401


def test_invalid_token_is_refused_even_with_a_session(client, alice):
    client.force_login(alice.professional)
    response = client.get("/api/sites", headers=bearer("pp_not-a-real-token"))
    assert response.status_code == 401


def test_signed_in_browser_uses_the_api_without_token(client, alice):
    client.force_login(alice.coordinator)
    response = client.get("/api/sites")
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["items"]] == [alice.site.name]


def test_token_use_is_recorded(client, alice, alice_token):
    client.get("/api/sites", headers=bearer(alice_token))
    token = alice.professional.api_tokens.get()
    assert token.last_used_at is not None


def test_openapi_schema_and_docs_are_public(client, db):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert {"/api/sites/{site_id}/openings", "/api/programmes"} <= set(schema.json()["paths"])
    assert schema.json()["components"]["securitySchemes"]["ApiTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert client.get("/api/docs").status_code == 200


def test_every_operation_documents_its_error_responses(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = set(operation["responses"])
            assert {"401", "422"} <= responses, path
            assert ("200" if method == "get" else "201") in responses, path
            if "{" in path or method == "post":
                assert "404" in responses, path
            if method == "post":
                assert {"400", "409"} <= responses, path


# --- Isolation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/organisations/{organisation}",
        "/api/programmes/{programme}",
        "/api/sites/{site}",
        "/api/sites/{site}/openings",
    ],
)
def test_member_of_other_organisation_gets_404(client, alice, bob_token, url):
    response = client.get(
        url.format(
            organisation=alice.organisation.pk, programme=alice.programme.pk, site=alice.site.pk
        ),
        headers=bearer(bob_token),
    )
    assert response.status_code == 404
    # The same answer as for an object that does not exist.
    missing = client.get(
        url.format(organisation=999_999, programme=999_999, site=999_999),
        headers=bearer(bob_token),
    )
    assert (missing.status_code, missing.json()) == (404, response.json())


@pytest.mark.parametrize("url", ["/api/organisations", "/api/programmes", "/api/sites"])
def test_lists_show_only_own_organisation(client, alice, bob, bob_token, url):
    response = client.get(url, headers=bearer(bob_token))
    assert response.status_code == 200
    names = {item["name"] for item in response.json()["items"]}
    assert names == {bob.organisation.name, bob.programme.name, bob.site.name} & names
    assert names.isdisjoint({alice.organisation.name, alice.programme.name, alice.site.name})


def test_filters_cannot_reach_other_organisation(client, alice, bob_token):
    token = bearer(bob_token)
    response = client.get(f"/api/programmes?organisation={alice.organisation.pk}", headers=token)
    assert response.json() == {"items": [], "count": 0}
    response = client.get(f"/api/sites?programme={alice.programme.pk}", headers=token)
    assert response.json() == {"items": [], "count": 0}


def test_funder_reads_organisation_programmes_and_sites_but_no_person(client, alice, funder):
    raw = api_token_create(user=funder, name="Tableau de bord CAF")[1]
    bodies = []
    for url in (
        "/api/organisations",
        f"/api/organisations/{alice.organisation.pk}",
        "/api/programmes",
        f"/api/programmes/{alice.programme.pk}",
        "/api/sites",
        f"/api/sites/{alice.site.pk}",
    ):
        response = client.get(url, headers=bearer(raw))
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    assert alice.site.name in bodies[4]
    people = [alice.admin, alice.coordinator, alice.professional, funder]
    for body in bodies:
        assert "@" not in body
        assert not any(person.last_name in body for person in people)


def test_prescriber_sees_only_its_own_organisation(client, alice, prescriber):
    raw = api_token_create(user=prescriber, name="Suivi")[1]
    organisations = client.get("/api/organisations", headers=bearer(raw)).json()["items"]
    assert [o["name"] for o in organisations] == ["France Travail Lunel"]
    assert client.get("/api/sites", headers=bearer(raw)).json()["count"] == 0


# --- Lists, filters, details --------------------------------------------------------------


def test_programmes_filtered_by_organisation(client, alice, alice_token):
    ProgrammeFactory(organisation=alice.organisation, name="Cabanes")
    url = f"/api/programmes?organisation={alice.organisation.pk}"
    items = client.get(url, headers=bearer(alice_token)).json()["items"]
    assert [p["name"] for p in items] == ["Cabanes", "Espace Petits Pas"]
    assert items[1] == {
        "id": alice.programme.pk,
        "organisation_id": alice.organisation.pk,
        "name": "Espace Petits Pas",
        "slug": "espace-petits-pas",
        "summary": "",
        "public": "",
        "started_on": None,
        "is_active": True,
    }


def test_sites_filtered_by_programme_and_commune(client, bob, bob_token, lunel_site):
    other_programme = ProgrammeFactory(organisation=bob.organisation, name="Cabanes")
    SiteFactory(programme=other_programme, name="Square", lunel=True)
    token = bearer(bob_token)

    items = client.get(f"/api/sites?programme={bob.programme.pk}", headers=token).json()["items"]
    assert [s["name"] for s in items] == ["Accueil de loisirs Arc-en-Ciel", bob.site.name]

    url = f"/api/sites?programme={bob.programme.pk}&commune_code=34145"
    items = client.get(url, headers=token).json()["items"]
    assert [s["name"] for s in items] == ["Accueil de loisirs Arc-en-Ciel"]
    assert items[0]["organisation_id"] == bob.organisation.pk
    assert items[0]["town"] == "Lunel"
    assert items[0]["school_zone"] == "C"


def test_malformed_commune_code_gets_422(client, bob_token):
    response = client.get("/api/sites?commune_code=Lunel", headers=bearer(bob_token))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "commune_code"]


def test_pagination_is_bounded(client, alice, alice_token):
    for i in range(3):
        SiteFactory(programme=alice.programme, name=f"Lieu {i}")
    token = bearer(alice_token)
    page = client.get("/api/sites?limit=2&offset=1", headers=token).json()
    assert page["count"] == 4
    assert [s["name"] for s in page["items"]] == ["Lieu 1", "Lieu 2"]
    assert client.get("/api/sites?limit=101", headers=token).status_code == 422
    assert client.get(f"/api/sites?offset={2**64}", headers=token).status_code == 422


def test_site_detail_has_its_rules(client, bob, bob_token, lunel_site):
    WeeklyOpeningFactory(
        site=lunel_site,
        weekday=2,
        half_day="pm",
        opens_at=datetime.time(13, 30),
        closes_at=datetime.time(17, 0),
        school_holidays=SchoolHolidayRule.TERM_ONLY,
    )
    SiteClosure.objects.create(
        site=lunel_site,
        starts_on=datetime.date(2025, 5, 26),
        ends_on=datetime.date(2025, 5, 26),
        half_day="am",
        reason="Formation",
    )
    SiteRelocation.objects.create(
        site=lunel_site, starts_on=datetime.date(2025, 6, 1), place_name="Salle Castel"
    )
    site = client.get(f"/api/sites/{lunel_site.pk}", headers=bearer(bob_token)).json()
    assert site["name"] == "Accueil de loisirs Arc-en-Ciel"
    assert site["weekly_openings"] == [
        {
            "weekday": 0,
            "half_day": "am",
            "opens_at": "08:30",
            "closes_at": "12:15",
            "school_holidays": "always",
        },
        {
            "weekday": 2,
            "half_day": "pm",
            "opens_at": "13:30",
            "closes_at": "17:00",
            "school_holidays": "term",
        },
    ]
    assert site["closures"] == [
        {
            "starts_on": "2025-05-26",
            "ends_on": "2025-05-26",
            "half_day": "am",
            "reason": "Formation",
        }
    ]
    assert site["relocations"] == [
        {
            "starts_on": "2025-06-01",
            "ends_on": None,
            "place_name": "Salle Castel",
            "address": "",
            "reason": "",
        }
    ]


# --- Openings -----------------------------------------------------------------------------


def test_openings_follow_the_calendar(client, bob_token, lunel_site):
    url = openings_url(lunel_site, start="2025-03-10", end="2025-04-28")
    response = client.get(url, headers=bearer(bob_token))
    assert response.status_code == 200
    body = response.json()
    assert body["site_id"] == lunel_site.pk
    assert (body["start"], body["end"]) == ("2025-03-10", "2025-04-28")
    assert body["openings"][0] == {
        "day": "2025-03-10",
        "half_day": "am",
        "opens_at": "08:30",
        "closes_at": "12:15",
        "place_name": "Accueil de loisirs Arc-en-Ciel",
        "address": "73 rue de l'École du Parc",
        "relocated": False,
    }
    days = [opening["day"] for opening in body["openings"]]
    # Every Monday but Easter Monday (21 April 2025).
    assert days == [
        "2025-03-10",
        "2025-03-17",
        "2025-03-24",
        "2025-03-31",
        "2025-04-07",
        "2025-04-14",
        "2025-04-28",
    ]


def test_openings_skip_school_holidays_for_term_only_rules(client, bob_token, lunel_site):
    WeeklyOpeningFactory(
        site=lunel_site,
        half_day="pm",
        opens_at=datetime.time(13, 30),
        closes_at=datetime.time(17, 0),
        school_holidays=SchoolHolidayRule.TERM_ONLY,
    )
    # 7 and 14 April 2025: before and during the spring holidays of zone C.
    response = client.get(
        openings_url(lunel_site, start="2025-04-07", end="2025-04-14"), headers=bearer(bob_token)
    )
    slots = [(o["day"], o["half_day"]) for o in response.json()["openings"]]
    assert slots == [("2025-04-07", "am"), ("2025-04-07", "pm"), ("2025-04-14", "am")]


def test_openings_show_relocations(client, bob_token, lunel_site):
    SiteRelocation.objects.create(
        site=lunel_site,
        starts_on=datetime.date(2025, 3, 17),
        place_name="Centre de PMI",
        address="2 place de la République",
    )
    response = client.get(
        openings_url(lunel_site, start="2025-03-10", end="2025-03-17"), headers=bearer(bob_token)
    )
    relocated = [(o["day"], o["place_name"], o["relocated"]) for o in response.json()["openings"]]
    assert relocated == [
        ("2025-03-10", "Accueil de loisirs Arc-en-Ciel", False),
        ("2025-03-17", "Centre de PMI", True),
    ]


def test_openings_default_to_eight_weeks_from_today(client, bob_token, lunel_site):
    body = client.get(openings_url(lunel_site), headers=bearer(bob_token)).json()
    today = timezone.localdate()
    assert body["start"] == today.isoformat()
    assert body["end"] == (today + datetime.timedelta(days=55)).isoformat()
    assert 6 <= len(body["openings"]) <= 8  # 8 Mondays in 56 days, less public holidays


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2025-03-10", "end": "2025-03-09"}, "end", END_BEFORE_START),
        ({"start": "2025-01-01", "end": "2026-01-02"}, "end", RANGE_TOO_LONG),
        ({"start": "2090-01-01", "end": "2101-01-01"}, "end", "Les dates doivent être"),
        ({"start": "1999-12-31"}, "start", "Les dates doivent être"),
        ({"start": "9999-12-31"}, "start", "Les dates doivent être"),
    ],
)
def test_bad_openings_range_gets_422_with_a_clear_message(
    client, bob_token, lunel_site, params, field, message
):
    response = client.get(openings_url(lunel_site, **params), headers=bearer(bob_token))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", field]
    assert error["msg"].startswith(message)


def test_a_full_year_is_allowed(client, bob_token, lunel_site):
    url = openings_url(lunel_site, start="2024-01-01", end="2024-12-31")  # 366 days
    response = client.get(url, headers=bearer(bob_token))
    assert response.status_code == 200
    # 53 Mondays, 4 of them public holidays (1 January, Easter, Whit Monday, 11 November).
    assert len(response.json()["openings"]) == 49


def test_malformed_date_gets_422(client, bob_token, lunel_site):
    response = client.get(openings_url(lunel_site, start="2025-02-30"), headers=bearer(bob_token))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "start"]


def test_unknown_school_calendar_gets_422_with_the_reason(client, bob_token, lunel_site):
    WeeklyOpeningFactory(
        site=lunel_site, weekday=1, school_holidays=SchoolHolidayRule.HOLIDAYS_ONLY
    )
    response = client.get(
        openings_url(lunel_site, start="2095-01-01", end="2095-01-31"), headers=bearer(bob_token)
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "school_calendar_unavailable"
    assert "vacances scolaires" in error["msg"]


# --- Query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/organisations", "/api/programmes", "/api/sites"])
def test_lists_run_a_fixed_number_of_queries(
    client, alice, alice_token, url, django_assert_num_queries
):
    for i in range(5):
        programme = ProgrammeFactory(organisation=alice.organisation, name=f"Programme {i}")
        SiteFactory(programme=programme)
    client.get(url, headers=bearer(alice_token))  # records the token's first use
    # The token, the user's memberships, the count, the page.
    with django_assert_num_queries(4):
        response = client.get(url, headers=bearer(alice_token))
    assert response.json()["count"] >= 1


def test_site_detail_and_openings_run_a_fixed_number_of_queries(
    client, bob_token, lunel_site, django_assert_num_queries
):
    for weekday in range(1, 5):
        WeeklyOpeningFactory(site=lunel_site, weekday=weekday)
    SiteClosure.objects.create(
        site=lunel_site,
        starts_on=datetime.date(2025, 3, 12),
        ends_on=datetime.date(2025, 3, 14),
        reason="Travaux",
    )
    token = bearer(bob_token)
    client.get(f"/api/sites/{lunel_site.pk}", headers=token)
    # The token, the user's memberships, the site with its programme, weekly openings,
    # closures, relocations.
    with django_assert_num_queries(6):
        client.get(f"/api/sites/{lunel_site.pk}", headers=token)
    with django_assert_num_queries(6):
        response = client.get(
            openings_url(lunel_site, start="2025-03-10", end="2025-06-30"), headers=token
        )
    assert len(response.json()["openings"]) > 50


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("/api/programmes?organisation=99999999999999999999", ["query", "organisation"]),
        ("/api/programmes?organisation=0", ["query", "organisation"]),
        ("/api/sites?programme=-1", ["query", "programme"]),
        ("/api/organisations/99999999999999999999", ["path", "organisation_id"]),
        ("/api/programmes/99999999999999999999", ["path", "programme_id"]),
        ("/api/sites/99999999999999999999", ["path", "site_id"]),
        ("/api/sites/99999999999999999999/openings", ["path", "site_id"]),
    ],
)
def test_ids_beyond_any_row_get_422_not_a_server_error(client, bob_token, url, where):
    """SQLite cannot compare an integer beyond 64 bits: such an id is refused up front."""
    response = client.get(url, headers=bearer(bob_token))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == where


def test_schema_declares_the_bounds_of_ids(client, db):
    schema = client.get("/api/openapi.json").json()
    programmes = schema["paths"]["/api/programmes"]["get"]["parameters"]
    [organisation] = [p for p in programmes if p["name"] == "organisation"]
    [bounded] = [s for s in organisation["schema"]["anyOf"] if s["type"] == "integer"]
    assert (bounded["minimum"], bounded["maximum"]) == (1, MAX_ID)
    site = schema["paths"]["/api/sites/{site_id}"]["get"]["parameters"][0]
    assert (site["schema"]["minimum"], site["schema"]["maximum"]) == (1, MAX_ID)
