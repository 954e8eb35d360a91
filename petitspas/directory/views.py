from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from petitspas.core.forms import add_service_errors
from petitspas.directory.forms import ServiceForm, StructureForm
from petitspas.directory.freshness import LinkRefused, freshness_by_theme, read_token
from petitspas.directory.hours import open_status
from petitspas.directory.models import Service, Structure
from petitspas.directory.permissions import (
    access_service,
    access_structure,
    can_edit_directory,
    can_edit_structure,
    coordinates_directory,
    sees_professional_contacts,
)
from petitspas.directory.services import service_confirm as confirm_service
from petitspas.directory.services import service_save, structure_save
from petitspas.directory.themes import THEMATIQUES
from petitspas.directory.views_public import search_page


def index(request):
    """The professionals' directory: the families' search page (one form, one list, one
    map) with the contacts meant for professionals and the edit links; without a search,
    the six themes and the published guides."""
    return search_page(request, professional_view=True)


def structure_detail(request, structure_pk):
    structure = get_object_or_404(Structure, pk=structure_pk)
    services = list(structure.services.order_by("nom"))
    for service in services:
        service.status = open_status(service.horaires_accueil or structure.horaires_accueil)
    return render(
        request,
        "directory/structure_detail.html",
        {
            "structure": structure,
            "services": services,
            "status": open_status(structure.horaires_accueil),
            "can_edit": can_edit_structure(request.user, structure),
        },
    )


def service_detail(request, service_pk):
    service = get_object_or_404(Service.objects.select_related("structure"), pk=service_pk)
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "structure": service.structure,
            "status": open_status(service.horaires_accueil or service.structure.horaires_accueil),
            "thematiques": [THEMATIQUES.get(t, t) for t in service.thematiques],
            "can_edit": can_edit_structure(request.user, service.structure),
            "professional": sees_professional_contacts(request.user),
        },
    )


def confirm(request, token):
    """The e-mail's "toujours exact" link: one button (a link opened by a mail scanner
    confirms nothing), no account needed; an expired or altered link is refused."""
    try:
        service_pk = read_token(token)
    except LinkRefused as refused:
        return render(
            request, "directory/confirm_refused.html", {"reason": refused.reason}, status=400
        )
    service = Service.objects.select_related("structure").filter(pk=service_pk).first()
    if service is None:
        return render(request, "directory/confirm_refused.html", {"reason": "invalid"}, status=400)
    done = False
    if request.method == "POST":
        confirm_service(service_pk=service.pk, by=request.user, via_link=True)
        service.refresh_from_db()
        done = True
    return render(request, "directory/confirm.html", {"service": service, "done": done})


@login_required
def mine(request):
    if not can_edit_directory(request.user):
        raise PermissionDenied
    structures = (
        Structure.objects.visible_to(request.user)
        .select_related("organisation")
        .prefetch_related("services")
        .order_by("nom")
    )
    return render(request, "directory/mine.html", {"structures": structures})


@login_required
def freshness(request):
    if not coordinates_directory(request.user):
        raise PermissionDenied
    services = list(
        Service.objects.visible_to(request.user)
        .select_related("structure__organisation")
        .order_by("confirmed_on", "nom")
    )
    stale = [s for s in services if s.is_stale]
    return render(
        request,
        "directory/freshness.html",
        {"stale": stale, "total": len(services), "rates": freshness_by_theme(services)},
    )


def _history(structure, service=None):
    changes = structure.changes.select_related("by")
    if service is not None:
        changes = changes.filter(service=service)
    return changes[:20]


@login_required
def structure_edit(request, structure_pk):
    structure = access_structure(request.user, structure_pk, for_="edit")
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        try:
            structure_save(by=request.user, structure=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La structure est enregistrée.")
            return redirect("directory:mine")
    return render(
        request,
        "directory/structure_form.html",
        {"form": form, "structure": structure, "history": _history(structure)},
    )


@login_required
def service_create(request, structure_pk):
    structure = access_structure(request.user, structure_pk, for_="edit")
    form = ServiceForm(request.POST or None, instance=Service(structure=structure))
    return _service_form(request, form, structure, None)


@login_required
def service_edit(request, service_pk):
    service = access_service(request.user, service_pk, for_="edit")
    form = ServiceForm(request.POST or None, instance=service)
    return _service_form(request, form, service.structure, service)


def _service_form(request, form, structure, service):
    if request.method == "POST" and form.is_valid():
        try:
            service_save(by=request.user, service=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Le service est enregistré et confirmé à jour.")
            return redirect("directory:mine")
    return render(
        request,
        "directory/service_form.html",
        {
            "form": form,
            "structure": structure,
            "service": service,
            "history": _history(structure, service) if service else [],
        },
    )


@login_required
@require_POST
def service_confirm(request, service_pk):
    service = access_service(request.user, service_pk, for_="edit")
    confirm_service(service_pk=service.pk, by=request.user)
    messages.success(request, f"« {service.nom} » est confirmé toujours exact.")
    return redirect("directory:mine")
