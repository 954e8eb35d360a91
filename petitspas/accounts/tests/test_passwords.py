"""Password reset by e-mail, password change, and one's own name."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from petitspas.accounts.tests.factories import PASSWORD, UserFactory
from petitspas.core.models import AuditEntry

NEW_PASSWORD = "une phrase assez longue 2030"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def request_reset(client, email, ip="198.51.100.1"):
    return client.post(reverse("accounts:password-reset"), {"email": email}, REMOTE_ADDR=ip)


def reset_link(message) -> str:
    return re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+)", message.body)[1]


def test_sign_in_page_links_to_the_forgotten_password_form(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "Mot de passe oublié ?" in body
    assert reverse("accounts:password-reset") in body


def test_reset_mails_a_french_single_use_link_then_the_new_password_signs_in(client, alice):
    response = request_reset(client, alice.professional.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    [message] = mail.outbox
    assert message.to == [alice.professional.email]
    assert message.subject == "Petits Pas : choisir un nouveau mot de passe"
    assert "valable 24 heures" in message.body

    form_url = client.get(reset_link(message))["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password-reset-complete")
    assert AuditEntry.objects.filter(
        action="user.password_reset", actor=alice.professional
    ).exists()
    assert client.login(username=alice.professional.email, password=NEW_PASSWORD)

    # The link served once: the same link now shows the French dead-end page.
    client.logout()
    response = client.get(reset_link(message), follow=True)
    body = response.content.decode()
    assert "Ce lien n'est plus valable" in body
    assert reverse("accounts:password-reset") in body


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, alice):
    known = request_reset(client, alice.professional.email)
    unknown = request_reset(client, "personne-inconnue@exemple.fr")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    page = client.get(known["Location"]).content.decode()
    assert "Si un compte Petits Pas correspond à cette adresse" in page


def test_a_tampered_link_gets_a_french_page_with_a_way_to_ask_again(client, alice):
    request_reset(client, alice.professional.email)
    link = reset_link(mail.outbox[0])
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa/") else "bbb") + "/"
    body = client.get(tampered, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in body
    assert "Demander un nouveau lien" in body


def test_an_expired_link_gets_the_french_page(client, alice, travel):
    travel(datetime.date(2030, 1, 1))
    request_reset(client, alice.professional.email)
    link = reset_link(mail.outbox[0])
    travel(datetime.date(2030, 1, 3))
    body = client.get(link, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in body


def test_a_short_new_password_is_refused_in_french_and_keeps_the_link(client, alice):
    request_reset(client, alice.professional.email)
    form_url = client.get(reset_link(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "court", "new_password2": "court"})
    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.content.decode()
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert "Les deux mots de passe ne sont pas identiques." in response.content.decode()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Indiquez votre adresse électronique."),
        ("pas-une-adresse", "Cette adresse électronique n&#x27;est pas valide."),
        ("a" * 250 + "@exemple.fr", "254 caractères au plus"),
    ],
)
def test_a_bad_address_is_refused_in_french_and_kept(client, db, email, message):
    response = request_reset(client, email)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert f'value="{email}"' in body or not email
    assert mail.outbox == []


def test_reset_requests_are_limited_per_address_typed(client, alice, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "2/h"
    for n in range(2):
        assert (
            request_reset(client, alice.professional.email, ip=f"198.51.100.{n}").status_code == 302
        )
    response = request_reset(client, alice.professional.email, ip="198.51.100.9")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert len(mail.outbox) == 2
    # Another address is not held up, and an unknown one counts the same way.
    assert request_reset(client, alice.coordinator.email).status_code == 302
    for _ in range(2):
        request_reset(client, "inconnu@exemple.fr")
    assert request_reset(client, "inconnu@exemple.fr").status_code == 429


def test_reset_requests_are_limited_per_client_address(client, db, settings):
    settings.PASSWORD_RESET_RATE_PER_IP = "3/h"
    for n in range(3):
        assert request_reset(client, f"p{n}@exemple.fr").status_code == 302
    response = request_reset(client, "p9@exemple.fr")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert request_reset(client, "p9@exemple.fr", ip="203.0.113.5").status_code == 302


def test_a_member_changes_their_password(client, alice):
    client.force_login(alice.coordinator)
    account = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:password-change") in account
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Votre mot de passe actuel est incorrect." in response.content.decode()
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password-change-done")
    # Still signed in on this device (the session hash follows the new password).
    assert client.get(reverse("accounts:account")).status_code == 200
    assert AuditEntry.objects.filter(action="user.password_change").count() == 1
    client.logout()
    assert client.login(username=alice.coordinator.email, password=NEW_PASSWORD)


def test_password_change_needs_a_signed_in_person(client):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_a_member_edits_their_own_name_and_it_is_logged(client, alice):
    client.force_login(alice.professional)
    response = client.post(
        reverse("accounts:profile-edit"), {"first_name": " Inès ", "last_name": "Benali"}
    )
    assert response["Location"] == reverse("accounts:account")
    alice.professional.refresh_from_db()
    assert alice.professional.get_full_name() == "Inès Benali"
    entry = AuditEntry.objects.get(action="user.update_name")
    assert entry.actor == alice.professional
    assert entry.details == {"changed": ["first_name", "last_name"]}


def test_an_empty_name_is_refused_in_french_and_keeps_what_was_typed(client, alice):
    client.force_login(alice.professional)
    response = client.post(
        reverse("accounts:profile-edit"), {"first_name": "Inès", "last_name": ""}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Indiquez votre nom." in body
    assert 'value="Inès"' in body
    assert not AuditEntry.objects.filter(action="user.update_name").exists()


def test_name_edit_by_get_goes_back_to_the_account_page(client, alice):
    client.force_login(alice.professional)
    response = client.get(reverse("accounts:profile-edit"))
    assert response["Location"] == reverse("accounts:account")


def test_inactive_accounts_get_no_reset_mail(client, db):
    UserFactory(email="partie@exemple.fr", is_active=False)
    assert request_reset(client, "partie@exemple.fr").status_code == 302
    assert mail.outbox == []
