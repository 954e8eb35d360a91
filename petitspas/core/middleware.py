"""Session limits, no-store on personal pages, Permissions-Policy, the page language.

Field phones are often shared: a session left open must not outlive its use (ASVS 3.3.2,
level 2: an idle timeout and an absolute limit), and a page that shows a person must not
stay in the phone's cache for the next user to find with the back button.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation

SESSION_EXPIRED = "Votre session a expiré : reconnectez-vous pour continuer."

# Session keys, in seconds since the epoch.
SIGNED_IN_AT = "petitspas:signed_in_at"
LAST_SEEN_AT = "petitspas:last_seen_at"
# The idle clock moves by whole minutes: a session is written at most once a minute.
LAST_SEEN_STEP = 60


def start_session_clocks(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """``user_logged_in``: both clocks start when someone signs in."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def _has_session(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in: reading the user would only mark
    # public pages and feeds ``Vary: Cookie``.
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SessionLimitsMiddleware:
    """Sign out a session idle for ``SESSION_IDLE_TIMEOUT`` seconds or older than
    ``SESSION_MAX_AGE``, and send its next request to the sign-in page with a message.

    An htmx request gets ``HX-Redirect`` (a whole page, not the sign-in form swapped into a
    fragment). The API, called by the docs page with the session, answers as for anyone
    signed out (401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_session(request) and request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            last_seen_at = request.session.setdefault(LAST_SEEN_AT, now)
            if (
                now - last_seen_at > settings.SESSION_IDLE_TIMEOUT
                or now - signed_in_at > settings.SESSION_MAX_AGE
            ):
                response = self._expired(request)
                if response is not None:
                    return response
            elif now - last_seen_at >= LAST_SEEN_STEP:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse | None:
        logout(request)
        if request.path.startswith(reverse("api:api-root")):
            return None
        messages.warning(request, SESSION_EXPIRED)
        htmx = getattr(request, "htmx", None)
        if htmx:
            response = HttpResponse(status=200)
            # Back to the page the request came from, not to a fragment's address.
            response["HX-Redirect"] = redirect_to_login(
                htmx.current_url_abs_path or reverse("web:home")
            ).url
            return response
        return redirect_to_login(request.get_full_path())


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every answer to someone signed in (with the
    session or an API token) and on the account pages (sign-in...). Public pages and feeds
    keep the caching their views set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._personal(request) and "no-store" not in response.get("Cache-Control", ""):
            # Replaces whatever the view set (a feed's public max-age opened while signed in).
            response["Cache-Control"] = "no-store, private"
        return response

    @staticmethod
    def _personal(request: HttpRequest) -> bool:
        match = request.resolver_match
        if match is not None and match.namespace == "accounts":
            return True
        if not (_has_session(request) or "HTTP_AUTHORIZATION" in request.META):
            return False
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: the browser features no page uses (``PERMISSIONS_POLICY``) are
    turned off for the page and anything it embeds."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class LanguageMiddleware(LocaleMiddleware):
    """The visitor's language on the pages families read; French everywhere else.

    The public agenda is translated (English, Arabic), and chosen by the visitor or their
    browser. The staff side is written in French only: following the browser there would
    mix Django's own translated strings ("Password") into French pages. Paths are listed
    in ``TRANSLATED_PATH_PREFIXES``; an error page follows the path it answers.
    """

    def _translated(self, request: HttpRequest) -> bool:
        return request.path_info.startswith(tuple(settings.TRANSLATED_PATH_PREFIXES))

    def process_request(self, request: HttpRequest) -> None:
        if self._translated(request):
            super().process_request(request)
            return
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if self._translated(request):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
        return response
