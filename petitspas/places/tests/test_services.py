"""Writes on sites: the weekly pattern's rules, the never-open check, who may save, closures
and temporary moves, and what each logs. Figures from seed 001 (Ville de Lunel): open
8h30-12h15 and 13h30-17h, closed every Friday afternoon; the "accueil de loisirs du parc"
opens Monday, Tuesday, Thursday and Friday outside the school holidays."""

import datetime
from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from petitspas.core.models import AuditEntry
from petitspas.places.models import (
    HalfDay,
    SchoolHolidayRule,
    Site,
    SiteClosure,
    SiteRelocation,
    WeeklyOpening,
)
from petitspas.places.services import (
    NEVER_OPEN,
    check_site_opens,
    check_weekly_pattern,
    site_closure_add,
    site_closure_delete,
    site_relocation_add,
    site_relocation_delete,
    site_save,
)
from petitspas.places.tests.factories import SiteFactory, WeeklyOpeningFactory

AM, PM = HalfDay.MORNING, HalfDay.AFTERNOON
ALWAYS = SchoolHolidayRule.ALWAYS
TERM = SchoolHolidayRule.TERM_ONLY
HOLIDAYS = SchoolHolidayRule.HOLIDAYS_ONLY
MON, TUE, WED, THU, FRI = range(5)
LUNEL_HOURS = {AM: (time(8, 30), time(12, 15)), PM: (time(13, 30), time(17, 0))}
# A Monday in term time, four weeks before zone C's spring holidays (12-27 April 2025).
MONDAY_10_MARCH_2025 = date(2025, 3, 10)


@pytest.fixture(autouse=True)
def on_10_march_2025(travel):
    """site_save and the closure service judge "never open" from today's date."""
    return travel(MONDAY_10_MARCH_2025)


def row(weekday, half_day, school_holidays=ALWAYS, opens_at=None, closes_at=None):
    default_opens, default_closes = LUNEL_HOURS[half_day]
    return WeeklyOpening(
        weekday=weekday,
        half_day=half_day,
        opens_at=opens_at or default_opens,
        closes_at=closes_at or default_closes,
        school_holidays=school_holidays,
    )


def parc_week():
    """Accueil de loisirs du parc: Mon, Tue, Thu, Fri term only; never on Friday afternoon."""
    return [
        row(weekday, half_day, TERM)
        for weekday in (MON, TUE, THU, FRI)
        for half_day in (AM, PM)
        if (weekday, half_day) != (FRI, PM)
    ]


def new_lunel_site(programme, name="Accueil de loisirs maternel du parc"):
    return Site(
        programme=programme,
        name=name,
        kind=Site.Kind.LEISURE_CENTRE,
        address="73 rue de l'École du Parc",
        postcode="34400",
        commune_code="34145",
        town="Lunel",
        departement="34",
    )


def saved_lunel_site(programme, name="École maternelle Arc-en-Ciel"):
    """Arc-en-Ciel's Wednesdays, all year."""
    site = SiteFactory(programme=programme, name=name, lunel=True, address="149 rue des 4 Vents")
    WeeklyOpeningFactory(site=site, weekday=WED, half_day=AM)
    WeeklyOpeningFactory(
        site=site, weekday=WED, half_day=PM, opens_at=time(13, 30), closes_at=time(17, 0)
    )
    return site


def slots(site):
    return sorted(
        (r.weekday, r.half_day, r.opens_at, r.closes_at, r.school_holidays)
        for r in site.weekly_openings.all()
    )


def expected(rows):
    return sorted((r.weekday, r.half_day, r.opens_at, r.closes_at, r.school_holidays) for r in rows)


def lunel_closure(starts_on, ends_on=None, half_day="", reason="Journée pédagogique"):
    return SiteClosure(
        starts_on=starts_on, ends_on=ends_on or starts_on, half_day=half_day, reason=reason
    )


def messages_of(excinfo):
    return excinfo.value.messages


# --- check_weekly_pattern -------------------------------------------------------------------


def test_lunel_week_with_friday_afternoon_closed_is_valid():
    check_weekly_pattern(parc_week())


def test_morning_may_end_when_the_afternoon_starts():
    check_weekly_pattern(
        [row(WED, AM, closes_at=time(12, 15)), row(WED, PM, opens_at=time(12, 15))]
    )


