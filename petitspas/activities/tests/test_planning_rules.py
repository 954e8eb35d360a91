"""Nobody in two places at once, series that rotate over their sites, sites refused when
they do not open on the series' half-day, dates far from today asked again. With the seeds'
cases: Espace Petits Pas' monthly workshops in four hotels with one psychomotor therapist
and its seven sites (seed 000), the Cabanes' two half-days a week per site with the PMI
(seed 003)."""

from datetime import date, time

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from petitspas.activities.models import ActivityType, Series, Session, SitesMode
from petitspas.activities.recurrence import describe, format_day, rotation_dates
from petitspas.activities.selectors import Slot, find_clashes, rotation_order
from petitspas.activities.services import (
    series_create,
    series_dates,
    series_update_from,
    session_create_single,
    session_update_one,
)
from petitspas.activities.tests.factories import (
    ActivityTypeFactory,
    FacilitatorFactory,
    SessionFactory,
    open_site,
)
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS
from petitspas.core.models import AuditEntry
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site, SiteClosure

MON, TUE, WED, THU, FRI = range(5)
TOWNS = ("Bobigny", "La Courneuve", "Rosny-sous-Bois", "Saint-Denis")
FIRST_TUESDAYS = [
    date(2025, 9, 2),
    date(2025, 10, 7),
    date(2025, 11, 4),
    date(2025, 12, 2),
    date(2026, 1, 6),
    date(2026, 2, 3),
    date(2026, 3, 3),
    date(2026, 4, 7),
    date(2026, 5, 5),
    date(2026, 6, 2),
]


@pytest.fixture(autouse=True)
def today(travel):
    return travel(date(2025, 8, 25))


@pytest.fixture
def hotels(alice):
    """Four social hotels, open every weekday (their common rooms), in name order."""
    return [
        open_site(
            programme=alice.programme,
            name=f"Hôtel social {town}",
            kind=Site.Kind.SOCIAL_HOTEL,
            town=town,
        )
        for town in TOWNS
    ]


@pytest.fixture
def psychomotor(alice):
    return ActivityTypeFactory(
        programme=alice.programme,
        name="Atelier psychomotricité",
        kind=ActivityType.Kind.PSYCHOMOTOR,
    )


@pytest.fixture
def therapist(alice):
    return FacilitatorFactory(
        organisation=alice.organisation, name="Hélène Moreau", role="Psychomotricienne"
    )


def plan(user, activity_type, sites, rrule, starts_on, ends_on, start, end, **kwargs):
    return series_create(
        activity_type=activity_type,
        sites=sites,
        rrule=rrule,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start,
        end_time=end,
        by=user,
        **kwargs,
    )


def monthly_in_hotels(alice, activity_type, hotels, **kwargs):
    """ "1 fois par mois dans 4 hôtels": the first Tuesday, 14h-16h, September to June."""
    return plan(
        alice.coordinator,
        activity_type,
        hotels,
        "FREQ=MONTHLY;BYDAY=+1TU",
        date(2025, 9, 1),
        date(2026, 6, 30),
        time(14),
        time(16),
        **kwargs,
    )


def by_site(series):
    found = {}
    for session in series.sessions.select_related("site").order_by("date"):
        found.setdefault(session.site.name, []).append(session.date)
    return found


def codes(error: ValidationError) -> set[str]:
    return {one.code for group in error.error_dict.values() for one in group}


# --- Clashes --------------------------------------------------------------------------------


