"""Childcare on referral (Les Petits Pas, Lunel): prescribers refer parents in a job-search
pathway, the programme's coordinator decides, an accepted child is enrolled.

A referral has two audiences, each through its own organisation: the prescriber
organisation that wrote it (its prescribers follow its state and outcome) and the
programme's organisation (its admins and coordinators decide). Nobody else reads it:
not professionals, funders or partners, and never another agency.
"""

import dataclasses
import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from petitspas.core.scoping import ScopedQuerySet, organisation_ids
from petitspas.organisations.models import PLANNER_ROLES, Role
from petitspas.places.models import HalfDay

# The seed: "jeunes enfants âgés de 3 mois à 3 ans". At least 3 months old, and under 3
# years: a child stops being eligible on their third birthday.
MIN_AGE = relativedelta(months=3)
MAX_AGE = relativedelta(years=3)
# A referral still waiting for a decision after this many days is flagged to the
# coordinator.
DECISION_DUE_DAYS = 30


def is_of_age(birth_date: datetime.date, on: datetime.date) -> bool:
    """Whether a child born on ``birth_date`` is at least 3 months and under 3 years old
    on ``on`` (the day of their third birthday is already too late)."""
    return birth_date + MIN_AGE <= on < birth_date + MAX_AGE


def age_label(birth_date: datetime.date, on: datetime.date) -> str:
    """ "4 mois", "1 an et 2 mois", "2 ans" on ``on``; "pas encore né" before birth."""
    if on < birth_date:
        return "pas encore né"
    age = relativedelta(on, birth_date)
    months = age.years * 12 + age.months
    if months < 12:
        return f"{months} mois" if months else f"{age.days} jours"
    years = f"{age.years} an{'s' if age.years > 1 else ''}"
    return f"{years} et {age.months} mois" if age.months else years


