"""Rate limits on the password reset request (django-ratelimit, counted in the default
cache). Each app server counts in its own memory unless CACHES points to a shared cache."""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from petitspas.accounts.client_ip import client_ip


def _over_limit(request, *, group: str, rate: str, value: str) -> int | None:
    usage = get_usage(
        request, group=group, key=lambda _group, _request: value, rate=rate, increment=True
    )
    if usage and usage["should_limit"]:
        return max(1, usage["time_left"])
    return None


def password_reset_retry_after(request) -> int | None:
    """Counts this reset request against its address and against the e-mail typed; the
    seconds to wait when either is over its limit, None otherwise. An unknown e-mail counts
    like a known one, so the limit tells nothing about which accounts exist."""
    waits = [
        _over_limit(
            request,
            group="accounts.password_reset.ip",
            rate=settings.PASSWORD_RESET_RATE_PER_IP,
            value=client_ip(request),
        )
    ]
    email = request.POST.get("email", "").strip().lower()[:254]
    if email:
        waits.append(
            _over_limit(
                request,
                group="accounts.password_reset.email",
                rate=settings.PASSWORD_RESET_RATE_PER_EMAIL,
                value=email,
            )
        )
    waits = [wait for wait in waits if wait is not None]
    return max(waits) if waits else None


def too_many_requests(request, retry_after: int):
    response = render(
        request,
        "429.html",
        {"retry_after": retry_after, "retry_minutes": max(1, -(-retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
