"""One export, in a process of its own so that its peak memory is its own:

    python -m bench.export_probe --format csv
    python -m bench.export_probe --format xlsx --every-row

Signs in as the largest programme's coordinator, downloads that programme's attendance
rows over the whole territory (at most the five years a period may span) and prints one
JSON line: rows, seconds, the process's resident memory before the request and its peak.

With ``--every-row``: every programme's rows, one after the other, through the export's
own writers (``reporting.rows``: ``attendance_rows``, then ``csv_lines`` or
``xlsx_file``), the 2 million rows of a département in one stream. No page exports more
than one programme; this is the streaming at the size the issue names.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import django


def _memory_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=("csv", "xlsx"), required=True)
    parser.add_argument("--every-row", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.every_row:
        _every_row(args.format)
        return
    from bench.measure_pages import _client
    from bench.subjects import largest_programme

    largest = largest_programme()
    client = _client(largest.planner)
    url = (
        f"/indicateurs/{largest.programme.pk}/presences.{args.format}"
        f"?start={largest.first:%Y-%m-%d}&end={largest.last:%Y-%m-%d}"
    )
    before = _memory_mb("VmRSS")
    began = time.perf_counter()
    response = client.get(url)
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    _report(began, before, status=response.status_code, rows=largest.rows, bytes=size, lines=lines)


def _every_row(fmt: str) -> None:
    from django.db.models import Max, Min

    from petitspas.activities.models import Session
    from petitspas.organisations.models import Programme
    from petitspas.reporting.rows import attendance_rows, csv_lines, xlsx_file

    span = Session.objects.aggregate(first=Min("date"), last=Max("date"))
    programmes = list(Programme.objects.order_by("pk"))
    before = _memory_mb("VmRSS")
    began = time.perf_counter()
    counted = [0]

    def every_row():
        for programme in programmes:
            for row in attendance_rows(programme, span["first"], span["last"]):
                counted[0] += 1
                yield row

    size = lines = 0
    if fmt == "csv":
        for line in csv_lines(every_row()):
            size += len(line.encode("utf-8"))
            lines += 1
    else:
        with xlsx_file(every_row(), title="Toutes les présences") as out:
            size = out.seek(0, os.SEEK_END)  # the file's size, without reading it
    _report(
        began,
        before,
        status=200,
        rows=counted[0],
        programmes=len(programmes),
        bytes=size,
        lines=lines,
    )


def _report(began: float, before: float, **fields) -> None:
    """The JSON line: ``fields``, the seconds since ``began``, the resident memory
    ``before`` and the process's peak."""
    seconds = time.perf_counter() - began
    fields |= {"seconds": seconds, "rss_before_mb": before, "peak_mb": _memory_mb("VmHWM")}
    print(json.dumps(fields))


if __name__ == "__main__":
    main()