class Pathway(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    PLIE = "plie", "PLIE Est Héraultais"
    APIJE = "apije", "APIJE"


class State(models.TextChoices):
    NEW = "new", "Nouvelle"
    UNDER_REVIEW = "under_review", "En cours d'étude"
    ACCEPTED = "accepted", "Acceptée"
    WAITING_LIST = "waiting_list", "Sur liste d'attente"
    REFUSED = "refused", "Refusée"
    ENDED = "ended", "Terminée"


# States in which the coordinator still owes a decision.
PENDING_STATES = (State.NEW, State.UNDER_REVIEW)


class RefusalReason(models.TextChoices):
    NO_PLACE = "no_place", "Plus de place sur les demi-journées demandées"
    CHILD_AGE = "child_age", "Âge de l'enfant hors du dispositif (3 mois à 3 ans)"
    NEEDS_OUTSIDE_HOURS = "needs_outside_hours", "Besoins hors des jours et horaires d'accueil"
    OUT_OF_AREA = "out_of_area", "Famille hors du territoire du dispositif"
    PATHWAY_NOT_CONFIRMED = "pathway_not_confirmed", "Parcours d'insertion non confirmé"
    FAMILY_UNREACHABLE = "family_unreachable", "Famille injoignable"
    FAMILY_DECLINED = "family_declined", "La famille a renoncé"
    OTHER = "other", "Autre motif"


class EndReason(models.TextChoices):
    END_OF_PATHWAY = "end_of_pathway", "Fin du parcours d'insertion"
    CHILD_TURNED_3 = "child_turned_3", "L'enfant a eu 3 ans"
    MOVED_AWAY = "moved_away", "Déménagement"


class ReferralQuerySet(ScopedQuerySet):
    organisation_lookup = "programme__organisation"
    visible_roles = PLANNER_ROLES

    def visible_to(self, user):
        """The referrals of the programmes whose organisation the user administers or
        coordinates, and those written by the prescriber organisations where the user is
        a prescriber. Nobody else: professionals, partners and funders read none."""
        deciding = organisation_ids(user, PLANNER_ROLES)
        referring = organisation_ids(user, {Role.PRESCRIBER})
        condition = models.Q(pk__in=[])
        if deciding:
            condition |= models.Q(programme__organisation_id__in=deciding)
        if referring:
            condition |= models.Q(prescriber_organisation_id__in=referring)
        if not deciding and not referring:
            return self.none()
        return self.filter(condition)

    def of_prescriber(self, user):
        """Only those of the user's prescriber organisations ("Mes orientations")."""
        referring = organisation_ids(user, {Role.PRESCRIBER})
        return self.filter(prescriber_organisation_id__in=referring) if referring else self.none()

    def to_decide_by(self, user):
        """Only those of the programmes the user decides for (the coordinator's inbox)."""
        return self.where_role(user, PLANNER_ROLES)

    def pending(self):
        return self.filter(state__in=PENDING_STATES)

    def overdue(self):
        """Still waiting for a decision ``DECISION_DUE_DAYS`` days (local calendar days)
        after being sent."""
        last_day = timezone.localdate() - datetime.timedelta(days=DECISION_DUE_DAYS)
        start_of_next = datetime.datetime.combine(
            last_day + datetime.timedelta(days=1), datetime.time.min
        )
        return self.pending().filter(created_at__lt=timezone.make_aware(start_of_next))


class Referral(models.Model):
    """A prescriber's referral of a parent and their young children to a programme.

    Only what the team needs to call the parent back and plan the care: a first name, a
    way to reach them, the pathway and the adviser, the children's first names and birth
    dates, the days or appointments that need childcare."""

    programme = models.ForeignKey(
        "organisations.Programme",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="programme",
    )
    prescriber_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name="organisation prescriptrice",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="orientée par",
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now, editable=False)

    parent_first_name = models.CharField("prénom du parent", max_length=80)
    contact_phone = models.CharField("téléphone du parent", max_length=20, blank=True)
    contact_email = models.EmailField("adresse électronique du parent", blank=True)
    pathway = models.CharField("parcours", max_length=20, choices=Pathway.choices)
    adviser_name = models.CharField("conseiller ou conseillère", max_length=120)
    needed_from = models.DateField("besoin d'accueil à partir du")
    needs = models.TextField("jours ou rendez-vous à couvrir", max_length=1000)
    comment = models.TextField("commentaire", max_length=1000, blank=True)

    state = models.CharField(
        "état", max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    state_changed_at = models.DateTimeField("état depuis le", default=timezone.now)
    refusal_reason = models.CharField(
        "motif du refus", max_length=30, choices=RefusalReason.choices, blank=True
    )
    refusal_reason_shared = models.BooleanField("motif partagé avec le prescripteur", default=False)
    end_reason = models.CharField(
        "motif de fin", max_length=30, choices=EndReason.choices, blank=True
    )
    household = models.ForeignKey(
        "families.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="famille",
        help_text="Le dossier créé à l'acceptation, dans l'organisation du programme.",
    )
    # Set when what could name the family was erased (with its file, or past the retention
    # period of a referral that never led to one): see privacy.services.
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["programme", "state"], name="referral_programme_state")]

    def __str__(self):
        # Never the family's name: the audit log keeps this text (``target_repr``).
        return f"orientation n° {self.pk}"

    @property
    def parent_label(self) -> str:
        """The parent's first name, or "Famille anonymisée" once erased."""
        return self.parent_first_name or "Famille anonymisée"

    @property
    def audit_organisation(self):
        return self.programme.organisation

    def waiting_days(self) -> int:
        """Calendar days since it was sent (in the platform's time zone)."""
        return (timezone.localdate() - timezone.localdate(self.created_at)).days

    @property
    def is_overdue(self) -> bool:
        return self.state in PENDING_STATES and self.waiting_days() >= DECISION_DUE_DAYS

    @property
    def shared_refusal_reason(self) -> str:
        """The refusal's reason as the prescriber may read it: only when shared."""
        if self.state == State.REFUSED and self.refusal_reason_shared:
            return self.get_refusal_reason_display()
        return ""


