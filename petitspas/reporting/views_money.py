"""A programme's budget and funding for a year: read by its organisation's admins,
coordinators and funders, entered by its admins and coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from petitspas.core.bounds import FIRST_DAY, LAST_DAY
from petitspas.core.forms import add_service_errors
from petitspas.core.replica import reads_replica
from petitspas.reporting.exports import key_figures_csv, tables_xlsx
from petitspas.reporting.forms_money import (
    BudgetLineForm,
    FundingForm,
    funding_initial,
    line_initial,
)
from petitspas.reporting.models import Funder
from petitspas.reporting.money import budget_total, funding_total, money_for
from petitspas.reporting.money_tables import money_csv, money_tables
from petitspas.reporting.permissions import (
    access_budget_line,
    access_funding,
    access_programme_budget,
    can_edit_budget,
)
from petitspas.reporting.services_money import (
    budget_line_delete,
    budget_line_save,
    funding_delete,
    funding_save,
)
from petitspas.reporting.templatetags.money_figures import euros

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OVER_FUNDED = (
    "Attention : les financements ({funded}) dépassent le budget ({total}) de {year}. "
    "Vérifiez les montants ou ajoutez les lignes de budget manquantes."
)


def _year(year: int) -> int:
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise Http404
    return year


def _warn_if_over_funded(request, programme, year: int) -> None:
    total, funded = budget_total(programme, year), funding_total(programme, year)
    if funded > total:
        messages.warning(
            request,
            OVER_FUNDED.format(funded=euros(funded), total=euros(total), year=year),
        )


@login_required
def budget_current(request, programme_id):
    programme = access_programme_budget(request.user, programme_id)
    return redirect("reporting:budget", programme.pk, timezone.localdate().year)


def _page(request, programme, year, *, line_form=None, funding_form=None, status=200):
    money = money_for(request.user, programme, year, today=timezone.localdate())
    editable = can_edit_budget(request.user, programme)
    return render(
        request,
        "reporting/budget.html",
        {
            "programme": programme,
            "year": year,
            "money": money,
            "editable": editable,
            "line_form": line_form or BudgetLineForm(),
            "funding_form": funding_form or FundingForm(),
            "known_funders": (
                Funder.objects.filter(organisation=programme.organisation).order_by("name")
                if editable
                else []
            ),
            "years": [year - 1, year + 1],
        },
        status=status,
    )


@login_required
def budget(request, programme_id, year):
    programme = access_programme_budget(request.user, programme_id)
    return _page(request, programme, _year(year))


@login_required
@require_POST
def budget_line_add(request, programme_id, year):
    programme = access_programme_budget(request.user, programme_id, for_="edit")
    year = _year(year)
    form = BudgetLineForm(request.POST)
    if form.is_valid():
        try:
            budget_line_save(
                by=request.user, programme=programme, year=year, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Ligne de budget ajoutée.")
            _warn_if_over_funded(request, programme, year)
            return redirect("reporting:budget", programme.pk, year)
    return _page(request, programme, year, line_form=form, status=400)


@login_required
@require_POST
def funding_add(request, programme_id, year):
    programme = access_programme_budget(request.user, programme_id, for_="edit")
    year = _year(year)
    form = FundingForm(request.POST)
    if form.is_valid():
        try:
            funding_save(by=request.user, programme=programme, year=year, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Financement ajouté.")
            _warn_if_over_funded(request, programme, year)
            return redirect("reporting:budget", programme.pk, year)
    return _page(request, programme, year, funding_form=form, status=400)


def _edit(request, obj, *, form_class, initial, save, delete, kind: str):
    programme = obj.programme
    back = redirect("reporting:budget", programme.pk, obj.year)
    if request.method == "POST" and "supprimer" in request.POST:
        delete(by=request.user, **{kind: obj})
        messages.success(request, "Supprimé.")
        return back
    form = form_class(request.POST if request.method == "POST" else None, initial=initial(obj))
    if request.method == "POST" and form.is_valid():
        try:
            save(
                by=request.user,
                programme=programme,
                year=obj.year,
                **{kind: obj},
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Modification enregistrée.")
            _warn_if_over_funded(request, programme, obj.year)
            return back
    return render(
        request,
        "reporting/budget_edit.html",
        {"programme": programme, "year": obj.year, "form": form, "object": obj, "kind": kind},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def budget_line_edit(request, budget_line_pk):
    line = access_budget_line(request.user, budget_line_pk)
    return _edit(
        request,
        line,
        form_class=BudgetLineForm,
        initial=line_initial,
        save=budget_line_save,
        delete=budget_line_delete,
        kind="line",
    )


@login_required
def funding_edit(request, funding_pk):
    funding = access_funding(request.user, funding_pk)
    return _edit(
        request,
        funding,
        form_class=FundingForm,
        initial=funding_initial,
        save=funding_save,
        delete=funding_delete,
        kind="funding",
    )


def _filename(programme, year: int, extension: str) -> str:
    return f"budget-{slugify(programme.name)}-{year}.{extension}"


@login_required
@reads_replica
def budget_csv(request, programme_id, year):
    programme = access_programme_budget(request.user, programme_id)
    money = money_for(request.user, programme, _year(year), today=timezone.localdate())
    response = HttpResponse(
        key_figures_csv(money_csv(money)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, year, "csv")}"'
    return response


@login_required
@reads_replica
def budget_xlsx(request, programme_id, year):
    programme = access_programme_budget(request.user, programme_id)
    money = money_for(request.user, programme, _year(year), today=timezone.localdate())
    response = HttpResponse(
        tables_xlsx(money_tables(money), title=f"{programme.name} — budget {year}"),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, year, "xlsx")}"'
    return response
