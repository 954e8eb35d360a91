import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from petitspas.activities.tests.factories import SessionFactory
from petitspas.attendance.models import Attendance, Registration
from petitspas.core.models import AuditEntry
from petitspas.families.permissions import access_household
from petitspas.families.selectors import audit_entries_visible, households_search
from petitspas.families.services import household_quick_create, person_add
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory


@pytest.fixture
def zoes(alice):
    zoe = PersonFactory(household__organisation=alice.organisation, first_name="Zoé")
    shouting = PersonFactory(household__organisation=alice.organisation, first_name="ZOÉ")
    other = PersonFactory(household__organisation=alice.organisation, first_name="Awa")
    return zoe.household, shouting.household, other.household


def test_search_is_accent_and_case_insensitive(alice, zoes):
    zoe, shouting, other = zoes
    for query in ("zoe", "Zoé", "ZOE", "oé"):
        assert set(households_search(user=alice.coordinator, query=query)) == {zoe, shouting}


def test_search_by_code_prefix_whatever_the_case(alice):
    first = HouseholdFactory(organisation=alice.organisation, code="HOT-101")
    second = HouseholdFactory(organisation=alice.organisation, code="HOT-102")
    HouseholdFactory(organisation=alice.organisation, code="XHOT-1")
    assert list(households_search(user=alice.coordinator, query="hot-1")) == [first, second]
    assert list(households_search(user=alice.coordinator, query="HOT-102")) == [second]


