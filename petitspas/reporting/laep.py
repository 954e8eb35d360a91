"""The CAF activity summary of a LAEP (lieu d'accueil enfants-parents) for a year.

A LAEP is an activity type of kind ``ActivityType.Kind.LAEP``. For each site where the
programme's LAEP sessions took place, and in total: sessions held, hours open, adults and
children welcomed (anonymous headcounts: visits, not distinct people), adults and children
per session (the mean over the sessions whose headcount was entered) and first visits.

No new count: each figure is ``indicators.compute`` over the scope of one LAEP activity
type (and one site), summed over the programme's LAEP activity types. Sessions, hours and
visits add up across activity types and sites; the means are divided after summing.
Funders read visits of 1 to 4 as "< 5", with secondary suppression across the sites and
the total (``smallcells.protect``), and a mean computed from a hidden figure is hidden.
"""

import dataclasses
import datetime

from petitspas.activities.models import ActivityType, Session
from petitspas.reporting.indicators import Scope, compute, households_counted_by, reads_people
from petitspas.reporting.smallcells import protect

# The figures the summary takes from the indicators, summed over LAEP activity types.
SUMMED = (
    "sessions_held",
    "hours_open",
    "sessions_recorded",
    "headcount_adults",
    "headcount_children",
    "headcount_first_visits",
)
COLUMNS = (
    ("sessions_held", "Séances tenues"),
    ("hours_open", "Heures d'ouverture"),
    ("headcount_adults", "Adultes accueillis"),
    ("headcount_children", "Enfants accueillis"),
    ("adults_per_session", "Adultes par séance (moyenne)"),
    ("children_per_session", "Enfants par séance (moyenne)"),
    ("headcount_first_visits", "Premières venues"),
)
PROTECTED = ("headcount_adults", "headcount_children", "headcount_first_visits")
TOTAL = "Total"


@dataclasses.dataclass
class LaepSummary:
    programme: object
    year: int
    activity_types: list
    rows: list  # (site name or "Total", {column: value}), the sites then the total
    protected: bool

    @property
    def sites(self) -> list:
        """The columns of the page: the sites, then the total."""
        return [name for name, _figures in self.rows]

    @property
    def by_measure(self) -> list:
        """(name, label, a value per site and the total) per measure: the page's rows,
        narrow enough for a phone."""
        return [
            (column, label, [figures[column] for _name, figures in self.rows])
            for column, label in COLUMNS
        ]

    @property
    def cells(self) -> list:
        """(site, values in the order of ``COLUMNS``) per row."""
        return [(name, [figures[c] for c, _label in COLUMNS]) for name, figures in self.rows]


def laep_activity_types(programme):
    return ActivityType.objects.filter(programme=programme, kind=ActivityType.Kind.LAEP).order_by(
        "name"
    )


def _summed(scopes, *, today) -> dict:
    figures = dict.fromkeys(SUMMED, 0)
    for scope in scopes:
        computed = compute(scope, today=today)
        for name in SUMMED:
            figures[name] += computed[name] or 0
    figures["hours_open"] = round(figures["hours_open"], 1)
    recorded = figures["sessions_recorded"]
    figures["adults_per_session"] = (
        round(figures["headcount_adults"] / recorded, 1) if recorded else None
    )
    figures["children_per_session"] = (
        round(figures["headcount_children"] / recorded, 1) if recorded else None
    )
    return figures


def laep_summary(user, programme, year: int, *, today: datetime.date) -> LaepSummary:
    """The summary ``user`` reads (the programme came through
    ``reporting.permissions.access_programme_figures``)."""
    types = list(laep_activity_types(programme))
    base = Scope(
        programme=programme,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        households=households_counted_by(user, programme),
    )

    def scopes(site_id=None):
        return [dataclasses.replace(base, activity_type_id=t.pk, site_id=site_id) for t in types]

    sites = (
        Session._base_manager.filter(
            activity_type__in=types, date__gte=base.start, date__lte=base.end
        )
        .values_list("site_id", "site__name")
        .distinct()
        .order_by("site__name")
    )
    rows = [(name, _summed(scopes(site_id), today=today)) for site_id, name in sites]
    rows.append((TOTAL, _summed(scopes(), today=today)))
    protected = not reads_people(user, programme)
    if protected:
        rows = _protect(rows)
    return LaepSummary(
        programme=programme, year=year, activity_types=types, rows=rows, protected=protected
    )


def _protect(rows: list) -> list:
    """Small visits hidden per column, with the total of each column as the sum of the
    sites (no hidden site recoverable by subtracting the others from the total)."""
    cells = {(name, column): figures[column] for name, figures in rows for column in PROTECTED}
    sites = [name for name, _figures in rows if name != TOTAL]
    constraints = [((TOTAL, c), [(site, c) for site in sites]) for c in PROTECTED]
    derived = {}
    for name, _figures in rows:
        derived[(name, "adults_per_session")] = (name, "headcount_adults")
        derived[(name, "children_per_session")] = (name, "headcount_children")
    for name, figures in rows:
        for key in ("adults_per_session", "children_per_session"):
            cells[(name, key)] = figures[key]
    hidden = protect(
        cells, protected=set(cells) - set(derived), constraints=constraints, derived=derived
    )
    return [
        (
            name,
            {
                **figures,
                **{
                    c: hidden[(name, c)]
                    for c in (*PROTECTED, "adults_per_session", "children_per_session")
                },
            },
        )
        for name, figures in rows
    ]
