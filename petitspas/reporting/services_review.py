"""The writes of the monthly review, of the observations chosen for a report and of the
annual report's request: keyword-only arguments, one transaction, the permission checked
and an audit entry each."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from petitspas.core.audit import audit_log
from petitspas.core.bounds import is_possible_day
from petitspas.reporting.indicators import reads_people
from petitspas.reporting.models import AnnualReport, MonthlyReview, ReportObservation
from petitspas.reporting.permissions import can_read_figures, can_review
from petitspas.reporting.review import strip_people
from petitspas.reporting.tasks import build_annual_report

REVIEW_FIELDS = ("conclusions", "adjust_programme", "adjust_mobilisation", "adjust_partnerships")
EMPTY_REVIEW = "Écrivez au moins les conclusions ou un ajustement décidé."
FUTURE_MONTH = "Ce mois n'est pas encore commencé : la revue se fait pendant ou après le mois."
BAD_YEAR = "Choisissez une année entre 2000 et 2100."
NOT_THIS_YEAR = "Cette observation n'est pas de l'année du rapport."
NOT_THIS_PROGRAMME = "Cette observation n'est pas d'une séance du programme."


@transaction.atomic
def review_save(
    *,
    programme,
    month: datetime.date,
    conclusions: str,
    adjust_programme: str,
    adjust_mobilisation: str,
    adjust_partnerships: str,
    by,
    today: datetime.date,
) -> MonthlyReview:
    """Write the review of ``month`` (its first day), or update it: the first author and
    date stay, the last editor and date are kept beside them."""
    if not can_review(by, programme):
        raise PermissionDenied
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise ValidationError(FUTURE_MONTH)
    texts = {
        "conclusions": conclusions.strip(),
        "adjust_programme": adjust_programme.strip(),
        "adjust_mobilisation": adjust_mobilisation.strip(),
        "adjust_partnerships": adjust_partnerships.strip(),
    }
    if not any(texts.values()):
        raise ValidationError({"conclusions": EMPTY_REVIEW})
    review = (
        MonthlyReview.objects.select_for_update().filter(programme=programme, month=month).first()
    )
    if review is None:
        review = MonthlyReview.objects.create(
            programme=programme, month=month, created_by=by, updated_by=by, **texts
        )
        audit_log(by, "monthly_review.create", review, month=f"{month:%Y-%m}")
        return review
    changed = [name for name, value in texts.items() if getattr(review, name) != value]
    for name, value in texts.items():
        setattr(review, name, value)
    review.updated_by = by
    review.save()
    # Which fields changed, never what was typed.
    audit_log(by, "monthly_review.update", review, month=f"{month:%Y-%m}", fields=changed)
    return review


@transaction.atomic
def observation_select(*, programme, year: int, observation, by) -> ReportObservation:
    """Choose ``observation`` (come through ``Observation.objects.visible_to(by)``) for the
    annual report of ``year``: its text is kept stripped of codes and first names."""
    if not can_review(by, programme):
        raise PermissionDenied
    if observation.session.activity_type.programme_id != programme.pk:
        raise ValidationError(NOT_THIS_PROGRAMME)
    if observation.observed_on.year != year:
        raise ValidationError(NOT_THIS_YEAR)
    chosen, created = ReportObservation.objects.get_or_create(
        programme=programme,
        year=year,
        observation=observation,
        defaults={
            "observed_on": observation.observed_on,
            "themes": list(observation.themes),
            "text": strip_people(observation.text, programme),
            "selected_by": by,
        },
    )
    if created:
        audit_log(by, "report_observation.select", chosen, year=year)
    return chosen


@transaction.atomic
def observation_unselect(*, chosen: ReportObservation, by) -> None:
    if not can_review(by, chosen.programme):
        raise PermissionDenied
    audit_log(by, "report_observation.unselect", chosen, year=chosen.year)
    chosen.delete()


@transaction.atomic
def annual_report_request(*, programme, year: int, by) -> AnnualReport:
    """Ask for the annual report of ``year``; the job starts once this is committed. A
    funder's report hides small cells, as its pages do."""
    if not can_read_figures(by, programme):
        raise PermissionDenied
    if not (1 <= year <= 9999 and is_possible_day(datetime.date(year, 1, 1))):
        raise ValidationError({"year": BAD_YEAR})
    report = AnnualReport.objects.create(
        programme=programme,
        year=year,
        requested_by=by,
        protected=not reads_people(by, programme),
        step="En attente de démarrage",
    )
    audit_log(by, "annual_report.request", report, year=year)
    transaction.on_commit(lambda: build_annual_report.enqueue(report.pk))
    return report