def test_one_therapist_in_four_hotels_at_once_is_refused_with_the_clash_named(
    alice, hotels, psychomotor, therapist
):
    with pytest.raises(ValidationError) as error:
        monthly_in_hotels(alice, psychomotor, hotels, facilitators=[therapist])
    messages = error.value.message_dict[NON_FIELD_ERRORS]
    assert messages[0] == (
        "Conflit d'agenda : Hélène Moreau serait sur 4 séances en même temps le mardi "
        "2 septembre 2025 : Hôtel social Bobigny (14h–16h), Hôtel social La Courneuve "
        "(14h–16h), Hôtel social Rosny-sous-Bois (14h–16h) et Hôtel social Saint-Denis "
        "(14h–16h)."
    )
    # Ten first Tuesdays: five named, the rest counted.
    assert len(messages) == 6
    assert messages[-1] == "… et 5 autre(s) conflit(s) d'agenda du même genre."
    assert codes(error.value) == {"clash"}
    assert not Series.objects.exists() and not Session.objects.exists()


def test_the_same_hotels_in_rotation_are_accepted(alice, hotels, psychomotor, therapist):
    """One hotel each Tuesday, in turn: each hotel once every four weeks. 11 November is
    Rosny's turn and a public holiday: Rosny has no session that week and the turns that
    follow do not move."""
    series = plan(
        alice.coordinator,
        psychomotor,
        hotels,
        "FREQ=WEEKLY;BYDAY=TU",
        date(2025, 9, 1),
        date(2025, 12, 31),
        time(14),
        time(16),
        facilitators=[therapist],
        sites_mode=SitesMode.ROTATION,
    )
    assert series.sites_mode == SitesMode.ROTATION
    assert by_site(series) == {
        "Hôtel social Bobigny": [
            date(2025, 9, 2),
            date(2025, 9, 30),
            date(2025, 10, 28),
            date(2025, 11, 25),
            date(2025, 12, 23),
        ],
        "Hôtel social La Courneuve": [
            date(2025, 9, 9),
            date(2025, 10, 7),
            date(2025, 11, 4),
            date(2025, 12, 2),
            date(2025, 12, 30),
        ],
        "Hôtel social Rosny-sous-Bois": [date(2025, 9, 16), date(2025, 10, 14), date(2025, 12, 9)],
        "Hôtel social Saint-Denis": [
            date(2025, 9, 23),
            date(2025, 10, 21),
            date(2025, 11, 18),
            date(2025, 12, 16),
        ],
    }
    assert not series.sessions.exclude(clash_note="").exists()
    assert AuditEntry.objects.get(action="series.create").details["sites_mode"] == "rotation"
    assert not AuditEntry.objects.filter(action="planning.clash_confirmed").exists()


def test_a_closure_on_a_site_s_turn_skips_that_date_only(alice, hotels, psychomotor):
    """Saint-Denis closes for works on its turn: no session there that day, and no other
    hotel takes the date; the next turns are unchanged."""
    SiteClosure.objects.create(
        site=hotels[3], starts_on=date(2025, 9, 23), ends_on=date(2025, 9, 23), reason="Travaux"
    )
    series = plan(
        alice.coordinator,
        psychomotor,
        hotels,
        "FREQ=WEEKLY;BYDAY=TU",
        date(2025, 9, 1),
        date(2025, 10, 31),
        time(14),
        time(16),
        sites_mode=SitesMode.ROTATION,
    )
    dates = sorted(series.sessions.values_list("date", flat=True))
    assert date(2025, 9, 23) not in dates
    assert by_site(series)["Hôtel social Saint-Denis"] == [date(2025, 10, 21)]
    assert by_site(series)["Hôtel social Bobigny"] == [
        date(2025, 9, 2),
        date(2025, 9, 30),
        date(2025, 10, 28),
    ]


def test_a_rotation_with_more_sites_than_dates_refuses_the_sites_left_out(
    alice, hotels, psychomotor
):
    with pytest.raises(ValidationError) as error:
        plan(
            alice.coordinator,
            psychomotor,
            hotels,
            "FREQ=WEEKLY;BYDAY=TU",
            date(2025, 9, 1),
            date(2025, 9, 14),
            time(14),
            time(16),
            sites_mode=SitesMode.ROTATION,
        )
    assert error.value.message_dict["sites"] == [
        "Hôtel social Rosny-sous-Bois n'a aucune date dans la rotation : la série compte 2 "
        "date(s) pour 4 lieux.",
        "Hôtel social Saint-Denis n'a aucune date dans la rotation : la série compte 2 date(s) "
        "pour 4 lieux.",
    ]