@pytest.mark.parametrize(
    "opens_at, closes_at",
    [(time(12, 15), time(8, 30)), (time(8, 30), time(8, 30))],
    ids=["inverted", "empty"],
)
def test_half_day_must_close_after_it_opens(opens_at, closes_at):
    with pytest.raises(ValidationError) as excinfo:
        check_weekly_pattern([row(WED, AM, opens_at=opens_at, closes_at=closes_at)])

    assert messages_of(excinfo) == [
        f"Le mercredi matin, l'heure de fermeture ({closes_at:%H:%M}) doit être après "
        f"l'heure d'ouverture ({opens_at:%H:%M})."
    ]


def test_morning_overlapping_afternoon_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        check_weekly_pattern([row(WED, PM, opens_at=time(12, 0)), row(WED, AM)])

    assert messages_of(excinfo) == [
        "Le mercredi, les horaires du matin (08:30-12:15) et de l'après-midi (12:00-17:00) "
        "se chevauchent."
    ]


def test_same_half_day_twice_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        check_weekly_pattern([row(MON, AM, TERM), row(MON, AM, HOLIDAYS)])

    assert messages_of(excinfo) == ["Le lundi matin est indiqué deux fois."]


# --- check_site_opens -----------------------------------------------------------------------


def test_term_only_week_opens_in_term_time():
    check_site_opens(site=new_lunel_site(None), weekly=parc_week(), today=MONDAY_10_MARCH_2025)


def test_holidays_only_week_opens_at_the_next_holidays():
    # From 10 March, Lunel's next school holidays start on 12 April 2025.
    check_site_opens(
        site=new_lunel_site(None), weekly=[row(MON, AM, HOLIDAYS)], today=MONDAY_10_MARCH_2025
    )


def test_week_without_any_row_is_never_open():
    with pytest.raises(ValidationError) as excinfo:
        check_site_opens(site=new_lunel_site(None), weekly=[], today=MONDAY_10_MARCH_2025)

    assert messages_of(excinfo) == [NEVER_OPEN]


def test_closures_covering_the_coming_year_leave_the_site_never_open():
    closures = [
        lunel_closure(MONDAY_10_MARCH_2025, MONDAY_10_MARCH_2025 + datetime.timedelta(days=400))
    ]

    with pytest.raises(ValidationError) as excinfo:
        check_site_opens(
            site=new_lunel_site(None),
            weekly=parc_week(),
            closures=closures,
            today=MONDAY_10_MARCH_2025,
        )

    assert messages_of(excinfo) == [NEVER_OPEN]


def test_site_reopening_within_the_year_is_accepted():
    # Closed until Sunday 1 March 2026: open again on Monday 2 March (zone C term time).
    closures = [lunel_closure(MONDAY_10_MARCH_2025, date(2026, 3, 1), reason="Travaux")]

    check_site_opens(
        site=new_lunel_site(None), weekly=parc_week(), closures=closures, today=MONDAY_10_MARCH_2025
    )


def test_school_holiday_rule_is_refused_where_there_is_no_school_zone():
    ajaccio = Site(name="Maison de quartier des Cannes", address="Les Cannes", departement="2A")

    with pytest.raises(ValidationError) as excinfo:
        check_site_opens(site=ajaccio, weekly=[row(MON, AM, TERM)], today=MONDAY_10_MARCH_2025)

    assert "choisissez « en période scolaire et pendant les vacances »" in messages_of(excinfo)[0]


def test_always_rule_works_where_there_is_no_school_zone():
    ajaccio = Site(name="Maison de quartier des Cannes", address="Les Cannes", departement="2A")

    check_site_opens(site=ajaccio, weekly=[row(MON, AM)], today=MONDAY_10_MARCH_2025)


# --- site_save ------------------------------------------------------------------------------


@pytest.mark.parametrize("planner", ["admin", "coordinator"])
def test_planner_creates_a_site_with_its_week(bob, planner):
    user = getattr(bob, planner)

    site = site_save(site=new_lunel_site(bob.programme), weekly=parc_week(), by=user)

    site.refresh_from_db()
    assert (site.town, site.commune_code, site.departement) == ("Lunel", "34145", "34")
    assert slots(site) == expected(parc_week())
    entry = AuditEntry.objects.get(action="site.create", target_id=str(site.pk))
    assert (entry.actor, entry.organisation) == (user, bob.organisation)
    assert "0am 08:30-12:15 term" in entry.details["weekly"]
    assert len(entry.details["weekly"]) == 7


