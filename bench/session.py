"""One database's measurements, in one Django process (``bench/run.py`` starts it once per
database, after ``migrate`` and ``generate_territory``). Writes a JSON part that run.py
merges into bench/results.json.

    python -m bench.session --database sqlite --scale town --out var/bench/sqlite.json
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import time
import traceback

import django

# Capabilities measured, one module each; later issues add theirs here.
MODULES = (
    "bench.measure_attendance",
    "bench.measure_pages",
    "bench.measure_calendar",
    "bench.measure_scoping",
    "bench.measure_reach",
    "bench.measure_export",
    "bench.measure_report",
    "bench.measure_job",
    "bench.measure_search",
    "bench.measure_booking",
    "bench.measure_feeds",
)


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def _replica_caught_up(recorder) -> None:
    """With a read replica (``DATABASE_REPLICA_URL``), wait until it has replayed the
    generated territory, so that the figures read there are the primary's: how long that
    took after the bulk load is recorded."""
    from petitspas.core.replica import replica_lag

    if replica_lag() is None:
        return
    began = time.monotonic()
    while (lag := replica_lag()) and time.monotonic() - began < 1800:
        time.sleep(1)
    recorder.add(
        "replica.catch_up.seconds",
        time.monotonic() - began if not lag else None,
        "s",
        note="streaming replica, after generate_territory"
        + (f": still {lag:.0f} s behind after 30 min" if lag else ""),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", default="", help="comma-separated module names")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from bench.results import Recorder
    from bench.subjects import find_subjects, territory_counts

    recorder = Recorder(database=args.database, scale=args.scale)
    subjects = find_subjects()
    print(
        f"  subjects: {subjects.organisation} ; coordinator {subjects.coordinator.email} ; "
        f"professional {subjects.professional.email} ({subjects.professional_sessions_today} "
        f"sessions today) ; programme {subjects.programme} ; site {subjects.site.name}",
        flush=True,
    )
    _replica_caught_up(recorder)
    # The territory as generated: some measurements add rows (measure_booking its childcare).
    counts = territory_counts()
    failures = []
    modules = [m for m in MODULES if not args.only or m.rsplit(".", 1)[1] in args.only]
    for name in modules:
        print(f"  {name}", flush=True)
        began = time.monotonic()
        try:
            importlib.import_module(name).measure(recorder, subjects)
        except Exception:  # one capability failing must not hide the others' figures
            failures.append({"module": name, "error": traceback.format_exc()})
            print(traceback.format_exc(), flush=True)
        print(f"    ({time.monotonic() - began:.0f} s)", flush=True)
    part = {
        "database": args.database,
        "database_version": _database_version(),
        "counts": counts,
        "today": subjects.today.isoformat(),
        "measurements": [m.as_dict() for m in recorder.measurements],
        "failures": failures,
    }
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump(part, file, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