def test_a_confirmed_clash_is_noted_on_the_sessions_and_logged(
    alice, hotels, psychomotor, therapist
):
    series = monthly_in_hotels(
        alice, psychomotor, hotels[:2], facilitators=[therapist], confirm_clashes=True
    )
    assert series.sessions.count() == 20
    session = series.sessions.get(site=hotels[0], date=date(2025, 10, 7))
    assert session.clash_note == (
        "Confirmée malgré un conflit d'agenda par Alice AliceCoordinator, le 25/08/2025 : "
        "Conflit d'agenda : Hélène Moreau serait sur 2 séances en même temps le mardi "
        "7 octobre 2025 : Hôtel social Bobigny (14h–16h) et Hôtel social La Courneuve "
        "(14h–16h)."
    )
    assert series.sessions.filter(clash_note="").count() == 0
    entry = AuditEntry.objects.get(action="planning.clash_confirmed")
    assert entry.actor == alice.coordinator
    assert entry.target_id == str(series.pk)
    assert entry.details["count"] == 10
    assert entry.details["clashes"][0].startswith(
        "Conflit d'agenda : Hélène Moreau serait sur 2 séances en même temps le mardi "
        "2 septembre 2025"
    )


def test_a_clash_with_a_session_already_planned(alice, hotels, psychomotor, therapist):
    """A conference in Bobigny on 7 October, 14h-16h, with the therapist; the workshop at
    Rosny from 15h overlaps it, one from 16h does not; a cancelled conference is no
    clash."""
    conference = SessionFactory(
        activity_type__programme=alice.programme,
        activity_type__name="Conférence",
        site=hotels[0],
        date=date(2025, 10, 7),
    )
    conference.facilitators.set([therapist])
    args = {
        "activity_type": psychomotor,
        "site": hotels[2],
        "date": date(2025, 10, 7),
        "facilitators": [therapist],
        "by": alice.coordinator,
    }
    with pytest.raises(ValidationError) as error:
        session_create_single(**args, start_time=time(15), end_time=time(17))
    assert error.value.messages == [
        "Conflit d'agenda : Hélène Moreau serait sur 2 séances en même temps le mardi "
        "7 octobre 2025 : Hôtel social Rosny-sous-Bois (15h–17h) et Hôtel social Bobigny "
        "(14h–16h, séance déjà prévue : Conférence)."
    ]
    at_four = session_create_single(**args, start_time=time(16), end_time=time(17))
    assert at_four.clash_note == ""
    conference.status = Session.Status.CANCELLED
    conference.save()
    session_create_single(
        **{**args, "date": date(2025, 10, 7)}, start_time=time(14, 30), end_time=time(15, 30)
    )


def test_staff_clash_and_the_other_organisation_s_agenda_stays_unknown(
    alice, bob, hotels, psychomotor
):
    """A professional working for both organisations: Asmae's planner is stopped by her
    Asmae session, never by Lunel's (which it may not know of)."""
    worker = alice.professional
    MembershipFactory(organisation=bob.organisation, user=worker, role=Role.PROFESSIONAL)
    lunel_session = SessionFactory(
        activity_type__programme=bob.programme, site=bob.site, date=date(2025, 10, 7)
    )
    lunel_session.staff.set([worker])
    args = {
        "activity_type": psychomotor,
        "date": date(2025, 10, 7),
        "start_time": time(14),
        "end_time": time(16),
        "staff": [worker],
        "by": alice.coordinator,
    }
    session_create_single(**args, site=hotels[0])
    with pytest.raises(ValidationError, match="Alice AliceProfessional serait sur 2 séances"):
        session_create_single(**args, site=hotels[1])


