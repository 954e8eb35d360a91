import pytest
from django.http import Http404

from petitspas.core.models import AuditEntry
from petitspas.families.selectors import audit_entries_visible, household_open, households_search
from petitspas.families.services import person_add
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory


@pytest.fixture
def zoes(alice):
    zoe = PersonFactory(household__organisation=alice.organisation, first_name="Zoé")
    shouting = PersonFactory(household__organisation=alice.organisation, first_name="ZOÉ")
    other = PersonFactory(household__organisation=alice.organisation, first_name="Awa")
    return zoe.household, shouting.household, other.household


def test_search_is_accent_and_case_insensitive(alice, zoes):
    zoe, shouting, other = zoes
    for query in ("zoe", "Zoé", "ZOE", "oé"):
        assert set(households_search(user=alice.professional, query=query)) == {zoe, shouting}


def test_search_by_code_prefix_whatever_the_case(alice):
    first = HouseholdFactory(organisation=alice.organisation, code="HOT-101")
    second = HouseholdFactory(organisation=alice.organisation, code="HOT-102")
    HouseholdFactory(organisation=alice.organisation, code="XHOT-1")
    assert list(households_search(user=alice.professional, query="hot-1")) == [first, second]
    assert list(households_search(user=alice.professional, query="HOT-102")) == [second]


def test_search_lists_a_household_once_when_several_people_match(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    PersonFactory(household=household, first_name="Léa")
    PersonFactory(household=household, first_name="Léane", child=True)
    assert list(households_search(user=alice.professional, query="lea")) == [household]


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
    [found] = households_search(user=alice.professional, query="")
    assert list(found.people.all()) == [parent, elder, baby, expected]


def test_opening_a_family_file_is_logged(alice):
    household = HouseholdFactory(organisation=alice.organisation, code="F-0001")
    opened = household_open(user=alice.professional, household_pk=household.pk)
    assert opened == household
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.organisation) == (
        "household.view",
        alice.professional,
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
            household_open(user=user, household_pk=household.pk)
    assert not AuditEntry.objects.exists()


def test_audit_entries_by_action_prefix_and_household_code(alice, bob):
    first = HouseholdFactory(organisation=alice.organisation, code="F-0001")
    second = HouseholdFactory(organisation=alice.organisation, code="G-0002")
    household_open(user=alice.professional, household_pk=first.pk)
    household_open(user=alice.coordinator, household_pk=second.pk)
    person_add(household=first, role="parent", first_name="Awa", by=alice.professional)
    bobs = HouseholdFactory(organisation=bob.organisation, code="F-0001")
    household_open(user=bob.professional, household_pk=bobs.pk)

    everything = audit_entries_visible(user=alice.admin)
    assert [e.action for e in everything] == ["person.create", "household.view", "household.view"]
    views = audit_entries_visible(user=alice.admin, action="household.view")
    assert {e.target_repr for e in views} == {"F-0001", "G-0002"}
    by_code = audit_entries_visible(user=alice.admin, household_code="f-00")
    assert [e.action for e in by_code] == ["person.create", "household.view"]
    assert all(e.organisation == alice.organisation for e in by_code)


def test_audit_entries_are_for_admins_only(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    household_open(user=alice.professional, household_pk=household.pk)
    assert list(audit_entries_visible(user=alice.coordinator)) == []
    assert list(audit_entries_visible(user=alice.professional)) == []
