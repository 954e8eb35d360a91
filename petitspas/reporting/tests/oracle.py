"""The oracle: the indicators in plain SQL over the raw attendance rows, written apart
from the code under test. The aggregates must always give the same figures."""

import datetime
from collections import Counter, defaultdict

from django.db import connection

PRESENT_ROWS = """
    SELECT a.household_id, a.person_id, p.role, p.birth_date, s.id, s.date
    FROM attendance_attendance a
    JOIN activities_session s ON s.id = a.session_id
    JOIN activities_activitytype t ON t.id = s.activity_type_id
    JOIN families_person p ON p.id = a.person_id
    WHERE a.status = 'present' AND t.programme_id = %s AND s.date >= %s AND s.date <= %s
"""


def _rows(programme_id, start, end):
    with connection.cursor() as cursor:
        cursor.execute(PRESENT_ROWS, [programme_id, start, end])
        return [
            (h, p, role, _day(birth), session, _day(day))
            for h, p, role, birth, session, day in cursor.fetchall()
        ]


def _day(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _scalar(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _band(birth, on):
    if birth is None:
        return "children_reached_6_plus"
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    if months < 12:
        return "children_reached_0_1"
    if months < 36:
        return "children_reached_1_3"
    if months < 72:
        return "children_reached_3_6"
    return "children_reached_6_plus"


def reach(programme_id, start, end) -> dict:
    households = _scalar(
        f"SELECT COUNT(DISTINCT household_id) FROM ({PRESENT_ROWS}) x",
        [programme_id, start, end],
    )
    rows = _rows(programme_id, start, end)
    parents = {p for _h, p, role, *_ in rows if role == "parent"}
    first = {}
    for _h, p, role, birth, _s, day in rows:
        if role == "child" and (p not in first or day < first[p][1]):
            first[p] = (birth, day)
    bands = Counter(_band(birth, day) for birth, day in first.values())
    days = defaultdict(set)
    for h, *_rest, day in rows:
        days[h].add(day)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT household_id, due_date FROM families_person "
            "WHERE role = 'expected' AND due_date IS NOT NULL"
        )
        expected = [(h, _day(due)) for h, due in cursor.fetchall()]
    pregnant = sum(
        any(due - datetime.timedelta(weeks=40) <= d < due for d in days.get(h, ()))
        for h, due in expected
    )
    earlier = _scalar(
        f"""SELECT COUNT(DISTINCT x.household_id) FROM ({PRESENT_ROWS}) x
        WHERE x.household_id IN (
            SELECT a.household_id FROM attendance_attendance a
            JOIN activities_session s ON s.id = a.session_id
            JOIN activities_activitytype t ON t.id = s.activity_type_id
            WHERE a.status = 'present' AND t.programme_id = %s AND s.date < %s)""",
        [programme_id, start, end, programme_id, start],
    )
    visits = defaultdict(set)
    months = defaultdict(set)
    for h, _p, _r, _b, session, day in rows:
        visits[h].add(session)
        months[h].add((day.year, day.month))
    return {
        "households_reached": households,
        "parents_reached": len(parents),
        "children_reached": len(first),
        **{
            name: bands[name]
            for name in (
                "children_reached_0_1",
                "children_reached_1_3",
                "children_reached_3_6",
                "children_reached_6_plus",
            )
        },
        "pregnant_women_reached": pregnant,
        "new_households": households - earlier,
        "household_visits": sum(len(v) for v in visits.values()),
        "households_visits_1": sum(len(v) == 1 for v in visits.values()),
        "households_visits_2_3": sum(2 <= len(v) <= 3 for v in visits.values()),
        "households_visits_4_9": sum(4 <= len(v) <= 9 for v in visits.values()),
        "households_visits_10_plus": sum(len(v) >= 10 for v in visits.values()),
        "households_seen_3_months": sum(len(m) >= 3 for m in months.values()),
    }


def session_people(programme_id, start, end) -> dict[int, int]:
    """People present per session: named rows plus the anonymous headcount."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT s.id,
                (SELECT COUNT(*) FROM attendance_attendance a
                 JOIN families_person p ON p.id = a.person_id
                 WHERE a.session_id = s.id AND a.status = 'present'
                 AND p.role IN ('parent', 'child')),
                (SELECT h.adults + h.children_under_1 + h.children_1_3 + h.children_3_6
                 FROM attendance_headcount h WHERE h.session_id = s.id)
            FROM activities_session s
            JOIN activities_activitytype t ON t.id = s.activity_type_id
            WHERE t.programme_id = %s AND s.date >= %s AND s.date <= %s
            AND s.status <> 'cancelled'""",
            [programme_id, start, end],
        )
        return {
            pk: named + (count or 0)
            for pk, named, count in cursor.fetchall()
            if named or count is not None
        }
