"""The annual report's figures: every indicator of every programme of the territory over
one calendar year, as ``reporting.indicators.compute`` reads them from the incremental
aggregates, against two references run in the same process on the same programmes:

- the plain SQL over the raw attendance rows on the same engine: the oracle the tests
  check the aggregates with (``petitspas.reporting.tests.oracle``, written apart from the
  code under test). Target: the report ≥ 20× faster;
- DuckDB scanning the same rows exported to Parquet, what an analyst would pick (a
  bench-only dependency, ``bench/requirements.lock``). Target: the report faster.

The three give the same reach and regularity figures, and the bench checks it: a
difference voids the ratios instead of being timed.
"""

from __future__ import annotations

import csv
import datetime
import statistics
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.results import Recorder, timed
from petitspas.organisations.models import Programme
from petitspas.reporting.indicators import Scope, compute, core
from petitspas.reporting.tests import oracle

RUNS = 3
VAR = Path(settings.BASE_DIR) / "var" / "bench"
# The figures all three compute: reach and regularity, the distinct counts a report costs.
COMPARED = (
    "households_reached",
    "parents_reached",
    "children_reached",
    "children_reached_0_1",
    "children_reached_1_3",
    "children_reached_3_6",
    "children_reached_6_plus",
    "pregnant_women_reached",
    "new_households",
    "household_visits",
    "households_visits_1",
    "households_visits_2_3",
    "households_visits_4_9",
    "households_visits_10_plus",
    "households_seen_3_months",
)


def _year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last whole calendar year."""
    return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)


def _report(programmes, start, end, today) -> dict:
    return {
        p.pk: compute(Scope(programme=p, start=start, end=end), today=today) for p in programmes
    }


def _reach_only(programmes, start, end, today) -> dict:
    """The report's own reach and regularity figures, the ones the oracle computes, read
    as the report reads them (``indicators.core``: kept for a closed year)."""
    figures = {}
    for p in programmes:
        values = core(Scope(programme=p, start=start, end=end), today=today)
        figures[p.pk] = {name: values[name] for name in COMPARED}
    return figures


def _raw(programmes, start, end) -> dict:
    return {p.pk: oracle.reach(p.pk, start, end) for p in programmes}


def _median_ms(function, *args) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        ms, result = timed(function, *args)
        times.append(ms)
    return statistics.median(times), result


# --- DuckDB over Parquet ---------------------------------------------------------------

ROWS_SQL = """
    SELECT t.programme_id, a.household_id, a.person_id, p.role, p.birth_date, s.id, s.date
    FROM attendance_attendance a
    JOIN activities_session s ON s.id = a.session_id
    JOIN activities_activitytype t ON t.id = s.activity_type_id
    JOIN families_person p ON p.id = a.person_id
    WHERE a.status = 'present'
"""
EXPECTED_SQL = (
    "SELECT household_id, due_date FROM families_person "
    "WHERE role = 'expected' AND due_date IS NOT NULL"
)


def _export_parquet(duckdb) -> tuple[Path, Path, int]:
    """Every present attendance row (with its programme, person and day) and the expected
    births, written to Parquet through a CSV file: the analyst's export."""
    VAR.mkdir(parents=True, exist_ok=True)
    files = {}
    count = 0
    for name, sql, header in (
        ("rows", ROWS_SQL, "programme,household,person,role,birth,session,day"),
        ("expected", EXPECTED_SQL, "household,due"),
    ):
        path = VAR / f"{name}.csv"
        with connection.cursor() as cursor, path.open("w", newline="") as out:
            cursor.execute(sql)
            writer = csv.writer(out)
            writer.writerow(header.split(","))
            while batch := cursor.fetchmany(50_000):
                writer.writerows(batch)
                count += len(batch) if name == "rows" else 0
        parquet = VAR / f"{name}.parquet"
        duckdb.sql(
            f"COPY (SELECT * FROM read_csv('{path}', header=true)) TO '{parquet}' (FORMAT parquet)"
        )
        path.unlink()
        files[name] = parquet
    return files["rows"], files["expected"], count


