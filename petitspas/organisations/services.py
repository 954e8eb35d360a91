"""Writes on organisations, their members and their programmes.

Views, the API, admin actions and commands call these; each checks who may call it and
writes its audit entry in the same transaction.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from petitspas.core.audit import audit_log
from petitspas.organisations.models import (
    InvitationState,
    Membership,
    Organisation,
    Programme,
    Role,
)
from petitspas.organisations.permissions import (
    can_create_organisation,
    can_invite_member,
    can_manage_organisation,
    forget_roles,
)
from petitspas.organisations.tokens import InvitationTokenGenerator

User = get_user_model()

ORGANISATION_NAME_TAKEN = "Une organisation porte déjà ce nom."
UNKNOWN_ROLE = "Choisissez un rôle de la liste."
# Without an active admin nobody but the platform admin could manage the organisation again.
INVITATION_NOT_PENDING = "Cette personne a déjà accepté son invitation."
INVITATION_NOT_REVOCABLE = "Seule une invitation en attente peut être annulée."
LAST_ADMIN = (
    "L'organisation doit garder au moins un administrateur actif : "
    "nommez d'abord un autre administrateur."
)

INVITATION_SUBJECT = "Invitation à rejoindre {organisation} sur Petits Pas"
INVITATION_BODY = """Bonjour {first_name},

{inviter} vous invite à rejoindre {organisation} sur Petits Pas avec le rôle « {role} ».

Pour activer votre compte, choisissez votre mot de passe en suivant ce lien, valable {days} jours :
{link}

Vous vous connecterez ensuite avec votre adresse électronique : {email}

Si vous n'attendiez pas cette invitation, ignorez ce message.

L'équipe Petits Pas
"""
ADDED_BODY = """Bonjour {first_name},

{inviter} vous a ajouté(e) à {organisation} sur Petits Pas avec le rôle « {role} ».

Connectez-vous avec votre adresse électronique ({email}) et votre mot de passe habituel :
{link}

