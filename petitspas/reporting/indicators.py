"""Every indicator of a programme, one definition and one computation each.

Read top to bottom: what a figure covers (``Scope``), the list of indicators with their
stable names (``INDICATORS``, the names the API, the CSV and the XLSX use), then one
function per family of indicators: reach, regularity, activity, anonymous headcounts.
``compute(scope)`` returns them all; ``figures_for`` is what pages and the API call
(scope from the user, small cells protected).

Where the figures come from:
- distinct reach reads the first-seen rows (``reporting.aggregates``) when the period is a
  calendar year or a month, or runs from its first day (1 January to any day, the 1st of a
  month to any day of it), and the figure is not for one site or activity; otherwise, and
  always for the same count on another cut, it reads the present attendance rows.
  Both give the same number: the test suite checks them against plain SQL over the rows.
- the visits per household read ``HouseholdMonth`` for the period's whole months, and the
  rows for the days of a month it begins or ends within (and for a site or activity);
- sessions held and cancelled, hours and capacity read the sessions; the people present
  at each session read ``SessionTally`` (named sheets) and ``attendance.Headcount``
  (anonymous ones).

Anonymous headcounts are visits: they are reported apart and never added to distinct
counts. Every figure starts from the user's scope: a professional's counts only the
households they may open (``Household.objects.visible_to``); admins, coordinators and
funders count every household of the programme, anonymised ones included (their
attendance rows stay for the figures).

Referrals and childcare are counted only for a programme with childcare on referral (a
prescriber organisation refers families to it), orientations only for a programme with a
desk; for any other programme, and for a figure about one activity type, they are None:
- referrals: ``referrals_received`` were sent in the period; ``referrals_accepted`` and
  ``referrals_refused`` were accepted or refused in the period (the transition's day, so a
  referral sent in December and decided in January counts in each year once: received in
  the first, decided in the second); ``referrals_decided`` had their first decision
  (accepted, waiting list or refused) in the period, and
  ``referral_decision_days_median`` is the median of their days from sending to that
  decision; ``referrals_waiting`` is the state at the end of the period, replayed from the
  transitions: sent by then and still new, under review or on the waiting list.
  Refusals by reason are a table (``refusals_by_reason``). Days are local calendar days.
- childcare: the half-days booked (not cancelled) in the period, one per child and
  half-day; used when the arrival was noted; absences noted; no-shows are
  ``Booking.objects.no_shows`` (past half-days with neither; the month's hours count
  them with it too); the settling-in and emergency bookings (the 7th place); the
  occupancy of the 6 regular places: bookings on regular places (those on the 7th place
  left out) over the open half-days of the active sites of the programme (the site
  calendar's) × 6. The parents' appointments covered are a table by reason
  (``appointments_by_reason``).
- orientations to partners at the programme's desks (a desk at one of its sites): given,
  and by outcome (succeeded, not succeeded, still pending); None for a programme without
  a desk. Orientations noted from a family's file without a desk belong to the
  organisation, not to a programme, and are not counted here.
The coverage of the social hotels (Espace Petits Pas, seed 000) is counted only for a
programme with a reference list of hotels (``SocialHotel``), None for any other: the hotels
of the list, those visited in the period (a session held at the hotel's site, or a
household housed there present at a session), the children living there (the list's
figures) against the children reached who live there, and the gap, "non atteints"
(``hotels_coverage``, one row per hotel; the coverage page sums them by town).
A professional's or a town's figure counts the referrals, bookings and orientations of
the households counted (a referral not yet accepted has none); the occupancy is then None.
"""

import dataclasses
import datetime
import functools
import statistics
from collections import Counter, defaultdict

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from petitspas.activities.models import RegistrationMode, Session
from petitspas.attendance.models import Attendance, Headcount
from petitspas.childcare.models import (
    EXTRA_KINDS,
    EXTRA_PLACES,
    PENDING_STATES,
    REGULAR_PLACES,
    AppointmentReason,
    Booking,
    ChildcareSlot,
    Referral,
    ReferralTransition,
    RefusalReason,
    State,
)
from petitspas.core.scoping import active_memberships
from petitspas.directory.models import Desk, Orientation
from petitspas.families.models import Household, Person
from petitspas.organisations.models import PLANNER_ROLES, Programme, ProgrammePrescriber, Role
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site
from petitspas.reporting import kept
from petitspas.reporting.aggregates import catch_up, caught_up, child_band, is_pregnant_on
from petitspas.reporting.models import (
    FirstSeen,
    HouseholdMonth,
    SessionTally,
    SocialHotel,
    Span,
    Subject,
)
from petitspas.reporting.smallcells import protect

# --- What a figure covers --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Scope:
    """A programme over a period (both days included), optionally one site, one activity
    type or the households of one town. ``households``: the households the reader may
    count, None for every household of the programme."""

    programme: object
    start: datetime.date
    end: datetime.date
    site_id: int | None = None
    activity_type_id: int | None = None
    town: str = ""
    households: object = None

    def previous_year(self) -> "Scope":
        """The same period one year earlier (29 February gives the 28th)."""
        return dataclasses.replace(self, start=_year_before(self.start), end=_year_before(self.end))

    @property
    def cut(self) -> bool:
        """A site or an activity type: first-seen rows are per programme, not per cut."""
        return self.site_id is not None or self.activity_type_id is not None

    @functools.cached_property
    def runs(self) -> "Runs":
        """What the programme runs beside its sessions (``programme_runs``), read once
        for all the figures of this scope."""
        return programme_runs(self.programme)


@dataclasses.dataclass(frozen=True)
class Runs:
    """What a programme runs beside its sessions, whose figures it then shows: childcare on
    referral (a prescriber refers families to it), a Point Info Famille desk at one of its
    sites, a reference list of social hotels."""

    childcare: bool
    desk: bool
    hotel_list: bool


def programme_runs(programme) -> Runs:
    """``Runs`` of ``programme``, in one query."""
    flags = (
        Programme.objects.filter(pk=programme.pk)
        .annotate(
            childcare=Exists(ProgrammePrescriber.objects.filter(programme=OuterRef("pk"))),
            desk=Exists(Desk.objects.filter(site__programme=OuterRef("pk"))),
            hotel_list=Exists(SocialHotel._base_manager.filter(programme=OuterRef("pk"))),
        )
        .values_list("childcare", "desk", "hotel_list")
        .get()
    )
    return Runs(*flags)


def _year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


# --- The indicators --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    # people (distinct reach, families referred or oriented: protected under 5), visits
    # (headcounts, protected too), half_days (a child's half-days of childcare, protected),
    # sessions, hours, per_session, percent, days.
    unit: str
    section: str

    @property
    def protected(self) -> bool:
        return self.unit in ("people", "visits", "half_days")


