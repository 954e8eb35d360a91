"""Rights of access (export) and erasure (anonymisation) of a family's data: the file
goes, the figures stay."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance, Registration
from petitspas.core.models import AuditEntry
from petitspas.families.models import Household, HousingSituation, Person
from petitspas.families.permissions import access_household
from petitspas.families.selectors import households_search
from petitspas.families.services import person_remove
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory
from petitspas.privacy.services import (
    household_anonymise,
    household_export,
    households_anonymise_past_retention,
    households_past_retention,
)

TODAY = timezone.localdate()


@pytest.fixture
def followed(alice):
    """Family F-0042 in a social hotel: Aminata and Lina (born 14 March 2025), recorded at
    two past sessions and registered for one to come."""
    hotel = SiteFactory(programme=alice.programme, name="Hôtel Étoile", kind=Site.Kind.SOCIAL_HOTEL)
    household = HouseholdFactory(
        organisation=alice.organisation,
        code="F-0042",
        housing=HousingSituation.SOCIAL_HOTEL,
        housing_site=hotel,
        languages="soninké, français",
        commune_code="93066",
        town="Saint-Denis",
        created_by=alice.professional,
    )
    mother = PersonFactory(household=household, first_name="Aminata")
    lina = PersonFactory(
        household=household,
        role=Person.Role.CHILD,
        first_name="Lina",
        birth_date=datetime.date(2025, 3, 14),
    )
    play = ActivityTypeFactory(programme=alice.programme, name="Temps de jeu libre")
    past = [
        SessionFactory(
            activity_type=play,
            site=hotel,
            date=TODAY - datetime.timedelta(days=days),
            staff=[alice.professional],
        )
        for days in (14, 7)
    ]
    for session in past:
        for person in (mother, lina):
            Attendance.objects.create(session=session, person=person, household=household)
    coming = SessionFactory(
        activity_type=play,
        site=hotel,
        date=TODAY + datetime.timedelta(days=7),
    )
    Registration.objects.create(session=past[0], household=household)
    Registration.objects.create(session=coming, household=household)
    return household


# --- Right of access ---------------------------------------------------------------------


def test_export_holds_the_file_its_people_and_where_they_came(alice, followed):
    data = household_export(household=followed, by=alice.coordinator)

    assert data["organisation"] == "Asmae"
    assert data["household"]["code"] == "F-0042"
    assert data["household"]["housing_site"] == "Hôtel Étoile"
    assert data["household"]["languages"] == ["soninké", "français"]
    assert [p["first_name"] for p in data["people"]] == ["Aminata", "Lina"]
    assert data["people"][1]["birth_date"] == "2025-03-14"
    assert len(data["attendance"]) == 4
    assert {row["activity"] for row in data["attendance"]} == {"Temps de jeu libre"}
    assert len(data["registrations"]) == 2
    entry = AuditEntry.objects.get(action="household.export")
    assert (entry.actor, entry.target_repr) == (alice.coordinator, "F-0042")


def test_export_is_for_admins_and_coordinators(alice, followed):
    with pytest.raises(PermissionDenied):
        household_export(household=followed, by=alice.professional)
    assert not AuditEntry.objects.filter(action="household.export").exists()


def test_export_downloads_a_json_file(client, alice, followed):
    client.force_login(alice.admin)
    url = reverse("families:household-export", kwargs={"household_pk": followed.pk})

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="petitspas-famille-f-0042.json"'
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["household"]["code"] == "F-0042"
    assert "Aminata" in response.content.decode()  # readable, not \\u-escaped


def test_export_page_refuses_a_professional(client, alice, followed):
    client.force_login(alice.professional)
    url = reverse("families:household-export", kwargs={"household_pk": followed.pk})
    assert client.get(url).status_code == 403


# --- Right to erasure --------------------------------------------------------------------


def test_anonymising_erases_what_names_the_family_and_keeps_the_figures(alice, followed):
    attendance_before = Attendance.objects.filter(household=followed).count()

    household_anonymise(household=followed, by=alice.admin)

    household = Household.objects.get(pk=followed.pk)
    assert household.code == f"ANONYME-{followed.pk}"
    assert household.anonymised_at is not None
    assert (household.languages, household.housing_site, household.created_by) == ("", None, None)
    # Kept for the figures: town, housing category, roles, month of birth, attendance.
    assert (household.town, household.housing) == ("Saint-Denis", HousingSituation.SOCIAL_HOTEL)
    people = list(household.people.order_by("pk"))
    assert [(p.role, p.first_name) for p in people] == [("parent", ""), ("child", "")]
    assert people[1].birth_date == datetime.date(2025, 3, 1)
    assert Attendance.objects.filter(household=household).count() == attendance_before == 4
    # Registrations to come are cancelled; the past one stays.
    assert list(household.registrations.values_list("session__date", flat=True)) == [
        TODAY - datetime.timedelta(days=14)
    ]
    entry = AuditEntry.objects.get(action="household.anonymise")
    assert entry.target_repr == "F-0042"
    assert entry.details == {"people": 2, "registrations_cancelled": 1}
    assert "Aminata" not in json.dumps(list(AuditEntry.objects.values("details")))


def test_an_anonymised_family_opens_for_nobody(alice, followed):
    household_anonymise(household=followed, by=alice.admin)

    for user in (alice.admin, alice.coordinator, alice.professional):
        assert list(households_search(user=user)) == []
        with pytest.raises(Http404):
            access_household(user, followed.pk)


def test_anonymising_is_for_admins_and_happens_once(alice, followed):
    for user in (alice.coordinator, alice.professional):
        with pytest.raises(PermissionDenied):
            household_anonymise(household=followed, by=user)
    household_anonymise(household=followed, by=alice.admin)
    with pytest.raises(ValidationError, match="déjà anonymisée"):
        household_anonymise(household=followed, by=alice.admin)


def test_a_counted_person_cannot_be_removed_but_the_message_points_to_anonymisation(
    alice, followed
):
    with pytest.raises(ValidationError, match="anonymisez la famille"):
        person_remove(person=followed.people.first(), by=alice.admin)


def test_anonymise_page_asks_for_the_code_and_keeps_the_file_on_a_wrong_one(
    client, alice, followed
):
    client.force_login(alice.admin)
    url = reverse("families:household-anonymise", kwargs={"household_pk": followed.pk})
    page = client.get(url).content.decode()
    assert "C&#x27;est définitif" in page or "C'est définitif" in page

    response = client.post(url, {"confirmation": "F-0043"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce n&#x27;est pas le code de cette famille" in body
    assert 'value="F-0043"' in body
    assert Household.objects.get(pk=followed.pk).anonymised_at is None

    response = client.post(url, {"confirmation": " f-0042 "}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("families:household-list")
    assert "La famille F-0042 est anonymisée" in response.content.decode()
    assert Household.objects.get(pk=followed.pk).anonymised_at is not None


def test_anonymise_page_is_refused_to_coordinators_and_hidden_from_them(client, alice, followed):
    client.force_login(alice.coordinator)
    url = reverse("families:household-anonymise", kwargs={"household_pk": followed.pk})
    assert client.post(url, {"confirmation": "F-0042"}).status_code == 403
    detail = client.get(reverse("families:household-detail", kwargs={"household_pk": followed.pk}))
    body = detail.content.decode()
    assert "Exporter ses données" in body
    assert "Anonymiser" not in body
    assert Household.objects.get(pk=followed.pk).anonymised_at is None


# --- Retention (CNIL: 2 years after the last contact) ------------------------------------


def _recorded(household, on: datetime.date, programme):
    person = household.people.first() or PersonFactory(household=household)
    session = SessionFactory(activity_type__programme=programme, date=on)
    Attendance.objects.create(session=session, person=person, household=household)


def _created(alice, code, on: datetime.date):
    household = HouseholdFactory(organisation=alice.organisation, code=code)
    PersonFactory(household=household, first_name="Awa")
    Household.objects.filter(pk=household.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    )
    return household


def test_files_past_two_years_since_the_last_contact_are_anonymised(alice, settings):
    assert settings.FAMILY_RETENTION_MONTHS == 24
    today = datetime.date(2026, 11, 25)
    long_ago = datetime.date(2022, 1, 10)
    gone = _created(alice, "GONE-1", long_ago)
    _recorded(gone, datetime.date(2024, 11, 24), alice.programme)  # 24 months and a day
    still = _created(alice, "STILL-1", long_ago)
    _recorded(still, datetime.date(2024, 11, 26), alice.programme)  # 2 years minus a day
    registered = _created(alice, "REG-1", long_ago)
    Registration.objects.create(
        session=SessionFactory(activity_type__programme=alice.programme, date=today),
        household=registered,
    )
    never_seen = _created(alice, "NEVER-1", datetime.date(2024, 11, 1))
    new = _created(alice, "NEW-1", datetime.date(2026, 11, 1))

    past = set(households_past_retention(today=today).values_list("code", flat=True))
    assert past == {"GONE-1", "NEVER-1"}
    assert households_anonymise_past_retention(today=today) == 2

    codes = dict(Household.objects.values_list("pk", "code"))
    assert codes[gone.pk] == f"ANONYME-{gone.pk}"
    assert codes[never_seen.pk] == f"ANONYME-{never_seen.pk}"
    assert [codes[h.pk] for h in (still, registered, new)] == ["STILL-1", "REG-1", "NEW-1"]
    entries = AuditEntry.objects.filter(action="household.anonymise")
    assert {(e.actor, e.details["reason"]) for e in entries} == {(None, "retention")}
    # The attendance row stays, counted.
    assert Attendance.objects.filter(household=gone).count() == 1
    # Nothing left to do on a second run.
    assert households_anonymise_past_retention(today=today) == 0


def test_the_retention_period_is_a_setting(alice, settings):
    settings.FAMILY_RETENTION_MONTHS = 36
    _created(alice, "OLD-1", datetime.date(2024, 1, 10))
    assert not households_past_retention(today=datetime.date(2026, 11, 25)).exists()


def test_the_command_counts_first_when_asked(alice):
    _created(alice, "OLD-1", datetime.date(2020, 1, 10))
    out = io.StringIO()
    call_command("anonymise_expired_families", "--dry-run", stdout=out)
    assert "1 famille(s) à anonymiser (dernier contact > 24 mois)" in out.getvalue()
    assert Household.objects.get().code == "OLD-1"

    call_command("anonymise_expired_families", stdout=out)
    assert "1 famille(s) anonymisée(s)" in out.getvalue()
    assert Household.objects.get().anonymised_at is not None
