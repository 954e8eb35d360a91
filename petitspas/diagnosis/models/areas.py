"""The territorial diagnosis (seed 004, « Agir ensemble pour les enfants », Paris).

A diagnosis is made on **areas**: micro-neighbourhoods drawn as a polygon, or given as a set
of IRIS (INSEE's sub-communal units), inside one commune or Paris arrondissement (its
INSEE code, 75112 for the 12e). An area belongs to the organisation that studies it, and to
one of its programmes when there is one.

Geometry is kept as GeoJSON (WGS 84, longitude then latitude), as the standard and IGN's
exports write it: no spatial database is needed, on SQLite or PostgreSQL.
"""

from django.db import models
from django.utils import timezone

from petitspas.core.scoping import ScopedQuerySet
from petitspas.organisations.models import STAFF_ROLES


class AreaQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = STAFF_ROLES


class Area(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        "organisations.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnosis_areas",
        verbose_name="programme",
    )
    name = models.CharField("nom", max_length=150)
    commune = models.CharField(
        "commune ou arrondissement (code INSEE)",
        max_length=5,
        help_text="Par exemple 75112 pour le 12e arrondissement de Paris.",
    )
    iris_codes = models.JSONField("IRIS (codes INSEE)", default=list, blank=True)
    geometry = models.JSONField("contour (GeoJSON)", null=True, blank=True)
    description = models.TextField("description", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "quartier du diagnostic"
        verbose_name_plural = "quartiers du diagnostic"
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="area_name_once")
        ]

    def __str__(self):
        return self.name

    @property
    def audit_organisation(self):
        return self.organisation


class IrisQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = STAFF_ROLES


class Iris(models.Model):
    """One IRIS contour imported by an organisation (IGN's « Contours IRIS » export:
    CODE_IRIS, NOM_IRIS, INSEE_COM), the unit its indicators are given for."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("code IRIS", max_length=9)
    name = models.CharField("nom", max_length=150, blank=True)
    commune = models.CharField("commune (code INSEE)", max_length=5)
    geometry = models.JSONField("contour (GeoJSON)")
    source = models.CharField("source", max_length=200, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    objects = IrisQuerySet.as_manager()

    class Meta:
        verbose_name = "IRIS"
        verbose_name_plural = "IRIS"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="iris_code_once")
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    @property
    def audit_organisation(self):
        return self.organisation


class IndicatorQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = STAFF_ROLES


class Indicator(models.Model):
    """What a figure of the diagnosis is: a count (« Familles monoparentales ») that adds up
    from IRIS to a neighbourhood, an arrondissement, a city; shown as a share of another
    count (its ``denominator``) when it has one."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("code", max_length=40)
    label = models.CharField("libellé", max_length=150)
    denominator = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="part de",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur du diagnostic"
        verbose_name_plural = "indicateurs du diagnostic"
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="diagnosis_indicator_code_once"
            )
        ]

    def __str__(self):
        return self.label

    @property
    def audit_organisation(self):
        return self.organisation


class Level(models.TextChoices):
    IRIS = "iris", "IRIS"
    AREA = "area", "Quartier"
    COMMUNE = "commune", "Commune ou arrondissement"


class IndicatorValueQuerySet(ScopedQuerySet):
    organisation_lookup = "indicator__organisation"
    visible_roles = STAFF_ROLES


class IndicatorValue(models.Model):
    """One figure for one place and year: an IRIS (its code), a commune or arrondissement
    (its INSEE code; 75056 for Paris as a whole) or a neighbourhood of the diagnosis, with
    where it comes from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    level = models.CharField(max_length=8, choices=Level.choices)
    code = models.CharField("code IRIS ou INSEE", max_length=9, blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=200)
    imported_at = models.DateTimeField(default=timezone.now)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "level", "code", "year"],
                condition=models.Q(area__isnull=True),
                name="indicator_value_once",
            ),
            models.UniqueConstraint(
                fields=["indicator", "area", "year"],
                condition=models.Q(area__isnull=False),
                name="indicator_area_value_once",
            ),
            models.CheckConstraint(
                condition=(models.Q(level="area", area__isnull=False, code=""))
                | (~models.Q(level="area") & models.Q(area__isnull=True) & ~models.Q(code="")),
                name="indicator_value_place",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "level", "code"])]

    def __str__(self):
        return f"{self.indicator} {self.code or self.area} {self.year}"


class ColumnMappingQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = STAFF_ROLES


class ColumnMapping(models.Model):
    """How an organisation's indicator files read, chosen once and reused: which column
    holds the place (an IRIS code, an INSEE code or a neighbourhood's name) and which
    indicator each other column gives (``columns``: header → indicator code)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    place_column = models.CharField("colonne du lieu", max_length=80)
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ColumnMappingQuerySet.as_manager()

    class Meta:
        verbose_name = "correspondance des colonnes"
        verbose_name_plural = "correspondances des colonnes"

    def __str__(self):
        return f"Colonnes des indicateurs de {self.organisation}"
