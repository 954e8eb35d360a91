"""The annual report: asked for on its page, built by a background job whose progress
the page polls (htmx, every 2 s), then downloaded by the person who asked or by the
organisation's admins and coordinators. The XLSX is built at once."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from petitspas.core.bounds import is_possible_day
from petitspas.core.replica import reads_replica
from petitspas.core.scoping import organisation_ids
from petitspas.organisations.models import PLANNER_ROLES
from petitspas.reporting.models import AnnualReport
from petitspas.reporting.permissions import (
    access_annual_report,
    access_programme_figures,
    can_review,
)
from petitspas.reporting.report import report_content, report_xlsx
from petitspas.reporting.services_review import annual_report_request
from petitspas.reporting.views import XLSX


def _year(year: int) -> int:
    if not 1 <= year <= 9999 or not is_possible_day(datetime.date(year, 1, 1)):
        raise Http404
    return year


def reports_for(user, programme, year: int):
    """The reports of the year ``user`` may download: theirs, and every one for the
    organisation's admins and coordinators."""
    reports = AnnualReport.objects.filter(programme=programme, year=year)
    if programme.organisation_id not in organisation_ids(user, PLANNER_ROLES):
        reports = reports.filter(Q(requested_by=user))
    return reports.select_related("requested_by")


@login_required
@require_http_methods(["GET", "POST"])
def annual_report(request, programme_id, year):
    programme = access_programme_figures(request.user, programme_id)
    year = _year(year)
    error = ""
    if request.method == "POST":
        try:
            annual_report_request(programme=programme, year=year, by=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect("reporting:annual-report", programme.pk, year)
    today = timezone.localdate()
    return render(
        request,
        "reporting/report_page.html",
        {
            "programme": programme,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "reports": reports_for(request.user, programme, year)[:10],
            "error": error,
            "reviews": can_review(request.user, programme),
        },
        status=400 if error else 200,
    )


@login_required
def report_status(request, report_pk):
    """The report's progress, for the page's polling: polls again until it is done."""
    report = access_annual_report(request.user, report_pk)
    return render(request, "reporting/report_status.html", {"report": report})


@login_required
def report_download(request, report_pk):
    report = access_annual_report(request.user, report_pk)
    if report.status != AnnualReport.Status.DONE or not report.file:
        raise Http404
    name = f"rapport-{slugify(report.programme.name)}-{report.year}.pdf"
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/pdf",
    )


@login_required
@reads_replica
def report_xlsx_view(request, programme_id, year):
    programme = access_programme_figures(request.user, programme_id)
    year = _year(year)
    content = report_content(programme, year, today=timezone.localdate(), user=request.user)
    response = HttpResponse(report_xlsx(content), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="rapport-{slugify(programme.name)}-{year}.xlsx"'
    )
    return response