REACH, REGULARITY, ACTIVITY, HEADCOUNTS, REFERRALS, CHILDCARE, ORIENTATIONS, COVERAGE = (
    "Familles touchées",
    "Régularité",
    "Activité",
    "Accueils anonymes (venues)",
    "Orientations vers l'accueil des enfants",
    "Accueil des enfants",
    "Orientations vers les partenaires",
    "Couverture des hôtels sociaux",
)
SECTIONS = (
    REACH,
    REGULARITY,
    ACTIVITY,
    HEADCOUNTS,
    REFERRALS,
    CHILDCARE,
    ORIENTATIONS,
    COVERAGE,
)

INDICATORS = (
    Indicator("households_reached", "Familles touchées", "people", REACH),
    Indicator("parents_reached", "Parents touchés", "people", REACH),
    Indicator("children_reached", "Enfants touchés", "people", REACH),
    Indicator("children_reached_0_1", "Enfants de moins d'un an", "people", REACH),
    Indicator("children_reached_1_3", "Enfants de 1 à 3 ans", "people", REACH),
    Indicator("children_reached_3_6", "Enfants de 3 à 6 ans", "people", REACH),
    Indicator("children_reached_under_6", "Enfants de moins de 6 ans", "people", REACH),
    Indicator(
        "children_reached_6_plus", "Enfants de 6 ans et plus (ou âge inconnu)", "people", REACH
    ),
    Indicator("pregnant_women_reached", "Femmes enceintes touchées", "people", REACH),
    Indicator("new_households", "Nouvelles familles", "people", REACH),
    Indicator("returning_households", "Familles déjà venues avant la période", "people", REACH),
    Indicator(
        "household_visits", "Venues de familles (séances nominatives)", "sessions", REGULARITY
    ),
    Indicator("households_visits_1", "Familles venues 1 fois", "people", REGULARITY),
    Indicator("households_visits_2_3", "Familles venues 2 ou 3 fois", "people", REGULARITY),
    Indicator("households_visits_4_9", "Familles venues 4 à 9 fois", "people", REGULARITY),
    Indicator("households_visits_10_plus", "Familles venues 10 fois ou plus", "people", REGULARITY),
    Indicator(
        "households_seen_3_months",
        "Familles venues au moins 3 mois différents",
        "people",
        REGULARITY,
    ),
    Indicator(
        "share_seen_3_months",
        "Part des familles venues au moins 3 mois différents (%)",
        "percent",
        REGULARITY,
    ),
    Indicator("sessions_held", "Séances tenues", "sessions", ACTIVITY),
    Indicator("sessions_cancelled", "Séances annulées", "sessions", ACTIVITY),
    Indicator("hours_open", "Heures d'ouverture", "hours", ACTIVITY),
    Indicator("sessions_recorded", "Séances saisies", "sessions", ACTIVITY),
    Indicator("mean_attendance", "Personnes par séance (moyenne)", "per_session", ACTIVITY),
    Indicator("median_attendance", "Personnes par séance (médiane)", "per_session", ACTIVITY),
    Indicator(
        "occupancy", "Taux d'occupation des séances à places limitées (%)", "percent", ACTIVITY
    ),
    Indicator("headcount_adults", "Adultes accueillis", "visits", HEADCOUNTS),
    Indicator("headcount_children", "Enfants accueillis", "visits", HEADCOUNTS),
    Indicator(
        "headcount_children_0_1", "Enfants de moins d'un an accueillis", "visits", HEADCOUNTS
    ),
    Indicator("headcount_children_1_3", "Enfants de 1 à 3 ans accueillis", "visits", HEADCOUNTS),
    Indicator("headcount_children_3_6", "Enfants de 3 à 6 ans accueillis", "visits", HEADCOUNTS),
    Indicator("headcount_pregnant_women", "Femmes enceintes accueillies", "visits", HEADCOUNTS),
    Indicator("headcount_first_visits", "Premières venues (familles)", "visits", HEADCOUNTS),
    Indicator("referrals_received", "Orientations reçues", "people", REFERRALS),
    Indicator("referrals_accepted", "Orientations acceptées", "people", REFERRALS),
    Indicator("referrals_refused", "Orientations refusées", "people", REFERRALS),
    Indicator(
        "referrals_waiting",
        "Orientations en attente en fin de période (étude ou liste d'attente)",
        "people",
        REFERRALS,
    ),
    Indicator(
        "referrals_decided", "Orientations ayant reçu une première décision", "people", REFERRALS
    ),
    Indicator(
        "referral_decision_days_median",
        "Délai de la première décision (jours, médiane)",
        "days",
        REFERRALS,
    ),
    Indicator("childcare_half_days_booked", "Demi-journées réservées", "half_days", CHILDCARE),
    Indicator(
        "childcare_half_days_used",
        "Demi-journées utilisées (arrivée notée)",
        "half_days",
        CHILDCARE,
    ),
    Indicator("childcare_absences", "Absences notées", "half_days", CHILDCARE),
    Indicator(
        "childcare_no_shows",
        "Demi-journées non honorées (ni arrivée ni absence)",
        "half_days",
        CHILDCARE,
    ),
    Indicator(
        "childcare_settling_in_or_emergency",
        "Demi-journées d'adaptation ou d'urgence (7e place)",
        "half_days",
        CHILDCARE,
    ),
    Indicator(
        "childcare_occupancy", "Taux d'occupation des 6 places régulières (%)", "percent", CHILDCARE
    ),
    Indicator("orientations_given", "Orientations vers un partenaire", "people", ORIENTATIONS),
    Indicator("orientations_succeeded", "Orientations abouties", "people", ORIENTATIONS),
    Indicator("orientations_not_succeeded", "Orientations non abouties", "people", ORIENTATIONS),
    Indicator("orientations_pending", "Orientations en cours", "people", ORIENTATIONS),
    Indicator("hotels_reference", "Hôtels sociaux de la liste de référence", "hotels", COVERAGE),
    Indicator(
        "hotels_visited",
        "Hôtels visités (séance tenue ou famille de l'hôtel venue)",
        "hotels",
        COVERAGE,
    ),
    Indicator("hotels_not_visited", "Hôtels non visités", "hotels", COVERAGE),
    Indicator(
        "hotel_children_reference",
        "Enfants vivant dans ces hôtels (référence)",
        "reference",
        COVERAGE,
    ),
    Indicator(
        "hotel_children_reached", "Enfants vivant en hôtel social touchés", "people", COVERAGE
    ),
    Indicator(
        "hotel_children_not_reached",
        "Enfants vivant en hôtel social non atteints",
        "reference",
        COVERAGE,
    ),
)
BY_NAME = {indicator.name: indicator for indicator in INDICATORS}
HEADCOUNT_NAMES = tuple(i.name for i in INDICATORS if i.section == HEADCOUNTS)

