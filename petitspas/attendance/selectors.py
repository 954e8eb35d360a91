"""Reads for the field screens. Each starts from ``visible_to``."""

import dataclasses
import datetime
import string
from collections.abc import Iterable, Mapping

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from petitspas.activities.models import Session
from petitspas.activities.selectors import sessions_staffed_or_planned
from petitspas.attendance.models import (
    Attendance,
    Headcount,
    Observation,
    PlaceRequest,
    Registration,
    Submission,
)
from petitspas.attendance.rules import ATTENDING_ROLES, age_band, attending_people
from petitspas.core.bounds import search_text
from petitspas.core.db import is_possible_id
from petitspas.core.offline import OFFLINE_DAYS
from petitspas.families.models import Household, Person
from petitspas.families.selectors import households_matching, people_in_order

# A household present at two sessions of the series in this window is expected again, even
# unregistered: the teams know their regulars and want them on the list (seed 000).
REGULAR_WINDOW = datetime.timedelta(days=90)
REGULAR_MIN_SESSIONS = 2
SEARCH_LIMIT = 8


def _sessions_of(user, *, days: tuple[datetime.date, datetime.date]):
    """The user's sessions of those days (``sessions_staffed_or_planned``), with
    ``is_recorded``: whether anything was saved on the sheet."""
    return (
        sessions_staffed_or_planned(user, days=days)
        .select_related("activity_type", "site")
        .annotate(
            is_recorded=Exists(Attendance.objects.filter(session=OuterRef("pk")))
            | Exists(Headcount.objects.filter(session=OuterRef("pk")))
            | Exists(Submission.objects.filter(session=OuterRef("pk"), kind=Submission.RECORD)),
        )
    )


def sessions_today(*, user, today: datetime.date | None = None):
    """Today's sessions the user staffs; admins and coordinators also get every session of
    their organisations. Cancelled ones stay listed (with their reason) so nobody travels."""
    today = today or timezone.localdate()
    return _sessions_of(user, days=(today, today)).order_by("start_time", "site__name", "pk")


def sessions_offline(*, user, today: datetime.date | None = None):
    """The sessions whose sheets a phone keeps for offline use: those the user staffs,
    held (not cancelled), from today to ``OFFLINE_DAYS`` days ahead (today included), in
    the order of the day. Only the user's own: an admin's whole organisation is not carried
    around on a phone."""
    today = today or timezone.localdate()
    return (
        _sessions_of(user, days=(today, today + datetime.timedelta(days=OFFLINE_DAYS - 1)))
        .filter(is_staffed=True, status=Session.Status.PLANNED)
        .order_by("date", "start_time", "pk")
    )


def is_kept_offline(session: Session, *, today: datetime.date | None = None) -> bool:
    """Whether a sheet is one of the coming week's, which a phone may keep offline."""
    today = today or timezone.localdate()
    return today <= session.date < today + datetime.timedelta(days=OFFLINE_DAYS)


# How far back the "À saisir" list looks: a sheet left for longer is no longer a reminder
# but a gap, which the reports show.
TO_RECORD_WINDOW = datetime.timedelta(days=30)


def sessions_to_record(*, user, today: datetime.date | None = None):
    """The past sessions, over the last 30 days, that were held (not cancelled) and have
    nothing saved on their sheet: those the user staffs, and for admins and coordinators
    those of their organisations. Most recent first."""
    today = today or timezone.localdate()
    return (
        _sessions_of(user, days=(today - TO_RECORD_WINDOW, today - datetime.timedelta(days=1)))
        .filter(status=Session.Status.PLANNED, is_recorded=False)
        .order_by("-date", "start_time", "site__name", "pk")
    )


