"""Recurrence rules and the dates where a site can host a session. No database: the
calendar function takes plain objects."""

import datetime
from datetime import date, time
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from petitspas.activities.recurrence import (
    build_monthly,
    build_weekly,
    describe,
    format_hour,
    normalize_rrule,
    occurrences,
    planned_dates,
)
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import SchoolHolidayRule

ALWAYS, TERM, HOLIDAYS = (
    SchoolHolidayRule.ALWAYS,
    SchoolHolidayRule.TERM_ONLY,
    SchoolHolidayRule.HOLIDAYS_ONLY,
)
HOURS = {"am": (time(8, 30), time(12, 15)), "pm": (time(13, 30), time(17, 0))}


def rule(weekday, half_day, school_holidays=ALWAYS, hours=None):
    opens_at, closes_at = hours or HOURS[half_day]
    return SimpleNamespace(
        weekday=weekday,
        half_day=half_day,
        opens_at=opens_at,
        closes_at=closes_at,
        school_holidays=school_holidays,
    )


def lunel_calendar(**kwargs):
    """Seed 001: open Monday to Friday, 8h30-12h15 and 13h30-17h, never on Friday afternoon;
    Hérault (zone C)."""
    weekly = [rule(d, h) for d in range(5) for h in ("am", "pm") if (d, h) != (4, "pm")]
    return SiteCalendar(departement="34", weekly=weekly, **kwargs)


# --- Rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
        ("rrule: freq=monthly; byday=+1tu", "FREQ=MONTHLY;BYDAY=+1TU"),
        ("BYDAY=SA;FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=SA"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ],
)
def test_rules_are_stored_in_one_shape(text, expected):
    assert normalize_rrule(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Indiquez la règle de récurrence"),
        ("tous les mardis", "n'est pas de la forme NOM=VALEUR"),
        ("FREQ=WEEKLY;BYDAY=XX", "« BYDAY=XX » n'est pas compris"),
        ("FREQ=WEEKLY;FOO=1", "« FOO=1 » n'est pas compris"),
        ("BYDAY=TU", "FREQ manque"),
        ("FREQ=SOMETIMES", "fréquence « SOMETIMES » inconnue"),
        ("FREQ=HOURLY", "Une séance par jour au plus"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL doit être un nombre entier"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=4", "N'indiquez ni COUNT"),
        ("FREQ=WEEKLY;UNTIL=20260101", "N'indiquez ni UNTIL"),
        ("FREQ=MONTHLY;BYDAY=+6TU", "BYDAY=+6TU n'existe pas"),
        ("FREQ=WEEKLY;BYDAY=+1TU", "BYDAY=+1TU n'existe pas"),
        ("FREQ=MONTHLY;BYMONTHDAY=40", "BYMONTHDAY=40 n'existe pas"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "ce jour n'existe pas dans ces mois"),
        ("FREQ=WEEKLY;BYHOUR=9", "Les heures se règlent avec « début » et « fin »"),
        ("FREQ=WEEKLY;BYDAY=TU;BYDAY=TH", "une partie est répétée"),
    ],
)
def test_bad_rules_are_refused_in_french(text, message):
    with pytest.raises(ValidationError) as error:
        normalize_rrule(text)
    assert message in error.value.messages[0]


def test_builders_make_the_rules_of_the_seeds():
    # Espace Petits Pas: first Tuesday of each month (seed 000).
    assert build_monthly(position=1, weekday=1) == "FREQ=MONTHLY;BYDAY=+1TU"
    # Point Info Famille: one Saturday morning a month (seed 002), the first one.
    assert build_monthly(position=1, weekday=5) == "FREQ=MONTHLY;BYDAY=+1SA"
    assert build_monthly(position=-1, weekday=4, interval=2) == (
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR"
    )
    # Cabanes: 2 half-days a week on each site (seed 003).
    assert build_weekly(weekdays=[3, 1]) == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert build_weekly(weekdays=["2"], interval=2) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"


def test_builders_refuse_what_makes_no_rule():
    with pytest.raises(ValidationError, match="Cochez au moins un jour"):
        build_weekly(weekdays=[])
    with pytest.raises(ValidationError, match="entre 1 et 52"):
        build_weekly(weekdays=[1], interval=60)
    with pytest.raises(ValidationError, match="semaine du mois"):
        build_monthly(position=7, weekday=1)


