"""Sign-in lockout (django-axes): it holds the pair of an account and an address."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from petitspas.accounts.services import api_token_create
from petitspas.accounts.tests.factories import PASSWORD
from petitspas.core.client_ip import client_ip

LOGIN = "/compte/connexion/"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(client, email, password, ip="198.51.100.1", **headers):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
        **headers,
    )


def lock(client, email, ip="198.51.100.1", **headers):
    for _ in range(3):
        sign_in(client, email, "mauvais-mot-de-passe", ip, **headers)


def test_failures_lock_the_account_from_that_address_with_a_french_page(client, alice):
    lock(client, alice.coordinator.email)
    response = sign_in(client, alice.coordinator.email, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    body = response.content.decode()
    assert "Connexion bloquée pour le moment" in body
    assert "pendant 30 minutes" in body
    assert reverse("accounts:password-reset") in body
    assert "_auth_user_id" not in client.session


def test_varying_the_case_of_the_address_does_not_escape_the_lock(client, alice):
    for email in ("ALICE-coordinator@exemple.fr", "alice-Coordinator@exemple.fr"):
        sign_in(client, email, "mauvais")
    assert sign_in(client, alice.coordinator.email, "mauvais").status_code == 429


def test_a_lock_from_one_address_does_not_lock_the_account_elsewhere(client, alice):
    lock(client, alice.coordinator.email, ip="203.0.113.66")
    response = sign_in(client, alice.coordinator.email, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.coordinator.pk)


def test_made_up_accounts_from_one_address_do_not_lock_a_real_person_there(client, alice):
    for n in range(10):
        sign_in(client, f"invente{n}@exemple.fr", "n-importe-quoi")
    response = sign_in(client, alice.coordinator.email, PASSWORD)
    assert response.status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    lock(client, alice.coordinator.email, HTTP_X_FORWARDED_FOR="203.0.113.1")
    # Changing the header does not give a fresh counter: the address is REMOTE_ADDR.
    response = sign_in(
        client, alice.coordinator.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.2"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}


def test_behind_a_trusted_proxy_each_client_has_its_own_counter(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"
    lock(client, alice.coordinator.email, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1")
    locked = sign_in(
        client, alice.coordinator.email, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1"
    )
    assert locked.status_code == 429
    # Someone else behind the same proxy signs in.
    other = sign_in(
        client, alice.coordinator.email, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert other.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.1"}


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.1", "10.0.0.5"),
        # The client may write anything on the left; the proxy appends the real address.
        (1, "6.6.6.6, 203.0.113.1", "203.0.113.1"),
        (1, "203.0.113.1", "203.0.113.1"),
        (2, "6.6.6.6, 203.0.113.1, 10.0.0.9", "203.0.113.1"),
        # A request that bypassed a proxy: too short a header, REMOTE_ADDR counts.
        (2, "203.0.113.1", "10.0.0.5"),
        (1, "", "10.0.0.5"),
    ],
)
def test_client_address_is_read_through_the_trusted_proxies(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def test_a_password_reset_lifts_the_lock(client, alice):
    lock(client, alice.coordinator.email)
    assert sign_in(client, alice.coordinator.email, PASSWORD).status_code == 429

    client.post(reverse("accounts:password-reset"), {"email": alice.coordinator.email})
    link = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]
    new_password = "une phrase assez longue 2030"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302

    assert not AccessAttempt.objects.filter(username=alice.coordinator.email).exists()
    assert sign_in(client, alice.coordinator.email, new_password).status_code == 302


def test_api_tokens_keep_working_while_the_sign_in_is_locked(client, alice):
    _, raw = api_token_create(user=alice.coordinator, name="tableur")
    lock(client, alice.coordinator.email)
    assert sign_in(client, alice.coordinator.email, PASSWORD).status_code == 429
    response = client.get("/api/programmes", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