class ReferralChild(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField("prénom de l'enfant", max_length=80)
    birth_date = models.DateField("date de naissance")
    person = models.ForeignKey(
        "families.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="L'enfant dans le dossier de la famille, une fois l'orientation acceptée.",
    )

    class Meta:
        verbose_name = "enfant orienté"
        verbose_name_plural = "enfants orientés"
        ordering = ["birth_date", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The child's first name, or "Enfant" once erased."""
        return self.first_name or "Enfant"

    def age_on(self, on: datetime.date) -> str:
        return age_label(self.birth_date, on)

    @property
    def age_today(self) -> str:
        return age_label(self.birth_date, timezone.localdate())


class ReferralTransition(models.Model):
    """One change of state: who, when, from what to what, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField("de", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("vers", max_length=20, choices=State.choices)
    at = models.DateTimeField("le", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="par",
    )
    reason = models.CharField("motif", max_length=30, blank=True)
    reason_shared = models.BooleanField("motif partagé avec le prescripteur", default=False)
    note = models.TextField("note interne", max_length=1000, blank=True)

    class Meta:
        verbose_name = "changement d'état"
        verbose_name_plural = "changements d'état"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_state_display() or '—'} → {self.get_to_state_display()}"

    @property
    def reason_label(self) -> str:
        if self.to_state == State.REFUSED:
            return RefusalReason(self.reason).label if self.reason else ""
        if self.to_state == State.ENDED:
            return EndReason(self.reason).label if self.reason else ""
        return ""


class EnrolmentQuerySet(ScopedQuerySet):
    organisation_lookup = "programme__organisation"
    visible_roles = PLANNER_ROLES


class Enrolment(models.Model):
    """An accepted child's place in the programme, free of charge. Bookings of half-days
    rest on it: the reference week says which half-days the family usually needs, the
    settling-in period ("adaptation") the first days, when the child may take the
    settling-in place."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.PROTECT, related_name="enrolments"
    )
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="enrolments")
    child = models.ForeignKey(
        "families.Person", on_delete=models.PROTECT, related_name="+", verbose_name="enfant"
    )
    starts_on = models.DateField("début de l'accueil")
    ends_on = models.DateField("fin de l'accueil", null=True, blank=True)
    settling_in_until = models.DateField("fin de l'adaptation")
    # Half-days as "0am", "2pm"… (weekday 0 = Monday, then am or pm), sorted.
    reference_week = models.JSONField("semaine de référence", default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "child"],
                name="enrolment_once_per_child_and_referral",
            ),
            models.CheckConstraint(
                condition=models.Q(settling_in_until__gte=models.F("starts_on")),
                name="enrolment_settling_in_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="enrolment_ends_after_start",
            ),
        ]

    def __str__(self):
        # Never the child's name: the audit log keeps this text (``target_repr``).
        return f"inscription n° {self.pk}"

    @property
    def audit_organisation(self):
        return self.programme.organisation

    def is_active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


# --- Bookings of half-days -----------------------------------------------------------------

# The seed: "6 places + 1 place d'adaptation ou d'urgence" per half-day and site.
REGULAR_PLACES = 6
EXTRA_PLACES = 1
CAPACITY = REGULAR_PLACES + EXTRA_PLACES
# "Au minimum deux demi-journées par mois" per enrolled child.
MIN_HALF_DAYS_PER_MONTH = 2
# The coordinator is warned this many days before a child turns 3.
TURNING_THREE_NOTICE_DAYS = 30


class BookingKind(models.TextChoices):
    REGULAR = "regular", "Place régulière"
    SETTLING_IN = "settling_in", "Adaptation"
    EMERGENCY = "emergency", "Urgence"


# The kinds the 7th place takes.
EXTRA_KINDS = (BookingKind.SETTLING_IN, BookingKind.EMERGENCY)


class AppointmentReason(models.TextChoices):
    JOB_INTERVIEW = "job_interview", "Entretien d'embauche"
    TRAINING = "training", "Formation"
    FRANCE_TRAVAIL = "france_travail", "Rendez-vous France Travail"
    PLIE_WORKSHOP = "plie_workshop", "Atelier PLIE"
    ADMINISTRATIVE = "administrative", "Démarche administrative"
    OTHER = "other", "Autre"


class AbsenceReason(models.TextChoices):
    """Why a booked child did not come, noted instead of an arrival."""

    SICK = "sick", "Malade"
    NOTIFIED = "notified", "Absence prévenue"
    NO_NOTICE = "no_notice", "Absence sans prévenir"


