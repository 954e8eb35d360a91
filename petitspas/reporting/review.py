"""The monthly review of a programme (Cabanes' review with the Département) and what a
report may quote of the observations.

``month_review`` reads the month and the month before through ``figures_for`` (the
figures of every page, for the same reader), side by side with the change, and the
month's observations grouped by theme. ``strip_people`` is the one function that turns
an observation into text a funder may read: every household code and first name of the
organisation's families is taken out.
"""

import dataclasses
import datetime
import re
import unicodedata
from collections import defaultdict

from petitspas.attendance.models import Observation, Theme
from petitspas.families.models import Household, Person
from petitspas.reporting.indicators import (
    ACTIVITY,
    HEADCOUNTS,
    REACH,
    REGULARITY,
    Scope,
    _month_end,
    figures_for,
)
from petitspas.reporting.tables import MONTHS

REMOVED = "[…]"
NO_THEME = "Sans thème"
# What the review puts side by side: the month's headcounts first (Cabanes counts its
# open sessions), then the reach and the activity.
REVIEW_SECTIONS = (HEADCOUNTS, REACH, ACTIVITY, REGULARITY)


SHORT_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def short_month(month: datetime.date) -> str:
    """A month in a narrow column ("févr. 2026"): never Django's "M", which gives "Jui"
    for both June and July."""
    return f"{SHORT_MONTHS[month.month - 1]} {month.year}"


def month_label(month: datetime.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def previous_month(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return _month_end(month) + datetime.timedelta(days=1)


@dataclasses.dataclass
class MonthReview:
    month: datetime.date
    previous: datetime.date
    sections: list  # (title, rows): each row the indicator, this month, the month before
    themes: list  # (theme label, observations), in the themes' order, "Sans thème" last
    observations: int
    protected: bool


def month_review(user, programme, month: datetime.date, *, today: datetime.date) -> MonthReview:
    """The figures of ``month`` beside those of the month before (one call of
    ``figures_for`` each, for ``user``), and the month's observations by theme."""
    before = previous_month(month)
    this = figures_for(
        user, Scope(programme=programme, start=month, end=_month_end(month)), today=today,
        compare=False,
    )  # fmt: skip
    last = figures_for(
        user, Scope(programme=programme, start=before, end=_month_end(before)), today=today,
        compare=False,
    )  # fmt: skip
    rows = [
        _side_by_side(row, last.values[row["name"]])
        for row in this.rows()
    ]  # fmt: skip
    sections = [
        (title, [r for r in rows if r["indicator"].section == title]) for title in REVIEW_SECTIONS
    ]
    observations = list(
        month_observations(user, programme, month).select_related(
            "session__site", "session__activity_type"
        )
    )
    return MonthReview(
        month=month,
        previous=before,
        sections=sections,
        themes=by_theme(observations),
        observations=len(observations),
        protected=this.protected,
    )


def _side_by_side(row: dict, previous) -> dict:
    value = row["value"]
    change = change_pct = None
    if isinstance(value, int | float) and isinstance(previous, int | float):
        change = round(value - previous, 1)
        if isinstance(value, int) and isinstance(previous, int):
            change = int(change)
        change_pct = round(100 * (value - previous) / previous, 1) if previous else None
    return {**row, "previous": previous, "change": change, "change_pct": change_pct}


def month_observations(user, programme, month: datetime.date):
    """The observations of the programme's sessions in ``month`` that ``user`` reads."""
    return Observation.objects.visible_to(user).filter(
        session__activity_type__programme=programme,
        observed_on__gte=month,
        observed_on__lte=_month_end(month),
    )


def year_observations(user, programme, year: int):
    return Observation.objects.visible_to(user).filter(
        session__activity_type__programme=programme,
        observed_on__year=year,
    )


def by_theme(observations) -> list[tuple[str, list]]:
    """``(theme label, observations)`` in the order of ``Theme``; an observation with two
    themes is under both; those with none come last, under "Sans thème"."""
    groups = defaultdict(list)
    for observation in observations:
        themes = [t for t in observation.themes if t in Theme.values] or [None]
        for theme in themes:
            groups[theme].append(observation)
    ordered = [(Theme(t).label, groups[t]) for t in Theme.values if t in groups]
    if None in groups:
        ordered.append((NO_THEME, groups[None]))
    return ordered


# --- What a funder may read of an observation ------------------------------------------


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` lower case without accents, and for each of its characters the index of
    the character of ``text`` it comes from (folding may change the length: "ﬁ")."""
    out, origin = [], []
    for index, char in enumerate(text):
        for folded in _fold_char(char):
            out.append(folded)
            origin.append(index)
    return "".join(out), origin


def _pattern(words) -> re.Pattern | None:
    """Whole words only: a name inside another word ("Léa" in "Léane", "Eva" in
    "évaluation") is not one. Longest first, so "Marie-Claire" goes before "Marie"."""
    folded = {_folded(w.strip())[0] for w in words if w and len(w.strip()) >= 2}
    if not folded:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(folded, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def strip_words(text: str, words) -> str:
    """``text`` with every whole-word occurrence of ``words`` replaced by "[…]", whatever
    the case and the accents ("LEA", "léa" and "Léa" alike)."""
    pattern = _pattern(words)
    if pattern is None or not text:
        return text
    folded, origin = _folded(text)
    pieces, last = [], 0
    for match in pattern.finditer(folded):
        start = origin[match.start()]
        end = origin[match.end() - 1] + 1
        if start < last:
            continue
        pieces.append(text[last:start])
        pieces.append(REMOVED)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def people_words(programme) -> list[str]:
    """The household codes and the first names of the families of the programme's
    organisation (a family seen elsewhere in it may still be named in a note)."""
    codes = Household.objects.filter(organisation_id=programme.organisation_id).values_list(
        "code", flat=True
    )
    names = Person.objects.filter(household__organisation_id=programme.organisation_id).values_list(
        "first_name", flat=True
    )
    return [*codes, *names]


def strip_people(text: str, programme) -> str:
    """An observation as a funder may read it: no household code, no first name of the
    programme organisation's families."""
    return strip_words(text, people_words(programme))
