import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from petitspas.accounts.models import User
from petitspas.accounts.tests.factories import UserFactory
from petitspas.core.models import AuditEntry
from petitspas.organisations.models import Membership, Organisation, Programme, Role
from petitspas.organisations.tests.factories import MembershipFactory

NEW_PASSWORD = "cabanes-du-parc-2024"


@pytest.fixture
def platform_admin(db):
    return UserFactory(email="plateforme@exemple.fr", is_superuser=True, is_staff=True)


def membership_of(user):
    return Membership.objects.get(user=user)


def management_urls(side, membership_pk=None):
    """Every page that manages organisation ``side``, with a member and a programme of it."""
    pk = side.organisation.pk
    membership_pk = membership_pk or membership_of(side.professional).pk
    return [
        reverse("organisations:organisation-detail", args=[pk]),
        reverse("organisations:member-invite", args=[pk]),
        reverse("organisations:member-edit", args=[pk, membership_pk]),
        reverse("organisations:programme-create", args=[pk]),
        reverse("organisations:programme-edit", args=[pk, side.programme.pk]),
    ]


def invite_data(**overrides):
    return {
        "email": "Nadia.Benali@Exemple.fr",
        "first_name": "Nadia",
        "last_name": "Benali",
        "role": Role.PROFESSIONAL,
        **overrides,
    }


def programme_data(**overrides):
    return {
        "name": "Cabanes",
        "summary": "Jeu libre en pied d'immeuble.",
        "public": "Enfants de 0 à 6 ans",
        "started_on": "2022-09-01",
        "is_active": "on",
        **overrides,
    }


# Who may open the pages


def test_admin_of_another_organisation_gets_404_on_every_management_page(client, alice, bob):
    client.force_login(bob.admin)
    for url in management_urls(alice):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_admin_of_another_organisation_gets_404_for_its_members_and_programmes_under_own_pk(
    client, alice, bob
):
    """Organisation B's pk in the URL does not open organisation A's member or programme."""
    client.force_login(bob.admin)
    pk = bob.organisation.pk
    member = membership_of(alice.professional).pk
    assert client.get(reverse("organisations:member-edit", args=[pk, member])).status_code == 404
    programme = alice.programme.pk
    assert (
        client.get(reverse("organisations:programme-edit", args=[pk, programme])).status_code == 404
    )


@pytest.mark.parametrize("role", ["coordinator", "professional"])
def test_staff_without_the_admin_role_gets_403_on_management_pages(client, alice, role):
    client.force_login(getattr(alice, role))
    for url in management_urls(alice):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_funder_gets_403_on_management_pages(client, alice, funder):
    client.force_login(funder)
    for url in management_urls(alice):
        assert client.get(url).status_code == 403, url


def test_prescriber_of_another_organisation_gets_404(client, alice, prescriber):
    client.force_login(prescriber)
    for url in management_urls(alice):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitor_is_sent_to_sign_in(client, alice):
    for url in management_urls(alice):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")


def test_list_shows_only_the_organisations_the_user_administers(client, alice, bob):
    client.force_login(alice.admin)
    response = client.get(reverse("organisations:organisation-list"))
    assert response.status_code == 200
    assert "Asmae" in response.content.decode()
    assert "Ville de Lunel" not in response.content.decode()
    assert "Créer une organisation" not in response.content.decode()


def test_platform_admin_sees_every_organisation_and_manages_them(
    client, alice, bob, platform_admin
):
    client.force_login(platform_admin)
    body = client.get(reverse("organisations:organisation-list")).content.decode()
    assert "Asmae" in body and "Ville de Lunel" in body and "Créer une organisation" in body
    for url in management_urls(alice):
        assert client.get(url).status_code == 200, url


# The organisation page


