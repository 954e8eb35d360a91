"""Opening days and hours of a site: public holidays, school holidays, closures, relocations.

Expected school-holiday dates are copied by hand from the official calendar as published in
vacances-scolaires-france 0.12 (which counts the days off, Saturday to Sunday: zone C's
winter holidays 2025 run 15 February-2 March, school resuming Monday 3 March).
"""

import datetime
import functools
from datetime import date, time
from types import SimpleNamespace

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vacances_scolaires_france import SchoolHolidayDates

from petitspas.places import calendar
from petitspas.places.calendar import (
    Opening,
    SchoolCalendarUnavailable,
    SiteCalendar,
    SlotStatus,
    public_holidays,
    school_holiday_name,
)
from petitspas.places.models import (
    HalfDay,
    SchoolHolidayRule,
    Site,
    SiteClosure,
    SiteRelocation,
    WeeklyOpening,
)
from petitspas.places.tests.factories import SiteFactory, WeeklyOpeningFactory

AM, PM = HalfDay.MORNING, HalfDay.AFTERNOON
ALWAYS = SchoolHolidayRule.ALWAYS
TERM = SchoolHolidayRule.TERM_ONLY
HOLIDAYS = SchoolHolidayRule.HOLIDAYS_ONLY
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
HOURS = {AM: (time(8, 30), time(12, 15)), PM: (time(13, 30), time(17, 0))}
# One département per zone; Lunel is in Hérault.
DEPARTEMENT_OF_ZONE = {"A": "69", "B": "59", "C": "34"}


def rule(weekday, half_day, school_holidays=ALWAYS):
    opens_at, closes_at = HOURS[half_day]
    return SimpleNamespace(
        weekday=weekday,
        half_day=half_day,
        opens_at=opens_at,
        closes_at=closes_at,
        school_holidays=school_holidays,
    )


def every_half_day(school_holidays=ALWAYS, weekdays=range(7)):
    return [rule(weekday, half_day, school_holidays) for weekday in weekdays for half_day in HOURS]


def closure(starts_on, ends_on=None, half_day="", reason="Travaux"):
    return SimpleNamespace(
        starts_on=starts_on, ends_on=ends_on or starts_on, half_day=half_day, reason=reason
    )


def relocation(starts_on, ends_on, place_name, address=""):
    return SimpleNamespace(
        starts_on=starts_on, ends_on=ends_on, place_name=place_name, address=address
    )


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


# --- Real calendars: public holidays ------------------------------------------------------


@pytest.mark.parametrize("zone", ["A", "B", "C"])
@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2024, 12, 25), "Noël"),
        (date(2025, 12, 25), "Noël"),
        (date(2026, 12, 25), "Noël"),
        (date(2024, 7, 14), "Fête nationale"),
        (date(2025, 7, 14), "Fête nationale"),
        (date(2026, 7, 14), "Fête nationale"),
        (date(2025, 4, 21), "Lundi de Pâques"),
        (date(2025, 5, 1), "Fête du Travail"),
        (date(2024, 11, 1), "Toussaint"),
    ],
)
def test_site_open_every_day_is_closed_on_public_holidays(zone, day, name):
    site = SiteCalendar(departement=DEPARTEMENT_OF_ZONE[zone], weekly=every_half_day())

    assert site.opening(day, AM) is None
    assert site.status(day, PM).reason == f"Jour férié : {name}"
    assert site.opening(day + datetime.timedelta(days=1), AM) is not None


@pytest.mark.parametrize("departement", ["57", "67", "68"])
def test_alsace_moselle_also_closes_on_good_friday_and_saint_etienne(departement):
    site = SiteCalendar(departement=departement, weekly=every_half_day())
    lunel = SiteCalendar(departement="34", weekly=every_half_day())

    assert site.status(date(2025, 4, 18), AM).reason == "Jour férié : Vendredi saint"
    assert site.status(date(2025, 12, 26), AM).reason == "Jour férié : Saint-Étienne"
    assert lunel.opening(date(2025, 4, 18), AM) is not None
    assert lunel.opening(date(2025, 12, 26), AM) is not None


