from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from petitspas.core.offline import OFFLINE_DAYS, OFFLINE_HEADER
from petitspas.organisations.selectors import memberships_of

# DSFR's "bleu France", the header's colour.
THEME_COLOUR = "#000091"


def home(request):
    """Public welcome when signed out; the user's organisations and roles when signed in."""
    memberships = memberships_of(user=request.user)
    return render(request, "web/home.html", {"memberships": memberships})


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_GET
def service_worker(request):
    """The service worker (``web/sw.js``), at the root so that its scope covers the field
    pages. Public: the browser fetches it again to look for updates, signed in or not, and
    follows no redirect for it. ``no-cache``: a new version reaches the phones at once."""
    response = render(
        request,
        "web/sw.js",
        {
            "static_prefix": static(""),
            "field_prefix": reverse("attendance:today"),
            "header": OFFLINE_HEADER,
            "days": OFFLINE_DAYS,
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    """The web app manifest: Petits Pas installs on a phone's home screen and opens on
    "Aujourd'hui", without the browser's bars."""
    icons = [
        {
            "src": static(f"web/icons/petitspas-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in (192, 512)
    ]
    data = {
        "name": "Petits Pas",
        "short_name": "Petits Pas",
        "description": "Soutien à la parentalité et petite enfance : les séances et leurs "
        "présences, sur le terrain.",
        "lang": "fr",
        "dir": "ltr",
        "start_url": reverse("attendance:today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response
