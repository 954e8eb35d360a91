"""The incremental aggregates: written in the transaction of each write they depend on,
except the save of a sheet, whose refresh is left pending and done after it
(``defer_sheet_refresh``, ``catch_up``, run by a job and before every read of the
aggregates); rebuilt for a period by ``manage.py rebuild_aggregates``.

- ``FirstSeen``: per programme, the first day each household, parent, child and
  pregnancy was seen ever, in each year and in each month;
- ``HouseholdMonth``: the sessions each household came to, per programme and month;
- ``SessionTally``: the households, parents and children present at each named session.

A household's rows are recomputed whole from its own attendance rows whenever one of
them, one of its people or a session it came to changes, and a session's tally from its
sheet: the same function serves an edit, a deletion, an anonymisation and the rebuild of a
period, so that they cannot disagree. The save of a sheet, the field's everyday write,
recomputes only what a session can change (``refresh_households_at``: the spans that hold
its day, in its programme), with the same accumulator, and writes only the rows that
differ from what is stored; a test holds both equal.
"""

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterable
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django_tasks_db import DatabaseBackend

from petitspas.activities.models import ActivityType, Session
from petitspas.attendance.models import Attendance
from petitspas.attendance.rules import age_band
from petitspas.core.db import analyze, serialize
from petitspas.core.replica import from_primary
from petitspas.families.models import Household, Person, age_in_months
from petitspas.reporting.models import (
    FirstSeen,
    HouseholdMonth,
    PendingRefresh,
    SessionTally,
    Span,
    Subject,
)

# A pregnancy is counted at the sessions its household came to in the 40 weeks before
# the due date.
PREGNANCY = datetime.timedelta(weeks=40)
BATCH = 2000
# Two refreshes of one household at once (a save's catch-up and an edit's refresh) would
# each delete the rows they see and insert theirs: twice the rows. They take turns.
REFRESH_LOCK = "reporting.aggregates.refresh"


def child_band(birth_date: datetime.date | None, on: datetime.date) -> str:
    """A child's age band on a session's day: the headcount's bands
    (``attendance.rules.age_band``), from the age in months ``Person`` computes."""
    return age_band(age_in_months(birth_date, on))


def is_pregnant_on(due_date: datetime.date | None, on: datetime.date) -> bool:
    return due_date is not None and due_date - PREGNANCY <= on < due_date


def _present(**filters):
    return Attendance._base_manager.filter(status=Attendance.Status.PRESENT, **filters)


def _spans(day: datetime.date) -> tuple[tuple[str, int, int], ...]:
    return ((Span.EVER, 0, 0), (Span.YEAR, day.year, 0), (Span.MONTH, day.year, day.month))


FIRST_SEEN_KEY = ("programme_id", "household_id", "person_id", "subject", "span", "year", "month")
FIRST_SEEN_VALUE = ("seen_on", "band")
MONTH_KEY = ("programme_id", "household_id", "year", "month")


class _FirstSeen:
    """The first day each key (programme, household, person, subject) was seen in each of
    the spans ``spans(day)`` names, whatever the order the rows come in."""

    def __init__(self, spans):
        self.spans = spans
        self.first: dict[tuple, tuple[datetime.date, str]] = {}

    def see(self, key, day, band=""):
        for span, year, month in self.spans(day):
            full = (*key, span, year, month)
            if full not in self.first or day < self.first[full][0]:
                self.first[full] = (day, band)

    def attendance(self, programme, household, person, role, birth, day):
        self.see((programme, household, None, Subject.HOUSEHOLD), day)
        if role == Person.Role.PARENT:
            self.see((programme, household, person, Subject.ADULT), day)
        elif role == Person.Role.CHILD:
            self.see((programme, household, person, Subject.CHILD), day, child_band(birth, day))

    def pregnancies(self, expected, household_days: dict[tuple[int, int], set]):
        """The ``expected`` children, seen on the days their household came
        (``household_days``: by programme and household) within the pregnancy."""
        for household, person, due in expected:
            for (programme, seen_household), days in household_days.items():
                if seen_household != household:
                    continue
                for day in days:
                    if is_pregnant_on(due, day):
                        self.see((programme, household, person, Subject.PREGNANT), day)

    def rows(self) -> list[tuple]:
        """``FirstSeen`` rows, as ``FIRST_SEEN_KEY`` then ``FIRST_SEEN_VALUE``."""
        return [(*key, *value) for key, value in self.first.items()]