def test_search_lists_a_household_once_when_several_people_match(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    PersonFactory(household=household, first_name="Léa")
    PersonFactory(household=household, first_name="Léane", child=True)
    assert list(households_search(user=alice.coordinator, query="lea")) == [household]


def test_search_never_finds_another_organisations_families(alice, bob):
    PersonFactory(household__organisation=bob.organisation, first_name="Zoé")
    HouseholdFactory(organisation=bob.organisation, code="F-9999")
    assert list(households_search(user=alice.admin, query="zoe")) == []
    assert list(households_search(user=alice.admin, query="F-9")) == []
    assert list(households_search(user=alice.admin, query="")) == []


def test_search_shows_nothing_to_funders_and_prescribers(alice, funder, prescriber, zoes):
    assert list(households_search(user=funder, query="zoe")) == []
    assert list(households_search(user=prescriber, query="")) == []


def test_people_come_parents_first_then_children_then_expected(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    expected = PersonFactory(household=household, expected=True)
    baby = PersonFactory(household=household, under_1=True, first_name="Bébé")
    elder = PersonFactory(household=household, child=True, first_name="Aîné")
    parent = PersonFactory(household=household, parent=True)
    [found] = households_search(user=alice.coordinator, query="")
    assert list(found.people.all()) == [parent, elder, baby, expected]


def test_opening_a_family_file_is_logged(alice):
    household = HouseholdFactory(organisation=alice.organisation, code="F-0001")
    opened = access_household(alice.coordinator, household.pk)
    assert opened == household
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.organisation) == (
        "household.view",
        alice.coordinator,
        alice.organisation,
    )
    assert (entry.target_type, entry.target_id, entry.target_repr) == (
        "families.household",
        str(household.pk),
        "F-0001",
    )
    assert entry.details == {"page": "detail"}


def test_opening_another_organisations_file_is_a_404_and_logs_nothing(alice, bob, funder):
    household = HouseholdFactory(organisation=alice.organisation)
    for user in (bob.admin, funder):
        with pytest.raises(Http404):
            access_household(user, household.pk)
    assert not AuditEntry.objects.exists()


def test_audit_entries_by_action_and_household_code(alice, bob):
    first = HouseholdFactory(organisation=alice.organisation, code="F-0001")
    second = HouseholdFactory(organisation=alice.organisation, code="G-0002")
    access_household(alice.coordinator, first.pk)
    access_household(alice.coordinator, second.pk)
    person_add(household=first, role="parent", first_name="Awa", by=alice.coordinator)
    bobs = HouseholdFactory(organisation=bob.organisation, code="F-0001")
    access_household(bob.coordinator, bobs.pk)

    everything = audit_entries_visible(user=alice.admin)
    assert [e.action for e in everything] == ["person.create", "household.view", "household.view"]
    views = audit_entries_visible(user=alice.admin, action="household.view")
    assert {e.target_repr for e in views} == {"F-0001", "G-0002"}
    by_code = audit_entries_visible(user=alice.admin, code="f-00")
    assert [e.action for e in by_code] == ["person.create", "household.view"]
    assert all(e.organisation == alice.organisation for e in by_code)


def test_audit_entries_are_for_admins_only(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    access_household(alice.coordinator, household.pk)
    assert list(audit_entries_visible(user=alice.coordinator)) == []
    assert list(audit_entries_visible(user=alice.professional)) == []


# --- A professional sees the families met at the sessions they staff --------------------


@pytest.fixture
def staffed(alice):
    """Two past sessions of organisation A: one the professional staffed, one they did not."""
    mine = SessionFactory(
        activity_type__programme=alice.programme, site=alice.site, staff=[alice.professional]
    )
    colleagues = SessionFactory(
        activity_type__programme=alice.programme, site=alice.site, staff=[alice.coordinator]
    )
    return mine, colleagues


def test_a_professional_sees_only_the_families_met_at_their_sessions(alice, staffed):
    mine, colleagues = staffed
    registered = HouseholdFactory(organisation=alice.organisation, code="REG-1")
    came = PersonFactory(household__organisation=alice.organisation, household__code="VU-1")
    elsewhere = PersonFactory(household__organisation=alice.organisation, household__code="AIL-1")
    never = HouseholdFactory(organisation=alice.organisation, code="JAM-1")
    Registration.objects.create(session=mine, household=registered)
    Attendance.objects.create(session=mine, person=came, household=came.household)
    Attendance.objects.create(session=colleagues, person=elsewhere, household=elsewhere.household)

    seen = set(households_search(user=alice.professional).values_list("code", flat=True))
    assert seen == {"REG-1", "VU-1"}
    # Their coordinator sees the whole organisation.
    everything = set(households_search(user=alice.coordinator).values_list("code", flat=True))
    assert everything == {"REG-1", "VU-1", "AIL-1", "JAM-1"}
    with pytest.raises(Http404):
        access_household(alice.professional, never.pk)
    with pytest.raises(Http404):
        access_household(alice.professional, elsewhere.household.pk)
    assert access_household(alice.professional, came.household.pk) == (came.household)


def test_a_professional_sees_the_families_they_created(alice):
    household = household_quick_create(
        organisation=alice.organisation, code="", first_name="Inès", by=alice.professional
    )
    assert list(households_search(user=alice.professional)) == [household]
    assert household.created_by == alice.professional


def test_a_professional_who_is_also_coordinator_elsewhere_sees_both_scopes(alice, bob):
    MembershipFactory(organisation=bob.organisation, user=alice.professional, role=Role.COORDINATOR)
    HouseholdFactory(organisation=alice.organisation, code="A-1")
    HouseholdFactory(organisation=bob.organisation, code="B-1")
    seen = set(households_search(user=alice.professional).values_list("code", flat=True))
    assert seen == {"B-1"}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", {"view", "edit", "export", "anonymise"}),
        ("coordinator", {"view", "edit", "export"}),
    ],
)
def test_the_door_says_what_each_role_may_do_with_a_file(alice, role, allowed):
    household = HouseholdFactory(organisation=alice.organisation)
    user = getattr(alice, role)
    for action in ("view", "edit", "export", "anonymise"):
        if action in allowed:
            assert access_household(user, household.pk, for_=action) == household
        else:
            with pytest.raises(PermissionDenied):
                access_household(user, household.pk, for_=action)
    # Only the openings that were allowed are in the access log.
    pages = sorted(e.details["page"] for e in AuditEntry.objects.filter(action="household.view"))
    assert pages == sorted("detail" if a == "view" else a for a in allowed)


def test_a_professional_opens_a_family_met_but_cannot_export_it(alice, staffed):
    mine, _ = staffed
    came = PersonFactory(household__organisation=alice.organisation)
    Attendance.objects.create(session=mine, person=came, household=came.household)
    household = came.household
    assert access_household(alice.professional, household.pk, for_="edit") == household
    for action in ("export", "anonymise"):
        with pytest.raises(PermissionDenied):
            access_household(alice.professional, household.pk, for_=action)


@pytest.mark.parametrize("pk", [0, -1, 2**63, "abc"])
def test_an_impossible_id_is_the_same_404(alice, pk):
    with pytest.raises(Http404):
        access_household(alice.admin, pk)
