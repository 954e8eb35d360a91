"""The partners' network: meetings of a working group (invitations with an iCalendar file,
attendance, minutes, the guide update campaign) and information sessions (registrations),
and what a partner sees of them."""

import datetime
import re

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from petitspas.directory.models import (
    Meeting,
    MeetingItem,
    Participant,
    Service,
    Territory,
    WorkingGroup,
)
from petitspas.directory.network import campaign_progress
from petitspas.directory.services_network import (
    attendance_record,
    campaign_open,
    group_members_set,
    invitations_send,
    meeting_create,
    minutes_save,
    registration_create,
)
from petitspas.directory.tests.test_directory import make_service, make_structure
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory

BASE = "https://petitspas.example"


def paris(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _partner(name):
    organisation = OrganisationFactory(name=name, kind="partner", departement="92")
    user = MembershipFactory(
        organisation=organisation, role=Role.PARTNER, user__email=f"{name[:4].lower()}@ex.fr"
    ).user
    structure = make_structure(
        user, nom=name, courriel=f"accueil@{name[:4].lower()}.fr", source_id=f"test--{name}"
    )
    make_service(user, structure, nom=f"Accueil de {name}", source_id=f"test--{name}-1")
    make_service(user, structure, nom=f"Permanence de {name}", source_id=f"test--{name}-2")
    return user, structure


@pytest.fixture
def network(alice, travel):
    travel(datetime.date(2026, 3, 2))
    partners = [_partner(n) for n in ("Chênes", "Liberté", "Gambetta")]
    group = WorkingGroup.objects.create(
        organisation=alice.organisation, name="Soutien à la parentalité"
    )
    group.members.set([s for _, s in partners])
    return group, partners


def test_meeting_invitations_carry_an_icalendar_file(network, alice, bob, travel):
    travel(datetime.date(2026, 3, 2))
    group, partners = network
    with pytest.raises(PermissionDenied):
        meeting_create(
            by=bob.admin,
            group=group,
            title="x",
            starts_at=paris(datetime.date(2026, 3, 19), 14),
            ends_at=paris(datetime.date(2026, 3, 19), 16),
            place="Salle",
        )
    with pytest.raises(ValidationError, match="après le début"):
        meeting_create(
            by=alice.coordinator,
            group=group,
            title="x",
            starts_at=paris(datetime.date(2026, 3, 19), 14),
            ends_at=paris(datetime.date(2026, 3, 19), 14),
            place="Salle",
        )
    meeting = meeting_create(
        by=alice.coordinator,
        group=group,
        title="Groupe de travail parentalité",
        starts_at=paris(datetime.date(2026, 3, 19), 14),
        ends_at=paris(datetime.date(2026, 3, 19), 16),
        place="La Clef d'Or, 28 boulevard Henri-Sellier",
        agenda="1. Guide parentalité\n2. Écrans",
    )
    assert meeting.participants.count() == 3
    assert invitations_send(by=alice.coordinator, meeting=meeting, base_url=BASE) == 3
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject == "Invitation : Groupe de travail parentalité le 19/03/2026 à 14:00"
    (name, content, mimetype) = message.attachments[0]
    assert name == "invitation.ics" and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == paris(datetime.date(2026, 3, 19), 14)
    assert str(event["LOCATION"]).startswith("La Clef d'Or")
    assert "Guide parentalité" in str(event["DESCRIPTION"])
    assert BASE + reverse("directory:my-meeting", args=[meeting.pk]) in message.body


def test_attendance_minutes_and_the_guide_update_campaign(network, alice, travel):
    travel(datetime.date(2026, 3, 2))
    group, partners = network
    day = datetime.date(2026, 3, 19)
    meeting = meeting_create(
        by=alice.coordinator,
        group=group,
        title="Groupe de travail",
        starts_at=paris(day, 14),
        ends_at=paris(day, 16),
        place="Salle",
    )
    chenes, liberte, gambetta = (s for _, s in partners)
    rows = {p.structure.nom: p for p in meeting.participants.select_related("structure")}
    with pytest.raises(ValidationError, match="une fois la réunion commencée"):
        attendance_record(by=alice.coordinator, meeting=meeting, present_ids={rows["Chênes"].pk})
    travel(paris(day, 17))
    with pytest.raises(ValidationError, match="ne fait pas partie"):
        attendance_record(by=alice.coordinator, meeting=meeting, present_ids={999999})
    with pytest.raises(ValidationError, match="Notez d'abord les présences"):
        campaign_open(by=alice.coordinator, meeting=meeting, base_url=BASE)
    attendance_record(
        by=alice.coordinator,
        meeting=meeting,
        present_ids={rows["Chênes"].pk, rows["Gambetta"].pk},
    )
    assert list(
        meeting.participants.order_by("structure__nom").values_list("attended", flat=True)
    ) == [True, True, False]  # Chênes, Gambetta, Liberté
    # Minutes: an action needs an owner and a due date.
    with pytest.raises(ValidationError, match="porteur"):
        minutes_save(
            by=alice.coordinator,
            meeting=meeting,
            minutes="Tour de table.",
            new_item={"kind": "action", "text": "Relire le guide", "owner": None, "due_on": None},
        )
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
            "owner": chenes,
            "due_on": datetime.date(2026, 4, 30),
        },
    )
    assert [(i.kind, i.owner_name) for i in meeting.items.all()] == [
        ("action", chenes.nom),
        ("decision", ""),
    ]
    # The campaign asks the two partners present, two entries each, with signed links.
    mail.outbox.clear()
    assert campaign_open(by=alice.coordinator, meeting=meeting, base_url=BASE) == 4
    assert sorted(m.subject for m in mail.outbox) == [
        "Guide parentalité : merci de vérifier les fiches de Chênes",
        "Guide parentalité : merci de vérifier les fiches de Gambetta",
    ]
    with pytest.raises(ValidationError, match="déjà ouverte"):
        campaign_open(by=alice.coordinator, meeting=meeting, base_url=BASE)
    links = re.findall(
        r"https://petitspas\.example(/annuaire/confirmer/[^/\s]+/)", mail.outbox[0].body
    )
    assert len(links) == 2
    travel(paris(day + datetime.timedelta(days=1), 10))
    response = Client().post(links[0])
    assert response.status_code == 200
    meeting.refresh_from_db()
    progress = {
        row["structure"].nom: (row["services"], row["confirmed"])
        for row in campaign_progress(meeting)
    }
    assert progress == {"Chênes": (2, 1), "Gambetta": (2, 0)}
    assert Service.objects.filter(confirmed_on=day + datetime.timedelta(days=1)).count() == 1
    assert liberte.nom not in progress and gambetta.nom in progress