def _month_rows(sessions: dict[tuple, set[int]]) -> list[tuple]:
    """``HouseholdMonth`` rows, as ``MONTH_KEY`` then the visits."""
    return [(*key, len(ids)) for key, ids in sessions.items()]


ROW_FIELDS = (
    "session__activity_type__programme_id",
    "household_id",
    "person_id",
    "person__role",
    "person__birth_date",
    "session__date",
    "session_id",
)


def _expected(household_ids) -> list[tuple[int, int, datetime.date]]:
    """(household, person, due date) of the children these households expect."""
    return list(
        Person._base_manager.filter(
            household_id__in=household_ids, role=Person.Role.EXPECTED_CHILD, due_date__isnull=False
        ).values_list("household_id", "pk", "due_date")
    )


def _household_rows(household_ids: list[int]) -> tuple[list[tuple], list[tuple]]:
    """Every aggregate row of these households, from their present attendance rows."""
    seen = _FirstSeen(_spans)
    sessions: dict[tuple, set[int]] = defaultdict(set)
    household_days: dict[tuple[int, int], set[datetime.date]] = defaultdict(set)
    rows = _present(household_id__in=household_ids).values_list(*ROW_FIELDS)
    for programme, household, person, role, birth, day, session in rows.iterator():
        seen.attendance(programme, household, person, role, birth, day)
        sessions[(programme, household, day.year, day.month)].add(session)
        household_days[(programme, household)].add(day)
    seen.pregnancies(_expected(household_ids), household_days)
    return seen.rows(), _month_rows(sessions)


# In the caller's transaction (the save's): no savepoint of its own.
@transaction.atomic(savepoint=False)
def refresh_households(household_ids: Iterable[int]) -> None:
    """Recompute every aggregate row of these households (in the caller's transaction)."""
    serialize(REFRESH_LOCK)
    ids = sorted(set(household_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        FirstSeen.objects.filter(household_id__in=chunk).delete()
        HouseholdMonth.objects.filter(household_id__in=chunk).delete()
        seen, months = _household_rows(chunk)
        _insert(FirstSeen, (*FIRST_SEEN_KEY, *FIRST_SEEN_VALUE), seen)
        _insert(HouseholdMonth, (*MONTH_KEY, "visits"), months)


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain rows into ``model``'s table, in multi-row INSERTs: the aggregates have no
    save logic, and ``bulk_create`` builds a model instance and prepares every value of
    every row (about 80 µs a row: most of a sheet's save when it wrote them all, and two
    thirds of a rebuild)."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    dates = [i for i, field in enumerate(columns) if field.get_internal_type() == "DateField"]
    if dates:
        rows = [list(row) for row in rows]
        for row in rows:
            for i in dates:
                row[i] = connection.ops.adapt_datefield_value(row[i])
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, connection.ops.bulk_batch_size(columns, rows))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                head + "VALUES " + ", ".join([one] * len(chunk)),
                [value for row in chunk for value in row],
            )


def _write_changes(model, existing, wanted: dict[tuple, tuple], key_fields, value_fields) -> None:
    """Make the rows of ``existing`` (a queryset: every row the recomputation covers) equal
    to ``wanted`` (key -> values): rows already right stay, the others are deleted by id,
    the missing ones inserted. A save changes few of its households' rows (the month's,
    a first visit): writing only those is what keeps it cheap."""
    missing = dict(wanted)
    stale = []
    for pk, *row in existing.values_list("pk", *key_fields, *value_fields).order_by():
        key, values = tuple(row[: len(key_fields)]), tuple(row[len(key_fields) :])
        if missing.get(key) == values:
            del missing[key]
        else:
            stale.append(pk)
    if stale:
        model.objects.filter(pk__in=stale).delete()
    _insert(model, (*key_fields, *value_fields), [(*k, *v) for k, v in missing.items()])


