"""The background job of a long report: the annual report's PDF of the programme with the
most attendance rows, asked for through the service the page calls, queued in the database
(django-tasks' database backend) and run by ``manage.py db_worker`` in a process of its
own, as in production. Measured: the time from the request to a ready file, and how many
distinct progress steps a page polling every 0.2 s would have shown on the way."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from django.conf import settings

from bench.results import Recorder
from bench.subjects import largest_programme
from petitspas.reporting.models import AnnualReport
from petitspas.reporting.services_review import annual_report_request

POLL = 0.2
TIMEOUT = 1800


def measure(recorder: Recorder, subjects) -> None:
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        recorder.add("job.annual_report.seconds", None, "s", note="tasks run in the request here")
        return
    largest = largest_programme()
    programme, coordinator = largest.programme, largest.planner
    year = subjects.today.year - 1
    began = time.perf_counter()
    report = annual_report_request(programme=programme, year=year, by=coordinator)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "-v", "0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    steps = []
    try:
        while time.perf_counter() - began < TIMEOUT:
            report.refresh_from_db()
            if not steps or steps[-1] != (report.progress, report.step):
                steps.append((report.progress, report.step))
            if report.finished:
                break
            time.sleep(POLL)
        seconds = time.perf_counter() - began
    finally:
        if report.finished:
            worker.wait(timeout=60)  # --batch: it leaves once the queue is empty
        else:
            worker.kill()
    if report.status != AnnualReport.Status.DONE:
        recorder.add(
            "job.annual_report.seconds",
            None,
            "s",
            note=f"the job ended {report.status}: {report.error}" if report.finished else "timeout",
        )
        return
    recorder.add(
        "job.annual_report.seconds",
        seconds,
        "s",
        note=f"{programme.name}, {year}: from the request to the file, worker start included; "
        f"{report.file.size / 1024:.0f} kB PDF",
    )
    recorder.add(
        "job.annual_report.progress_steps",
        len(steps),
        "steps",
        note=" → ".join(f"{p} % {s}" for p, s in steps),
    )
