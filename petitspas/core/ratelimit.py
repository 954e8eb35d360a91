"""Rate limits: counters in the cache (django-ratelimit), answered with 429 and ``Retry-After``.

The small API every limited view uses:

- ``@rate_limited("agenda", rate="RATELIMIT_AGENDA")`` on a view: per client IP by default;
  ``key=`` takes any django-ratelimit key (``"post:username"``, a callable...);
- ``retry_after(request, group=..., key=..., rate=...)``: count this request and answer the
  seconds to wait, or ``None`` while under the limit (for code that is not a plain view,
  such as the API's authentication);
- ``too_many_requests(request, retry_after)``: the 429 itself, as ``429.html`` or as JSON for
  the API;
- ``RATELIMIT_VIEW`` points at ``ratelimited``, for views that use django-ratelimit's own
  decorator with ``block=True``.

Rates are settings named ``RATELIMIT_<AREA>`` holding django-ratelimit rates ("60/m"), read
when the request comes (so tests can override them). The counters live in the cache named by
``RATELIMIT_USE_CACHE``: the process's own memory by default, a shared Redis when
``RATELIMIT_REDIS_URL`` is set, which several application servers need, or each counts apart.
"""

from __future__ import annotations

import functools
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django_ratelimit.core import get_usage

API_TOO_MANY_REQUESTS = "Trop de demandes : réessayez après le délai indiqué par Retry-After."


def _rate(rate: str) -> str | None:
    """A setting's name (``RATELIMIT_API``) gives its value; an empty value turns the limit off."""
    value = getattr(settings, rate) if rate.startswith("RATELIMIT_") else rate
    return value or None


def retry_after(request: HttpRequest, *, group: str, rate: str, key="ip") -> int | None:
    """Count this request in ``group``; the seconds to wait when over the limit, else None."""
    usage = get_usage(request, group=group, key=key, rate=_rate(rate), increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    # The window ends ``time_left`` seconds from now; a failing cache answers -1: wait a minute.
    return max(1, usage["time_left"]) if usage["time_left"] >= 0 else 60


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("api:api-root"))


def too_many_requests(request: HttpRequest, retry_after: int, *, message: str = "") -> HttpResponse:
    """429 with ``Retry-After``: JSON on the API, ``429.html`` elsewhere (with ``message``,
    what was done too often, when the caller says)."""
    if _wants_json(request):
        response = JsonResponse({"detail": API_TOO_MANY_REQUESTS}, status=429)
    else:
        body = render_to_string(
            "429.html",
            {
                "message": message,
                "retry_after": retry_after,
                "retry_minutes": max(1, math.ceil(retry_after / 60)),
            },
            request=request,
        )
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(math.ceil(retry_after))
    return response


def ratelimited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``RATELIMIT_VIEW``: django-ratelimit's exception does not say when the window ends,
    so this answers with the longest a window lasts in our rates, one minute."""
    return too_many_requests(request, 60)


def rate_limited(group: str, *, rate: str, key="ip"):
    """Limit a view: past ``rate`` in a window, answer 429 without running the view."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = retry_after(request, group=group, key=key, rate=rate)
            if wait is not None:
                return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
