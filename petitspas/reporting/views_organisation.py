"""An organisation's dashboard: its programmes side by side and its distinct total reach,
year on year, with the same CSV and XLSX as a programme's."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from petitspas.core.replica import reads_replica, replica_lag
from petitspas.reporting.charts import bar_chart
from petitspas.reporting.exports import key_figures_csv, tables_xlsx
from petitspas.reporting.forms import OrganisationFiguresFilterForm, default_period
from petitspas.reporting.organisation import organisation_figures_for
from petitspas.reporting.permissions import access_organisation_figures
from petitspas.reporting.tables import period_label
from petitspas.reporting.views import XLSX, _invalid


def _figures(request, organisation_id):
    """The organisation, its programmes counted, the filter form and, when it is
    valid, the figures."""
    organisation, programmes = access_organisation_figures(request.user, organisation_id)
    today = timezone.localdate()
    if "start" in request.GET or "end" in request.GET:
        form = OrganisationFiguresFilterForm(request.GET.copy())
    else:
        form = OrganisationFiguresFilterForm(default_period(today))
    if not form.is_valid():
        return organisation, programmes, form, None
    figures = organisation_figures_for(
        request.user,
        organisation,
        programmes,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        today=today,
    )
    return organisation, programmes, form, figures


@login_required
@reads_replica
def organisation_dashboard(request, organisation_id):
    organisation, programmes, form, figures = _figures(request, organisation_id)
    chart = None
    if figures is not None and programmes:
        table = figures.households_table()
        previous = figures.previous_scope
        chart = {
            "table": table,
            "svg": bar_chart(
                table.title,
                table.bars,
                chart_id="graphique-familles",
                compare_label=f"période comparée à {period_label(previous.start, previous.end)}",
            ),
        }
    return render(
        request,
        "reporting/organisation_dashboard.html",
        {
            "organisation": organisation,
            "programmes": programmes,
            "form": form,
            "figures": figures,
            "chart": chart,
            "side_by_side": figures.side_by_side() if figures and programmes else None,
            "query": request.GET.urlencode(),
            "replica_lag": replica_lag(),
        },
    )


def _filename(organisation, figures, extension: str) -> str:
    return (
        f"indicateurs-{slugify(organisation.name)}-"
        f"{figures.start:%Y%m%d}-{figures.end:%Y%m%d}.{extension}"
    )


@login_required
@reads_replica
def organisation_csv(request, organisation_id):
    """The side-by-side table: one row per indicator, a pair of columns per programme
    and the organisation's distinct total."""
    organisation, _programmes, form, figures = _figures(request, organisation_id)
    if figures is None:
        return _invalid(form)
    response = HttpResponse(
        key_figures_csv(figures.side_by_side()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(organisation, figures, "csv")}"'
    )
    return response


@login_required
@reads_replica
def organisation_xlsx(request, organisation_id):
    """Three sheets: the organisation's total reach year on year, the families reached
    by each programme (the chart's data), the programmes side by side."""
    organisation, _programmes, form, figures = _figures(request, organisation_id)
    if figures is None:
        return _invalid(form)
    title = f"{organisation.name} — {period_label(figures.start, figures.end)}"
    tables = [figures.total_table(), figures.households_table(), figures.side_by_side()]
    response = HttpResponse(tables_xlsx(tables, title=title), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(organisation, figures, "xlsx")}"'
    )
    return response
