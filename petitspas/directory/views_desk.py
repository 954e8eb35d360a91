"""The Point Info Famille desk: slots and appointments, the visit log, orientations to
partners and their follow-up. Every object comes through ``directory.permissions``; a
family through ``families.permissions.access_household``."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from petitspas.core.access import get_visible_or_404
from petitspas.core.bounds import InvalidInput, parse_day
from petitspas.core.forms import add_service_errors
from petitspas.core.scoping import organisation_ids
from petitspas.directory.desk import counts_by_theme, desk_slots, orientation_counts
from petitspas.directory.forms_desk import (
    AppointmentForm,
    FollowUpForm,
    OrientationEditForm,
    OrientationForm,
    VisitForm,
)
from petitspas.directory.models import DESK_ROLES, Desk, Orientation, Service, Visit
from petitspas.directory.permissions import (
    access_appointment,
    access_desk,
    access_orientation,
    access_visit,
)
from petitspas.directory.search import Filters, search_services
from petitspas.directory.services_desk import (
    appointment_cancel,
    appointment_create,
    orientation_create,
    orientation_delete,
    orientation_follow_up,
    orientation_update,
    visit_create,
    visit_delete,
    visit_update,
)
from petitspas.families.models import Household
from petitspas.families.permissions import access_household

UNKNOWN_FAMILY = (
    "Aucune famille ne porte ce code parmi les dossiers que vous pouvez ouvrir : vérifiez-le, "
    "ou laissez le champ vide."
)


def _household_by_code(user, organisation_id: int, code: str, page: str):
    """The household whose whole code is ``code`` among the files ``user`` may open, through
    the family door (which logs the opening); None when the code is empty; Http404 if none."""
    code = (code or "").strip()
    if not code:
        return None
    pk = (
        Household.objects.visible_to(user)
        .filter(organisation_id=organisation_id, code__iexact=code)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        raise Http404
    return access_household(user, pk, page=page)


def _id(value) -> int:
    """A posted or query-string id as an int (a door then says whether it may be read)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else 0