@pytest.mark.parametrize("who", ["professional", "funder", "other_coordinator"])
def test_only_planners_of_the_organisation_create_sites(bob, alice, funder, who):
    user = {
        "professional": alice.professional,
        "funder": funder,
        "other_coordinator": bob.coordinator,
    }[who]
    before = Site.objects.count(), WeeklyOpening.objects.count(), AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        site_save(site=new_lunel_site(alice.programme), weekly=parc_week(), by=user)

    assert (
        Site.objects.count(),
        WeeklyOpening.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_saving_replaces_the_whole_week(bob):
    site = site_save(site=new_lunel_site(bob.programme), weekly=parc_week(), by=bob.coordinator)
    # The parc stops on Fridays; Tuesday mornings start at 9h.
    new_week = [r for r in parc_week() if r.weekday != FRI]
    new_week[2] = row(TUE, AM, TERM, opens_at=time(9, 0))

    site_save(site=site, weekly=new_week, by=bob.coordinator)

    assert slots(site) == expected(new_week)
    assert WeeklyOpening.objects.filter(site=site).count() == 6
    assert AuditEntry.objects.filter(action="site.update", target_id=str(site.pk)).count() == 1


def test_saving_twice_the_same_rows_does_not_duplicate_them(bob):
    week = parc_week()
    site = site_save(site=new_lunel_site(bob.programme), weekly=week, by=bob.coordinator)

    site_save(site=site, weekly=week, by=bob.coordinator)

    assert WeeklyOpening.objects.filter(site=site).count() == 7


def test_invalid_week_saves_nothing(bob):
    site = new_lunel_site(bob.programme)
    week = [*parc_week(), row(WED, AM, opens_at=time(12, 15), closes_at=time(8, 30))]

    with pytest.raises(ValidationError):
        site_save(site=site, weekly=week, by=bob.coordinator)

    assert not Site.objects.filter(town="Lunel").exists()
    assert not AuditEntry.objects.exists()


def test_site_name_is_unique_in_its_programme_whatever_the_case(bob, alice):
    # Bob's cast already has "Accueil de loisirs du parc"; alice's programme has none.
    with pytest.raises(ValidationError) as excinfo:
        site_save(
            site=new_lunel_site(bob.programme, name="ACCUEIL DE LOISIRS DU PARC"),
            weekly=parc_week(),
            by=bob.coordinator,
        )

    assert "Un lieu porte déjà ce nom dans ce programme." in messages_of(excinfo)
    site_save(
        site=new_lunel_site(alice.programme, name="Accueil de loisirs du parc"),
        weekly=parc_week(),
        by=alice.coordinator,
    )


def test_update_is_refused_when_existing_closures_leave_the_site_never_open(bob):
    site = saved_lunel_site(bob.programme)
    SiteClosure.objects.create(
        site=site, starts_on=date(2025, 3, 1), ends_on=date(2026, 4, 30), reason="Travaux"
    )

    with pytest.raises(ValidationError) as excinfo:
        site_save(site=site, weekly=parc_week(), by=bob.coordinator)

    assert messages_of(excinfo) == [NEVER_OPEN]
    assert [r[0] for r in slots(site)] == [WED, WED]


def test_site_cannot_be_moved_out_of_another_organisation(alice, bob):
    """Alice's coordinator may plan alice's programme, not take bob's site into it."""
    site = saved_lunel_site(bob.programme)
    site.programme = alice.programme

    with pytest.raises(PermissionDenied):
        site_save(site=site, weekly=parc_week(), by=alice.coordinator)

    site.refresh_from_db()
    assert site.programme == bob.programme


def test_professional_may_not_change_a_site(bob):
    site = saved_lunel_site(bob.programme)
    site.name = "Arc-en-Ciel"

    with pytest.raises(PermissionDenied):
        site_save(site=site, weekly=parc_week(), by=bob.professional)

    site.refresh_from_db()
    assert site.name == "École maternelle Arc-en-Ciel"


# --- Closures -------------------------------------------------------------------------------


def test_coordinator_adds_a_day_closure(bob):
    site = saved_lunel_site(bob.programme)

    closure = site_closure_add(
        site=site, closure=lunel_closure(date(2025, 3, 19)), by=bob.coordinator
    )

    assert closure.pk and closure.site == site
    entry = AuditEntry.objects.get(action="site.closure_add")
    assert (entry.actor, entry.organisation, entry.target_id) == (
        bob.coordinator,
        bob.organisation,
        str(site.pk),
    )
    assert entry.details == {"closure": "Journée pédagogique (19/03/2025 – 19/03/2025)"}


def test_half_day_closure_on_one_day_is_accepted(bob):
    site = saved_lunel_site(bob.programme)

    closure = site_closure_add(
        site=site,
        closure=lunel_closure(date(2025, 3, 19), half_day=PM, reason="Réunion d'équipe"),
        by=bob.coordinator,
    )

    assert SiteClosure.objects.get(pk=closure.pk).half_day == PM


@pytest.mark.parametrize(
    "closure, field, message",
    [
        (
            lunel_closure(date(2025, 3, 19), date(2025, 3, 18)),
            "ends_on",
            "La fin de la fermeture précède son début.",
        ),
        (
            lunel_closure(date(2025, 3, 19), date(2025, 3, 26), half_day=AM),
            "half_day",
            "Une fermeture d'une demi-journée ne porte que sur un seul jour.",
        ),
    ],
    ids=["end_before_start", "half_day_over_several_days"],
)
def test_malformed_closure_is_refused(bob, closure, field, message):
    site = saved_lunel_site(bob.programme)

    with pytest.raises(ValidationError) as excinfo:
        site_closure_add(site=site, closure=closure, by=bob.coordinator)

    assert excinfo.value.message_dict[field] == [message]
    assert not SiteClosure.objects.exists()


def test_closure_covering_the_coming_year_is_refused(bob):
    site = saved_lunel_site(bob.programme)
    closure = lunel_closure(MONDAY_10_MARCH_2025, MONDAY_10_MARCH_2025 + datetime.timedelta(400))

    with pytest.raises(ValidationError) as excinfo:
        site_closure_add(site=site, closure=closure, by=bob.coordinator)

    assert messages_of(excinfo) == [NEVER_OPEN]
    assert not SiteClosure.objects.exists()
    assert not AuditEntry.objects.exists()


def test_closures_are_judged_together(bob):
    """Two closures, each fine alone, that together close the whole year."""
    site = saved_lunel_site(bob.programme)
    site_closure_add(
        site=site,
        closure=lunel_closure(date(2025, 3, 1), date(2025, 9, 30), reason="Travaux"),
        by=bob.coordinator,
    )

    with pytest.raises(ValidationError) as excinfo:
        site_closure_add(
            site=site,
            closure=lunel_closure(date(2025, 10, 1), date(2026, 4, 30), reason="Travaux"),
            by=bob.coordinator,
        )

    assert messages_of(excinfo) == [NEVER_OPEN]
    assert SiteClosure.objects.count() == 1


@pytest.mark.parametrize("who", ["professional", "other_coordinator"])
def test_only_planners_of_the_organisation_add_closures(alice, bob, who):
    user = alice.professional if who == "professional" else bob.coordinator

    with pytest.raises(PermissionDenied):
        site_closure_add(site=alice.site, closure=lunel_closure(date(2025, 3, 19)), by=user)

    assert not SiteClosure.objects.exists()


def test_coordinator_deletes_a_closure(bob):
    site = saved_lunel_site(bob.programme)
    closure = site_closure_add(
        site=site, closure=lunel_closure(date(2025, 3, 19)), by=bob.coordinator
    )

    site_closure_delete(closure=closure, by=bob.admin)

    assert not SiteClosure.objects.exists()
    entry = AuditEntry.objects.get(action="site.closure_delete")
    assert (entry.actor, entry.target_id) == (bob.admin, str(site.pk))
    assert entry.details == {"closure": "Journée pédagogique (19/03/2025 – 19/03/2025)"}


@pytest.mark.parametrize("who", ["professional", "other_coordinator"])
def test_only_planners_of_the_organisation_delete_closures(alice, bob, who):
    user = alice.professional if who == "professional" else bob.coordinator
    closure = SiteClosure.objects.create(
        site=alice.site, starts_on=date(2025, 3, 19), ends_on=date(2025, 3, 19), reason="Pont"
    )

    with pytest.raises(PermissionDenied):
        site_closure_delete(closure=closure, by=user)

    assert SiteClosure.objects.filter(pk=closure.pk).exists()
    assert not AuditEntry.objects.exists()


# --- Temporary moves ------------------------------------------------------------------------


def pmi():
    return SiteRelocation(
        starts_on=date(2024, 10, 1), ends_on=date(2025, 8, 31), place_name="Centre de PMI"
    )


def container():
    return SiteRelocation(
        starts_on=date(2025, 9, 1), ends_on=date(2027, 8, 31), place_name="Container"
    )


def test_coordinator_records_the_indoor_then_container_moves(bob):
    site = saved_lunel_site(bob.programme)

    site_relocation_add(site=site, relocation=pmi(), by=bob.coordinator)
    site_relocation_add(site=site, relocation=container(), by=bob.coordinator)

    assert list(site.relocations.values_list("place_name", flat=True)) == [
        "Centre de PMI",
        "Container",
    ]
    assert list(
        AuditEntry.objects.filter(action="site.relocation_add")
        .order_by("pk")
        .values_list("details", flat=True)
    ) == [
        {"relocation": "Centre de PMI à partir du 01/10/2024"},
        {"relocation": "Container à partir du 01/09/2025"},
    ]


@pytest.mark.parametrize(
    "starts_on, ends_on",
    [
        (date(2025, 6, 1), date(2025, 6, 30)),  # inside the PMI months
        (date(2025, 8, 31), None),  # open-ended, from the PMI's last day
        (date(2023, 1, 1), date(2024, 10, 1)),  # ends on the PMI's first day
        (date(2027, 8, 31), None),  # from the container's last day
    ],
    ids=["inside", "open_ended", "ends_on_first_day", "starts_on_last_day"],
)
def test_overlapping_move_is_refused(bob, starts_on, ends_on):
    site = saved_lunel_site(bob.programme)
    site_relocation_add(site=site, relocation=pmi(), by=bob.coordinator)
    site_relocation_add(site=site, relocation=container(), by=bob.coordinator)
    third = SiteRelocation(starts_on=starts_on, ends_on=ends_on, place_name="Médiathèque")

    with pytest.raises(ValidationError) as excinfo:
        site_relocation_add(site=site, relocation=third, by=bob.coordinator)

    assert messages_of(excinfo)[0].startswith("Ce déménagement chevauche « ")
    assert SiteRelocation.objects.count() == 2


def test_open_ended_move_blocks_any_later_one(bob):
    site = saved_lunel_site(bob.programme)
    site_relocation_add(
        site=site,
        relocation=SiteRelocation(starts_on=date(2024, 10, 1), place_name="Centre de PMI"),
        by=bob.coordinator,
    )

    with pytest.raises(ValidationError) as excinfo:
        site_relocation_add(site=site, relocation=container(), by=bob.coordinator)

    assert messages_of(excinfo) == [
        "Ce déménagement chevauche « Centre de PMI » (à partir du 01/10/2024)."
    ]


def test_move_ending_before_it_starts_is_refused(bob):
    site = saved_lunel_site(bob.programme)
    backwards = SiteRelocation(
        starts_on=date(2025, 9, 1), ends_on=date(2025, 8, 31), place_name="Container"
    )

    with pytest.raises(ValidationError) as excinfo:
        site_relocation_add(site=site, relocation=backwards, by=bob.coordinator)

    assert excinfo.value.message_dict["ends_on"] == ["La fin du déménagement précède son début."]
    assert not SiteRelocation.objects.exists()


def test_moves_of_another_site_do_not_count(bob):
    site = saved_lunel_site(bob.programme)
    site_relocation_add(site=bob.site, relocation=pmi(), by=bob.coordinator)

    site_relocation_add(site=site, relocation=pmi(), by=bob.coordinator)

    assert SiteRelocation.objects.count() == 2


@pytest.mark.parametrize("who", ["professional", "other_coordinator"])
def test_only_planners_of_the_organisation_record_moves(alice, bob, who):
    user = alice.professional if who == "professional" else bob.coordinator

    with pytest.raises(PermissionDenied):
        site_relocation_add(site=alice.site, relocation=pmi(), by=user)

    assert not SiteRelocation.objects.exists()


def test_coordinator_deletes_a_move(bob):
    site = saved_lunel_site(bob.programme)
    relocation = site_relocation_add(site=site, relocation=pmi(), by=bob.coordinator)

    site_relocation_delete(relocation=relocation, by=bob.coordinator)

    assert not SiteRelocation.objects.exists()
    entry = AuditEntry.objects.get(action="site.relocation_delete")
    assert entry.details == {"relocation": "Centre de PMI à partir du 01/10/2024"}


@pytest.mark.parametrize("who", ["professional", "other_coordinator"])
def test_only_planners_of_the_organisation_delete_moves(alice, bob, who):
    user = alice.professional if who == "professional" else bob.coordinator
    relocation = SiteRelocation.objects.create(
        site=alice.site, starts_on=date(2024, 10, 1), place_name="Centre de PMI"
    )

    with pytest.raises(PermissionDenied):
        site_relocation_delete(relocation=relocation, by=user)

    assert SiteRelocation.objects.filter(pk=relocation.pk).exists()


def test_term_only_week_can_still_be_saved_when_the_year_ahead_passes_the_published_calendar():
    # vacances-scolaires-france stops after summer 2028: from July 2028 the coming year
    # cannot be computed, which must not forbid editing Lunel's term-only site.
    site = SiteFactory.build(lunel=True)
    weekly = [
        WeeklyOpening(
            weekday=0,
            half_day="am",
            opens_at=datetime.time(8, 30),
            closes_at=datetime.time(12, 15),
            school_holidays="term",
        )
    ]
    check_site_opens(site=site, weekly=weekly, today=datetime.date(2028, 7, 10))
