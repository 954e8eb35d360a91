import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from petitspas.accounts.models import User
from petitspas.accounts.tests.factories import UserFactory
from petitspas.core.models import AuditEntry
from petitspas.organisations import services
from petitspas.organisations.models import (
    InvitationState,
    Membership,
    Organisation,
    Programme,
    Role,
)
from petitspas.organisations.tests.factories import MembershipFactory, ProgrammeFactory


@pytest.fixture
def platform_admin(db):
    return UserFactory(email="plateforme@exemple.fr", is_superuser=True, is_staff=True)


def invite(alice, email="Nadia.Benali@Exemple.fr", role=Role.PROFESSIONAL, by=None):
    return services.member_invite(
        organisation=alice.organisation,
        email=email,
        role=role,
        first_name="Nadia",
        last_name="Benali",
        by=by or alice.admin,
        site_url="https://petitspas.example",
    )


# Invitations


def test_invite_creates_an_account_without_usable_password_and_emails_the_link(alice):
    membership = invite(alice)

    user = membership.user
    assert user.email == "nadia.benali@exemple.fr"
    assert (user.first_name, user.last_name) == ("Nadia", "Benali")
    assert not user.has_usable_password()
    assert membership.organisation == alice.organisation
    assert membership.role == Role.PROFESSIONAL
    assert membership.is_active
    [message] = mail.outbox
    assert message.to == ["nadia.benali@exemple.fr"]
    assert "Asmae" in message.subject
    assert "https://petitspas.example/organisations/invitation/" in message.body
    assert "Professionnel" in message.body
    entry = AuditEntry.objects.get(action="membership.invite")
    assert entry.actor == alice.admin
    assert entry.organisation == alice.organisation
    assert entry.details == {"role": Role.PROFESSIONAL, "account_created": True}


def test_invite_of_someone_with_an_account_adds_the_membership_and_tells_them(alice, bob):
    membership = invite(alice, email=bob.coordinator.email.upper())

    assert membership.user == bob.coordinator
    assert bob.coordinator.has_usable_password()
    [message] = mail.outbox
    assert "/compte/connexion/" in message.body
    assert "/invitation/" not in message.body
    assert AuditEntry.objects.get(action="membership.invite").details["account_created"] is False


def test_invite_of_a_member_is_refused_and_saves_nothing(alice):
    users, memberships, entries = (
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )

    with pytest.raises(ValidationError) as error:
        invite(alice, email=alice.coordinator.email, role=Role.ADMIN)

    assert error.value.message_dict == {
        "email": ["Cette personne est déjà membre de l'organisation."]
    }
    assert User.objects.count() == users
    assert Membership.objects.count() == memberships
    assert AuditEntry.objects.count() == entries
    assert mail.outbox == []
    assert Membership.objects.get(user=alice.coordinator).role == Role.COORDINATOR


def test_invite_of_a_deactivated_member_is_refused_too(alice):
    Membership.objects.filter(user=alice.professional).update(is_active=False)

    with pytest.raises(ValidationError):
        invite(alice, email=alice.professional.email)


@pytest.mark.parametrize("role", ["coordinator", "professional"])
def test_only_admins_invite(alice, role):
    with pytest.raises(PermissionDenied):
        invite(alice, by=getattr(alice, role))
    assert not User.objects.filter(email="nadia.benali@exemple.fr").exists()


def test_invite_with_an_unknown_role_is_refused(alice):
    with pytest.raises(ValidationError) as error:
        invite(alice, role="superuser")
    assert error.value.message_dict == {"role": [services.UNKNOWN_ROLE]}


def test_admin_of_another_organisation_cannot_invite(alice, bob):
    with pytest.raises(PermissionDenied):
        invite(alice, by=bob.admin)


def test_platform_admin_invites_the_first_admin_of_a_new_organisation(platform_admin):
    organisation = services.organisation_create(
        name="CCAS de Lunel", kind="partner", by=platform_admin
    )

    membership = services.member_invite(
        organisation=organisation,
        email="directrice@ccas-lunel.fr",
        role=Role.ADMIN,
        first_name="Claire",
        last_name="Martin",
        by=platform_admin,
    )

    assert membership.role == Role.ADMIN
    assert len(mail.outbox) == 1