@transaction.atomic(savepoint=False)
def refresh_households_at(
    household_ids: Iterable[int], *, programme_id: int, day: datetime.date
) -> None:
    """What the sheet of a session of ``programme_id`` on ``day`` can change: these
    households' first-seen rows ever, in that year and in that month, and their visits that
    month, in that programme. The same rows as ``refresh_households`` (a test holds them
    equal), read from that year's attendance rows and each person's first day ever instead
    of the households' whole history, and written where they differ from what is stored:
    a save costs the same in the tenth year."""
    serialize(REFRESH_LOCK)
    ids = sorted(set(household_ids))
    year, month = day.year, day.month

    def spans(seen_on: datetime.date):
        kept = [(Span.EVER, 0, 0)]
        if seen_on.year == year:
            kept.append((Span.YEAR, year, 0))
            if seen_on.month == month:
                kept.append((Span.MONTH, year, month))
        return kept

    present = _present(household_id__in=ids, session__activity_type__programme_id=programme_id)
    seen = _FirstSeen(spans)
    # Ever: each person's first day is enough (the household's is the least of them).
    firsts = (
        present.values("household_id", "person_id", "person__role", "person__birth_date")
        .annotate(first=Min("session__date"))
        .order_by()
        .values_list("household_id", "person_id", "person__role", "person__birth_date", "first")
    )
    for household, person, role, birth, first in firsts:
        seen.attendance(programme_id, household, person, role, birth, first)
    # The year and the month: every row of that year.
    sessions: dict[tuple, set[int]] = defaultdict(set)
    in_year = present.filter(
        session__date__gte=datetime.date(year, 1, 1), session__date__lte=datetime.date(year, 12, 31)
    ).values_list(*ROW_FIELDS)
    for programme, household, person, role, birth, seen_on, session in in_year.iterator():
        seen.attendance(programme, household, person, role, birth, seen_on)
        if seen_on.month == month:
            sessions[(programme, household, year, month)].add(session)
    # Pregnancies, ever: every day the households that expect a child came.
    expected = _expected(ids)
    expecting = {household for household, _person, _due in expected}
    if expecting:
        household_days: dict[tuple[int, int], set[datetime.date]] = defaultdict(set)
        for household, seen_on in (
            present.filter(household_id__in=sorted(expecting))
            .values_list("household_id", "session__date")
            .distinct()
            .order_by()
        ):
            household_days[(programme_id, household)].add(seen_on)
        seen.pregnancies(expected, household_days)
    _write_changes(
        FirstSeen,
        FirstSeen.objects.filter(
            Q(span=Span.EVER)
            | Q(span=Span.YEAR, year=year)
            | Q(span=Span.MONTH, year=year, month=month),
            programme_id=programme_id,
            household_id__in=ids,
        ),
        seen.first,
        FIRST_SEEN_KEY,
        FIRST_SEEN_VALUE,
    )
    _write_changes(
        HouseholdMonth,
        HouseholdMonth.objects.filter(
            programme_id=programme_id, household_id__in=ids, year=year, month=month
        ),
        {key: (len(visits),) for key, visits in sessions.items()},
        MONTH_KEY,
        ("visits",),
    )


