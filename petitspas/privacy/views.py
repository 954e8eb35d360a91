"""A family's rights, on its file's pages: export (access) and anonymisation (erasure)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from petitspas.core.forms import add_service_errors
from petitspas.families.forms import AnonymiseForm
from petitspas.families.permissions import access_household
from petitspas.privacy.services import household_anonymise, household_export


@login_required
def household_export_view(request, household_pk):
    """Right of access: the family's data as a JSON file to hand over."""
    household = access_household(request.user, household_pk, for_="export")
    data = household_export(household=household, by=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"petitspas-famille-{slugify(household.code)}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def household_anonymise_view(request, household_pk):
    """Right to erasure: a confirmation page (the code typed again), then the
    anonymisation on POST."""
    household = access_household(request.user, household_pk, for_="anonymise")
    form = AnonymiseForm(request.POST if request.method == "POST" else None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            household_anonymise(household=household, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "La famille %(code)s est anonymisée : ses prénoms et son code sont "
                    "effacés, ses présences restent comptées dans les chiffres."
                )
                % {"code": household.code},
            )
            return redirect("families:household-list")
    return render(
        request,
        "privacy/household_anonymise.html",
        {"form": form, "household": household},
    )