def test_find_clashes_asks_the_database_once(
    alice, hotels, psychomotor, therapist, django_assert_num_queries
):
    for day in FIRST_TUESDAYS:
        SessionFactory(activity_type=psychomotor, site=hotels[0], date=day).facilitators.set(
            [therapist]
        )
    planned = [
        Slot(site.pk, site.name, day, time(15), time(17))
        for site in hotels[1:]
        for day in FIRST_TUESDAYS
    ]
    with django_assert_num_queries(1):
        clashes = find_clashes(
            organisation_id=alice.organisation.pk,
            planned=planned,
            staff=[alice.professional],
            facilitators=[therapist],
        )
    # Each Tuesday: the therapist at three new hotels and at Bobigny; the professional at
    # the three new ones.
    assert len(clashes) == 20
    assert {len(clash.slots) for clash in clashes if clash.person == "Hélène Moreau"} == {4}


def test_editing_a_session_does_not_clash_with_itself(alice, hotels, psychomotor, therapist):
    session = session_create_single(
        activity_type=psychomotor,
        site=hotels[0],
        date=date(2025, 10, 7),
        start_time=time(14),
        end_time=time(16),
        facilitators=[therapist],
        by=alice.coordinator,
    )
    other = session_create_single(
        activity_type=psychomotor,
        site=hotels[1],
        date=date(2025, 10, 14),
        start_time=time(14),
        end_time=time(16),
        facilitators=[therapist],
        by=alice.coordinator,
    )
    args = {
        "session": session,
        "site": hotels[0],
        "start_time": time(14, 30),
        "end_time": time(16),
        "staff": [],
        "facilitators": [therapist],
        "capacity": None,
        "notes": "Salle commune",
        "by": alice.coordinator,
    }
    session_update_one(**args, date=date(2025, 10, 7))
    with pytest.raises(ValidationError, match="Hélène Moreau serait sur 2 séances"):
        session_update_one(**args, date=date(2025, 10, 14))
    moved = session_update_one(**args, date=date(2025, 10, 14), confirm_clashes=True)
    assert "Hôtel social La Courneuve (14h–16h, séance déjà prévue : Atelier psychomotricité)" in (
        moved.clash_note
    )
    # Back on its own day, the note goes.
    assert session_update_one(**args, date=date(2025, 10, 7)).clash_note == ""
    other.refresh_from_db()
    assert other.clash_note == ""


def test_this_and_following_asks_before_clashing(alice, hotels, psychomotor, therapist):
    series = plan(
        alice.coordinator,
        psychomotor,
        hotels[:1],
        "FREQ=MONTHLY;BYDAY=+1TU",
        date(2025, 9, 1),
        date(2025, 12, 31),
        time(9),
        time(11),
        facilitators=[therapist],
    )
    conference = SessionFactory(
        activity_type__programme=alice.programme,
        activity_type__name="Conférence",
        site=hotels[1],
        date=date(2025, 11, 4),
    )
    conference.facilitators.set([therapist])
    args = {
        "session": series.sessions.get(date=date(2025, 10, 7)),
        "start_time": time(14),
        "end_time": time(16),
        "staff": [],
        "facilitators": [therapist],
        "capacity": None,
        "by": alice.coordinator,
    }
    with pytest.raises(ValidationError) as error:
        series_update_from(**args)
    assert error.value.messages == [
        "Conflit d'agenda : Hélène Moreau serait sur 2 séances en même temps le mardi "
        "4 novembre 2025 : Hôtel social Bobigny (14h–16h) et Hôtel social La Courneuve "
        "(14h–16h, séance déjà prévue : Conférence)."
    ]
    assert set(Session.objects.filter(series=series).values_list("start_time", flat=True)) == {
        time(9)
    }
    target = series_update_from(**args, confirm_clashes=True)
    noted = Session.objects.exclude(clash_note="")
    assert [(s.series_id, s.date) for s in noted] == [(target.pk, date(2025, 11, 4))]
    assert AuditEntry.objects.filter(action="planning.clash_confirmed").count() == 1


