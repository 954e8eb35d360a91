"""The one scoping door, tested on its own: the memberships read once per user object, the
organisation ids derived from them, and ``ScopedQuerySet.visible_to`` on plain QuerySets
(the apps' own QuerySets narrow it further and are tested in their apps)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.functional import SimpleLazyObject

from petitspas.accounts.models import User
from petitspas.accounts.tests.factories import UserFactory
from petitspas.core import scoping
from petitspas.core.scoping import (
    ScopedQuerySet,
    active_memberships,
    forget_memberships,
    membership_fact,
    organisation_ids,
)
from petitspas.organisations.models import STAFF_ROLES, Membership, Organisation, Programme, Role
from petitspas.organisations.tests.factories import MembershipFactory, ProgrammeFactory


class ProgrammeScope(ScopedQuerySet):
    """Programmes by their organisation, for every role."""


class StaffProgrammeScope(ScopedQuerySet):
    visible_roles = STAFF_ROLES


class OrganisationScope(ScopedQuerySet):
    organisation_lookup = "pk"


def programmes(scope=ProgrammeScope):
    return scope(model=Programme)


def fresh(user) -> User:
    """The same account as a new object, as the next request would load it."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def in_both(alice, bob) -> User:
    """A coordinator of A who also works as a professional for B."""
    MembershipFactory(organisation=bob.organisation, user=alice.coordinator, role=Role.PROFESSIONAL)
    return fresh(alice.coordinator)


# active_memberships ------------------------------------------------------------------------


def test_memberships_are_read_in_one_query_by_organisation_name(
    in_both, alice, bob, django_assert_num_queries
):
    with django_assert_num_queries(1):
        memberships = active_memberships(in_both)
        # The organisations come with them: reading one costs no query.
        names = [m.organisation.name for m in memberships]

    assert names == ["Asmae", "Ville de Lunel"]
    assert [m.role for m in memberships] == [Role.COORDINATOR, Role.PROFESSIONAL]


def test_memberships_are_kept_on_the_user_object(in_both, django_assert_num_queries):
    first = active_memberships(in_both)
    next_request = fresh(in_both)

    with django_assert_num_queries(0):
        assert active_memberships(in_both) is first
    with django_assert_num_queries(1):
        assert active_memberships(next_request) == first


def test_inactive_memberships_are_left_out(in_both, alice):
    Membership.objects.filter(user=in_both, organisation=alice.organisation).update(is_active=False)

    assert [m.organisation.name for m in active_memberships(fresh(in_both))] == ["Ville de Lunel"]


@pytest.mark.parametrize("who", ["anonymous", "none", "inactive"])
def test_anonymous_and_inactive_users_have_no_memberships(alice, who, django_assert_num_queries):
    user = {"anonymous": AnonymousUser(), "none": None, "inactive": fresh(alice.admin)}[who]
    if who == "inactive":
        user.is_active = False

    with django_assert_num_queries(0):
        assert active_memberships(user) == []


def test_forget_memberships_reads_them_again(alice, bob, django_assert_num_queries):
    user = fresh(alice.coordinator)
    assert len(active_memberships(user)) == 1
    MembershipFactory(organisation=bob.organisation, user=user, role=Role.PROFESSIONAL)
    assert len(active_memberships(user)) == 1  # kept: the change is not seen yet

    forget_memberships(user)

    with django_assert_num_queries(1):
        assert len(active_memberships(user)) == 2


def test_forget_memberships_works_through_the_request_s_lazy_user(alice, django_assert_num_queries):
    user = fresh(alice.coordinator)
    lazy = SimpleLazyObject(lambda: user)
    active_memberships(lazy)

    forget_memberships(lazy)

    with django_assert_num_queries(1):
        active_memberships(user)


@pytest.fixture
def facts(monkeypatch):
    """Two facts an app above would provide, in place of the installed ones."""
    monkeypatch.setattr(scoping, "_MEMBERSHIP_FACTS", {})
    scoping.provide_membership_fact(
        "has_a_funder",
        lambda: Exists(
            Membership.objects.filter(organisation=OuterRef("organisation"), role=Role.FUNDER)
        ),
    )
    scoping.provide_membership_fact(
        "coordinates",
        lambda: ExpressionWrapper(Q(role=Role.COORDINATOR), output_field=BooleanField()),
    )


def test_facts_are_read_when_first_asked_in_one_query_for_every_membership(
    facts, in_both, alice, bob, django_assert_num_queries
):
    MembershipFactory(organisation=alice.organisation, role=Role.FUNDER)
    with django_assert_num_queries(1):
        memberships = active_memberships(in_both)  # the roles alone: no fact read yet

    with django_assert_num_queries(1):
        first = membership_fact(memberships[0], "has_a_funder")
    with django_assert_num_queries(0):
        answers = [
            (
                m.organisation,
                membership_fact(m, "has_a_funder"),
                membership_fact(m, "coordinates"),
            )
            for m in memberships
        ]
        assert membership_fact(memberships[1], "no such fact") is False

    assert first is True
    assert answers == [
        (alice.organisation, True, True),
        (bob.organisation, False, False),
    ]


