"""The incremental aggregates: written in the transaction of each write they depend on,
rebuilt for a period by ``manage.py rebuild_aggregates``.

- ``FirstSeen``: per programme, the first day each household, parent, child and
  pregnancy was seen ever, in each year and in each month;
- ``HouseholdMonth``: the sessions each household came to, per programme and month;
- ``SessionTally``: the households, parents and children present at each named session.

A household's rows are recomputed whole from its own attendance rows (a few hundred at
most) whenever one of them, one of its people or a session it came to changes, and a
session's tally from its sheet: the same function serves the save of a sheet, an edit, a
deletion, an anonymisation and the rebuild of a period, so that they cannot disagree.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from petitspas.activities.models import ActivityType, Session
from petitspas.attendance.models import Attendance
from petitspas.attendance.rules import age_band
from petitspas.core.db import analyze
from petitspas.families.models import Household, Person
from petitspas.reporting.models import FirstSeen, HouseholdMonth, SessionTally, Span, Subject

# A pregnancy is counted at the sessions its household came to in the 40 weeks before
# the due date.
PREGNANCY = datetime.timedelta(weeks=40)
BATCH = 2000


def child_band(birth_date: datetime.date | None, on: datetime.date) -> str:
    """A child's age band on a session's day: the headcount's bands
    (``attendance.rules.age_band``), from the age in months ``Person`` computes."""
    return age_band(Person(birth_date=birth_date).age_in_months(on))


def is_pregnant_on(due_date: datetime.date | None, on: datetime.date) -> bool:
    return due_date is not None and due_date - PREGNANCY <= on < due_date


def _present(**filters):
    return Attendance._base_manager.filter(status=Attendance.Status.PRESENT, **filters)


def _spans(day: datetime.date) -> tuple[tuple[str, int, int], ...]:
    return ((Span.EVER, 0, 0), (Span.YEAR, day.year, 0), (Span.MONTH, day.year, day.month))


def _household_rows(household_ids: list[int]) -> tuple[list[FirstSeen], list[HouseholdMonth]]:
    """Every aggregate row of these households, from their present attendance rows."""
    rows = _present(household_id__in=household_ids).values_list(
        "household_id",
        "person_id",
        "person__role",
        "person__birth_date",
        "session_id",
        "session__date",
        "session__activity_type__programme_id",
    )
    first: dict[tuple, tuple[datetime.date, str]] = {}
    sessions: dict[tuple, set[int]] = defaultdict(set)
    household_days: dict[tuple[int, int], set[datetime.date]] = defaultdict(set)

    def see(key, day, band=""):
        for span, year, month in _spans(day):
            full = (*key, span, year, month)
            if full not in first or day < first[full][0]:
                first[full] = (day, band)

    for household, person, role, birth, session, day, programme in rows.iterator():
        see((programme, household, None, Subject.HOUSEHOLD), day)
        if role == Person.Role.PARENT:
            see((programme, household, person, Subject.ADULT), day)
        elif role == Person.Role.CHILD:
            see((programme, household, person, Subject.CHILD), day, child_band(birth, day))
        sessions[(programme, household, day.year, day.month)].add(session)
        household_days[(programme, household)].add(day)

    expected = Person._base_manager.filter(
        household_id__in=household_ids, role=Person.Role.EXPECTED_CHILD, due_date__isnull=False
    ).values_list("household_id", "pk", "due_date")
    for household, person, due in expected:
        for (programme, seen_household), days in household_days.items():
            if seen_household != household:
                continue
            for day in days:
                if is_pregnant_on(due, day):
                    see((programme, household, person, Subject.PREGNANT), day)

    seen = [
        FirstSeen(
            programme_id=programme,
            household_id=household,
            person_id=person,
            subject=subject,
            span=span,
            year=year,
            month=month,
            seen_on=day,
            band=band,
        )
        for (programme, household, person, subject, span, year, month), (day, band) in first.items()
    ]
    months = [
        HouseholdMonth(
            programme_id=programme, household_id=household, year=year, month=month, visits=len(ids)
        )
        for (programme, household, year, month), ids in sessions.items()
    ]
    return seen, months


# In the caller's transaction (the save's): no savepoint of its own.
@transaction.atomic(savepoint=False)
def refresh_households(household_ids: Iterable[int]) -> None:
    """Recompute every aggregate row of these households (in the caller's transaction)."""
    ids = sorted(set(household_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        FirstSeen.objects.filter(household_id__in=chunk).delete()
        HouseholdMonth.objects.filter(household_id__in=chunk).delete()
        seen, months = _household_rows(chunk)
        FirstSeen.objects.bulk_create(seen, batch_size=BATCH)
        HouseholdMonth.objects.bulk_create(months, batch_size=BATCH)


@transaction.atomic(savepoint=False)
def refresh_sessions(session_ids: Iterable[int]) -> None:
    """Recompute the tally of these sessions' named sheets (none when nobody was there)."""
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
        SessionTally.objects.bulk_create(
            [
                SessionTally(
                    session_id=pk,
                    programme_id=programme,
                    site_id=site,
                    activity_type_id=activity_type,
                    date=day,
                    households=by_session[pk]["households"],
                    adults=by_session[pk]["adults"],
                    children=by_session[pk]["children"],
                )
                for pk, programme, site, activity_type, day in sessions
            ],
            batch_size=BATCH,
        )


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