L'équipe Petits Pas
"""


def _check_role(role: str) -> None:
    # Forms offer the list already; the API and commands call the services directly.
    if role not in Role.values:
        raise ValidationError({"role": UNKNOWN_ROLE})


@transaction.atomic
def organisation_create(*, name: str, kind: str, departement: str = "", by) -> Organisation:
    """Platform admin only. Names are unique whatever their case. Logged."""
    if not can_create_organisation(by):
        raise PermissionDenied
    name = name.strip()
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": ORGANISATION_NAME_TAKEN})
    organisation = Organisation.objects.create(
        name=name,
        kind=kind,
        departement=departement.strip().upper(),
    )
    audit_log(by, "organisation.create", organisation)
    return organisation


@transaction.atomic
def organisation_contact_update(
    *, organisation: Organisation, contact_email: str, contact_phone: str, by
) -> Organisation:
    """The contact shown to the public on sessions with registration (an e-mail address, a
    telephone number; either may be left empty). Admins of the organisation. Logged with
    the fields changed, not their values."""
    if not can_manage_organisation(by, organisation):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    values = {
        "contact_email": (contact_email or "").strip(),
        "contact_phone": " ".join((contact_phone or "").split()),
    }
    changed = sorted(name for name, value in values.items() if getattr(organisation, name) != value)
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.save(update_fields=list(values))
    audit_log(by, "organisation.update_contact", organisation, changed=changed)
    return organisation


@transaction.atomic
def member_invite(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    by,
    site_url: str = "",
) -> Membership:
    """Admins of the organisation and the platform admin; for the prescriber role, also the
    coordinators of a programme the organisation refers to (``can_invite_member``).
    Creates the account when the address is unknown, without a usable password: the
    person chooses one through the link in the invitation e-mail. Someone who already has
    an account is only told they were added. Logged (role, whether the account was created).

    ``site_url`` ("https://petitspas.example") makes the e-mailed link absolute; views pass
    the request's.
    """
    if not can_invite_member(by, organisation, role):
        raise PermissionDenied
    _check_role(role)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    account_created = user is None
    if account_created:
        # No password given: create_user stores an unusable one until the person sets theirs.
        user = User.objects.create_user(
            email=email, first_name=first_name.strip(), last_name=last_name.strip()
        )
    now = timezone.now()
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        invited_at=now,
        # Someone who already has a password is a member at once.
        accepted_at=None if account_created or not user.has_usable_password() else now,
    )
    try:
        # The model's constraint holds the French message ("déjà membre").
        membership.validate_constraints()
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    membership.save()
    audit_log(by, "membership.invite", membership, role=role, account_created=account_created)
    # Sent inside the transaction: if the mail server refuses it, nothing is saved and the
    # admin can try again, rather than leaving an account nobody was told about.
    _send_invitation(membership, by=by, site_url=site_url)
    return membership


def invitation_link(membership: Membership, *, site_url: str = "") -> str:
    """The password-setting link of one invitation: signed, single use (it changes with
    the password), replaced by a new one when the invitation is sent again, valid for
    ``INVITATION_VALID_DAYS``."""
    path = reverse(
        "organisations:invitation-accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(membership.pk)),
            "token": InvitationTokenGenerator(membership).make_token(membership.user),
        },
    )
    return site_url.rstrip("/") + path


def _send_invitation(membership: Membership, *, by, site_url: str) -> None:
    user = membership.user
    values = {
        "first_name": user.first_name or user.email,
        "inviter": str(by),
        "organisation": membership.organisation.name,
        "role": membership.get_role_display(),
        "email": user.email,
        "days": settings.INVITATION_VALID_DAYS,
    }
    if membership.invitation_state == InvitationState.ACCEPTED:
        body = ADDED_BODY.format(link=site_url.rstrip("/") + reverse("accounts:login"), **values)
    else:
        body = INVITATION_BODY.format(link=invitation_link(membership, site_url=site_url), **values)
    send_mail(INVITATION_SUBJECT.format(**values), body, None, [user.email])


@transaction.atomic
def invitation_resend(*, membership: Membership, by, site_url: str = "") -> Membership:
    """Admins of the organisation and the platform admin send a pending, expired or revoked
    invitation again: a new link, valid ``INVITATION_VALID_DAYS`` from now, replaces the
    old one, and a revoked invitation gives its role back. Logged."""
    if not can_manage_organisation(by, membership.organisation):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.invitation_state not in (
        InvitationState.SENT,
        InvitationState.EXPIRED,
        InvitationState.REVOKED,
    ):
        raise ValidationError(INVITATION_NOT_PENDING)
    before = membership.invitation_state
    membership.invited_at = timezone.now()
    membership.invitation_revoked_at = None
    membership.is_active = True
    membership.save(update_fields=["invited_at", "invitation_revoked_at", "is_active"])
    audit_log(by, "membership.invitation_resend", membership, before=before)
    _send_invitation(membership, by=by, site_url=site_url)
    return membership


@transaction.atomic
def invitation_revoke(*, membership: Membership, by) -> Membership:
    """Admins of the organisation and the platform admin cancel an invitation that is still
    pending: its link then shows that it was cancelled, and the membership is inactive.
    Logged."""
    if not can_manage_organisation(by, membership.organisation):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.invitation_pending:
        raise ValidationError(INVITATION_NOT_REVOCABLE)
    membership.invitation_revoked_at = timezone.now()
    membership.is_active = False
    membership.save(update_fields=["invitation_revoked_at", "is_active"])
    audit_log(by, "membership.invitation_revoke", membership)
    return membership


@transaction.atomic
def invitation_accept(*, membership: Membership, password: str):
    """The invited person, once the view has checked the link's token and that the
    invitation is still pending. Their other pending invitations are accepted too: the
    account they open is the same. Logged."""
    user = membership.user
    user.set_password(password)
    user.save(update_fields=["password"])
    Membership.objects.filter(
        user=user, accepted_at__isnull=True, invitation_revoked_at__isnull=True
    ).exclude(invited_at__isnull=True).update(accepted_at=timezone.now())
    audit_log(user, "user.invitation_accept", membership)
    return user


@transaction.atomic
def membership_update(*, membership: Membership, role: str, is_active: bool, by) -> Membership:
    """Admins of the organisation and the platform admin change a member's role or
    (de)activate them; the organisation keeps at least one active admin. Logged with the
    role and state before and after."""
    if not can_manage_organisation(by, membership.organisation):
        raise PermissionDenied
    _check_role(role)
    # Lock the organisation's admin rows: two admins demoting each other at the same moment
    # must not leave it without one. An admin still invited does not count: nobody may
    # ever accept.
    active_admins = set(
        Membership.objects.select_for_update()
        .joined()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMIN, is_active=True)
        .values_list("pk", flat=True)
    )
    before = Membership.objects.filter(pk=membership.pk).values("role", "is_active").get()
    after = {"role": role, "is_active": is_active}
    if before == after:
        return membership
    stays_admin = role == Role.ADMIN and is_active
    if membership.pk in active_admins and not stays_admin and active_admins == {membership.pk}:
        raise ValidationError(LAST_ADMIN)
    membership.role, membership.is_active = role, is_active
    membership.save(update_fields=["role", "is_active"])
    audit_log(by, "membership.update", membership, before=before, after=after)
    forget_roles(by)
    return membership


def _check_programme_name(programme: Programme) -> None:
    try:
        # The model's constraint (name unique in the organisation, whatever its case) holds
        # the French message; the slug is set apart, unique across organisations.
        programme.validate_constraints(exclude={"slug"})
    except ValidationError as error:
        raise ValidationError({"name": error.messages}) from None


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    name: str,
    summary: str = "",
    public: str = "",
    started_on: datetime.date | None = None,
    is_active: bool = True,
    by,
) -> Programme:
    """Admins of the organisation and the platform admin. Logged."""
    if not can_manage_organisation(by, organisation):
        raise PermissionDenied
    programme = Programme(
        organisation=organisation,
        name=name.strip(),
        summary=summary.strip(),
        public=public.strip(),
        started_on=started_on,
        is_active=is_active,
    )
    _check_programme_name(programme)
    programme.save()
    audit_log(by, "programme.create", programme)
    return programme


PROGRAMME_EDITABLE_FIELDS = ("name", "summary", "public", "started_on", "is_active")


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    name: str,
    summary: str,
    public: str,
    started_on: datetime.date | None,
    is_active: bool,
    by,
) -> Programme:
    """Admins of the programme's organisation and the platform admin. The slug stays, so
    links keep working after a rename. Logged with the names of the changed fields."""
    if not can_manage_organisation(by, programme.organisation):
        raise PermissionDenied
    # Compare with the stored row, not the instance: a ModelForm has already changed it.
    before = (
        Programme.objects.select_for_update()
        .filter(pk=programme.pk)
        .values(*PROGRAMME_EDITABLE_FIELDS)
        .get()
    )
    programme.name = name.strip()
    programme.summary = summary.strip()
    programme.public = public.strip()
    programme.started_on = started_on
    programme.is_active = is_active
    changed = [f for f in PROGRAMME_EDITABLE_FIELDS if getattr(programme, f) != before[f]]
    if not changed:
        return programme
    _check_programme_name(programme)
    programme.save(update_fields=changed)
    audit_log(by, "programme.update", programme, changed=changed)
    return programme
