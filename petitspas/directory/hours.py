"""Opening hours in OpenStreetMap syntax (``horaires_accueil``), read by opening-hours-py
with France's public holidays and Paris time: "ouvert maintenant" and the next opening."""

import dataclasses
import datetime
import re
import zoneinfo

import opening_hours
from django.utils import timezone

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HOURS_ERROR = (
    "Les horaires « {text} » ne sont pas lisibles. Utilisez le format OpenStreetMap, par "
    "exemple « Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off » (jours en anglais : "
    "Mo Tu We Th Fr Sa Su, heures sur 24 h)."
)


def hours_error(text: str) -> str | None:
    """A French message when ``text`` is not valid OSM opening hours, else None."""
    if not text:
        return None
    try:
        opening_hours.OpeningHours(text, timezone=PARIS, country="FR")
    except (opening_hours.ParserError, SyntaxError, ValueError):
        return HOURS_ERROR.format(text=text[:80])
    return None


@dataclasses.dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    # When it closes (open now) or next opens (closed now); None when never.
    next_change: datetime.datetime | None


def open_status(text: str, now: datetime.datetime | None = None) -> OpenStatus | None:
    """Open now, and the next change; None without hours or with unreadable ones."""
    if not text or hours_error(text):
        return None
    hours = opening_hours.OpeningHours(text, timezone=PARIS, country="FR")
    moment = (now or timezone.now()).astimezone(PARIS)
    is_open = hours.is_open(moment)
    change = hours.next_change(moment)
    if change is not None and change.year >= 9999:
        change = None
    return OpenStatus(is_open=is_open, next_change=change)


# A reference month read to put hours in words: February 2026 has no French public holiday
# and each weekday exactly four times (1st to 4th of the month).
_REFERENCE_MONTH = datetime.date(2026, 2, 1)
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_DAYS_PLURAL = ("lundis", "mardis", "mercredis", "jeudis", "vendredis", "samedis", "dimanches")
_RANKS = ("1er", "2e", "3e", "4e")
# Rules bound to months, dates or weeks, which one reference month cannot put in words.
_DATED = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|easter|SH)\b|\b\d{4}\b"
)


def _clock(moment: datetime.time) -> str:
    return f"{moment.hour} h" if not moment.minute else f"{moment.hour} h {moment.minute:02d}"


def _day_periods(hours, day: datetime.date) -> tuple[str, ...]:
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=PARIS)
    end = start + datetime.timedelta(days=1)
    periods = []
    for begin, finish, state, comment in hours.intervals(start, end):
        if state != opening_hours.State.OPEN:
            continue
        begin, finish = max(begin, start), min(finish or end, end)
        if finish <= begin:
            continue
        if (begin, finish) == (start, end):
            text = "24 h sur 24"
        else:
            text = f"{_clock(begin.time())} – {'24 h' if finish == end else _clock(finish.time())}"
        periods.append(f"{text} ({comment})" if comment else text)
    return tuple(periods)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def _days_in_words(days: list[int]) -> str:
    if days == list(range(7)):
        return "Tous les jours"
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"du {_DAYS[run[0]]} au {_DAYS[run[-1]]}")
        else:
            parts.extend(_DAYS[day] for day in run)
    text = _join(parts)
    return text[0].upper() + text[1:]


def describe_hours(text: str) -> list[str]:
    """Opening hours in plain French, one line per group of days, read through the parser
    (never by hand): "Du lundi au vendredi : 9 h – 12 h et 14 h – 17 h 30", "Le 1er samedi
    du mois : 9 h – 12 h", "Fermé les jours fériés". Empty without hours or with unreadable
    ones."""
    if not text or hours_error(text):
        return []
    hours = opening_hours.OpeningHours(text, timezone=PARIS, country="FR")
    # weekday -> the open periods of its 1st, 2nd, 3rd and 4th occurrence in the month.
    weeks: dict[int, list[tuple[str, ...]]] = {d: [] for d in range(7)}
    for offset in range(28):
        day = _REFERENCE_MONTH + datetime.timedelta(days=offset)
        weeks[day.weekday()].append(_day_periods(hours, day))
    lines: list[str] = []
    regular: list[tuple[int, tuple[str, ...]]] = []
    for weekday in range(7):
        occurrences = weeks[weekday]
        if len(set(occurrences)) == 1:
            if occurrences[0]:
                regular.append((weekday, occurrences[0]))
            continue
        for periods in sorted({p for p in occurrences if p}):
            ranks = [_RANKS[i] for i, p in enumerate(occurrences) if p == periods]
            name = _DAYS[weekday] if len(ranks) == 1 else _DAYS_PLURAL[weekday]
            regular_or_not = f"Le {_join(ranks)} {name} du mois"
            if len(ranks) > 1:
                regular_or_not = f"Les {_join(ranks)} {name} du mois"
            lines.append((weekday, f"{regular_or_not} : {_join(list(periods))}"))
    # Days with the same hours make one line: "Du lundi au mercredi et vendredi : …".
    by_periods: dict[tuple[str, ...], list[int]] = {}
    for weekday, periods in regular:
        by_periods.setdefault(periods, []).append(weekday)
    worded = [
        (days[0], f"{_days_in_words(days)} : {_join(list(periods))}")
        for periods, days in by_periods.items()
    ]
    result = [line for _, line in sorted(worded + lines, key=lambda item: item[0])]
    if re.search(r"\bPH\s+off\b", text, re.IGNORECASE):
        result.append("Fermé les jours fériés")
    if _DATED.search(text):
        result.append("D'autres horaires s'appliquent à certaines périodes : se renseigner")
    if not result:
        result.append("Pas d'accueil régulier : se renseigner")
    return result