# The sums that hold: a hidden cell must not be recoverable from its total and the others.
CONSTRAINTS = (
    (
        "children_reached",
        [
            "children_reached_0_1",
            "children_reached_1_3",
            "children_reached_3_6",
            "children_reached_6_plus",
        ],
    ),
    ("children_reached", ["children_reached_under_6", "children_reached_6_plus"]),
    (
        "children_reached_under_6",
        ["children_reached_0_1", "children_reached_1_3", "children_reached_3_6"],
    ),
    ("households_reached", ["new_households", "returning_households"]),
    (
        "households_reached",
        [
            "households_visits_1",
            "households_visits_2_3",
            "households_visits_4_9",
            "households_visits_10_plus",
        ],
    ),
    (
        "headcount_children",
        ["headcount_children_0_1", "headcount_children_1_3", "headcount_children_3_6"],
    ),
    (
        "orientations_given",
        ["orientations_succeeded", "orientations_not_succeeded", "orientations_pending"],
    ),
)
# A figure computed from another one is hidden with it.
DERIVED = {
    "share_seen_3_months": "households_seen_3_months",
    "referral_decision_days_median": "referrals_decided",
    "childcare_occupancy": "childcare_half_days_booked",
    # The gap is the reference less the children reached: hidden with them.
    "hotel_children_not_reached": "hotel_children_reached",
}

BANDS = {
    "children_under_1": "children_reached_0_1",
    "children_1_3": "children_reached_1_3",
    "children_3_6": "children_reached_3_6",
    "children_other": "children_reached_6_plus",
}


# --- Where rows come from --------------------------------------------------------------


def _present_rows(scope: Scope):
    """The present attendance rows of the scope (the raw rows; and for the oracle)."""
    rows = Attendance._base_manager.filter(
        status=Attendance.Status.PRESENT,
        session__activity_type__programme=scope.programme,
        session__date__gte=scope.start,
        session__date__lte=scope.end,
    )
    if scope.site_id is not None:
        rows = rows.filter(session__site_id=scope.site_id)
    if scope.activity_type_id is not None:
        rows = rows.filter(session__activity_type_id=scope.activity_type_id)
    return _households_filter(rows, scope, "household")


def _households_filter(queryset, scope: Scope, field: str):
    if scope.town:
        queryset = queryset.filter(**{f"{field}__town": scope.town})
    if scope.households is not None:
        queryset = queryset.filter(**{f"{field}__in": scope.households.values("pk")})
    return queryset


def _span(scope: Scope) -> str | None:
    """The first-seen span that answers the period exactly, if any."""
    if scope.cut or scope.start.year != scope.end.year or scope.start > scope.end:
        return None
    if scope.start == datetime.date(scope.start.year, 1, 1):
        return Span.YEAR
    if scope.start.day == 1 and scope.start.month == scope.end.month:
        return Span.MONTH
    return None


# --- Reach: distinct households, parents, children, pregnant women ---------------------


def reach(scope: Scope) -> dict:
    span = _span(scope)
    figures = _reach_from_first_seen(scope, span) if span else _reach_from_rows(scope)
    return _reach_totals(figures)


def _reach_totals(figures: dict) -> dict:
    bands = {name: figures.get(name, 0) for name in BANDS.values()}
    figures.update(bands)
    figures["children_reached_under_6"] = sum(bands.values()) - bands["children_reached_6_plus"]
    figures["returning_households"] = figures["households_reached"] - figures["new_households"]
    return figures


def _span_keys(span: str, scope: Scope) -> dict:
    """The year and month of ``span`` holding the scope's period (``_span``: one year, or
    one month): every row of the span seen in the period has them, since they are its
    day's (``aggregates._spans``). Asked for with the subject, they let the first-seen
    index reach the period's days instead of every year of the programme."""
    if span == Span.YEAR:
        return {"year": scope.start.year, "month": 0}
    if span == Span.MONTH:
        return {"year": scope.start.year, "month": scope.start.month}
    return {"year": 0, "month": 0}


def _reach_from_first_seen(scope: Scope, span: str) -> dict:
    catch_up()

    def seen(span_):
        rows = FirstSeen.objects.filter(
            programme=scope.programme,
            span=span_,
            subject__in=Subject.values,
            **_span_keys(span_, scope),
            seen_on__gte=scope.start,
            seen_on__lte=scope.end,
        )
        return _households_filter(rows, scope, "household")

    counts = seen(span).values_list("subject", "band").annotate(n=Count("*")).order_by()
    figures = Counter()
    for subject, band, n in counts:
        figures[subject] += n
        if subject == Subject.CHILD:
            figures[BANDS[band]] += n
    new = seen(Span.EVER).filter(subject=Subject.HOUSEHOLD).count()
    return {
        "households_reached": figures[Subject.HOUSEHOLD],
        "parents_reached": figures[Subject.ADULT],
        "children_reached": figures[Subject.CHILD],
        "pregnant_women_reached": figures[Subject.PREGNANT],
        "new_households": new,
        **{name: figures[name] for name in BANDS.values()},
    }


def _reach_from_rows(scope: Scope) -> dict:
    return _reach_of_rows(_present_rows(scope), [scope.programme], scope.start)


def _reach_of_rows(rows, programmes: list, start: datetime.date) -> dict:
    """Distinct reach of present attendance rows; new households: none of ``programmes``
    had seen them before ``start``."""
    households = rows.values("household_id").distinct().order_by()
    parents = rows.filter(person__role=Person.Role.PARENT).values("person_id").distinct()
    children = (
        rows.filter(person__role=Person.Role.CHILD)
        .values_list("person_id", "person__birth_date")
        .annotate(first=Min("session__date"))
        .order_by()
    )
    bands = Counter(BANDS[child_band(birth, first)] for _pk, birth, first in children)
    days = defaultdict(set)
    for household, day in rows.values_list("household_id", "session__date").distinct().order_by():
        days[household].add(day)
    pregnant = sum(
        any(is_pregnant_on(due, day) for day in days[household])
        for household, due in Person._base_manager.filter(
            household_id__in=list(days), role=Person.Role.EXPECTED_CHILD, due_date__isnull=False
        ).values_list("household_id", "due_date")
    )
    # Seen before: by the first-seen index's first day ever, not a scan of the programmes'
    # whole history before ``start`` (each site of an area read years of rows for it).
    catch_up()
    before = (
        FirstSeen.objects.filter(
            programme__in=programmes,
            span=Span.EVER,
            subject=Subject.HOUSEHOLD,
            year=0,  # the span "ever" (_span_keys)
            month=0,
            seen_on__lt=start,
            household_id__in=households.values("household_id"),
        )
        .values("household_id")
        .distinct()
        .order_by()
    )
    reached = households.count()
    return {
        "households_reached": reached,
        "parents_reached": parents.count(),
        "children_reached": sum(bands.values()),
        "pregnant_women_reached": pregnant,
        "new_households": reached - before.count(),
        **{name: bands[name] for name in BANDS.values()},
    }


