"""Participation in the diagnosis (seed 004): the resource places residents and
professionals propose for an area's map, the urban walks ("parcours urbains") with their
ordered stops and registrations, and the kiosque's co-hosts.

The map's other places are read from where they live (the directory's structures, the
programme's sites); a proposed place is kept here until the coordination validates or
refuses it. Points are WGS 84 latitude and longitude, as the directory keeps them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from petitspas.core.scoping import ScopedQuerySet
from petitspas.organisations.models import STAFF_ROLES


class PlaceProposalQuerySet(ScopedQuerySet):
    organisation_lookup = "area__organisation"
    visible_roles = STAFF_ROLES


class PlaceProposal(models.Model):
    """A resource place proposed for an area's map, by a resident or a professional, with
    or without an account; shown on the map once validated."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "À examiner"
        VALIDATED = "validated", "Validé"
        REFUSED = "refused", "Refusé"

    class Proposer(models.TextChoices):
        RESIDENT = "resident", "Habitant ou habitante"
        PROFESSIONAL = "professional", "Professionnel ou professionnelle"

    area = models.ForeignKey(
        "diagnosis.Area", on_delete=models.CASCADE, related_name="place_proposals"
    )
    name = models.CharField("nom du lieu", max_length=150)
    description = models.TextField("pourquoi ce lieu compte", blank=True)
    address = models.CharField("adresse ou repère", max_length=250)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    proposer = models.CharField("vous êtes", max_length=12, choices=Proposer.choices)
    status = models.CharField(
        "état", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    refusal_reason = models.CharField("motif du refus", max_length=250, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlaceProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu ressource proposé"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="proposal_point_whole",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_organisation(self):
        return self.area.organisation


class UrbanWalkQuerySet(ScopedQuerySet):
    organisation_lookup = "area__organisation"
    visible_roles = STAFF_ROLES


class UrbanWalk(models.Model):
    """A "parcours urbain": residents and professionals walk an ordered route of the
    area's places with a guide, to discover its structures."""

    area = models.ForeignKey("diagnosis.Area", on_delete=models.PROTECT, related_name="walks")
    title = models.CharField("titre", max_length=150)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    guide = models.CharField("guide", max_length=150)
    capacity = models.PositiveIntegerField("places")
    description = models.TextField("présentation", blank=True)
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = UrbanWalkQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours urbain"
        verbose_name_plural = "parcours urbains"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="walk_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_organisation(self):
        return self.area.organisation

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class WalkStop(models.Model):
    """One stop of a walk, in order: a directory structure, a programme's site, or a free
    point with its label."""

    walk = models.ForeignKey(UrbanWalk, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField("ordre")
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        "places.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField("nom de l'étape", max_length=150)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    note = models.CharField("à voir, à dire", max_length=250, blank=True)

    class Meta:
        ordering = ["walk", "position"]
        constraints = [
            models.UniqueConstraint(fields=["walk", "position"], name="walk_stop_position_once"),
            models.CheckConstraint(
                condition=~(Q(structure__isnull=False) & Q(site__isnull=False)),
                name="walk_stop_one_place",
            ),
        ]

    def __str__(self):
        return self.label


class WalkRegistration(models.Model):
    """Someone registered to a walk: a resident by a first name (a contact only with their
    consent) or a professional; whether they came, once the walk has started."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", "Habitant ou habitante"
        PROFESSIONAL = "professional", "Professionnel ou professionnelle"

    walk = models.ForeignKey(UrbanWalk, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField("inscrit comme", max_length=12, choices=Kind.choices)
    first_name = models.CharField("prénom", max_length=80)
    structure_name = models.CharField("structure (professionnels)", max_length=150, blank=True)
    contact = models.CharField("téléphone ou courriel", max_length=150, blank=True)
    consent = models.BooleanField("accord pour garder son contact", default=False)
    attended = models.BooleanField("présent", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact="") | Q(consent=True), name="walk_contact_by_consent"
            ),
        ]

    def __str__(self):
        return self.first_name


class SiteCohost(models.Model):
    """A co-host of a site (the kiosque): a directory structure, or residents named as
    they wish to appear. Every session held at the site lists its co-hosts."""

    site = models.ForeignKey("places.Site", on_delete=models.CASCADE, related_name="+")
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField("nom affiché (habitants)", max_length=150, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "co-animateur d'un lieu"
        ordering = ["site", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(structure__isnull=False) | ~Q(label=""), name="cohost_named"
            ),
        ]

    def __str__(self):
        return self.structure.nom if self.structure_id else self.label
