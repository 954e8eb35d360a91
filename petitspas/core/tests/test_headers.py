"""Every page carries the Content-Security-Policy, Permissions-Policy and Referrer-Policy;
X-Forwarded-Proto is believed only when configured."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["web:home", "accounts:login", "agenda:index"]
STAFF_PAGES = [
    "web:home",
    "attendance:today",
    "activities:my-week",
    "families:household-list",
    "families:household-create",
    "places:site-list",
    "accounts:account",
]


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure_headers(response):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_carry_the_security_headers(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_secure_headers(response)


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_carry_the_security_headers(client, alice, name):
    client.force_login(alice.coordinator)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_secure_headers(response)


def test_map_tiles_may_come_from_openstreetmap_only(client):
    csp = policy(client.get(reverse("agenda:index")))

    assert csp["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_the_api_and_the_feeds_carry_the_policy_too(client, alice):
    response = client.get(reverse("api:organisation_list"))

    assert response.status_code == 401
    assert_secure_headers(response)


def test_no_template_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    inline_script = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
    hx_on = re.compile(r"\shx-on[:-]", re.IGNORECASE)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if inline_script.search(text := path.read_text())
        or handler.search(text)
        or hx_on.search(text)
    ]

    assert offenders == []


def test_x_forwarded_proto_is_ignored_unless_trusted(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None

    response = client.get(reverse("healthz"), HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_x_forwarded_proto_is_believed_when_trusted(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get(reverse("healthz"), HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