# --- Reach across the programmes of an organisation ------------------------------------

ACROSS_NAMES = (
    "households_reached",
    "parents_reached",
    "children_reached",
    "children_reached_0_1",
    "children_reached_1_3",
    "children_reached_3_6",
    "children_reached_under_6",
    "children_reached_6_plus",
    "pregnant_women_reached",
    "new_households",
    "returning_households",
)


def reach_across(programmes: list, scope: Scope) -> dict:
    """The distinct reach of several programmes of one organisation over ``scope``'s
    period (its ``households``, its ``town``; no site or activity type, which belong to
    one programme): a household, a parent, a child or a pregnancy reached by two of them
    counts once, never the sum of their figures. A child's age band is the one on the
    first day any of them saw it; a household is new when none of them had seen it before
    the period. Reads the first-seen rows for the periods ``reach`` does, the present
    attendance rows otherwise, with the same result."""
    programmes = list(programmes)
    if not programmes:
        return _reach_totals(dict.fromkeys(ACROSS_NAMES, 0))
    span = _span(scope)
    if span:
        figures = _reach_across_first_seen(programmes, scope, span)
    else:
        figures = _reach_across_rows(programmes, scope)
    return {name: _reach_totals(figures)[name] for name in ACROSS_NAMES}


def _reach_across_rows(programmes: list, scope: Scope) -> dict:
    rows = Attendance._base_manager.filter(
        status=Attendance.Status.PRESENT,
        session__activity_type__programme__in=programmes,
        session__date__gte=scope.start,
        session__date__lte=scope.end,
    )
    return _reach_of_rows(_households_filter(rows, scope, "household"), programmes, scope.start)


def _reach_across_first_seen(programmes: list, scope: Scope, span: str) -> dict:
    catch_up()

    def seen(span_, *subjects):
        rows = FirstSeen.objects.filter(
            programme__in=programmes,
            span=span_,
            subject__in=subjects,
            **_span_keys(span_, scope),
        )
        return _households_filter(rows, scope, "household").order_by()

    # The households, parents and pregnancies in one pass over the index.
    counted = {
        "households_reached": (Subject.HOUSEHOLD, "household_id"),
        "parents_reached": (Subject.ADULT, "person_id"),
        "pregnant_women_reached": (Subject.PREGNANT, "person_id"),
    }
    reached = (
        seen(span, *(subject for subject, _field in counted.values()))
        .filter(seen_on__gte=scope.start, seen_on__lte=scope.end)
        .aggregate(
            **{
                name: Count(field, distinct=True, filter=Q(subject=subject))
                for name, (subject, field) in counted.items()
            }
        )
    )

    # Each child's band on the first day any of the programmes saw it: its rows by day,
    # the first one kept (a child's band is its age's on the day: one band a day).
    first_band = {}
    for person, band in (
        seen(span, Subject.CHILD)
        .filter(seen_on__gte=scope.start, seen_on__lte=scope.end)
        .order_by("seen_on")
        .values_list("person_id", "band")
    ):
        first_band.setdefault(person, band)
    bands = Counter(BANDS[band] for band in first_band.values())
    new = (
        seen(Span.EVER, Subject.HOUSEHOLD)
        .values("household_id")
        .annotate(first=Min("seen_on"))
        .filter(first__gte=scope.start, first__lte=scope.end)
        .count()
    )
    return {
        **reached,
        "children_reached": len(first_band),
        "new_households": new,
        **{name: bands[name] for name in BANDS.values()},
    }


# --- Regularity: visits per household, months seen -------------------------------------


def regularity(scope: Scope) -> dict:
    """Visits are the sessions a household came to (someone of it present)."""
    per_household = list(_visits(scope).values())
    buckets = Counter(_bucket(visits) for visits, _months in per_household)
    reached = len(per_household)
    seen_3 = sum(months >= 3 for _visits, months in per_household)
    return {
        "household_visits": sum(visits for visits, _months in per_household),
        "households_visits_1": buckets["1"],
        "households_visits_2_3": buckets["2_3"],
        "households_visits_4_9": buckets["4_9"],
        "households_visits_10_plus": buckets["10_plus"],
        "households_seen_3_months": seen_3,
        "share_seen_3_months": round(100 * seen_3 / reached, 1) if reached else None,
    }


def _bucket(visits: int) -> str:
    if visits == 1:
        return "1"
    if visits <= 3:
        return "2_3"
    if visits <= 9:
        return "4_9"
    return "10_plus"


def _visits(scope: Scope) -> dict[int, list[int]]:
    """{household: [visits, months seen]}: the whole months of the period from
    ``HouseholdMonth``, the days of a month it begins or ends within from the rows (1
    January to 6 December: eleven months of aggregates and six days of rows). A month
    is in one part only, so the parts add up; a site or an activity type reads the rows."""
    if scope.cut:
        return _visits_from_rows(scope)
    first = scope.start if scope.start.day == 1 else _month_end(scope.start) + ONE_DAY
    last = scope.end if scope.end == _month_end(scope.end) else scope.end.replace(day=1) - ONE_DAY
    if first > last:  # no whole month
        return _visits_from_rows(scope)
    per_household = _visits_from_months(dataclasses.replace(scope, start=first, end=last))
    edges = []
    if scope.start < first:
        edges.append(dataclasses.replace(scope, end=first - ONE_DAY))
    if last < scope.end:
        edges.append(dataclasses.replace(scope, start=last + ONE_DAY))
    for edge in edges:
        for household, (visits, months) in _visits_from_rows(edge).items():
            per_household[household][0] += visits
            per_household[household][1] += months
    return per_household


ONE_DAY = datetime.timedelta(days=1)


def _visits_from_months(scope: Scope) -> defaultdict:
    """Over whole months: from the first day of one month to the last day of another."""
    start, end = scope.start, scope.end
    catch_up()
    rows = HouseholdMonth.objects.filter(
        Q(year__gt=start.year) | Q(year=start.year, month__gte=start.month),
        Q(year__lt=end.year) | Q(year=end.year, month__lte=end.month),
        programme=scope.programme,
    )
    rows = _households_filter(rows, scope, "household")
    per_household = defaultdict(lambda: [0, 0])
    for household, visits, months in (
        rows.values_list("household_id").annotate(Sum("visits"), Count("pk")).order_by()
    ):
        per_household[household] = [visits, months]
    return per_household


