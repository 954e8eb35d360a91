"""The aggregates the indicators read, kept by ``reporting.aggregates``.

They hold only ids, dates, age bands and counts: no name, no code. Everything here can be
rebuilt from the raw rows (``manage.py rebuild_aggregates``); the raw-row computation
stays in the test suite as the oracle they must agree with.
"""

from django.db import models
from django.db.models.functions import Lower

from petitspas.core.scoping import ScopedQuerySet
from petitspas.organisations.models import STAFF_ROLES, Role


class Subject(models.TextChoices):
    HOUSEHOLD = "household", "Famille"
    ADULT = "adult", "Parent"
    CHILD = "child", "Enfant"
    PREGNANT = "pregnant", "Femme enceinte"


class Span(models.TextChoices):
    EVER = "ever", "Depuis le début"
    YEAR = "year", "Année"
    MONTH = "month", "Mois"


class FirstSeen(models.Model):
    """The first day a household (or a parent, a child, a pregnancy) was present at a
    session of a programme, within a span: ever, a calendar year or a month.

    One row per subject, programme and span, so that the distinct households reached in a
    year (or from January to any day of it, or in a month) is a count of rows, not a
    distinct count over every attendance row. ``band`` is a child's age band on
    ``seen_on`` (``attendance.rules.age_band``)."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    household = models.ForeignKey("families.Household", on_delete=models.CASCADE, related_name="+")
    # The parent or child; for a pregnancy, the expected child. None for the household.
    person = models.ForeignKey(
        "families.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=10, choices=Subject.choices)
    span = models.CharField(max_length=5, choices=Span.choices)
    year = models.PositiveSmallIntegerField(default=0)
    month = models.PositiveSmallIntegerField(default=0)
    seen_on = models.DateField()
    band = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = "première venue"
        indexes = [
            # A period's reach by subject and band is counted from the index alone, and
            # with the household and the person after them, so is the distinct reach of
            # several programmes (``indicators.reach_across``).
            models.Index(
                fields=[
                    "programme",
                    "span",
                    "subject",
                    "year",
                    "month",
                    "seen_on",
                    "band",
                    "household",
                    "person",
                ],
                name="firstseen_period_people",
            ),
            models.Index(fields=["household"], name="firstseen_household"),
        ]

    def __str__(self):
        return f"{self.subject} {self.span} {self.seen_on:%Y-%m-%d}"


class HouseholdMonth(models.Model):
    """How many sessions of a programme a household came to in a month: the visits per
    household and the months a household was seen are sums over these rows."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    household = models.ForeignKey("families.Household", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    visits = models.PositiveIntegerField()

    class Meta:
        verbose_name = "venues d'une famille dans le mois"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "household", "year", "month"], name="householdmonth_once"
            )
        ]
        indexes = [models.Index(fields=["household"], name="householdmonth_household")]

    def __str__(self):
        return f"{self.year}-{self.month:02d} : {self.visits}"


