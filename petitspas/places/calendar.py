"""Is a site open on a given day and half-day, and with which hours and where.

This module is the only place that answers it; the calendar page, bookings, forms (which
reject weekly rules that leave a site never open) and exports all call ``SiteCalendar``.

A half-day slot is open when
1. the site has a weekly rule for that weekday and half-day,
2. the day is not a public holiday in the site's département (Alsace-Moselle has two more),
3. no dated closure covers the day (or that half-day),
4. the rule's school-holiday setting matches the day: "term" only outside the school
   holidays of the site's zone, "holidays" only during them, "always" both.
A temporary relocation covering the day changes the place, never the hours (Cabanes, seed
003). School holidays come from ``vacances-scolaires-france`` and are only looked up when a
rule needs them, so "always" rules work for any year and any département.

``SiteCalendar`` takes plain objects so that forms can check unsaved rules; it never
queries the database itself (``for_site`` reads the site's related managers once).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

import holidays
from vacances_scolaires_france import SchoolHolidayDates

from petitspas.places.models import HalfDay, SchoolHolidayRule
from petitspas.places.zones import school_zone_for_departement

if TYPE_CHECKING:
    from petitspas.places.models import Site

HALF_DAYS = (HalfDay.MORNING.value, HalfDay.AFTERNOON.value)
_ALWAYS = SchoolHolidayRule.ALWAYS.value
_TERM_ONLY = SchoolHolidayRule.TERM_ONLY.value
_HOLIDAYS_ONLY = SchoolHolidayRule.HOLIDAYS_ONLY.value
_RULES = frozenset((_ALWAYS, _TERM_ONLY, _HOLIDAYS_ONLY))
_ONE_DAY = datetime.timedelta(days=1)

# Why a slot is closed, shown on the calendar page.
REASON_NO_OPENING = "Pas d'ouverture ce jour"
REASON_PUBLIC_HOLIDAY = "Jour férié : {name}"
REASON_CLOSURE = "Fermeture : {reason}"
REASON_SCHOOL_HOLIDAYS = "Vacances scolaires ({name})"
REASON_OUTSIDE_SCHOOL_HOLIDAYS = "Hors vacances scolaires : fermé"
REASON_SCHOOL_CALENDAR_UNKNOWN = "Calendrier des vacances scolaires pas encore publié"

# Départements whose public holidays differ from the national list, as ``holidays.France``
# names them: Moselle and Alsace (Good Friday, 26 December), then the overseas ones.
_HOLIDAY_SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "975": "PM",
    "976": "976",
    "977": "BL",
    "978": "MF",
    "986": "WF",
    "987": "PF",
    "988": "NC",
}


class SchoolCalendarUnavailable(Exception):
    """A weekly rule depends on school holidays that we cannot know: the site has no zone
    (Corsica, overseas) or the date is outside the published calendar."""


@dataclass(frozen=True, slots=True)
class Opening:
    day: date
    half_day: str
    opens_at: time
    closes_at: time
    place_name: str
    address: str
    relocated: bool


@dataclass(frozen=True, slots=True)
class SlotStatus:
    day: date
    half_day: str
    opening: Opening | None
    reason: str  # "" when open


# --- Public holidays ----------------------------------------------------------------------


@functools.cache
def _public_holidays(subdiv: str | None, year: int) -> dict[date, str]:
    # Building holidays.France costs ~1 ms: once per (year, subdivision) per process.
    return dict(holidays.France(years=year, subdiv=subdiv, language="fr"))


def public_holidays(departement: str, year: int) -> dict[date, str]:
    """French public holidays of ``year`` in ``departement``, with their French names."""
    return dict(_public_holidays(_HOLIDAY_SUBDIVISIONS.get(departement), year))


# --- School holidays ----------------------------------------------------------------------


@functools.cache
def _school_holiday_dates() -> SchoolHolidayDates:
    # Reads the package's CSV (~0.2 s): once per process, and only when a rule needs it.
    return SchoolHolidayDates()


@functools.cache
def _school_calendar_bounds() -> tuple[date, date]:
    """First and last day the package knows. Its CSV goes on to 31 December of its last
    year, but holidays after the last summer are missing, so the last known holiday day
    ends what we can trust."""
    dates = _school_holiday_dates()
    return date(dates.min_year, 1, 1), max(dates.data)


@functools.cache
def _school_holidays(zone: str, year: int) -> dict[date, str]:
    entries = _school_holiday_dates().holidays_for_year_and_zone(year, zone)
    return {day: entry["nom_vacances"] for day, entry in entries.items()}


def school_holiday_name(zone: str | None, day: date) -> str | None:
    """Name of the school-holiday period of ``zone`` that contains ``day`` ("Vacances
    d'hiver"…), or None on a school day. Raises SchoolCalendarUnavailable without a zone
    or outside the published calendar."""
    if zone not in SchoolHolidayDates.SUPPORTED_ZONES:
        raise SchoolCalendarUnavailable(
            "Les vacances scolaires ne sont connues que pour les zones A, B et C de "
            "métropole : ce lieu ne peut pas avoir d'horaires « hors vacances scolaires » "
            "ou « pendant les vacances scolaires »."
        )
    first, last = _school_calendar_bounds()
    if not first <= day <= last:
        raise SchoolCalendarUnavailable(
            f"Le calendrier des vacances scolaires n'est pas encore connu pour le "
            f"{day:%d/%m/%Y} (il l'est du {first:%d/%m/%Y} au {last:%d/%m/%Y})."
        )
    return _school_holidays(zone, day.year).get(day)


# --- Site calendar ------------------------------------------------------------------------


class SiteCalendar:
    """Openings of one site. ``weekly`` holds WeeklyOpening-like objects (``weekday``,
    ``half_day``, ``opens_at``, ``closes_at``, ``school_holidays``), ``closures``
    SiteClosure-like ones (``starts_on``, ``ends_on``, ``half_day``, ``reason``) and
    ``relocations`` SiteRelocation-like ones (``starts_on``, ``ends_on``, ``place_name``,
    ``address``). Saved or not: nothing here touches the database."""

    def __init__(
        self,
        *,
        departement: str,
        weekly: Iterable,
        closures: Iterable = (),
        relocations: Iterable = (),
        site_name: str = "",
        site_address: str = "",
    ):
        self.departement = departement
        self.school_zone = school_zone_for_departement(departement)
        self.site_name = site_name
        self.site_address = site_address
        self._holiday_subdiv = _HOLIDAY_SUBDIVISIONS.get(departement)
        # (weekday, half_day) -> rules. The database allows one rule per slot; an unsaved
        # formset may hold two, and then the first that applies to the day wins.
        rules: dict[tuple[int, str], list] = {}
        for rule in weekly:
            if rule.school_holidays not in _RULES:
                raise ValueError(f"Unknown school-holiday rule: {rule.school_holidays!r}")
            rules.setdefault((int(rule.weekday), str(rule.half_day)), []).append(rule)
        self._rules = {slot: tuple(slot_rules) for slot, slot_rules in rules.items()}
        self._weekdays = frozenset(weekday for weekday, _ in self._rules)
        self._closures = tuple(sorted(closures, key=lambda closure: closure.starts_on))
        # Latest start first: a relocation starting later overrides an open-ended one.
        self._relocations = tuple(
            sorted(relocations, key=lambda relocation: relocation.starts_on, reverse=True)
        )

    @classmethod
    def for_site(cls, site: Site, *, address: str | None = None) -> SiteCalendar:
        """Reads ``weekly_openings``, ``closures`` and ``relocations`` through ``.all()``:
        no query when they are prefetched, three otherwise, none afterwards. ``address``:
        the site's address as the reader may see it (``places.permissions.site_address``),
        the street by default."""
        return cls(
            departement=site.departement,
            weekly=site.weekly_openings.all(),
            closures=site.closures.all(),
            relocations=site.relocations.all(),
            site_name=site.name,
            site_address=site.address if address is None else address,
        )

    def opening(self, day: date, half_day: str) -> Opening | None:
        result = self._evaluate(_check_day(day), _check_half_day(half_day))
        return result if isinstance(result, Opening) else None

    def status(self, day: date, half_day: str) -> SlotStatus:
        """For display: a slot that depends on an unpublished school calendar is shown as
        unknown rather than failing the page (``opening`` raises for it)."""
        day, half_day = _check_day(day), _check_half_day(half_day)
        try:
            result = self._evaluate(day, half_day)
        except SchoolCalendarUnavailable:
            result = REASON_SCHOOL_CALENDAR_UNKNOWN
        if isinstance(result, Opening):
            return SlotStatus(day, half_day, result, "")
        return SlotStatus(day, half_day, None, result)

    def openings(self, start: date, end: date) -> list[Opening]:
        """Openings from ``start`` to ``end`` included, in order, morning before afternoon."""
        found = []
        for day in _days(_check_day(start), _check_day(end)):
            if day.weekday() not in self._weekdays:
                continue
            for half_day in HALF_DAYS:
                result = self._evaluate(day, half_day)
                if isinstance(result, Opening):
                    found.append(result)
        return found

    def statuses(self, start: date, end: date) -> list[SlotStatus]:
        """Every slot from ``start`` to ``end`` included, open or not, in order."""
        return [
            self.status(day, half_day)
            for day in _days(_check_day(start), _check_day(end))
            for half_day in HALF_DAYS
        ]

    def first_opening(self, start: date, *, days: int = 366) -> Opening | None:
        """First opening in the ``days`` days from ``start``, or None: a site whose rules
        give no opening in a year is never open. Looks no further than needed, so school
        holidays beyond the first opening are never required."""
        if not self._rules or days <= 0:
            return None
        start = _check_day(start)
        for day in _days(start, start + datetime.timedelta(days=days - 1)):
            if day.weekday() not in self._weekdays:
                continue
            for half_day in HALF_DAYS:
                result = self._evaluate(day, half_day)
                if isinstance(result, Opening):
                    return result
        return None

    def _evaluate(self, day: date, half_day: str) -> Opening | str:
        """The opening, or the reason why there is none."""
        rules = self._rules.get((day.weekday(), half_day))
        if rules is None:
            return REASON_NO_OPENING
        holiday = _public_holidays(self._holiday_subdiv, day.year).get(day)
        if holiday is not None:
            return REASON_PUBLIC_HOLIDAY.format(name=holiday)
        # Before the school rule: a closure needs no school calendar, and says more.
        for closure in self._closures:
            if closure.starts_on > day:
                break
            if day <= closure.ends_on and (not closure.half_day or closure.half_day == half_day):
                return REASON_CLOSURE.format(reason=closure.reason)
        rule = self._applicable_rule(rules, day)
        if isinstance(rule, str):
            return rule
        place_name, address, relocated = self.place_on(day)
        return Opening(day, half_day, rule.opens_at, rule.closes_at, place_name, address, relocated)

    def place_on(self, day: date) -> tuple[str, str, bool]:
        """Where the site is on ``day``, open or not: ``(place name, address, relocated)``,
        from the relocation covering the day (the latest started wins) or the site itself."""
        for relocation in self._relocations:
            if relocation.starts_on <= day and (
                relocation.ends_on is None or day <= relocation.ends_on
            ):
                return relocation.place_name, relocation.address or self.site_address, True
        return self.site_name, self.site_address, False

    def _applicable_rule(self, rules: tuple, day: date):
        """The first rule whose school-holiday setting fits the day, or the reason none does."""
        holiday_name = None
        looked_up = False
        for rule in rules:
            if rule.school_holidays == _ALWAYS:
                return rule
            if not looked_up:
                holiday_name = self._school_holiday_name(day)
                looked_up = True
            if (rule.school_holidays == _HOLIDAYS_ONLY) == (holiday_name is not None):
                return rule
        if holiday_name is not None:
            return REASON_SCHOOL_HOLIDAYS.format(name=holiday_name)
        return REASON_OUTSIDE_SCHOOL_HOLIDAYS

    def _school_holiday_name(self, day: date) -> str | None:
        if self.school_zone is None:
            raise SchoolCalendarUnavailable(
                f"Le département {self.departement} n'a pas de zone de vacances scolaires "
                "connue (A, B ou C) : choisissez des horaires valables en période scolaire "
                "et pendant les vacances."
            )
        return school_holiday_name(self.school_zone, day)


def _check_day(day: date) -> date:
    # A datetime would never match the date keys of the holiday tables.
    if type(day) is not date:
        raise TypeError(f"Expected a datetime.date, got {type(day).__name__}")
    return day


def _check_half_day(half_day: str) -> str:
    half_day = str(half_day)
    if half_day not in HALF_DAYS:
        raise ValueError(f"Unknown half-day: {half_day!r}")
    return half_day


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY


def opening(site: Site, day: date, half_day: str) -> Opening | None:
    return SiteCalendar.for_site(site).opening(day, half_day)


def openings(site: Site, start: date, end: date) -> list[Opening]:
    return SiteCalendar.for_site(site).openings(start, end)