def test_public_holidays_lists_the_year_with_french_names():
    assert public_holidays("34", 2025) == {
        date(2025, 1, 1): "Jour de l'an",
        date(2025, 4, 21): "Lundi de Pâques",
        date(2025, 5, 1): "Fête du Travail",
        date(2025, 5, 8): "Fête de la Victoire",
        date(2025, 5, 29): "Ascension",
        date(2025, 6, 9): "Lundi de Pentecôte",
        date(2025, 7, 14): "Fête nationale",
        date(2025, 8, 15): "Assomption",
        date(2025, 11, 1): "Toussaint",
        date(2025, 11, 11): "Armistice",
        date(2025, 12, 25): "Noël",
    }


def test_public_holidays_of_moselle_add_two_days():
    extra = public_holidays("57", 2025).keys() - public_holidays("93", 2025).keys()

    assert extra == {date(2025, 4, 18), date(2025, 12, 26)}


def test_changing_the_returned_public_holidays_does_not_change_the_calendar():
    public_holidays("93", 2026).clear()

    assert date(2026, 12, 25) in public_holidays("93", 2026)


# --- Real calendars: school holidays ------------------------------------------------------

# (zone, first day off, last day off, name), from the package's data.
SCHOOL_HOLIDAYS = [
    ("A", date(2024, 10, 19), date(2024, 11, 3), "Vacances de la Toussaint"),
    ("B", date(2024, 10, 19), date(2024, 11, 3), "Vacances de la Toussaint"),
    ("C", date(2024, 10, 19), date(2024, 11, 3), "Vacances de la Toussaint"),
    ("A", date(2024, 12, 21), date(2025, 1, 5), "Vacances de Noël"),
    ("C", date(2025, 12, 20), date(2026, 1, 4), "Vacances de Noël"),
    ("A", date(2025, 2, 22), date(2025, 3, 9), "Vacances d'hiver"),
    ("B", date(2025, 2, 8), date(2025, 2, 23), "Vacances d'hiver"),
    ("C", date(2025, 2, 15), date(2025, 3, 2), "Vacances d'hiver"),
    ("C", date(2025, 7, 5), date(2025, 8, 31), "Vacances d'été"),
    ("A", date(2026, 4, 4), date(2026, 4, 19), "Vacances de printemps"),
    ("B", date(2026, 4, 11), date(2026, 4, 26), "Vacances de printemps"),
    ("C", date(2026, 4, 18), date(2026, 5, 3), "Vacances de printemps"),
]


@pytest.mark.parametrize(("zone", "first", "last", "name"), SCHOOL_HOLIDAYS)
def test_school_holiday_name_covers_the_period_and_no_more(zone, first, last, name):
    before, after = first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)

    assert school_holiday_name(zone, before) is None
    assert school_holiday_name(zone, first) == name
    assert school_holiday_name(zone, last) == name
    assert school_holiday_name(zone, after) is None


@pytest.mark.parametrize(("zone", "first", "last", "name"), SCHOOL_HOLIDAYS)
def test_term_and_holiday_rules_follow_the_zone_calendar(zone, first, last, name):
    departement = DEPARTEMENT_OF_ZONE[zone]
    term = SiteCalendar(departement=departement, weekly=every_half_day(TERM))
    vacation = SiteCalendar(departement=departement, weekly=every_half_day(HOLIDAYS))
    before, after = first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)

    for day in (first, last):
        assert term.status(day, AM).reason == f"Vacances scolaires ({name})"
        assert vacation.opening(day, AM) is not None
    for day in (before, after):
        assert term.opening(day, AM) is not None
        assert vacation.status(day, AM).reason == "Hors vacances scolaires : fermé"


@pytest.mark.parametrize(
    ("day", "on_holiday_in_zones"),
    [
        (date(2025, 2, 11), "B"),
        (date(2025, 2, 18), "BC"),
        (date(2025, 2, 25), "AC"),
        (date(2025, 3, 4), "A"),
        (date(2025, 3, 11), ""),
    ],
)
def test_winter_holidays_2025_differ_by_zone(day, on_holiday_in_zones):
    for zone, departement in DEPARTEMENT_OF_ZONE.items():
        site = SiteCalendar(departement=departement, weekly=every_half_day(TERM))
        assert (site.opening(day, AM) is None) is (zone in on_holiday_in_zones), zone


