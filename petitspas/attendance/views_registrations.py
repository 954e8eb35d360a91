"""The registrations of a session (phone first): register a family to the session or to
its series, unregister it, the waiting list and the places offered, the requests for a
place received from the public agenda. Through the sheet's door (``access_sheet``); every
household and id posted goes through the same checks as on the sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from petitspas.activities.permissions import access_programme
from petitspas.attendance.forms_registrations import RegistrationActionForm
from petitspas.attendance.models import Registration
from petitspas.attendance.permissions import access_sheet
from petitspas.attendance.selectors import (
    pending_requests_of,
    places_of,
    session_registrations,
    walk_in_candidates,
)
from petitspas.attendance.services_registrations import (
    place_request_decide,
    registration_add,
    registration_add_new_family,
    registration_answer,
    registration_remove,
)

INVALID = "Cette demande est incomplète : rechargez la page, puis recommencez."
FIRST_NAME_REQUIRED = "Indiquez le prénom du parent pour créer la famille."


def _registered_message(done) -> str:
    """What a registration did, in one sentence."""
    code = done[0].registration.household.code
    confirmed = [r for r in done if not r.is_waiting]
    waiting = [r for r in done if r.is_waiting]
    if len(done) == 1:
        if waiting:
            return (
                f"La séance est complète : la famille {code} est sur la liste d'attente "
                f"(place proposée dès qu'une se libère)."
            )
        return f"La famille {code} est inscrite."
    parts = [f"La famille {code} est inscrite à {len(confirmed)} séance(s) de la série"]
    if waiting:
        parts.append(f"et sur la liste d'attente de {len(waiting)} séance(s) complète(s)")
    return " ".join(parts) + "."


def _act(request, session, form) -> str:
    """Run the posted action; the sentence to show once done."""
    data, user = form.cleaned_data, request.user
    action = data["action"]
    if action == "register":
        done = registration_add(
            session=session,
            household_id=data["household"],
            code=data["code"],
            whole_series=form.whole_series,
            by=user,
        )
        return _registered_message(done)
    if action == "create":
        if not data["first_name"].strip():
            raise ValidationError(FIRST_NAME_REQUIRED)
        done = registration_add_new_family(
            session=session,
            first_name=data["first_name"],
            whole_series=form.whole_series,
            by=user,
        )
        return _registered_message(done)
    if action == "remove":
        removed = registration_remove(
            session=session,
            registration_id=data["registration"],
            whole_series=form.whole_series,
            by=user,
        )
        code = removed[0].household.code if removed else ""
        freed = "" if not removed else " La place libérée est proposée au premier de la liste."
        waiting = removed and removed[0].status == Registration.Status.WAITING
        if len(removed) > 1:
            return f"La famille {code} est désinscrite de {len(removed)} séances." + freed
        return f"La famille {code} est désinscrite." + ("" if waiting else freed)
    if action in ("accept", "decline"):
        registration = registration_answer(
            session=session,
            registration_id=data["registration"],
            accept=action == "accept",
            by=user,
        )
        if action == "accept":
            return f"La famille {registration.household.code} prend la place : elle est inscrite."
        return (
            f"La famille {registration.household.code} ne prend pas la place : elle est "
            "proposée à la suivante de la liste d'attente."
        )
    accepted = action == "request-accept"
    place_request = place_request_decide(
        session=session,
        place_request_id=data["place_request"],
        accept=accepted,
        code=data["code"],
        by=user,
    )
    if not accepted:
        return "La demande est refusée."
    return f"La demande est acceptée : famille {place_request.household.code}."


def _page(request, session, *, status=200, errors=(), form=None):
    query = request.GET.get("q", "")
    found = walk_in_candidates(user=request.user, session=session, query=query) if query else []
    return render(
        request,
        "attendance/session_registrations.html",
        {
            "session": session,
            "places": places_of(session),
            "registrations": session_registrations(session=session),
            "search": {"query": query, "results": found},
            "errors": errors,
            # What was typed for a new family, shown again after an error.
            "new_family": form.data.get("first_name", "")
            if form is not None and form.data.get("action") == "create"
            else None,
        },
        status=status,
    )


@login_required
def session_registrations_page(request, session_pk):
    session = access_sheet(request.user, session_pk, for_="names")
    if request.method != "POST":
        return _page(request, session)
    form = RegistrationActionForm(request.POST)
    if not form.is_valid():
        return _page(request, session, status=400, errors=[INVALID], form=form)
    try:
        notice = _act(request, session, form)
    except ValidationError as error:
        return _page(request, session, errors=error.messages, form=form)
    messages.success(request, notice)
    return redirect("attendance:session-registrations", session_pk=session.pk)


@login_required
def place_requests_page(request, programme_pk):
    """The requests for a place still to answer at the programme's sessions to come that
    the user may record (its staff: their sessions; admins and coordinators: all)."""
    programme = access_programme(request.user, programme_pk)
    return render(
        request,
        "attendance/place_requests.html",
        {
            "programme": programme,
            "requests": list(pending_requests_of(user=request.user, programme=programme)),
        },
    )
