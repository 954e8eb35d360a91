"""The Point Info Famille desk: slots from the calendar function, appointments, the visit
log, orientations and their follow-up, the counts the reports read."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from petitspas.core.models import AuditEntry
from petitspas.directory.desk import desk_slots, orientation_counts, saturday_rank
from petitspas.directory.models import Appointment, Desk, Orientation, Visit
from petitspas.directory.services_desk import (
    appointment_cancel,
    appointment_create,
    orientation_create,
    orientation_follow_up,
    visit_create,
)
from petitspas.directory.tests.test_directory import make_service, make_structure
from petitspas.families.tests.factories import HouseholdFactory
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory
from petitspas.places.models import HalfDay, SiteClosure
from petitspas.places.tests.factories import WeeklyOpeningFactory

AM, PM = HalfDay.MORNING, HalfDay.AFTERNOON
T = datetime.time

# La Clef d'Or's weekly hours (demo, seed 002).
CLEF_D_OR_HOURS = (
    [(d, AM, T(9), T(12)) for d in (1, 2, 4)]
    + [(d, PM, T(13, 30), T(17, 30)) for d in (0, 1, 2, 3)]
    + [(4, PM, T(13, 30), T(17)), (5, AM, T(9), T(12, 30))]
)


def paris(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, T(hour, minute)))


@pytest.fixture
def desk(alice):
    site = alice.site
    site.departement = "92"
    site.commune_code = "92073"
    site.save()
    for weekday, half_day, opens, closes in CLEF_D_OR_HOURS:
        WeeklyOpeningFactory(
            site=site, weekday=weekday, half_day=half_day, opens_at=opens, closes_at=closes
        )
    return Desk.objects.create(
        organisation=alice.organisation, site=site, name="Point Info Famille"
    )


@pytest.fixture
def partner_service(db):
    organisation = OrganisationFactory(name="Centre social", kind="partner", departement="92")
    partner = MembershipFactory(organisation=organisation, role=Role.PARTNER).user
    structure = make_structure(partner, nom="Maison de quartier des Chênes")
    return make_service(partner, structure)


@pytest.fixture
def lawyer_service(db):
    organisation = OrganisationFactory(name="Barreau", kind="partner", departement="92")
    partner = MembershipFactory(organisation=organisation, role=Role.PARTNER).user
    structure = make_structure(partner, nom="Permanence d'avocats")
    return make_service(
        partner,
        structure,
        nom="Consultation juridique gratuite",
        thematiques=[
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
        ],
    )


def test_saturday_rank():
    assert saturday_rank(datetime.date(2026, 3, 7)) == 1
    assert saturday_rank(datetime.date(2026, 3, 14)) == 2
    assert saturday_rank(datetime.date(2026, 3, 28)) == 4


def test_slots_follow_the_site_hours_and_one_saturday_a_month(desk):
    # Week of Monday 2 March 2026: Saturday 7 March is the first of the month.
    slots = desk_slots(desk, datetime.date(2026, 3, 2), datetime.date(2026, 3, 8))
    by_day = {}
    for slot in slots:
        by_day.setdefault(slot.opening.day, []).append(slot)
    counts = {day.isoformat(): len(day_slots) for day, day_slots in by_day.items()}
    # Monday: 13:30–17:30 (8 half-hours); Tuesday, Wednesday: 9–12 and 13:30–17:30 (6 + 8);
    # Thursday: 8; Friday: 6 + 7 (closes at 17:00); Saturday: 9–12:30 (7).
    assert counts == {
        "2026-03-02": 8,
        "2026-03-03": 14,
        "2026-03-04": 14,
        "2026-03-05": 8,
        "2026-03-06": 13,
        "2026-03-07": 7,
    }
    assert slots[0].starts_at == paris(datetime.date(2026, 3, 2), 13, 30)
    # The next week's Saturday (the second of March) is closed for the desk.
    later = desk_slots(desk, datetime.date(2026, 3, 9), datetime.date(2026, 3, 15))
    assert not [s for s in later if s.opening.day.weekday() == 5]
    desk.saturday_rank = 2
    later = desk_slots(desk, datetime.date(2026, 3, 9), datetime.date(2026, 3, 15))
    assert {s.opening.day for s in later if s.opening.day.weekday() == 5} == {
        datetime.date(2026, 3, 14)
    }


def test_public_holidays_and_closures_come_from_the_calendar(desk):
    # Friday 1 May 2026 is Fête du Travail; a closure on Tuesday 5 May afternoon.
    SiteClosure.objects.create(
        site=desk.site,
        starts_on=datetime.date(2026, 5, 5),
        ends_on=datetime.date(2026, 5, 5),
        half_day=PM,
        reason="Réunion d'équipe",
    )
    days = {
        s.opening.day: s
        for s in desk_slots(desk, datetime.date(2026, 5, 1), datetime.date(2026, 5, 5))
    }
    assert datetime.date(2026, 5, 1) not in days
    tuesday = [
        s
        for s in desk_slots(desk, datetime.date(2026, 5, 5), datetime.date(2026, 5, 5))
        if s.opening.day == datetime.date(2026, 5, 5)
    ]
    assert len(tuesday) == 6 and all(s.opening.half_day == AM for s in tuesday)


def test_one_family_per_slot(desk, alice, travel):
    travel(datetime.date(2026, 3, 2))
    tuesday = datetime.date(2026, 3, 3)
    first = appointment_create(
        by=alice.professional, desk=desk, starts_at=paris(tuesday, 9, 30), first_name="Awa"
    )
    assert first.ends_at == paris(tuesday, 10)
    with pytest.raises(ValidationError) as refused:
        appointment_create(
            by=alice.coordinator, desk=desk, starts_at=paris(tuesday, 9, 30), first_name="Léa"
        )
    assert refused.value.error_dict["starts_at"][0].code == "taken"
    assert "déjà pris" in refused.value.messages[0]
    # Not a slot's start, or closed (the second Saturday): refused in French.
    for moment in (paris(tuesday, 9, 10), paris(datetime.date(2026, 3, 14), 9)):
        with pytest.raises(ValidationError, match="pas ouvert sur ce créneau"):
            appointment_create(by=alice.professional, desk=desk, starts_at=moment, first_name="L")
    # Cancelling frees the slot.
    appointment_cancel(by=alice.professional, appointment=first)
    again = appointment_create(
        by=alice.coordinator, desk=desk, starts_at=paris(tuesday, 9, 30), first_name="Léa"
    )
    assert Appointment.objects.filter(desk=desk, cancelled=False).get() == again
    assert AuditEntry.objects.filter(action="desk.appointment_create").count() == 2


def test_appointment_needs_a_name_and_the_desk_staff(desk, alice, bob, funder):
    monday = datetime.date(2030, 3, 4)
    with pytest.raises(ValidationError, match="prénom"):
        appointment_create(by=alice.professional, desk=desk, starts_at=paris(monday, 14))
    for outsider in (bob.admin, funder):
        with pytest.raises(PermissionDenied):
            appointment_create(
                by=outsider, desk=desk, starts_at=paris(monday, 14), first_name="Awa"
            )
    other_family = HouseholdFactory(organisation=bob.organisation)
    with pytest.raises(ValidationError):
        appointment_create(
            by=alice.professional, desk=desk, starts_at=paris(monday, 14), household=other_family
        )


def test_visit_is_anonymous_unless_the_family_agrees(desk, alice, bob, travel):
    today = travel(datetime.date(2026, 3, 3))
    visit = visit_create(
        by=alice.professional,
        desk=desk,
        day=today,
        themes=["Accès au droit", "Accompagnement psychosocial"],
        orientation_given="Permanence d'avocats",
    )
    assert visit.household is None and not visit.consent
    household = HouseholdFactory(organisation=alice.organisation)
    with pytest.raises(ValidationError, match="qu'avec son accord"):
        visit_create(
            by=alice.professional,
            desk=desk,
            day=today,
            themes=["Accès au droit"],
            household=household,
        )
    named = visit_create(
        by=alice.professional,
        desk=desk,
        day=today,
        themes=["Accès au droit"],
        household=household,
        consent=True,
    )
    assert named.household == household and named.consent
    for themes in ([], ["Santé"]):
        with pytest.raises(ValidationError, match="six thèmes"):
            visit_create(by=alice.professional, desk=desk, day=today, themes=themes)
    with pytest.raises(ValidationError, match="futur"):
        visit_create(
            by=alice.professional,
            desk=desk,
            day=datetime.date(2026, 3, 4),
            themes=["Accès au droit"],
        )
    with pytest.raises(ValidationError, match="pas suivie"):
        visit_create(
            by=alice.professional,
            desk=desk,
            day=today,
            themes=["Accès au droit"],
            household=HouseholdFactory(organisation=bob.organisation),
            consent=True,
        )
    assert Visit.objects.count() == 2


def test_orientations_followed_up_and_counted(
    desk, alice, bob, partner_service, lawyer_service, travel
):
    travel(datetime.date(2026, 3, 3))
    visit = visit_create(
        by=alice.professional, desk=desk, day=datetime.date(2026, 3, 3), themes=["Accès au droit"]
    )
    household = HouseholdFactory(organisation=alice.organisation)
    rows = [
        orientation_create(by=alice.professional, visit=visit, service=lawyer_service),
        orientation_create(by=alice.professional, desk=desk, service=lawyer_service),
        orientation_create(by=alice.coordinator, household=household, service=partner_service),
    ]
    assert rows[0].theme == "Accès au droit"
    assert rows[2].theme == "Accompagnement psychosocial" and rows[2].desk is None
    with pytest.raises(PermissionDenied):
        orientation_create(by=bob.admin, household=household, service=partner_service)
    with pytest.raises(ValidationError, match="abouti|précéder"):
        orientation_follow_up(
            by=alice.professional,
            orientation=rows[0],
            outcome="yes",
            outcome_on=datetime.date(2026, 3, 1),
        )
    travel(datetime.date(2026, 3, 20))
    orientation_follow_up(
        by=alice.professional,
        orientation=rows[0],
        outcome="yes",
        outcome_on=datetime.date(2026, 3, 18),
    )
    orientation_follow_up(by=alice.professional, orientation=rows[1], outcome="no", outcome_on=None)
    with pytest.raises(ValidationError, match="oui, non ou en cours"):
        orientation_follow_up(
            by=alice.professional, orientation=rows[2], outcome="peut-être", outcome_on=None
        )
    with pytest.raises(PermissionDenied):
        orientation_follow_up(by=bob.admin, orientation=rows[2], outcome="yes", outcome_on=None)
    rows[1].refresh_from_db()
    assert rows[1].outcome_on == datetime.date(2026, 3, 20)

    counts = orientation_counts(organisation_ids=[alice.organisation.pk])
    assert counts == [
        {
            "theme": "Accompagnement psychosocial",
            "partner": "Maison de quartier des Chênes",
            "total": 1,
            "yes": 0,
            "no": 0,
            "pending": 1,
        },
        {
            "theme": "Accès au droit",
            "partner": "Permanence d'avocats",
            "total": 2,
            "yes": 1,
            "no": 1,
            "pending": 0,
        },
    ]
    assert orientation_counts(organisation_ids=[bob.organisation.pk]) == []
    assert (
        orientation_counts(
            organisation_ids=[alice.organisation.pk], start=datetime.date(2026, 3, 4)
        )
        == []
    )
    assert Orientation.objects.visible_to(bob.admin).count() == 0


def test_desk_pages(client, desk, alice, funder, partner_service, travel):
    travel(datetime.date(2026, 3, 2))
    client.force_login(alice.professional)
    response = client.get(reverse("directory:desks"))
    assert response.status_code == 302
    page = client.get(response["Location"] + "?semaine=2026-03-02").content.decode()
    assert "Semaine du 2 mars 2026" in page and "Donner ce créneau" in page
    # The first family gets 9:30; the second one posted for it is refused, what was typed kept.
    url = reverse("directory:appointment-new", args=[desk.pk])
    data = {"jour": "2026-03-03", "slot": "2026-03-03T09:30", "first_name": "Awa", "note": "CAF"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "first_name": "Léa"})
    assert response.status_code == 200
    assert "Le rendez-vous n'est pas enregistré" in response.content.decode()
    assert "Ce créneau n&#x27;est plus libre" in response.content.decode()
    assert 'value="Léa"' in response.content.decode()
    # An unknown family code.
    response = client.post(url, {**data, "slot": "2026-03-03T10:00", "family_code": "ZZZZZ"})
    assert "Aucune famille ne porte ce code" in response.content.decode()
    # The funder never reaches the desk.
    client.force_login(funder)
    assert client.get(reverse("directory:desk", args=[desk.pk])).status_code == 404


def test_visit_and_orientation_from_the_pages(client, desk, alice, partner_service, travel):
    travel(datetime.date(2026, 3, 3))
    household = HouseholdFactory(organisation=alice.organisation, code="K7P2M")
    client.force_login(alice.coordinator)
    url = reverse("directory:desk-visits", args=[desk.pk])
    # A family code without consent is refused, everything typed kept.
    data = {
        "day": "2026-03-03",
        "themes": ["Accès au droit"],
        "note": "Question sur la garde",
        "family_code": "K7P2M",
    }
    response = client.post(url, data)
    assert "qu&#x27;avec son accord" in response.content.decode()
    assert "Question sur la garde" in response.content.decode()
    response = client.post(url, {**data, "consent": "on", "orienter": "1"})
    visit = Visit.objects.get()
    assert visit.household == household
    assert response["Location"].endswith(f"?passage={visit.pk}")
    page = client.get(response["Location"] + "&q=parent").content.decode()
    assert "Groupe de parole des parents" in page
    response = client.post(
        reverse("directory:orientation-new"),
        {"passage": visit.pk, "q": "parent", "service": partner_service.pk},
    )
    assert response.status_code == 302
    orientation = Orientation.objects.get()
    assert orientation.visit == visit and orientation.household == household
    # The family file's entry point, provided by the directory.
    file_page = client.get(reverse("families:household-detail", args=[household.pk]))
    assert "Orienter vers un partenaire" in file_page.content.decode()
    response = client.post(
        reverse("directory:orientation-new") + f"?famille={household.pk}",
        {"famille": household.pk, "service": partner_service.pk},
    )
    assert response["Location"] == reverse("families:household-detail", args=[household.pk])
    assert Orientation.objects.filter(visit=None, household=household).count() == 1
    # Follow-up page.
    url = reverse("directory:orientation-follow", args=[orientation.pk])
    response = client.post(url, {"outcome": "yes", "outcome_on": "2026-03-01"})
    assert "précéder" in response.content.decode()
    assert client.post(url, {"outcome": "yes", "outcome_on": "2026-03-03"}).status_code == 302
    listing = client.get(reverse("directory:orientations")).content.decode()
    assert "Maison de quartier des Chênes" in listing and "K7P2M" in listing


def test_orientation_page_ids_go_through_their_doors(client, desk, alice, bob, travel):
    travel(datetime.date(2026, 3, 3))
    visit = visit_create(
        by=alice.professional, desk=desk, day=datetime.date(2026, 3, 3), themes=["Accès au droit"]
    )
    household = HouseholdFactory(organisation=alice.organisation)
    url = reverse("directory:orientation-new")
    client.force_login(bob.admin)
    for query in (
        f"passage={visit.pk}",
        f"accueil={desk.pk}",
        f"famille={household.pk}",
        "passage=abc",
        "famille=99999999999999999999999",
        "",
    ):
        assert client.get(f"{url}?{query}").status_code == 404, query
    # A professional who never met the family cannot orient it from its file.
    client.force_login(alice.professional)
    assert client.get(f"{url}?famille={household.pk}").status_code == 404
    assert client.get(f"{url}?passage={visit.pk}").status_code == 200


def test_menu_leads_the_desk_staff_to_the_desk(client, desk, alice, bob, funder):
    desk_url = reverse("directory:desks")
    for user, shown in ((alice.professional, True), (bob.admin, False), (funder, False)):
        client.force_login(user)
        page = client.get(reverse("accounts:account")).content.decode()
        assert (f'href="{desk_url}"' in page) is shown, user