# --- Lunel, Les Petits Pas (seed 001) -----------------------------------------------------
# Open 8:30-12:15 and 13:30-17:00, closed every Friday afternoon. The "accueil de loisirs
# du parc" hosts Mondays, Tuesdays, Thursdays and Fridays outside school holidays, the
# "école Arc-en-Ciel" Wednesdays and the school holidays. Rules are unsaved model
# instances, as a form would check them.


def lunel_rule(weekday, half_day, school_holidays):
    opens_at, closes_at = HOURS[half_day]
    return WeeklyOpening(
        weekday=weekday,
        half_day=half_day,
        opens_at=opens_at,
        closes_at=closes_at,
        school_holidays=school_holidays,
    )


def lunel_weekdays(school_holidays):
    """Monday, Tuesday and Thursday all day, Friday morning only."""
    return [
        lunel_rule(weekday, half_day, school_holidays)
        for weekday in (MON, TUE, THU)
        for half_day in (AM, PM)
    ] + [lunel_rule(FRI, AM, school_holidays)]


PARC = SiteCalendar(
    departement="34",
    weekly=lunel_weekdays(TERM),
    site_name="Accueil de loisirs du parc",
    site_address="73 rue de l'École du Parc",
)
ARC_EN_CIEL = SiteCalendar(
    departement="34",
    weekly=[lunel_rule(WED, AM, ALWAYS), lunel_rule(WED, PM, ALWAYS), *lunel_weekdays(HOLIDAYS)],
    site_name="École maternelle Arc-en-Ciel",
    site_address="149 rue des 4 Vents",
)


def test_lunel_inauguration_wednesday_is_open_at_arc_en_ciel_in_the_afternoon():
    assert ARC_EN_CIEL.opening(date(2024, 3, 27), PM) == Opening(
        day=date(2024, 3, 27),
        half_day="pm",
        opens_at=time(13, 30),
        closes_at=time(17, 0),
        place_name="École maternelle Arc-en-Ciel",
        address="149 rue des 4 Vents",
        relocated=False,
    )


def test_lunel_wednesday_in_term_only_arc_en_ciel_is_open():
    wednesday = date(2024, 11, 13)

    assert ARC_EN_CIEL.opening(wednesday, AM).opens_at == time(8, 30)
    assert ARC_EN_CIEL.opening(wednesday, AM).closes_at == time(12, 15)
    assert PARC.opening(wednesday, AM) is None
    assert PARC.status(wednesday, PM).reason == "Pas d'ouverture ce jour"


def test_lunel_tuesday_in_term_only_the_parc_is_open():
    tuesday = date(2024, 11, 12)

    assert PARC.opening(tuesday, AM).place_name == "Accueil de loisirs du parc"
    assert PARC.opening(tuesday, PM).address == "73 rue de l'École du Parc"
    assert ARC_EN_CIEL.status(tuesday, AM).reason == "Hors vacances scolaires : fermé"


def test_lunel_tuesday_in_school_holidays_only_arc_en_ciel_is_open():
    tuesday = date(2024, 10, 22)  # Toussaint, zone C

    assert ARC_EN_CIEL.opening(tuesday, AM) is not None
    assert ARC_EN_CIEL.opening(tuesday, PM) is not None
    assert PARC.status(tuesday, AM).reason == "Vacances scolaires (Vacances de la Toussaint)"


def test_lunel_friday_afternoon_nobody_is_open():
    fridays = [day for day in days(date(2024, 3, 1), date(2026, 12, 31)) if day.weekday() == FRI]

    assert all(ARC_EN_CIEL.opening(day, PM) is None for day in fridays)
    assert all(PARC.opening(day, PM) is None for day in fridays)
    assert PARC.opening(date(2024, 11, 15), AM) is not None
    assert ARC_EN_CIEL.opening(date(2024, 10, 25), AM) is not None


