"""Rate limits on the account pages, per client address and per account (django-ratelimit,
counted in the default cache: each app server counts in its own memory unless CACHES
points to a shared cache).

- Sign-in, both steps (password, then code): django-axes locks an account after failed
  passwords; these limits cap every attempt, right or wrong, so that guessing (or a flood)
  is slow whatever axes is set to.
- The password reset request, per address and per e-mail typed: an unknown e-mail counts
  like a known one, so the limit tells nothing about which accounts exist.

The client address is the one the lockout reads (``core.client_ip``), so both
protections see the same person.
"""

import functools

from django.conf import settings

from petitspas.core.client_ip import client_ip
from petitspas.core.ratelimit import retry_after, too_many_requests

TOO_MANY_SIGN_INS = "Trop de tentatives de connexion en peu de temps."
TOO_MANY_RESETS = "Trop de demandes de nouveau mot de passe en peu de temps."


def _over_limit(request, *, group: str, rate: str, value: str) -> int | None:
    """Counts this request under ``value``; the seconds to wait when over ``rate``."""
    if not value:
        return None
    return retry_after(request, group=group, rate=rate, key=lambda _group, _request: value)


def _longest(waits) -> int | None:
    waits = [wait for wait in waits if wait is not None]
    return max(waits) if waits else None


def password_reset_retry_after(request) -> int | None:
    """Counts this reset request against its address and against the e-mail typed; the
    seconds to wait when either is over its limit, None otherwise."""
    email = request.POST.get("email", "").strip().lower()[:254]
    return _longest(
        [
            _over_limit(
                request,
                group="accounts.password_reset.ip",
                rate=settings.PASSWORD_RESET_RATE_PER_IP,
                value=client_ip(request),
            ),
            _over_limit(
                request,
                group="accounts.password_reset.email",
                rate=settings.PASSWORD_RESET_RATE_PER_EMAIL,
                value=email,
            ),
        ]
    )


def _submitted_account(request) -> str:
    return request.POST.get("username", "").strip().lower()[:254]


def _signed_in_account(request) -> str:
    return str(request.user.pk) if request.user.is_authenticated else ""


def sign_in_retry_after(request, *, group: str, account) -> int | None:
    """Counts this sign-in POST against the address's and the account's limits."""
    return _longest(
        [
            _over_limit(
                request,
                group=f"{group}.ip",
                rate=settings.SIGN_IN_RATE_IP,
                value=client_ip(request),
            ),
            _over_limit(
                request,
                group=f"{group}.account",
                rate=settings.SIGN_IN_RATE_ACCOUNT,
                value=account(request),
            ),
        ]
    )


def sign_in_rate_limit(group: str, account=_submitted_account):
    """Wrap a sign-in view: a POST over the limit gets 429 and ``Retry-After``, before any
    password or code is checked."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                wait = sign_in_retry_after(request, group=group, account=account)
                if wait is not None:
                    return too_many_requests(request, wait, message=TOO_MANY_SIGN_INS)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


password_step_limited = sign_in_rate_limit("sign-in.password")
code_step_limited = sign_in_rate_limit("sign-in.code", account=_signed_in_account)
