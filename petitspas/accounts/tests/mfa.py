"""Second-factor helpers for tests: a test client whose ``force_login`` stands for the whole
sign-in (password and code), and a TOTP code computed from a device."""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from petitspas.accounts.mfa import has_second_factor, mfa_required
from petitspas.accounts.models import User


def enrolled_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device, created if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next step's when the current
    one was already used (a code is good once; the device tolerates one step ahead)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


class SignInClient(Client):
    """``force_login`` skips the sign-in form; here it skips the code step too, as if the
    person had given their code: a user who owes a second factor gets a device and a
    verified session. ``verified=False`` stops after the password, to test the gate."""

    def force_login(self, user, backend=None, *, verified: bool = True):
        super().force_login(user, backend)
        if not verified:
            return
        # A fresh copy: the caller's object keeps no memberships read here.
        fresh = User.objects.get(pk=user.pk)
        if mfa_required(fresh) or has_second_factor(fresh):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = enrolled_device(fresh).persistent_id
            session.save()