def test_lunel_easter_monday_in_spring_holidays_is_closed():
    assert ARC_EN_CIEL.status(date(2025, 4, 21), AM).reason == "Jour férié : Lundi de Pâques"
    assert ARC_EN_CIEL.opening(date(2025, 4, 22), AM) is not None


def test_lunel_two_sites_together_cover_every_weekday_without_overlap():
    """Term or holidays, exactly one site takes the children on each working half-day
    except Friday afternoon, and none on a public holiday."""
    for day in days(date(2024, 3, 1), date(2026, 12, 31)):
        for half_day in (AM, PM):
            open_sites = [
                site for site in (PARC, ARC_EN_CIEL) if site.opening(day, half_day) is not None
            ]
            weekend = day.weekday() in (SAT, SUN)
            friday_afternoon = day.weekday() == FRI and half_day == PM
            public_holiday = day in public_holidays("34", day.year)
            expected = 0 if weekend or friday_afternoon or public_holiday else 1
            assert len(open_sites) == expected, (day, half_day)


def test_lunel_openings_of_a_term_week_alternate_between_the_two_sites():
    week = date(2024, 11, 18), date(2024, 11, 22)

    assert [(o.day.weekday(), o.half_day) for o in PARC.openings(*week)] == [
        (MON, "am"),
        (MON, "pm"),
        (TUE, "am"),
        (TUE, "pm"),
        (THU, "am"),
        (THU, "pm"),
        (FRI, "am"),
    ]
    assert [(o.day.weekday(), o.half_day) for o in ARC_EN_CIEL.openings(*week)] == [
        (WED, "am"),
        (WED, "pm"),
    ]


# --- Cabanes des 1000 premiers jours (seed 003): relocations ------------------------------


def cabane(relocations):
    return SiteCalendar(
        departement="93",
        weekly=[rule(TUE, AM), rule(THU, AM)],
        relocations=relocations,
        site_name="Cabane des Lilas",
        site_address="Pied de l'immeuble, avenue Pasteur, Les Lilas",
    )


def test_cabane_moves_indoors_at_the_pmi_from_autumn_2024():
    site = cabane(
        [relocation(date(2024, 10, 1), None, "Centre de PMI", "12 rue de Paris, Les Lilas")]
    )

    summer = site.opening(date(2024, 9, 24), AM)
    autumn = site.opening(date(2024, 10, 1), AM)

    assert (summer.place_name, summer.relocated) == ("Cabane des Lilas", False)
    assert autumn.place_name == "Centre de PMI"
    assert autumn.address == "12 rue de Paris, Les Lilas"
    assert autumn.relocated is True
    assert (autumn.opens_at, autumn.closes_at) == (summer.opens_at, summer.closes_at)


def test_cabane_container_for_two_years_then_back_outdoors():
    site = cabane(
        [
            relocation(date(2024, 10, 1), None, "Centre de PMI", "12 rue de Paris"),
            relocation(date(2025, 9, 1), date(2027, 8, 31), "Container de la Cabane"),
        ]
    )

    assert site.opening(date(2025, 8, 28), AM).place_name == "Centre de PMI"
    container = site.opening(date(2025, 9, 2), AM)
    assert container.place_name == "Container de la Cabane"
    # No address of its own: the container stands at the site's address.
    assert container.address == "Pied de l'immeuble, avenue Pasteur, Les Lilas"
    assert site.opening(date(2027, 8, 31), AM).place_name == "Container de la Cabane"
    # The open-ended PMI hosting applies again once the containers leave.
    assert site.opening(date(2027, 9, 2), AM).place_name == "Centre de PMI"


def test_relocation_that_ended_gives_back_the_site():
    site = cabane([relocation(date(2025, 9, 1), date(2027, 8, 31), "Container")])

    back = site.opening(date(2027, 9, 2), AM)

    assert (back.place_name, back.relocated) == ("Cabane des Lilas", False)


# --- Closures -----------------------------------------------------------------------------

PANTIN_WEEKDAYS = every_half_day(weekdays=(MON, TUE, WED, THU, FRI))


