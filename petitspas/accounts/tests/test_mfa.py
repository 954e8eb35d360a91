import base64
import datetime
import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from petitspas.accounts.mfa import THROTTLED, WRONG_CODE
from petitspas.accounts.services import api_token_create
from petitspas.accounts.tests.factories import PASSWORD, UserFactory
from petitspas.accounts.tests.mfa import enrolled_device, totp_code
from petitspas.core.models import AuditEntry

FAMILIES = "/familles/"


def sign_in_password(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def code_from_page(html: str) -> str:
    """What a person types into their application: the secret shown beside the QR code."""
    secret = re.search(r'<code id="cle-secrete"[^>]*>([A-Z2-7 ]+)</code>', html).group(1)
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    return f"{totp.token():06d}"


# --- Who must have a second factor ---------------------------------------------------------


def test_coordinator_without_a_device_is_sent_to_enrolment(client, alice):
    client.force_login(alice.coordinator, verified=False)
    response = client.get(FAMILIES)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:mfa-enrol')}?next=%2Ffamilles%2F"


def test_coordinator_with_a_device_but_no_code_is_sent_to_the_code_step(client, alice):
    enrolled_device(alice.coordinator)
    client.force_login(alice.coordinator, verified=False)
    response = client.get(FAMILIES)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:mfa-verify')}?next=%2Ffamilles%2F"
    # Enrolling another device is no way around the code.
    assert client.get(reverse("accounts:mfa-enrol"))["Location"] == reverse("accounts:mfa-verify")


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_admins_and_coordinators_owe_a_second_factor(client, alice, role):
    client.force_login(getattr(alice, role), verified=False)
    assert client.get(reverse("accounts:account")).status_code == 302


def test_funder_and_platform_admin_owe_a_second_factor(client, funder):
    for user in (funder, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(user, verified=False)
        assert client.get(reverse("web:home"))["Location"].startswith(reverse("accounts:mfa-enrol"))


def test_professional_goes_on_without_a_second_factor(client, alice):
    client.force_login(alice.professional, verified=False)
    assert client.get(FAMILIES).status_code == 200


def test_unverified_session_gets_401_from_the_api_but_a_token_still_works(client, alice):
    client.force_login(alice.coordinator, verified=False)
    response = client.get("/api/organisations")
    assert response.status_code == 401
    assert "Double authentification requise" in response.json()["detail"]
    # A token is made for a script, from a verified session; it carries no session.
    _, raw = api_token_create(user=alice.coordinator, name="script")
    client.logout()
    response = client.get("/api/organisations", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_sign_out_stays_open_before_the_code(client, alice):
    client.force_login(alice.coordinator, verified=False)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(FAMILIES)["Location"].startswith(reverse("accounts:login"))


# --- Enrolment -----------------------------------------------------------------------------


def test_coordinator_enrols_and_gets_recovery_codes_once(client, alice):
    response = sign_in_password(client, alice.coordinator, next_url=FAMILIES)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:mfa-enrol"))
    html = response.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main")[1].split("</main>")[0]

    wrong = client.post(
        reverse("accounts:mfa-enrol"), {"code": "000000", "next": FAMILIES}, follow=False
    )
    assert WRONG_CODE in wrong.content.decode()
    assert wrong.context["form"]["code"].value() == "000000"  # what was typed stays
    # The same secret is shown again: the QR code already scanned still counts.
    assert code_from_page(wrong.content.decode()) == code_from_page(html)

    TOTPDevice.objects.get(user=alice.coordinator).throttle_reset()  # after the wait
    response = client.post(
        reverse("accounts:mfa-enrol"), {"code": code_from_page(html), "next": FAMILIES}
    )
    assert response["Location"] == f"{reverse('accounts:mfa-recovery-codes')}?next=%2Ffamilles%2F"
    page = client.get(response["Location"])
    codes = page.context["codes"]
    assert len(codes) == 10
    assert all(code in page.content.decode() for code in codes)
    assert not client.get(reverse("accounts:mfa-recovery-codes")).context["codes"]
    assert client.get(FAMILIES).status_code == 200
    device = TOTPDevice.objects.get(user=alice.coordinator)
    assert device.confirmed
    assert AuditEntry.objects.filter(action="mfa.enrol", actor=alice.coordinator).exists()


def test_a_throttled_code_is_refused_even_when_right(client, alice, travel):
    travel(datetime.date(2030, 1, 7))
    client.force_login(alice.coordinator, verified=False)
    html = client.get(reverse("accounts:mfa-enrol")).content.decode()
    client.post(reverse("accounts:mfa-enrol"), {"code": "000000"})
    response = client.post(reverse("accounts:mfa-enrol"), {"code": code_from_page(html)})
    assert THROTTLED in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice.coordinator, confirmed=True).exists()


def test_regenerating_recovery_codes_replaces_the_old_ones(client, alice):
    client.force_login(alice.coordinator)
    client.post(reverse("accounts:mfa-recovery-codes"))
    first = client.get(reverse("accounts:mfa-recovery-codes")).context["codes"]
    client.post(reverse("accounts:mfa-recovery-codes"))
    second = client.get(reverse("accounts:mfa-recovery-codes")).context["codes"]
    stored = set(
        StaticToken.objects.filter(device__user=alice.coordinator).values_list("token", flat=True)
    )
    assert stored == set(second)
    assert not stored & set(first)


# --- The code step at sign-in --------------------------------------------------------------


def test_sign_in_asks_for_the_code_and_keeps_next(client, alice):
    device = enrolled_device(alice.coordinator)
    response = sign_in_password(client, alice.coordinator, next_url=FAMILIES)
    response = client.get(response["Location"])
    assert response["Location"] == f"{reverse('accounts:mfa-verify')}?next=%2Ffamilles%2F"
    page = client.get(response["Location"])
    assert page.context["next"] == FAMILIES

    wrong = client.post(reverse("accounts:mfa-verify"), {"code": "12 34 56", "next": FAMILIES})
    assert wrong.status_code == 200
    assert WRONG_CODE in wrong.content.decode()
    assert client.get(FAMILIES).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()  # the second try comes after the wait
    response = client.post(
        reverse("accounts:mfa-verify"), {"code": totp_code(device), "next": FAMILIES}
    )
    assert response["Location"] == FAMILIES
    assert client.get(FAMILIES).status_code == 200


def test_a_code_is_good_once(client, alice):
    device = enrolled_device(alice.coordinator)
    code = totp_code(device)
    sign_in_password(client, alice.coordinator)
    assert client.post(reverse("accounts:mfa-verify"), {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in_password(client, alice.coordinator)
    response = client.post(reverse("accounts:mfa-verify"), {"code": code})
    assert WRONG_CODE in response.content.decode()


def test_a_recovery_code_signs_in_once(client, alice):
    client.force_login(alice.coordinator)
    client.post(reverse("accounts:mfa-recovery-codes"))
    code = client.get(reverse("accounts:mfa-recovery-codes")).context["codes"][0]
    client.post(reverse("accounts:logout"))

    sign_in_password(client, alice.coordinator)
    response = client.post(reverse("accounts:mfa-verify"), {"code": code.upper()})
    assert response.status_code == 302
    assert client.get(FAMILIES).status_code == 200
    assert AuditEntry.objects.filter(action="mfa.recovery_code_use").count() == 1
    client.post(reverse("accounts:logout"))

    sign_in_password(client, alice.coordinator)
    device = TOTPDevice.objects.get(user=alice.coordinator)
    device.throttle_reset()
    response = client.post(reverse("accounts:mfa-verify"), {"code": code})
    assert WRONG_CODE in response.content.decode()


def test_a_too_long_code_gets_a_french_message(client, alice):
    enrolled_device(alice.coordinator)
    client.force_login(alice.coordinator, verified=False)
    response = client.post(reverse("accounts:mfa-verify"), {"code": "1" * 21})
    assert "Ce code est trop long" in response.content.decode()


def test_professional_who_enrolled_is_asked_for_the_code(client, alice):
    device = enrolled_device(alice.professional)
    sign_in_password(client, alice.professional)
    assert client.get(FAMILIES)["Location"].startswith(reverse("accounts:mfa-verify"))
    client.post(reverse("accounts:mfa-verify"), {"code": totp_code(device)})
    assert client.get(FAMILIES).status_code == 200


def test_professional_can_turn_it_off_but_a_coordinator_cannot(client, alice):
    client.force_login(alice.professional)
    enrolled_device(alice.professional)
    client.force_login(alice.professional)
    client.post(reverse("accounts:mfa-disable"))
    assert not TOTPDevice.objects.filter(user=alice.professional).exists()

    client.force_login(alice.coordinator)
    page = client.get(reverse("accounts:mfa-disable"))
    assert "ne peut pas être désactivée" in page.content.decode()
    response = client.post(reverse("accounts:mfa-disable"), follow=True)
    assert "obligatoire pour votre rôle" in response.content.decode()
    assert TOTPDevice.objects.filter(user=alice.coordinator).exists()


def test_account_page_offers_enrolment_to_a_professional(client, alice):
    client.force_login(alice.professional)
    response = client.get(reverse("accounts:account"))
    assert reverse("accounts:mfa-enrol") in response.content.decode()


# --- Rate limits ---------------------------------------------------------------------------


def test_sign_in_is_rate_limited_per_account(client, alice, settings):
    settings.SIGN_IN_RATE_ACCOUNT = "3/10m"
    for _ in range(3):
        response = client.post(
            reverse("accounts:login"), {"username": alice.professional.email, "password": "non"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("accounts:login"),
        {"username": alice.professional.email.upper(), "password": PASSWORD},
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "Trop de tentatives" in response.content.decode()
    # Another account from the same address is not held back by this one.
    response = client.post(
        reverse("accounts:login"), {"username": alice.coordinator.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_sign_in_is_rate_limited_per_ip(client, alice, settings):
    settings.SIGN_IN_RATE_IP = "3/10m"
    for n in range(3):
        client.post(reverse("accounts:login"), {"username": f"x{n}@exemple.fr", "password": "n"})
    response = client.post(
        reverse("accounts:login"), {"username": alice.professional.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    other_address = client.post(
        reverse("accounts:login"),
        {"username": alice.professional.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other_address.status_code == 302


def test_code_step_is_rate_limited(client, alice, settings):
    settings.SIGN_IN_RATE_ACCOUNT = "2/10m"
    enrolled_device(alice.coordinator)
    client.force_login(alice.coordinator, verified=False)
    for _ in range(2):
        assert client.post(reverse("accounts:mfa-verify"), {"code": "000000"}).status_code == 200
    response = client.post(reverse("accounts:mfa-verify"), {"code": "000000"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_reading_the_sign_in_page_is_not_counted(client, settings):
    settings.SIGN_IN_RATE_IP = "1/10m"
    for _ in range(3):
        assert client.get(reverse("accounts:login")).status_code == 200


def test_django_admin_signs_in_through_our_form(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == f"{reverse('accounts:login')}?next=/admin/"