def _visits_from_rows(scope: Scope) -> defaultdict:
    sessions = defaultdict(set)
    months = defaultdict(set)
    for household, session, day in (
        _present_rows(scope).values_list("household_id", "session_id", "session__date").distinct()
    ):
        sessions[household].add(session)
        months[household].add((day.year, day.month))
    return defaultdict(lambda: [0, 0], {h: [len(sessions[h]), len(months[h])] for h in sessions})


# --- Activity: sessions held and cancelled, hours, attendance, occupancy ---------------


def _sessions(scope: Scope):
    """The scope's sessions, unordered: with ``Session``'s default order (day, time),
    SQLite walks the day index over every programme's sessions of the period instead of
    the programme's activity types (40 ms instead of 7 for a département's year)."""
    sessions = Session._base_manager.filter(
        activity_type__programme=scope.programme, date__gte=scope.start, date__lte=scope.end
    ).order_by()
    if scope.site_id is not None:
        sessions = sessions.filter(site_id=scope.site_id)
    if scope.activity_type_id is not None:
        sessions = sessions.filter(activity_type_id=scope.activity_type_id)
    if scope.town:
        sessions = sessions.filter(site__town=scope.town)
    return sessions


def activity(scope: Scope, *, today: datetime.date) -> dict:
    """A session is held when it was not cancelled and its day has come."""
    return activity_of(activity_parts(scope, today=today))