def test_closure_range_closes_every_half_day_of_the_range():
    site = SiteCalendar(
        departement="93",
        weekly=PANTIN_WEEKDAYS,
        closures=[closure(date(2025, 3, 3), date(2025, 3, 7), reason="Formation de l'équipe")],
    )

    assert site.openings(date(2025, 3, 3), date(2025, 3, 7)) == []
    assert site.status(date(2025, 3, 5), PM).reason == "Fermeture : Formation de l'équipe"
    assert site.opening(date(2025, 2, 28), PM) is not None
    assert site.opening(date(2025, 3, 10), AM) is not None


def test_half_day_closure_closes_only_that_half_day():
    site = SiteCalendar(
        departement="93",
        weekly=PANTIN_WEEKDAYS,
        closures=[closure(date(2025, 3, 11), half_day=PM, reason="Réunion de réseau")],
    )

    assert site.opening(date(2025, 3, 11), AM) is not None
    assert site.status(date(2025, 3, 11), PM).reason == "Fermeture : Réunion de réseau"
    assert site.opening(date(2025, 3, 12), PM) is not None


def test_closure_for_the_whole_year_leaves_no_first_opening():
    site = SiteCalendar(
        departement="93",
        weekly=PANTIN_WEEKDAYS,
        closures=[closure(date(2025, 1, 1), date(2025, 12, 31), reason="Travaux")],
    )

    assert site.first_opening(date(2025, 1, 1), days=365) is None
    assert site.openings(date(2025, 1, 1), date(2025, 12, 31)) == []
    # The default window of 366 days ends on 1 January 2026, a public holiday.
    assert site.first_opening(date(2025, 1, 1)) is None
    assert site.first_opening(date(2025, 1, 1), days=367).day == date(2026, 1, 2)


def test_first_opening_skips_a_closure_and_public_holidays():
    site = SiteCalendar(
        departement="93",
        weekly=PANTIN_WEEKDAYS,
        closures=[closure(date(2025, 1, 2), date(2025, 1, 31))],
    )

    first = site.first_opening(date(2025, 1, 1))

    assert (first.day, first.half_day) == (date(2025, 2, 3), "am")


def test_first_opening_looks_only_as_far_as_asked():
    site = SiteCalendar(departement="93", weekly=[rule(TUE, AM)])

    assert site.first_opening(date(2025, 3, 5), days=6) is None
    assert site.first_opening(date(2025, 3, 5), days=7).day == date(2025, 3, 11)


def test_first_opening_of_a_holidays_only_site_is_in_the_next_holidays():
    site = SiteCalendar(departement="34", weekly=[rule(TUE, PM, HOLIDAYS)])

    first = site.first_opening(date(2025, 3, 3))

    assert (first.day, first.half_day) == (date(2025, 4, 15), "pm")


def test_site_without_weekly_rules_never_opens():
    site = SiteCalendar(departement="93", weekly=[])

    assert site.first_opening(date(2025, 1, 1)) is None
    assert site.status(date(2025, 1, 6), AM).reason == "Pas d'ouverture ce jour"


# --- Status reasons -----------------------------------------------------------------------


def test_status_tells_why_each_slot_is_closed_in_french():
    site = SiteCalendar(
        departement="34",
        weekly=[rule(MON, AM, TERM), rule(TUE, AM, HOLIDAYS), rule(WED, AM), rule(THU, AM)],
        closures=[closure(date(2025, 3, 13), reason="Désinfection des locaux")],
    )

    assert site.status(date(2025, 3, 10), AM) == SlotStatus(
        date(2025, 3, 10), "am", site.opening(date(2025, 3, 10), AM), ""
    )
    assert site.status(date(2025, 3, 10), AM).opening is not None
    reasons = {
        (date(2025, 3, 10), PM): "Pas d'ouverture ce jour",
        (date(2025, 2, 17), AM): "Vacances scolaires (Vacances d'hiver)",
        (date(2025, 3, 11), AM): "Hors vacances scolaires : fermé",
        (date(2025, 3, 13), AM): "Fermeture : Désinfection des locaux",
        (date(2025, 12, 25), AM): "Jour férié : Noël",
    }
    for (day, half_day), reason in reasons.items():
        status = site.status(day, half_day)
        assert (status.opening, status.reason) == (None, reason), day