def test_facts_are_read_again_with_the_memberships_of_the_next_request(
    facts, in_both, alice, django_assert_num_queries
):
    assert membership_fact(active_memberships(in_both)[0], "has_a_funder") is False
    MembershipFactory(organisation=alice.organisation, role=Role.FUNDER)
    assert membership_fact(active_memberships(in_both)[0], "has_a_funder") is False  # kept

    next_request = fresh(in_both)
    with django_assert_num_queries(2):
        assert membership_fact(active_memberships(next_request)[0], "has_a_funder") is True


def test_facts_of_a_membership_read_on_its_own_are_read_for_it(facts, alice):
    membership = Membership.objects.get(user=alice.coordinator, organisation=alice.organisation)

    assert membership_fact(membership, "coordinates") is True


def test_forget_memberships_before_any_read_does_nothing(alice):
    forget_memberships(fresh(alice.coordinator))
    forget_memberships(AnonymousUser())


# organisation_ids --------------------------------------------------------------------------


def test_organisation_ids_without_roles_are_every_active_membership(in_both, alice, bob):
    assert organisation_ids(in_both) == [alice.organisation.pk, bob.organisation.pk]


def test_organisation_ids_keep_to_the_roles_asked(in_both, alice, bob):
    assert organisation_ids(in_both, {Role.COORDINATOR}) == [alice.organisation.pk]
    assert organisation_ids(in_both, {Role.PROFESSIONAL, Role.ADMIN}) == [bob.organisation.pk]
    assert organisation_ids(in_both, {Role.FUNDER}) == []


def test_organisation_ids_of_anonymous_are_empty():
    assert organisation_ids(AnonymousUser()) == []
    assert organisation_ids(None, STAFF_ROLES) == []


# ScopedQuerySet.visible_to -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "none"])
def test_anonymous_sees_nothing(alice, who):
    user = AnonymousUser() if who == "anonymous" else None
    assert not programmes().visible_to(user).exists()


def test_an_inactive_user_sees_nothing(alice):
    user = fresh(alice.admin)
    user.is_active = False
    assert not programmes().visible_to(user).exists()


def test_a_user_without_membership_sees_nothing(alice):
    assert not programmes().visible_to(UserFactory()).exists()


def test_a_member_of_one_organisation_sees_its_rows_only(alice, bob):
    ProgrammeFactory(organisation=alice.organisation, name="Cabanes")

    visible = programmes().visible_to(fresh(alice.professional))

    assert set(visible.values_list("name", flat=True)) == {"Espace Petits Pas", "Cabanes"}


def test_a_member_of_several_organisations_sees_the_rows_of_each(in_both, alice, bob):
    ProgrammeFactory()  # a third organisation's

    visible = programmes().visible_to(in_both)

    assert set(visible) == {alice.programme, bob.programme}


def test_the_rows_come_in_one_query_once_the_memberships_are_read(
    in_both, django_assert_num_queries
):
    active_memberships(in_both)
    with django_assert_num_queries(1):
        assert len(list(programmes().visible_to(in_both))) == 2


def test_visible_roles_keep_out_the_other_roles(alice, funder):
    assert not programmes(StaffProgrammeScope).visible_to(fresh(funder)).exists()
    assert list(programmes(StaffProgrammeScope).visible_to(fresh(alice.professional))) == [
        alice.programme
    ]
    # Without visible_roles, every role reads.
    assert list(programmes().visible_to(fresh(funder))) == [alice.programme]


def test_where_role_names_a_narrower_audience_than_visible_to(in_both, alice, bob):
    scope = programmes(StaffProgrammeScope)

    assert list(scope.where_role(in_both, {Role.COORDINATOR})) == [alice.programme]
    assert list(scope.where_role(in_both, {Role.PROFESSIONAL})) == [bob.programme]
    assert not scope.where_role(in_both, {Role.FUNDER}).exists()
    assert not scope.where_role(None, None).exists()


def test_organisation_lookup_pk_scopes_the_organisations_themselves(in_both, alice, bob):
    scope = OrganisationScope(model=Organisation)
    ProgrammeFactory()  # a third organisation

    assert set(scope.visible_to(in_both)) == {alice.organisation, bob.organisation}
    assert list(scope.visible_to(fresh(alice.admin))) == [alice.organisation]
    assert list(scope.where_role(in_both, {Role.PROFESSIONAL})) == [bob.organisation]
