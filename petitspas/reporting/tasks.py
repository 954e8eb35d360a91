"""Background jobs (django-tasks): the annual report, built outside the request.

Production queues them in the database (``django_tasks_db``) and runs them with
``manage.py db_worker``; development and tests run them at once (``TASKS_BACKEND``).
The job writes its progress on the ``AnnualReport`` row, which the page polls, then the
PDF through Django's storage API.
"""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from petitspas.core.replica import from_replica
from petitspas.reporting import aggregates
from petitspas.reporting.indicators import refresh_kept
from petitspas.reporting.models import AnnualReport
from petitspas.reporting.permissions import can_read_figures
from petitspas.reporting.report import report_content, report_pdf

logger = logging.getLogger(__name__)
FAILED = (
    "Le rapport n'a pas pu être produit. Demandez-le à nouveau ; si l'échec se répète, signalez-le."
)

NO_LONGER = "La personne qui a demandé ce rapport ne lit plus les chiffres du programme."


@task()
def refresh_aggregates() -> None:
    """The figures catching up with the sheets saved since the last run, queued by each
    save once committed (``aggregates.defer_sheet_refresh``); nothing to do when a read
    of the figures came first. Then the kept figures of closed periods that writes have
    changed since are computed again (``reporting.kept``)."""
    aggregates.catch_up()
    refresh_kept(today=timezone.localdate())


@task()
def build_annual_report(report_id: int) -> None:
    report = AnnualReport.objects.select_related("programme__organisation", "requested_by").get(
        pk=report_id
    )
    if report.finished:
        return

    def progress(percent: int, step: str) -> None:
        AnnualReport.objects.filter(pk=report.pk).update(
            status=AnnualReport.Status.RUNNING, progress=percent, step=step
        )

    reader = report.requested_by
    if reader is not None and not can_read_figures(reader, report.programme):
        # Left the organisation (or lost the role) since asking: nothing is built.
        AnnualReport.objects.filter(pk=report.pk).update(
            status=AnnualReport.Status.FAILED, error=NO_LONGER, finished_at=timezone.now()
        )
        return
    try:
        progress(5, "Démarrage")
        with from_replica():  # the figures may lag: read the replica when there is one
            content = report_content(
                report.programme,
                report.year,
                today=timezone.localdate(),
                user=reader,
                protected=report.protected or reader is None,
                progress=progress,
            )
        progress(75, "Mise en page du PDF")
        pdf = report_pdf(content)
        progress(95, "Enregistrement du fichier")
        name = f"rapport-{slugify(report.programme.name)}-{report.year}.pdf"
        report.refresh_from_db()
        report.file.save(name, ContentFile(pdf), save=False)
        report.status = AnnualReport.Status.DONE
        report.progress = 100
        report.step = "Prêt"
        report.finished_at = timezone.now()
        report.save()
    except Exception:
        logger.exception("annual report %s failed", report_id)
        AnnualReport.objects.filter(pk=report.pk).update(
            status=AnnualReport.Status.FAILED, error=FAILED, finished_at=timezone.now()
        )
        raise
