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
from petitspas.families.hooks import met_by
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Role


class HousingSituation(models.TextChoices):
    SOCIAL_HOTEL = "social_hotel", "Hôtel social"
    EMERGENCY_SHELTER = "emergency_shelter", "Hébergement d'urgence"
    HOSTED = "hosted", "Hébergé chez un tiers"
    HOUSED = "housed", "Logé"
    NO_HOME = "no_home", "Sans domicile"
    UNKNOWN = "unknown", "Non renseigné"


# Family files have one audience, need-to-know (``visible_to``): no role-wide variant.
NO_WIDER_AUDIENCE = (
    "Family data is reached through visible_to() or a named need-to-know query, never "
    "through a role-wide scope."
)


class HouseholdQuerySet(ScopedQuerySet):
    # Named families: never funders, prescribers or partners.
    visible_roles = STAFF_ROLES

    def visible_to(self, user):
        """Family files the user may open (DESIGN, roles): every household of the
        organisations where they are admin or coordinator; where they are a professional,
        only the households met at the sessions they staff (``met_by``).

        There is no wider variant: a screen that shows other households (a session's
        sheet, the households expected there) names that set with its own query
        (``attendance.selectors.households_expected_at``) and says why.

        An anonymised household (right to erasure) is nobody's file any more: only its
        attendance rows remain, for the figures.
        """
        return self._visible_files(user).open_files()

    def where_role(self, user, roles):
        raise TypeError(NO_WIDER_AUDIENCE)

    def _visible_files(self, user):
        whole = organisation_ids(user, PLANNER_ROLES)
        met = organisation_ids(user, {Role.PROFESSIONAL})
        if not met:
            return self.filter(organisation_id__in=whole) if whole else self.none()
        condition = models.Q(organisation_id__in=met) & met_by(user)
        if whole:
            condition |= models.Q(organisation_id__in=whole)
        return self.filter(condition)

    def open_files(self):
        """Households not anonymised."""
        return self.filter(anonymised_at__isnull=True)

    def of_organisation(self, organisation_id: int):
        """An organisation's open files, unscoped: for callers that narrow them to a
        need-to-know set themselves (and check the user's right first)."""
        return self.open_files().filter(organisation_id=organisation_id)

    def with_whole_code(self, code: str):
        """The household whose code is exactly ``code`` (case aside): what a family gives
        to be recognised, never a prefix that would let a user browse codes."""
        code = " ".join((code or "").split())
        return self.filter(code__iexact=code) if code else self.none()


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


def age_in_months(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    """Whole months from ``birth_date`` to ``on`` (``None`` when the birth date is unknown):
    a child born on the 15th is one month old on the next month's 15th."""
    if birth_date is None:
        return None
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    return months - (1 if on.day < birth_date.day else 0)


class PersonQuerySet(ScopedQuerySet):
    organisation_lookup = "household__organisation"
    visible_roles = STAFF_ROLES

    def visible_to(self, user):
        """The people of the households ``Household.objects.visible_to`` gives."""
        return self.filter(household__in=Household.objects.visible_to(user).values("pk"))

    def where_role(self, user, roles):
        raise TypeError(NO_WIDER_AUDIENCE)


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
        return age_in_months(self.birth_date, on)

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