@transaction.atomic(savepoint=False)
def refresh_sessions(session_ids: Iterable[int]) -> None:
    """Recompute the tally of these sessions' named sheets (none when nobody was there)."""
    serialize(REFRESH_LOCK)
    ids = sorted(set(session_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        SessionTally.objects.filter(session_id__in=chunk).delete()
        counts = (
            _present(session_id__in=chunk)
            .values("session_id")
            .annotate(
                households=Count("household_id", distinct=True),
                adults=Count("pk", filter=Q(person__role=Person.Role.PARENT)),
                children=Count("pk", filter=Q(person__role=Person.Role.CHILD)),
            )
            .order_by()
        )
        by_session = {row["session_id"]: row for row in counts}
        sessions = Session._base_manager.filter(pk__in=list(by_session)).values_list(
            "pk", "activity_type__programme_id", "site_id", "activity_type_id", "date"
        )
        counted = ("households", "adults", "children")
        _insert(
            SessionTally,
            ("session_id", "programme_id", "site_id", "activity_type_id", "date", *counted),
            [
                (*session, *(by_session[session[0]][field] for field in counted))
                for session in sessions
            ],
        )


def defer_sheet_refresh(session_id: int, household_ids: Iterable[int]) -> None:
    """What a sheet's save does for the figures, in its own transaction: a
    ``PendingRefresh`` row, and the refresh job queued once the save is committed.

    Refreshing there and then cost about 15 ms of a 37 ms save at town scale (the
    households' first-seen rows of three spans, their month, the session's tally), three
    times the bare insert of the sheet's rows on its own. The figures do not wait for the
    job: every read of the aggregates first catches up (``catch_up``)."""
    PendingRefresh.objects.create(session_id=session_id, households=sorted(set(household_ids)))
    _queue_refresh()


def _queue_refresh() -> None:
    """A queue kept in the database takes the job in the save's own transaction: no second
    commit, and never a committed save without its job. Another backend (the immediate
    one of development and tests runs the job at once) gets it once the save is
    committed, so that the job sees the save's rows."""
    from petitspas.reporting.tasks import refresh_aggregates  # tasks import the figures

    if isinstance(refresh_aggregates.get_backend(), DatabaseBackend):
        refresh_aggregates.enqueue()
    else:
        transaction.on_commit(refresh_aggregates.enqueue)


# Set within ``caught_up()``: the reads there were preceded by a catch-up.
_CAUGHT_UP = ContextVar("petitspas_aggregates_caught_up", default=False)


@contextlib.contextmanager
def caught_up():
    """Catch up once, then let every read within skip its own check: one page's figures
    (an organisation's dashboard read the aggregates 26 times, each after a query of its
    own to the pending saves). A save committed while they are computed shows at the next
    page, as one committed just after would."""
    if _CAUGHT_UP.get():
        yield
        return
    catch_up()
    token = _CAUGHT_UP.set(True)
    try:
        yield
    finally:
        _CAUGHT_UP.reset(token)


def catch_up() -> int:
    """Refresh what the sheets saved since the last catch-up changed, the oldest first:
    their households' spans that hold each session's day (``refresh_households_at``) and
    the sessions' tallies. Called by the refresh job and before every read of the
    aggregates (but within ``caught_up()``, done once), so that no figure misses a
    committed save. Reads the primary, where the rows it reads and writes are (a replica
    may lag). Returns the number of saves caught up; a second caller waits for the first
    one's rows (locked) and finds them done."""
    if _CAUGHT_UP.get():
        return 0
    with from_primary():
        if not PendingRefresh.objects.exists():
            return 0
        with transaction.atomic():
            pending = list(
                PendingRefresh.objects.select_for_update()
                .order_by("pk")
                .values_list("pk", "session_id", "households")
            )
            households: dict[int, set[int]] = defaultdict(set)
            for _pk, session_id, ids in pending:
                households[session_id].update(ids)
            # Read now, not at the save: the session may have moved since.
            days = Session._base_manager.filter(pk__in=list(households)).values_list(
                "pk", "activity_type__programme_id", "date"
            )
            for session_id, programme_id, day in days:
                refresh_households_at(households[session_id], programme_id=programme_id, day=day)
            refresh_sessions(list(households))
            PendingRefresh.objects.filter(pk__in=[pk for pk, *_ in pending]).delete()
    return len(pending)


def households_at(session_ids: Iterable[int]) -> set[int]:
    return set(
        Attendance._base_manager.filter(session_id__in=list(session_ids)).values_list(
            "household_id", flat=True
        )
    )


@transaction.atomic
def rebuild(start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Rebuild the aggregates of the sessions held from ``start`` to ``end``, rounded out
    to whole years (a year's first-seen rows depend on the whole year): idempotent, run it
    again and nothing changes. Every household seen in those years is recomputed whole,
    so that its first visit ever stays right; rows left by deleted attendance are removed.
    """
    first_day = datetime.date(start.year, 1, 1)
    last_day = datetime.date(end.year, 12, 31)
    in_period = {"session__date__gte": first_day, "session__date__lte": last_day}
    households = set(
        _present(**in_period).values_list("household_id", flat=True).distinct().order_by()
    )
    stale = set(
        FirstSeen.objects.filter(span=Span.YEAR, year__gte=first_day.year, year__lte=last_day.year)
        .values_list("household_id", flat=True)
        .distinct()
        .order_by()
    )
    refresh_households(households | stale)
    sessions = set(
        Session._base_manager.filter(date__gte=first_day, date__lte=last_day).values_list(
            "pk", flat=True
        )
    )
    refresh_sessions(sessions)
    return {
        "households": len(households),
        "sessions": SessionTally.objects.filter(date__gte=first_day, date__lte=last_day).count(),
    }


def rebuild_all() -> dict[str, int]:
    """Every year that has a session: what a bulk loader calls after writing its rows.

    The rows were just written in bulk: the planner's statistics are refreshed first, or
    it takes the attendance tables for a row or two and reads them with nested loops (a
    single FETCH of the demo's rebuild then ran for over a minute on PostgreSQL)."""
    analyze(Attendance, Person, Session, Household, ActivityType)
    days = Session._base_manager.order_by("date").values_list("date", flat=True)
    first, last = days.first(), days.reverse().first()
    if first is None:
        return {"households": 0, "sessions": 0}
    return rebuild(first, last)
