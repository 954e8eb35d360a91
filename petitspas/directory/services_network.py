"""Every write of the partners' network: meetings, invitations, attendance, minutes with
decisions and actions, the guide update campaign, registrations to information sessions.
Keyword-only arguments, one transaction, the permission check and an audit entry."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.directory.models import Meeting, MeetingItem, Participant, Structure, WorkingGroup
from petitspas.directory.network import send_campaign, send_cancellation, send_invitation
from petitspas.directory.permissions import partner_structure_ids

FULL = "La session est complète : il n'y a plus de place."
CANCELLED = "Cette réunion est annulée."


def _manage(by, meeting: Meeting) -> Meeting:
    locked = Meeting.objects.visible_to(by).select_for_update().filter(pk=meeting.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


@transaction.atomic
def meeting_create(
    *,
    by,
    group: WorkingGroup,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    agenda: str = "",
    capacity: int | None = None,
) -> Meeting:
    if not WorkingGroup.objects.visible_to(by).filter(pk=group.pk).exists():
        raise PermissionDenied
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "La fin doit être après le début."})
    if group.kind == WorkingGroup.Kind.INFO_SESSIONS and not capacity:
        raise ValidationError({"capacity": "Indiquez le nombre de places de la session."})
    meeting = Meeting.objects.create(
        group=group,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        agenda=agenda.strip(),
        capacity=capacity,
    )
    if group.kind != WorkingGroup.Kind.INFO_SESSIONS:
        Participant.objects.bulk_create(
            Participant(meeting=meeting, structure=s) for s in group.members.all()
        )
        # The diagnosis' groups also have people as members (professionals, residents).
        Participant.objects.bulk_create(
            Participant(meeting=meeting, person=p) for p in group.people.all()
        )
    audit_log(by, "network.meeting_create", meeting)
    return meeting


@transaction.atomic
def invitations_send(*, by, meeting: Meeting, base_url: str) -> int:
    """E-mail each member structure the invitation with its .ics; the number of e-mails
    (structures reached)."""
    meeting = _manage(by, meeting)
    if meeting.cancelled:
        raise ValidationError(CANCELLED)
    if meeting.is_past:
        raise ValidationError("Cette réunion est passée : les invitations ne partent plus.")
    structures = meeting.group.members.select_related("organisation").order_by("nom")
    reached = 0
    for structure in structures:
        reached += bool(send_invitation(meeting, structure, base_url=base_url))
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at"])
    audit_log(by, "network.invitations_send", meeting, reached=reached)
    return reached


@transaction.atomic
def attendance_record(*, by, meeting: Meeting, present_ids: set[int]) -> int:
    """Mark the participants ``present_ids`` present and the others absent."""
    meeting = _manage(by, meeting)
    if meeting.cancelled:
        raise ValidationError(CANCELLED)
    if meeting.starts_at > timezone.now():
        raise ValidationError("Les présences se notent une fois la réunion commencée.")
    rows = Participant.objects.filter(meeting=meeting)
    known = set(rows.values_list("pk", flat=True))
    if set(present_ids) - known:
        raise ValidationError("Un des participants ne fait pas partie de cette réunion.")
    rows.filter(pk__in=present_ids).update(attended=True)
    rows.exclude(pk__in=present_ids).update(attended=False)
    audit_log(by, "network.attendance", meeting, present=len(present_ids))
    return len(present_ids)


@transaction.atomic
def minutes_save(
    *,
    by,
    meeting: Meeting,
    minutes: str,
    new_item: dict | None = None,
) -> Meeting:
    """Save the minutes' text, and add a decision or an action (``kind``, ``text``, and for
    an action its owner, a member structure or a name, and its due date)."""
    meeting = _manage(by, meeting)
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    if new_item and (new_item.get("text") or "").strip():
        MeetingItem.objects.create(meeting=meeting, **_item_fields(meeting, **new_item))
    audit_log(by, "network.minutes", meeting)
    return meeting


def _item_fields(meeting: Meeting, *, kind, text, owner=None, owner_label="", due_on=None) -> dict:
    """A decision or an action, checked: an action has an owner (a member structure or a
    name) and a due date; a decision has neither date nor need of an owner."""
    text = (text or "").strip()
    owner_label = (owner_label or "").strip()
    if kind not in MeetingItem.Kind.values:
        raise ValidationError({"kind": "Choisissez décision ou action."})
    if not text:
        raise ValidationError({"text": "Écrivez la décision ou l'action."})
    if owner is not None and not meeting.group.members.filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "Ce porteur n'est pas membre du groupe."})
    if kind == MeetingItem.Kind.ACTION and owner is None and not owner_label:
        raise ValidationError({"owner": "Une action a un porteur : choisissez-le."})
    if kind == MeetingItem.Kind.ACTION and not due_on:
        raise ValidationError({"due_on": "Une action a une échéance."})
    return {
        "kind": kind,
        "text": text,
        "owner": owner,
        "owner_label": owner_label,
        "due_on": due_on if kind == MeetingItem.Kind.ACTION else None,
    }


def _lock_item(by, item: MeetingItem) -> MeetingItem:
    _manage(by, item.meeting)
    return MeetingItem.objects.select_for_update().select_related("meeting__group").get(pk=item.pk)


@transaction.atomic
def item_update(
    *, by, item: MeetingItem, kind: str, text: str, owner=None, owner_label="", due_on=None
) -> MeetingItem:
    """Correct a decision or an action of the minutes."""
    item = _lock_item(by, item)
    fields = _item_fields(
        item.meeting, kind=kind, text=text, owner=owner, owner_label=owner_label, due_on=due_on
    )
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=list(fields))
    audit_log(by, "network.item_update", item.meeting, item=item.pk, kind=item.kind)
    return item


@transaction.atomic
def item_delete(*, by, item: MeetingItem) -> None:
    item = _lock_item(by, item)
    audit_log(by, "network.item_delete", item.meeting, item=item.pk, kind=item.kind)
    item.delete()


@transaction.atomic
def meeting_cancel(*, by, meeting: Meeting, reason: str, base_url: str) -> int:
    """Cancel a meeting to come: it stays listed as "annulée", takes no more registrations,
    and everyone it was sent to (the member structures, the people registered) gets the
    reason with an iCalendar CANCEL of the invitation. The number of addresses written to."""
    meeting = _manage(by, meeting)
    if meeting.cancelled:
        raise ValidationError("Cette réunion est déjà annulée.")
    if meeting.starts_at <= timezone.now():
        raise ValidationError("Cette réunion a déjà commencé : elle ne peut plus être annulée.")
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Indiquez le motif : il est envoyé aux partenaires avec l'annulation."}
        )
    meeting.cancelled = True
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason
    meeting.save(update_fields=["cancelled", "cancelled_at", "cancel_reason"])
    reached = send_cancellation(meeting, base_url=base_url)
    audit_log(by, "network.meeting_cancel", meeting, reached=reached)
    return reached


@transaction.atomic
def campaign_open(*, by, meeting: Meeting, base_url: str) -> int:
    """Ask each partner present to confirm its entries (the signed "toujours exact" links);
    the number of entries asked for."""
    meeting = _manage(by, meeting)
    if meeting.cancelled:
        raise ValidationError(CANCELLED)
    if meeting.campaign_opened_at is not None:
        raise ValidationError("La mise à jour du guide est déjà ouverte pour cette réunion.")
    present = (
        Structure.objects.filter(participations__meeting=meeting, participations__attended=True)
        .distinct()
        .select_related("organisation")
    )
    if not present.exists():
        raise ValidationError("Notez d'abord les présences : la campagne s'adresse aux présents.")
    meeting.campaign_opened_at = timezone.now()
    meeting.save(update_fields=["campaign_opened_at"])
    asked = sum(send_campaign(meeting, s, base_url=base_url) for s in present)
    audit_log(by, "network.campaign_open", meeting, entries=asked)
    return asked


@transaction.atomic
def registration_create(
    *, by, meeting: Meeting, structure: Structure, person_name: str, email: str
) -> Participant:
    """A partner registers one of its staff to an information session."""
    if structure.pk not in partner_structure_ids(by):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.group.members.filter(pk=structure.pk).exists():
        raise PermissionDenied
    if meeting.cancelled:
        raise ValidationError(CANCELLED, code="cancelled")
    if meeting.group.kind != "info":
        raise ValidationError("Cette réunion est sur invitation : pas d'inscription.")
    if meeting.is_past:
        raise ValidationError("Cette session est passée.")
    if not person_name.strip():
        raise ValidationError({"person_name": "Indiquez le nom de la personne inscrite."})
    taken = Participant.objects.filter(meeting=meeting, registered=True).count()
    if meeting.capacity is not None and taken >= meeting.capacity:
        raise ValidationError(FULL, code="full")
    if Participant.objects.filter(meeting=meeting, structure=structure, email=email).exists():
        raise ValidationError({"email": "Cette personne est déjà inscrite."})
    participant = Participant.objects.create(
        meeting=meeting,
        structure=structure,
        person_name=person_name.strip(),
        email=email,
        registered=True,
    )
    audit_log(by, "network.registration_create", meeting, structure=structure.pk)
    return participant


@transaction.atomic
def registration_cancel(*, by, participant: Participant) -> None:
    if participant.structure_id not in partner_structure_ids(by):
        raise PermissionDenied
    meeting = participant.meeting
    participant.delete()
    audit_log(by, "network.registration_cancel", meeting)


@transaction.atomic
def group_members_set(*, by, group: WorkingGroup, structures) -> tuple[int, int]:
    """Make ``structures`` the group's members; the working group's meetings still to come
    invite the new members and no longer the ones who left. (added, removed)."""
    if not WorkingGroup.objects.visible_to(by).filter(pk=group.pk).exists():
        raise PermissionDenied
    wanted = {s.pk: s for s in structures}
    current = set(group.members.values_list("pk", flat=True))
    added, removed = set(wanted) - current, current - set(wanted)
    group.members.set(list(wanted.values()))
    if group.kind != WorkingGroup.Kind.INFO_SESSIONS:
        coming = list(group.meetings.filter(starts_at__gt=timezone.now(), cancelled=False))
        Participant.objects.filter(meeting__in=coming, structure_id__in=removed).delete()
        Participant.objects.bulk_create(
            [Participant(meeting=m, structure=wanted[pk]) for m in coming for pk in added],
            ignore_conflicts=True,
        )
    audit_log(by, "network.members_update", group, added=len(added), removed=len(removed))
    return len(added), len(removed)
