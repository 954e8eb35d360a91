from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from petitspas.places.models import Site


@login_required
def site_list(request):
    sites = Site.objects.visible_to(request.user).select_related("programme__organisation")
    return render(request, "places/site_list.html", {"sites": sites})


@login_required
def site_create(request):
    raise NotImplementedError