def test_rules_are_described_in_french():
    assert describe("FREQ=WEEKLY;BYDAY=TU,TH") == "chaque semaine, le mardi et le jeudi"
    assert describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE") == "toutes les 2 semaines, le mercredi"
    assert describe("FREQ=MONTHLY;BYDAY=+1SA") == "le premier samedi de chaque mois"
    assert describe("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR") == "le dernier vendredi tous les 3 mois"
    assert describe("FREQ=MONTHLY;BYMONTHDAY=15") == "FREQ=MONTHLY;BYMONTHDAY=15"


def test_hours_are_written_the_french_way():
    assert format_hour(time(8, 30)) == "8h30"
    assert format_hour(time(14, 0)) == "14h"


def test_occurrences_of_the_first_tuesday():
    assert occurrences(
        rrule="FREQ=MONTHLY;BYDAY=+1TU", starts_on=date(2025, 9, 1), ends_on=date(2025, 12, 31)
    ) == [date(2025, 9, 2), date(2025, 10, 7), date(2025, 11, 4), date(2025, 12, 2)]


def test_occurrences_include_both_bounds_and_nothing_when_reversed():
    rrule = "FREQ=WEEKLY;BYDAY=TU"
    tuesday = date(2025, 9, 2)
    assert occurrences(rrule=rrule, starts_on=tuesday, ends_on=tuesday) == [tuesday]
    assert occurrences(rrule=rrule, starts_on=tuesday, ends_on=date(2025, 9, 1)) == []


def test_every_other_week_counts_from_the_first_date():
    assert occurrences(
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 9, 30),
    ) == [date(2025, 9, 1), date(2025, 9, 15), date(2025, 9, 29)]


# --- Planned dates on Lunel's calendar ------------------------------------------------------


def test_lunel_never_gets_a_friday_afternoon_session():
    dates = planned_dates(
        rrule="FREQ=WEEKLY;BYDAY=FR",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 12, 31),
        start_time=time(14, 0),
        end_time=time(16, 0),
        calendar=lunel_calendar(),
    )
    assert dates == []


def test_lunel_friday_mornings_skip_the_public_holidays():
    dates = planned_dates(
        rrule="FREQ=WEEKLY;BYDAY=FR",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 5, 31),
        start_time=time(9, 0),
        end_time=time(11, 0),
        calendar=lunel_calendar(),
    )
    fridays = occurrences(
        rrule="FREQ=WEEKLY;BYDAY=FR", starts_on=date(2026, 4, 1), ends_on=date(2026, 5, 31)
    )
    # 1 May 2026 (Fête du Travail) is a Friday; 8 May 2026 (Victoire 1945) too.
    assert set(fridays) - set(dates) == {date(2026, 5, 1), date(2026, 5, 8)}


def test_sessions_outside_the_opening_hours_are_not_planned():
    calendar = lunel_calendar()
    args = {"rrule": "FREQ=WEEKLY;BYDAY=MO", "starts_on": date(2025, 9, 1)}
    args["ends_on"] = date(2025, 9, 30)
    early = planned_dates(**args, start_time=time(8, 0), end_time=time(10, 0), calendar=calendar)
    late = planned_dates(**args, start_time=time(16, 0), end_time=time(17, 30), calendar=calendar)
    exact = planned_dates(**args, start_time=time(8, 30), end_time=time(12, 15), calendar=calendar)
    assert early == [] and late == []
    assert exact == [date(2025, 9, 1), date(2025, 9, 8), date(2025, 9, 15), date(2025, 9, 22)] + [
        date(2025, 9, 29)
    ]


def test_closures_remove_the_dates_they_cover():
    closure = SimpleNamespace(
        starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 8), half_day="pm", reason="Formation"
    )
    dates = planned_dates(
        rrule="FREQ=WEEKLY;BYDAY=MO",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 9, 15),
        start_time=time(14, 0),
        end_time=time(16, 0),
        calendar=lunel_calendar(closures=[closure]),
    )
    assert dates == [date(2025, 9, 1), date(2025, 9, 15)]


# --- Properties -----------------------------------------------------------------------------

# Zone C's school calendar is published up to the summer of 2028.
FIRST_DAY, LAST_DAY = date(2024, 9, 1), date(2028, 6, 30)
SLOTS = [(weekday, half_day) for weekday in range(7) for half_day in ("am", "pm")]


