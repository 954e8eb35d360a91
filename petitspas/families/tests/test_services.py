import datetime
import random
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from petitspas.core.models import AuditEntry
from petitspas.families.models import Household, HousingSituation, Person
from petitspas.families.services import (
    CODE_ALPHABET,
    draw_household_code,
    household_create,
    household_quick_create,
    household_update,
    is_drawn_code,
    is_valid_code,
    person_add,
    person_remove,
    person_update,
)
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.places.models import Site
from petitspas.places.tests.factories import SiteFactory

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# household_create ---------------------------------------------------------------------------


def test_create_generates_a_pseudonymous_code_never_taken_from_a_name(alice):
    household = household_create(
        organisation=alice.organisation,
        people=[Person(role=Person.Role.PARENT, first_name="Zoé")],
        by=alice.professional,
    )
    assert re.fullmatch(rf"F-[{CODE_ALPHABET}]{{5}}", household.code)
    assert "ZOE" not in household.code
    assert household.people.get().first_name == "Zoé"


def test_create_with_people_and_everything_logged(alice):
    hotel = SiteFactory(programme=alice.programme, kind=Site.Kind.SOCIAL_HOTEL, name="Hôtel Avenir")
    household = household_create(
        organisation=alice.organisation,
        code=" f-0042 ",
        commune_code="93055",
        housing=HousingSituation.SOCIAL_HOTEL,
        housing_site=hotel,
        languages="arabe, Français,  arabe ,tamoul",
        people=[
            Person(role=Person.Role.PARENT, first_name="Awa"),
            Person(role=Person.Role.CHILD, first_name="Inès", birth_date=days(-400)),
            Person(role=Person.Role.EXPECTED_CHILD, due_date=days(60)),
        ],
        by=alice.coordinator,
    )
    household.refresh_from_db()
    assert household.code == "F-0042"
    assert (household.commune_code, household.town) == ("93055", "Pantin")
    assert household.language_list == ["arabe", "Français", "tamoul"]
    assert household.people.count() == 3
    entry = AuditEntry.objects.get(action="household.create")
    assert entry.actor == alice.coordinator
    assert entry.organisation == alice.organisation
    assert entry.target_repr == "F-0042"
    # Roles and ids, never the first names typed.
    assert "Awa" not in str(entry.details)


def test_duplicate_code_in_the_organisation_is_refused_whatever_the_case(alice):
    HouseholdFactory(organisation=alice.organisation, code="F-0007")
    with pytest.raises(ValidationError) as excinfo:
        household_create(organisation=alice.organisation, code="f-0007", by=alice.professional)
    assert "déjà le code « F-0007 »" in messages_of(excinfo)
    assert Household.objects.count() == 1


def test_same_code_in_another_organisation_is_fine(alice, bob):
    HouseholdFactory(organisation=bob.organisation, code="F-0007")
    household = household_create(
        organisation=alice.organisation, code="F-0007", by=alice.professional
    )
    assert household.organisation == alice.organisation


@pytest.mark.parametrize("kind_of_site", ["neighbourhood_centre", "other_organisation"])
def test_housing_site_must_be_a_social_hotel_of_the_organisation(alice, bob, kind_of_site):
    if kind_of_site == "other_organisation":
        site = SiteFactory(programme=bob.programme, kind=Site.Kind.SOCIAL_HOTEL)
    else:
        site = alice.site  # a maison de quartier
    with pytest.raises(ValidationError) as excinfo:
        household_create(
            organisation=alice.organisation,
            housing=HousingSituation.SOCIAL_HOTEL,
            housing_site=site,
            people=[Person(role=Person.Role.PARENT, first_name="Awa")],
            by=alice.professional,
        )
    assert "n'est pas un hôtel social" in messages_of(excinfo)
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_hotel_needs_the_social_hotel_housing(alice):
    hotel = SiteFactory(programme=alice.programme, kind=Site.Kind.SOCIAL_HOTEL)
    with pytest.raises(ValidationError) as excinfo:
        household_create(
            organisation=alice.organisation,
            housing=HousingSituation.HOUSED,
            housing_site=hotel,
            by=alice.professional,
        )
    assert "Hôtel social" in messages_of(excinfo)


def test_unknown_commune_code_is_refused(alice):
    with pytest.raises(ValidationError) as excinfo:
        household_create(organisation=alice.organisation, commune_code="99999", by=alice.admin)
    assert "n'est pas un code INSEE de commune connu" in messages_of(excinfo)


