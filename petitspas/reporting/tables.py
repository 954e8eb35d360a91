"""The tables every output shows, built once from ``Figures`` (already protected): the
page, its charts, the CSV and the XLSX read the same rows."""

import dataclasses
import datetime

from petitspas.childcare.models import AppointmentReason, RefusalReason
from petitspas.reporting.indicators import (
    Figures,
    Scope,
    activity_by_month,
    appointments_by_reason,
    refusals_by_reason,
)
from petitspas.reporting.smallcells import protect

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

BANDS = (
    "children_reached_0_1",
    "children_reached_1_3",
    "children_reached_3_6",
    "children_reached_6_plus",
)
VISITS = (
    "households_visits_1",
    "households_visits_2_3",
    "households_visits_4_9",
    "households_visits_10_plus",
)
SHORT = {
    "children_reached_0_1": "0-1 an",
    "children_reached_1_3": "1-3 ans",
    "children_reached_3_6": "3-6 ans",
    "children_reached_6_plus": "6 ans et plus",
    "households_visits_1": "1 venue",
    "households_visits_2_3": "2-3 venues",
    "households_visits_4_9": "4-9 venues",
    "households_visits_10_plus": "10 venues ou plus",
}


# The charts' labels (about 16 characters fit); the tables keep the full reasons.
SHORT_REASONS = {
    "no_place": "Plus de place",
    "child_age": "Âge de l'enfant",
    "needs_outside_hours": "Hors horaires",
    "out_of_area": "Hors territoire",
    "pathway_not_confirmed": "Parcours",
    "family_unreachable": "Injoignable",
    "family_declined": "A renoncé",
    "job_interview": "Entretien",
    "training": "Formation",
    "france_travail": "France Travail",
    "plie_workshop": "Atelier PLIE",
    "administrative": "Démarche",
    "other": "Autre",
}


@dataclasses.dataclass
class Table:
    title: str
    sheet: str  # an XLSX sheet's name: 31 characters at most
    headers: list[str]
    rows: list[list]
    # For a chart: (label, value, previous) per category.
    bars: list[tuple] = dataclasses.field(default_factory=list)


def period_label(start: datetime.date, end: datetime.date) -> str:
    return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


def key_figures(figures: Figures) -> Table:
    previous = figures.scope.previous_year()
    return Table(
        title="Chiffres clés",
        sheet="Chiffres clés",
        headers=[
            "Indicateur",
            "Nom",
            f"Période ({period_label(figures.scope.start, figures.scope.end)})",
            f"Même période un an plus tôt ({period_label(previous.start, previous.end)})",
            "Évolution",
            "Évolution (%)",
        ],
        rows=[
            [r["label"], r["name"], r["value"], r["previous"], r["change"], r["change_pct"]]
            for r in figures.rows()
        ],
    )


def _breakdown(figures: Figures, title: str, sheet: str, names) -> Table:
    bars = [(SHORT[n], figures.values[n], figures.previous[n]) for n in names]
    return Table(
        title=title,
        sheet=sheet,
        headers=["", "Période", "Un an plus tôt"],
        rows=[[label, value, previous] for label, value, previous in bars],
        bars=bars,
    )


def months_of(scope: Scope):
    day = scope.start.replace(day=1)
    while day <= scope.end:
        following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        yield max(day, scope.start), min(following - datetime.timedelta(days=1), scope.end)
        day = following


def sessions_by_month(figures: Figures, *, today: datetime.date) -> Table:
    """Sessions and hours per month: no person, nothing to protect. One grouped query
    (``activity_by_month``), a month without a session showing zeros."""
    rows, bars = [], []
    per_month = activity_by_month(figures.scope, today=today)
    empty = {"sessions_held": 0, "hours_open": 0.0, "sessions_cancelled": 0}
    for start, _end in list(months_of(figures.scope))[:36]:
        month = per_month.get(start.replace(day=1), empty)
        label = f"{MONTHS[start.month - 1]} {start.year}"
        rows.append(
            [label, month["sessions_held"], month["hours_open"], month["sessions_cancelled"]]
        )
        bars.append((label, month["sessions_held"], None))
    return Table(
        title="Séances par mois",
        sheet="Séances par mois",
        headers=["Mois", "Séances tenues", "Heures d'ouverture", "Séances annulées"],
        rows=rows,
        bars=bars,
    )


def _by_reason(figures: Figures, counts_of, labels: dict, title: str, sheet: str):
    """A breakdown by reason of an indicator (its total), this period and a year earlier,
    small cells protected as the indicator is (its reasons sum to it); None when the
    programme has no childcare."""
    current = counts_of(figures.scope)
    if current is None:
        return None
    previous = counts_of(figures.scope.previous_year())

    def cells(counts):
        cells = {"total": sum(counts.values()), **counts}
        if figures.protected:
            cells = protect(cells, protected=cells, constraints=[("total", list(counts))])
        return cells

    current, previous = cells(current), cells(previous)
    rows = [[labels[key], current[key], previous[key]] for key in labels]
    return Table(
        title=title,
        sheet=sheet,
        headers=["Motif", "Période", "Un an plus tôt"],
        rows=[*rows, ["Total", current["total"], previous["total"]]],
        bars=[(SHORT_REASONS[key], current[key], previous[key]) for key in labels],
    )


def refusals_table(figures: Figures) -> Table | None:
    return _by_reason(
        figures,
        refusals_by_reason,
        dict(RefusalReason.choices),
        "Orientations refusées par motif",
        "Refus par motif",
    )


def appointments_table(figures: Figures) -> Table | None:
    return _by_reason(
        figures,
        appointments_by_reason,
        dict(AppointmentReason.choices),
        "Rendez-vous des parents couverts par l'accueil des enfants",
        "Rendez-vous couverts",
    )


def all_tables(figures: Figures, *, today: datetime.date) -> list[Table]:
    tables = [
        key_figures(figures),
        _breakdown(figures, "Enfants touchés par âge", "Enfants par âge", BANDS),
        _breakdown(figures, "Familles selon le nombre de venues", "Venues par famille", VISITS),
        sessions_by_month(figures, today=today),
        refusals_table(figures),
        appointments_table(figures),
    ]
    return [table for table in tables if table is not None]