def test_public_holiday_is_the_reason_even_during_a_closure():
    site = SiteCalendar(
        departement="93",
        weekly=PANTIN_WEEKDAYS,
        closures=[closure(date(2025, 12, 22), date(2026, 1, 2), reason="Fermeture d'hiver")],
    )

    assert site.status(date(2025, 12, 25), AM).reason == "Jour férié : Noël"
    assert site.status(date(2025, 12, 26), AM).reason == "Fermeture : Fermeture d'hiver"


def test_statuses_give_every_half_day_in_order():
    site = SiteCalendar(departement="93", weekly=[rule(TUE, PM)])

    statuses = site.statuses(date(2025, 3, 10), date(2025, 3, 12))

    assert [(s.day.day, s.half_day, s.opening is not None) for s in statuses] == [
        (10, "am", False),
        (10, "pm", False),
        (11, "am", False),
        (11, "pm", True),
        (12, "am", False),
        (12, "pm", False),
    ]


def test_calendar_refuses_datetimes_and_unknown_half_days():
    site = SiteCalendar(departement="93", weekly=PANTIN_WEEKDAYS)

    with pytest.raises(TypeError):
        site.opening(datetime.datetime(2025, 3, 10, 9, 0), AM)
    with pytest.raises(ValueError):
        site.opening(date(2025, 3, 10), "evening")


# --- School calendar unavailable ----------------------------------------------------------


def test_term_rule_in_corsica_raises_school_calendar_unavailable():
    site = SiteCalendar(departement="2A", weekly=[rule(TUE, AM, TERM)])

    with pytest.raises(SchoolCalendarUnavailable, match="2A"):
        site.opening(date(2025, 3, 4), AM)
    with pytest.raises(SchoolCalendarUnavailable):
        site.first_opening(date(2025, 3, 1))


def test_always_rule_in_corsica_needs_no_school_calendar():
    site = SiteCalendar(departement="2A", weekly=[rule(TUE, AM)])

    assert site.opening(date(2025, 3, 4), AM) is not None
    assert site.status(date(2025, 11, 11), AM).reason == "Jour férié : Armistice"


def test_term_rule_beyond_the_published_school_calendar_raises():
    site = SiteCalendar(departement="93", weekly=[rule(TUE, AM, TERM)])

    with pytest.raises(SchoolCalendarUnavailable, match="2030"):
        site.opening(date(2030, 3, 5), AM)
    # The package stops after the summer holidays of 2028: Toussaint 2028 is unknown.
    assert site.status(date(2028, 8, 29), AM).reason == "Vacances scolaires (Vacances d'été)"
    with pytest.raises(SchoolCalendarUnavailable):
        site.opening(date(2028, 10, 24), AM)


def test_first_opening_before_the_end_of_the_school_calendar_does_not_raise():
    site = SiteCalendar(departement="93", weekly=[rule(TUE, AM, TERM)])

    assert site.first_opening(date(2028, 6, 1)).day == date(2028, 6, 6)


def test_always_rule_in_2030_uses_public_holidays_only():
    site = SiteCalendar(departement="93", weekly=every_half_day())

    assert site.opening(date(2030, 12, 24), AM) is not None
    assert site.status(date(2030, 12, 25), AM).reason == "Jour férié : Noël"
    assert len(site.openings(date(2030, 1, 1), date(2030, 12, 31))) == 2 * (365 - 11)


def test_school_holiday_name_needs_a_zone_and_a_published_year():
    with pytest.raises(SchoolCalendarUnavailable):
        school_holiday_name(None, date(2025, 2, 17))
    with pytest.raises(SchoolCalendarUnavailable):
        school_holiday_name("C", date(2030, 2, 18))


# --- Properties ---------------------------------------------------------------------------
# The definition, written again straight from the two packages, day by day.

