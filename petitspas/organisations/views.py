from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from petitspas.organisations.selectors import organisations_managed_by


@login_required
def organisation_list(request):
    return render(
        request,
        "organisations/organisation_list.html",
        {"organisations": organisations_managed_by(user=request.user)},
    )