@st.composite
def weekly_rules(draw):
    chosen = draw(st.lists(st.sampled_from(SLOTS), unique=True, max_size=10))
    rules = []
    for weekday, half_day in chosen:
        base = 8 if half_day == "am" else 13
        opens = time(base + draw(st.integers(0, 1)), draw(st.sampled_from([0, 30])))
        closes = time(base + draw(st.integers(3, 4)), draw(st.sampled_from([0, 15, 45])))
        rules.append(
            rule(
                weekday, half_day, draw(st.sampled_from([ALWAYS, TERM, HOLIDAYS])), (opens, closes)
            )
        )
    return rules


@st.composite
def closures(draw):
    found = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.dates(FIRST_DAY, LAST_DAY))
        end = start + datetime.timedelta(days=draw(st.integers(0, 20)))
        half_day = draw(st.sampled_from(["", "am", "pm"]))
        found.append(SimpleNamespace(starts_on=start, ends_on=end, half_day=half_day, reason="x"))
    return found


@st.composite
def rrules(draw):
    if draw(st.booleans()):
        days = draw(st.lists(st.integers(0, 6), min_size=1, max_size=3, unique=True))
        return build_weekly(weekdays=days, interval=draw(st.integers(1, 3)))
    return build_monthly(
        position=draw(st.sampled_from([1, 2, 3, 4, -1])), weekday=draw(st.integers(0, 6))
    )


@st.composite
def session_hours(draw):
    start = time(draw(st.integers(8, 16)), draw(st.sampled_from([0, 15, 30, 45])))
    minutes = draw(st.sampled_from([60, 90, 120, 180]))
    end = (datetime.datetime.combine(date.min, start) + datetime.timedelta(minutes=minutes)).time()
    return start, end


@settings(max_examples=150, deadline=None)
@given(
    weekly=weekly_rules(),
    closed=closures(),
    rrule=rrules(),
    starts_on=st.dates(FIRST_DAY, LAST_DAY - datetime.timedelta(days=120)),
    days=st.integers(0, 120),
    hours=session_hours(),
    departement=st.sampled_from(["93", "34", "57", "69"]),
)
def test_planned_dates_are_exactly_the_occurrences_where_the_site_is_open(
    weekly, closed, rrule, starts_on, days, hours, departement
):
    """No session on a closed half-day, none lost when the site is open. The independent
    check walks the site's openings over the period (``SiteCalendar.openings``)."""
    start_time, end_time = hours
    ends_on = starts_on + datetime.timedelta(days=days)
    calendar = SiteCalendar(departement=departement, weekly=weekly, closures=closed)
    planned = planned_dates(
        rrule=rrule,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        calendar=calendar,
    )
    half_day = "am" if start_time.hour < 13 else "pm"
    hosting = {
        opening.day
        for opening in calendar.openings(starts_on, ends_on)
        if opening.half_day == half_day
        and opening.opens_at <= start_time
        and end_time <= opening.closes_at
    }
    dates = occurrences(rrule=rrule, starts_on=starts_on, ends_on=ends_on)
    assert planned == [day for day in dates if day in hosting]
    assert all(calendar.opening(day, half_day) is not None for day in planned)


@settings(max_examples=100, deadline=None)
@given(
    weekdays=st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True),
    starts_on=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    days=st.integers(0, 400),
)
def test_weekly_occurrences_are_every_chosen_weekday_in_the_period(weekdays, starts_on, days):
    ends_on = starts_on + datetime.timedelta(days=days)
    expected = [
        starts_on + datetime.timedelta(days=n)
        for n in range(days + 1)
        if (starts_on + datetime.timedelta(days=n)).weekday() in weekdays
    ]
    rrule = build_weekly(weekdays=weekdays)
    assert occurrences(rrule=rrule, starts_on=starts_on, ends_on=ends_on) == expected


@settings(max_examples=100, deadline=None)
@given(
    position=st.sampled_from([1, 2, 3, 4, -1]),
    weekday=st.integers(0, 6),
    starts_on=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    days=st.integers(0, 800),
)
def test_monthly_occurrences_fall_once_a_month_on_the_right_weekday(
    position, weekday, starts_on, days
):
    ends_on = starts_on + datetime.timedelta(days=days)
    found = occurrences(
        rrule=build_monthly(position=position, weekday=weekday),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    assert len({(d.year, d.month) for d in found}) == len(found)
    for day in found:
        assert day.weekday() == weekday and starts_on <= day <= ends_on
        if position > 0:
            assert (day.day - 1) // 7 + 1 == position
        else:
            assert (day + datetime.timedelta(days=7)).month != day.month
