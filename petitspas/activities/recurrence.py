"""Recurrences of series: RFC 5545 RRULEs read with python-dateutil, and the dates where a
site can actually host a session (the calendar function is the judge).

Pure functions: nothing here touches the database. A series stores its rule without
DTSTART, COUNT or UNTIL: the series' own dates ("à partir du", "jusqu'au") bound it, so that
splitting a series ("cette séance et les suivantes") never has to rewrite the rule.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from datetime import date, time

from dateutil import rrule as dateutil_rrule
from django.core.exceptions import ValidationError

from petitspas.places.calendar import SiteCalendar

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# Full names: abbreviations are ambiguous in French ("jui" is June or July).
MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# Position of the weekday in the month for the monthly builder (BYDAY=+1TU…-1TU).
MONTH_POSITIONS = {
    1: "premier",
    2: "deuxième",
    3: "troisième",
    4: "quatrième",
    -1: "dernier",
}
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}

INVALID_RRULE = "La règle de récurrence n'est pas valide ({detail}). Exemple : FREQ=WEEKLY;BYDAY=TU"
EMPTY_RRULE = "Indiquez la règle de récurrence (par exemple FREQ=MONTHLY;BYDAY=+1TU)."
RRULE_BOUNDS = (
    "N'indiquez ni {part} ni DTSTART dans la règle : la série est bornée par ses dates "
    "« à partir du » et « jusqu'au »."
)
RRULE_TOO_FINE = "Une séance par jour au plus : la fréquence doit être quotidienne ou plus espacée."
NO_WEEKDAY = "Cochez au moins un jour de la semaine."
BAD_INTERVAL = "L'intervalle doit être un nombre entier entre 1 et 52."

_PART = re.compile(r"^[A-Z]+=[A-Z0-9,+\-]+$")


# --- Rules ----------------------------------------------------------------------------------


def normalize_rrule(text: str) -> str:
    """``text`` checked and written the way we store it: upper case, no ``RRULE:`` prefix,
    no spaces, FREQ first. Raises ValidationError with a French message."""
    text = re.sub(r"\s+", "", text or "").upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    text = text.strip(";")
    if not text:
        raise ValidationError(EMPTY_RRULE, code="rrule_empty")
    parts = text.split(";")
    for part in parts:
        if not _PART.match(part):
            raise ValidationError(
                INVALID_RRULE.format(detail=f"« {part} » n'est pas de la forme NOM=VALEUR"),
                code="rrule_invalid",
            )
    names = [part.split("=", 1)[0] for part in parts]
    for forbidden in ("COUNT", "UNTIL", "DTSTART"):
        if forbidden in names:
            raise ValidationError(
                RRULE_BOUNDS.format(part="COUNT" if forbidden == "DTSTART" else forbidden),
                code="rrule_bounds",
            )
    if len(set(names)) != len(names):
        raise ValidationError(
            INVALID_RRULE.format(detail="une partie est répétée"), code="rrule_invalid"
        )
    values = dict(part.split("=", 1) for part in parts)
    if "FREQ" not in values:
        raise ValidationError(INVALID_RRULE.format(detail="FREQ manque"), code="rrule_invalid")
    if values["FREQ"] in {"HOURLY", "MINUTELY", "SECONDLY"}:
        raise ValidationError(RRULE_TOO_FINE, code="rrule_too_fine")
    if values["FREQ"] not in FREQUENCIES:
        raise ValidationError(
            INVALID_RRULE.format(detail=f"fréquence « {values['FREQ']} » inconnue"),
            code="rrule_invalid",
        )
    if not values.get("INTERVAL", "1").isdigit() or int(values.get("INTERVAL", "1")) < 1:
        raise ValidationError(
            INVALID_RRULE.format(detail="INTERVAL doit être un nombre entier supérieur à 0"),
            code="rrule_invalid",
        )
    _check_ranges(values)
    others = [part for part in parts if not part.startswith("FREQ=")]
    text = ";".join([f"FREQ={values['FREQ']}", *others])
    # dateutil has the last word on the syntax; name the part it does not understand.
    if _try_parse(text) is None:
        culprit = next(
            (part for part in others if _try_parse(f"FREQ={values['FREQ']};{part}") is None),
            None,
        )
        detail = f"« {culprit} » n'est pas compris" if culprit else "combinaison impossible"
        raise ValidationError(INVALID_RRULE.format(detail=detail), code="rrule_invalid")
    return text


_RANGES = {"BYMONTH": 12, "BYMONTHDAY": 31, "BYYEARDAY": 366, "BYWEEKNO": 53, "BYSETPOS": 366}
_DAYS_IN_MONTH = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
_ORDINAL_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _numbers(value: str, name: str) -> list[int]:
    try:
        return [int(item) for item in value.split(",")]
    except ValueError:
        raise ValidationError(
            INVALID_RRULE.format(detail=f"« {name}={value} » n'est pas compris"),
            code="rrule_invalid",
        ) from None


def _check_ranges(values: dict[str, str]) -> None:
    """Refuse values that can never match. dateutil accepts them and then looks for an
    occurrence up to the year 9999 (seconds of work) before giving up."""
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if name in values:
            raise ValidationError(
                "Les heures se règlent avec « début » et « fin », pas dans la règle.",
                code="rrule_hours",
            )
    for name, top in _RANGES.items():
        if name in values:
            for number in _numbers(values[name], name):
                if number == 0 or abs(number) > top or (name == "BYMONTH" and number < 0):
                    raise ValidationError(
                        INVALID_RRULE.format(detail=f"{name}={number} n'existe pas"),
                        code="rrule_invalid",
                    )
    ordinal_top = {"MONTHLY": 5, "YEARLY": 53}.get(values["FREQ"], 0)
    for item in values.get("BYDAY", "").split(",") if "BYDAY" in values else ():
        match = _ORDINAL_BYDAY.match(item)
        if match and match.group(1) and not 0 < abs(int(match.group(1))) <= ordinal_top:
            raise ValidationError(
                INVALID_RRULE.format(detail=f"BYDAY={item} n'existe pas"), code="rrule_invalid"
            )
    if "BYMONTH" in values and "BYMONTHDAY" in values:
        months = _numbers(values["BYMONTH"], "BYMONTH")
        days = _numbers(values["BYMONTHDAY"], "BYMONTHDAY")
        if all(0 < day > _DAYS_IN_MONTH.get(month, 31) for month in months for day in days):
            raise ValidationError(
                INVALID_RRULE.format(detail="ce jour n'existe pas dans ces mois"),
                code="rrule_invalid",
            )


def _try_parse(text: str, starts_on: date = date(2000, 1, 1)) -> dateutil_rrule.rrule | None:
    try:
        rule = dateutil_rrule.rrulestr(
            text, dtstart=datetime.datetime.combine(starts_on, time()), forceset=False
        )
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    return rule if isinstance(rule, dateutil_rrule.rrule) else None


def occurrences(*, rrule: str, starts_on: date, ends_on: date) -> list[date]:
    """Dates of the rule from ``starts_on`` to ``ends_on`` included (``starts_on`` is the
    rule's DTSTART, so "every 2 weeks" counts from its week)."""
    if ends_on < starts_on:
        return []
    rule = _try_parse(normalize_rrule(rrule), starts_on)
    # UNTIL stops the iteration at the series' end, even for a rule that never matches
    # (BYMONTHDAY=31 in February only), which would otherwise run to the year 9999.
    rule = rule.replace(until=datetime.datetime.combine(ends_on, time()))
    try:
        return [moment.date() for moment in rule]
    except ValueError as error:
        raise ValidationError(
            INVALID_RRULE.format(detail="combinaison impossible"), code="rrule_invalid"
        ) from error


def half_day_of(start_time: time) -> str:
    """The half-day a session belongs to (``Session.half_day`` reads it here)."""
    return "am" if start_time.hour < 13 else "pm"


def fits_opening(opening, start_time: time, end_time: time) -> bool:
    return opening is not None and opening.opens_at <= start_time and end_time <= opening.closes_at


def planned_dates(
    *,
    rrule: str,
    starts_on: date,
    ends_on: date,
    start_time: time,
    end_time: time,
    calendar: SiteCalendar,
) -> list[date]:
    """The occurrences where the site is open on the session's half-day and the session's
    hours lie within that opening. Raises ``SchoolCalendarUnavailable`` when a date depends
    on school holidays that are not published yet."""
    return filter_open_dates(
        occurrences(rrule=rrule, starts_on=starts_on, ends_on=ends_on),
        start_time=start_time,
        end_time=end_time,
        calendar=calendar,
    )


def filter_open_dates(
    dates: Iterable[date], *, start_time: time, end_time: time, calendar: SiteCalendar
) -> list[date]:
    half_day = half_day_of(start_time)
    return [
        day for day in dates if fits_opening(calendar.opening(day, half_day), start_time, end_time)
    ]


def rotation_dates(dates: Iterable[date], *, turn: int, turns: int, offset: int = 0) -> list[date]:
    """In a rotation over ``turns`` sites, the dates that fall to the ``turn``-th one: the
    rule's first date goes to the ``offset``-th site, each next date to the next site.
    ``dates`` are all the rule's occurrences, closed or not, so that a closed date does not
    shift the turns that follow."""
    if turns < 1 or not 0 <= turn < turns:
        raise ValueError(f"turn {turn} of {turns}")
    return [day for index, day in enumerate(dates) if (index + offset) % turns == turn]


def byday_weekdays(rrule: str) -> frozenset[int]:
    """The weekdays a rule names in BYDAY (``+1TU`` and ``TU`` are both Tuesday): the days
    the planner asked for, where every site of the series should open."""
    values = dict(part.split("=", 1) for part in normalize_rrule(rrule).split(";"))
    found = set()
    for item in values.get("BYDAY", "").split(","):
        match = _ORDINAL_BYDAY.match(item)
        if match:
            found.add(WEEKDAY_CODES.index(match.group(2)))
    return frozenset(found)


# --- The simple builder ---------------------------------------------------------------------


def build_weekly(*, weekdays: Iterable[int], interval: int = 1) -> str:
    """ "Tuesday and Thursday, every week" -> ``FREQ=WEEKLY;BYDAY=TU,TH``."""
    weekdays = sorted({int(day) for day in weekdays})
    if not weekdays:
        raise ValidationError(NO_WEEKDAY, code="no_weekday")
    if not 1 <= int(interval) <= 52:
        raise ValidationError(BAD_INTERVAL, code="bad_interval")
    parts = ["FREQ=WEEKLY"]
    if int(interval) > 1:
        parts.append(f"INTERVAL={int(interval)}")
    parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[day] for day in weekdays))
    return ";".join(parts)


