"""A person who forgot their password gets a link by e-mail, chooses a new one and signs in;
an invited person accepts the invitation. On a 390×844 phone."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from petitspas.accounts.tests.browser import sign_in
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
NEW_PASSWORD = "les cabanes du parc en juin"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


def path_in(message, prefix) -> str:
    return re.search(rf"http://[^/\s]+({prefix}\S+)", message.body)[1]


def test_forgotten_password_by_email_then_sign_in(phone, live_server, alice):
    page = phone
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
    page.get_by_label("Adresse électronique").fill(alice.coordinator.email)
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")

    [message] = mail.outbox
    page.goto(live_server.url + path_in(message, "/compte/mot-de-passe/nouveau/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    # Too short first: a French message, and the page stays usable.
    page.get_by_label("Nouveau mot de passe").first.fill("court")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("court")
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(page.get_by_text("Ce mot de passe est trop court")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "password-reset-phone.png", full_page=True)
    page.get_by_label("Nouveau mot de passe").first.fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe enregistré")

    page.get_by_role("link", name="Se connecter").last.click()
    sign_in(page, live_server, alice.coordinator.email, NEW_PASSWORD)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    # "Mon compte": one's own name, and the way to change the password.
    page.goto(f"{live_server.url}/compte/")
    page.get_by_label("Nom", exact=True).fill("Martin-Lefèvre")
    page.get_by_role("button", name="Enregistrer mon nom").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre nom est enregistré.")
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Martin-Lefèvre")
    expect(page.get_by_role("link", name="Changer de mot de passe")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "account-phone.png", full_page=True)

    # The link served once.
    page.goto(live_server.url + path_in(message, "/compte/mot-de-passe/nouveau/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien n'est plus valable")


def test_invited_person_accepts_and_the_admin_sees_them_active(phone, browser, live_server, alice):
    admin = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    sign_in(admin, live_server, alice.admin.email, "mot-de-passe-de-test-1")
    admin.goto(f"{live_server.url}/organisations/{alice.organisation.pk}/membres/inviter/")
    admin.get_by_label("Adresse électronique").fill("nadia.benali@exemple.fr")
    admin.get_by_label("Prénom").fill("Nadia")
    admin.get_by_label("Nom", exact=True).fill("Benali")
    admin.get_by_label("Rôle").select_option(label="Professionnel")
    admin.get_by_role("button", name="Envoyer l'invitation").click()
    row = admin.get_by_role("row").filter(has_text="nadia.benali@exemple.fr")
    expect(row).to_contain_text("Invitation envoyée")
    admin.screenshot(path=SCREENSHOTS / "members-invited.png", full_page=True)

    page = phone
    page.goto(live_server.url + path_in(mail.outbox[0], "/organisations/invitation/"))
    page.get_by_label("Nouveau mot de passe").first.fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    sign_in(page, live_server, "nadia.benali@exemple.fr", NEW_PASSWORD)

    admin.reload()
    expect(row).to_contain_text("Actif")
    # Another invitation, revoked: the edit page shows it and offers to send it again.
    admin.goto(f"{live_server.url}/organisations/{alice.organisation.pk}/membres/inviter/")
    admin.get_by_label("Adresse électronique").fill("sami.haddad@exemple.fr")
    admin.get_by_label("Prénom").fill("Sami")
    admin.get_by_label("Nom", exact=True).fill("Haddad")
    admin.get_by_label("Rôle").select_option(label="Partenaire")
    admin.get_by_role("button", name="Envoyer l'invitation").click()
    admin.get_by_role("link", name="Modifier les droits de sami.haddad@exemple.fr").click()
    admin.get_by_role("button", name="Annuler l'invitation").click()
    expect(admin.get_by_role("status").first).to_contain_text("est annulée")
    expect(admin.get_by_role("button", name="Renvoyer l'invitation")).to_be_visible()
    admin.screenshot(path=SCREENSHOTS / "member-invitation-revoked.png", full_page=True)
    admin.context.close()


def test_a_locked_person_is_told_when_to_retry_and_how_to_get_in(
    phone, live_server, alice, settings
):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    page = phone
    for _ in range(2):
        page.goto(f"{live_server.url}/compte/connexion/")
        page.get_by_label("Adresse électronique").fill(alice.coordinator.email)
        page.get_by_label("Mot de passe").fill("pas le bon")
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion bloquée pour le moment")
    expect(page.get_by_role("alert")).to_contain_text("réessayez après")
    page.screenshot(path=SCREENSHOTS / "lockout-phone.png", full_page=True)
    page.get_by_role("link", name="Réinitialiser mon mot de passe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
