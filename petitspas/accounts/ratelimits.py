"""Rate limits on the sign-in steps (password, then code), per client IP and per account.

django-axes locks an account after failed passwords; these limits cap every attempt,
right or wrong, so that guessing (or a flood) is slow whatever axes is set to. Counters
live in the cache (django-ratelimit's fixed windows). The client IP is the one axes reads
(its ipware settings name the trusted proxies), so both protections see the same person.
"""

import functools
import math

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

TOO_MANY = "Trop de tentatives de connexion. Réessayez dans quelques minutes."


def _client_ip(group, request) -> str:
    return get_client_ip_address(request) or ""


def _submitted_account(group, request) -> str:
    return request.POST.get("username", "").strip().lower()


def _signed_in_account(group, request) -> str:
    return str(request.user.pk) if request.user.is_authenticated else ""


def too_many_attempts(request, *, group: str, account_key) -> int | None:
    """Count this POST against the IP's and the account's limits. Returns the seconds to
    wait when one of them is exceeded, else None."""
    waits = []
    for suffix, key, rate in (
        ("ip", _client_ip, settings.SIGN_IN_RATE_IP),
        ("account", account_key, settings.SIGN_IN_RATE_ACCOUNT),
    ):
        if not key(group, request):
            continue
        usage = get_usage(
            request, group=f"{group}.{suffix}", key=key, rate=rate, method="POST", increment=True
        )
        if usage is not None and usage["should_limit"]:
            waits.append(max(usage["time_left"], 1))
    return max(waits) if waits else None


def rate_limited_response(request, seconds: int):
    response = render(
        request,
        "429.html",
        {"retry_after_minutes": math.ceil(seconds / 60), "message": TOO_MANY},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def sign_in_rate_limit(group: str, account_key=_submitted_account):
    """Wrap a sign-in view: a POST over the limit gets 429 and ``Retry-After``, before any
    password or code is checked."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                wait = too_many_attempts(request, group=group, account_key=account_key)
                if wait is not None:
                    return rate_limited_response(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


password_step_limited = sign_in_rate_limit("sign-in.password")
code_step_limited = sign_in_rate_limit("sign-in.code", account_key=_signed_in_account)