def test_accepting_the_invitation_sets_the_password_and_is_logged(alice):
    membership = invite(alice)
    user = membership.user

    services.invitation_accept(membership=membership, password="un-mot-de-passe-solide-42")

    user.refresh_from_db()
    assert user.check_password("un-mot-de-passe-solide-42")
    assert AuditEntry.objects.filter(action="user.invitation_accept", actor=user).exists()
    membership.refresh_from_db()
    assert membership.invitation_state == InvitationState.ACCEPTED


def test_an_invitation_is_sent_then_expires_after_the_valid_days(alice, travel, settings):
    settings.INVITATION_VALID_DAYS = 7
    travel(datetime.date(2030, 3, 1))
    membership = invite(alice)
    assert membership.invitation_state == InvitationState.SENT
    assert "valable 7 jours" in mail.outbox[0].body
    travel(datetime.datetime(2030, 3, 8, 9, 59))
    assert membership.invitation_state == InvitationState.SENT
    travel(datetime.date(2030, 3, 8))
    assert membership.invitation_state == InvitationState.EXPIRED
    assert membership.invitation_pending


def test_someone_with_an_account_is_added_as_accepted(alice, bob):
    membership = invite(alice, email=bob.coordinator.email)
    assert membership.invitation_state == InvitationState.ACCEPTED
    assert not membership.invitation_pending


def test_accepting_accepts_the_persons_other_pending_invitations(alice, bob):
    first = invite(alice)
    second = services.member_invite(
        organisation=bob.organisation,
        email=first.user.email,
        role=Role.COORDINATOR,
        by=bob.admin,
    )
    services.invitation_accept(membership=first, password="un-mot-de-passe-solide-42")
    second.refresh_from_db()
    assert second.invitation_state == InvitationState.ACCEPTED


def test_resend_gives_a_new_link_and_is_logged(alice, travel):
    travel(datetime.date(2030, 3, 1))
    membership = invite(alice)
    travel(datetime.date(2030, 3, 20))
    assert membership.invitation_state == InvitationState.EXPIRED

    services.invitation_resend(membership=membership, by=alice.admin, site_url="https://p.example")

    membership.refresh_from_db()
    assert membership.invitation_state == InvitationState.SENT
    first, second = mail.outbox
    assert "/organisations/invitation/" in second.body
    assert second.body != first.body
    entry = AuditEntry.objects.get(action="membership.invitation_resend")
    assert (entry.actor, entry.organisation) == (alice.admin, alice.organisation)
    assert entry.details == {"before": "expired"}


def test_revoke_cancels_a_pending_invitation_and_is_logged(alice):
    membership = invite(alice)

    services.invitation_revoke(membership=membership, by=alice.admin)

    membership.refresh_from_db()
    assert membership.invitation_state == InvitationState.REVOKED
    assert not membership.is_active
    assert AuditEntry.objects.filter(
        action="membership.invitation_revoke", actor=alice.admin
    ).exists()
    # A revoked invitation can be sent again, which gives the role back.
    services.invitation_resend(membership=membership, by=alice.admin)
    membership.refresh_from_db()
    assert membership.invitation_state == InvitationState.SENT
    assert membership.is_active


def test_an_accepted_invitation_can_be_neither_revoked_nor_resent(alice):
    membership = invite(alice)
    services.invitation_accept(membership=membership, password="un-mot-de-passe-solide-42")
    with pytest.raises(ValidationError) as error:
        services.invitation_revoke(membership=membership, by=alice.admin)
    assert error.value.messages == [services.INVITATION_NOT_REVOCABLE]
    with pytest.raises(ValidationError) as error:
        services.invitation_resend(membership=membership, by=alice.admin)
    assert error.value.messages == [services.INVITATION_NOT_PENDING]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("who", ["coordinator", "other_admin"])
