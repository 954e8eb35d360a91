"""The partners' network: working groups and information sessions (the organiser's staff),
and a partner's own invitations and registrations ("Mes réunions")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from petitspas.core.forms import add_service_errors
from petitspas.directory.forms_network import (
    MeetingCancelForm,
    MeetingForm,
    MeetingItemForm,
    MembersForm,
    MinutesForm,
    RegistrationForm,
)
from petitspas.directory.models import Participant, Structure, WorkingGroup, territory_communes
from petitspas.directory.network import attendance_counts, campaign_progress, meeting_ics
from petitspas.directory.permissions import (
    access_meeting,
    access_meeting_item,
    access_working_group,
    meetings_for_partner,
    partner_structure_ids,
)
from petitspas.directory.services_network import (
    attendance_record,
    campaign_open,
    group_members_set,
    invitations_send,
    item_delete,
    item_update,
    meeting_cancel,
    meeting_create,
    minutes_save,
    registration_cancel,
    registration_create,
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def groups(request):
    listed = list(WorkingGroup.objects.visible_to(request.user).select_related("organisation"))
    if not listed:
        raise PermissionDenied
    return render(request, "directory/network_groups.html", {"groups": listed})


@login_required
def group(request, group_pk):
    group = access_working_group(request.user, group_pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_create(by=request.user, group=group, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La réunion est programmée. Envoyez les invitations.")
            return redirect("directory:meeting", meeting_pk=meeting.pk)
    now = timezone.now()
    meetings = list(group.meetings.order_by("-starts_at"))
    return render(
        request,
        "directory/network_group.html",
        {
            "group": group,
            "members": group.members.order_by("nom"),
            "upcoming": [m for m in reversed(meetings) if m.ends_at >= now],
            "past": [m for m in meetings if m.ends_at < now],
            "form": form,
        },
    )


@login_required
def group_members(request, group_pk):
    """Choose the group's members among the structures of the organisation's territory
    (and those already members)."""
    group = access_working_group(request.user, group_pk)
    choices = (
        Structure.objects.filter(
            Q(code_insee__in=territory_communes(request.user)) | Q(working_groups=group)
        )
        .distinct()
        .order_by("nom")
    )
    form = MembersForm(
        request.POST or None, choices=choices, initial={"structures": group.members.all()}
    )
    if request.method == "POST" and form.is_valid():
        added, removed = group_members_set(by=request.user, group=group, **form.service_kwargs())
        messages.success(request, f"Membres enregistrés : {added} ajouté(s), {removed} retiré(s).")
        return redirect("directory:group", group_pk=group.pk)
    return render(request, "directory/network_members.html", {"group": group, "form": form})


@login_required
def meeting(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk)
    return render(
        request,
        "directory/network_meeting.html",
        {
            "meeting": meeting,
            "participants": list(meeting.participants.select_related("structure", "person__user")),
            "items": list(meeting.items.select_related("owner")),
            "counts": attendance_counts(meeting),
            "progress": campaign_progress(meeting),
            "started": meeting.starts_at <= timezone.now(),
        },
    )


def _run(request, meeting, action, success: str):
    try:
        result = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success.format(result=result))
    return redirect("directory:meeting", meeting_pk=meeting.pk)


@login_required
@require_POST
def meeting_invite(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk)
    return _run(
        request,
        meeting,
        lambda: invitations_send(by=request.user, meeting=meeting, base_url=_base_url(request)),
        "Invitations envoyées à {result} structure(s), avec le fichier d'agenda (.ics).",
    )


@login_required
@require_POST
def meeting_attendance(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit() and len(v) < 12}
    return _run(
        request,
        meeting,
        lambda: attendance_record(by=request.user, meeting=meeting, present_ids=present),
        "Présences enregistrées : {result} présent(s).",
    )


@login_required
@require_POST
def meeting_campaign(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk)
    return _run(
        request,
        meeting,
        lambda: campaign_open(by=request.user, meeting=meeting, base_url=_base_url(request)),
        "Mise à jour du guide ouverte : {result} fiche(s) à confirmer par les présents.",
    )


@login_required
def meeting_minutes(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk)
    members = meeting.group.members.order_by("nom")
    form = MinutesForm(request.POST or None, members=members, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            minutes_save(by=request.user, meeting=meeting, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Le compte rendu est enregistré.")
            return redirect("directory:meeting-minutes", meeting_pk=meeting.pk)
    return render(
        request,
        "directory/network_minutes.html",
        {"meeting": meeting, "form": form, "items": list(meeting.items.select_related("owner"))},
    )


@login_required
def item_edit(request, item_pk):
    item = access_meeting_item(request.user, item_pk)
    meeting = item.meeting
    form = MeetingItemForm(
        request.POST or None,
        members=meeting.group.members.order_by("nom"),
        initial={
            "kind": item.kind,
            "text": item.text,
            "owner": item.owner_id,
            "owner_label": item.owner_label,
            "due_on": item.due_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            item_update(by=request.user, item=item, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{item.get_kind_display()} corrigée.")
            return redirect("directory:meeting-minutes", meeting_pk=meeting.pk)
    return render(
        request,
        "directory/network_item_form.html",
        {"item": item, "meeting": meeting, "form": form},
    )


@login_required
def item_delete_view(request, item_pk):
    item = access_meeting_item(request.user, item_pk)
    meeting = item.meeting
    back = reverse("directory:meeting-minutes", kwargs={"meeting_pk": meeting.pk})
    if request.method == "POST":
        item_delete(by=request.user, item=item)
        messages.success(request, f"{item.get_kind_display()} supprimée du compte rendu.")
        return redirect(back)
    owner = f", portée par {item.owner_name}" if item.owner_name else ""
    return render(
        request,
        "directory/confirm_delete.html",
        {
            "title": f"Supprimer cette {item.get_kind_display().lower()} ?",
            "what": f"{item.get_kind_display()} : {item.text}{owner}",
            "consequences": [
                f"Elle disparaît du compte rendu de « {meeting.title} », "
                "y compris pour les partenaires."
            ],
            "button": f"Supprimer la {item.get_kind_display().lower()}",
            "back": back,
        },
    )


@login_required
def meeting_cancel_view(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk)
    if meeting.cancelled:
        messages.info(request, "Cette réunion est déjà annulée.")
        return redirect("directory:meeting", meeting_pk=meeting.pk)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reached = meeting_cancel(
                by=request.user,
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"La réunion est annulée. {reached} destinataire(s) prévenu(s) par courriel, "
                "avec l'annulation pour leur agenda (.ics).",
            )
            return redirect("directory:meeting", meeting_pk=meeting.pk)
    return render(
        request,
        "directory/network_meeting_cancel.html",
        {"meeting": meeting, "form": form, "told": _who_is_told(meeting)},
    )


def _who_is_told(meeting) -> str:
    """Who the cancellation will be e-mailed to, in words."""
    parts = []
    if meeting.invitations_sent_at is not None:
        members = meeting.group.members.count()
        parts.append(f"{members} structure{pluralize(members)} invitée{pluralize(members)}")
    registered = meeting.participants.filter(registered=True).count()
    if registered:
        parts.append(
            f"{registered} personne{pluralize(registered)} inscrite{pluralize(registered)}"
        )
    if not parts:
        return "Les invitations ne sont pas parties et personne n'est inscrit : aucun courriel."
    return (
        "Prévenues par courriel, avec le motif et l'annulation pour leur agenda (.ics) : "
        + " et ".join(parts)
        + "."
    )


# --- A partner's side --------------------------------------------------------------------


@login_required
def my_meetings(request):
    if not partner_structure_ids(request.user):
        raise PermissionDenied
    now = timezone.now()
    meetings = list(meetings_for_partner(request.user).select_related("group"))
    return render(
        request,
        "directory/network_my_meetings.html",
        {
            "upcoming": [m for m in meetings if m.ends_at >= now],
            "past": [m for m in meetings if m.ends_at < now][::-1],
        },
    )


@login_required
def my_meeting(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, for_="attend")
    mine = partner_structure_ids(request.user)
    structures = Structure.objects.filter(pk__in=mine, working_groups=meeting.group).order_by("nom")
    form = None
    if meeting.group.kind == WorkingGroup.Kind.INFO_SESSIONS:
        form = RegistrationForm(request.POST or None, structures=structures)
        if request.method == "POST" and form.is_valid():
            try:
                registration_create(by=request.user, meeting=meeting, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "L'inscription est enregistrée.")
                return redirect("directory:my-meeting", meeting_pk=meeting.pk)
    elif request.method == "POST":
        raise PermissionDenied
    registered = meeting.participants.filter(registered=True).count()
    return render(
        request,
        "directory/network_my_meeting.html",
        {
            "meeting": meeting,
            "form": form,
            "ours": list(
                meeting.participants.filter(structure__in=mine).select_related("structure")
            ),
            "items": list(meeting.items.select_related("owner")),
            "places_left": (
                max(meeting.capacity - registered, 0) if meeting.capacity is not None else None
            ),
        },
    )


@login_required
def my_meeting_ics(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, for_="attend")
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def registration_cancel_view(request, participant_pk):
    participant = (
        Participant.objects.filter(
            structure_id__in=partner_structure_ids(request.user), registered=True
        )
        .select_related("meeting")
        .filter(pk=participant_pk)
        .first()
    )
    if participant is None:
        raise Http404
    meeting = participant.meeting
    registration_cancel(by=request.user, participant=participant)
    messages.success(request, "L'inscription est annulée.")
    return redirect("directory:my-meeting", meeting_pk=meeting.pk)