def _count_of(status: str):
    return Coalesce(
        Subquery(
            Registration.objects.filter(session=OuterRef("pk"), status=status)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def with_registered(sessions):
    """Adds ``registered`` (households registered, confirmed), ``offered`` (a freed place
    offered to them) and ``waiting`` (on the waiting list): numbers, never who (correlated
    subqueries, so the sessions' query stays one query, other joins do not multiply the
    counts, and counting pages, which drops unused annotations, does not count the
    registrations of every session)."""
    return sessions.annotate(
        registered=_count_of(Registration.Status.CONFIRMED),
        offered=_count_of(Registration.Status.OFFERED),
        waiting=_count_of(Registration.Status.WAITING),
    )


def regular_household_ids(*, session: Session):
    """Households present at ``REGULAR_MIN_SESSIONS`` sessions or more of the same series
    in the ``REGULAR_WINDOW`` before this one (a subquery of household ids)."""
    if session.series_id is None:
        return Household.objects.none().values("pk")
    return (
        Attendance.objects.filter(
            session__series_id=session.series_id,
            session__date__gte=session.date - REGULAR_WINDOW,
            session__date__lt=session.date,
            status=Attendance.Status.PRESENT,
        )
        .values("household_id")
        .annotate(sessions=Count("session_id", distinct=True))
        .filter(sessions__gte=REGULAR_MIN_SESSIONS)
        .values("household_id")
    )


@dataclasses.dataclass(frozen=True)
class FamilyRow:
    """One household on the field sheet, by its code and first names, never a surname."""

    REGISTERED = "registered"
    REGULAR = "regular"
    WALK_IN = "walk_in"
    ORIGIN_LABELS = {REGISTERED: "Inscrite", REGULAR: "Habituée", WALK_IN: "Sans inscription"}

    pk: int
    code: str
    first_names: str
    origin: str
    status: str = ""
    is_walk_in: bool = False
    # Who a save counts when the household is marked present, by total (``SessionTotals``
    # names): the sheet adds them up as boxes are ticked.
    counts: tuple[tuple[str, int], ...] = ()

    @property
    def origin_label(self) -> str:
        return self.ORIGIN_LABELS[self.origin]

    @property
    def counts_data(self) -> str:
        """``counts`` for a data attribute: ``adults:2 children_1_3:1``."""
        return " ".join(f"{name}:{n}" for name, n in self.counts)

    @classmethod
    def of(
        cls,
        household: Household,
        *,
        origin: str = WALK_IN,
        on: datetime.date | None = None,
        **state,
    ) -> "FamilyRow":
        """``on``: the session's date, for ``counts`` (the members attending that day and
        the children's age bands); no counts without it."""
        people = getattr(household, "attending_people", None)
        if people is None:
            people = [p for p in household.people.all() if p.role in ATTENDING_ROLES]
        names = [p.first_name for p in people if p.first_name]
        return cls(
            pk=household.pk,
            code=household.code,
            first_names=", ".join(names),
            origin=origin,
            counts=_counts(people, on) if on else (),
            **state,
        )


def _counts(people, on: datetime.date) -> tuple[tuple[str, int], ...]:
    """The people a save records for a household marked present ``on`` that day
    (``attending_people``), counted as ``SessionTotals`` counts them."""
    counts: dict[str, int] = {}
    for person in attending_people(people, on=on):
        name = "adults" if person.role == Person.Role.PARENT else age_band(person.age_in_months(on))
        counts[name] = counts.get(name, 0) + 1
    return tuple(sorted(counts.items()))


@dataclasses.dataclass(frozen=True)
class SessionTotals:
    """What a session counted: named attendance (present only) plus the anonymous count."""

    families: int = 0
    adults: int = 0
    pregnant_women: int = 0
    children_under_1: int = 0
    children_1_3: int = 0
    children_3_6: int = 0
    children_other: int = 0  # 6 and over, or age unknown
    first_visits: int = 0

    @property
    def children(self) -> int:
        return self.children_under_1 + self.children_1_3 + self.children_3_6 + self.children_other

    @property
    def people(self) -> int:
        return self.adults + self.children

    @classmethod
    def of(
        cls, *, session: Session, attendances: Iterable[Attendance], headcount: Headcount | None
    ) -> "SessionTotals":
        counts = {f.name: 0 for f in dataclasses.fields(cls) if f.name != "families"}
        households = set()
        for row in attendances:
            if row.status != Attendance.Status.PRESENT:
                continue
            households.add(row.household_id)
            person = row.person
            if person.role == Person.Role.PARENT:
                counts["adults"] += 1
            elif person.role == Person.Role.CHILD:
                counts[age_band(person.age_in_months(session.date))] += 1
        if headcount is not None:
            for name in Headcount.COUNTERS:
                counts[name] += getattr(headcount, name)
        return cls(families=len(households), **counts)


@dataclasses.dataclass(frozen=True)
class RecordSheet:
    rows: list[FamilyRow]
    headcount: Headcount | None
    observations: list[Observation]
    totals: SessionTotals


def _attending_people():
    return Prefetch(
        "people",
        queryset=people_in_order().filter(role__in=ATTENDING_ROLES),
        to_attr="attending_people",
    )


def households_expected_at(session: Session):
    """The households a session's sheet lists to whoever may record the session, met
    before or not: registered, regulars of its series (``regular_household_ids``) and
    those already recorded there. The sheet is where its staff meet the families; the
    caller has checked the user may record the session (``access_sheet``)."""
    return Household.objects.of_organisation(session.organisation_id).filter(
        Q(pk__in=Registration.objects.confirmed().filter(session=session).values("household_id"))
        | Q(pk__in=regular_household_ids(session=session))
        | Q(pk__in=Attendance.objects.filter(session=session).values("household_id"))
    )


def households_admitted_at(*, user, session: Session, codes: Mapping[int, str] | None = None):
    """The households ``user`` may add to, or mark on, a session's sheet: those expected
    there, the files the user may open, and a household whose whole code the request
    carries (``codes``: id -> code, the code a family gave). Anything else, another
    organisation's household, an unknown id or a household of the organisation the user
    has never met, is refused alike, so that posting ids cannot list households."""
    admitted = Q(pk__in=households_expected_at(session).values("pk")) | Q(
        pk__in=Household.objects.visible_to(user).values("pk")
    )
    for pk, code in (codes or {}).items():
        if is_possible_id(pk):
            admitted |= Q(pk=pk, code__iexact=" ".join(code.split()))
    return Household.objects.of_organisation(session.organisation_id).filter(admitted)


def record_sheet(
    *,
    user,
    session: Session,
    extra_household_ids: Iterable[int] = (),
    codes: Mapping[int, str] | None = None,
) -> RecordSheet:
    """Everything the field sheet shows, in a fixed number of queries: the expected
    households (``households_expected_at``), with ``extra_household_ids`` (walk-ins being
    added) among those ``households_admitted_at`` lets the user add (``codes``: the whole
    codes the request carries), each with its recorded status; the headcount,
    observations and totals."""
    attendances = list(
        Attendance.objects.filter(session=session).select_related("person").order_by("pk")
    )
    recorded = {row.household_id: row for row in attendances}
    regulars = regular_household_ids(session=session)
    shown = Q(pk__in=households_expected_at(session).values("pk"))
    extras = [pk for pk in extra_household_ids if is_possible_id(pk) and pk not in recorded]
    if extras:
        shown |= Q(
            pk__in=households_admitted_at(user=user, session=session, codes=codes)
            .filter(pk__in=extras)
            .values("pk")
        )
    households = (
        Household.objects.of_organisation(session.organisation_id)
        .filter(shown)
        .annotate(
            is_registered=Exists(
                Registration.objects.confirmed().filter(session=session, household=OuterRef("pk"))
            ),
            is_regular=ExpressionWrapper(Q(pk__in=regulars), output_field=BooleanField()),
        )
        .prefetch_related(_attending_people())
    )
    rows = []
    for household in households:
        origin = (
            FamilyRow.REGISTERED
            if household.is_registered
            else FamilyRow.REGULAR
            if household.is_regular
            else FamilyRow.WALK_IN
        )
        mark = recorded.get(household.pk)
        rows.append(
            FamilyRow.of(
                household,
                origin=origin,
                on=session.date,
                status=mark.status if mark else "",
                is_walk_in=mark.is_walk_in if mark else False,
            )
        )
    rows.sort(key=lambda row: (row.origin == FamilyRow.WALK_IN, row.code))
    headcount = Headcount.objects.filter(session=session).first()
    return RecordSheet(
        rows=rows,
        headcount=headcount,
        observations=list(Observation.objects.filter(session=session).select_related("author")),
        totals=SessionTotals.of(session=session, attendances=attendances, headcount=headcount),
    )


_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def _same_code(typed: str, code: str) -> bool:
    """Whether ``typed`` is the whole ``code`` up to ASCII case and spacing: a match both
    databases' ``iexact`` (``Household.objects.with_whole_code``) also make, so that
    answering it here admits nothing the query would refuse."""
    return " ".join(typed.split()).translate(_ASCII_UPPER) == code.translate(_ASCII_UPPER)


def households_admitted_among(
    *, user, session: Session, households: Mapping[int, str], codes: Mapping[int, str] | None
) -> set[int]:
    """Those of ``households`` (id -> code, open files of the session's organisation) that
    ``households_admitted_at`` admits, asking the cheapest rule first, each for the
    households still undecided: the whole code typed (compared here, no query), then being
    expected at the session (a few rows of that session), and only then
    ``households_admitted_at`` itself, whose files-met-by-the-user subquery reads every
    household the user ever met. The same set as ``households_admitted_at`` alone (a test
    holds them equal), at the cost of the rules actually needed."""
    codes = codes or {}
    admitted = {
        pk
        for pk, code in households.items()
        if isinstance(codes.get(pk), str) and _same_code(codes[pk], code)
    }
    rest = set(households) - admitted
    if rest:
        admitted |= set(
            households_expected_at(session).filter(pk__in=rest).values_list("pk", flat=True)
        )
        rest -= admitted
    if rest:
        admitted |= set(
            households_admitted_at(
                user=user, session=session, codes={pk: codes[pk] for pk in rest if pk in codes}
            )
            .filter(pk__in=rest)
            .values_list("pk", flat=True)
        )
    return admitted


def households_refused_at(
    *, user, session: Session, household_ids: Iterable[int], codes: Mapping[int, str] | None
) -> list[int]:
    """The ids among ``household_ids`` that ``households_admitted_at`` does not admit (an
    id no database key can hold is refused without a query)."""
    wanted = set(household_ids)
    possible = {pk for pk in wanted if is_possible_id(pk)}
    admitted = set()
    if possible:
        households = dict(
            Household.objects.of_organisation(session.organisation_id)
            .filter(pk__in=possible)
            .values_list("pk", "code")
        )
        admitted = households_admitted_among(
            user=user, session=session, households=households, codes=codes
        )
    return sorted(wanted - admitted)


def walk_in_candidates(*, user, session: Session, query: str) -> list[FamilyRow]:
    """Households matching a code or a first name (accents aside), to add as walk-ins:
    among the files the user may open, plus, in the session's organisation, the household
    whose whole code was typed (a family first met by a colleague gives its code; see
    docs/architecture.md, "Need-to-know on the sheet", for what this reveals)."""
    query = search_text(query)
    if not query:
        return []
    in_organisation = Household.objects.of_organisation(session.organisation_id)
    openable = Household.objects.visible_to(user).values("pk")
    by_code = in_organisation.with_whole_code(query).values("pk")
    candidates = in_organisation.filter(Q(pk__in=openable) | Q(pk__in=by_code))
    households = households_matching(candidates, query)[:SEARCH_LIMIT]
    return [
        FamilyRow.of(household, on=session.date, status=Attendance.Status.PRESENT, is_walk_in=True)
        for household in households
    ]


@dataclasses.dataclass(frozen=True)
class RegistrationRow:
    """A registration on the session's registrations page: the household by its code and
    first names, never a surname."""

    pk: int
    status: str
    family: FamilyRow
    created_at: datetime.datetime
    offered_at: datetime.datetime | None
    position: int | None = None  # on the waiting list, from 1


@dataclasses.dataclass(frozen=True)
class SessionRegistrations:
    confirmed: list[RegistrationRow]
    offered: list[RegistrationRow]
    waiting: list[RegistrationRow]
    declined: list[RegistrationRow]
    requests: list  # pending PlaceRequest rows, oldest first


def session_registrations(*, session: Session) -> SessionRegistrations:
    """Every registration of a session, by state (the waiting list in order), and the
    places asked for from the public agenda still to answer. Shown to whoever may record
    the session (``access_sheet``), as its sheet lists the households expected there."""
    rows = (
        Registration.objects.filter(session=session)
        .select_related("household")
        .prefetch_related(
            Prefetch(
                "household__people",
                queryset=people_in_order().filter(role__in=ATTENDING_ROLES),
                to_attr="attending_people",
            )
        )
        .order_by("created_at", "pk")
    )
    by_status: dict[str, list[RegistrationRow]] = {s: [] for s in Registration.Status.values}
    for row in rows:
        waiting = row.status == Registration.Status.WAITING
        by_status[row.status].append(
            RegistrationRow(
                pk=row.pk,
                status=row.status,
                family=FamilyRow.of(row.household, origin=FamilyRow.REGISTERED),
                created_at=row.created_at,
                offered_at=row.offered_at,
                position=len(by_status[row.status]) + 1 if waiting else None,
            )
        )
    by_code = sorted(by_status[Registration.Status.CONFIRMED], key=lambda r: r.family.code)
    return SessionRegistrations(
        confirmed=by_code,
        offered=by_status[Registration.Status.OFFERED],
        waiting=by_status[Registration.Status.WAITING],
        declined=by_status[Registration.Status.DECLINED],
        requests=list(PlaceRequest.objects.pending().filter(session=session)),
    )


def pending_requests_of(*, user, programme, today: datetime.date | None = None):
    """The requests for a place still to answer at the programme's sessions to come, that
    ``user`` may read (``PlaceRequest.objects.visible_to``), by session."""
    today = today or timezone.localdate()
    return (
        PlaceRequest.objects.visible_to(user)
        .pending()
        .filter(session__activity_type__programme=programme, session__date__gte=today)
        .select_related("session__activity_type", "session__site")
        .order_by("session__date", "session__start_time", "session_id", "created_at", "pk")
    )


@dataclasses.dataclass(frozen=True)
class Places:
    """A session's places: its limit (None: unlimited), the households registered, offered
    a freed place and waiting, and what is left (``Session.places_left``, the one
    computation)."""

    limit: int | None
    registered: int
    offered: int
    waiting: int
    left: int | None


def places_of(session: Session) -> Places:
    """The places of one session (one query)."""
    counted = with_registered(Session.objects.filter(pk=session.pk)).values(
        "registered", "offered", "waiting"
    )
    counts = counted.first() or {"registered": 0, "offered": 0, "waiting": 0}
    for name, value in counts.items():
        setattr(session, name, value)
    return Places(limit=session.place_limit, left=session.places_left, **counts)
