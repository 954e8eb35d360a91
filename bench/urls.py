"""The project's URLs plus ``/bench/bare/``: a Django view that does nothing, served through
the same middleware, the reference for the pages' throughput."""

from django.http import HttpResponse
from django.urls import path

from petitspas.urls import urlpatterns as project_urlpatterns

BARE_URL = "/bench/bare/"


def bare(request):
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path(BARE_URL.strip("/") + "/", bare, name="bench-bare"), *project_urlpatterns]