def test_a_bad_person_saves_nothing(alice):
    with pytest.raises(ValidationError) as excinfo:
        household_create(
            organisation=alice.organisation,
            code="F-0001",
            people=[
                Person(role=Person.Role.PARENT, first_name="Awa"),
                Person(role=Person.Role.CHILD, first_name="Léa", birth_date=days(3)),
            ],
            by=alice.professional,
        )
    assert "ne peut pas être dans le futur" in messages_of(excinfo)
    assert not Household.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_expected_child_with_a_past_due_date_saves_nothing(alice):
    with pytest.raises(ValidationError) as excinfo:
        household_create(
            organisation=alice.organisation,
            people=[Person(role=Person.Role.EXPECTED_CHILD, due_date=days(-1))],
            by=alice.professional,
        )
    assert "date prévue d'accouchement est passée" in messages_of(excinfo)
    assert not Household.objects.exists()


@pytest.mark.parametrize("who", ["funder", "prescriber", "bob_admin", "anonymous"])
def test_only_staff_of_the_organisation_may_create(alice, bob, funder, prescriber, who):
    from django.contrib.auth.models import AnonymousUser

    user = {
        "funder": funder,
        "prescriber": prescriber,
        "bob_admin": bob.admin,
        "anonymous": AnonymousUser(),
    }[who]
    with pytest.raises(PermissionDenied):
        household_create(organisation=alice.organisation, by=user)
    with pytest.raises(PermissionDenied):
        household_quick_create(organisation=alice.organisation, first_name="Awa", by=user)
    assert not Household.objects.exists()


# household_quick_create ---------------------------------------------------------------------


def test_quick_create_with_a_first_name_only(alice):
    household = household_quick_create(
        organisation=alice.organisation, first_name="  Zoé ", by=alice.professional
    )
    person = household.people.get()
    assert (person.role, person.first_name, person.first_name_folded) == ("parent", "Zoé", "zoe")
    assert household.housing == HousingSituation.UNKNOWN
    entry = AuditEntry.objects.get(action="household.create")
    assert entry.details["quick"] is True


def test_quick_create_with_the_team_code_and_a_child(alice):
    household = household_quick_create(
        organisation=alice.organisation,
        first_name="Noé",
        code="HOT-12",
        role=Person.Role.CHILD,
        by=alice.professional,
    )
    assert household.code == "HOT-12"
    assert household.people.get().role == Person.Role.CHILD


def test_quick_create_needs_a_first_name(alice):
    with pytest.raises(ValidationError) as excinfo:
        household_quick_create(organisation=alice.organisation, first_name=" ", by=alice.admin)
    assert "Indiquez le prénom" in messages_of(excinfo)
    assert not Household.objects.exists()


def test_quick_create_refuses_a_duplicate_code(alice):
    HouseholdFactory(organisation=alice.organisation, code="HOT-12")
    with pytest.raises(ValidationError):
        household_quick_create(
            organisation=alice.organisation, first_name="Noé", code="hot-12", by=alice.admin
        )
    assert not Person.objects.exists()


# household_update ---------------------------------------------------------------------------


def test_update_changes_what_is_given_and_logs_the_field_names(alice):
    household = HouseholdFactory(organisation=alice.organisation, code="F-0001", languages="wolof")
    household_update(
        household=household,
        housing=HousingSituation.EMERGENCY_SHELTER,
        commune_code="34145",
        by=alice.professional,
    )
    household.refresh_from_db()
    assert household.housing == HousingSituation.EMERGENCY_SHELTER
    assert household.town == "Lunel"
    assert household.languages == "wolof"
    entry = AuditEntry.objects.get(action="household.update")
    assert sorted(entry.details["fields"]) == ["commune_code", "housing", "town"]


def test_update_refuses_a_code_already_taken(alice):
    HouseholdFactory(organisation=alice.organisation, code="F-0001")
    household = HouseholdFactory(organisation=alice.organisation, code="F-0002")
    with pytest.raises(ValidationError):
        household_update(household=household, code="F-0001", by=alice.professional)
    household.refresh_from_db()
    assert household.code == "F-0002"


def test_update_keeps_its_own_code(alice):
    household = HouseholdFactory(organisation=alice.organisation, code="F-0001")
    household_update(household=household, code="f-0001", by=alice.professional)
    assert household.code == "F-0001"


def test_other_organisation_may_not_update(alice, bob):
    household = HouseholdFactory(organisation=alice.organisation)
    with pytest.raises(PermissionDenied):
        household_update(household=household, languages="arabe", by=bob.admin)


# people -------------------------------------------------------------------------------------


