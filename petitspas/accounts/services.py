from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from petitspas.accounts.models import ApiToken, hash_token
from petitspas.core.audit import audit_log


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """The user creates a token for themselves. Returns the token and its clear value, which
    is never stored and is shown once. Logged."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), key_hash=hash_token(raw), hint=raw[:7]
    )
    audit_log(user, "api_token.create", token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Only the token's owner revokes it. Logged."""
    if token.user_id != by.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(by, "api_token.revoke", token)
    return token


def api_token_authenticate(raw: str):
    """The active user behind a clear token, or None. Records the last use (once a minute)."""
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def user_update_name(*, user, first_name: str, last_name: str, by):
    """A person changes their own first and last name. Logged with the changed fields (not
    the names themselves, which the account already shows)."""
    if user.pk != by.pk:
        raise PermissionDenied
    first_name, last_name = first_name.strip(), last_name.strip()
    changed = [
        field
        for field, value in (("first_name", first_name), ("last_name", last_name))
        if getattr(user, field) != value
    ]
    if changed:
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=changed)
        audit_log(by, "user.update_name", user, changed=changed)
    return user


@transaction.atomic
def password_change(*, user, password: str):
    """A signed-in person changes their own password (the form has checked the old one).
    Logged."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_log(user, "user.password_change", user)
    return user


@transaction.atomic
def password_reset(*, user, password: str):
    """The person behind a valid reset link sets a new password. Proving they read the
    account's mailbox also lifts a sign-in lock on the account (from every address). Logged."""
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=user.email)
    audit_log(user, "user.password_reset", user)
    return user
