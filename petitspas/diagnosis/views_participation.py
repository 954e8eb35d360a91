"""The diagnosis' participation pages: an area's map of resource places and the places
proposed for it, the urban walks (plan, register, attendance, route sheet, .ics) and the
diagnosis groups (their people; meetings, attendance and minutes are the partners'
network's pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from petitspas.accounts.models import User
from petitspas.core.forms import add_service_errors
from petitspas.core.ratelimit import retry_after, too_many_requests
from petitspas.core.scoping import organisation_ids
from petitspas.diagnosis.forms_participation import (
    STOP_ROWS,
    CohostsForm,
    DecisionForm,
    GroupForm,
    GroupPersonForm,
    ProposalForm,
    WalkForm,
    WalkRegistrationForm,
    walk_initial,
)
from petitspas.diagnosis.models import Area, PlaceProposal, SiteCohost, UrbanWalk
from petitspas.diagnosis.permissions_participation import (
    access_area_participation,
    access_diagnosis_group,
    access_proposal,
    access_walk,
    area_for_proposals,
    can_manage_participation,
)
from petitspas.diagnosis.places_map import map_markers, plot, resource_places
from petitspas.diagnosis.services_participation import (
    cohosts_set,
    group_create,
    group_person_add,
    proposal_create,
    proposal_decide,
    proposal_locate,
    walk_attendance,
    walk_cancel,
    walk_create,
    walk_register,
    walk_update,
)
from petitspas.diagnosis.walks import render_pdf, walk_ics, walk_plot
from petitspas.directory.models import DIAGNOSIS_GROUP_KINDS, Structure, WorkingGroup
from petitspas.directory.views_map import map_settings
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Organisation
from petitspas.places.permissions import access_site


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def index(request):
    """The areas, each with its places, walks and groups."""
    areas = list(Area.objects.visible_to(request.user).select_related("organisation"))
    groups = WorkingGroup.objects.visible_to(request.user).filter(kind__in=DIAGNOSIS_GROUP_KINDS)
    if not areas and not organisation_ids(request.user, STAFF_ROLES):
        raise PermissionDenied
    now = timezone.now()
    walks = UrbanWalk.objects.filter(area__in=areas, cancelled=False)
    return render(
        request,
        "diagnosis/participation/index.html",
        {
            "areas": areas,
            "groups": groups.count(),
            "next_walks": list(walks.filter(ends_at__gte=now).select_related("area")[:5]),
            "pending": PlaceProposal.objects.filter(
                area__in=areas, status=PlaceProposal.Status.PROPOSED
            ).count(),
        },
    )


# --- Resource places --------------------------------------------------------------------


def _places_context(area):
    places = resource_places(area)
    points = [(p.number, p.lat, p.lon) for p in places if p.lat is not None]
    return {"area": area, "places": places, "plot": plot(area.geometry, points)}


@login_required
def area_places(request, area_pk):
    area = access_area_participation(request.user, area_pk)
    context = _places_context(area)
    manages = can_manage_participation(request.user, area)
    proposals = list(area.place_proposals.exclude(status=PlaceProposal.Status.VALIDATED))
    context.update(
        {
            "markers": map_markers(context["places"]),
            "map": map_settings(),
            "manages": manages,
            "pending": [p for p in proposals if p.status == PlaceProposal.Status.PROPOSED],
            "refused": [p for p in proposals if p.status == PlaceProposal.Status.REFUSED],
            "propose_url": request.build_absolute_uri(
                reverse("diagnosis:place-propose", kwargs={"area_pk": area.pk})
            ),
        }
    )
    return render(request, "diagnosis/participation/places.html", context)


@login_required
def area_places_pdf(request, area_pk):
    area = access_area_participation(request.user, area_pk)
    context = {**_places_context(area), "printed_on": timezone.localdate()}
    body = render_pdf("diagnosis/participation/places_print.html", context)
    return _pdf(body, f"lieux-ressources-{area.pk}.pdf")


def place_propose(request, area_pk):
    """The public form (no account): a resident or a professional proposes a place. Sending
    is rate-limited per address; the form keeps what was typed when something is missing."""
    area = area_for_proposals(area_pk)
    form = ProposalForm(request.POST or None)
    sent = request.GET.get("envoye") == "1"
    status = 200
    if request.method == "POST":
        wait = retry_after(
            request, group="place_proposals", rate="RATELIMIT_PLACE_PROPOSALS", key="ip"
        )
        if wait is not None:
            return too_many_requests(request, wait)
        if form.is_valid():
            data = form.service_kwargs()
            if data.pop("website"):  # a robot fills the hidden field
                return redirect(f"{request.path}?envoye=1")
            try:
                proposal_create(area=area, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(f"{request.path}?envoye=1")
        status = 400
    return render(
        request,
        "diagnosis/participation/propose.html",
        {"area": area, "form": form, "sent": sent},
        status=status,
    )


@login_required
@require_POST
def proposal_decision(request, proposal_pk):
    proposal = access_proposal(request.user, proposal_pk, for_="manage")
    form = DecisionForm(request.POST)
    url = reverse("diagnosis:area-places", kwargs={"area_pk": proposal.area_id})
    if not form.is_valid():
        messages.error(request, "Choisissez de valider ou de refuser le lieu.")
        return redirect(url)
    data = form.cleaned_data
    try:
        if data["decision"] == "validate" and data["latitude"] is not None:
            proposal_locate(
                by=request.user,
                proposal=proposal,
                latitude=data["latitude"],
                longitude=data["longitude"],
            )
        proposal_decide(
            by=request.user,
            proposal=proposal,
            validate=data["decision"] == "validate",
            reason=data["reason"],
        )
    except ValidationError as error:
        messages.error(request, f"« {proposal.name} » : " + " ".join(error.messages))
    else:
        if data["decision"] == "validate":
            messages.success(request, f"« {proposal.name} » est sur la carte.")
        else:
            messages.success(request, f"« {proposal.name} » est refusé.")
    return redirect(url)


# --- Urban walks ------------------------------------------------------------------------


@login_required
def area_walks(request, area_pk):
    area = access_area_participation(request.user, area_pk)
    now = timezone.now()
    walks = list(area.walks.prefetch_related("stops", "registrations").order_by("-starts_at"))
    return render(
        request,
        "diagnosis/participation/walks.html",
        {
            "area": area,
            "upcoming": [w for w in reversed(walks) if w.ends_at >= now],
            "past": [w for w in walks if w.ends_at < now],
            "manages": can_manage_participation(request.user, area),
        },
    )


@login_required
def walk_new(request, area_pk):
    area = access_area_participation(request.user, area_pk, for_="manage")
    places = resource_places(area)
    form = WalkForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            walk = walk_create(by=request.user, area=area, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Le parcours est programmé.")
            return redirect("diagnosis:walk", walk_pk=walk.pk)
    return render(
        request,
        "diagnosis/participation/walk_form.html",
        {"area": area, "form": form, "places": places},
        status=400 if form.errors else 200,
    )


@login_required
def walk_edit(request, walk_pk):
    """Change a walk to come or under way (``walk_update``); the form keeps what was typed
    when something is refused."""
    walk = access_walk(request.user, walk_pk, for_="manage")
    places = resource_places(walk.area)
    stops = list(walk.stops.all())
    rows = max(STOP_ROWS, len(stops))
    form = WalkForm(
        request.POST or None,
        places=places,
        rows=rows,
        initial=walk_initial(walk, stops, places),
    )
    if request.method == "POST" and form.is_valid():
        try:
            walk_update(by=request.user, walk=walk, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Le parcours est modifié. Prévenez les inscrits s'il change d'heure."
            )
            return redirect("diagnosis:walk", walk_pk=walk.pk)
    return render(
        request,
        "diagnosis/participation/walk_form.html",
        {"area": walk.area, "form": form, "places": places, "walk": walk},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def walk_cancellation(request, walk_pk):
    walk = access_walk(request.user, walk_pk, for_="manage")
    try:
        walk_cancel(by=request.user, walk=walk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Le parcours est annulé. Prévenez les inscrits.")
    return redirect("diagnosis:walk", walk_pk=walk.pk)


def _walk_context(walk):
    stops = list(walk.stops.select_related("structure", "site"))
    return {"walk": walk, "stops": stops, "plot": walk_plot(walk, stops)}


@login_required
def walk_detail(request, walk_pk):
    walk = access_walk(request.user, walk_pk)
    manages = can_manage_participation(request.user, walk.area)
    form = WalkRegistrationForm(request.POST or None)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if form.is_valid():
            try:
                walk_register(by=request.user, walk=walk, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "La personne est inscrite.")
                return redirect("diagnosis:walk", walk_pk=walk.pk)
    registrations = list(walk.registrations.all())
    context = _walk_context(walk)
    context.update(
        {
            "manages": manages,
            "form": form,
            "registrations": registrations,
            "left": max(0, walk.capacity - len(registrations)),
            "started": walk.starts_at <= timezone.now(),
            "ended": walk.ends_at <= timezone.now(),
            "present": sum(r.attended is True for r in registrations),
        }
    )
    return render(
        request,
        "diagnosis/participation/walk.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def walk_presences(request, walk_pk):
    walk = access_walk(request.user, walk_pk, for_="manage")
    try:
        ids = {int(v) for v in request.POST.getlist("present")}
    except ValueError:
        ids = {-1}
    try:
        count = walk_attendance(by=request.user, walk=walk, present_ids=ids)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Présences enregistrées : {count} présent(s).")
    return redirect("diagnosis:walk", walk_pk=walk.pk)


@login_required
def walk_sheet(request, walk_pk):
    walk = access_walk(request.user, walk_pk)
    return render(request, "diagnosis/participation/walk_print.html", _walk_context(walk))


@login_required
def walk_sheet_pdf(request, walk_pk):
    walk = access_walk(request.user, walk_pk)
    body = render_pdf("diagnosis/participation/walk_print.html", _walk_context(walk))
    return _pdf(body, f"parcours-{walk.pk}.pdf")


@login_required
def walk_calendar(request, walk_pk):
    walk = access_walk(request.user, walk_pk)
    response = HttpResponse(walk_ics(walk), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="parcours-{walk.pk}.ics"'
    return response


# --- Groups -----------------------------------------------------------------------------


@login_required
def groups(request):
    staff_of = organisation_ids(request.user, STAFF_ROLES)
    if not staff_of:
        raise PermissionDenied
    planner_of = organisation_ids(request.user, PLANNER_ROLES)
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        if not planner_of:
            raise PermissionDenied
        if form.is_valid():
            organisation = Organisation.objects.get(pk=planner_of[0])
            try:
                group = group_create(
                    by=request.user, organisation=organisation, **form.service_kwargs()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Le groupe est créé. Ajoutez ses membres.")
                return redirect("diagnosis:group", group_pk=group.pk)
    listed = (
        WorkingGroup.objects.visible_to(request.user)
        .filter(kind__in=DIAGNOSIS_GROUP_KINDS)
        .prefetch_related("people", "members")
    )
    return render(
        request,
        "diagnosis/participation/groups.html",
        {"groups": listed, "form": form, "manages": bool(planner_of)},
        status=400 if form.errors else 200,
    )


@login_required
def group_detail(request, group_pk):
    group = access_diagnosis_group(request.user, group_pk)
    manages = group.organisation_id in organisation_ids(request.user, PLANNER_ROLES)
    staff = User.objects.filter(
        memberships__organisation_id=group.organisation_id,
        memberships__role__in=STAFF_ROLES,
        memberships__is_active=True,
        is_active=True,
    ).order_by("last_name", "first_name")
    form = GroupPersonForm(request.POST or None, staff=staff)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if form.is_valid():
            try:
                group_person_add(by=request.user, group=group, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "La personne est membre du groupe.")
                return redirect("diagnosis:group", group_pk=group.pk)
    now = timezone.now()
    meetings = list(group.meetings.order_by("-starts_at"))
    return render(
        request,
        "diagnosis/participation/group.html",
        {
            "group": group,
            "people": list(group.people.select_related("user")),
            "structures": list(group.members.order_by("nom")),
            "upcoming": [m for m in reversed(meetings) if m.ends_at >= now],
            "past": [m for m in meetings if m.ends_at < now],
            "form": form,
            "manages": manages,
        },
        status=400 if form.errors else 200,
    )


# --- The kiosque ------------------------------------------------------------------------


@login_required
def site_cohosts_edit(request, site_pk):
    """The structures and residents who co-host a site (the kiosque); every session held
    there lists them, on its page and in the public agenda."""
    site = access_site(request.user, site_pk, for_="plan")
    current = SiteCohost.objects.filter(site=site).select_related("structure")
    choices = Structure.objects.filter(
        Q(code_insee=site.commune_code) | Q(pk__in=current.values("structure_id"))
    ).order_by("nom")
    initial = {
        "structures": [c.structure_id for c in current if c.structure_id],
        "labels": "\n".join(c.label for c in current if not c.structure_id),
    }
    form = CohostsForm(request.POST or None, structures=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            count = cohosts_set(by=request.user, site=site, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Co-animation enregistrée : {count} co-animateur(s).")
            return redirect("diagnosis:site-cohosts", site_pk=site.pk)
    return render(
        request,
        "diagnosis/participation/cohosts.html",
        {"site": site, "form": form, "cohosts": list(current)},
        status=400 if form.errors else 200,
    )