def test_person_add_logs_on_the_household(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    person = person_add(
        household=household,
        role=Person.Role.CHILD,
        first_name="Inès",
        birth_date=days(-30),
        by=alice.professional,
    )
    entry = AuditEntry.objects.get(action="person.create")
    assert entry.target_id == str(household.pk)
    assert entry.details == {"person": person.pk, "role": "child"}


def test_person_add_refuses_a_birth_date_in_the_future(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    with pytest.raises(ValidationError) as excinfo:
        person_add(
            household=household,
            role=Person.Role.CHILD,
            first_name="Inès",
            birth_date=days(1),
            by=alice.professional,
        )
    assert excinfo.value.message_dict == {
        "birth_date": ["La date de naissance ne peut pas être dans le futur."]
    }
    assert not Person.objects.exists()


def test_person_add_refuses_an_expected_child_with_a_past_due_date(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    with pytest.raises(ValidationError) as excinfo:
        person_add(
            household=household,
            role=Person.Role.EXPECTED_CHILD,
            due_date=days(-10),
            by=alice.professional,
        )
    assert "due_date" in excinfo.value.message_dict
    assert not Person.objects.exists()


def test_birth_of_an_expected_child(alice):
    expected = PersonFactory(household__organisation=alice.organisation, expected=True)
    person_update(
        person=expected,
        role=Person.Role.CHILD,
        first_name="Sofia",
        birth_date=days(-2),
        due_date=None,
        by=alice.professional,
    )
    expected.refresh_from_db()
    assert (expected.role, expected.first_name_folded) == ("child", "sofia")
    entry = AuditEntry.objects.get(action="person.update")
    assert sorted(entry.details["fields"]) == ["birth_date", "due_date", "first_name", "role"]


def test_update_may_not_move_a_due_date_into_the_past(alice):
    expected = PersonFactory(household__organisation=alice.organisation, expected=True)
    due = expected.due_date
    with pytest.raises(ValidationError):
        person_update(person=expected, due_date=days(-5), by=alice.professional)
    expected.refresh_from_db()
    assert expected.due_date == due


def test_a_passed_due_date_does_not_block_other_changes(alice):
    expected = PersonFactory(household__organisation=alice.organisation, expected=True)
    Person.objects.filter(pk=expected.pk).update(due_date=days(-5))
    expected.refresh_from_db()
    person_update(person=expected, first_name="Lina", by=alice.professional)
    assert Person.objects.get(pk=expected.pk).first_name == "Lina"


def test_person_remove_logs_and_deletes(alice):
    person = PersonFactory(household__organisation=alice.organisation, child=True)
    person_remove(person=person, by=alice.coordinator)
    assert not Person.objects.exists()
    assert AuditEntry.objects.get(action="person.delete").target_id == str(person.household_id)


def test_other_organisation_may_not_touch_people(alice, bob):
    person = PersonFactory(household__organisation=alice.organisation, child=True)
    with pytest.raises(PermissionDenied):
        person_add(household=person.household, role="parent", first_name="X", by=bob.admin)
    with pytest.raises(PermissionDenied):
        person_update(person=person, first_name="X", by=bob.professional)
    with pytest.raises(PermissionDenied):
        person_remove(person=person, by=bob.coordinator)
    assert Person.objects.get().first_name != "X"


def test_factories_traits(db):
    today = TODAY()
    assert PersonFactory(child=True).age_in_months(today) in (17, 18)
    assert PersonFactory(under_1=True).age_in_months(today) in (5, 6)
    expected = PersonFactory(expected=True)
    assert expected.role == "expected" and expected.due_date > today
    assert PersonFactory(parent=True).role == "parent"
    assert HouseholdFactory().code.startswith("F-")


def test_someone_counted_at_sessions_is_not_removed(alice):
    from petitspas.activities.tests.factories import SessionFactory
    from petitspas.attendance.models import Attendance

    person = PersonFactory(household__organisation=alice.organisation, child=True)
    session = SessionFactory(site=alice.site, activity_type__programme=alice.programme)
    Attendance.objects.create(
        session=session, person=person, household=person.household, status="present"
    )

    with pytest.raises(ValidationError, match="chiffres passés"):
        person_remove(person=person, by=alice.coordinator)
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_drawn_code_is_in_the_families_alphabet_and_repeats_with_its_seed():
    first = draw_household_code(choice=random.Random(3).choice)

    assert first == draw_household_code(choice=random.Random(3).choice)
    assert is_drawn_code(first) and is_valid_code(first)
    assert is_drawn_code(draw_household_code())
    assert not is_drawn_code("F-K0QMA") and not is_drawn_code("DEMO-EPP-001")
    assert is_valid_code("DEMO-EPP-001") and not is_valid_code("dupont")