# --- Rotation and the split of a series -----------------------------------------------------


def test_this_and_following_keeps_the_rotation_s_turns(alice, hotels, psychomotor):
    series = plan(
        alice.coordinator,
        psychomotor,
        hotels,
        "FREQ=WEEKLY;BYDAY=TU",
        date(2025, 9, 1),
        date(2025, 12, 31),
        time(14),
        time(16),
        sites_mode=SitesMode.ROTATION,
    )
    before = {s.date: s.site.name for s in Session.objects.select_related("site")}
    target = series_update_from(
        session=series.sessions.get(date=date(2025, 10, 14)),
        start_time=time(14, 30),
        end_time=time(16, 30),
        staff=[],
        facilitators=[],
        capacity=None,
        by=alice.coordinator,
    )
    assert target.pk != series.pk and target.rotates
    # 14 October is the seventh Tuesday: Rosny's turn (the third hotel) starts the new one.
    assert target.rotation_offset == 2
    after = {s.date: s.site.name for s in Session.objects.select_related("site")}
    assert after == before
    assert {s.start_time for s in Session.objects.filter(date__gte=date(2025, 10, 14))} == {
        time(14, 30)
    }


def test_series_dates_for_loaders_follow_the_rotation(alice, hotels, psychomotor):
    """The demo and the benchmark's generator materialise series with ``series_dates``: a
    rotation's site gives its turn, and forgetting it is an error, not every date."""
    series = Series.objects.create(
        activity_type=psychomotor,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 10, 31),
        start_time=time(14),
        end_time=time(16),
        sites_mode=SitesMode.ROTATION,
    )
    series.sites.set(hotels)
    ordered = rotation_order(hotels)
    assert [site.name for site in ordered] == [f"Hôtel social {town}" for town in TOWNS]
    calendar = SiteCalendar.for_site(ordered[1])
    assert series_dates(series, calendar, turn=(1, 4)) == [date(2025, 9, 9), date(2025, 10, 7)]
    with pytest.raises(ValueError):
        series_dates(series, calendar)


def test_rotation_dates():
    days = [date(2025, 9, day) for day in (2, 9, 16, 23, 30)]
    assert rotation_dates(days, turn=0, turns=2) == [days[0], days[2], days[4]]
    assert rotation_dates(days, turn=0, turns=2, offset=1) == [days[1], days[3]]
    with pytest.raises(ValueError):
        rotation_dates(days, turn=2, turns=2)


# --- Sites that do not open on the series' half-day -----------------------------------------


def test_cabanes_refuse_a_half_day_without_the_pmi(alice):
    """The PMI comes "2 demi-journées par semaine, par site": Les Lilas on Tuesday and
    Thursday mornings, La Courneuve on Monday and Wednesday mornings."""
    workshop = ActivityTypeFactory(programme=alice.programme, name="Atelier des 1000 jours")
    lilas = open_site(
        programme=alice.programme,
        name="Cabane des Lilas",
        kind=Site.Kind.PUBLIC_SPACE,
        weekdays=[TUE, THU],
        closed=[(TUE, "pm"), (THU, "pm")],
    )
    courneuve = open_site(
        programme=alice.programme,
        name="Cabane de La Courneuve",
        kind=Site.Kind.PUBLIC_SPACE,
        weekdays=[MON, WED],
        closed=[(MON, "pm"), (WED, "pm")],
    )
    november = (date(2025, 11, 1), date(2025, 11, 30))

    def refusal(sites, rrule, start, end):
        with pytest.raises(ValidationError) as error:
            plan(alice.coordinator, workshop, sites, rrule, *november, start, end)
        return error.value.message_dict["sites"]

    assert refusal([lilas], "FREQ=WEEKLY;BYDAY=TU,TH", time(14), time(16)) == [
        "Cabane des Lilas n'ouvre pas le mardi ni le jeudi après-midi : choisissez d'autres "
        "jours ou retirez ce lieu."
    ]
    # Mornings, but one day each site does not open: refused although each would get
    # sessions on the other day.
    assert refusal([lilas, courneuve], "FREQ=WEEKLY;BYDAY=TU,WE", time(9, 30), time(11, 30)) == [
        "Cabane de La Courneuve n'ouvre pas le mardi matin : choisissez d'autres jours ou "
        "retirez ce lieu.",
        "Cabane des Lilas n'ouvre pas le mercredi matin : choisissez d'autres jours ou "
        "retirez ce lieu.",
    ]
    assert not Series.objects.exists()
    series = plan(
        alice.coordinator,
        workshop,
        [lilas],
        "FREQ=WEEKLY;BYDAY=TU,TH",
        *november,
        time(9, 30),
        time(11, 30),
    )
    # 11 November is a public holiday.
    assert len(by_site(series)["Cabane des Lilas"]) == 7


