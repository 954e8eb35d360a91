"""Families, privacy first (CNIL): a pseudonymous household code instead of a surname,
first names only, no health data, no social-security number. Every read and change of a
family file goes to the audit log (see ``families.selectors`` and ``families.services``)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from petitspas.core.scoping import ScopedQuerySet, organisation_ids
from petitspas.core.text import fold
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Role


class HousingSituation(models.TextChoices):
    SOCIAL_HOTEL = "social_hotel", "Hôtel social"
    EMERGENCY_SHELTER = "emergency_shelter", "Hébergement d'urgence"
    HOSTED = "hosted", "Hébergé chez un tiers"
    HOUSED = "housed", "Logé"
    NO_HOME = "no_home", "Sans domicile"
    UNKNOWN = "unknown", "Non renseigné"


def met_by(user) -> models.Q:
    """Households a professional has met: registered or recorded at a session they staff,
    or whose file they created (a walk-in added in the field)."""
    return (
        models.Q(pk__in=Household.objects.filter(registrations__session__staff=user).values("pk"))
        | models.Q(pk__in=Household.objects.filter(attendances__session__staff=user).values("pk"))
        | models.Q(created_by=user)
    )


class HouseholdQuerySet(ScopedQuerySet):
    # Named families: never funders, prescribers or partners.
    visible_roles = STAFF_ROLES

    def visible_to(self, user, *, roles=None):
        """Family files the user may open (DESIGN, roles): every household of the
        organisations where they are admin or coordinator; where they are a professional,
        only the households met at the sessions they staff (``met_by``).

        With ``roles`` given, the whole organisations where the user holds one of them:
        for screens that narrow the rows themselves, such as a session's sheet, which
        lists the households expected at a session its staff may record.

        An anonymised household (right to erasure) is nobody's file any more: only its
        attendance rows remain, for the figures.
        """
        if roles is not None:
            return super().visible_to(user, roles=roles).filter(anonymised_at__isnull=True)
        return self._visible_files(user).filter(anonymised_at__isnull=True)

    def _visible_files(self, user):
        whole = organisation_ids(user, PLANNER_ROLES)
        met = organisation_ids(user, {Role.PROFESSIONAL})
        if not met:
            return super().visible_to(user, roles=PLANNER_ROLES)
        condition = models.Q(organisation_id__in=met) & met_by(user)
        if whole:
            condition |= models.Q(organisation_id__in=whole)
        return self.filter(condition)


class Household(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="households"
    )
    code = models.CharField(
        "code famille",
        max_length=20,
        help_text="Code pseudonyme affiché partout à la place du nom.",
    )
    commune_code = models.CharField("code INSEE de la commune", max_length=5, blank=True)
    town = models.CharField("commune", max_length=100, blank=True)
    housing = models.CharField(
        "situation de logement",
        max_length=20,
        choices=HousingSituation.choices,
        default=HousingSituation.UNKNOWN,
    )
    housing_site = models.ForeignKey(
        "places.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="hôtel social",
        help_text="Pour une famille hébergée dans un hôtel social suivi par le programme.",
    )
    languages = models.CharField(
        "langues parlées", max_length=200, blank=True, help_text="Séparées par des virgules."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="créée par",
    )
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "famille"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="household_code_unique_in_organisation",
                violation_error_message="Une famille a déjà ce code dans l'organisation.",
            )
        ]
        indexes = [
            # Every list reads the open files of an organisation by code: counted and
            # paged from this index alone, anonymised files left out.
            models.Index(
                fields=["organisation", "code"],
                condition=models.Q(anonymised_at__isnull=True),
                name="household_open_by_code",
            )
        ]

    def __str__(self):
        return self.code

    @property
    def audit_organisation(self):
        return self.organisation

    @property
    def language_list(self) -> list[str]:
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]


class PersonQuerySet(ScopedQuerySet):
    organisation_lookup = "household__organisation"
    visible_roles = STAFF_ROLES

    def visible_to(self, user, *, roles=None):
        """The people of the households ``Household.objects.visible_to`` gives."""
        if roles is not None:
            return super().visible_to(user, roles=roles)
        return self.filter(household__in=Household.objects.visible_to(user).values("pk"))


class Person(models.Model):
    class Role(models.TextChoices):
        PARENT = "parent", "Parent"
        CHILD = "child", "Enfant"
        EXPECTED_CHILD = "expected", "Enfant à naître"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="people")
    role = models.CharField("place dans la famille", max_length=10, choices=Role.choices)
    first_name = models.CharField("prénom", max_length=80, blank=True)
    # First names are searched without accents and case: kept folded beside the name.
    first_name_folded = models.CharField(max_length=80, blank=True, editable=False, db_index=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    due_date = models.DateField("date prévue d'accouchement", null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne"
        ordering = ["role", "birth_date", "first_name"]

    def __str__(self):
        return self.first_name or self.get_role_display()

    def save(self, *args, **kwargs):
        self.first_name_folded = fold(self.first_name)
        super().save(*args, **kwargs)

    @property
    def audit_organisation(self):
        return self.household.organisation

    def age_in_months(self, on: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        months = (on.year - self.birth_date.year) * 12 + on.month - self.birth_date.month
        return months - (1 if on.day < self.birth_date.day else 0)

    def clean(self):
        today = timezone.localdate()
        if self.role == self.Role.CHILD:
            if self.birth_date and self.birth_date > today:
                raise ValidationError(
                    {"birth_date": "La date de naissance ne peut pas être dans le futur."}
                )
        elif self.birth_date and self.role == self.Role.EXPECTED_CHILD:
            raise ValidationError(
                {"birth_date": "Un enfant à naître n'a pas de date de naissance."}
            )
        if self.role == self.Role.EXPECTED_CHILD:
            if not self.due_date:
                raise ValidationError({"due_date": "Indiquez la date prévue d'accouchement."})
            if self.due_date < today and self._state.adding:
                raise ValidationError(
                    {
                        "due_date": "Cette date prévue d'accouchement est passée : enregistrez "
                        "plutôt l'enfant né, avec sa date de naissance."
                    }
                )
        elif self.due_date:
            raise ValidationError(
                {"due_date": "Seul un enfant à naître a une date prévue d'accouchement."}
            )
