"""The installable app: the manifest, the service worker and their place in the CSP."""

import json
import re

from django.urls import reverse

from petitspas.core.offline import OFFLINE_HEADER


def test_the_manifest_makes_petits_pas_installable_in_french(client):
    response = client.get(reverse("web:manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Petits Pas"
    assert manifest["lang"] == "fr"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#000091"
    assert manifest["start_url"] == reverse("attendance:today")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_the_manifest_s_icons_are_served(client):
    manifest = json.loads(client.get(reverse("web:manifest")).content)

    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_page_links_the_manifest_and_the_worker(client):
    page = client.get(reverse("web:home")).content.decode()

    assert f'<link rel="manifest" href="{reverse("web:manifest")}">' in page
    assert f'data-pp-worker="{reverse("web:service-worker")}"' in page
    # DSFR's own manifest would make another app.
    assert "dsfr/dist/favicon/manifest.webmanifest" not in page


def test_the_worker_is_served_at_the_root_for_everyone_and_never_cached(client, alice):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(alice.professional)
        response = client.get(reverse("web:service-worker"))

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
        assert response["Service-Worker-Allowed"] == "/"
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def constant(worker: str, name: str) -> str:
    """A string constant of the worker's source (escaped for JavaScript, as JSON reads it)."""
    return json.loads(re.search(rf'var {name} = ("[^"]*");', worker)[1])


def test_the_worker_keeps_only_what_the_server_opts_in(client):
    worker = client.get(reverse("web:service-worker")).content.decode()

    assert constant(worker, "HEADER") == OFFLINE_HEADER
    assert constant(worker, "FIELD_PREFIX") == reverse("attendance:today")
    assert constant(worker, "STATIC_PREFIX") == "/static/"
    assert "var MAX_AGE = 7 * 24 * 3600 * 1000;" in worker
    assert "{{" not in worker and "{%" not in worker


def test_the_csp_lets_our_worker_and_manifest_in_and_nothing_else(client):
    policy = client.get(reverse("web:home"))["Content-Security-Policy"]

    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
