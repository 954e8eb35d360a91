"""Sign in through the real forms in a browser test."""

from playwright.sync_api import expect

from petitspas.accounts.mfa import has_second_factor, mfa_required
from petitspas.accounts.models import User
from petitspas.accounts.tests.factories import PASSWORD
from petitspas.accounts.tests.mfa import enrolled_device, totp_code


def sign_in(page, live_server, email: str, password: str = PASSWORD):
    """Sign in through the real forms, password then code when the account has a device
    (or must have one: it is then enrolled with a known key first)."""
    user = User.objects.get(email=email)
    device = enrolled_device(user) if mfa_required(user) or has_second_factor(user) else None
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
        page.get_by_label("Code de vérification").fill(totp_code(device))
        page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