def activity_parts(scope: Scope, *, today: datetime.date) -> dict:
    """What ``activity``'s figures are made of, as counts that add up from one period to
    the next: sessions held and cancelled, minutes held, the people present at each
    recorded session as [people, sessions] pairs, places and households present on
    sessions with limited places. A dashboard's period adds its closed months' kept parts
    to its last days' (``core``)."""
    sessions = _sessions(scope)
    held_sessions = sessions.filter(date__lte=today).exclude(status=Session.Status.CANCELLED)
    held = list(
        held_sessions.values_list(
            "pk", "capacity", "activity_type__default_capacity", "activity_type__registration_mode"
        )
    )
    # The hours by start and end time, a handful per programme: reading each session's
    # times costs more (a time converted from text twice a session on SQLite).
    minutes = sum(
        n * _minutes(start, end)
        for start, end, n in held_sessions.values_list("start_time", "end_time")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # The sessions as a subquery, not a list of ids: a year of a département's programme
    # holds thousands of them.
    people, households = _people_per_session(scope, held_sessions.values("pk"))
    recorded = Counter(people[pk] for pk, *_rest in held if pk in people)
    places = present = 0
    for pk, capacity, default_capacity, mode in held:
        limit = None if mode == RegistrationMode.OPEN else (capacity or default_capacity)
        if limit and pk in people:
            places += limit
            present += households.get(pk, 0)
    return {
        "held": len(held),
        "cancelled": sessions.filter(status=Session.Status.CANCELLED).count(),
        "minutes": minutes,
        "people": [[n, sessions] for n, sessions in sorted(recorded.items())],  # as JSON
        "places": places,
        "present": present,
    }


def add_activity_parts(parts: list[dict]) -> dict:
    """The parts of consecutive periods added up: those of the whole."""
    people = Counter()
    for part in parts:
        people.update(dict(part["people"]))
    total = {key: sum(part[key] for part in parts) for key in ACTIVITY_SUMS}
    return {**total, "people": [[n, sessions] for n, sessions in sorted(people.items())]}


ACTIVITY_SUMS = ("held", "cancelled", "minutes", "places", "present")


def activity_of(parts: dict) -> dict:
    """``activity``'s figures from its parts."""
    recorded = [n for n, sessions in parts["people"] for _ in range(sessions)]
    return {
        "sessions_held": parts["held"],
        "sessions_cancelled": parts["cancelled"],
        "hours_open": round(parts["minutes"] / 60, 1),
        "sessions_recorded": len(recorded),
        "mean_attendance": round(statistics.fmean(recorded), 1) if recorded else None,
        "median_attendance": statistics.median(recorded) if recorded else None,
        "occupancy": round(100 * parts["present"] / parts["places"], 1)
        if parts["places"]
        else None,
    }


def activity_by_month(scope: Scope, *, today: datetime.date) -> dict:
    """``activity``'s sessions held, hours open and sessions cancelled for each month of
    the scope, from one query grouped by month (and by start and end time, a handful per
    programme, whose minutes are counted here as ``activity`` counts them): {first day
    of the month: figures}, a month without any session of the scope left out. Each
    month's figures are those ``activity`` gives for that month within the scope's
    period (the tests hold them equal); the people per session are not needed here."""
    held = Q(date__lte=today) & ~Q(status=Session.Status.CANCELLED)
    rows = (
        _sessions(scope)
        .annotate(month=TruncMonth("date"))
        .values_list("month", "start_time", "end_time")
        .annotate(
            held=Count("pk", filter=held),
            cancelled=Count("pk", filter=Q(status=Session.Status.CANCELLED)),
        )
        .order_by()
    )
    months = defaultdict(lambda: [0, 0, 0])  # held, minutes held, cancelled
    for month, start, end, n_held, n_cancelled in rows:
        figures = months[_as_date(month)]
        figures[0] += n_held
        figures[1] += n_held * _minutes(start, end)
        figures[2] += n_cancelled
    return {
        month: {
            "sessions_held": n_held,
            "hours_open": round(minutes / 60, 1),
            "sessions_cancelled": n_cancelled,
        }
        for month, (n_held, minutes, n_cancelled) in sorted(months.items())
    }


def _as_date(month) -> datetime.date:
    """``TruncMonth`` of a date: a date (a datetime on some backends)."""
    return month.date() if isinstance(month, datetime.datetime) else month


def _minutes(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _people_per_session(scope: Scope, session_ids) -> tuple[dict, dict]:
    """People present at each session of ``session_ids`` (ids, or a query of them): named
    sheet and anonymous headcount, and the households present on named sheets."""
    people, households = Counter(), Counter()
    if scope.households is None and not scope.town:
        catch_up()
        tallies = SessionTally.objects.filter(session_id__in=session_ids)
        for pk, n_households, adults, children in tallies.values_list(
            "session_id", "households", "adults", "children"
        ):
            people[pk] += adults + children
            households[pk] += n_households
    else:
        rows = _households_filter(
            Attendance._base_manager.filter(
                status=Attendance.Status.PRESENT, session_id__in=session_ids
            ),
            scope,
            "household",
        )
        for pk, n_people, n_households in (
            rows.values_list("session_id")
            .annotate(Count("pk"), Count("household_id", distinct=True))
            .order_by()
        ):
            people[pk] += n_people
            households[pk] += n_households
    for pk, adults, under_1, one_3, three_6 in Headcount.objects.filter(
        session_id__in=session_ids
    ).values_list("session_id", "adults", "children_under_1", "children_1_3", "children_3_6"):
        people[pk] += adults + under_1 + one_3 + three_6
    return dict(people), dict(households)


# --- Anonymous headcounts: visits, never distinct people -------------------------------


def headcounts(scope: Scope) -> dict:
    counts = Headcount.objects.filter(
        session__in=_sessions(scope).exclude(status=Session.Status.CANCELLED).values("pk")
    ).aggregate(
        adults=Sum("adults", default=0),
        under_1=Sum("children_under_1", default=0),
        one_3=Sum("children_1_3", default=0),
        three_6=Sum("children_3_6", default=0),
        pregnant=Sum("pregnant_women", default=0),
        first=Sum("first_visits", default=0),
    )
    return {
        "headcount_adults": counts["adults"],
        "headcount_children": counts["under_1"] + counts["one_3"] + counts["three_6"],
        "headcount_children_0_1": counts["under_1"],
        "headcount_children_1_3": counts["one_3"],
        "headcount_children_3_6": counts["three_6"],
        "headcount_pregnant_women": counts["pregnant"],
        "headcount_first_visits": counts["first"],
    }


# --- Referrals to childcare: received, decided, waiting --------------------------------

REFERRAL_NAMES = (
    "referrals_received",
    "referrals_accepted",
    "referrals_refused",
    "referrals_waiting",
    "referrals_decided",
    "referral_decision_days_median",
)
CHILDCARE_NAMES = (
    "childcare_half_days_booked",
    "childcare_half_days_used",
    "childcare_absences",
    "childcare_no_shows",
    "childcare_settling_in_or_emergency",
    "childcare_occupancy",
)
ORIENTATION_NAMES = (
    "orientations_given",
    "orientations_succeeded",
    "orientations_not_succeeded",
    "orientations_pending",
)
# The first answer to a referral (the coordinator's decision).
FIRST_DECISIONS = (State.ACCEPTED, State.WAITING_LIST, State.REFUSED)


def _counts_childcare(scope: Scope) -> bool:
    return scope.activity_type_id is None and scope.runs.childcare


def _instants(scope: Scope) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as local instants: from its first day's midnight to the next day's
    after its last."""
    start = datetime.datetime.combine(scope.start, datetime.time.min)
    end = datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start), timezone.make_aware(end)


def _referrals(scope: Scope):
    rows = Referral.objects.filter(programme=scope.programme)
    if scope.town or scope.households is not None:
        rows = _households_filter(rows.exclude(household=None), scope, "household")
    return rows


def referrals(scope: Scope) -> dict:
    if not _counts_childcare(scope):
        return dict.fromkeys(REFERRAL_NAMES)
    start, end = _instants(scope)
    rows = _referrals(scope)
    transitions = ReferralTransition.objects.filter(referral__in=rows.values("pk"))
    within = transitions.filter(at__gte=start, at__lt=end)

    def decided(state):
        return within.filter(to_state=state).values("referral_id").distinct().count()

    # The first decision of each referral, kept when it falls in the period.
    first = (
        transitions.filter(to_state__in=FIRST_DECISIONS)
        .values("referral_id")
        .annotate(first=Min("at"))
        .filter(first__gte=start, first__lt=end)
        .order_by()
    )
    sent = dict(
        rows.filter(pk__in=[r["referral_id"] for r in first]).values_list("pk", "created_at")
    )
    delays = [
        (timezone.localdate(r["first"]) - timezone.localdate(sent[r["referral_id"]])).days
        for r in first
    ]
    # The state at the end of the period: the last transition by then.
    last_state = dict.fromkeys(
        rows.filter(created_at__lt=end).values_list("pk", flat=True), State.NEW
    )
    for referral_id, to_state in (
        transitions.filter(at__lt=end, referral_id__in=list(last_state))
        .order_by("at", "pk")
        .values_list("referral_id", "to_state")
    ):
        last_state[referral_id] = to_state
    waiting = (*PENDING_STATES, State.WAITING_LIST)
    return {
        "referrals_received": rows.filter(created_at__gte=start, created_at__lt=end).count(),
        "referrals_accepted": decided(State.ACCEPTED),
        "referrals_refused": decided(State.REFUSED),
        "referrals_waiting": sum(state in waiting for state in last_state.values()),
        "referrals_decided": len(delays),
        "referral_decision_days_median": statistics.median(delays) if delays else None,
    }


def refusals_by_reason(scope: Scope) -> dict | None:
    """The referrals refused in the period, by the refusal's reason (every reason, in the
    order of ``RefusalReason``; a refusal without one counts as "other"); None when the
    programme has no childcare."""
    if not _counts_childcare(scope):
        return None
    start, end = _instants(scope)
    counts = dict.fromkeys(RefusalReason.values, 0)
    for reason in ReferralTransition.objects.filter(
        referral__in=_referrals(scope).values("pk"),
        to_state=State.REFUSED,
        at__gte=start,
        at__lt=end,
    ).values_list("reason", flat=True):
        counts[reason if reason in counts else RefusalReason.OTHER] += 1
    return counts


# --- Childcare: half-days booked, used, missed; occupancy of the places ----------------


def _bookings(scope: Scope):
    """The bookings of the scope's half-days, cancelled ones left out."""
    rows = Booking.objects.active().filter(
        enrolment__programme=scope.programme,
        slot__day__gte=scope.start,
        slot__day__lte=scope.end,
    )
    if scope.site_id is not None:
        rows = rows.filter(slot__site_id=scope.site_id)
    return _households_filter(rows, scope, "enrolment__child__household")


def childcare(scope: Scope, *, today: datetime.date) -> dict:
    """A booking is one child on one half-day; see the module's docstring."""
    if not _counts_childcare(scope):
        return dict.fromkeys(CHILDCARE_NAMES)
    counts = _bookings(scope).aggregate(
        booked=Count("pk"),
        used=Count("pk", filter=Q(checked_in_at__isnull=False)),
        absences=Count("pk", filter=~Q(absence="")),
        extra=Count("pk", filter=Q(kind__in=EXTRA_KINDS)),
    )
    return {
        "childcare_half_days_booked": counts["booked"],
        "childcare_half_days_used": counts["used"],
        "childcare_absences": counts["absences"],
        "childcare_no_shows": _bookings(scope).no_shows(today=today).count(),
        "childcare_settling_in_or_emergency": counts["extra"],
        "childcare_occupancy": _occupancy(scope),
    }


def _occupancy(scope: Scope) -> float | None:
    """Bookings on the 6 regular places over the places the open half-days offered: per
    half-day, settling-in and emergency bookings take the 7th place first and only those
    beyond it take a regular place (``childcare.models.Places``)."""
    if scope.town or scope.households is not None:
        return None
    # The active sites, as the childcare follow-up page counts them.
    sites = Site.objects.filter(programme=scope.programme, is_active=True).prefetch_related(
        "weekly_openings", "closures", "relocations"
    )
    if scope.site_id is not None:
        sites = sites.filter(pk=scope.site_id)
    open_half_days = set()
    for site in sites:
        calendar = SiteCalendar.for_site(site)
        open_half_days |= {
            (site.pk, s.day, s.half_day)
            for s in calendar.statuses(scope.start, scope.end)
            if s.opening is not None
        }
    if not open_half_days:
        return None
    taken = 0
    for site_id, day, half_day, regular, extra in (
        ChildcareSlot.objects.filter(
            site__in=sites, day__gte=scope.start, day__lte=scope.end, bookings__state="booked"
        )
        .values_list("site_id", "day", "half_day")
        .annotate(
            regular=Count("bookings", filter=~Q(bookings__kind__in=EXTRA_KINDS)),
            extra=Count("bookings", filter=Q(bookings__kind__in=EXTRA_KINDS)),
        )
        .order_by()
    ):
        if (site_id, day, half_day) in open_half_days:
            taken += regular + max(0, extra - EXTRA_PLACES)
    return round(100 * taken / (len(open_half_days) * REGULAR_PLACES), 1)


def appointments_by_reason(scope: Scope) -> dict | None:
    """The half-days booked, by the parent's appointment they cover (every reason, in the
    order of ``AppointmentReason``); None when the programme has no childcare."""
    if not _counts_childcare(scope):
        return None
    counts = dict.fromkeys(AppointmentReason.values, 0)
    for reason, n in _bookings(scope).values_list("reason").annotate(Count("pk")).order_by():
        counts[reason if reason in counts else AppointmentReason.OTHER] += n
    return counts


# --- Orientations to partners ----------------------------------------------------------


def orientations(scope: Scope) -> dict:
    """None for a programme without a desk, and for one activity type."""
    if scope.activity_type_id is not None or not scope.runs.desk:
        return dict.fromkeys(ORIENTATION_NAMES)
    rows = Orientation.objects.filter(
        desk__site__programme=scope.programme, day__gte=scope.start, day__lte=scope.end
    )
    if scope.site_id is not None:
        rows = rows.filter(desk__site_id=scope.site_id)
    if scope.town or scope.households is not None:
        rows = _households_filter(rows.exclude(household=None), scope, "household")
    counts = rows.aggregate(
        given=Count("pk"),
        yes=Count("pk", filter=Q(outcome=Orientation.Outcome.YES)),
        no=Count("pk", filter=Q(outcome=Orientation.Outcome.NO)),
        pending=Count("pk", filter=Q(outcome=Orientation.Outcome.PENDING)),
    )
    return {
        "orientations_given": counts["given"],
        "orientations_succeeded": counts["yes"],
        "orientations_not_succeeded": counts["no"],
        "orientations_pending": counts["pending"],
    }


# --- Where families are not reached: the social hotels' coverage ----------------------

COVERAGE_NAMES = (
    "hotels_reference",
    "hotels_visited",
    "hotels_not_visited",
    "hotel_children_reference",
    "hotel_children_reached",
    "hotel_children_not_reached",
)


@dataclasses.dataclass(frozen=True)
class HotelCoverage:
    """One hotel of the reference list over the scope's period."""

    hotel: SocialHotel
    visited: bool
    children_reached: int

    @property
    def children_not_reached(self) -> int | None:
        """The children living there (when known) less those reached, never below 0."""
        if self.hotel.children is None:
            return None
        return max(0, self.hotel.children - self.children_reached)


def hotels_coverage(scope: Scope, *, today: datetime.date) -> list[HotelCoverage]:
    """Each hotel of the programme's reference list (the scope's town only, when it has
    one), whether it was visited and how many children living there were reached.

    A hotel is visited in the period when it is linked to a site of the programme where a
    session was held (not cancelled, its day come by the period's end), or when a household
    housed there (``Household.housing_site``, the hotel's site) was present at a session of
    the programme. The children reached are the distinct children present at the
    programme's sessions whose household is housed at the hotel's site: the same present
    rows as the reach, so a professional counts the households they may open, and a site
    or an activity type narrows them too. A hotel with no site is never visited."""
    hotels = SocialHotel._base_manager.filter(programme=scope.programme).order_by(
        "town", "name", "pk"
    )
    if scope.town:
        hotels = hotels.filter(town=scope.town)
    hotels = list(hotels)
    site_ids = {hotel.site_id for hotel in hotels if hotel.site_id is not None}
    held = set()
    if site_ids:
        held = set(
            _sessions(dataclasses.replace(scope, town=""))
            .filter(site_id__in=site_ids, date__lte=today)
            .exclude(status=Session.Status.CANCELLED)
            .values_list("site_id", flat=True)
            .distinct()
            .order_by()
        )
    housed = _present_rows(dataclasses.replace(scope, town="")).filter(
        household__housing_site_id__in=site_ids
    )
    met = set(housed.values_list("household__housing_site_id", flat=True).distinct().order_by())
    children = dict(
        housed.filter(person__role=Person.Role.CHILD)
        .values_list("household__housing_site_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    # Two hotels of the list linked to one site share its families: the first one counts them.
    counted = set()
    result = []
    for hotel in hotels:
        reached = 0
        if hotel.site_id is not None and hotel.site_id not in counted:
            counted.add(hotel.site_id)
            reached = children.get(hotel.site_id, 0)
        visited = hotel.site_id is not None and (hotel.site_id in held or hotel.site_id in met)
        result.append(HotelCoverage(hotel=hotel, visited=visited, children_reached=reached))
    return result


def sum_coverage(rows: list[HotelCoverage]) -> dict:
    """The coverage indicators of a set of hotels (a town, the whole list)."""
    visited = sum(row.visited for row in rows)
    reached = sum(row.children_reached for row in rows)
    return {
        "hotels_reference": len(rows),
        "hotels_visited": visited,
        "hotels_not_visited": len(rows) - visited,
        "hotel_children_reference": sum(row.hotel.children or 0 for row in rows),
        "hotel_children_reached": reached,
        "hotel_children_not_reached": sum(row.children_not_reached or 0 for row in rows),
    }


def coverage(scope: Scope, *, today: datetime.date) -> dict:
    """None for a programme without a reference list of social hotels."""
    if not scope.runs.hotel_list:
        return dict.fromkeys(COVERAGE_NAMES)
    return sum_coverage(hotels_coverage(scope, today=today))


# --- All of them -----------------------------------------------------------------------


# Kept with a closed month's figures: what its activity is made of (``activity_parts``).
PARTS = "activity_parts"


def core_live(scope: Scope, *, today: datetime.date, sections=SECTIONS) -> dict:
    """The figures made from attendance and sessions (reach, regularity, activity and
    headcounts), computed from the aggregates and the sessions, with the activity's parts
    (``PARTS``); only those of ``sections``."""
    figures = {}
    if REACH in sections:
        figures.update(reach(scope))
    if REGULARITY in sections:
        figures.update(regularity(scope))
    if ACTIVITY in sections:
        parts = activity_parts(scope, today=today)
        figures.update({**activity_of(parts), PARTS: parts})
    if HEADCOUNTS in sections:
        figures.update(headcounts(scope))
    return figures


def _core_compute(today: datetime.date):
    """``core_live`` as ``reporting.kept`` calls it: for a programme and a period."""

    def compute(programme, start: datetime.date, end: datetime.date) -> dict:
        return core_live(Scope(programme=programme, start=start, end=end), today=today)

    return compute


def core(scope: Scope, *, today: datetime.date, sections=SECTIONS) -> dict:
    """``core_live``'s figures: kept for a closed calendar month or year of a whole
    programme (``reporting.kept``), computed for any other scope (only those of
    ``sections``: the kept ones hold them all). The same numbers."""
    compute = _core_compute(today)
    figures = kept.figures(scope, today=today, compute=compute)
    if figures is not None:
        return figures
    months = kept.closed_months(scope, today)
    if not months:
        return core_live(scope, today=today, sections=sections)
    # From 1 January to today, say: the activity and headcounts of the closed months
    # kept, and those of the days around them computed; the distinct reach and the
    # visits per household do not add up from month to month, and are computed whole.
    stored = kept.stored(scope.programme, months, compute=compute)
    parts = [stored[month][PARTS] for month in months]
    counts = [{name: stored[month][name] for name in HEADCOUNT_NAMES} for month in months]
    first, last = kept.days(months[0])[0], kept.days(months[-1])[1]
    for start, end in ((scope.start, first - ONE_DAY), (last + ONE_DAY, scope.end)):
        if start <= end:
            edge = dataclasses.replace(scope, start=start, end=end)
            parts.append(activity_parts(edge, today=today))
            counts.append(headcounts(edge))
    total = add_activity_parts(parts)
    return {
        **reach(scope),
        **regularity(scope),
        **activity_of(total),
        **{name: sum(count[name] for count in counts) for name in HEADCOUNT_NAMES},
        PARTS: total,
    }


def keep_closed(*, today: datetime.date, programmes=None) -> int:
    """Keep the closed periods of ``programmes`` not kept yet (``kept.fill``)."""
    return kept.fill(today=today, compute=_core_compute(today), programmes=programmes)


def refresh_kept(*, today: datetime.date) -> int:
    """Compute again the kept periods that writes have marked (``kept.refresh``)."""
    return kept.refresh(compute=_core_compute(today))


def compute(scope: Scope, *, today: datetime.date, sections=SECTIONS) -> dict:
    """Every indicator of the scope, by name, in the order of ``INDICATORS``: those of
    ``sections`` computed, the others None (a page that shows a few figures asks for
    their sections only)."""
    groups = (
        (REFERRALS, lambda: referrals(scope)),
        (CHILDCARE, lambda: childcare(scope, today=today)),
        (ORIENTATIONS, lambda: orientations(scope)),
        (COVERAGE, lambda: coverage(scope, today=today)),
    )
    with caught_up():
        figures = core(scope, today=today, sections=sections)
        for section, group in groups:
            if section in sections:
                figures.update(group())
    return {i.name: figures[i.name] if i.section in sections else None for i in INDICATORS}


def protect_figures(figures: dict) -> dict:
    """Small cells of a set of figures shown as "< 5", with secondary suppression."""
    return protect(
        figures,
        protected={i.name for i in INDICATORS if i.protected},
        constraints=CONSTRAINTS,
        derived=DERIVED,
    )


# --- For a reader ----------------------------------------------------------------------


def households_counted_by(user, programme):
    """None (every household of the programme) for its organisation's admins and
    coordinators and its funders; for a professional, the files they may open."""
    roles = {m.role for m in _memberships(user, programme)}
    if roles & (set(PLANNER_ROLES) | {Role.FUNDER}):
        return None
    return Household.objects.visible_to(user)


def reads_people(user, programme) -> bool:
    """Staff of the programme's organisation read exact counts (they may open the files
    counted); funders and observers read small cells as "< 5"."""
    return any(m.role != Role.FUNDER for m in _memberships(user, programme))


def _memberships(user, programme) -> list:
    return [m for m in active_memberships(user) if m.organisation_id == programme.organisation_id]


@dataclasses.dataclass
class Figures:
    scope: Scope
    values: dict  # by name: a number, None (nothing to divide) or "< 5"
    previous: dict  # the same period of the previous year
    protected: bool

    def sections(self) -> list[tuple[str, list[dict]]]:
        """The rows by section, in order, leaving out a section with no figure at all
        (referrals and childcare of a programme without childcare)."""
        rows = list(self.rows())
        result = []
        for title in SECTIONS:
            section = [r for r in rows if r["indicator"].section == title]
            if any(r["value"] is not None or r["previous"] is not None for r in section):
                result.append((title, section))
        return result

    def rows(self):
        """One row per indicator: the indicator, this period, the previous year, the
        change in number and in percent (None when unknown or hidden)."""
        for indicator in INDICATORS:
            yield figure_row(indicator, self.values[indicator.name], self.previous[indicator.name])


def figure_row(indicator: Indicator, value, previous) -> dict:
    """One row of a figures table: the value, the same period a year earlier, the change in
    number and in percent (None when unknown or hidden)."""
    change = change_pct = None
    if isinstance(value, int | float) and isinstance(previous, int | float):
        change = round(value - previous, 1)
        if isinstance(change, float) and change.is_integer() and isinstance(value, int):
            change = int(change)
        change_pct = round(100 * (value - previous) / previous, 1) if previous else None
    return {
        "indicator": indicator,
        "name": indicator.name,
        "label": indicator.label,
        "value": value,
        "previous": previous,
        "change": change,
        "change_pct": change_pct,
    }


def figures_for(
    user, scope: Scope, *, today: datetime.date, compare: bool = True, sections=SECTIONS
) -> Figures:
    """The figures ``user`` may read for ``scope`` (whose programme came through
    ``reporting.permissions.access_programme_figures``), with the same period of the
    previous year: scoped to the households they may count, small cells protected for
    funders; those of ``sections`` (``compute``). Every page, export and API answer goes
    through here."""
    scope = dataclasses.replace(scope, households=households_counted_by(user, scope.programme))
    with caught_up():
        values = compute(scope, today=today, sections=sections)
        previous = (
            compute(scope.previous_year(), today=today, sections=sections)
            if compare
            else dict.fromkeys(values)
        )
    protected = not reads_people(user, scope.programme)
    if protected:
        values = protect_figures(values)
        previous = protect_figures(previous) if compare else previous
    return Figures(scope=scope, values=values, previous=previous, protected=protected)
