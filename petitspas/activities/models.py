import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from petitspas.activities.recurrence import half_day_of
from petitspas.core.scoping import ScopedQuerySet
from petitspas.places.models import HOME_KINDS


class Public(models.TextChoices):
    CHILDREN_0_3 = "children_0_3", "Enfants de 0 à 3 ans et leurs parents"
    CHILDREN_0_6 = "children_0_6", "Enfants de 0 à 6 ans et leurs parents"
    PREGNANT = "pregnant", "Femmes enceintes"
    PARENTS = "parents", "Parents"


class RegistrationMode(models.TextChoices):
    OPEN = "open", "Libre, sans inscription"
    REGISTRATION = "registration", "Sur inscription (places limitées)"
    REFERRAL = "referral", "Sur orientation"


class ActivityTypeQuerySet(ScopedQuerySet):
    organisation_lookup = "programme__organisation"


class ActivityType(models.Model):
    """What a programme offers: free play and listening time, LAEP drop-in, reading workshop,
    psychomotor workshop, parent talk group, conference, theatre for pregnant women, Point
    Info Famille desk, childcare."""

    class Kind(models.TextChoices):
        FREE_PLAY = "free_play", "Temps de jeu libre et d'écoute"
        LAEP = "laep", "Accueil LAEP"
        READING = "reading", "Atelier lecture"
        PSYCHOMOTOR = "psychomotor", "Atelier psychomotricité"
        TALK_GROUP = "talk_group", "Groupe de parole"
        CONFERENCE = "conference", "Conférence thématique"
        THEATRE = "theatre", "Atelier théâtre"
        INFO_DESK = "info_desk", "Permanence Point Info Famille"
        CHILDCARE = "childcare", "Accueil des jeunes enfants"
        WORKSHOP = "workshop", "Atelier parents-enfants"

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="activity_types"
    )
    name = models.CharField("nom", max_length=150)
    kind = models.CharField("genre", max_length=20, choices=Kind.choices)
    public = models.CharField("public", max_length=20, choices=Public.choices)
    registration_mode = models.CharField(
        "inscription", max_length=20, choices=RegistrationMode.choices
    )
    default_duration = models.PositiveSmallIntegerField(
        "durée habituelle (minutes)", default=120, validators=[MinValueValidator(15)]
    )
    default_capacity = models.PositiveSmallIntegerField(
        "places (familles)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    description = models.TextField("description", blank=True)
    is_public = models.BooleanField(
        "affiché dans l'agenda public",
        default=True,
        help_text="Les séances sur orientation ne sont jamais publiées.",
    )

    objects = ActivityTypeQuerySet.as_manager()

    class Meta:
        verbose_name = "type d'activité"
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(
                "programme",
                Lower("name"),
                name="activity_type_name_unique_in_programme",
                violation_error_message="Une activité porte déjà ce nom dans ce programme.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_anonymous(self) -> bool:
        """Open sessions (LAEP, Cabanes) keep anonymity: headcounts, not names."""
        return self.registration_mode == RegistrationMode.OPEN

    @property
    def audit_organisation(self):
        return self.programme.organisation


class FacilitatorQuerySet(ScopedQuerySet):
    pass


class Facilitator(models.Model):
    """A partner who runs sessions without an account: a psychomotor therapist, a parenting
    consultant, the municipal library."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="facilitators"
    )
    name = models.CharField("nom", max_length=150)
    role = models.CharField("fonction ou structure", max_length=150, blank=True)

    objects = FacilitatorQuerySet.as_manager()

    class Meta:
        verbose_name = "intervenant partenaire"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class SeriesQuerySet(ScopedQuerySet):
    organisation_lookup = "activity_type__programme__organisation"


class SitesMode(models.TextChoices):
    """How a series of several sites uses them: every date in every site, or one site per
    date in turn (hotel A one week, hotel B the next)."""

    EACH = "each", "Toutes les séances dans chaque lieu"
    ROTATION = "rotation", "Une séance par date, à tour de rôle dans les lieux"


class Series(models.Model):
    """A recurrence (RFC 5545 RRULE) of one activity on one or several sites, e.g. "first
    Tuesday of each month, 14:00-16:00, in these 4 hotels". Its sessions are materialised;
    occurrences where a site is closed are skipped by the calendar function.

    In a rotation, the rule's occurrences go to the sites in turn, in the order of their
    names: the first date to the ``rotation_offset``-th site, the next to the following one.
    A site closed on its turn has no session that time; the turn is not passed on, so every
    site keeps its rhythm (every other week, one month in four)."""

    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="series")
    sites = models.ManyToManyField("places.Site", related_name="series", verbose_name="lieux")
    rrule = models.TextField("récurrence (RRULE)")
    starts_on = models.DateField("à partir du")
    ends_on = models.DateField("jusqu'au (inclus)")
    start_time = models.TimeField("début")
    end_time = models.TimeField("fin")
    capacity = models.PositiveSmallIntegerField(
        "places (familles)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="professionnels"
    )
    facilitators = models.ManyToManyField(
        Facilitator, blank=True, related_name="series", verbose_name="intervenants partenaires"
    )
    sites_mode = models.CharField(
        "répartition entre les lieux",
        max_length=10,
        choices=SitesMode.choices,
        default=SitesMode.EACH,
    )
    rotation_offset = models.PositiveSmallIntegerField(
        "premier lieu de la rotation",
        default=0,
        help_text="Rang, dans l'ordre des noms, du lieu de la première date de la série.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = "série"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="series_dates_in_order",
                violation_error_message="La fin de la série précède son début.",
            ),
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")),
                name="series_times_in_order",
                violation_error_message="L'heure de fin doit être après l'heure de début.",
            ),
        ]

    def __str__(self):
        return f"{self.activity_type} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"

    @property
    def audit_organisation(self):
        return self.activity_type.programme.organisation

    @property
    def organisation_id(self) -> int:
        """The organisation that runs the session (through its activity's programme)."""
        return self.activity_type.programme.organisation_id

    @property
    def rotates(self) -> bool:
        return self.sites_mode == SitesMode.ROTATION

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "La fin de la série précède son début."
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "L'heure de fin doit être après l'heure de début."
        if errors:
            raise ValidationError(errors)


class SessionQuerySet(ScopedQuerySet):
    organisation_lookup = "activity_type__programme__organisation"

    def planned(self):
        return self.filter(status=Session.Status.PLANNED)

    def published(self):
        """Sessions the public may know of, cancelled ones included (a feed must carry the
        cancellation): a public activity, open or on registration (never on referral), and
        never in a social hotel, whose address is where families live."""
        return self.filter(
            status__in=[Session.Status.PLANNED, Session.Status.CANCELLED],
            activity_type__is_public=True,
            activity_type__registration_mode__in=[
                RegistrationMode.OPEN,
                RegistrationMode.REGISTRATION,
            ],
        ).exclude(site__kind__in=HOME_KINDS)

    def public(self):
        """What the public agenda shows: published and planned."""
        return self.published().planned()


def places_left(limit: int | None, *, taken: int) -> int | None:
    """The one computation of the places left: ``limit`` less the places ``taken``, never
    below zero; None when there is no limit."""
    if not limit:
        return None
    return max(limit - taken, 0)


class Session(models.Model):
    """One occurrence: an activity at a site, at a time, with its staff."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Prévue"
        CANCELLED = "cancelled", "Annulée"

    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="sessions"
    )
    site = models.ForeignKey("places.Site", on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField("date", db_index=True)
    start_time = models.TimeField("début")
    end_time = models.TimeField("fin")
    capacity = models.PositiveSmallIntegerField(
        "places (familles)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField("motif d'annulation", max_length=250, blank=True)
    is_detached = models.BooleanField(
        "modifiée à part de sa série",
        default=False,
        help_text="Une séance modifiée seule n'est plus recalculée avec sa série.",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="staffed_sessions",
        verbose_name="professionnels",
    )
    facilitators = models.ManyToManyField(
        Facilitator, blank=True, related_name="sessions", verbose_name="intervenants partenaires"
    )
    notes = models.TextField("informations pratiques", blank=True)
    # Written by the sheet's save (attendance): the households marked present. More than
    # the session's places is allowed (nobody is turned away at the door) and shown.
    families_present = models.PositiveSmallIntegerField(
        "familles présentes (feuille)", null=True, blank=True, editable=False
    )
    clash_note = models.TextField(
        "conflit d'agenda confirmé",
        blank=True,
        # Loaders that write sessions column by column (the benchmark's COPY) leave it out.
        db_default="",
        help_text="Qui a confirmé la séance malgré un conflit d'agenda, quand, et lequel. "
        "Interne : jamais publié.",
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance"
        ordering = ["date", "start_time"]
        indexes = [
            models.Index(fields=["site", "date"], name="session_site_date"),
            # A programme's sessions of a period (its figures, its staff's lists): the
            # range of each of its activities, not every year of them.
            models.Index(fields=["activity_type", "date"], name="session_type_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")),
                name="session_times_in_order",
                violation_error_message="L'heure de fin doit être après l'heure de début.",
            ),
        ]

    def __str__(self):
        return (
            f"{self.activity_type} — {self.site.name}, {self.date:%d/%m/%Y} {self.start_time:%H:%M}"
        )

    @property
    def place_limit(self) -> int | None:
        """How many households the session takes: its capacity, else its activity's; None
        when unlimited or open (an open session takes no registration)."""
        if self.activity_type.registration_mode == RegistrationMode.OPEN:
            return None
        return self.capacity or self.activity_type.default_capacity

    @property
    def places_left(self) -> int | None:
        """Places still free: the limit less the households registered and those a freed
        place is offered to (held for them). Needs the ``registered`` and ``offered``
        annotations of ``activities.hooks.with_registered``; None when unlimited."""
        return places_left(self.place_limit, taken=self.registered + self.offered)

    @property
    def is_over_capacity(self) -> bool:
        """More households marked present on the sheet than the session has places."""
        limit = self.place_limit
        return bool(limit and self.families_present and self.families_present > limit)

    def is_recordable(self, today: datetime.date) -> bool:
        """A session is recorded on its day or after, and never once cancelled."""
        return self.status != self.Status.CANCELLED and self.date <= today

    @property
    def half_day(self) -> str:
        """The half-day the session belongs to, for the site's calendar."""
        return half_day_of(self.start_time)

    @property
    def audit_organisation(self):
        return self.activity_type.programme.organisation

    @property
    def organisation_id(self) -> int:
        """The organisation that runs the session (through its activity's programme)."""
        return self.activity_type.programme.organisation_id
