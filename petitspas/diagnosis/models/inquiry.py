"""The qualitative diagnosis (seed 004): records of interviews, focus groups and
observations made in an area, their attachments, the organisation's codebook (themes and
their nested codes), the coded passages of the records, and the methodological booklet
(sections written by the coordinators, numbered editions frozen as JSON).

These records are sensitive: only the staff of the organisation (admins, coordinators,
professionals) read them; funders, partners and prescribers never. A participant is
described by profile and counts; a name is kept only with their consent (a check
constraint holds it)."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from petitspas.core.scoping import ScopedQuerySet
from petitspas.organisations.models import STAFF_ROLES

# Who reads the records, the codebook, the synthesis and the booklet.
INQUIRY_ROLES = STAFF_ROLES


class Method(models.TextChoices):
    INTERVIEW = "interview", "Entretien individuel"
    FOCUS_GROUP = "focus_group", "Focus group"
    OBSERVATION = "observation", "Observation"


# The participants' profiles, in the order the synthesis shows them; each is a count field
# of the record.
PROFILES = {
    "residents": "Habitants",
    "parents": "Parents",
    "professionals": "Professionnels",
    "associations": "Associations",
}


class InquiryQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = INQUIRY_ROLES


class InquiryRecord(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "diagnosis.Area",
        on_delete=models.PROTECT,
        related_name="inquiry_records",
        verbose_name="quartier",
    )
    held_on = models.DateField("date")
    method = models.CharField("méthode", max_length=20, choices=Method.choices)
    title = models.CharField(
        "intitulé",
        max_length=150,
        help_text="Sans nom : « Entretien avec une mère de trois enfants », « Focus group "
        "au centre social ».",
    )
    residents = models.PositiveSmallIntegerField("habitants", default=0)
    parents = models.PositiveSmallIntegerField("parents", default=0)
    professionals = models.PositiveSmallIntegerField("professionnels", default=0)
    associations = models.PositiveSmallIntegerField("membres d'associations", default=0)
    consent = models.BooleanField("la personne a consenti à être nommée", default=False)
    participant_name = models.CharField("nom de la personne", max_length=120, blank=True)
    notes = models.TextField("notes de l'enquêteur", blank=True)
    transcript = models.TextField("transcription ou notes détaillées", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = "enregistrement d'enquête"
        verbose_name_plural = "enregistrements d'enquête"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "area", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=True) | Q(participant_name=""),
                name="inquiry_name_needs_consent",
            )
        ]

    def __str__(self):
        return f"{self.get_method_display()} du {self.held_on:%d/%m/%Y} ({self.title})"

    @property
    def audit_organisation(self):
        return self.organisation

    @property
    def participants(self) -> int:
        return sum(getattr(self, field) for field in PROFILES)

    def profiles_present(self) -> list[str]:
        return [field for field in PROFILES if getattr(self, field)]


class AttachmentQuerySet(ScopedQuerySet):
    organisation_lookup = "record__organisation"
    visible_roles = INQUIRY_ROLES


def attachment_path(instance, filename: str) -> str:
    """A random name under the organisation's folder: the original name is kept in the
    row, never in the storage path (it may name someone)."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"diagnostic/{instance.record.organisation_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    record = models.ForeignKey(InquiryRecord, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("fichier", upload_to=attachment_path)
    name = models.CharField("nom du fichier", max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name

    @property
    def audit_organisation(self):
        return self.record.organisation


class CodeQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = INQUIRY_ROLES


class Code(models.Model):
    """One entry of the codebook: a theme (no parent) or a code nested in a theme. A
    passage is coded with themes or codes; a theme counts the passages coded with it or
    with one of its codes."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="thème",
    )
    name = models.CharField("nom", max_length=120)
    description = models.TextField("définition", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    objects = CodeQuerySet.as_manager()

    class Meta:
        verbose_name = "code"
        verbose_name_plural = "grille de codage"
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="inquiry_code_name_once"
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(parent__isnull=True),
                name="inquiry_theme_name_once",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_organisation(self):
        return self.organisation

    @property
    def is_theme(self) -> bool:
        return self.parent_id is None

    @property
    def theme_id(self) -> int:
        return self.parent_id or self.pk


class PassageQuerySet(ScopedQuerySet):
    organisation_lookup = "record__organisation"
    visible_roles = INQUIRY_ROLES


class Passage(models.Model):
    """A coded passage: ``[start, end)`` in the record's transcript, its text kept as
    ``excerpt`` (the synthesis quotes it), and the codes given."""

    record = models.ForeignKey(InquiryRecord, on_delete=models.CASCADE, related_name="passages")
    start = models.PositiveIntegerField("début")
    end = models.PositiveIntegerField("fin")
    excerpt = models.TextField("extrait")
    codes = models.ManyToManyField(Code, related_name="passages", verbose_name="codes")
    comment = models.CharField("commentaire", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PassageQuerySet.as_manager()

    class Meta:
        verbose_name = "passage codé"
        verbose_name_plural = "passages codés"
        ordering = ["record", "start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="passage_order")
        ]

    def __str__(self):
        text = " ".join(self.excerpt.split())
        return f"« {text[:60]}{'…' if len(text) > 60 else ''} »"

    @property
    def audit_organisation(self):
        return self.record.organisation


class BookletPart(models.TextChoices):
    METHOD = "method", "Les étapes de la démarche"
    TOOLS = "tools", "Les outils"
    ROLES = "roles", "Les groupes et leurs rôles"
    LESSONS = "lessons", "Les enseignements"


class BookletQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    visible_roles = INQUIRY_ROLES


class BookletSection(models.Model):
    """A section of the methodological booklet, written by the coordinators: a step of
    the method, a tool (an interview or focus-group guide), a group's role, a lesson."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    part = models.CharField("partie", max_length=20, choices=BookletPart.choices)
    position = models.PositiveSmallIntegerField(
        "ordre", default=1, help_text="Les sections d'une partie s'impriment dans cet ordre."
    )
    title = models.CharField("titre", max_length=150)
    body = models.TextField("texte", help_text="Une ligne vide sépare deux paragraphes.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = BookletQuerySet.as_manager()

    class Meta:
        verbose_name = "section du livret"
        verbose_name_plural = "sections du livret"
        ordering = ["part", "position", "pk"]

    def __str__(self):
        return self.title

    @property
    def audit_organisation(self):
        return self.organisation


class BookletEdition(models.Model):
    """A published edition of the booklet: its number, its day, what changed in the
    coordinators' words, and its content frozen as JSON so that it prints again
    identically."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("numéro")
    published_on = models.DateField("publiée le")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changes_note = models.TextField("ce qui a changé", blank=True)
    snapshot = models.JSONField("contenu figé", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = BookletQuerySet.as_manager()

    class Meta:
        verbose_name = "édition du livret"
        verbose_name_plural = "éditions du livret"
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="booklet_edition_number"
            )
        ]

    def __str__(self):
        return f"n° {self.number} du {self.published_on:%d/%m/%Y}"

    @property
    def audit_organisation(self):
        return self.organisation
