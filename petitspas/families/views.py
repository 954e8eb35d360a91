"""Family files, for the organisation's staff only. Every page that shows a family file
opens it through ``permissions.access_household``, which writes the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from petitspas.core.forms import add_service_errors
from petitspas.families import hooks
from petitspas.families.exports import audit_csv_lines
from petitspas.families.forms import (
    AuditFilterForm,
    HouseholdForm,
    HouseholdSearchForm,
    PeopleFormSet,
    PersonForm,
    QuickHouseholdForm,
)
from petitspas.families.models import Person
from petitspas.families.permissions import (
    access_household,
    can_anonymise_family,
    can_export_family,
    can_use_families,
    sees_only_families_met,
    staff_organisations,
)
from petitspas.families.selectors import (
    audit_actions_visible,
    audit_entries_export,
    audit_entries_visible,
    audit_people_visible,
    households_search,
)
from petitspas.families.services import (
    household_create,
    household_quick_create,
    household_update,
    person_add,
    person_remove,
    person_update,
)
from petitspas.organisations.permissions import audit_log_organisations, can_read_audit_log

LIST_PAGE_SIZE = 30
AUDIT_PAGE_SIZE = 50


def _require_family_staff(user) -> None:
    # Funders, prescribers and partners never reach a family page (objects give 404 anyway).
    if not can_use_families(user):
        raise PermissionDenied


def _page(request, items, size):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def household_list(request):
    """Search by first-name fragment or code; htmx swaps the results as the user types."""
    _require_family_staff(request.user)
    form = HouseholdSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = _page(request, households_search(user=request.user, query=query), LIST_PAGE_SIZE)
    context = {
        "page": page,
        "query": query,
        "querystring": _query_without_page(request),
        "today": timezone.localdate(),
    }
    if request.htmx:
        return render(request, "families/_results.html", context)
    return render(
        request,
        "families/household_list.html",
        {
            **context,
            "form": form,
            "can_read_audit_log": can_read_audit_log(request.user),
            "only_families_met": sees_only_families_met(request.user),
        },
    )


@login_required
def household_create_view(request):
    """The full form: the family and its people, saved together or not at all."""
    _require_family_staff(request.user)
    organisations = staff_organisations(request.user)
    data = request.POST if request.method == "POST" else None
    form = HouseholdForm(data, user=request.user, organisations=organisations)
    people = PeopleFormSet(data, prefix="people")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        try:
            household = household_create(
                organisation=form.chosen_organisation,
                people=people.people(),
                by=request.user,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La famille %(code)s est créée.") % {"code": household})
            return redirect("families:household-detail", household_pk=household.pk)
    return render(request, "families/household_form.html", {"form": form, "people": people})


@login_required
def household_quick_create_view(request):
    """In the field: a first name and maybe a code, the rest later."""
    _require_family_staff(request.user)
    form = QuickHouseholdForm(
        request.POST if request.method == "POST" else None,
        organisations=staff_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            household = household_quick_create(
                organisation=form.chosen_organisation,
                by=request.user,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La famille %(code)s est créée.") % {"code": household})
            return redirect("families:household-detail", household_pk=household.pk)
    return render(request, "families/household_quick_form.html", {"form": form})


@login_required
def household_detail(request, household_pk):
    household = access_household(request.user, household_pk)
    return render(
        request,
        "families/household_detail.html",
        {
            "household": household,
            "today": timezone.localdate(),
            "can_read_audit_log": can_read_audit_log(request.user),
            "can_export": can_export_family(request.user, household),
            "can_anonymise": can_anonymise_family(request.user, household),
            "file_links": hooks.file_links(request.user, household),
        },
    )


@login_required
def household_edit(request, household_pk):
    household = access_household(request.user, household_pk, for_="edit", page="edit")
    form = HouseholdForm(
        request.POST if request.method == "POST" else None,
        instance=household,
        user=request.user,
        organisations=[household.organisation],
    )
    if request.method == "POST" and form.is_valid():
        try:
            household_update(household=household, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La famille est enregistrée."))
            return redirect("families:household-detail", household_pk=household.pk)
    return render(request, "families/household_edit.html", {"form": form, "household": household})


@login_required
def person_create(request, household_pk):
    household = access_household(request.user, household_pk, for_="edit", page="person-add")
    form = PersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person_add(household=household, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La personne est ajoutée à la famille."))
            return redirect("families:household-detail", household_pk=household.pk)
    return render(
        request, "families/person_form.html", {"form": form, "household": household, "person": None}
    )


def _person_of(household, person_pk) -> Person:
    return get_object_or_404(household.people.all(), pk=person_pk)


@login_required
def person_edit(request, household_pk, person_pk):
    household = access_household(request.user, household_pk, for_="edit", page="person-edit")
    person = _person_of(household, person_pk)
    form = PersonForm(request.POST if request.method == "POST" else None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person=person, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("C'est enregistré."))
            return redirect("families:household-detail", household_pk=household.pk)
    return render(
        request,
        "families/person_form.html",
        {"form": form, "household": household, "person": person},
    )


@login_required
def person_delete(request, household_pk, person_pk):
    """A confirmation page, then the removal on POST."""
    household = access_household(request.user, household_pk, for_="edit", page="person-delete")
    person = _person_of(household, person_pk)
    if request.method == "POST":
        try:
            person_remove(person=person, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("La personne est retirée de la famille."))
        return redirect("families:household-detail", household_pk=household.pk)
    return render(
        request,
        "families/person_confirm_delete.html",
        {"household": household, "person": person, "today": timezone.localdate()},
    )


def _audit_filter_form(request) -> AuditFilterForm:
    """The log's filters, offered from what the user reads; validated, never trusted."""
    user = request.user
    form = AuditFilterForm(
        request.GET or None,
        organisations=list(audit_log_organisations(user).order_by("name", "pk")),
        people=list(audit_people_visible(user=user)),
        actions=audit_actions_visible(user=user),
    )
    if form.is_bound:
        form.is_valid()  # wrong fields are reported and left out; the others apply
    return form


@login_required
@require_safe
def audit_log_page(request):
    """« Journal des accès »: who did what, when, in words, filtered, for the admins."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied
    form = _audit_filter_form(request)
    entries = audit_entries_visible(user=request.user, **(form.filters if form.is_bound else {}))
    querystring = _query_without_page(request)
    return render(
        request,
        "families/audit_log.html",
        {
            "form": form,
            "page": _page(request, entries, AUDIT_PAGE_SIZE),
            "querystring": querystring,
            "several_organisations": "organisation" in form.fields,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def audit_log_export(request):
    """The log as CSV with the page's filters, streamed; the export is itself logged.
    Wrong filters get the page with their messages, nothing exported."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied
    form = _audit_filter_form(request)
    if form.errors:
        return audit_log_page(request)
    entries = audit_entries_export(user=request.user, **(form.filters if form.is_bound else {}))
    filename = f"journal-des-acces-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        audit_csv_lines(entries),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
