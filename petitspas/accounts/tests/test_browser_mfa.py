"""A coordinator, on a 390×844 phone, signs in for the first time: the password, then
enrolment (the secret read from the page as a person would type it into an application),
recovery codes; signs out, and back in with a wrong code, then the right one."""

import base64
import time
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from petitspas.accounts.mfa import WRONG_CODE
from petitspas.accounts.tests.factories import PASSWORD
from petitspas.accounts.tests.mfa import totp_code
from petitspas.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def code_for(secret: str) -> str:
    raw = secret.replace(" ", "")
    totp = TOTP(base64.b32decode(raw + "=" * (-len(raw) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


def password_step(page, live_server, email):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_coordinator_enrols_then_signs_in_with_a_code(browser, live_server, alice):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    password_step(page, live_server, alice.coordinator.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.locator("figure svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "mfa-enrol-phone.png", full_page=True)

    secret = page.locator("#cle-secrete").inner_text()
    page.get_by_label("Code de vérification").fill(code_for(secret))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    expect(page.locator("#codes-de-secours li")).to_have_count(10)
    page.screenshot(path=SCREENSHOTS / "mfa-recovery-codes-phone.png", full_page=True)
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")

    page.get_by_role("button", name="Menu").click()  # on a phone, sign-out is in the menu
    page.locator("#menu-principal").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_attached()
    password_step(page, live_server, alice.coordinator.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    page.get_by_label("Code de vérification").fill("000000")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text(WRONG_CODE)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "mfa-wrong-code-phone.png", full_page=True)

    device = TOTPDevice.objects.get(user=alice.coordinator)
    device.throttle_reset()  # the wait after a wrong code, without sleeping
    page.get_by_label("Code de vérification").fill(totp_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.goto(f"{live_server.url}/familles/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familles")
    context.close()
