"""« Copier vers un autre territoire »: the programmes one may copy, then the two steps.

Step 1 is a GET form (nothing is written): the organisation, the name, the period and what
to copy, with a preview of what will be created. Step 2 describes the new places and
confirms; step 1's values travel with it as hidden fields, so that a refusal on either step
keeps everything typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from petitspas.core.forms import add_service_errors
from petitspas.diagnosis.forms_replication import CopyChoiceForm, SiteTargetForm
from petitspas.diagnosis.permissions_replication import access_programme_to_copy, copy_targets
from petitspas.diagnosis.services_replication import (
    NewSite,
    SiteTarget,
    copy_plan,
    programme_copy,
)
from petitspas.organisations.models import PLANNER_ROLES, Programme
from petitspas.organisations.permissions import plans_somewhere
from petitspas.places.models import Site

STEP_ONE_FIELDS = (
    "organisation",
    "name",
    "starts_on",
    "ends_on",
    "activity_types",
    "series",
    "budget_year",
    "parts",
)


@login_required
def replication_index(request):
    """The programmes the user may copy (those of the organisations they plan in)."""
    if not plans_somewhere(request.user):
        raise PermissionDenied
    programmes = (
        Programme.objects.where_role(request.user, PLANNER_ROLES)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    return render(request, "diagnosis/replicate/index.html", {"programmes": programmes})


def _sites_of(source):
    return list(Site.objects.filter(programme=source).order_by("-is_active", "name"))


def _as_itself(site: Site) -> SiteTarget:
    """Step 1's preview: each site in activity copied as it is, before step 2 says where."""
    if not site.is_active:
        return SiteTarget(source=site)
    return SiteTarget(
        source=site,
        new=NewSite(
            name=site.name,
            kind=site.kind,
            address=site.address,
            postcode=site.postcode,
            commune=site.commune_code,
            is_qpv=site.is_qpv,
        ),
    )


def _split_errors(error: ValidationError, choice_form, site_errors: list) -> None:
    """The service's messages: the sites' on step 2, the others on step 1's fields."""
    if hasattr(error, "error_dict"):
        site_errors.extend(ValidationError(error.error_dict.pop("sites", [])).messages)
        if error.error_dict:
            add_service_errors(choice_form, ValidationError(error.error_dict))
    else:
        site_errors.extend(error.messages)


@login_required
def replication_start(request, programme_id):
    """Step 1: where and what; "Voir l'aperçu" shows what the copy creates."""
    source = access_programme_to_copy(request.user, programme_id)
    has_targets = copy_targets(request.user, source=source).exists()
    bound = "organisation" in request.GET
    form = CopyChoiceForm(request.GET if bound else None, source=source, user=request.user)
    plan, site_errors = None, []
    if bound and form.is_valid():
        try:
            plan = copy_plan(
                source=source,
                sites=[_as_itself(site) for site in _sites_of(source)],
                by=request.user,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            _split_errors(error, form, site_errors)
    return render(
        request,
        "diagnosis/replicate/start.html",
        {
            "source": source,
            "form": form,
            "plan": plan,
            "site_errors": site_errors,
            "has_targets": has_targets,
            "query": request.GET.urlencode(),
        },
    )


def _step_one_data(data) -> QueryDict:
    kept = QueryDict(mutable=True)
    for key in STEP_ONE_FIELDS:
        kept.setlist(key, data.getlist(key))
    return kept


@login_required
def replication_sites(request, programme_id):
    """Step 2: what each site becomes, the final preview, then the copy."""
    source = access_programme_to_copy(request.user, programme_id)
    data = request.POST if request.method == "POST" else request.GET
    step_one = _step_one_data(data)
    choice_form = CopyChoiceForm(step_one, source=source, user=request.user)
    start_url = f"{reverse('diagnosis:replication-start', args=[source.pk])}?{step_one.urlencode()}"
    if not choice_form.is_valid():
        return redirect(start_url)
    # Read before a service's message takes its field out of the cleaned data.
    target, target_name = choice_form.cleaned_data["organisation"], choice_form.cleaned_data["name"]
    sites = _sites_of(source)
    sites_by_pk = {site.pk: site for site in sites}
    forms = [
        SiteTargetForm(
            request.POST if request.method == "POST" else None,
            prefix=f"lieu-{site.pk}",
            source_site=site,
            others=[other for other in sites if other.pk != site.pk],
        )
        for site in sites
    ]
    plan, site_errors = None, []
    # Every form is checked, so that each says what is missing.
    valid = [form.is_valid() for form in forms]
    if request.method == "POST" and all(valid):
        kwargs = {
            **choice_form.service_kwargs(),
            "source": source,
            "sites": [form.target(sites_by_pk) for form in forms],
        }
        try:
            if "confirmer" in request.POST:
                programme = programme_copy(by=request.user, **kwargs)
                messages.success(
                    request,
                    f"Le programme « {programme.name} » est créé dans "
                    f"{programme.organisation.name} à partir de « {source.name} ».",
                )
                return redirect("activities:programme-month", programme_pk=programme.pk)
            plan = copy_plan(by=request.user, **kwargs)
        except ValidationError as error:
            _split_errors(error, choice_form, site_errors)
    return render(
        request,
        "diagnosis/replicate/sites.html",
        {
            "source": source,
            "choice_form": choice_form,
            "target": target,
            "target_name": target_name,
            "step_one": [(key, value) for key, values in step_one.lists() for value in values],
            "start_url": start_url,
            "forms": forms,
            "plan": plan,
            "site_errors": site_errors,
            "forms_have_errors": any(form.errors for form in forms),
        },
    )
