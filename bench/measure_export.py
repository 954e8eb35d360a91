"""The attendance rows export (``reporting.rows``) of the programme with the most rows,
over its whole history, as CSV (streamed) and XLSX (openpyxl's write-only mode), each in
a fresh process (``bench.export_probe``) so that the peak memory measured is the export's.
Target: the process's peak under 150 MB; the time is recorded."""

from __future__ import annotations

import json
import subprocess
import sys

from django.conf import settings

from bench.results import Recorder


def _probe(fmt: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.export_probe", "--format", fmt],
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
