"""Reads and messages of the partners' network: a meeting's iCalendar invitation, the
invitation and "guide update" e-mails. The update campaign reuses the directory's signed
"toujours exact" links (``directory.freshness.confirm_token``): each partner present gets
the list of its entries, each with its one-click confirmation and its edit link."""

import datetime

import icalendar
from django.core.mail import EmailMessage, send_mail
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from petitspas.directory.freshness import confirm_token, max_age_days
from petitspas.directory.models import OWNER_ROLES, Change, Meeting, Participant, Structure

PRODID = "-//Petits Pas//Réseau des partenaires//FR"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@petitspas"


def meeting_ics(meeting: Meeting) -> bytes:
    """A VCALENDAR with the meeting as one VEVENT: METHOD:REQUEST (an invitation), or
    METHOD:CANCEL with the same UID once the meeting is cancelled."""
    calendar = icalendar.Calendar.new(prodid=PRODID)
    calendar.add("method", "CANCEL" if meeting.cancelled else "REQUEST")
    event = icalendar.Event.new(
        uid=meeting_uid(meeting),
        start=meeting.starts_at.astimezone(datetime.UTC),
        end=meeting.ends_at.astimezone(datetime.UTC),
        stamp=timezone.now().astimezone(datetime.UTC).replace(microsecond=0),
        summary=meeting.title,
        location=meeting.place,
        description=meeting.agenda,
    )
    if meeting.cancelled:
        # RFC 5546: a CANCEL carries the invitation's UID and a higher SEQUENCE.
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    calendar.add_component(event)
    return calendar.to_ical()


def structure_recipients(structure: Structure) -> list[str]:
    """A structure's contact address and its owning organisation's editors."""
    emails = {structure.courriel} if structure.courriel else set()
    if structure.organisation_id:
        emails |= set(
            structure.organisation.memberships.filter(
                is_active=True, role__in=OWNER_ROLES, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    return sorted(e for e in emails if e)


def send_invitation(meeting: Meeting, structure: Structure, *, base_url: str) -> int:
    recipients = structure_recipients(structure)
    if not recipients:
        return 0
    local = timezone.localtime(meeting.starts_at)
    context = {
        "meeting": meeting,
        "structure": structure,
        "url": base_url + reverse("directory:my-meeting", args=[meeting.pk]),
    }
    message = EmailMessage(
        subject=f"Invitation : {meeting.title} le {local:%d/%m/%Y à %H:%M}",
        body=render_to_string("directory/email/network_invitation.txt", context),
        to=recipients,
    )
    message.attach("invitation.ics", meeting_ics(meeting), "text/calendar; method=REQUEST")
    message.send()
    return len(recipients)


def cancellation_recipients(meeting: Meeting) -> list[str]:
    """Whoever the meeting reached: the member structures' addresses once the invitations
    went out, and the people registered (an information session) with their structures'."""
    emails: set[str] = set()
    if meeting.invitations_sent_at is not None:
        for structure in meeting.group.members.select_related("organisation"):
            emails.update(structure_recipients(structure))
    registered = meeting.participants.filter(registered=True).select_related(
        "structure__organisation"
    )
    for participant in registered:
        if participant.email:
            emails.add(participant.email)
        emails.update(structure_recipients(participant.structure))
    return sorted(emails)


def send_cancellation(meeting: Meeting, *, base_url: str) -> int:
    """E-mail each address the meeting reached its cancellation, the reason and the
    iCalendar CANCEL that removes it from their calendars; the number of addresses."""
    recipients = cancellation_recipients(meeting)
    local = timezone.localtime(meeting.starts_at)
    body = render_to_string(
        "directory/email/network_cancellation.txt",
        {
            "meeting": meeting,
            "url": base_url + reverse("directory:my-meeting", args=[meeting.pk]),
        },
    )
    ics = meeting_ics(meeting)
    for address in recipients:
        message = EmailMessage(
            subject=f"Annulée : {meeting.title} du {local:%d/%m/%Y à %H:%M}",
            body=body,
            to=[address],
        )
        message.attach("annulation.ics", ics, "text/calendar; method=CANCEL")
        message.send()
    return len(recipients)


def send_campaign(meeting: Meeting, structure: Structure, *, base_url: str) -> int:
    """Ask a partner present at ``meeting`` to confirm its entries: one signed link each."""
    recipients = structure_recipients(structure)
    services = list(structure.services.order_by("nom"))
    if not recipients or not services:
        return 0
    entries = [
        {
            "service": s,
            "confirm_url": base_url + reverse("directory:confirm", args=[confirm_token(s)]),
            "edit_url": base_url + reverse("directory:service-edit", args=[s.pk]),
        }
        for s in services
    ]
    send_mail(
        subject=f"Guide parentalité : merci de vérifier les fiches de {structure.nom}",
        message=render_to_string(
            "directory/email/network_campaign.txt",
            {
                "meeting": meeting,
                "structure": structure,
                "entries": entries,
                "days": max_age_days(),
            },
        ),
        from_email=None,
        recipient_list=recipients,
    )
    return len(services)


def campaign_progress(meeting: Meeting) -> list[dict]:
    """Per structure present: its services and how many were confirmed (or edited) since
    the campaign opened."""
    if meeting.campaign_opened_at is None:
        return []
    present = Structure.objects.filter(
        participations__meeting=meeting, participations__attended=True
    ).distinct()
    since = meeting.campaign_opened_at
    rows = present.annotate(
        services_count=Count("services", distinct=True),
        confirmed=Count(
            "changes__service",
            filter=Q(
                changes__at__gte=since,
                changes__service__isnull=False,
                changes__kind__in=[Change.Kind.CONFIRM, Change.Kind.UPDATE],
            ),
            distinct=True,
        ),
    ).order_by("nom")
    return [{"structure": s, "services": s.services_count, "confirmed": s.confirmed} for s in rows]


def attendance_counts(meeting: Meeting) -> dict:
    rows = Participant.objects.filter(meeting=meeting)
    return {
        "invited": rows.count(),
        "present": rows.filter(attended=True).count(),
        "absent": rows.filter(attended=False).count(),
    }