def test_information_session_registrations(alice, travel):
    travel(datetime.date(2026, 3, 2))
    (user_a, chenes), (user_b, liberte) = _partner("Chênes"), _partner("Liberté")
    _, outsider = _partner("Ailleurs")
    sessions = WorkingGroup.objects.create(
        organisation=alice.organisation,
        name="Sessions d'information",
        kind=WorkingGroup.Kind.INFO_SESSIONS,
    )
    sessions.members.set([chenes, liberte])
    day = datetime.date(2026, 4, 2)
    with pytest.raises(ValidationError, match="nombre de places"):
        meeting_create(
            by=alice.coordinator,
            group=sessions,
            title="Les écrans",
            starts_at=paris(day, 9),
            ends_at=paris(day, 12),
            place="Salle",
        )
    meeting = meeting_create(
        by=alice.coordinator,
        group=sessions,
        title="Les écrans et les tout-petits",
        starts_at=paris(day, 9),
        ends_at=paris(day, 12),
        place="Salle",
        capacity=2,
    )
    assert meeting.participants.count() == 0
    registration_create(
        by=user_a, meeting=meeting, structure=chenes, person_name="Inès", email="ines@ex.fr"
    )
    with pytest.raises(ValidationError, match="déjà inscrite"):
        registration_create(
            by=user_a, meeting=meeting, structure=chenes, person_name="Inès", email="ines@ex.fr"
        )
    with pytest.raises(PermissionDenied):
        registration_create(
            by=user_b, meeting=meeting, structure=chenes, person_name="X", email="x@ex.fr"
        )
    registration_create(
        by=user_b, meeting=meeting, structure=liberte, person_name="Marc", email="marc@ex.fr"
    )
    with pytest.raises(ValidationError, match="complète"):
        registration_create(
            by=user_a, meeting=meeting, structure=chenes, person_name="Zoé", email="zoe@ex.fr"
        )
    assert Participant.objects.filter(meeting=meeting, registered=True).count() == 2
    assert outsider.pk not in set(meeting.participants.values_list("structure", flat=True))