class SessionTally(models.Model):
    """The counters of one session's named sheet: households and people present, children
    by age band on the session's day. The session's programme, site, activity and date are
    copied so that a period's counters are summed per programme, site, activity type and
    month without reading the attendance rows; one row per session also gives the median
    attendance and the occupancy. Anonymous sessions keep their counters in
    ``attendance.Headcount``, one row per session already."""

    session = models.OneToOneField(
        "activities.Session", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    site = models.ForeignKey("places.Site", on_delete=models.CASCADE, related_name="+")
    activity_type = models.ForeignKey(
        "activities.ActivityType", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    households = models.PositiveIntegerField(default=0)
    adults = models.PositiveIntegerField(default=0)
    children = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "compteurs d'une séance"
        indexes = [
            models.Index(fields=["programme", "date"], name="sessiontally_period"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} : {self.households} familles"


class PendingRefresh(models.Model):
    """A sheet saved whose households' aggregates are not refreshed yet. Written in the
    save's own transaction (so a save is never lost to the figures), taken by the refresh
    job queued once the save is committed (``reporting.tasks.refresh_aggregates``) or by
    the first read of the figures that comes before it (``aggregates.catch_up``)."""

    session = models.ForeignKey("activities.Session", on_delete=models.CASCADE, related_name="+")
    households = models.JSONField(default=list)  # the household ids the sheet marked
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "agrégats à mettre à jour"

    def __str__(self):
        return f"séance {self.session_id} : {len(self.households)} familles"


class KeptFigures(models.Model):
    """The figures of a programme over a closed calendar month (``month`` 1 to 12) or year
    (``month`` 0) that come from attendance and sessions: reach, regularity, activity and
    anonymous headcounts, for every household of the programme (``reporting.kept``).

    Written by the refresh job and by the first read that finds them missing, read while
    no ``FiguresChange`` names their period: a closed period rarely changes, and the
    annual report then reads one row per programme instead of its year's rows."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # 0: the whole year
    figures = models.JSONField()

    class Meta:
        verbose_name = "chiffres d'une période close"
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "month"], name="keptfigures_once")
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class FiguresChange(models.Model):
    """A write to a row that kept figures are made from, logged by the database's own
    triggers (``reporting.kept_triggers``) in the write's transaction: the programme and
    the month of the row (``year`` 0: every period of the programme, for a change of an
    activity type). Insert-only: no writer waits for another; the refresh deletes the
    marks it has seen once their periods are computed again."""

    id = models.BigAutoField(primary_key=True)
    programme_id = models.BigIntegerField()  # not a key: a deleted programme leaves marks
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "changement de chiffres"
        indexes = [
            models.Index(fields=["programme_id", "year", "month"], name="figureschange_period")
        ]

    def __str__(self):
        return f"{self.programme_id} {self.year}-{self.month:02d}"


# --- The monthly review, observations chosen for funders, annual reports ---------------


class MonthlyReview(models.Model):
    """A coordinator's review of a programme's month (Cabanes: a monthly review with the
    Département): conclusions and the adjustments decided, kept month after month."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField("mois")  # its first day
    conclusions = models.TextField("conclusions de la revue", blank=True)
    adjust_programme = models.TextField("ajustements du programme", blank=True)
    adjust_mobilisation = models.TextField("ajustements de la mobilisation", blank=True)
    adjust_partnerships = models.TextField("ajustements des partenariats", blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "revue mensuelle"
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], name="monthlyreview_once")
        ]

    def __str__(self):
        return f"{self.programme} — {self.month:%m/%Y}"

    @property
    def audit_organisation(self):
        return self.programme.organisation


class ReportObservation(models.Model):
    """An observation the coordinator chose for a programme's annual report. ``text`` is
    what readers of the report get: the observation stripped of every household code and
    first name of the organisation's families (``reporting.review.strip_people``),
    written when it is chosen; the raw observation never leaves the staff's screens."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("année")
    observation = models.ForeignKey(
        "attendance.Observation", on_delete=models.CASCADE, related_name="+"
    )
    observed_on = models.DateField()
    themes = models.JSONField(default=list, blank=True)
    text = models.TextField("texte retenu")
    selected_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "observation retenue pour le rapport"
        ordering = ["observed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "observation"], name="reportobservation_once"
            )
        ]

    def __str__(self):
        return f"Observation du {self.observed_on:%d/%m/%Y} retenue pour {self.year}"

    @property
    def audit_organisation(self):
        return self.programme.organisation


class AnnualReport(models.Model):
    """An annual report asked for on the page and built by a background job
    (``reporting.tasks``): its progress, then its file, kept through the storage API and
    given to the person who asked and to the organisation's admins and coordinators."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Prêt"
        FAILED = "failed", "Échec"

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("année")
    requested_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # Small cells hidden: asked by a funder.
    protected = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to="rapports/%Y/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "rapport annuel"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"rapport annuel {self.year} — {self.programme}"

    @property
    def audit_organisation(self):
        return self.programme.organisation

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


# --- Money: budgets and funding per programme and year ---------------------------------


class BudgetCategory(models.TextChoices):
    STAFF = "staff", "Personnel"
    SERVICES = "services", "Prestations et subventions aux associations"
    INVESTMENT = "investment", "Investissement"
    MAINTENANCE = "maintenance", "Maintenance"
    COMMUNICATION = "communication", "Communication"
    OTHER = "other", "Autres dépenses"


class MoneyQuerySet(ScopedQuerySet):
    """Budgets and funding: read by the admins, coordinators and funders of the
    programme's organisation (never a person in them)."""

    organisation_lookup = "programme__organisation"
    visible_roles = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FUNDER})


