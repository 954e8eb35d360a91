"""Correcting and deleting a meeting's decisions and actions, and cancelling a meeting: the
reason e-mailed with an iCalendar CANCEL of the invitation (same UID), the meeting shown as
"annulée" everywhere, and no more registrations."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from petitspas.core.audit import ACTION_SENTENCES
from petitspas.core.models import AuditEntry
from petitspas.directory.models import MeetingItem, Participant, WorkingGroup
from petitspas.directory.network import meeting_uid
from petitspas.directory.services_network import (
    attendance_record,
    invitations_send,
    item_delete,
    item_update,
    meeting_cancel,
    meeting_create,
    minutes_save,
    registration_create,
)
from petitspas.directory.tests import test_network
from petitspas.directory.tests.test_network import BASE, _partner, paris

network = test_network.network

DAY = datetime.date(2026, 3, 19)


@pytest.fixture
def meeting(network, alice):
    group, _ = network
    return meeting_create(
        by=alice.coordinator,
        group=group,
        title="Groupe de travail parentalité",
        starts_at=paris(DAY, 14),
        ends_at=paris(DAY, 16),
        place="La Clef d'Or",
    )


@pytest.fixture
def items(meeting, network, alice):
    _, partners = network
    minutes_save(
        by=alice.coordinator,
        meeting=meeting,
        minutes="Tour de table.",
        new_item={"kind": "decision", "text": "Prochaine édition du guide en juin"},
    )
    minutes_save(
        by=alice.coordinator,
        meeting=meeting,
        minutes="Tour de table.",
        new_item={
            "kind": "action",
            "text": "Relire le guide",
            "owner": partners[0][1],
            "due_on": datetime.date(2026, 4, 30),
        },
    )
    return {i.kind: i for i in meeting.items.all()}


def test_an_action_is_corrected_with_the_same_rules(items, network, alice, bob):
    _, partners = network
    action = items["action"]
    _, outsider = _partner("Ailleurs")
    with pytest.raises(PermissionDenied):
        item_update(by=bob.admin, item=action, kind="action", text="x", owner_label="Bob")
    with pytest.raises(ValidationError, match="pas membre du groupe"):
        item_update(
            by=alice.coordinator,
            item=action,
            kind="action",
            text="Relire",
            owner=outsider,
            due_on=datetime.date(2026, 5, 1),
        )
    with pytest.raises(ValidationError, match="échéance"):
        item_update(
            by=alice.coordinator,
            item=action,
            kind="action",
            text="Relire",
            owner_label="Coordination",
        )
    with pytest.raises(ValidationError, match="Écrivez"):
        item_update(by=alice.coordinator, item=action, kind="decision", text="  ")
    item_update(
        by=alice.professional,
        item=action,
        kind="action",
        text="Relire le guide, fiches 1 à 20",
        owner=partners[1][1],
        due_on=datetime.date(2026, 5, 15),
    )
    action.refresh_from_db()
    assert (action.text, action.owner, action.due_on) == (
        "Relire le guide, fiches 1 à 20",
        partners[1][1],
        datetime.date(2026, 5, 15),
    )
    # An action turned into a decision loses its due date.
    item_update(by=alice.coordinator, item=action, kind="decision", text="Guide relu en séance")
    action.refresh_from_db()
    assert action.kind == "decision" and action.due_on is None
    assert AuditEntry.objects.filter(action="network.item_update").count() == 2


def test_an_item_is_deleted_by_the_organiser_only(items, alice, bob):
    decision = items["decision"]
    with pytest.raises(PermissionDenied):
        item_delete(by=bob.admin, item=decision)
    item_delete(by=alice.coordinator, item=decision)
    assert list(MeetingItem.objects.values_list("kind", flat=True)) == ["action"]
    entry = AuditEntry.objects.get(action="network.item_delete")
    assert entry.details == {"item": decision.pk, "kind": "decision"}


def test_minutes_pages_correct_and_delete_an_item(client, items, meeting, alice):
    client.force_login(alice.coordinator)
    action = items["action"]
    minutes = client.get(reverse("directory:meeting-minutes", args=[meeting.pk])).text
    edit = reverse("directory:meeting-item-edit", args=[action.pk])
    delete = reverse("directory:meeting-item-delete", args=[action.pk])
    assert edit in minutes and delete in minutes
    response = client.post(edit, {"kind": "action", "text": "Relire tout le guide", "due_on": ""})
    assert response.status_code == 200
    assert "Une action a un porteur" in response.text
    assert 'value="Relire tout le guide"' in response.text
    response = client.post(
        edit,
        {
            "kind": "action",
            "text": "Relire tout le guide",
            "owner_label": "La coordination",
            "due_on": "2026-04-30",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner_name == "La coordination" and action.owner is None
    page = client.get(delete)
    assert "Supprimer cette action ?" in page.text and "Relire tout le guide" in page.text
    assert MeetingItem.objects.filter(pk=action.pk).exists()
    assert client.post(delete).status_code == 302
    assert not MeetingItem.objects.filter(pk=action.pk).exists()


def test_cancelling_a_meeting_tells_everyone_with_an_icalendar_cancel(
    meeting,
    network,
    alice,
    bob,
    travel,
):
    invitations_send(by=alice.coordinator, meeting=meeting, base_url=BASE)
    invitation = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1])
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        meeting_cancel(by=bob.admin, meeting=meeting, reason="x", base_url=BASE)
    with pytest.raises(ValidationError, match="motif"):
        meeting_cancel(by=alice.coordinator, meeting=meeting, reason="  ", base_url=BASE)
    assert not mail.outbox
    reached = meeting_cancel(
        by=alice.coordinator,
        meeting=meeting,
        reason="La salle n'est pas disponible ; nouvelle date en avril.",
        base_url=BASE,
    )
    # Three structures, each its contact address and its partner member.
    assert reached == 6 and len(mail.outbox) == 6
    message = mail.outbox[0]
    assert message.subject == "Annulée : Groupe de travail parentalité du 19/03/2026 à 14:00"
    assert "La salle n'est pas disponible" in message.body
    assert BASE + reverse("directory:my-meeting", args=[meeting.pk]) in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "annulation.ics" and "method=CANCEL" in mimetype
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == str(invitation.walk("VEVENT")[0]["UID"]) == meeting_uid(meeting)
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) > int(invitation.walk("VEVENT")[0].get("SEQUENCE", 0))
    meeting.refresh_from_db()
    assert meeting.cancelled and meeting.cancelled_at is not None
    entry = AuditEntry.objects.get(action="network.meeting_cancel")
    assert entry.details == {"reached": 6}
    with pytest.raises(ValidationError, match="déjà annulée"):
        meeting_cancel(by=alice.coordinator, meeting=meeting, reason="x", base_url=BASE)
    with pytest.raises(ValidationError, match="annulée"):
        invitations_send(by=alice.coordinator, meeting=meeting, base_url=BASE)
    travel(paris(DAY, 17))
    with pytest.raises(ValidationError, match="annulée"):
        attendance_record(by=alice.coordinator, meeting=meeting, present_ids=set())


def test_a_started_meeting_cannot_be_cancelled(meeting, alice, travel):
    travel(paris(DAY, 14, 30))
    with pytest.raises(ValidationError, match="déjà commencé"):
        meeting_cancel(by=alice.coordinator, meeting=meeting, reason="Trop tard", base_url=BASE)


def test_a_cancelled_session_takes_no_more_registrations(alice, travel):
    travel(datetime.date(2026, 3, 2))
    (user_a, chenes), (user_b, liberte) = _partner("Chênes"), _partner("Liberté")
    sessions = WorkingGroup.objects.create(
        organisation=alice.organisation,
        name="Sessions d'information",
        kind=WorkingGroup.Kind.INFO_SESSIONS,
    )
    sessions.members.set([chenes, liberte])
    session = meeting_create(
        by=alice.coordinator,
        group=sessions,
        title="Les écrans et les tout-petits",
        starts_at=paris(datetime.date(2026, 4, 2), 9),
        ends_at=paris(datetime.date(2026, 4, 2), 12),
        place="Salle",
        capacity=15,
    )
    registration_create(
        by=user_a, meeting=session, structure=chenes, person_name="Inès", email="ines@ex.fr"
    )
    # No invitation was sent: only the person registered and her structure are told.
    reached = meeting_cancel(
        by=alice.coordinator, meeting=session, reason="Intervenante malade", base_url=BASE
    )
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        ["ines@ex.fr", "accueil@chên.fr", user_a.email]
    )
    assert reached == 3
    with pytest.raises(ValidationError, match="annulée"):
        registration_create(
            by=user_b, meeting=session, structure=liberte, person_name="Marc", email="m@ex.fr"
        )
    assert Participant.objects.filter(meeting=session).count() == 1


def test_cancel_page_and_the_meeting_shown_as_cancelled_everywhere(
    client,
    meeting,
    network,
    alice,
):
    _, partners = network
    partner = partners[0][0]
    client.force_login(alice.coordinator)
    page = client.get(reverse("directory:meeting", args=[meeting.pk])).text
    url = reverse("directory:meeting-cancel", args=[meeting.pk])
    assert url in page
    confirm = client.get(url)
    assert "Annuler la réunion ?" in confirm.text
    assert "Les invitations ne sont pas parties et personne n&#x27;est inscrit" in confirm.text
    client.post(reverse("directory:meeting-invite", args=[meeting.pk]))
    assert "Prévenues par courriel" in client.get(url).text
    assert ": 3 structures invitées." in client.get(url).text
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Indiquez le motif" in response.text
    assert not type(meeting).objects.get(pk=meeting.pk).cancelled
    response = client.post(url, {"reason": "Salle indisponible"})
    assert response.status_code == 302
    page = client.get(reverse("directory:meeting", args=[meeting.pk])).text
    assert "Réunion annulée" in page and "Motif : Salle indisponible" in page
    assert reverse("directory:meeting-invite", args=[meeting.pk]) not in page
    assert url not in page
    group_page = client.get(reverse("directory:group", args=[meeting.group_id])).text
    assert "Annulée" in group_page
    assert client.get(url).status_code == 302  # already cancelled: back to the meeting
    client.force_login(partner)
    mine = client.get(reverse("directory:my-meetings")).text
    assert "Groupe de travail parentalité" in mine and "Annulée" in mine
    page = client.get(reverse("directory:my-meeting", args=[meeting.pk])).text
    assert "Réunion annulée" in page and "Retirer de mon agenda" in page
    ics = client.get(reverse("directory:my-meeting-ics", args=[meeting.pk])).content
    assert icalendar.Calendar.from_ical(ics)["METHOD"] == "CANCEL"


def test_network_pages_of_another_organisation_are_hidden(client, items, meeting, bob, funder):
    urls = [
        reverse("directory:meeting-cancel", args=[meeting.pk]),
        reverse("directory:meeting-item-edit", args=[items["action"].pk]),
        reverse("directory:meeting-item-delete", args=[items["action"].pk]),
    ]
    for user in (bob.admin, funder):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url, {"reason": "x"}).status_code == 404
    meeting.refresh_from_db()
    assert not meeting.cancelled and MeetingItem.objects.count() == 2


def test_the_new_audit_actions_read_in_french():
    for code in ("network.item_update", "network.item_delete", "network.meeting_cancel"):
        assert "{objet}" in ACTION_SENTENCES[code]