DUCKDB_REACH = """
WITH r AS (
    SELECT * FROM read_parquet($rows)
    WHERE programme = $programme AND day BETWEEN $start AND $end
),
first_child AS (
    SELECT person, min(birth) AS birth, min(day) AS day
    FROM r WHERE role = 'child' GROUP BY person
),
ages AS (  -- whole months of age on the first visit
    SELECT birth, (year(day) - year(birth)) * 12 + month(day) - month(birth)
        - CASE WHEN day(day) < day(birth) THEN 1 ELSE 0 END AS months
    FROM first_child
),
bands AS (
    SELECT CASE
        WHEN birth IS NULL THEN '6_plus'
        WHEN months < 12 THEN '0_1'
        WHEN months < 36 THEN '1_3'
        WHEN months < 72 THEN '3_6'
        ELSE '6_plus' END AS band
    FROM ages
),
per_household AS (
    SELECT household, count(DISTINCT session) AS visits,
           count(DISTINCT date_trunc('month', day)) AS months
    FROM r GROUP BY household
),
earlier AS (
    SELECT DISTINCT household FROM read_parquet($rows)
    WHERE programme = $programme AND day < $start
),
expected AS (SELECT * FROM read_parquet($expected)),
pregnant AS (
    SELECT count(*) AS n FROM expected e
    WHERE EXISTS (
        SELECT 1 FROM r WHERE r.household = e.household
        AND r.day >= e.due - INTERVAL 280 DAY AND r.day < e.due
    )
)
SELECT
    (SELECT count(*) FROM per_household),
    (SELECT count(DISTINCT person) FROM r WHERE role = 'parent'),
    (SELECT count(*) FROM first_child),
    (SELECT count(*) FILTER (band = '0_1') FROM bands),
    (SELECT count(*) FILTER (band = '1_3') FROM bands),
    (SELECT count(*) FILTER (band = '3_6') FROM bands),
    (SELECT count(*) FILTER (band = '6_plus') FROM bands),
    (SELECT n FROM pregnant),
    (SELECT count(*) FROM per_household WHERE household NOT IN (SELECT household FROM earlier)),
    (SELECT coalesce(sum(visits), 0) FROM per_household),
    (SELECT count(*) FILTER (visits = 1) FROM per_household),
    (SELECT count(*) FILTER (visits BETWEEN 2 AND 3) FROM per_household),
    (SELECT count(*) FILTER (visits BETWEEN 4 AND 9) FROM per_household),
    (SELECT count(*) FILTER (visits >= 10) FROM per_household),
    (SELECT count(*) FILTER (months >= 3) FROM per_household)
"""


def _duckdb(duckdb, rows, expected, programmes, start, end) -> dict:
    db = duckdb.connect()
    figures = {}
    for programme in programmes:
        values = db.execute(
            DUCKDB_REACH,
            {
                "rows": str(rows),
                "expected": str(expected),
                "programme": programme.pk,
                "start": start,
                "end": end,
            },
        ).fetchone()
        figures[programme.pk] = dict(zip(COMPARED, (int(v) for v in values), strict=True))
    db.close()
    return figures


def _differences(label: str, reference: dict, other: dict) -> list[str]:
    found = []
    for pk, figures in reference.items():
        for name in COMPARED:
            if figures[name] != other[pk][name]:
                found.append(f"{label}: programme {pk} {name} {figures[name]} ≠ {other[pk][name]}")
    return found


def measure(recorder: Recorder, subjects) -> None:
    start, end = _year(subjects.today)
    programmes = list(Programme.objects.order_by("pk"))
    report_ms, report = _median_ms(_report, programmes, start, end, subjects.today)
    reach_ms, _reach = _median_ms(_reach_only, programmes, start, end, subjects.today)
    raw_ms, raw = _median_ms(_raw, programmes, start, end)
    differences = _differences("raw SQL", raw, report)
    scope = (
        f"{len(programmes)} programmes, {start.year}, {len(report[programmes[0].pk])} indicators"
    )
    recorder.add("report.all_programmes_one_year", report_ms, "ms", note=scope)
    recorder.add("report.raw_sql", raw_ms, "ms", note="the plain-SQL oracle over the raw rows")
    recorder.add(
        "report.vs_raw_sql",
        None if differences else raw_ms / report_ms,
        "x",
        ">= 20",
        note="; ".join(differences[:3]) or "raw SQL time / report time; same figures checked",
    )
    # Like for like: the same fifteen figures, from the aggregates and from the raw rows.
    recorder.add("report.reach_regularity", reach_ms, "ms", note=f"{len(COMPARED)} figures")
    recorder.add(
        "report.reach_vs_raw_sql",
        None if differences else raw_ms / reach_ms,
        "x",
        ">= 20",
        note="raw SQL time / the report's reach and regularity time, the same figures",
    )
    try:
        import duckdb
    except ImportError:
        recorder.add("report.vs_duckdb", None, "x", "> 1", note="duckdb is not installed")
        return
    rows_file, expected_file, rows = _export_parquet(duckdb)
    duck_ms, duck = _median_ms(_duckdb, duckdb, rows_file, expected_file, programmes, start, end)
    differences = _differences("DuckDB", raw, duck)
    recorder.add(
        "report.duckdb_parquet",
        duck_ms,
        "ms",
        note=f"DuckDB {duckdb.__version__} over {rows:,} present rows in Parquet",
    )
    recorder.add(
        "report.vs_duckdb",
        None if differences else duck_ms / report_ms,
        "x",
        "> 1",
        note="; ".join(differences[:3]) or "DuckDB time / report time; same figures checked",
    )