@dataclasses.dataclass(frozen=True)
class Places:
    """The places of one half-day at one site, from its bookings by kind. Settling-in and
    emergency bookings take the 7th place first, then regular ones; a regular booking never
    takes the 7th place."""

    regular: int  # regular bookings
    extra: int  # settling-in and emergency bookings

    @property
    def taken(self) -> int:
        return self.regular + self.extra

    @property
    def extra_taken(self) -> int:
        return min(self.extra, EXTRA_PLACES)

    @property
    def regular_taken(self) -> int:
        return self.regular + max(0, self.extra - EXTRA_PLACES)

    @property
    def regular_left(self) -> int:
        return max(0, REGULAR_PLACES - self.regular_taken)

    @property
    def extra_left(self) -> int:
        return EXTRA_PLACES - self.extra_taken

    @property
    def left(self) -> int:
        return max(0, CAPACITY - self.taken)

    def takes(self, kind: str) -> bool:
        """Whether one more booking of ``kind`` fits."""
        if kind == BookingKind.REGULAR:
            return self.regular_left > 0
        return self.left > 0


class ChildcareSlot(models.Model):
    """One half-day of one site: the row every booking of that half-day locks, so that two
    bookings at once never take the same last place."""

    site = models.ForeignKey(
        "places.Site", on_delete=models.PROTECT, related_name="+", verbose_name="lieu"
    )
    day = models.DateField("jour")
    half_day = models.CharField("demi-journée", max_length=2, choices=HalfDay.choices)

    class Meta:
        verbose_name = "demi-journée d'accueil"
        verbose_name_plural = "demi-journées d'accueil"
        ordering = ["day", "half_day", "site"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day", "half_day"], name="childcare_slot_once_per_half_day"
            )
        ]

    def __str__(self):
        return f"{self.site} · {date_format(self.day, 'l j F Y')} {self.get_half_day_display()}"


class BookingQuerySet(ScopedQuerySet):
    organisation_lookup = "enrolment__programme__organisation"
    visible_roles = PLANNER_ROLES

    def active(self):
        return self.filter(state=Booking.State.BOOKED)

    def no_shows(self, *, today):
        """The one definition of a no-show, for the figures and the month's hours: a
        booking not cancelled, on a half-day before ``today`` (today's may not be over),
        with neither an arrival nor an absence noted."""
        return self.active().filter(slot__day__lt=today, checked_in_at__isnull=True, absence="")


class Booking(models.Model):
    """One enrolled child at one site on one half-day, for one of the parent's
    appointments."""

    class State(models.TextChoices):
        BOOKED = "booked", "Réservée"
        CANCELLED = "cancelled", "Annulée"

    slot = models.ForeignKey(ChildcareSlot, on_delete=models.PROTECT, related_name="bookings")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(
        "place", max_length=20, choices=BookingKind.choices, default=BookingKind.REGULAR
    )
    reason = models.CharField("rendez-vous du parent", max_length=20, choices=AppointmentReason)
    state = models.CharField(
        "état", max_length=10, choices=State.choices, default=State.BOOKED, db_index=True
    )
    from_waiting_list = models.BooleanField("venue de la liste d'attente", default=False)
    created_at = models.DateTimeField("réservée le", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="réservée par",
    )
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    # Arrival and departure, for the day's sheet (recorded on the phone).
    checked_in_at = models.DateTimeField("arrivée", null=True, blank=True)
    checked_out_at = models.DateTimeField("départ", null=True, blank=True)
    # Noted instead of an arrival: the child did not come (see ``AbsenceReason``).
    absence = models.CharField(
        "absence", max_length=10, choices=AbsenceReason.choices, blank=True, default=""
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = "réservation"
        ordering = ["slot__day", "slot__half_day", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "enrolment"],
                condition=models.Q(state="booked"),
                name="booking_once_per_enrolment_and_half_day",
            ),
            # A departure follows an arrival; an absence is noted instead of an arrival.
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(
                    checked_in_at__isnull=False, checked_out_at__gte=models.F("checked_in_at")
                ),
                name="booking_check_out_after_check_in",
            ),
            models.CheckConstraint(
                condition=models.Q(absence="") | models.Q(checked_in_at__isnull=True),
                name="booking_absent_or_arrived",
            ),
        ]

    def __str__(self):
        return f"Réservation n° {self.pk} ({self.slot})"

    @property
    def audit_organisation(self):
        return self.enrolment.programme.organisation


