"""The annual report of a programme: cover, key figures, the dashboard's charts, the
year-on-year table, the budget and its funders (``reporting.money``) and the observations
the coordinator chose, as PDF (WeasyPrint) and
XLSX (the dashboard's export helpers).

Figures come from ``figures_for`` like every page, for the reader who asked (a funder's
small cells are "< 5"), or, from the shell, for the organisation (exact, or protected
with ``protected=True``). Observations are only the chosen ones' stripped text.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.template.loader import render_to_string

from petitspas.attendance.models import Theme
from petitspas.reporting.charts import bar_chart
from petitspas.reporting.exports import tables_xlsx
from petitspas.reporting.indicators import (
    Figures,
    Scope,
    compute,
    figures_for,
    protect_figures,
)
from petitspas.reporting.models import ReportObservation
from petitspas.reporting.money import Money, money_of
from petitspas.reporting.money_tables import money_tables
from petitspas.reporting.review import people_words, strip_words
from petitspas.reporting.tables import Table, all_tables, period_label

KEY = (
    "households_reached",
    "children_reached",
    "parents_reached",
    "pregnant_women_reached",
    "sessions_held",
    "hours_open",
    "headcount_adults",
    "headcount_children",
)


def year_scope(programme, year: int) -> Scope:
    return Scope(
        programme=programme, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    )


def organisation_figures(scope: Scope, *, today: datetime.date, protected: bool) -> Figures:
    """The figures of every household of the programme, for the shell command (which
    has no reader): what its admins and coordinators read, or a funder with
    ``protected``."""
    values = compute(scope, today=today)
    previous = compute(scope.previous_year(), today=today)
    if protected:
        values, previous = protect_figures(values), protect_figures(previous)
    return Figures(scope=scope, values=values, previous=previous, protected=protected)


def _noop(percent: int, step: str) -> None:
    return None


@dataclasses.dataclass
class ReportContent:
    programme: object
    year: int
    figures: Figures
    tables: list[Table]
    observations: list
    money: Money | None = None

    def as_context(self) -> dict:
        rows = list(self.figures.rows())
        previous = self.figures.scope.previous_year()
        compare = f"comparé à {period_label(previous.start, previous.end)}"
        charts = [
            {
                "table": table,
                "svg": bar_chart(
                    table.title,
                    table.bars,
                    chart_id=f"rapport-graphique-{index}",
                    compare_label=compare if any(b[2] is not None for b in table.bars) else "",
                ),
            }
            for index, table in enumerate(self.tables[1:], start=1)
        ]
        return {
            "programme": self.programme,
            "organisation": self.programme.organisation,
            "year": self.year,
            "figures": self.figures,
            "key": [r for r in rows if r["name"] in KEY],
            "sections": self.figures.sections(),
            "charts": charts,
            "observations": self.observations,
            "money": self.money,
            "period": period_label(self.figures.scope.start, self.figures.scope.end),
            "previous_period": period_label(previous.start, previous.end),
        }


def report_content(
    programme,
    year: int,
    *,
    today: datetime.date,
    user=None,
    protected: bool = False,
    progress: Callable[[int, str], None] = _noop,
) -> ReportContent:
    """What the report holds, for ``user`` (or, without one, the organisation)."""
    scope = year_scope(programme, year)
    progress(10, "Calcul des indicateurs de l'année et de l'année précédente")
    if user is not None:
        figures = figures_for(user, scope, today=today)
    else:
        figures = organisation_figures(scope, today=today, protected=protected)
    progress(45, "Séances par mois et tableaux")
    tables = all_tables(figures, today=today)
    progress(60, "Observations retenues")
    observations = list(ReportObservation.objects.filter(programme=programme, year=year))
    # Stripped when chosen; stripped again against today's families (a family whose
    # first name a note held may have come since).
    words = people_words(programme)
    for observation in observations:
        observation.text = strip_words(observation.text, words)
    progress(70, "Budget et financeurs")
    money = money_of(programme, year, figures=figures)
    return ReportContent(
        programme=programme,
        year=year,
        figures=figures,
        tables=tables,
        observations=observations,
        money=money if money.lines or money.fundings else None,
    )


def report_html(content: ReportContent) -> str:
    return render_to_string("reporting/report_pdf.html", content.as_context())


def report_pdf(content: ReportContent) -> bytes:
    """The report printed by WeasyPrint (imported here: it is slow to load and only the
    job and the command print)."""
    from weasyprint import HTML

    return HTML(string=report_html(content)).write_pdf()


def observations_table(content: ReportContent) -> Table:
    labels = dict(Theme.choices)
    return Table(
        title="Observations retenues",
        sheet="Observations",
        headers=["Date", "Thèmes", "Observation"],
        rows=[
            [
                f"{o.observed_on:%d/%m/%Y}",
                ", ".join(labels.get(t, t) for t in o.themes),
                o.text,
            ]
            for o in content.observations
        ],
    )


def report_xlsx(content: ReportContent) -> bytes:
    title = f"{content.programme.name} — rapport annuel {content.year}"
    money = money_tables(content.money) if content.money else []
    return tables_xlsx([*content.tables, *money, observations_table(content)], title=title)