def test_only_the_organisations_admins_resend_or_revoke(alice, bob, who):
    membership = invite(alice)
    by = bob.admin if who == "other_admin" else alice.coordinator
    with pytest.raises(PermissionDenied):
        services.invitation_resend(membership=membership, by=by)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(membership=membership, by=by)
    membership.refresh_from_db()
    assert membership.invitation_state == InvitationState.SENT


# Members' roles and state


def membership_of(user):
    return Membership.objects.get(user=user)


def test_admin_changes_a_role_and_it_is_logged(alice):
    membership = membership_of(alice.professional)

    services.membership_update(
        membership=membership, role=Role.COORDINATOR, is_active=True, by=alice.admin
    )

    assert membership_of(alice.professional).role == Role.COORDINATOR
    entry = AuditEntry.objects.get(action="membership.update")
    assert entry.details == {
        "before": {"role": "professional", "is_active": True},
        "after": {"role": "coordinator", "is_active": True},
    }


def test_admin_deactivates_and_reactivates_a_member(alice):
    membership = membership_of(alice.coordinator)

    services.membership_update(
        membership=membership, role=Role.COORDINATOR, is_active=False, by=alice.admin
    )
    assert not membership_of(alice.coordinator).is_active

    services.membership_update(
        membership=membership, role=Role.COORDINATOR, is_active=True, by=alice.admin
    )
    assert membership_of(alice.coordinator).is_active


def test_saving_without_change_writes_no_audit_entry(alice):
    services.membership_update(
        membership=membership_of(alice.coordinator),
        role=Role.COORDINATOR,
        is_active=True,
        by=alice.admin,
    )
    assert not AuditEntry.objects.filter(action="membership.update").exists()


def test_an_admin_still_invited_does_not_count_as_the_remaining_admin(alice):
    invite(alice, role=Role.ADMIN)

    with pytest.raises(ValidationError) as error:
        services.membership_update(
            membership=membership_of(alice.admin),
            role=Role.COORDINATOR,
            is_active=True,
            by=alice.admin,
        )

    assert error.value.messages == [services.LAST_ADMIN]


@pytest.mark.parametrize(
    ("role", "is_active"), [(Role.COORDINATOR, True), (Role.ADMIN, False), (Role.FUNDER, False)]
)
def test_the_last_active_admin_cannot_be_removed(alice, role, is_active):
    membership = membership_of(alice.admin)

    with pytest.raises(ValidationError) as error:
        services.membership_update(
            membership=membership, role=role, is_active=is_active, by=alice.admin
        )

    assert error.value.messages == [services.LAST_ADMIN]
    stored = membership_of(alice.admin)
    assert (stored.role, stored.is_active) == (Role.ADMIN, True)
    assert not AuditEntry.objects.filter(action="membership.update").exists()


def test_an_inactive_admin_does_not_count_as_the_remaining_admin(alice):
    MembershipFactory(organisation=alice.organisation, role=Role.ADMIN, is_active=False)

    with pytest.raises(ValidationError):
        services.membership_update(
            membership=membership_of(alice.admin),
            role=Role.PROFESSIONAL,
            is_active=True,
            by=alice.admin,
        )


def test_an_admin_steps_down_once_another_admin_exists(alice):
    services.membership_update(
        membership=membership_of(alice.coordinator), role=Role.ADMIN, is_active=True, by=alice.admin
    )

    services.membership_update(
        membership=membership_of(alice.admin), role=Role.COORDINATOR, is_active=True, by=alice.admin
    )

    assert membership_of(alice.admin).role == Role.COORDINATOR


def test_members_of_an_organisation_without_admin_can_still_be_changed(platform_admin):
    organisation = services.organisation_create(
        name="PMI Pantin", kind="partner", by=platform_admin
    )
    membership = MembershipFactory(organisation=organisation, role=Role.PARTNER)

    services.membership_update(
        membership=membership, role=Role.PARTNER, is_active=False, by=platform_admin
    )

    assert not Membership.objects.get(pk=membership.pk).is_active


