"""The raw reach query that the annual report must beat: distinct households, children and
under-1s met per programme over one year, in plain SQL over the attendance rows. Recorded
as the baseline, beside a plain count of the same rows (the reference, run just before)."""

from __future__ import annotations

import datetime

from django.db import connection

from bench.results import Recorder, percentile, timed
from petitspas.activities.models import ActivityType, Session
from petitspas.attendance.models import Attendance
from petitspas.families.models import Person

RUNS = 5

UNDER_ONE = {
    "sqlite": "s.date < date(p.birth_date, '+1 year')",
    "postgresql": "s.date < p.birth_date + interval '1 year'",
}


def _tables() -> dict[str, str]:
    return {
        "attendance": Attendance._meta.db_table,
        "session": Session._meta.db_table,
        "activity_type": ActivityType._meta.db_table,
        "person": Person._meta.db_table,
    }


def reach_sql() -> str:
    t = _tables()
    return f"""
        SELECT at.programme_id,
               COUNT(DISTINCT a.household_id) AS households,
               COUNT(DISTINCT CASE WHEN p.role = 'child' THEN a.person_id END) AS children,
               COUNT(DISTINCT CASE WHEN p.role = 'child' AND {UNDER_ONE[connection.vendor]}
                                   THEN a.person_id END) AS under_one
          FROM {t["attendance"]} a
          JOIN {t["session"]} s ON s.id = a.session_id
          JOIN {t["activity_type"]} at ON at.id = s.activity_type_id
          JOIN {t["person"]} p ON p.id = a.person_id
         WHERE s.date BETWEEN %s AND %s AND a.status = 'present'
         GROUP BY at.programme_id
    """


def count_sql() -> str:
    t = _tables()
    return f"""
        SELECT COUNT(*)
          FROM {t["attendance"]} a
          JOIN {t["session"]} s ON s.id = a.session_id
         WHERE s.date BETWEEN %s AND %s AND a.status = 'present'
    """


def _run(sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def measure(recorder: Recorder, subjects) -> None:
    end = subjects.today - datetime.timedelta(days=1)
    params = (end - datetime.timedelta(days=364), end)
    counts, reaches, rows = [], [], None
    for _ in range(RUNS):
        count_ms, counted = timed(_run, count_sql(), params)
        reach_ms, rows = timed(_run, reach_sql(), params)
        counts.append(count_ms)
        reaches.append(reach_ms)
    households = sum(row[1] for row in rows)
    recorder.add(
        "reach.per_programme_one_year.p50",
        percentile(reaches, 50),
        "ms",
        note=f"{len(rows)} programmes, {counted[0][0]:,} present rows, "
        f"{households:,} households reached (summed over programmes)",
    )
    recorder.add("reach.count_same_rows.p50", percentile(counts, 50), "ms")
    recorder.add("reach.vs_count_same_rows", percentile(reaches, 50) / percentile(counts, 50), "x")
