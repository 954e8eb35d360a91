"""Two-factor authentication: who must have it, enrolment, recovery codes, reset.

The second factor is a TOTP application (django-otp's ``TOTPDevice``) with ten recovery
codes (a ``StaticDevice``) for the day the phone is lost. A session is *verified* once
``django_otp.login`` has recorded the device that passed; ``SecondFactorMiddleware``
keeps unverified sessions of people who owe a code on the code step or on enrolment.

Memberships are reached through ``core.scoping`` (``user.memberships``): this module sits
below ``organisations`` and imports nothing from it.
"""

import base64
import dataclasses

import django_otp
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from petitspas.core.audit import audit_log
from petitspas.core.scoping import active_memberships

# Roles whose holders see many families' files or a whole organisation's figures and
# rights: a stolen password alone must not open them (issue's ASVS L2 target, ProConnect).
# The values of organisations.models.Role, which this layer cannot import.
MFA_REQUIRED_ROLES = frozenset({"admin", "coordinator", "funder"})
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"

# Session key: this sign-in owes a code (the person has a device), set at the password step.
SECOND_FACTOR_DUE = "mfa_second_factor_due"

WRONG_CODE = "Code incorrect ou expiré. Saisissez le code à 6 chiffres affiché maintenant."
THROTTLED = (
    "Trop de codes erronés : attendez quelques secondes avant de réessayer "
    "(le délai double à chaque erreur)."
)


def mfa_required(user) -> bool:
    """The platform admin, and anyone with an active admin, coordinator or funder role."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role in MFA_REQUIRED_ROLES for m in active_memberships(user))


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    """Whether this session passed the second factor (django-otp's middleware sets it)."""
    return bool(getattr(request.user, "is_verified", None) and request.user.is_verified())


def secret_base32(device: TOTPDevice) -> str:
    """The key as an authenticator application takes it by hand, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def totp_pending(user) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same secret until it is confirmed, so that
    reloading the page does not change the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


def totp_confirm(*, request, device: TOTPDevice, code: str) -> list[str]:
    """The person confirms their own pending device with a code it shows. Marks the session
    verified and returns new recovery codes (shown once). Raises ``ValueError`` with the
    French message on a wrong or throttled code. Logged."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise ValueError(THROTTLED)
    # Outside the transaction: a wrong code's throttling count must be kept.
    if not device.verify_token(_clean(code)):
        raise ValueError(WRONG_CODE)
    with transaction.atomic():
        return _totp_confirmed(request, device)


def _totp_confirmed(request, device: TOTPDevice) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Another pending secret (an enrolment begun in another tab) is now useless.
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    django_otp.login(request, device)
    audit_log(device.user, "mfa.enrol", device.user)
    return _recovery_codes_replace(device.user)


def code_verify(*, request, code: str):
    """The signed-in person gives a code from their application or a recovery code (used
    up). Marks the session verified and returns the device; raises ``ValueError`` with the
    French message otherwise. Throttled per device by django-otp."""
    user = request.user
    code = _clean(code)
    # Six digits is the application's code; anything else may be a recovery code (eight
    # letters and digits).
    if len(code) == 6 and code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise ValueError(THROTTLED)
        if device.verify_token(code):
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                audit_log(user, "mfa.recovery_code_use", user)
            return device
    raise ValueError(WRONG_CODE)


def _recovery_codes_replace(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """The person (verified session) replaces their recovery codes; the old ones stop
    working. Returns the new ones, shown once. Logged."""
    codes = _recovery_codes_replace(user)
    audit_log(user, "mfa.recovery_codes_regenerate", user)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@dataclasses.dataclass(frozen=True)
class ResetResult:
    devices_deleted: int


@transaction.atomic
def mfa_reset(*, member, by, organisation=None) -> ResetResult:
    """Delete every second-factor device of ``member``: they enrol again at their next
    sign-in. The caller checks the right (an admin of ``organisation``, where ``member``
    belongs, or the platform admin: ``organisations.views.member_mfa_reset``). Logged in
    ``organisation``'s log, without the secret."""
    totp = TOTPDevice.objects.filter(user=member)
    static = StaticDevice.objects.filter(user=member)
    deleted = totp.count() + static.count()
    totp.delete()
    static.delete()
    audit_log(by, "mfa.reset", member, organisation=organisation)
    return ResetResult(devices_deleted=deleted)


@transaction.atomic
def mfa_disable(*, user) -> None:
    """A person for whom 2FA is optional turns it off for themselves. Logged."""
    if mfa_required(user):
        raise ValueError("La double authentification est obligatoire pour votre rôle.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(user, "mfa.disable", user)


def mfa_status(user) -> dict:
    """What "Mon compte" shows about the person's second factor."""
    return {
        "enrolled": has_second_factor(user),
        "required": mfa_required(user),
        "recovery_left": recovery_codes_left(user),
    }


def remember_second_factor_due(sender, request, user, **kwargs):
    """At the password step: whether this session owes a code. Mandatory roles are checked
    on every request anyway; this flag is what holds the others who chose to enrol."""
    if request is not None and hasattr(request, "session") and has_second_factor(user):
        request.session[SECOND_FACTOR_DUE] = True


user_logged_in.connect(remember_second_factor_due, dispatch_uid="petitspas.mfa.second_factor_due")
