"""The demo's field work (issue 4): loaded once for the module at a fixed date, each test
inside its own savepoint."""

import datetime
import io
import re
import statistics
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Min
from django.test import override_settings

from petitspas.activities.models import ActivityType, RegistrationMode, Series, Session
from petitspas.activities.recurrence import fits_opening
from petitspas.attendance.models import Attendance, Headcount, Observation, Registration
from petitspas.core.text import fold
from petitspas.demo.consistency import rule_violations
from petitspas.demo.loader import load_demo
from petitspas.families.models import Household, HousingSituation, Person
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site

# A Wednesday in term time: the demo professional is at Pantin in the afternoon.
TODAY = datetime.date(2026, 3, 11)
FIELD_WORKER = "terrain@asmae.demo"
MODELS = (
    ActivityType,
    Series,
    Session,
    Household,
    Person,
    Registration,
    Attendance,
    Headcount,
    Observation,
)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The command, once for the module; rolled back at its end."""
    out = io.StringIO()
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        call_command("load_demo", f"--today={TODAY}", "--force", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_demo_breaks_no_rule_of_the_services(demo):
    assert rule_violations(today=TODAY) == []


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def fingerprint():
    """What a reader sees, without primary keys."""
    return (
        sorted(
            Session.objects.values_list(
                "site__name", "date", "start_time", "activity_type__name", "status"
            )
        ),
        sorted(Person.objects.values_list("household__code", "first_name", "birth_date")),
        sorted(
            Attendance.objects.values_list(
                "household__code", "person__first_name", "session__site__name", "session__date"
            )
        ),
    )


def test_recorded_sessions_say_how_many_families_were_present(demo):
    # As the sheet's save writes it: the households marked present, each once.
    recorded = Session.objects.filter(attendances__isnull=False).distinct()
    assert recorded.count() > 900
    assert not recorded.filter(families_present__isnull=True).exists()
    assert not Session.objects.exclude(pk__in=recorded).exclude(families_present=None).exists()
    session = recorded.filter(families_present__gte=8).order_by("pk").first()
    households = Attendance.objects.present().filter(session=session).values("household")
    assert session.families_present == households.distinct().count()

    # A wrong figure is what the consistency check reports.
    wrong = session.families_present + 1
    Session.objects.filter(pk=session.pk).update(families_present=wrong)
    assert rule_violations(today=TODAY) == [
        f"session {session.pk}: {wrong} families present, its sheet says {wrong - 1}"
    ]


def test_the_command_prints_the_activity_counts(demo):
    for label in ("séances", "familles", "présences", "comptages anonymes", "observations"):
        assert re.search(rf"{label}\s+\d+", demo), label


def test_every_session_is_on_an_open_half_day_within_its_site_hours(demo):
    sessions = Session.objects.select_related("site").order_by("site", "date")
    calendars = {
        site.pk: SiteCalendar.for_site(site)
        for site in Site.objects.prefetch_related("weekly_openings", "closures", "relocations")
    }
    assert sessions.count() > 2000
    for session in sessions:
        opening = calendars[session.site_id].opening(session.date, session.half_day)
        assert fits_opening(opening, session.start_time, session.end_time), session


def test_sessions_cover_24_months_back_and_3_ahead(demo):
    dates = Session.objects.aggregate(first=Min("date"), last=Max("date"))
    assert datetime.date(2024, 3, 11) <= dates["first"] <= datetime.date(2024, 3, 20)
    assert datetime.date(2026, 5, 25) <= dates["last"] <= datetime.date(2026, 6, 11)
    # Les Petits Pas' childcare is a later issue: upcoming half-days only, no families.
    childcare = Session.objects.filter(activity_type__kind=ActivityType.Kind.CHILDCARE)
    assert childcare.exists()
    assert not childcare.filter(date__lt=TODAY).exists()
    assert not childcare.filter(activity_type__is_public=True).exists()


def test_no_attendance_before_a_child_is_born(demo):
    assert Attendance.objects.filter(person__role=Person.Role.CHILD).exists()
    assert not Attendance.objects.filter(
        person__role=Person.Role.CHILD, session__date__lt=F("person__birth_date")
    ).exists()
    assert not Attendance.objects.filter(person__role=Person.Role.EXPECTED_CHILD).exists()


def test_children_are_born_and_expected_children_due_after_today(demo):
    assert not Person.objects.filter(role=Person.Role.CHILD, birth_date__gt=TODAY).exists()
    expected = Person.objects.filter(role=Person.Role.EXPECTED_CHILD)
    assert expected.exists()
    assert not expected.filter(due_date__lte=TODAY).exists()
    assert not expected.filter(birth_date__isnull=False).exists()


def test_open_sessions_are_counted_never_named(demo):
    open_sessions = Session.objects.filter(activity_type__registration_mode=RegistrationMode.OPEN)
    assert not Attendance.objects.filter(session__in=open_sessions).exists()
    assert not Registration.objects.filter(session__in=open_sessions).exists()
    counted = open_sessions.filter(date__lt=TODAY, status=Session.Status.PLANNED)
    assert counted.count() > 500
    # Except the last two of each new team's professional, left for "À saisir".
    waiting = counted.filter(headcount__isnull=True)
    assert waiting.count() == 6
    assert not waiting.filter(date__lt=TODAY - datetime.timedelta(days=30)).exists()
    assert set(waiting.values_list("staff__email", flat=True)) == {
        "accueil@suresnes.demo",
        "pmi@seinesaintdenis.demo",
        "terrain@paris.demo",
    }
    named = Session.objects.exclude(activity_type__registration_mode=RegistrationMode.OPEN)
    assert not Headcount.objects.filter(session__in=named).exists()


def test_past_sessions_have_data_and_upcoming_ones_none(demo):
    past = Session.objects.filter(date__lt=TODAY, status=Session.Status.PLANNED)
    named = past.filter(activity_type__registration_mode=RegistrationMode.REGISTRATION)
    assert not named.annotate(n=Count("attendances")).filter(n=0).exists()
    upcoming = Session.objects.filter(date__gte=TODAY)
    for model in (Attendance, Headcount, Observation):
        assert not model.objects.filter(session__in=upcoming).exists(), model
    cancelled = Session.objects.filter(status=Session.Status.CANCELLED)
    for model in (Attendance, Headcount, Observation):
        assert not model.objects.filter(session__in=cancelled).exists(), model
    # Today's expected list is there to be ticked.
    assert Registration.objects.filter(session__date=TODAY).exists()


def test_a_few_sessions_are_cancelled_with_a_reason(demo):
    cancelled = Session.objects.filter(status=Session.Status.CANCELLED)
    assert 10 <= cancelled.count() <= Session.objects.count() * 0.05
    assert not cancelled.filter(cancel_reason="").exists()
    assert not Session.objects.filter(status=Session.Status.PLANNED).exclude(cancel_reason="")
    assert cancelled.filter(date__gt=TODAY).exists()
    assert not cancelled.filter(date=TODAY).exists()


def test_the_demo_professional_has_a_session_today_and_several_this_week(demo):
    mine = Session.objects.filter(staff__email=FIELD_WORKER, status=Session.Status.PLANNED)
    assert mine.filter(date=TODAY, site__name="Maison de quartier de Pantin").exists()
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    assert mine.filter(date__range=(monday, monday + datetime.timedelta(days=6))).count() >= 4
    # Never two places at once: one team, one site each afternoon.
    assert not mine.values("date").annotate(sites=Count("site", distinct=True)).filter(sites__gt=1)


def test_asmae_meets_a_few_hundred_families_housed_in_social_hotels(demo):
    households = Household.objects.filter(organisation__name="Asmae")
    assert 200 <= households.count() <= 600
    assert all(code.startswith("DEMO-EPP-") for code in households.values_list("code", flat=True))
    hotel = households.filter(housing_site__isnull=False)
    assert hotel.count() > households.count() * 0.6
    assert not hotel.exclude(housing=HousingSituation.SOCIAL_HOTEL).exists()
    assert not hotel.exclude(housing_site__kind=Site.Kind.SOCIAL_HOTEL).exists()
    languages = {lang for h in households for lang in h.language_list}
    assert {"arabe", "bambara", "tamoul", "soninké", "anglais", "roumain"} <= languages


def test_free_play_afternoons_have_8_to_15_households_with_regulars_and_drop_ins(demo):
    present = (
        Attendance.objects.present()
        .filter(session__activity_type__kind=ActivityType.Kind.FREE_PLAY)
        .values("session")
        .annotate(households=Count("household", distinct=True))
    )
    numbers = [row["households"] for row in present]
    assert len(numbers) > 900
    assert statistics.median(numbers) >= 8
    assert sum(8 <= n <= 15 for n in numbers) >= len(numbers) * 0.95
    assert Attendance.objects.filter(is_walk_in=True).exists()
    assert Attendance.objects.filter(status=Attendance.Status.NO_SHOW).exists()


def test_monthly_workshops_are_in_four_hotels_with_their_partners(demo):
    for kind, partner in (
        (ActivityType.Kind.READING, "Bibliothèque municipale"),
        (ActivityType.Kind.PSYCHOMOTOR, "Psychomotricienne"),
        (ActivityType.Kind.TALK_GROUP, "Consultant"),
    ):
        sessions = Session.objects.filter(
            activity_type__programme__name="Espace Petits Pas", activity_type__kind=kind
        )
        assert sessions.values("site").distinct().count() == 4, kind
        assert not sessions.filter(facilitators__isnull=True).exists(), kind
        facilitators = {str(f) for s in sessions[:8] for f in s.facilitators.all()}
        assert any(partner in name for name in facilitators), kind


def test_no_partner_is_in_two_places_at_once(demo):
    """The psychomotor therapist and the consultants visit their hotels in turn (seed 000),
    the company plays at one cabane: no partner is at two sites at overlapping hours."""
    rows = Session.facilitators.through.objects.filter(
        session__status=Session.Status.PLANNED
    ).values_list(
        "facilitator__name",
        "session__date",
        "session__start_time",
        "session__end_time",
        "session__site_id",
    )
    by_day = defaultdict(list)
    for name, day, start, end, site in rows:
        by_day[name, day].append((start, end, site))
    clashes = [
        (name, day)
        for (name, day), slots in by_day.items()
        for i, (start, end, site) in enumerate(slots)
        for other_start, other_end, other_site in slots[i + 1 :]
        if site != other_site and start < other_end and other_start < end
    ]
    assert clashes == []
    rotating = Series.objects.filter(sites_mode="rotation")
    assert set(rotating.values_list("activity_type__kind", flat=True)) == {
        ActivityType.Kind.TALK_GROUP,
        ActivityType.Kind.PSYCHOMOTOR,
    }
    # Each hotel still has its workshop once a month.
    psychomotor = Session.objects.filter(
        activity_type__kind=ActivityType.Kind.PSYCHOMOTOR,
        date__range=(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31)),
    )
    assert sorted(psychomotor.values_list("site__name", flat=True)) == sorted(
        Site.objects.filter(sessions__in=psychomotor).values_list("name", flat=True).distinct()
    )
    assert psychomotor.count() == 4


def test_theatre_workshop_receives_pregnant_women_only(demo):
    theatre = Attendance.objects.filter(session__activity_type__kind=ActivityType.Kind.THEATRE)
    assert theatre.exists()
    assert set(theatre.values_list("person__role", flat=True)) == {Person.Role.PARENT}
    for row in theatre.select_related("household", "session"):
        babies = [p for p in row.household.people.all() if p.role != Person.Role.PARENT]
        # Each mother was pregnant then: her baby is born after the session or expected.
        assert any((p.birth_date or p.due_date) > row.session.date for p in babies), row.household


def test_headcounts_are_realistic(demo):
    cabanes = Headcount.objects.filter(
        session__activity_type__name="Atelier des 1000 premiers jours"
    )
    assert cabanes.count() > 300
    for row in cabanes:
        assert 4 <= row.adults <= 15
        assert 0 <= row.pregnant_women <= 3
        assert 1 <= row.children_under_1 <= 5
        assert 2 <= row.children_1_3 <= 8
        assert row.first_visits <= min(4, row.adults)


def test_observations_never_contain_a_first_name_of_the_families(demo):
    names = {fold(name) for name in Person.objects.values_list("first_name", flat=True) if name}
    assert len(names) > 100
    observations = Observation.objects.all()
    assert observations.count() > 300
    for text in observations.values_list("text", flat=True):
        words = set(re.findall(r"[a-z]+", fold(text)))
        assert not words & names, text
        # Multi-word names ("Ana Paula") too.
        assert not [name for name in names if " " in name and name in fold(text)], text


def test_observations_are_tagged_with_known_themes(demo):
    themes = defaultdict(int)
    for tags in Observation.objects.values_list("themes", flat=True):
        assert tags
        for tag in tags:
            themes[tag] += 1
    assert {"isolation", "screens", "language", "sleep", "father"} <= set(themes)


def test_running_again_changes_nothing_and_keeps_families_created_by_hand(demo):
    asmae = Household.objects.filter(organisation__name="Asmae").first().organisation
    by_hand = Household.objects.create(organisation=asmae, code="F-0001")
    before, seen = counts(), fingerprint()

    load_demo(today=TODAY)

    assert counts() == before
    assert fingerprint() == seen
    assert Household.objects.filter(pk=by_hand.pk).exists()


def test_the_cabanes_have_their_monthly_reviews_and_quoted_observations(demo):
    from petitspas.reporting.models import MonthlyReview, ReportObservation

    reviews = MonthlyReview.objects.filter(programme__name="Cabanes des 1000 premiers jours")
    first = TODAY.replace(day=1)
    before = (first - datetime.timedelta(days=1)).replace(day=1)
    assert sorted(reviews.values_list("month", flat=True)) == [
        (before - datetime.timedelta(days=1)).replace(day=1),
        before,
    ]
    assert all(r.created_by.email == "coordination@seinesaintdenis.demo" for r in reviews)
    quoted = ReportObservation.objects.filter(programme__name="Cabanes des 1000 premiers jours")
    codes = set(Household.objects.values_list("code", flat=True))
    assert quoted.count() == 3
    assert not any(code in q.text for q in quoted for code in codes)
