"""django-axes' hooks: which account a failed sign-in counts against, and the lock page."""

from axes.helpers import get_cool_off
from django.shortcuts import render
from django.utils import timezone


def lockout_username(request, credentials=None) -> str:
    """The address typed, as the sign-in form reads it (stripped, lower case), so that
    varying its case does not give an attacker a fresh counter."""
    value = (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username", "")
    return str(value).strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """429 with a French page saying when to try again and how to get in at once: a
    password reset by e-mail lifts the lock. Each new failure during the lock starts the
    cool-off again (axes' default), so the time shown counts from now."""
    cool_off = get_cool_off(request)
    retry_at = timezone.localtime() + cool_off
    response = render(
        request,
        "accounts/lockout.html",
        {"retry_at": retry_at, "minutes": int(cool_off.total_seconds() // 60)},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
