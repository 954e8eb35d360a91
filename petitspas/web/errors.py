"""The error pages: 400, 403, 404, 500 and the CSRF failure, in DSFR, in the page's language
(French; English and Arabic where the visitor chose them, as on the public agenda).

Wired in the root URLconf (``handler400``…) and ``CSRF_FAILURE_VIEW``. The 429 page is the
template ``429.html``, rendered by the rate limits with ``retry_after`` in seconds.
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from petitspas.core.bounds import InvalidInput

logger = logging.getLogger(__name__)


@requires_csrf_token
def bad_request(request, exception=None):
    """400. ``InvalidInput`` carries a French message written for the visitor (a date out of
    range…); any other bad request keeps its reason to the logs."""
    message = str(exception) if isinstance(exception, InvalidInput) else ""
    return render(request, "400.html", {"message": message}, status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, rendered without the request: no context processor runs, so a page that failed
    because the database is down or a processor broke still renders."""
    try:
        body = loader.get_template("500.html").render(
            {"user": AnonymousUser(), "nav_items": [], "messages": [], "csrf_token": ""}
        )
    except Exception:  # the last resort must answer, whatever broke
        logger.exception("500.html could not be rendered")
        body = "<h1>Erreur 500 : le service rencontre un problème</h1>"
    return HttpResponseServerError(body)


@requires_csrf_token
def csrf_failure(request, reason=""):
    """403 when a form comes back without its security token (an expired page, cookies
    refused): say how to get going again rather than Django's technical page."""
    return render(request, "403_csrf.html", status=403)