def _visible_household_ids(user, households) -> set[int]:
    ids = {h.pk for h in households if h is not None}
    if not ids:
        return set()
    return set(Household.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


@login_required
def desk_list(request):
    desks = list(Desk.objects.visible_to(request.user).select_related("site", "organisation"))
    if not desks:
        raise PermissionDenied
    if len(desks) == 1:
        return redirect("directory:desk", desk_pk=desks[0].pk)
    return render(request, "directory/desk_list.html", {"desks": desks})


def _week_start(request) -> datetime.date:
    today = timezone.localdate()
    try:
        day = parse_day(request.GET.get("semaine"), default=today)
    except InvalidInput:
        day = today
    return day - datetime.timedelta(days=day.weekday())


@login_required
def desk(request, desk_pk):
    desk = access_desk(request.user, desk_pk)
    monday = _week_start(request)
    sunday = monday + datetime.timedelta(days=6)
    slots = desk_slots(desk, monday, sunday)
    days: dict[datetime.date, list] = {}
    for slot in slots:
        days.setdefault(slot.opening.day, []).append(slot)
    today = timezone.localdate()
    visits = list(desk.visits.filter(day=today).order_by("-pk"))
    to_follow = list(
        Orientation.objects.visible_to(request.user)
        .filter(desk=desk, outcome=Orientation.Outcome.PENDING)
        .select_related("service__structure")[:20]
    )
    return render(
        request,
        "directory/desk_home.html",
        {
            "desk": desk,
            "days": sorted(days.items()),
            "monday": monday,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "visits": visits,
            "to_follow": to_follow,
            "today": today,
            "now": timezone.now(),
        },
    )


@login_required
def appointment_new(request, desk_pk):
    desk = access_desk(request.user, desk_pk)
    today = timezone.localdate()
    try:
        day = parse_day(request.GET.get("jour") or request.POST.get("jour"), default=today)
    except InvalidInput:
        day = today
    free = [
        s
        for s in desk_slots(desk, day, day)
        if s.appointment is None and s.ends_at > timezone.now()
    ]
    form = AppointmentForm(
        request.POST or None, slots=free, initial={"slot": request.GET.get("creneau")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.datetime.fromisoformat(data["slot"]))
        try:
            household = _household_by_code(
                request.user, desk.organisation_id, data["family_code"], "desk-appointment"
            )
        except Http404:
            form.add_error("family_code", UNKNOWN_FAMILY)
        else:
            try:
                appointment_create(
                    by=request.user,
                    desk=desk,
                    starts_at=starts_at,
                    household=household,
                    first_name=data["first_name"],
                    note=data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Le rendez-vous est enregistré.")
                return redirect(f"{desk_url(desk)}?semaine={day.isoformat()}")
    return render(
        request,
        "directory/desk_appointment_form.html",
        {"desk": desk, "form": form, "day": day, "free": free},
    )


def desk_url(desk: Desk) -> str:
    return reverse("directory:desk", kwargs={"desk_pk": desk.pk})


@login_required
@require_POST
def appointment_cancel_view(request, appointment_pk):
    appointment = access_appointment(request.user, appointment_pk)
    appointment_cancel(by=request.user, appointment=appointment)
    messages.success(request, "Le rendez-vous est annulé : le créneau est de nouveau libre.")
    day = timezone.localtime(appointment.starts_at).date()
    return redirect(f"{desk_url(appointment.desk)}?semaine={day.isoformat()}")


@login_required
def visit_log(request, desk_pk):
    desk = access_desk(request.user, desk_pk)
    today = timezone.localdate()
    form = VisitForm(request.POST or None, initial={"day": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = (
                _household_by_code(
                    request.user, desk.organisation_id, data["family_code"], "desk-visit"
                )
                if data["consent"]
                else None
            )
            if data["family_code"].strip() and not data["consent"]:
                raise ValidationError(
                    {
                        "family_code": "Une famille n'est nommée qu'avec son accord : cochez "
                        "la case ou effacez le code."
                    }
                )
        except Http404:
            form.add_error("family_code", UNKNOWN_FAMILY)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            try:
                visit = visit_create(
                    by=request.user,
                    desk=desk,
                    day=data["day"],
                    themes=data["themes"],
                    orientation_given=data["orientation_given"],
                    note=data["note"],
                    consent=data["consent"],
                    household=household,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "household" in error.error_dict:
                    error = ValidationError({"family_code": error.error_dict["household"]})
                add_service_errors(form, error)
            else:
                messages.success(request, "Le passage est noté dans le journal.")
                if "orienter" in request.POST:
                    return redirect(f"{_orientation_url()}?passage={visit.pk}")
                return redirect("directory:desk-visits", desk_pk=desk.pk)
    visits = list(desk.visits.select_related("household").order_by("-day", "-pk")[:50])
    visible = _visible_household_ids(request.user, [v.household for v in visits])
    return render(
        request,
        "directory/desk_visits.html",
        {"desk": desk, "form": form, "visits": visits, "visible": visible},
    )


def _orientation_url() -> str:
    return reverse("directory:orientation-new")


@login_required
def orientation_new(request):
    """Orient a family to a service: from a visit (``?passage=``), from a family's file
    (``?famille=``) or from the desk (``?accueil=``). Each id goes through its door."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    visit = desk = household = None
    if params.get("passage"):
        visit = get_visible_or_404(
            Visit.objects.visible_to(user).select_related("desk"), _id(params["passage"])
        )
        desk = access_desk(user, visit.desk_id)
    elif params.get("accueil"):
        desk = access_desk(user, _id(params["accueil"]))
    if params.get("famille"):
        household = access_household(user, _id(params["famille"]), page="orientation")
        if household.organisation_id not in organisation_ids(user, DESK_ROLES):
            raise PermissionDenied
    if desk is None and household is None:
        desks = list(Desk.objects.visible_to(user)[:2])
        if len(desks) != 1:
            raise Http404
        desk = desks[0]
    query = (params.get("q") or "").strip()[:80]
    results = list(search_services(Filters(q=query))[:15]) if query else []
    if request.method == "POST" and params.get("service", "").isdigit():
        chosen = Service.objects.select_related("structure").filter(pk=params["service"]).first()
        if chosen is not None and chosen not in results:
            results.insert(0, chosen)
    form = OrientationForm(request.POST or None, results=results)
    if request.method == "POST" and form.is_valid():
        try:
            orientation = orientation_create(
                by=user,
                service=form.cleaned_data["service"],
                desk=desk,
                visit=visit,
                household=household,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Orientation vers « {orientation.service.nom} » enregistrée. Pensez à en faire "
                "le suivi.",
            )
            if household is not None and visit is None:
                return redirect("families:household-detail", household_pk=household.pk)
            return redirect("directory:orientations")
    return render(
        request,
        "directory/desk_orientation_form.html",
        {
            "form": form,
            "visit": visit,
            "desk": desk,
            "household": household,
            "query": query,
            "results": results,
        },
    )


@login_required
def orientations(request):
    user = request.user
    rows = Orientation.objects.visible_to(user)
    if not organisation_ids(user, DESK_ROLES):
        raise PermissionDenied
    status = request.GET.get("suivi", "")
    listed = rows.select_related("service__structure", "household").order_by("-day", "-pk")
    if status in Orientation.Outcome.values:
        listed = listed.filter(outcome=status)
    listed = list(listed[:100])
    counts = orientation_counts(organisation_ids=organisation_ids(user, DESK_ROLES))
    return render(
        request,
        "directory/desk_orientations.html",
        {
            "orientations": listed,
            "visible": _visible_household_ids(user, [o.household for o in listed]),
            "counts": counts,
            "themes": counts_by_theme(counts),
            "status": status,
            "outcomes": Orientation.Outcome.choices,
            "desk": Desk.objects.visible_to(user).order_by("pk").first(),
        },
    )


@login_required
def orientation_follow(request, orientation_pk):
    orientation = access_orientation(request.user, orientation_pk)
    form = FollowUpForm(
        request.POST or None,
        initial={
            "outcome": orientation.outcome,
            "outcome_on": orientation.outcome_on or timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            orientation_follow_up(by=request.user, orientation=orientation, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Le suivi de l'orientation est enregistré.")
            return redirect("directory:orientations")
    household_visible = bool(
        orientation.household_id and _visible_household_ids(request.user, [orientation.household])
    )
    return render(
        request,
        "directory/desk_follow_up.html",
        {"orientation": orientation, "form": form, "household_visible": household_visible},
    )


# --- Corrections: a visit, an orientation (and its follow-up) ------------------------------


def _visit_household(request, form, visit: Visit, visible: bool):
    """The household the corrected visit names: the one typed (through the family door);
    the one already named when the user may not open its file and typed no code; None when
    the family no longer agrees. Errors go on the form (False is returned then)."""
    data = form.cleaned_data
    code = data["family_code"].strip()
    if code and not data["consent"]:
        form.add_error(
            "family_code",
            "Une famille n'est nommée qu'avec son accord : cochez la case ou effacez le code.",
        )
        return False
    if not data["consent"]:
        return None
    if not code:
        if visit.household_id and not visible:
            return visit.household
        return None
    try:
        return _household_by_code(request.user, visit.desk.organisation_id, code, "desk-visit-edit")
    except Http404:
        form.add_error("family_code", UNKNOWN_FAMILY)
        return False


@login_required
def visit_edit(request, visit_pk):
    visit = access_visit(request.user, visit_pk)
    desk = visit.desk
    visible = bool(visit.household_id and _visible_household_ids(request.user, [visit.household]))
    form = VisitForm(
        request.POST or None,
        initial={
            "day": visit.day,
            "themes": visit.themes,
            "orientation_given": visit.orientation_given,
            "note": visit.note,
            "consent": visit.consent,
            "family_code": visit.household.code if visible else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        household = _visit_household(request, form, visit, visible)
        if household is not False:
            data = form.cleaned_data
            try:
                visit_update(
                    by=request.user,
                    visit=visit,
                    day=data["day"],
                    themes=data["themes"],
                    orientation_given=data["orientation_given"],
                    note=data["note"],
                    consent=data["consent"],
                    household=household,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "household" in error.error_dict:
                    error = ValidationError({"family_code": error.error_dict["household"]})
                add_service_errors(form, error)
            else:
                messages.success(request, "Le passage est corrigé.")
                return redirect("directory:desk-visits", desk_pk=desk.pk)
    return render(
        request,
        "directory/desk_visit_edit.html",
        {
            "desk": desk,
            "visit": visit,
            "form": form,
            "named_hidden": bool(visit.household_id and not visible),
        },
    )


@login_required
def visit_delete_view(request, visit_pk):
    visit = access_visit(request.user, visit_pk)
    desk = visit.desk
    back = reverse("directory:desk-visits", kwargs={"desk_pk": desk.pk})
    if request.method == "POST":
        kept = visit_delete(by=request.user, visit=visit)
        text = "Le passage est supprimé du journal."
        if kept:
            text += f" Ses orientations ({kept}) sont conservées."
        messages.success(request, text)
        return redirect(back)
    return render(
        request,
        "directory/confirm_delete.html",
        {
            "title": "Supprimer ce passage ?",
            "what": f"Passage du {visit.day:%d/%m/%Y} : {', '.join(visit.themes)}",
            "consequences": [
                "Il disparaît du journal et des comptes de passages.",
                "Les orientations données lors de ce passage restent enregistrées.",
            ],
            "button": "Supprimer le passage",
            "back": back,
            "desk": desk,
            "current": "visits",
        },
    )


@login_required
def orientation_edit(request, orientation_pk):
    orientation = access_orientation(request.user, orientation_pk, for_="edit")
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:80]
    results = [orientation.service]
    if query:
        results += [s for s in search_services(Filters(q=query))[:15] if s != orientation.service]
    if request.method == "POST" and request.POST.get("service", "").isdigit():
        chosen = (
            Service.objects.select_related("structure").filter(pk=request.POST["service"]).first()
        )
        if chosen is not None and chosen not in results:
            results.append(chosen)
    form = OrientationEditForm(
        request.POST or None,
        results=results,
        initial={
            "service": orientation.service_id,
            "day": orientation.day,
            "note": orientation.note,
            "outcome": orientation.outcome,
            "outcome_on": orientation.outcome_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            orientation_update(by=request.user, orientation=orientation, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "L'orientation est corrigée.")
            return redirect("directory:orientations")
    household_visible = bool(
        orientation.household_id and _visible_household_ids(request.user, [orientation.household])
    )
    return render(
        request,
        "directory/desk_orientation_edit.html",
        {
            "orientation": orientation,
            "form": form,
            "query": query,
            "household_visible": household_visible,
            "desk": orientation.desk if orientation.desk_id else None,
        },
    )


@login_required
def orientation_delete_view(request, orientation_pk):
    orientation = access_orientation(request.user, orientation_pk, for_="edit")
    back = reverse("directory:orientations")
    if request.method == "POST":
        orientation_delete(by=request.user, orientation=orientation)
        messages.success(request, "L'orientation est supprimée.")
        return redirect(back)
    return render(
        request,
        "directory/confirm_delete.html",
        {
            "title": "Supprimer cette orientation ?",
            "what": (
                f"Orientation du {orientation.day:%d/%m/%Y} vers « {orientation.service.nom} » "
                f"({orientation.service.structure.nom}), suivi : "
                f"{orientation.get_outcome_display().lower()}"
            ),
            "consequences": [
                "Elle disparaît de la liste et des comptes par thème et par partenaire.",
                "Le passage ou le dossier d'où elle a été donnée n'est pas modifié.",
            ],
            "button": "Supprimer l'orientation",
            "back": back,
            "desk": orientation.desk if orientation.desk_id else None,
            "current": "orientations",
        },
    )