def test_partners_see_only_their_own_meetings(client, network, alice, travel):
    travel(datetime.date(2026, 3, 2))
    group, partners = network
    day = datetime.date(2026, 3, 19)
    meeting = meeting_create(
        by=alice.coordinator,
        group=group,
        title="Groupe de travail",
        starts_at=paris(day, 14),
        ends_at=paris(day, 16),
        place="Salle",
    )
    other_user, _ = _partner("Ailleurs")
    member_user = partners[0][0]
    client.force_login(member_user)
    page = client.get(reverse("directory:my-meetings")).content.decode()
    assert "Groupe de travail" in page
    assert client.get(reverse("directory:my-meeting", args=[meeting.pk])).status_code == 200
    ics = client.get(reverse("directory:my-meeting-ics", args=[meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    # Not the organiser's page, nor another partner's meeting.
    assert client.get(reverse("directory:meeting", args=[meeting.pk])).status_code == 404
    client.force_login(other_user)
    assert client.get(reverse("directory:my-meeting", args=[meeting.pk])).status_code == 404
    assert "Groupe de travail" not in client.get(reverse("directory:my-meetings")).content.decode()


def test_meeting_pages(client, network, alice, travel):
    travel(datetime.date(2026, 3, 2))
    group, _ = network
    client.force_login(alice.coordinator)
    url = reverse("directory:group", args=[group.pk])
    response = client.post(
        url,
        {
            "title": "Groupe",
            "day": "2026-03-19",
            "starts": "16:00",
            "ends": "14:00",
            "place": "Salle",
        },
    )
    assert "La fin doit être après le début" in response.content.decode()
    assert 'value="Groupe"' in response.content.decode()
    response = client.post(
        url,
        {
            "title": "Groupe",
            "day": "2026-03-19",
            "starts": "14:00",
            "ends": "16:00",
            "place": "Salle",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("directory:meeting", args=[meeting.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Envoyer les invitations" in page and "Chênes" in page
    client.post(reverse("directory:meeting-invite", args=[meeting.pk]))
    assert len(mail.outbox) == 3
    response = client.post(
        reverse("directory:meeting-minutes", args=[meeting.pk]),
        {
            "minutes": "Tour de table",
            "kind": "action",
            "text": "Relire",
            "owner_label": "Coordination",
        },
    )
    assert "Une action a une échéance" in response.content.decode()
    assert MeetingItem.objects.count() == 0


def test_members_change_the_invitations_of_meetings_to_come(client, network, alice, bob):
    group, partners = network
    day = datetime.date(2026, 3, 19)
    meeting = meeting_create(
        by=alice.coordinator,
        group=group,
        title="Groupe de travail",
        starts_at=paris(day, 14),
        ends_at=paris(day, 16),
        place="Salle",
    )
    _, newcomer = _partner("Nouvelle")
    chenes, liberte, gambetta = (s for _, s in partners)
    with pytest.raises(PermissionDenied):
        group_members_set(by=bob.admin, group=group, structures=[chenes])
    assert group_members_set(
        by=alice.coordinator, group=group, structures=[chenes, liberte, newcomer]
    ) == (1, 1)
    invited = set(meeting.participants.values_list("structure__nom", flat=True))
    assert invited == {"Chênes", "Liberté", "Nouvelle"}
    # The page offers the structures of the organisation's territory.
    Territory.objects.create(organisation=alice.organisation, communes=["92073"])
    client.force_login(alice.coordinator)
    page = client.get(reverse("directory:group-members", args=[group.pk])).content.decode()
    assert "Gambetta" in page and "Nouvelle" in page
    response = client.post(
        reverse("directory:group-members", args=[group.pk]), {"structures": [gambetta.pk]}
    )
    assert response.status_code == 302
    assert list(group.members.values_list("nom", flat=True)) == ["Gambetta"]