def test_asmae_seven_sites_the_team_s_rounds_and_a_double_booking(alice, psychomotor):
    """Seven sites in six towns; the field professional does one site a weekday (the demo's
    rounds). Adding Saint-Denis on Wednesdays, when she is in Pantin, is a clash."""
    free_play = ActivityTypeFactory(programme=alice.programme, name="Temps de jeu libre")
    sites = {
        name: open_site(programme=alice.programme, name=name, town=town)
        for name, town in (
            ("Hôtel social La Courneuve", "La Courneuve"),
            ("Maison de quartier des Quatre-Chemins", "Pantin"),
            ("Hôtel social Bobigny centre", "Bobigny"),
            ("Hôtel social Bobigny nord", "Bobigny"),
            ("Hôtel social Rosny-sous-Bois", "Rosny-sous-Bois"),
            ("Hôtel social Saint-Denis", "Saint-Denis"),
            ("Hôtel social Le Blanc-Mesnil", "Le Blanc-Mesnil"),
        )
    }
    rounds = (
        ("Hôtel social La Courneuve", "MO"),
        ("Hôtel social Bobigny centre", "TU"),
        ("Maison de quartier des Quatre-Chemins", "WE"),
        ("Hôtel social Le Blanc-Mesnil", "TH"),
        ("Hôtel social Rosny-sous-Bois", "FR"),
    )
    september = (date(2025, 9, 1), date(2025, 9, 30), time(14), time(17))
    for name, day in rounds:
        plan(
            alice.coordinator,
            free_play,
            [sites[name]],
            f"FREQ=WEEKLY;BYDAY={day}",
            *september,
            staff=[alice.professional],
        )
    assert Session.objects.count() == 22
    with pytest.raises(ValidationError) as error:
        plan(
            alice.coordinator,
            free_play,
            [sites["Hôtel social Saint-Denis"]],
            "FREQ=WEEKLY;BYDAY=WE",
            *september,
            staff=[alice.professional],
        )
    assert error.value.messages[0] == (
        "Conflit d'agenda : Alice AliceProfessional serait sur 2 séances en même temps le "
        "mercredi 3 septembre 2025 : Hôtel social Saint-Denis (14h–17h) et Maison de quartier "
        "des Quatre-Chemins (14h–17h, séance déjà prévue : Temps de jeu libre)."
    )
    assert len(error.value.messages) == 4


# --- Dates far from today -------------------------------------------------------------------


