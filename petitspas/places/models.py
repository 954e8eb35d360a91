from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from petitspas.core.scoping import ScopedQuerySet
from petitspas.places.zones import school_zone_for_departement


class HalfDay(models.TextChoices):
    MORNING = "am", "matin"
    AFTERNOON = "pm", "après-midi"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "lundi"
    TUESDAY = 1, "mardi"
    WEDNESDAY = 2, "mercredi"
    THURSDAY = 3, "jeudi"
    FRIDAY = 4, "vendredi"
    SATURDAY = 5, "samedi"
    SUNDAY = 6, "dimanche"


class SchoolHolidayRule(models.TextChoices):
    ALWAYS = "always", "en période scolaire et pendant les vacances"
    TERM_ONLY = "term", "hors vacances scolaires seulement"
    HOLIDAYS_ONLY = "holidays", "pendant les vacances scolaires seulement"


class SiteQuerySet(ScopedQuerySet):
    organisation_lookup = "programme__organisation"


class Site(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_HOTEL = "social_hotel", "Hôtel social"
        NEIGHBOURHOOD_CENTRE = "neighbourhood_centre", "Maison de quartier"
        SCHOOL = "school", "École"
        PMI_CENTRE = "pmi_centre", "Centre de PMI"
        PUBLIC_SPACE = "public_space", "Espace public (container, chariot)"
        LIBRARY = "library", "Bibliothèque"
        LAEP = "laep", "Lieu d'accueil enfants-parents (LAEP)"
        MOBILE_UNIT = "mobile_unit", "Unité mobile"
        FAMILY_CENTRE = "family_centre", "Maison des familles"
        LEISURE_CENTRE = "leisure_centre", "Accueil de loisirs"

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.PROTECT, related_name="sites"
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de lieu", max_length=30, choices=Kind.choices)
    address = models.CharField("adresse", max_length=250)
    postcode = models.CharField("code postal", max_length=5)
    commune_code = models.CharField("code INSEE de la commune", max_length=5)
    town = models.CharField("commune", max_length=100)
    departement = models.CharField("département", max_length=3, editable=False)
    latitude = models.DecimalField(
        "latitude",
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "longitude",
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_qpv = models.BooleanField(
        "quartier prioritaire de la politique de la ville (QPV)", default=False
    )
    access_notes = models.TextField("accès et repères", blank=True)
    is_active = models.BooleanField("en activité", default=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu"
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(
                "programme",
                Lower("name"),
                name="site_name_unique_in_programme",
                violation_error_message="Un lieu porte déjà ce nom dans ce programme.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.town})"

    @property
    def houses_families(self) -> bool:
        """Whether families live here: its street address is theirs."""
        return self.kind in HOME_KINDS

    @property
    def organisation(self):
        return self.programme.organisation

    @property
    def audit_organisation(self):
        return self.programme.organisation

    @property
    def school_zone(self) -> str | None:
        return school_zone_for_departement(self.departement)


# Kinds of site where families live (a social hotel houses them): their street address is
# the families' own, so it is shown to the staff of the site's organisation only
# (``places.permissions.can_see_address``) and their sessions are never published.
HOME_KINDS = frozenset({Site.Kind.SOCIAL_HOTEL})


class WeeklyOpeningQuerySet(ScopedQuerySet):
    organisation_lookup = "site__programme__organisation"


class WeeklyOpening(models.Model):
    """One half-day of the site's weekly pattern, with its hours and school-holiday rule.

    Lunel's "accueil de loisirs du parc" has Monday/Tuesday/Thursday/Friday rows "term only";
    "école Arc-en-Ciel" has Wednesday rows "always" and the other weekdays "holidays only".
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="weekly_openings")
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    half_day = models.CharField("demi-journée", max_length=2, choices=HalfDay.choices)
    opens_at = models.TimeField("ouverture")
    closes_at = models.TimeField("fermeture")
    school_holidays = models.CharField(
        "vacances scolaires",
        max_length=10,
        choices=SchoolHolidayRule.choices,
        default=SchoolHolidayRule.ALWAYS,
    )

    objects = WeeklyOpeningQuerySet.as_manager()

    class Meta:
        verbose_name = "ouverture hebdomadaire"
        ordering = ["weekday", "half_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "weekday", "half_day"],
                name="weekly_opening_one_per_half_day",
                violation_error_message="Ce lieu a déjà une ouverture sur cette demi-journée.",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="weekly_opening_opens_before_closing",
                violation_error_message="L'heure de fermeture doit être après l'heure d'ouverture.",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_weekday_display()} {self.get_half_day_display()} "
            f"{self.opens_at:%H:%M}-{self.closes_at:%H:%M}"
        )

    def clean(self):
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError(
                {"closes_at": "L'heure de fermeture doit être après l'heure d'ouverture."}
            )


class SiteClosureQuerySet(ScopedQuerySet):
    organisation_lookup = "site__programme__organisation"


class SiteClosure(models.Model):
    """Dated closure: the whole days from ``starts_on`` to ``ends_on`` included, or only
    one half-day when ``half_day`` is set (a single-day closure)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField("du")
    ends_on = models.DateField("au (inclus)")
    half_day = models.CharField(
        "demi-journée seulement", max_length=2, choices=HalfDay.choices, blank=True
    )
    reason = models.CharField("motif", max_length=200)

    objects = SiteClosureQuerySet.as_manager()

    class Meta:
        verbose_name = "fermeture"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="site_closure_dates_in_order",
            )
        ]

    def __str__(self):
        return f"{self.reason} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": "La fin de la fermeture précède son début."})
        if self.half_day and self.starts_on != self.ends_on:
            raise ValidationError(
                {"half_day": "Une fermeture d'une demi-journée ne porte que sur un seul jour."}
            )


class SiteRelocationQuerySet(ScopedQuerySet):
    organisation_lookup = "site__programme__organisation"


class SiteRelocation(models.Model):
    """The activity is held elsewhere for a while (Cabanes: hosted indoors by the PMI from
    autumn, then in containers for two years). Opening days and hours are unchanged."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="relocations")
    starts_on = models.DateField("à partir du")
    ends_on = models.DateField("jusqu'au (inclus)", null=True, blank=True)
    place_name = models.CharField("lieu d'accueil", max_length=200)
    address = models.CharField("adresse", max_length=250, blank=True)
    reason = models.CharField("motif", max_length=200, blank=True)

    objects = SiteRelocationQuerySet.as_manager()

    class Meta:
        verbose_name = "déménagement temporaire"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__lte=models.F("ends_on")),
                name="site_relocation_dates_in_order",
            )
        ]

    def __str__(self):
        return f"{self.place_name} à partir du {self.starts_on:%d/%m/%Y}"

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": "La fin du déménagement précède son début."})
