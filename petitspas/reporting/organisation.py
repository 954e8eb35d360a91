"""An organisation's figures: its programmes side by side, each one's figures as its
own dashboard gives them (``figures_for``), and the organisation's total reach, where a
household, a parent or a child reached by two programmes counts once
(``indicators.reach_across``: computed, never the sum of the programmes' counts), each
beside the same period one year earlier. Funders read small cells as "< 5" here as
everywhere."""

import dataclasses
import datetime

from petitspas.reporting.aggregates import caught_up
from petitspas.reporting.indicators import (
    ACROSS_NAMES,
    BY_NAME,
    CONSTRAINTS,
    DERIVED,
    INDICATORS,
    Figures,
    Scope,
    compute,
    figure_row,
    households_counted_by,
    reach_across,
    reads_people,
)
from petitspas.reporting.smallcells import protect
from petitspas.reporting.tables import Table, period_label

TOTAL = "Ensemble de l'organisation"


@dataclasses.dataclass
class OrganisationFigures:
    organisation: object
    start: datetime.date
    end: datetime.date
    programmes: list[Figures]
    reach: dict  # ACROSS_NAMES: distinct over the programmes
    previous: dict
    protected: bool

    @property
    def previous_scope(self) -> Scope:
        return Scope(programme=None, start=self.start, end=self.end).previous_year()

    def total_sections(self) -> list[tuple[str, list[dict]]]:
        """The total reach, year on year, as ``Figures.sections()`` gives a programme's."""
        rows = [figure_row(BY_NAME[n], self.reach[n], self.previous[n]) for n in ACROSS_NAMES]
        return [(TOTAL, rows)] if self.programmes else []

    def total_table(self) -> Table:
        previous = self.previous_scope
        return Table(
            title=TOTAL,
            sheet="Ensemble",
            headers=[
                "Indicateur",
                "Nom",
                f"Période ({period_label(self.start, self.end)})",
                f"Même période un an plus tôt ({period_label(previous.start, previous.end)})",
                "Évolution",
                "Évolution (%)",
            ],
            rows=[
                [r["label"], r["name"], r["value"], r["previous"], r["change"], r["change_pct"]]
                for _title, rows in self.total_sections()
                for r in rows
            ],
        )

    def households_table(self) -> Table:
        """The families reached by each programme and by the organisation (counted
        once), this period and a year earlier: the chart's data."""
        bars = [
            (
                figures.scope.programme.name,
                figures.values["households_reached"],
                figures.previous["households_reached"],
            )
            for figures in self.programmes
        ]
        bars.append(
            ("Organisation", self.reach["households_reached"], self.previous["households_reached"])
        )
        return Table(
            title="Familles touchées par programme",
            sheet="Familles par programme",
            headers=["", "Période", "Un an plus tôt"],
            rows=[list(bar) for bar in bars],
            bars=bars,
        )

    def side_by_side(self) -> Table:
        """Every indicator one programme at least has, one pair of columns per programme
        (the period, a year earlier), then the organisation's pair: its distinct reach,
        empty for the other indicators (a mean, a rate or a visit count of several
        programmes is not theirs to add)."""
        headers = ["Indicateur"]
        for figures in self.programmes:
            name = figures.scope.programme.name
            headers += [name, f"{name} — un an plus tôt"]
        headers += ["Organisation", "Organisation — un an plus tôt"]
        rows = []
        for indicator in INDICATORS:
            cells = []
            for figures in self.programmes:
                cells += [figures.values[indicator.name], figures.previous[indicator.name]]
            if all(cell is None for cell in cells):
                continue
            total = indicator.name in self.reach
            cells += [
                self.reach[indicator.name] if total else None,
                self.previous[indicator.name] if total else None,
            ]
            rows.append([indicator.label, *cells])
        return Table(
            title="Les programmes côte à côte",
            sheet="Programmes",
            headers=headers,
            rows=rows,
        )


def organisation_figures_for(
    user, organisation, programmes: list, *, start: datetime.date, end: datetime.date, today
) -> OrganisationFigures:
    """The figures of ``programmes`` (from ``access_organisation_figures``) for ``user``:
    each counts the households ``user`` may count, as on its own dashboard, and the
    total is their distinct reach. A funder's small cells are hidden over the whole page
    at once (``protect_jointly``), so that no hidden cell of one programme can be
    bounded from the organisation's total and the other programmes."""
    if not programmes:
        empty = dict.fromkeys(ACROSS_NAMES)
        return OrganisationFigures(organisation, start, end, [], empty, empty, False)
    households = households_counted_by(user, programmes[0])
    scopes = [Scope(programme=p, start=start, end=end, households=households) for p in programmes]
    with caught_up():
        values = [compute(scope, today=today) for scope in scopes]
        previous = [compute(scope.previous_year(), today=today) for scope in scopes]
        reach = reach_across(programmes, scopes[0])
        reach_previous = reach_across(programmes, scopes[0].previous_year())
    protected = not reads_people(user, programmes[0])
    if protected:
        values, reach = protect_jointly(values, reach)
        previous, reach_previous = protect_jointly(previous, reach_previous)
    per_programme = [
        Figures(scope=scope, values=v, previous=pv, protected=protected)
        for scope, v, pv in zip(scopes, values, previous, strict=True)
    ]
    return OrganisationFigures(
        organisation, start, end, per_programme, reach, reach_previous, protected
    )


def protect_jointly(per_programme: list[dict], total: dict) -> tuple[list[dict], dict]:
    """Small cells of the programmes' figures and of their distinct total, hidden in
    one pass: each programme's sums (``CONSTRAINTS``), the total's own, and, for each
    reach figure, the total with the programmes' cells as if it were their sum (a
    distinct count is at most their sum, so a single hidden cell among them would be
    bounded by subtraction)."""
    cells = {(i, name): v for i, values in enumerate(per_programme) for name, v in values.items()}
    cells |= {("total", name): v for name, v in total.items()}
    people = {i.name for i in INDICATORS if i.protected}
    keys = [*range(len(per_programme)), "total"]
    constraints = [
        ((key, whole), [(key, part) for part in parts])
        for key in keys
        for whole, parts in CONSTRAINTS
        if key != "total" or all(n in total for n in (whole, *parts))
    ]
    constraints += [
        (("total", name), [(i, name) for i in range(len(per_programme))]) for name in total
    ]
    hidden = protect(
        cells,
        protected={k for k in cells if k[1] in people},
        constraints=constraints,
        derived={(key, k): (key, source) for key in keys for k, source in DERIVED.items()},
    )
    return (
        [{name: hidden[(i, name)] for name in values} for i, values in enumerate(per_programme)],
        {name: hidden[("total", name)] for name in total},
    )
