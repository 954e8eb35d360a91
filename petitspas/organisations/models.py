import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from petitspas.core.scoping import ScopedQuerySet
from petitspas.core.slugs import unique_slug


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur de l'organisation"
    COORDINATOR = "coordinator", "Coordinateur"
    PROFESSIONAL = "professional", "Professionnel"
    PRESCRIBER = "prescriber", "Prescripteur"
    PARTNER = "partner", "Partenaire"
    FUNDER = "funder", "Financeur / observateur"


# Roles whose holders work with the organisation's own programmes and sites.
STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PROFESSIONAL})
# Roles that may change programmes' sites and their opening rules.
PLANNER_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


class OrganisationQuerySet(ScopedQuerySet):
    organisation_lookup = "pk"

    def visible_to(self, user):
        # The platform admin creates organisations, so sees them all (not their families).
        if user is not None and user.is_authenticated and user.is_superuser:
            return self.all()
        return super().visible_to(user)


PRESCRIBER_KIND_ONLY = "Seule une organisation prescriptrice a un type de prescripteur."


class PrescriberKind(models.TextChoices):
    """Which kind of prescriber an organisation of kind ``prescriber`` is (Les Petits Pas
    takes families referred by France Travail, the PLIE Est Héraultais and the APIJE)."""

    FRANCE_TRAVAIL = "france_travail", "Agence France Travail"
    PLIE = "plie", "PLIE (plan local pour l'insertion et l'emploi)"
    APIJE = "apije", "APIJE"
    OTHER = "other", "Autre prescripteur"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", "Association"
        MUNICIPALITY = "municipality", "Commune"
        DEPARTEMENT = "departement", "Département"
        STATE = "state", "Service de l'État"
        PRESCRIBER = "prescriber", "Prescripteur (France Travail, PLIE, APIJE…)"
        FUNDER = "funder", "Financeur (CAF, fondation…)"
        PARTNER = "partner", "Partenaire (bibliothèque, PMI, CCAS…)"

    name = models.CharField("nom", max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    departement = models.CharField("département", max_length=3, blank=True)
    # Shown to the public on sessions with registration: how families ask for a place.
    contact_email = models.EmailField("adresse électronique de contact", blank=True)
    contact_phone = models.CharField("téléphone de contact", max_length=30, blank=True)
    prescriber_kind = models.CharField(
        "type de prescripteur",
        max_length=20,
        choices=PrescriberKind.choices,
        blank=True,
        help_text="Pour une organisation prescriptrice seulement.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name, default="organisation")
        super().save(*args, **kwargs)

    def clean(self):
        if self.prescriber_kind and self.kind != self.Kind.PRESCRIBER:
            raise ValidationError({"prescriber_kind": PRESCRIBER_KIND_ONLY})

    @property
    def audit_organisation(self):
        return self


class MembershipQuerySet(ScopedQuerySet):
    # Staff lists are for the organisation's own people, not for funders or partners.
    visible_roles = STAFF_ROLES

    def joined(self):
        """Members who can sign in to use their role: not an invitation still waiting for
        its password."""
        return self.filter(models.Q(invited_at__isnull=True) | models.Q(accepted_at__isnull=False))


class InvitationState(models.TextChoices):
    SENT = "sent", "Invitation envoyée"
    EXPIRED = "expired", "Invitation expirée"
    REVOKED = "revoked", "Invitation annulée"
    ACCEPTED = "accepted", "Invitation acceptée"


class Membership(models.Model):
    """A user's role in one organisation. One membership per user and organisation.

    An invitation to someone without an account is pending until they choose their
    password through the e-mailed link; someone who already has an account is added at
    once (``accepted_at`` = ``invited_at``). Members added before invitations were tracked
    have neither date.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    invited_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    accepted_at = models.DateTimeField("invitation acceptée le", null=True, blank=True)
    invitation_revoked_at = models.DateTimeField("invitation annulée le", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "membre"
        ordering = ["organisation", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_one_per_user_and_organisation",
                violation_error_message="Cette personne est déjà membre de l'organisation.",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"

    @property
    def invitation_expires_at(self) -> datetime.datetime | None:
        if self.invited_at is None:
            return None
        return self.invited_at + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def invitation_state(self) -> InvitationState | None:
        """None for members who were never sent an invitation to accept."""
        if self.invited_at is None:
            return None
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.invitation_revoked_at is not None:
            return InvitationState.REVOKED
        if timezone.now() >= self.invitation_expires_at:
            return InvitationState.EXPIRED
        return InvitationState.SENT

    @property
    def invitation_pending(self) -> bool:
        """Sent and not yet accepted: the admin may resend or revoke it."""
        return self.invitation_state in (InvitationState.SENT, InvitationState.EXPIRED)

    @property
    def audit_organisation(self):
        return self.organisation


class ProgrammeQuerySet(ScopedQuerySet):
    pass


class Programme(models.Model):
    """A "dispositif": what an organisation runs for families (Les Petits Pas, Cabanes…)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(max_length=80)
    summary = models.TextField("présentation", blank=True)
    public = models.CharField("public", max_length=200, blank=True)
    started_on = models.DateField("date de lancement", null=True, blank=True)
    is_active = models.BooleanField("en activité", default=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "programme"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="programme_name_unique_in_organisation",
                violation_error_message="Un programme porte déjà ce nom dans l'organisation.",
            ),
            models.UniqueConstraint(fields=["slug"], name="programme_slug_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Programme, self.name, default="programme")
        super().save(*args, **kwargs)

    @property
    def audit_organisation(self):
        return self.organisation


class ProgrammePrescriberQuerySet(ScopedQuerySet):
    # The programme's organisation decides which prescribers refer to it.
    organisation_lookup = "programme__organisation"
    visible_roles = PLANNER_ROLES


class ProgrammePrescriber(models.Model):
    """ "This prescriber organisation refers families to this programme" (France Travail's
    Lunel agency to Les Petits Pas). Its prescribers may refer families to the programme,
    and the programme's coordinators may invite prescribers into it."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="prescriber_links"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="programme_links",
        verbose_name="organisation prescriptrice",
        limit_choices_to={"kind": Organisation.Kind.PRESCRIBER},
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProgrammePrescriberQuerySet.as_manager()

    class Meta:
        verbose_name = "prescripteur du programme"
        verbose_name_plural = "prescripteurs des programmes"
        ordering = ["programme", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                name="programme_prescriber_once",
                violation_error_message="Cette organisation oriente déjà vers ce programme.",
            )
        ]

    def __str__(self):
        return f"{self.organisation} → {self.programme}"

    @property
    def audit_organisation(self):
        return self.programme.organisation
