"""The diagnosis groups: working groups of the network with people as members,
invited to the meetings, whose attendance and minutes are the network's."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from petitspas.diagnosis.services_participation import group_create, group_person_add
from petitspas.directory.models import GroupPerson, Participant, Structure, WorkingGroup
from petitspas.directory.services_network import attendance_record, meeting_create


def paris(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def group(alice):
    return group_create(
        by=alice.coordinator,
        organisation=alice.organisation,
        name="Groupe-ressource du 18e",
        kind=WorkingGroup.Kind.RESOURCE,
    )


def test_members_are_professionals_with_accounts_or_residents_by_consent(alice, bob, group):
    group_person_add(by=alice.coordinator, group=group, user=alice.professional, role="EJE")
    group_person_add(
        by=alice.coordinator, group=group, first_name="Fatou", contact="06 11", consent=True
    )
    with pytest.raises(ValidationError) as error:
        group_person_add(by=alice.coordinator, group=group, first_name="Yann", contact="06 22")
    assert "accord" in error.value.message_dict["contact"][0]
    with pytest.raises(ValidationError) as error:
        group_person_add(by=alice.coordinator, group=group, user=bob.professional)
    assert "équipe" in error.value.message_dict["user"][0]
    with pytest.raises(ValidationError) as error:
        group_person_add(by=alice.coordinator, group=group, user=alice.professional)
    assert "déjà membre" in error.value.message_dict["user"][0]
    with pytest.raises(ValidationError):
        group_person_add(by=alice.coordinator, group=group, first_name=" ")
    with pytest.raises(PermissionDenied):
        group_person_add(by=alice.professional, group=group, first_name="Zoé")
    with pytest.raises(PermissionDenied):
        group_person_add(by=bob.admin, group=group, first_name="Zoé")
    assert [str(p) for p in group.people.all()] == [alice.professional.get_full_name(), "Fatou"]
    # The database holds the rule too: no contact without consent.
    with pytest.raises(IntegrityError):
        GroupPerson.objects.create(group=group, first_name="Léo", contact="x", consent=False)


def test_meetings_invite_the_people_and_record_their_attendance(alice, group, travel):
    travel(datetime.date(2030, 3, 1))
    structure = Structure.objects.create(source_id="g-1", nom="Centre social Belliard")
    group.members.add(structure)
    fatou = group_person_add(by=alice.coordinator, group=group, first_name="Fatou")
    meeting = meeting_create(
        by=alice.coordinator,
        group=group,
        title="Groupe-ressource : restitution",
        starts_at=paris(datetime.date(2030, 3, 10), 18),
        ends_at=paris(datetime.date(2030, 3, 10), 20),
        place="Centre social Belliard",
    )
    # Someone who joins later is invited to the meetings to come.
    karim = group_person_add(by=alice.coordinator, group=group, user=alice.professional)
    labels = sorted(p.label for p in meeting.participants.all())
    assert labels == sorted(["Centre social Belliard", "Fatou", str(karim)])
    travel(paris(datetime.date(2030, 3, 10), 19))
    present = Participant.objects.get(meeting=meeting, person=fatou)
    attendance_record(by=alice.coordinator, meeting=meeting, present_ids={present.pk})
    assert Participant.objects.filter(meeting=meeting, attended=True).get().person == fatou


def test_group_pages(client, alice, bob, group):
    client.force_login(alice.coordinator)
    response = client.post(
        reverse("diagnosis:group", kwargs={"group_pk": group.pk}),
        {"first_name": "", "contact": "07 00", "consent": ""},
    )
    assert response.status_code == 400
    assert "07 00" in response.content.decode()
    client.post(
        reverse("diagnosis:group", kwargs={"group_pk": group.pk}),
        {"first_name": "Mariam", "role": "habitante-relais"},
    )
    page = client.get(reverse("diagnosis:groups")).content.decode()
    assert "Groupe-ressource du 18e" in page
    response = client.post(
        reverse("diagnosis:groups"), {"name": "Groupe d'ingénierie", "kind": "ingenierie"}
    )
    created = WorkingGroup.objects.get(kind="ingenierie")
    assert response["Location"] == reverse("diagnosis:group", kwargs={"group_pk": created.pk})
    client.force_login(bob.coordinator)
    assert "Groupe-ressource du 18e" not in client.get(reverse("diagnosis:groups")).content.decode()
    # The network's own groups are not diagnosis groups.
    client.force_login(alice.coordinator)
    network = WorkingGroup.objects.create(organisation=alice.organisation, name="CLSM")
    assert (
        client.get(reverse("diagnosis:group", kwargs={"group_pk": network.pk})).status_code == 404
    )