def test_detail_lists_members_and_programmes(client, alice):
    client.force_login(alice.admin)
    response = client.get(
        reverse("organisations:organisation-detail", args=[alice.organisation.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    for user in (alice.admin, alice.coordinator, alice.professional):
        assert user.email in body
        assert user.get_full_name() in body
    assert "Coordinateur" in body
    assert "Espace Petits Pas" in body


def test_members_list_query_count_does_not_grow_with_members(
    client, alice, django_assert_max_num_queries
):
    for _ in range(15):
        MembershipFactory(organisation=alice.organisation, role=Role.PROFESSIONAL)
    client.force_login(alice.admin)
    url = reverse("organisations:organisation-detail", args=[alice.organisation.pk])
    # session, user, second-factor device, navigation roles and facts, organisation, the sheets to
    # fill in (navigation), members, programmes
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("Modifier les droits de") == 18


# Inviting


def test_admin_invites_a_new_member(client, alice):
    client.force_login(alice.admin)
    url = reverse("organisations:member-invite", args=[alice.organisation.pk])

    response = client.post(url, invite_data())

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organisations:organisation-detail", args=[alice.organisation.pk]
    )
    user = User.objects.get(email="nadia.benali@exemple.fr")
    assert not user.has_usable_password()
    assert membership_of(user).organisation == alice.organisation
    [message] = mail.outbox
    assert message.to == ["nadia.benali@exemple.fr"]
    assert re.search(r"http://testserver/organisations/invitation/[\w-]+/[\w-]+/", message.body)
    entry = AuditEntry.objects.get(action="membership.invite")
    assert entry.actor == alice.admin
    assert entry.organisation == alice.organisation


def test_inviting_an_existing_member_twice_shows_a_french_error_and_saves_nothing(client, alice):
    client.force_login(alice.admin)
    url = reverse("organisations:member-invite", args=[alice.organisation.pk])
    client.post(url, invite_data())
    counts = (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    mail.outbox.clear()

    response = client.post(url, invite_data(email="NADIA.benali@exemple.fr", role=Role.ADMIN))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Cette personne est déjà membre de l&#x27;organisation." in body
    assert 'value="NADIA.benali@exemple.fr"' in body  # what was typed stays
    assert (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == counts
    assert mail.outbox == []


def test_invite_form_errors_are_in_french(client, alice):
    client.force_login(alice.admin)
    url = reverse("organisations:member-invite", args=[alice.organisation.pk])

    response = client.post(url, invite_data(email="pas-une-adresse", first_name=""))

    body = response.content.decode()
    assert "Cette adresse électronique n&#x27;est pas valide." in body
    assert "Indiquez le prénom de la personne." in body
    assert 'value="Benali"' in body
    assert Membership.objects.filter(organisation=alice.organisation).count() == 3


def test_invitation_link_lets_the_person_set_a_password_and_sign_in(client, alice):
    client.force_login(alice.admin)
    client.post(reverse("organisations:member-invite", args=[alice.organisation.pk]), invite_data())
    client.logout()
    link = re.search(r"http://testserver(/organisations/invitation/\S+)", mail.outbox[0].body)[1]

    # Django moves the token from the URL to the session, so it never leaks in a Referer.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.get(form_url)
    assert "Choisir votre mot de passe" in response.content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")

    response = client.post(
        reverse("accounts:login"),
        {"username": "nadia.benali@exemple.fr", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(
        User.objects.get(email="nadia.benali@exemple.fr").pk
    )
    assert AuditEntry.objects.filter(action="user.invitation_accept").count() == 1


def test_invitation_link_works_only_once(client, alice):
    client.force_login(alice.admin)
    client.post(reverse("organisations:member-invite", args=[alice.organisation.pk]), invite_data())
    client.logout()
    link = re.search(r"http://testserver(/organisations/invitation/\S+)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link)

    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.content.decode()


def test_invitation_with_a_forged_token_is_refused(client, alice):
    url = reverse("organisations:invitation-accept", args=["MQ", "abc-def"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.content.decode()


# Changing a member's role or state


def test_admin_changes_a_members_role(client, alice):
    client.force_login(alice.admin)
    membership = membership_of(alice.professional)
    url = reverse("organisations:member-edit", args=[alice.organisation.pk, membership.pk])

    response = client.post(url, {"role": Role.COORDINATOR, "is_active": "on"})

    assert response.status_code == 302
    assert membership_of(alice.professional).role == Role.COORDINATOR
    assert AuditEntry.objects.filter(action="membership.update").count() == 1


def test_admin_deactivates_a_member(client, alice):
    client.force_login(alice.admin)
    membership = membership_of(alice.coordinator)
    url = reverse("organisations:member-edit", args=[alice.organisation.pk, membership.pk])

    client.post(url, {"role": Role.COORDINATOR})

    assert not membership_of(alice.coordinator).is_active


def test_removing_the_last_admin_is_refused(client, alice):
    client.force_login(alice.admin)
    membership = membership_of(alice.admin)
    url = reverse("organisations:member-edit", args=[alice.organisation.pk, membership.pk])

    response = client.post(url, {"role": Role.COORDINATOR, "is_active": "on"})

    assert response.status_code == 200
    assert "doit garder au moins un administrateur actif" in response.content.decode()
    stored = membership_of(alice.admin)
    assert (stored.role, stored.is_active) == (Role.ADMIN, True)
    assert not AuditEntry.objects.filter(action="membership.update").exists()


def test_admin_who_steps_down_is_sent_home(client, alice):
    MembershipFactory(organisation=alice.organisation, role=Role.ADMIN)
    client.force_login(alice.admin)
    membership = membership_of(alice.admin)
    url = reverse("organisations:member-edit", args=[alice.organisation.pk, membership.pk])

    response = client.post(url, {"role": Role.COORDINATOR, "is_active": "on"})

    assert response["Location"] == reverse("web:home")


# Programmes


def test_admin_creates_a_programme(client, alice):
    client.force_login(alice.admin)
    url = reverse("organisations:programme-create", args=[alice.organisation.pk])

    response = client.post(url, programme_data())

    assert response.status_code == 302
    programme = Programme.objects.get(organisation=alice.organisation, name="Cabanes")
    assert str(programme.started_on) == "2022-09-01"
    assert AuditEntry.objects.filter(action="programme.create").count() == 1


def test_duplicate_programme_name_is_refused(client, alice):
    client.force_login(alice.admin)
    url = reverse("organisations:programme-create", args=[alice.organisation.pk])
    count = Programme.objects.count()

    response = client.post(url, programme_data(name="ESPACE petits PAS"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Un programme porte déjà ce nom dans l&#x27;organisation." in body
    assert 'value="ESPACE petits PAS"' in body
    assert Programme.objects.count() == count


def test_admin_edits_a_programme(client, alice):
    client.force_login(alice.admin)
    url = reverse("organisations:programme-edit", args=[alice.organisation.pk, alice.programme.pk])
    assert "Espace Petits Pas" in client.get(url).content.decode()

    response = client.post(url, programme_data(name="Espace Petits Pas de Pantin", is_active=""))

    assert response.status_code == 302
    alice.programme.refresh_from_db()
    assert alice.programme.name == "Espace Petits Pas de Pantin"
    assert not alice.programme.is_active


def test_renaming_a_programme_to_a_taken_name_is_refused(client, alice):
    client.force_login(alice.admin)
    url = reverse("organisations:programme-create", args=[alice.organisation.pk])
    client.post(url, programme_data())
    url = reverse("organisations:programme-edit", args=[alice.organisation.pk, alice.programme.pk])

    response = client.post(url, programme_data(name="cabanes"))

    assert "Un programme porte déjà ce nom" in response.content.decode()
    alice.programme.refresh_from_db()
    assert alice.programme.name == "Espace Petits Pas"


# Organisations


def test_platform_admin_creates_an_organisation(client, platform_admin):
    client.force_login(platform_admin)

    response = client.post(
        reverse("organisations:organisation-create"),
        {"name": "Ville de Suresnes", "kind": "municipality", "departement": "92"},
    )

    organisation = Organisation.objects.get(name="Ville de Suresnes")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("organisations:member-invite", args=[organisation.pk]) + "?role=admin"
    )
    assert AuditEntry.objects.filter(action="organisation.create").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'value="admin" selected' in page


def test_organisation_with_a_taken_name_is_refused(client, alice, platform_admin):
    client.force_login(platform_admin)

    response = client.post(
        reverse("organisations:organisation-create"),
        {"name": "asmae", "kind": "association", "departement": "93"},
    )

    assert response.status_code == 200
    assert "Une organisation porte déjà ce nom." in response.content.decode()
    assert Organisation.objects.filter(name__iexact="asmae").count() == 1


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_organisation_admins_cannot_create_organisations(client, alice, role):
    client.force_login(getattr(alice, role))
    url = reverse("organisations:organisation-create")
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Nouvelle", "kind": "association"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Nouvelle").exists()


def test_invite_form_preselects_no_role(client, alice):
    client.force_login(alice.admin)
    page = client.get(reverse("organisations:member-invite", args=[alice.organisation.pk]))
    role_select = page.content.decode().split('name="role"')[1].split("</select>")[0]
    assert 'value="" selected' in role_select
    assert role_select.count("selected") == 1


# Invitation states: sent, accepted, expired; resend and revoke


def invite_nadia(client, alice):
    client.force_login(alice.admin)
    client.post(reverse("organisations:member-invite", args=[alice.organisation.pk]), invite_data())
    return Membership.objects.get(user__email="nadia.benali@exemple.fr")


def link_in(message) -> str:
    return re.search(r"http://testserver(/organisations/invitation/\S+)", message.body)[1]


def test_an_invited_person_shows_as_invited_not_active_until_they_accept(client, alice):
    membership = invite_nadia(client, alice)
    detail = reverse("organisations:organisation-detail", args=[alice.organisation.pk])
    row = re.search(
        r"<td>nadia\.benali@exemple\.fr</td>.*?</tr>", client.get(detail).content.decode(), re.S
    )
    assert "Invitation envoyée" in row[0]
    assert "Actif" not in row[0]

    client.logout()
    form_url = client.get(link_in(mail.outbox[0]))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    membership.refresh_from_db()
    assert membership.accepted_at is not None

    client.force_login(alice.admin)
    row = re.search(
        r"<td>nadia\.benali@exemple\.fr</td>.*?</tr>", client.get(detail).content.decode(), re.S
    )
    assert "Actif" in row[0]
    assert "Invitation" not in row[0]


def test_an_expired_invitation_shows_so_and_its_link_says_to_ask_again(client, alice, travel):
    travel(datetime.date(2030, 3, 1))
    membership = invite_nadia(client, alice)
    travel(datetime.date(2030, 3, 9))
    client.force_login(alice.admin)  # the admin's own session has long expired
    edit = reverse("organisations:member-edit", args=[alice.organisation.pk, membership.pk])
    body = client.get(edit).content.decode()
    assert "Invitation expirée" in body
    assert "Renvoyer l'invitation" in body

    client.logout()
    body = client.get(link_in(mail.outbox[0])).content.decode()
    assert "Cette invitation a expiré" in body
    assert "new_password1" not in body


def test_admin_resends_an_invitation_and_only_the_new_link_works(client, alice):
    membership = invite_nadia(client, alice)
    url = reverse("organisations:invitation-resend", args=[alice.organisation.pk, membership.pk])

    response = client.post(url)

    assert response["Location"] == reverse(
        "organisations:member-edit", args=[alice.organisation.pk, membership.pk]
    )
    old, new = mail.outbox
    assert AuditEntry.objects.filter(action="membership.invitation_resend").count() == 1
    client.logout()
    assert "Ce lien n'est plus valable" in client.get(link_in(old)).content.decode()
    assert client.get(link_in(new)).status_code == 302  # to the password form


def test_admin_revokes_an_invitation_and_its_link_says_so(client, alice):
    membership = invite_nadia(client, alice)
    url = reverse("organisations:invitation-revoke", args=[alice.organisation.pk, membership.pk])

    client.post(url)

    membership.refresh_from_db()
    assert membership.invitation_revoked_at is not None
    assert AuditEntry.objects.filter(action="membership.invitation_revoke").count() == 1
    detail = reverse("organisations:organisation-detail", args=[alice.organisation.pk])
    assert "Invitation annulée" in client.get(detail).content.decode()
    client.logout()
    body = client.get(link_in(mail.outbox[0])).content.decode()
    assert "Cette invitation a été annulée" in body
    assert "new_password1" not in body


def test_revoking_an_accepted_membership_is_refused_with_a_french_message(client, alice):
    client.force_login(alice.admin)
    membership = membership_of(alice.professional)
    url = reverse("organisations:invitation-revoke", args=[alice.organisation.pk, membership.pk])
    response = client.post(url, follow=True)
    assert "Seule une invitation en attente peut être annulée." in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.parametrize("name", ["invitation-resend", "invitation-revoke"])
def test_other_organisations_admin_and_coordinator_cannot_resend_or_revoke(
    client, alice, bob, name
):
    membership = invite_nadia(client, alice)
    url = reverse(f"organisations:{name}", args=[alice.organisation.pk, membership.pk])
    client.force_login(bob.admin)
    assert client.post(url).status_code == 404
    client.force_login(alice.coordinator)
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    membership.refresh_from_db()
    assert membership.invitation_revoked_at is None
    assert len(mail.outbox) == 1


def test_an_invitation_address_longer_than_254_characters_gets_a_french_error(client, alice):
    client.force_login(alice.admin)
    url = reverse("organisations:member-invite", args=[alice.organisation.pk])
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".fr"
    assert len(email) > 254

    response = client.post(url, invite_data(email=email))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Une adresse électronique compte 254 caractères au plus." in body
    assert 'value="Benali"' in body
    assert not User.objects.filter(email=email).exists()


def test_role_help_describes_every_role(client, alice):
    client.force_login(alice.admin)
    body = client.get(
        reverse("organisations:member-invite", args=[alice.organisation.pk])
    ).content.decode()
    for role in Role:
        assert f"{role.label} :" in body.replace("&#x27;", "'")
