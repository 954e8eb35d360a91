"""What happened at a session: who came (named attendance), how many came (anonymous
headcount, the rule for LAEP and open workshops), and what was observed."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from petitspas.activities.models import Session
from petitspas.core.scoping import ScopedQuerySet, organisation_ids
from petitspas.families.models import NO_WIDER_AUDIENCE, Household
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES

SESSION_ORGANISATION = "session__activity_type__programme__organisation"


class Theme(models.TextChoices):
    """Observation themes (seed 002's needs, seed 000's field reality)."""

    SLEEP = "sleep", "Sommeil"
    LANGUAGE = "language", "Langage"
    SCREENS = "screens", "Écrans"
    ISOLATION = "isolation", "Isolement parental"
    FATHER = "father", "Place du père"
    DISABILITY = "disability", "Handicap"
    HOUSING = "housing", "Logement"
    FOOD = "food", "Alimentation"
    PERINATALITY = "perinatality", "Périnatalité"
    AUTHORITY = "authority", "Limites et autorité"
    ACCESS_TO_RIGHTS = "rights", "Accès aux droits"
    PLAY = "play", "Jeu et éveil"


class FamilyRowQuerySet(ScopedQuerySet):
    """Rows that hang off a household are visible exactly when their household is
    (``Household.objects.visible_to``): every export or indicator that starts from them
    inherits need-to-know. Figures for funders are aggregates, computed apart."""

    organisation_lookup = SESSION_ORGANISATION
    visible_roles = STAFF_ROLES

    def visible_to(self, user):
        return self.filter(household__in=Household.objects.visible_to(user).values("pk"))

    def where_role(self, user, roles):
        raise TypeError(NO_WIDER_AUDIENCE)


class RegistrationQuerySet(FamilyRowQuerySet):
    def confirmed(self):
        """Registered: the only rows that take a place, put a household on the sheet and
        make it met by the session's staff."""
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        """The waiting list, first come first."""
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")


class Registration(models.Model):
    """A household registered at a session, or on its waiting list.

    Only ``confirmed`` registrations count: places taken, the sheet's expected households,
    the families met. Registering beyond the places puts the household on the waiting list
    (``waiting``, by ``created_at``); a freed place is ``offered`` to the first in line,
    held for them until the staff confirm it (``confirmed``) or note that the family does
    not take it (``declined``, and the next in line is offered it)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Inscrite"
        WAITING = "waiting", "Liste d'attente"
        OFFERED = "offered", "Place proposée"
        DECLINED = "declined", "Place non prise"

    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, related_name="registrations"
    )
    household = models.ForeignKey(
        "families.Household", on_delete=models.CASCADE, related_name="registrations"
    )
    # Existing rows, registered before the waiting list existed, are confirmed, and so is a
    # row written without a state (the benchmark's generator inserts plain rows).
    status = models.CharField(
        "état",
        max_length=10,
        choices=Status.choices,
        default=Status.CONFIRMED,
        db_default=Status.CONFIRMED,
    )
    # When the household joined the waiting list (or was registered): its place in line.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    offered_at = models.DateTimeField("place proposée le", null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        indexes = [models.Index(fields=["session", "status"], name="registration_session_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "household"],
                name="registration_once_per_session",
                violation_error_message="Cette famille est déjà inscrite à la séance.",
            )
        ]

    def __str__(self):
        return f"{self.household} → {self.session}"

    @property
    def audit_organisation(self):
        return self.session.audit_organisation


class PlaceRequestQuerySet(ScopedQuerySet):
    organisation_lookup = SESSION_ORGANISATION
    visible_roles = STAFF_ROLES

    def visible_to(self, user):
        """A family's contact details: read by those who may record the session (its
        staff, the organisation's admins and coordinators), as its sheet."""
        staff_of = organisation_ids(user, STAFF_ROLES)
        if not staff_of:
            return self.none()
        planned = organisation_ids(user, PLANNER_ROLES)
        staffed = Session.objects.filter(staff=user).values("pk")
        return self.filter(
            models.Q(**{f"{SESSION_ORGANISATION}__in": planned})
            | models.Q(session__in=staffed, **{f"{SESSION_ORGANISATION}__in": staff_of})
        )

    def where_role(self, user, roles):
        raise TypeError(NO_WIDER_AUDIENCE)

    def pending(self):
        return self.filter(status=PlaceRequest.Status.PENDING)