class FunderQuerySet(ScopedQuerySet):
    visible_roles = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FUNDER})


class Funder(models.Model):
    """Who funds a programme, named by the organisation that runs it: an organisation of
    the platform (``platform_organisation``, a funder with an account) or an outside body
    with no account (Région Île-de-France, ARS, Fondation de France…)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField("nom", max_length=200)
    platform_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation sur la plateforme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FunderQuerySet.as_manager()

    class Meta:
        verbose_name = "financeur"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="funder_name_once")
        ]

    def __str__(self):
        return self.name


class BudgetLine(models.Model):
    """One line of a programme's budget for a calendar year: a category, a label and an
    amount in euros. The budget is the sum of its lines."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("année")
    category = models.CharField("poste", max_length=20, choices=BudgetCategory.choices)
    label = models.CharField("libellé", max_length=200)
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)

    objects = MoneyQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de budget"
        indexes = [models.Index(fields=["programme", "year"], name="budgetline_year")]

    def __str__(self):
        return f"{self.label} ({self.year})"


class Funding(models.Model):
    """A funder's amount for a programme and year; ``amount`` None when the amount is not
    known ("montant non renseigné"): the funder is listed, with no share."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("année")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="fundings")
    amount = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.CharField("précision", max_length=200, blank=True)

    objects = MoneyQuerySet.as_manager()

    class Meta:
        verbose_name = "financement"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "funder"], name="funding_funder_once_a_year"
            )
        ]

    def __str__(self):
        return f"{self.funder.name} ({self.year})"


# --- Where families are not reached: the social hotels of a département ----------------


class CoverageReferenceQuerySet(ScopedQuerySet):
    """Reference figures are public statistics: the programme organisation's staff and
    funders read them."""

    organisation_lookup = "programme__organisation"
    visible_roles = frozenset({*STAFF_ROLES, Role.FUNDER})


class CoverageReference(models.Model):
    """The published figures of a département that a programme measures its coverage
    against ("127 hôtels sociaux, 5 261 enfants dont 4 635 de 0 à 6 ans"), with their
    source and year."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    departement = models.CharField("département", max_length=3)
    hotels = models.PositiveIntegerField("hôtels sociaux")
    children = models.PositiveIntegerField("enfants qui y vivent")
    children_0_6 = models.PositiveIntegerField("dont enfants de 0 à 6 ans", null=True, blank=True)
    source = models.CharField("source", max_length=250)
    year = models.PositiveSmallIntegerField("année")

    objects = CoverageReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "chiffres de référence"
        verbose_name_plural = "chiffres de référence"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "departement"], name="coverage_reference_once"
            )
        ]

    def __str__(self):
        return f"chiffres de référence du {self.departement} ({self.year})"

    @property
    def audit_organisation(self):
        return self.programme.organisation


class SocialHotelQuerySet(ScopedQuerySet):
    """The list names hotels and their addresses, where families live: the programme
    organisation's staff only. Funders read the coverage by town, computed apart."""

    organisation_lookup = "programme__organisation"
    visible_roles = STAFF_ROLES


class SocialHotel(models.Model):
    """One social hotel of a département's reference list, visited by the programme or
    not. Identity on re-import: programme, département, name (whatever its case) and
    town. ``site``: the programme's site of kind social hotel when the team goes there."""

    programme = models.ForeignKey(
        "organisations.Programme", on_delete=models.CASCADE, related_name="+"
    )
    departement = models.CharField("département", max_length=3)
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=250, blank=True)
    commune_code = models.CharField("code INSEE de la commune", max_length=5)
    town = models.CharField("commune", max_length=100)
    children = models.PositiveIntegerField("enfants qui y vivent", null=True, blank=True)
    latitude = models.DecimalField(
        "latitude", max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        "longitude", max_digits=8, decimal_places=5, null=True, blank=True
    )
    site = models.ForeignKey(
        "places.Site",
        verbose_name="lieu du programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SocialHotelQuerySet.as_manager()

    class Meta:
        verbose_name = "hôtel social"
        verbose_name_plural = "hôtels sociaux"
        ordering = ["departement", "town", "name"]
        constraints = [
            models.UniqueConstraint(
                "programme",
                "departement",
                Lower("name"),
                "commune_code",
                name="social_hotel_identity",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.town})"

    @property
    def audit_organisation(self):
        return self.programme.organisation
