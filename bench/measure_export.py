"""The attendance rows export (``reporting.rows``) of the programme with the most rows,
over its whole history, as CSV (streamed) and XLSX (openpyxl's write-only mode), each in
a fresh process (``bench.export_probe``) so that the peak memory measured is the export's.
Then every row of the territory (2 million at département scale) in one stream through
the same writers (``--every-row``): no page exports more than one programme, and this is
the size issue 20 names. Target: the process's peak under 150 MB; the time is
recorded."""

from __future__ import annotations

import json
import subprocess
import sys

from django.conf import settings

from bench.results import Recorder


def _probe(fmt: str, *options: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.export_probe", "--format", fmt, *options],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(recorder: Recorder, subjects) -> None:
    for fmt in ("csv", "xlsx"):
        result = _probe(fmt)
        if result["status"] != 200:
            recorder.add(
                f"export.{fmt}.peak_memory",
                None,
                "MB",
                "< 150",
                note=f"answered {result['status']}",
            )
            continue
        note = (
            f"{result['rows']:,} attendance rows, {result['bytes'] / 1e6:,.1f} MB written; "
            f"the process held {result['rss_before_mb']:.0f} MB before the request"
        )
        recorder.add(f"export.{fmt}.peak_memory", result["peak_mb"], "MB", "< 150", note=note)
        recorder.add(f"export.{fmt}.seconds", result["seconds"], "s")
    for fmt in ("csv", "xlsx"):
        result = _probe(fmt, "--every-row")
        note = (
            f"{result['rows']:,} attendance rows of {result['programmes']} programmes in one "
            f"stream through the export's writers, {result['bytes'] / 1e6:,.1f} MB written; "
            f"the process held {result['rss_before_mb']:.0f} MB before"
        )
        recorder.add(
            f"export.every_row.{fmt}.peak_memory", result["peak_mb"], "MB", "< 150", note=note
        )
        recorder.add(f"export.every_row.{fmt}.seconds", result["seconds"], "s")
