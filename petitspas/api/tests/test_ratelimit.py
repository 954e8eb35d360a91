"""The API is limited per token (per person for the docs page's session), and calls without
a valid credential per address, so that tokens cannot be guessed at speed."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from petitspas.accounts.services import api_token_create
from petitspas.core.client_ip import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters(time_machine):
    """No counter from another test; the clock stands still, so no window ends mid-test."""
    cache.clear()
    time_machine.move_to(timezone.now(), tick=False)
    yield
    cache.clear()


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def url() -> str:
    return reverse("api:organisation_list")


def test_a_token_past_its_rate_gets_429_and_another_token_does_not(client, settings, alice):
    settings.RATELIMIT_API = "3/m"
    first = api_token_create(user=alice.professional, name="Script 1")[1]
    second = api_token_create(user=alice.coordinator, name="Script 2")[1]
    for _ in range(3):
        assert client.get(url(), **bearer(first)).status_code == 200

    response = client.get(url(), **bearer(first))

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Retry-After" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert client.get(url(), **bearer(second)).status_code == 200


def test_the_token_limit_follows_the_token_not_the_address(client, settings, alice):
    settings.RATELIMIT_API = "2/m"
    raw = api_token_create(user=alice.professional, name="Script")[1]
    assert client.get(url(), REMOTE_ADDR="203.0.113.1", **bearer(raw)).status_code == 200
    assert client.get(url(), REMOTE_ADDR="203.0.113.2", **bearer(raw)).status_code == 200

    assert client.get(url(), REMOTE_ADDR="203.0.113.3", **bearer(raw)).status_code == 429


def test_wrong_tokens_are_limited_per_address(client, settings):
    settings.RATELIMIT_API_ANONYMOUS = "3/m"
    for n in range(3):
        response = client.get(url(), REMOTE_ADDR="203.0.113.7", **bearer(f"pp_guess{n}"))
        assert response.status_code == 401

    response = client.get(url(), REMOTE_ADDR="203.0.113.7", **bearer("pp_guess4"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    other = client.get(url(), REMOTE_ADDR="203.0.113.8", **bearer("pp_guess5"))
    assert other.status_code == 401


def test_calls_without_credential_are_limited_per_address(client, settings):
    settings.RATELIMIT_API_ANONYMOUS = "2/m"
    assert client.get(url()).status_code == 401
    assert client.get(url()).status_code == 401

    assert client.get(url()).status_code == 429


def test_the_docs_page_session_counts_per_person(client, settings, alice):
    settings.RATELIMIT_API = "2/m"
    client.force_login(alice.professional)
    assert client.get(url()).status_code == 200
    assert client.get(url()).status_code == 200

    assert client.get(url()).status_code == 429


def test_a_valid_token_does_not_spend_the_address_budget(client, settings, alice):
    settings.RATELIMIT_API_ANONYMOUS = "1/m"
    raw = api_token_create(user=alice.professional, name="Script")[1]
    for _ in range(3):
        assert client.get(url(), **bearer(raw)).status_code == 200

    assert client.get(url()).status_code == 401


def test_the_address_is_remote_addr_unless_proxies_are_trusted(rf, settings):
    # The client forged the first entry; the proxy appended the address it saw.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"

    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.9"

    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"


def test_a_forged_header_does_not_escape_the_limit_behind_a_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_API_ANONYMOUS = "1/m"
    assert client.get(url(), HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.9").status_code == 401

    response = client.get(url(), HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.9")

    assert response.status_code == 429
