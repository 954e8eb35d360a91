"""The attendance rows of a programme over a period, as CSV or XLSX, streamed."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from petitspas.core.audit import audit_log
from petitspas.core.replica import reads_replica
from petitspas.reporting.forms import FiguresFilterForm
from petitspas.reporting.permissions import access_programme_rows
from petitspas.reporting.rows import attendance_rows, csv_lines, xlsx_file
from petitspas.reporting.tables import period_label
from petitspas.reporting.views import XLSX


def _period(request, programme_id, extension):
    """The programme, the period asked for (the dashboard's filter form) and the file's
    name; or an answer saying what is wrong with the period."""
    programme = access_programme_rows(request.user, programme_id)
    form = FiguresFilterForm(request.GET, programme=programme)
    if not form.is_valid():
        errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return (
            programme,
            None,
            HttpResponse(
                f"Période invalide : {errors}", status=400, content_type="text/plain; charset=utf-8"
            ),
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    with transaction.atomic():
        audit_log(
            request.user,
            "attendance_rows.export",
            programme,
            start=start.isoformat(),
            end=end.isoformat(),
            format=extension,
        )
    name = f"presences-{slugify(programme.name)}-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"
    rows = attendance_rows(
        programme,
        start,
        end,
        site=form.cleaned_data["site"],
        activity_type=form.cleaned_data["activity_type"],
    )
    return programme, (rows, start, end, name), None


@login_required
@require_safe
@reads_replica
def rows_csv(request, programme_id):
    programme, period, refused = _period(request, programme_id, "csv")
    if refused:
        return refused
    rows, _start, _end, name = period
    return StreamingHttpResponse(
        csv_lines(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@login_required
@require_safe
@reads_replica
def rows_xlsx(request, programme_id):
    programme, period, refused = _period(request, programme_id, "xlsx")
    if refused:
        return refused
    rows, start, end, name = period
    title = f"{programme.name} — présences du {period_label(start, end)}"
    title += f" (exporté le {timezone.localdate():%d/%m/%Y})"
    return FileResponse(
        xlsx_file(rows, title=title),
        as_attachment=True,
        filename=name,
        content_type=XLSX,
    )
