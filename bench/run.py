"""``make bench``: generate the territory and measure it on SQLite, then on PostgreSQL.

For each database: a fresh database, ``migrate``, ``generate_territory --scale``, then
``python -m bench.session`` (every measurement, in one process). The parts are merged into
bench/results.json and a Markdown table is printed. PostgreSQL is the throwaway cluster of
``scripts/with-postgres.sh`` (its ``DATABASE_URL``); without it, only SQLite runs.

    scripts/with-postgres.sh .venv/bin/python bench/run.py --scale departement
    .venv/bin/python bench/run.py --scale town --databases sqlite
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import growth, markdown_table  # noqa: E402

VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results.json"
LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

# Production-like: DEBUG off (no query log, cached templates), HTTP on loopback.
BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_MANIFEST": "0",
    "WHITENOISE_USE_FINDERS": "1",
    "STATIC_ROOT": str(VAR / "static"),  # files come from the finders; whitenoise wants a dir
    "LOG_LEVEL": "WARNING",
    "PYTHONUNBUFFERED": "1",
}


def _say(message: str) -> None:
    print(message, flush=True)


def _memory_gb() -> float:
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _database_url(database: str, scale: str, *, beside: bool = False) -> str | None:
    """A fresh database for ``scale``. On PostgreSQL, the cluster's database, or with
    ``beside`` a new one next to it in the same cluster (the smaller scale that pages are
    compared with)."""
    if database == "sqlite":
        path = VAR / f"bench-{scale}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    if not beside:
        return url
    import psycopg  # the project's PostgreSQL driver

    name = f"bench_{scale}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _run(command: list[str], env: dict) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def _one_database(
    database: str, args, env: dict, *, scale: str, only: str, beside: bool = False
) -> dict | None:
    url = _database_url(database, scale, beside=beside)
    if url is None:
        _say(f"\n== {LABELS[database]}: no DATABASE_URL (run through scripts/with-postgres.sh)")
        return None
    env = {**env, "DATABASE_URL": url}
    if beside:  # the replica, if any, copies the cluster's own database only
        env.pop("DATABASE_REPLICA_URL", None)
    _say(f"\n== {LABELS[database]}, scale {scale}" + (f" ({only} only)" if only else ""))
    began = time.monotonic()
    _run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env)
    migrated = time.monotonic()
    _run(
        [
            sys.executable,
            "manage.py",
            "generate_territory",
            f"--scale={scale}",
            f"--seed={args.seed}",
        ],
        env,
    )
    generated = time.monotonic()
    part_file = VAR / f"part-{database}-{scale}.json"
    _run(
        [
            sys.executable,
            "-m",
            "bench.session",
            f"--database={LABELS[database]}",
            f"--scale={scale}",
            f"--out={part_file}",
            *([f"--only={only}"] if only else []),
        ],
        env,
    )
    part = json.loads(part_file.read_text(encoding="utf-8"))
    part["seconds"] = {
        "migrate": round(migrated - began, 1),
        "generate": round(generated - migrated, 1),
        "measure": round(time.monotonic() - generated, 1),
    }
    part["measurements"].insert(
        0,
        {
            "name": "generate.seconds",
            "database": LABELS[database],
            "scale": scale,
            "value": round(generated - migrated, 1),
            "unit": "s",
            "target": None,
            "meets_target": None,
            "note": "generate_territory, from an empty migrated database",
        },
    )
    _say(f"   {LABELS[database]} done in {time.monotonic() - began:.0f} s")
    return part


def _merged(earlier: dict, later: dict) -> dict:
    """``earlier`` with ``later``'s measurements in place of its own of the same name,
    database and scale (a module measured again, after a change), and ``later``'s run
    listed under ``run.later``."""
    key = lambda m: (m["name"], m["database"], m["scale"])  # noqa: E731
    replaced = {key(m) for m in later["measurements"]}
    kept = [m for m in earlier["measurements"] if key(m) not in replaced]
    return {
        **earlier,
        "run": {
            **earlier["run"],
            "later": [
                *earlier["run"].get("later", []),
                {**later["run"], "machine": later["machine"]},
            ],
        },
        "measurements": kept + later["measurements"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "departement"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--only", default="", help="measure only these modules (comma list)")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the results file's other measurements, replacing those measured again",
    )
    parser.add_argument(
        "--pages-against",
        default="town",
        help="also measure the pages at this scale and record the growth ('' for none)",
    )
    args = parser.parse_args()

    (VAR / "static").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **BASE_ENV}
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    began = time.monotonic()
    parts = []
    compare = args.pages_against if args.pages_against != args.scale else ""
    if compare and args.only and "measure_pages" not in args.only:
        compare = ""
    for database in args.databases.split(","):
        database = database.strip()
        smaller = None
        if compare:
            # The same pages for the same kind of user on a smaller territory, first, in a
            # database of its own: how a page's cost grows with the territory (issue 20).
            smaller = _one_database(
                database,
                args,
                {**env, "BENCH_PAGES_THROUGHPUT": "0"},
                scale=compare,
                only="measure_pages",
                beside=True,
            )
        part = _one_database(database, args, env, scale=args.scale, only=args.only)
        if part is not None:
            if smaller is not None:
                part["measurements"] += growth(smaller["measurements"], part["measurements"])
                part["failures"] += smaller["failures"]
            parts.append(part)

    versions = {p["database"]: p["database_version"] for p in parts}
    results = {
        "machine": {
            "cores": os.cpu_count(),
            "memory_gb": _memory_gb(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "postgresql": versions.get("PostgreSQL", "").removeprefix("postgresql ") or None,
            "platform": platform.platform(),
            # Other work on the machine shows here: ratios are less sensitive than times.
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "run": {
            "started": started.isoformat(timespec="seconds"),
            "scale": args.scale,
            "modules": args.only or "all",
            "seed": args.seed,
            "minutes": round((time.monotonic() - began) / 60, 1),
            "databases": [
                {
                    "database": p["database"],
                    "today": p["today"],
                    "seconds": p["seconds"],
                    "counts": p["counts"],
                    "failures": p["failures"],
                }
                for p in parts
            ],
        },
        "measurements": [m for p in parts for m in p["measurements"]],
    }
    if args.merge and Path(args.out).exists():
        results = _merged(json.loads(Path(args.out).read_text(encoding="utf-8")), results)
    Path(args.out).write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    _say(f"\nResults ({args.scale}, {results['run']['minutes']} min) written to {args.out}\n")
    _say(markdown_table(results["measurements"], [p["database"] for p in parts]))
    if any(p["failures"] for p in parts):
        _say("\nSome measurements failed: see run.databases[].failures in the results file.")
        sys.exit(1)


if __name__ == "__main__":
    main()