ZONES = {"34": "C", "93": "C", "69": "A", "59": "B", "57": "B", "67": "B"}
HOLIDAY_SUBDIVISIONS = {"57": "57", "67": "6AE"}


@functools.cache
def school_dates():
    return SchoolHolidayDates()


@functools.cache
def french_holidays(departement, year):
    return holidays.France(years=year, subdiv=HOLIDAY_SUBDIVISIONS.get(departement))


def is_open_by_definition(pattern, closures, departement, day, half_day):
    school_rule = pattern.get((day.weekday(), half_day))
    if school_rule is None or day in french_holidays(departement, day.year):
        return False
    if any(c.starts_on <= day <= c.ends_on and c.half_day in ("", half_day) for c in closures):
        return False
    in_holidays = school_dates().is_holiday_for_zone(day, ZONES[departement])
    return school_rule == ALWAYS or (school_rule == HOLIDAYS) == in_holidays


DAYS = st.dates(date(2024, 1, 1), date(2027, 12, 31))
PATTERNS = st.dictionaries(
    st.tuples(st.integers(0, 6), st.sampled_from(["am", "pm"])),
    st.sampled_from(["always", "term", "holidays"]),
    max_size=14,
)


@st.composite
def closures_strategy(draw):
    starts_on = draw(DAYS)
    half_day = draw(st.sampled_from(["", "am", "pm"]))
    length = 0 if half_day else draw(st.integers(0, 40))
    return closure(starts_on, starts_on + datetime.timedelta(days=length), half_day)


def build(pattern, closures, departement, relocations=()):
    return SiteCalendar(
        departement=departement,
        weekly=[rule(weekday, half_day, school) for (weekday, half_day), school in pattern.items()],
        closures=closures,
        relocations=relocations,
        site_name="Lieu",
        site_address="Adresse",
    )


@settings(deadline=None, max_examples=300)
@given(
    pattern=PATTERNS,
    closures=st.lists(closures_strategy(), max_size=4),
    departement=st.sampled_from(sorted(ZONES)),
    day=DAYS,
    half_day=st.sampled_from(["am", "pm"]),
)
def test_opening_matches_the_definition(pattern, closures, departement, day, half_day):
    site = build(pattern, closures, departement)

    is_open = site.opening(day, half_day) is not None

    assert is_open is is_open_by_definition(pattern, closures, departement, day, half_day)
    assert (site.status(day, half_day).reason == "") is is_open


@settings(deadline=None, max_examples=100)
@given(
    pattern=PATTERNS,
    closures=st.lists(closures_strategy(), max_size=4),
    departement=st.sampled_from(sorted(ZONES)),
    start=DAYS,
    length=st.integers(-2, 70),
)
def test_openings_are_exactly_the_open_slots_in_order(
    pattern, closures, departement, start, length
):
    site = build(pattern, closures, departement)
    end = start + datetime.timedelta(days=length)

    found = site.openings(start, end)

    slots = [(day, half_day) for day in days(start, end) for half_day in ("am", "pm")]
    assert found == [site.opening(*slot) for slot in slots if site.opening(*slot) is not None]
    assert [(o.day, o.half_day) for o in found] == sorted((o.day, o.half_day) for o in found)
    assert all(start <= o.day <= end for o in found)
    assert [s.opening for s in site.statuses(start, end) if s.opening] == found
    first = site.first_opening(start, days=length + 1)
    assert first == (found[0] if found else None)


@settings(deadline=None, max_examples=100)
@given(
    starts_on=DAYS,
    length=st.none() | st.integers(0, 400),
    day=DAYS,
)
def test_relocation_applies_exactly_on_its_days(starts_on, length, day):
    ends_on = None if length is None else starts_on + datetime.timedelta(days=length)
    site = build(
        {(day.weekday(), "am"): "always"}, [], "93", [relocation(starts_on, ends_on, "Ailleurs")]
    )
    covered = starts_on <= day and (ends_on is None or day <= ends_on)

    found = site.opening(day, "am")

    if found is not None:
        assert found.relocated is covered
        assert found.place_name == ("Ailleurs" if covered else "Lieu")
        assert found.address == "Adresse"


