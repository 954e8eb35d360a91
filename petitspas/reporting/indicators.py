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
- the visits per household read ``HouseholdMonth`` for whole months, the rows otherwise;
- sessions held and cancelled, hours and capacity read the sessions; the people present
  at each session read ``SessionTally`` (named sheets) and ``attendance.Headcount``
  (anonymous ones).

Anonymous headcounts are visits: they are reported apart and never added to distinct
counts. Every figure starts from the user's scope: a professional's counts only the
households they may open (``Household.objects.visible_to``); admins, coordinators and
funders count every household of the programme, anonymised ones included (their
attendance rows stay for the figures).

Childcare (half-days booked, used, no-shows, occupancy of the places) and referrals
(received, accepted, refused by reason, delay) will be added as two more sections here.
"""

import dataclasses
import datetime
import statistics
from collections import Counter, defaultdict

from django.db.models import Count, Min, Sum

from petitspas.activities.models import RegistrationMode, Session
from petitspas.attendance.models import Attendance, Headcount
from petitspas.core.scoping import active_memberships
from petitspas.families.models import Household, Person
from petitspas.organisations.models import PLANNER_ROLES, Role
from petitspas.reporting.aggregates import child_band, is_pregnant_on
from petitspas.reporting.models import FirstSeen, HouseholdMonth, SessionTally, Span, Subject
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
    # people (distinct reach, protected under 5), visits (headcounts, protected too),
    # sessions, hours, per_session, percent.
    unit: str
    section: str

    @property
    def protected(self) -> bool:
        return self.unit in ("people", "visits")


REACH, REGULARITY, ACTIVITY, HEADCOUNTS = (
    "Familles touchées",
    "Régularité",
    "Activité",
    "Accueils anonymes (venues)",
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
)
BY_NAME = {indicator.name: indicator for indicator in INDICATORS}

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
)
# A figure computed from another one is hidden with it.
DERIVED = {"share_seen_3_months": "households_seen_3_months"}

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


def _whole_months(scope: Scope) -> bool:
    return not scope.cut and scope.start.day == 1 and scope.end == _month_end(scope.end)


# --- Reach: distinct households, parents, children, pregnant women ---------------------


def reach(scope: Scope) -> dict:
    span = _span(scope)
    figures = _reach_from_first_seen(scope, span) if span else _reach_from_rows(scope)
    bands = {name: figures.get(name, 0) for name in BANDS.values()}
    figures.update(bands)
    figures["children_reached_under_6"] = sum(bands.values()) - bands["children_reached_6_plus"]
    figures["returning_households"] = figures["households_reached"] - figures["new_households"]
    return figures


def _reach_from_first_seen(scope: Scope, span: str) -> dict:
    def seen(span_):
        rows = FirstSeen.objects.filter(
            programme=scope.programme,
            span=span_,
            seen_on__gte=scope.start,
            seen_on__lte=scope.end,
        )
        return _households_filter(rows, scope, "household")

    counts = seen(span).values_list("subject", "band").annotate(n=Count("pk")).order_by()
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
    rows = _present_rows(scope)
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
    before = (
        Attendance._base_manager.filter(
            status=Attendance.Status.PRESENT,
            session__activity_type__programme=scope.programme,
            session__date__lt=scope.start,
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


# --- Regularity: visits per household, months seen -------------------------------------


def regularity(scope: Scope) -> dict:
    """Visits are the sessions a household came to (someone of it present)."""
    months = _whole_months(scope)
    per_household = _visits_from_months(scope) if months else _visits_from_rows(scope)
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


def _visits_from_months(scope: Scope) -> list[tuple[int, int]]:
    start = scope.start.year * 100 + scope.start.month
    end = scope.end.year * 100 + scope.end.month
    rows = HouseholdMonth.objects.filter(programme=scope.programme, year__gte=scope.start.year)
    rows = rows.filter(year__lte=scope.end.year)
    rows = _households_filter(rows, scope, "household")
    per_household = defaultdict(lambda: [0, 0])
    for household, year, month, visits in rows.values_list(
        "household_id", "year", "month", "visits"
    ):
        if start <= year * 100 + month <= end:
            per_household[household][0] += visits
            per_household[household][1] += 1
    return [tuple(pair) for pair in per_household.values()]


def _visits_from_rows(scope: Scope) -> list[tuple[int, int]]:
    sessions = defaultdict(set)
    months = defaultdict(set)
    for household, session, day in (
        _present_rows(scope).values_list("household_id", "session_id", "session__date").distinct()
    ):
        sessions[household].add(session)
        months[household].add((day.year, day.month))
    return [(len(sessions[h]), len(months[h])) for h in sessions]


# --- Activity: sessions held and cancelled, hours, attendance, occupancy ---------------


def _sessions(scope: Scope):
    sessions = Session._base_manager.filter(
        activity_type__programme=scope.programme, date__gte=scope.start, date__lte=scope.end
    )
    if scope.site_id is not None:
        sessions = sessions.filter(site_id=scope.site_id)
    if scope.activity_type_id is not None:
        sessions = sessions.filter(activity_type_id=scope.activity_type_id)
    if scope.town:
        sessions = sessions.filter(site__town=scope.town)
    return sessions


def activity(scope: Scope, *, today: datetime.date) -> dict:
    """A session is held when it was not cancelled and its day has come."""
    sessions = _sessions(scope)
    held = list(
        sessions.filter(date__lte=today)
        .exclude(status=Session.Status.CANCELLED)
        .values_list(
            "pk",
            "start_time",
            "end_time",
            "capacity",
            "activity_type__default_capacity",
            "activity_type__registration_mode",
        )
    )
    minutes = sum(_minutes(start, end) for _pk, start, end, *_rest in held)
    people, households = _people_per_session(scope, [row[0] for row in held])
    recorded = [people[pk] for pk, *_rest in held if pk in people]
    places = present = 0
    for pk, _start, _end, capacity, default_capacity, mode in held:
        limit = None if mode == RegistrationMode.OPEN else (capacity or default_capacity)
        if limit and pk in people:
            places += limit
            present += households.get(pk, 0)
    return {
        "sessions_held": len(held),
        "sessions_cancelled": sessions.filter(status=Session.Status.CANCELLED).count(),
        "hours_open": round(minutes / 60, 1),
        "sessions_recorded": len(recorded),
        "mean_attendance": round(statistics.fmean(recorded), 1) if recorded else None,
        "median_attendance": statistics.median(recorded) if recorded else None,
        "occupancy": round(100 * present / places, 1) if places else None,
    }


def _minutes(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _people_per_session(scope: Scope, session_ids: list[int]) -> tuple[dict, dict]:
    """People present at each session (named sheet and anonymous headcount), and the
    households present on named sheets."""
    people, households = Counter(), Counter()
    if scope.households is None and not scope.town:
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


# --- All of them -----------------------------------------------------------------------


def compute(scope: Scope, *, today: datetime.date) -> dict:
    """Every indicator of the scope, by name, in the order of ``INDICATORS``."""
    figures = {
        **reach(scope),
        **regularity(scope),
        **activity(scope, today=today),
        **headcounts(scope),
    }
    return {indicator.name: figures[indicator.name] for indicator in INDICATORS}


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

    def rows(self):
        """One row per indicator: the indicator, this period, the previous year, the
        change in number and in percent (None when unknown or hidden)."""
        for indicator in INDICATORS:
            yield _row(indicator, self.values[indicator.name], self.previous[indicator.name])


def _row(indicator: Indicator, value, previous) -> dict:
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


def figures_for(user, scope: Scope, *, today: datetime.date, compare: bool = True) -> Figures:
    """The figures ``user`` may read for ``scope`` (whose programme came through
    ``reporting.permissions.access_programme_figures``), with the same period of the
    previous year: scoped to the households they may count, small cells protected for
    funders. Every page, export and API answer goes through here."""
    scope = dataclasses.replace(scope, households=households_counted_by(user, scope.programme))
    values = compute(scope, today=today)
    previous = compute(scope.previous_year(), today=today) if compare else dict.fromkeys(values)
    protected = not reads_people(user, scope.programme)
    if protected:
        values = protect_figures(values)
        previous = protect_figures(previous) if compare else previous
    return Figures(scope=scope, values=values, previous=previous, protected=protected)