def build_monthly(*, position: int, weekday: int, interval: int = 1) -> str:
    """ "The first Tuesday of each month" -> ``FREQ=MONTHLY;BYDAY=+1TU``; "one Saturday
    morning a month" is the first Saturday (``+1SA``) with morning hours."""
    position = int(position)
    if position not in MONTH_POSITIONS:
        raise ValidationError("Choisissez la semaine du mois.", code="bad_position")
    if not 1 <= int(interval) <= 12:
        raise ValidationError(
            "L'intervalle doit être un nombre entier entre 1 et 12.", code="bad_interval"
        )
    parts = ["FREQ=MONTHLY"]
    if int(interval) > 1:
        parts.append(f"INTERVAL={int(interval)}")
    parts.append(f"BYDAY={position:+d}{WEEKDAY_CODES[int(weekday)]}")
    return ";".join(parts)


_MONTHLY_BYDAY = re.compile(r"^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$")


def describe(rrule: str) -> str:
    """The rule in French for the screens ("chaque semaine le mardi et le jeudi", "le premier
    mardi de chaque mois"); the raw rule when it is not one the builder makes."""
    try:
        values = dict(part.split("=", 1) for part in normalize_rrule(rrule).split(";"))
    except ValidationError:
        return rrule
    interval = int(values.get("INTERVAL", "1"))
    known = set(values) <= {"FREQ", "INTERVAL", "BYDAY", "WKST"}
    byday = values.get("BYDAY", "")
    if known and values["FREQ"] == "WEEKLY" and byday:
        codes = byday.split(",")
        if all(code in WEEKDAY_CODES for code in codes):
            names = [f"le {WEEKDAY_NAMES[WEEKDAY_CODES.index(code)]}" for code in codes]
            days = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
            every = "chaque semaine" if interval == 1 else f"toutes les {interval} semaines"
            return f"{every}, {days}"
    if known and values["FREQ"] == "MONTHLY" and byday:
        matches = [_MONTHLY_BYDAY.match(item) for item in byday.split(",")]
        if all(match and int(match.group(1)) in MONTH_POSITIONS for match in matches):
            days = [
                f"le {MONTH_POSITIONS[int(match.group(1))]} "
                f"{WEEKDAY_NAMES[WEEKDAY_CODES.index(match.group(2))]}"
                for match in matches
            ]
            every = "de chaque mois" if interval == 1 else f"tous les {interval} mois"
            return f"{' et '.join(days)} {every}"
    return rrule


def format_hour(moment: time) -> str:
    """French hour: 8h30, 14h."""
    return f"{moment.hour}h{moment.minute:02d}" if moment.minute else f"{moment.hour}h"


def format_day(day: date, *, weekday: bool = True) -> str:
    """French date in words, month in full: « mardi 1er juillet 2025 »."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{WEEKDAY_NAMES[day.weekday()]} {text}" if weekday else text
