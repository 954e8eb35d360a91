"""What the phone may keep for offline use, and for whom (docs/security.md, "Offline").

Every answer to someone signed in is ``no-store`` (``NoStoreMiddleware``): the browser's HTTP
cache keeps nothing of a family. The service worker (``web/sw.js``) keeps a page only when
the server opts it in with ``OFFLINE_HEADER``, whose value is the signed-in person's cache
key: the worker files the page under that key and drops every other person's pages. Only
the field pages (today's sessions, a sheet of the coming week) opt in; a family file never
does.
"""

from django.http import HttpResponse
from django.utils.crypto import salted_hmac

OFFLINE_HEADER = "Petits-Pas-Offline"
# How long a page kept for offline use stays on the phone, and how far ahead the sheets
# are kept: the week to come, today included.
OFFLINE_DAYS = 7


def offline_key(user) -> str:
    """A key per person, stable across sign-ins, that names nobody (a keyed digest of the
    user id): the worker's cache and queued saves are filed under it. "" when signed out."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("petitspas.offline", str(user.pk), algorithm="sha256").hexdigest()[:24]


def keep_offline(response: HttpResponse, user) -> HttpResponse:
    """Mark ``response`` as one the service worker may keep for ``user``."""
    key = offline_key(user)
    if key:
        response[OFFLINE_HEADER] = key
    return response