def test_coordinator_cannot_change_roles(alice):
    with pytest.raises(PermissionDenied):
        services.membership_update(
            membership=membership_of(alice.coordinator),
            role=Role.ADMIN,
            is_active=True,
            by=alice.coordinator,
        )


# Programmes


def create_programme(alice, name, **fields):
    return services.programme_create(
        organisation=alice.organisation, name=name, by=alice.admin, **fields
    )


def test_admin_creates_a_programme_and_it_is_logged(alice):
    programme = create_programme(
        alice,
        "Cabanes",
        summary="Espaces de jeu libre en pied d'immeuble.",
        public="Enfants de 0 à 6 ans et leurs parents",
        started_on=datetime.date(2022, 9, 1),
    )

    assert programme.organisation == alice.organisation
    assert programme.slug == "cabanes"
    assert programme.is_active
    entry = AuditEntry.objects.get(action="programme.create")
    assert entry.target_id == str(programme.pk)
    assert entry.organisation == alice.organisation


def test_duplicate_programme_name_in_the_organisation_is_refused_whatever_its_case(alice):
    count = Programme.objects.count()

    with pytest.raises(ValidationError) as error:
        create_programme(alice, "  espace PETITS pas ")

    assert error.value.message_dict == {
        "name": ["Un programme porte déjà ce nom dans l'organisation."]
    }
    assert Programme.objects.count() == count


def test_another_organisation_may_use_the_same_programme_name(alice, bob):
    programme = services.programme_create(
        organisation=bob.organisation, name=alice.programme.name, by=bob.admin
    )

    assert programme.slug != alice.programme.slug
    assert programme.slug.startswith(alice.programme.slug)


def test_renaming_a_programme_to_a_taken_name_is_refused(alice):
    other = ProgrammeFactory(organisation=alice.organisation, name="Cabanes")

    with pytest.raises(ValidationError):
        services.programme_update(
            programme=other,
            name="Espace petits pas",
            summary="",
            public="",
            started_on=None,
            is_active=True,
            by=alice.admin,
        )

    assert Programme.objects.get(pk=other.pk).name == "Cabanes"


def test_programme_update_logs_the_changed_fields_and_keeps_the_slug(alice):
    programme = alice.programme
    slug = programme.slug

    services.programme_update(
        programme=programme,
        name="Espace Petits Pas de Pantin",
        summary=programme.summary,
        public=programme.public,
        started_on=programme.started_on,
        is_active=False,
        by=alice.admin,
    )

    programme.refresh_from_db()
    assert (programme.name, programme.is_active, programme.slug) == (
        "Espace Petits Pas de Pantin",
        False,
        slug,
    )
    entry = AuditEntry.objects.get(action="programme.update")
    assert entry.details == {"changed": ["name", "is_active"]}


def test_admin_of_another_organisation_cannot_create_a_programme(alice, bob):
    with pytest.raises(PermissionDenied):
        services.programme_create(organisation=alice.organisation, name="Intrus", by=bob.admin)


# Organisations


def test_platform_admin_creates_an_organisation_and_it_is_logged(platform_admin):
    organisation = services.organisation_create(
        name=" Ville de Suresnes ", kind="municipality", departement="92", by=platform_admin
    )

    assert organisation.name == "Ville de Suresnes"
    assert organisation.slug == "ville-de-suresnes"
    entry = AuditEntry.objects.get(action="organisation.create")
    assert (entry.actor, entry.organisation) == (platform_admin, organisation)


def test_organisation_names_are_unique_whatever_their_case(alice, platform_admin):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(name="ASMAE", kind="association", by=platform_admin)

    assert error.value.message_dict == {"name": [services.ORGANISATION_NAME_TAKEN]}
    assert Organisation.objects.filter(name__iexact="asmae").count() == 1


def test_only_the_platform_admin_creates_organisations(alice):
    with pytest.raises(PermissionDenied):
        services.organisation_create(name="Nouvelle", kind="association", by=alice.admin)