# --- From the database --------------------------------------------------------------------


@pytest.fixture
def arc_en_ciel(db):
    site = SiteFactory(
        lunel=True, name="École maternelle Arc-en-Ciel", address="149 rue des 4 Vents"
    )
    WeeklyOpeningFactory(site=site, weekday=WED, half_day=AM)
    WeeklyOpeningFactory(
        site=site, weekday=WED, half_day=PM, opens_at=time(13, 30), closes_at=time(17, 0)
    )
    WeeklyOpeningFactory(site=site, weekday=TUE, half_day=AM, school_holidays=HOLIDAYS)
    SiteClosure.objects.create(
        site=site, starts_on=date(2025, 1, 15), ends_on=date(2025, 1, 15), reason="Travaux"
    )
    SiteRelocation.objects.create(
        site=site, starts_on=date(2025, 6, 1), place_name="Salle polyvalente"
    )
    return site


def test_for_site_with_prefetch_runs_no_query_per_day(arc_en_ciel, django_assert_num_queries):
    SiteFactory(programme=arc_en_ciel.programme, lunel=True, name="Accueil de loisirs du parc")
    with django_assert_num_queries(4):
        sites = list(
            Site.objects.filter(programme=arc_en_ciel.programme)
            .prefetch_related("weekly_openings", "closures", "relocations")
            .order_by("name")
        )

    with django_assert_num_queries(0):
        found = calendar.openings(sites[1], date(2025, 1, 1), date(2025, 12, 31))
        nothing = calendar.openings(sites[0], date(2025, 1, 1), date(2025, 12, 31))
        moved = calendar.opening(sites[1], date(2025, 6, 4), PM)

    assert nothing == []
    assert date(2025, 1, 15) not in {o.day for o in found}
    # Wednesday 1 January is a public holiday.
    assert (found[0].day, found[0].half_day) == (date(2025, 1, 8), "am")
    assert moved.place_name == "Salle polyvalente"
    assert moved.address == "149 rue des 4 Vents"
    assert (moved.opens_at, moved.closes_at) == (time(13, 30), time(17, 0))


def test_for_site_without_prefetch_reads_the_rules_once(arc_en_ciel, django_assert_num_queries):
    site = Site.objects.get(pk=arc_en_ciel.pk)

    with django_assert_num_queries(3):
        site_calendar = SiteCalendar.for_site(site)
        found = site_calendar.openings(date(2025, 1, 1), date(2025, 12, 31))

    assert site_calendar.opening(date(2025, 2, 18), AM).place_name == "École maternelle Arc-en-Ciel"
    assert site_calendar.opening(date(2025, 2, 11), AM) is None
    assert len(found) > 0


def test_status_shows_an_unpublished_school_calendar_instead_of_failing():
    calendar = SiteCalendar(
        departement="34",
        weekly=[
            WeeklyOpening(
                weekday=0,
                half_day="am",
                opens_at=time(8, 30),
                closes_at=time(12, 15),
                school_holidays="term",
            )
        ],
    )
    status = calendar.status(date(2030, 1, 7), "am")
    assert status.opening is None
    assert status.reason == "Calendrier des vacances scolaires pas encore publié"
    with pytest.raises(SchoolCalendarUnavailable):
        calendar.opening(date(2030, 1, 7), "am")


def test_place_on_a_day_follows_relocations_even_when_the_site_is_closed():
    relocation = SiteRelocation(
        starts_on=date(2024, 10, 1), ends_on=date(2025, 8, 31), place_name="Centre de PMI"
    )
    calendar = SiteCalendar(
        departement="93",
        weekly=[],
        relocations=[relocation],
        site_name="Cabane des Lilas",
        site_address="Square Henri Dunant",
    )
    # Christmas: closed, yet the Cabane is hosted by the PMI that day.
    assert calendar.place_on(date(2024, 12, 25)) == ("Centre de PMI", "Square Henri Dunant", True)
    assert calendar.place_on(date(2025, 9, 1)) == ("Cabane des Lilas", "Square Henri Dunant", False)