class WaitingEntryQuerySet(ScopedQuerySet):
    organisation_lookup = "enrolment__programme__organisation"
    visible_roles = PLANNER_ROLES

    def waiting(self):
        return self.filter(state=WaitingEntry.State.WAITING)


class WaitingEntry(models.Model):
    """A child waiting for a place on a full half-day, first come first served."""

    class State(models.TextChoices):
        WAITING = "waiting", "En attente"
        BOOKED = "booked", "Place attribuée"
        WITHDRAWN = "withdrawn", "Retirée"

    slot = models.ForeignKey(ChildcareSlot, on_delete=models.PROTECT, related_name="waiting")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="waiting_entries"
    )
    kind = models.CharField(
        "place", max_length=20, choices=BookingKind.choices, default=BookingKind.REGULAR
    )
    reason = models.CharField("rendez-vous du parent", max_length=20, choices=AppointmentReason)
    state = models.CharField(
        "état", max_length=10, choices=State.choices, default=State.WAITING, db_index=True
    )
    created_at = models.DateTimeField("inscrite le", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WaitingEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "attente d'une place"
        verbose_name_plural = "liste d'attente"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "enrolment"],
                condition=models.Q(state="waiting"),
                name="waiting_once_per_enrolment_and_half_day",
            )
        ]

    def __str__(self):
        return f"Attente n° {self.pk} ({self.slot})"

    @property
    def audit_organisation(self):
        return self.enrolment.programme.organisation


# --- Staffing of half-days ----------------------------------------------------------------


class Qualification(models.TextChoices):
    EJE = "eje", "Éducatrice ou éducateur de jeunes enfants (EJE)"
    AUXILIARY = "auxiliary", "Auxiliaire de puériculture ou CAP AEPE"
    OTHER = "other", "Autre qualification"


class StaffMemberQuerySet(ScopedQuerySet):
    organisation_lookup = "programme__organisation"
    visible_roles = PLANNER_ROLES

    def active(self):
        return self.filter(is_active=True)


class StaffMember(models.Model):
    """A member of the organisation who looks after the children of a childcare programme,
    with the qualification the staffing rule reads (``childcare.staffing``)."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.PROTECT, related_name="childcare_staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="personne",
    )
    qualification = models.CharField("qualification", max_length=20, choices=Qualification)
    is_active = models.BooleanField("dans l'équipe", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre de l'équipe d'accueil"
        verbose_name_plural = "équipe d'accueil"
        ordering = ["user__first_name", "user__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"], name="staff_member_once_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.short_qualification})"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def short_qualification(self) -> str:
        return {"eje": "EJE", "auxiliary": "auxiliaire / CAP AEPE"}.get(self.qualification, "autre")

    @property
    def audit_organisation(self):
        return self.programme.organisation


class StaffAssignmentQuerySet(ScopedQuerySet):
    organisation_lookup = "slot__site__programme__organisation"
    visible_roles = PLANNER_ROLES


class StaffAssignment(models.Model):
    """One staff member working one half-day at one site."""

    slot = models.ForeignKey(
        ChildcareSlot, on_delete=models.PROTECT, related_name="staff_assignments"
    )
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="assignments")
    # Copied from the slot so that the database refuses one person at two sites at once.
    day = models.DateField("jour")
    half_day = models.CharField("demi-journée", max_length=2, choices=HalfDay.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StaffAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "présence prévue d'un membre de l'équipe"
        ordering = ["day", "half_day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "day", "half_day"], name="staff_once_per_half_day"
            )
        ]

    def __str__(self):
        return f"{self.staff} · {self.slot}"

    @property
    def audit_organisation(self):
        return self.staff.programme.organisation


# --- Reminders to parents -----------------------------------------------------------------


class BookingReminder(models.Model):
    """A reminder sent to the parent the day before a booked half-day, by one channel: the
    row exists once the reminder went, so it is never sent twice."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    channel = models.CharField("canal", max_length=30)
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    place = models.CharField("lieu indiqué", max_length=460)

    class Meta:
        verbose_name = "rappel à un parent"
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "channel"], name="reminder_once_per_booking_and_channel"
            )
        ]

    def __str__(self):
        return f"Rappel n° {self.pk} ({self.channel})"