class PlaceRequest(models.Model):
    """A family asking for a place from the public agenda, without an account: a first
    name, a way to be called back and the number of children. The staff accept it (the
    family gets a household and a registration, or a place on the waiting list) or decline
    it. Erased with its contact details once the session is long past
    (``privacy.services.place_requests_purge``)."""

    class Status(models.TextChoices):
        PENDING = "pending", "À traiter"
        ACCEPTED = "accepted", "Acceptée"
        DECLINED = "declined", "Refusée"

    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, related_name="place_requests"
    )
    first_name = models.CharField("prénom", max_length=80)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    children = models.PositiveSmallIntegerField("nombre d'enfants")
    consent_at = models.DateTimeField("accord donné le")
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    household = models.ForeignKey(
        "families.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PlaceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de place"
        ordering = ["created_at", "pk"]

    def __str__(self):
        # Never the family's name or contact: the audit log names the request by number.
        return f"demande n° {self.pk}, séance du {self.session.date:%d/%m/%Y}"

    @property
    def audit_organisation(self):
        return self.session.audit_organisation


class AttendanceQuerySet(FamilyRowQuerySet):
    def present(self):
        return self.filter(status=Attendance.Status.PRESENT)


class Attendance(models.Model):
    """One person at one session. The field screen ticks a household; the service writes
    a row for each of its parents and children."""

    class Status(models.TextChoices):
        PRESENT = "present", "Présent"
        EXCUSED = "excused", "Excusé"
        NO_SHOW = "no_show", "Absent"

    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "families.Person", on_delete=models.CASCADE, related_name="attendances"
    )
    household = models.ForeignKey(
        "families.Household", on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField("présence", max_length=10, choices=Status.choices)
    is_walk_in = models.BooleanField("venue sans être attendue", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="attendance_once_per_person_and_session"
            )
        ]
        indexes = [models.Index(fields=["household", "session"], name="attendance_household")]

    def __str__(self):
        return f"{self.person} : {self.get_status_display()}"


class HeadcountQuerySet(ScopedQuerySet):
    organisation_lookup = SESSION_ORGANISATION


class Headcount(models.Model):
    """Anonymous count for an open session (LAEP, Cabanes): no names, ever. Funders may
    read it: it holds no person."""

    session = models.OneToOneField(
        "activities.Session", on_delete=models.CASCADE, related_name="headcount"
    )
    adults = models.PositiveSmallIntegerField("adultes", default=0)
    pregnant_women = models.PositiveSmallIntegerField("femmes enceintes", default=0)
    children_under_1 = models.PositiveSmallIntegerField("enfants de moins d'un an", default=0)
    children_1_3 = models.PositiveSmallIntegerField("enfants de 1 à 3 ans", default=0)
    children_3_6 = models.PositiveSmallIntegerField("enfants de 3 à 6 ans", default=0)
    first_visits = models.PositiveSmallIntegerField("premières venues (familles)", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = HeadcountQuerySet.as_manager()

    COUNTERS = (
        "adults",
        "pregnant_women",
        "children_under_1",
        "children_1_3",
        "children_3_6",
        "first_visits",
    )

    class Meta:
        verbose_name = "comptage anonyme"

    def __str__(self):
        return f"{self.people} personnes"

    @property
    def children(self) -> int:
        return self.children_under_1 + self.children_1_3 + self.children_3_6

    @property
    def people(self) -> int:
        return self.adults + self.children


class ObservationQuerySet(ScopedQuerySet):
    organisation_lookup = SESSION_ORGANISATION
    # Qualitative notes may name or describe families: never funders.
    visible_roles = STAFF_ROLES

    def visible_to(self, user):
        """Notes may describe the families of a session: read by those who may read its
        sheet, the organisation's admins and coordinators and the session's staff."""
        staff_of = organisation_ids(user, STAFF_ROLES)
        if not staff_of:
            return self.none()
        planned = organisation_ids(user, PLANNER_ROLES)
        staffed = Session.objects.filter(staff=user).values("pk")
        return self.filter(
            models.Q(**{f"{SESSION_ORGANISATION}__in": planned})
            | models.Q(session__in=staffed, **{f"{SESSION_ORGANISATION}__in": staff_of})
        )

    def where_role(self, user, roles):
        raise TypeError(NO_WIDER_AUDIENCE)


class Observation(models.Model):
    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, related_name="observations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    observed_on = models.DateField("date", default=timezone.localdate)
    text = models.TextField("observation")
    themes = models.JSONField("thèmes", default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = "observation"
        ordering = ["-observed_on", "-created_at"]

    def __str__(self):
        return f"Observation du {self.observed_on:%d/%m/%Y}"

    def theme_labels(self) -> list[str]:
        return [Theme(t).label for t in self.themes if t in Theme.values]


class SubmissionQuerySet(models.QuerySet):
    def sheet_version(self, session) -> str:
        """The client id of the session sheet's last save, "" before the first one. A
        sheet shown at one version and saved when another is current was saved by someone
        else in between (a colleague, or a draft restored on a phone hours later)."""
        latest = (
            self.filter(session=session, kind=Submission.RECORD)
            .order_by("-pk")
            .values_list("client_id", flat=True)
            .first()
        )
        return str(latest) if latest else ""


class Submission(models.Model):
    """A field form's client-generated id, kept so that a double tap or a resubmission
    after a lost connection is recognised and never counted twice."""

    # What the id was sent with: a save of the sheet, or a walk-in family created from it.
    RECORD = "record"
    WALK_IN = "walk_in"

    client_id = models.UUIDField(unique=True)
    session = models.ForeignKey(
        "activities.Session", on_delete=models.CASCADE, related_name="submissions"
    )
    kind = models.CharField(max_length=20)
    # For a walk-in family created from the sheet: the household it created, given back
    # when the same form arrives again.
    household = models.ForeignKey(
        "families.Household", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    objects = SubmissionQuerySet.as_manager()

    def __str__(self):
        return str(self.client_id)
