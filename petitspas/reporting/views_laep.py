"""The CAF LAEP activity summary of a programme for a year: page, CSV and XLSX."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from petitspas.core.bounds import FIRST_DAY, LAST_DAY
from petitspas.core.replica import reads_replica
from petitspas.reporting.exports import key_figures_csv, tables_xlsx
from petitspas.reporting.laep import COLUMNS, laep_summary
from petitspas.reporting.permissions import access_programme_figures
from petitspas.reporting.tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_YEAR = f"Année illisible : choisissez une année entre {FIRST_DAY.year} et {LAST_DAY.year}."


def _year(request) -> tuple[int, str]:
    """The year asked (``?annee=``), else the current one; with a French message when the
    value asked cannot be read."""
    today = timezone.localdate()
    text = request.GET.get("annee", "").strip()
    if not text:
        return today.year, ""
    if text.isdigit() and FIRST_DAY.year <= int(text) <= LAST_DAY.year:
        return int(text), ""
    return today.year, BAD_YEAR


def _table(summary) -> Table:
    return Table(
        title=f"Activité du LAEP en {summary.year}",
        sheet=f"LAEP {summary.year}",
        headers=["Lieu", *(label for _name, label in COLUMNS)],
        rows=[
            [name, *(figures[column] for column, _label in COLUMNS)]
            for name, figures in summary.rows
        ],
    )


def _summary(request, programme_id):
    programme = access_programme_figures(request.user, programme_id)
    year, error = _year(request)
    summary = laep_summary(request.user, programme, year, today=timezone.localdate())
    return programme, year, error, summary


@login_required
@reads_replica
def laep(request, programme_id):
    programme, year, error, summary = _summary(request, programme_id)
    today = timezone.localdate()
    return render(
        request,
        "reporting/laep.html",
        {
            "programme": programme,
            "year": year,
            "error": error,
            "asked": request.GET.get("annee", ""),
            "summary": summary,
            "columns": COLUMNS,
            "years": range(today.year, max(FIRST_DAY.year, today.year - 10) - 1, -1),
        },
        status=400 if error else 200,
    )


def _filename(programme, year, extension):
    return f"laep-{slugify(programme.name)}-{year}.{extension}"


@login_required
@reads_replica
def laep_csv(request, programme_id):
    programme, year, error, summary = _summary(request, programme_id)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        key_figures_csv(_table(summary)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, year, "csv")}"'
    return response


@login_required
@reads_replica
def laep_xlsx(request, programme_id):
    programme, year, error, summary = _summary(request, programme_id)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        tables_xlsx([_table(summary)], title=f"{programme.name} — LAEP {year}"), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, year, "xlsx")}"'
    return response
