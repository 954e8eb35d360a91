from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from petitspas.organisations.selectors import memberships_of


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
