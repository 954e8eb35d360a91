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
