from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from petitspas.core.replica import reads_replica, replica_lag
from petitspas.reporting.charts import bar_chart
from petitspas.reporting.exports import key_figures_csv, tables_xlsx
from petitspas.reporting.forms import FiguresFilterForm, default_period
from petitspas.reporting.indicators import Scope, figures_for
from petitspas.reporting.permissions import (
    access_programme_figures,
    can_review,
    organisations_with_figures,
    programmes_with_figures,
)
from petitspas.reporting.tables import all_tables, period_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def programme_list(request):
    programmes = programmes_with_figures(request.user).order_by("organisation__name", "name")
    return render(
        request,
        "reporting/programme_list.html",
        {"programmes": programmes, "organisations": organisations_with_figures(request.user)},
    )


def _figures(request, programme_id):
    """The programme, the filter form and, when it is valid, the figures and tables."""
    programme = access_programme_figures(request.user, programme_id)
    today = timezone.localdate()
    data = request.GET.copy() if "start" in request.GET or "end" in request.GET else None
    if data is None:
        form = FiguresFilterForm(default_period(today), programme=programme)
    else:
        form = FiguresFilterForm(data, programme=programme)
    if not form.is_valid():
        return programme, form, None, []
    scope = Scope(
        programme=programme,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        site_id=form.cleaned_data["site"].pk if form.cleaned_data["site"] else None,
        activity_type_id=(
            form.cleaned_data["activity_type"].pk if form.cleaned_data["activity_type"] else None
        ),
    )
    figures = figures_for(request.user, scope, today=today)
    return programme, form, figures, all_tables(figures, today=today)


@login_required
@reads_replica
def dashboard(request, programme_id):
    programme, form, figures, tables = _figures(request, programme_id)
    sections = []
    charts = []
    if figures is not None:
        sections = figures.sections()
        previous = figures.scope.previous_year()
        compare = f"période comparée à {period_label(previous.start, previous.end)}"
        for index, table in enumerate(tables[1:], start=1):
            charts.append(
                {
                    "table": table,
                    "svg": bar_chart(
                        table.title,
                        table.bars,
                        chart_id=f"graphique-{index}",
                        compare_label=compare if any(b[2] is not None for b in table.bars) else "",
                    ),
                }
            )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "programme": programme,
            "form": form,
            "figures": figures,
            "sections": sections,
            "charts": charts,
            "query": request.GET.urlencode(),
            "reviews": can_review(request.user, programme),
            "replica_lag": replica_lag(),
        },
    )


def _filename(programme, figures, extension: str) -> str:
    scope = figures.scope
    return (
        f"indicateurs-{slugify(programme.name)}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.{extension}"
    )


def _invalid(form) -> HttpResponse:
    errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return HttpResponse(
        f"Filtres invalides : {errors}", status=400, content_type="text/plain; charset=utf-8"
    )


@login_required
@reads_replica
def export_csv(request, programme_id):
    programme, form, figures, tables = _figures(request, programme_id)
    if figures is None:
        return _invalid(form)
    response = HttpResponse(key_figures_csv(tables[0]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(programme, figures, "csv")}"'
    )
    return response


@login_required
@reads_replica
def export_xlsx(request, programme_id):
    programme, form, figures, tables = _figures(request, programme_id)
    if figures is None:
        return _invalid(form)
    title = f"{programme.name} — {period_label(figures.scope.start, figures.scope.end)}"
    response = HttpResponse(tables_xlsx(tables, title=title), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(programme, figures, "xlsx")}"'
    )
    return response
