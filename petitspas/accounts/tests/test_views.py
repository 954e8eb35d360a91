import pytest
from django.urls import reverse

from petitspas.accounts.models import ApiToken, hash_token
from petitspas.accounts.services import api_token_authenticate
from petitspas.accounts.tests.factories import PASSWORD
from petitspas.core.models import AuditEntry


def test_member_signs_in_with_email_and_password(client, alice):
    # A professional: no second factor is due (test_mfa.py signs the others in).
    response = client.post(
        reverse("accounts:login"),
        {"username": alice.professional.email.upper(), "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("web:home")).context["user"] == alice.professional


def test_wrong_password_gets_a_french_message(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": alice.coordinator.email, "password": "non"}
    )
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_token_is_shown_once_and_stored_hashed(client, alice):
    client.force_login(alice.professional)
    response = client.post(reverse("accounts:account"), {"name": "tableur"})
    raw = response.context["new_token"]
    assert raw.startswith("pp_")
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=alice.professional)
    assert token.key_hash == hash_token(raw)
    assert raw not in (token.key_hash, token.hint)
    assert raw not in client.get(reverse("accounts:account")).content.decode()
    assert api_token_authenticate(raw) == alice.professional
    assert AuditEntry.objects.filter(action="api_token.create", actor=alice.professional).exists()


def test_token_without_a_name_is_refused_in_french(client, alice):
    client.force_login(alice.professional)
    response = client.post(reverse("accounts:account"), {"name": ""})
    assert "Donnez un nom au jeton." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_token_no_longer_authenticates(client, alice):
    client.force_login(alice.professional)
    raw = client.post(reverse("accounts:account"), {"name": "t"}).context["new_token"]
    token = ApiToken.objects.get()
    response = client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(raw) is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_else_can_revoke_a_token(client, alice, bob, method):
    token = ApiToken.objects.create(user=alice.admin, name="t", key_hash="y" * 64, hint="pp_y")
    client.force_login(alice.coordinator)
    response = getattr(client, method)(reverse("accounts:api-token-revoke", args=[token.pk]))
    assert response.status_code == (404 if method == "post" else 405)
    token.refresh_from_db()
    assert token.revoked_at is None