def test_a_one_off_session_in_2020_is_asked_again(alice, hotels, psychomotor):
    args = {
        "activity_type": psychomotor,
        "site": hotels[0],
        "start_time": time(14),
        "end_time": time(16),
        "by": alice.coordinator,
    }
    with pytest.raises(ValidationError) as error:
        session_create_single(**args, date=date(2020, 3, 10))
    assert error.value.message_dict == {
        "date": [
            "Le mardi 10 mars 2020 est il y a plus d'un an : vérifiez la date, puis cochez "
            "« Je confirme cette date » pour l'enregistrer telle quelle."
        ]
    }
    assert codes(error.value) == {"far_date"}
    assert not Session.objects.exists()
    assert session_create_single(**args, date=date(2020, 3, 10), confirm_far_dates=True).pk
    # A year back is still near; two years ahead too.
    session_create_single(**args, date=date(2024, 8, 27))
    session_create_single(**args, date=date(2027, 8, 24))
    with pytest.raises(ValidationError, match="est dans plus de deux ans"):
        session_create_single(**args, date=date(2027, 8, 31))


def test_dates_outside_2000_2100_are_refused_even_confirmed(alice, hotels, psychomotor):
    with pytest.raises(ValidationError) as error:
        session_create_single(
            activity_type=psychomotor,
            site=hotels[0],
            date=date(1999, 12, 28),
            start_time=time(14),
            end_time=time(16),
            confirm_far_dates=True,
            by=alice.coordinator,
        )
    assert error.value.message_dict == {"date": [DAY_OUT_OF_BOUNDS]}
    assert not Session.objects.exists()


def test_a_series_far_ahead_asks_for_both_ends_and_clashes_at_once(
    alice, hotels, psychomotor, therapist
):
    args = ("FREQ=MONTHLY;BYDAY=+1TU", date(2027, 9, 1), date(2028, 6, 30), time(14), time(16))
    with pytest.raises(ValidationError) as error:
        plan(alice.coordinator, psychomotor, hotels[:2], *args, facilitators=[therapist])
    assert set(error.value.message_dict) == {"starts_on", "ends_on", NON_FIELD_ERRORS}
    assert codes(error.value) == {"far_date", "clash"}
    with pytest.raises(ValidationError) as error:
        plan(
            alice.coordinator,
            psychomotor,
            hotels[:2],
            *args,
            facilitators=[therapist],
            confirm_far_dates=True,
        )
    assert codes(error.value) == {"clash"}
    series = plan(
        alice.coordinator,
        psychomotor,
        hotels[:2],
        *args,
        sites_mode=SitesMode.ROTATION,
        facilitators=[therapist],
        confirm_far_dates=True,
    )
    assert series.sessions.count() == 10


def test_editing_an_old_session_without_moving_it_asks_nothing(alice, hotels, psychomotor, travel):
    session = session_create_single(
        activity_type=psychomotor,
        site=hotels[0],
        date=date(2025, 10, 7),
        start_time=time(14),
        end_time=time(16),
        by=alice.coordinator,
    )
    travel(date(2027, 1, 4))
    args = {
        "session": session,
        "site": hotels[0],
        "start_time": time(14),
        "end_time": time(16),
        "staff": [],
        "facilitators": [],
        "capacity": None,
        "notes": "Compte rendu fait",
        "by": alice.coordinator,
    }
    assert session_update_one(**args, date=date(2025, 10, 7)).notes == "Compte rendu fait"
    with pytest.raises(ValidationError, match="Le mardi 14 octobre 2025 est il y a plus d'un an"):
        session_update_one(**args, date=date(2025, 10, 14))


def test_two_weeks_of_the_month_in_words():
    assert describe("FREQ=MONTHLY;BYDAY=+1TU,+2TU") == (
        "le premier mardi et le deuxième mardi de chaque mois"
    )
    assert describe("FREQ=MONTHLY;BYDAY=+1TU,+9TU") == "FREQ=MONTHLY;BYDAY=+1TU,+9TU"


def test_french_dates_spell_the_month():
    assert format_day(date(2025, 6, 3)) == "mardi 3 juin 2025"
    assert format_day(date(2025, 7, 1)) == "mardi 1er juillet 2025"
    assert format_day(date(2025, 7, 1), weekday=False) == "1er juillet 2025"
