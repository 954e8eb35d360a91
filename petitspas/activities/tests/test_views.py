"""Planning pages, session pages, calendars and "Ma semaine": who may open them, what they
show, and that they keep to a fixed number of queries."""

import datetime
import html
import re
from datetime import date, time

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_script_prefix, reverse, set_script_prefix

from petitspas.activities.models import ActivityType, Facilitator, Series, Session
from petitspas.activities.tests.factories import (
    ActivityTypeFactory,
    FacilitatorFactory,
    SessionFactory,
    open_site,
)
from petitspas.core.models import AuditEntry
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory
from petitspas.places.models import Site

TUESDAY_16_SEPTEMBER_2025 = date(2025, 9, 16)


@pytest.fixture(autouse=True)
def planning_day(travel):
    """The plans below are made before the 2025-2026 school year (dates far from today are
    asked again); ``today`` moves on to a day of it."""
    return travel(date(2025, 8, 25))


@pytest.fixture
def today(travel):
    return travel(TUESDAY_16_SEPTEMBER_2025)


@pytest.fixture
def pantin(alice):
    return open_site(programme=alice.programme, name="Maison de quartier des Courtillières")


@pytest.fixture
def free_play(alice):
    # On registration: its sessions count the families registered.
    return ActivityTypeFactory(
        programme=alice.programme, name="Temps de jeu libre", on_registration=True
    )


@pytest.fixture
def session(alice, free_play, pantin):
    session = SessionFactory(activity_type=free_play, site=pantin, date=TUESDAY_16_SEPTEMBER_2025)
    session.staff.set([alice.professional])
    return session


def register(session, *codes):
    household_model = apps.get_model("families", "Household")
    registration_model = apps.get_model("attendance", "Registration")
    for code in codes:
        household = household_model.objects.create(
            organisation=session.activity_type.programme.organisation, code=code
        )
        registration_model.objects.create(session=session, household=household)


def text(response) -> str:
    """The page as a reader sees it (no HTML escaping of apostrophes)."""
    return html.unescape(response.content.decode())


def series_data(activity_type, sites, **overrides):
    data = {
        "activity_type": activity_type.pk,
        "sites": [site.pk for site in sites],
        "sites_mode": "each",
        "frequency": "monthly",
        "interval": "1",
        "month_position": "1",
        "month_weekday": "1",
        "rrule": "",
        "starts_on": "2025-09-01",
        "ends_on": "2025-12-31",
        "start_time": "14:00",
        "end_time": "16:00",
        "capacity": "",
    }
    data.update(overrides)
    return data


# --- Who may open what ----------------------------------------------------------------------


def planning_urls(alice, session, free_play):
    facilitator = FacilitatorFactory(organisation=alice.organisation)
    return [
        reverse("activities:activity-type-create", args=[alice.programme.pk]),
        reverse("activities:activity-type-edit", args=[free_play.pk]),
        reverse("activities:facilitator-edit", args=[facilitator.pk]),
        reverse("activities:series-create", args=[alice.programme.pk]),
        reverse("activities:session-create", args=[alice.programme.pk]),
        reverse("activities:session-edit", args=[session.pk]),
        reverse("activities:session-cancel", args=[session.pk]),
        reverse("activities:session-move", args=[session.pk]),
    ]


def reading_urls(alice, session, free_play):
    series = Series.objects.create(
        activity_type=free_play,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 9, 30),
        start_time=time(14),
        end_time=time(16),
    )
    return [
        reverse("activities:activity-type-list", args=[alice.programme.pk]),
        reverse("activities:facilitator-list", args=[alice.organisation.pk]),
        reverse("activities:series-detail", args=[series.pk]),
        reverse("activities:session-detail", args=[session.pk]),
        reverse("activities:programme-month", args=[alice.programme.pk]),
        reverse("activities:programme-month", args=[alice.programme.pk, 2025, 9]),
        reverse("activities:site-month", args=[session.site_id]),
        reverse("activities:site-month", args=[session.site_id, 2025, 9]),
    ]


def test_professionals_read_but_do_not_plan(client, alice, session, free_play, today):
    client.force_login(alice.professional)
    for url in reading_urls(alice, session, free_play):
        assert client.get(url).status_code == 200, url
    for url in planning_urls(alice, session, free_play):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url


def test_coordinators_open_every_page(client, alice, session, free_play, today):
    client.force_login(alice.coordinator)
    for url in reading_urls(alice, session, free_play) + planning_urls(alice, session, free_play):
        assert client.get(url).status_code == 200, url


def test_funders_are_kept_out_of_planning_and_session_pages(
    client, alice, session, free_play, funder, today
):
    client.force_login(funder)
    urls = reading_urls(alice, session, free_play) + planning_urls(alice, session, free_play)
    urls += [reverse("activities:programme-list"), reverse("activities:my-week")]
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_members_of_another_organisation_get_404(client, alice, bob, session, free_play, today):
    urls = reading_urls(alice, session, free_play) + planning_urls(alice, session, free_play)
    for user in (bob.admin, bob.coordinator, bob.professional):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, alice, session, free_play):
    for url in reading_urls(alice, session, free_play) + [reverse("activities:my-week")]:
        response = client.get(url)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_programme_list_shows_planning_links_to_planners_only(client, alice, bob):
    client.force_login(alice.coordinator)
    body = client.get(reverse("activities:programme-list")).content.decode()
    assert "Espace Petits Pas" in body and "Planifier une série" in body
    assert "Les Petits Pas" not in body
    client.force_login(alice.professional)
    body = client.get(reverse("activities:programme-list")).content.decode()
    assert "Espace Petits Pas" in body and "Planifier une série" not in body


# --- Activity types and facilitators --------------------------------------------------------


def test_create_an_activity_type(client, alice):
    client.force_login(alice.coordinator)
    url = reverse("activities:activity-type-create", args=[alice.programme.pk])
    data = {
        "name": "Atelier psychomotricité",
        "kind": "psychomotor",
        "public": "children_0_3",
        "registration_mode": "registration",
        "default_duration": "90",
        "default_capacity": "8",
        "is_public": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    activity_type = ActivityType.objects.get()
    assert (activity_type.programme, activity_type.default_capacity) == (alice.programme, 8)
    response = client.post(url, {**data, "name": "ATELIER psychomotricité"})
    assert "Une activité porte déjà ce nom dans ce programme." in text(response)
    assert ActivityType.objects.count() == 1


def test_edit_an_activity_type(client, alice, free_play):
    client.force_login(alice.coordinator)
    url = reverse("activities:activity-type-edit", args=[free_play.pk])
    response = client.post(
        url,
        {
            "name": "Jeu libre et écoute",
            "kind": "free_play",
            "public": "children_0_6",
            "registration_mode": "open",
            "default_duration": "120",
        },
    )
    assert response.status_code == 302
    free_play.refresh_from_db()
    assert (free_play.name, free_play.is_public) == ("Jeu libre et écoute", False)


def test_add_a_facilitator(client, alice):
    client.force_login(alice.coordinator)
    url = reverse("activities:facilitator-list", args=[alice.organisation.pk])
    response = client.post(url, {"name": "Mme Diallo", "role": "Consultante en parentalité"})
    assert response.status_code == 302
    assert Facilitator.objects.get().organisation == alice.organisation
    body = client.get(url).content.decode()
    assert "Mme Diallo — Consultante en parentalité" in body
    assert "Indiquez le nom de l'intervenant." in text(client.post(url, {"name": ""}))


def test_professionals_cannot_add_a_facilitator(client, alice):
    client.force_login(alice.professional)
    url = reverse("activities:facilitator-list", args=[alice.organisation.pk])
    assert client.post(url, {"name": "X"}).status_code == 403
    assert not Facilitator.objects.exists()


# --- Series ---------------------------------------------------------------------------------


def test_series_preview_counts_sessions_without_saving(client, alice, free_play, pantin):
    client.force_login(alice.coordinator)
    url = reverse("activities:series-create", args=[alice.programme.pk])
    response = client.post(url, {**series_data(free_play, [pantin]), "apercu": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "4 séances" in body and "le premier mardi de chaque mois" in body
    assert not Series.objects.exists()


def test_series_preview_through_htmx_is_a_partial(client, alice, free_play, pantin):
    client.force_login(alice.coordinator)
    url = reverse("activities:series-create", args=[alice.programme.pk])
    response = client.post(url, series_data(free_play, [pantin]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "4 séances" in body
    assert not Series.objects.exists()
    incomplete = client.post(url, {"frequency": "weekly"}, HTTP_HX_REQUEST="true")
    assert "Complétez le formulaire" in incomplete.content.decode()


def test_create_a_series_from_the_page(client, alice, free_play, pantin):
    client.force_login(alice.coordinator)
    url = reverse("activities:series-create", args=[alice.programme.pk])
    data = series_data(
        free_play,
        [pantin],
        frequency="weekly",
        weekdays=["1", "3"],
        ends_on="2025-09-30",
        staff=[alice.professional.pk],
    )
    response = client.post(url, data)
    series = Series.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:series-detail", args=[series.pk])
    assert series.rrule == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert series.sessions.count() == 9
    body = client.get(response["Location"]).content.decode()
    assert "Chaque semaine, le mardi et le jeudi" in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"frequency": "advanced", "rrule": "chaque mardi"},
            "La règle de récurrence n'est pas valide",
        ),
        ({"frequency": "weekly"}, "Cochez au moins un jour de la semaine."),
        ({"ends_on": "2025-08-01"}, "La fin de la série précède son début."),
        ({"end_time": "13:00"}, "L'heure de fin doit être après l'heure de début."),
        ({"ends_on": "2025-09-01"}, "Cette récurrence ne donne aucune séance : aucune date"),
        (
            {"start_time": "17:00", "end_time": "19:00"},
            "Maison de quartier des Courtillières ouvre le mardi après-midi de 13h30 à 17h : "
            "une séance de 17h à 19h n'y tient pas.",
        ),
        ({"sites": []}, "Cochez au moins un lieu."),
    ],
)
def test_bad_series_show_a_french_message_and_save_nothing(
    client, alice, free_play, pantin, overrides, message
):
    client.force_login(alice.coordinator)
    url = reverse("activities:series-create", args=[alice.programme.pk])
    sites = overrides.pop("sites", [pantin])
    response = client.post(url, series_data(free_play, sites, **overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert not Series.objects.exists() and not Session.objects.exists()


def test_series_form_offers_only_the_organisation_s_people(client, alice, bob, free_play, funder):
    FacilitatorFactory(organisation=alice.organisation, name="Psychomotricienne Asmae")
    FacilitatorFactory(organisation=bob.organisation, name="Bibliothèque de Lunel")
    client.force_login(alice.coordinator)
    body = client.get(reverse("activities:series-create", args=[alice.programme.pk])).content
    body = body.decode()
    assert alice.professional.last_name in body and "Psychomotricienne Asmae" in body
    assert bob.professional.last_name not in body and "Bibliothèque de Lunel" not in body
    assert funder.email not in body


# --- Sessions -------------------------------------------------------------------------------


def test_session_detail_for_staff(client, alice, session):
    register(session, "PP-001", "PP-002")
    client.force_login(alice.professional)
    body = client.get(reverse("activities:session-detail", args=[session.pk])).content.decode()
    assert "Mardi 16 septembre 2025" in body
    assert alice.professional.get_full_name() in body
    assert "Familles inscrites" in body and "2 sur 10 places · 8 places restantes" in body
    assert "PP-001" not in body  # codes are for the cancel page
    assert reverse("activities:session-edit", args=[session.pk]) not in body


def test_create_a_one_off_session(client, alice, pantin):
    conference = ActivityTypeFactory(programme=alice.programme, conference=True)
    client.force_login(alice.coordinator)
    url = reverse("activities:session-create", args=[alice.programme.pk])
    data = {
        "activity_type": conference.pk,
        "site": pantin.pk,
        "date": "2025-10-09",
        "start_time": "18:00",
        "end_time": "20:00",
    }
    response = client.post(url, data)
    assert "La séance déborde des horaires du lieu (13h30–17h)." in response.content.decode()
    assert not Session.objects.exists()
    response = client.post(url, {**data, "start_time": "14:00", "end_time": "16:00"})
    assert response.status_code == 302
    assert Session.objects.get().activity_type == conference


def test_session_forms_say_the_notes_are_public(client, alice, session):
    client.force_login(alice.coordinator)
    warning = (
        "Visible du public sur l'agenda et dans les calendriers : n'y écrivez rien sur les "
        "familles."
    )

    create = client.get(reverse("activities:session-create", args=[alice.programme.pk]))
    edit = client.get(reverse("activities:session-edit", args=[session.pk]))

    for page in (create, edit):
        notes = re.search(r'<label[^>]*for="id_notes".*?</label>', text(page), re.DOTALL)[0]
        assert warning in notes


@pytest.fixture
def tuesdays(client, alice, free_play, pantin):
    client.force_login(alice.coordinator)
    client.post(
        reverse("activities:series-create", args=[alice.programme.pk]),
        series_data(free_play, [pantin], frequency="weekly", weekdays=["1"], ends_on="2025-10-31"),
    )
    return Series.objects.get()


def edit_data(session, **overrides):
    data = {
        "scope": "one",
        "site": session.site_id,
        "date": session.date.isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "capacity": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_edit_this_session_only(client, alice, tuesdays):
    session = tuesdays.sessions.get(date=date(2025, 9, 16))
    url = reverse("activities:session-edit", args=[session.pk])
    assert "Cette séance et les suivantes" in client.get(url).content.decode()
    response = client.post(url, edit_data(session, start_time="14:30", notes="Salle 2"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.start_time, session.notes, session.is_detached) == (
        time(14, 30),
        "Salle 2",
        True,
    )
    assert tuesdays.sessions.filter(start_time=time(14)).count() == 8


def test_edit_this_and_following_sessions(client, alice, tuesdays):
    session = tuesdays.sessions.get(date=date(2025, 10, 7))
    url = reverse("activities:session-edit", args=[session.pk])
    response = client.post(
        url, edit_data(session, scope="following", start_time="15:00", end_time="17:00")
    )
    assert response.status_code == 302
    assert Series.objects.count() == 2
    assert set(
        Session.objects.filter(date__gte=date(2025, 10, 7)).values_list("start_time", flat=True)
    ) == {time(15)}
    assert set(
        Session.objects.filter(date__lt=date(2025, 10, 7)).values_list("start_time", flat=True)
    ) == {time(14)}


def test_this_and_following_cannot_change_the_date(client, alice, tuesdays):
    session = tuesdays.sessions.get(date=date(2025, 10, 7))
    url = reverse("activities:session-edit", args=[session.pk])
    response = client.post(url, edit_data(session, scope="following", date="2025-10-08"))
    assert (
        "Pour changer la date, choisissez « Cette séance seulement »" in response.content.decode()
    )
    assert Series.objects.count() == 1


def test_edit_refuses_a_closed_day(client, alice, tuesdays):
    session = tuesdays.sessions.get(date=date(2025, 9, 16))
    url = reverse("activities:session-edit", args=[session.pk])
    response = client.post(url, edit_data(session, date="2025-11-11"))
    assert "Le lieu est fermé ce jour-là (après-midi) : Jour férié : Armistice." in (
        response.content.decode()
    )
    session.refresh_from_db()
    assert session.date == date(2025, 9, 16)


def test_cancel_lists_the_households_to_tell(client, alice, session):
    register(session, "PP-017", "PP-003")
    client.force_login(alice.coordinator)
    url = reverse("activities:session-cancel", args=[session.pk])
    body = client.get(url).content.decode()
    assert body.index("PP-003") < body.index("PP-017")
    response = client.post(url, {"reason": ""})
    assert "Indiquez le motif de l'annulation" in text(response)
    response = client.post(url, {"reason": "Intervenante malade"}, follow=True)
    body = response.content.decode()
    assert "Familles inscrites à prévenir : PP-003, PP-017." in body
    assert "Séance annulée : Intervenante malade" in body
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_move_a_session(client, alice, session):
    other = open_site(programme=alice.programme, name="Hôtel social de Bobigny")
    saturday_only = open_site(programme=alice.programme, name="Ludothèque", weekdays=[5])
    client.force_login(alice.coordinator)
    url = reverse("activities:session-move", args=[session.pk])
    body = client.get(url).content.decode()
    assert "Hôtel social de Bobigny" in body
    response = client.post(url, {"site": saturday_only.pk})
    assert "Ludothèque n'ouvre pas le mardi après-midi." in text(response)
    response = client.post(url, {"site": other.pk})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.site == other
    assert AuditEntry.objects.filter(action="session.move").exists()


def test_move_offers_no_site_of_another_organisation(client, alice, bob, session):
    client.force_login(alice.coordinator)
    url = reverse("activities:session-move", args=[session.pk])
    assert bob.site.name not in client.get(url).content.decode()
    response = client.post(url, {"site": bob.site.pk})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.site_id != bob.site.pk


# --- Calendars ------------------------------------------------------------------------------


def test_programme_month_shows_its_sessions(client, alice, bob, session, today):
    SessionFactory(activity_type__programme=bob.programme, site=bob.site, date=today)
    client.force_login(alice.professional)
    response = client.get(reverse("activities:programme-month", args=[alice.programme.pk]))
    body = response.content.decode()
    assert "Septembre 2025" in body
    assert "14h Temps de jeu libre · Maison de quartier des Courtillières" in html.unescape(body)
    assert bob.site.name not in body
    assert reverse("activities:programme-month", args=[alice.programme.pk, 2025, 10]) in body
    assert reverse("activities:programme-month", args=[alice.programme.pk, 2025, 8]) in body


def test_the_month_writes_each_session_with_its_state_and_its_links(
    client, alice, free_play, pantin, travel
):
    travel(date(2025, 9, 17))
    held = SessionFactory(activity_type=free_play, site=pantin, date=date(2025, 9, 15))
    full = SessionFactory(activity_type=free_play, site=pantin, date=date(2025, 9, 18))
    one_left = SessionFactory(activity_type=free_play, site=pantin, date=date(2025, 9, 19))
    two_left = SessionFactory(activity_type=free_play, site=pantin, date=date(2025, 9, 22))
    cancelled = SessionFactory(
        activity_type=free_play, site=pantin, date=date(2025, 9, 23), status="cancelled"
    )
    Session.objects.filter(pk__in=[full.pk, one_left.pk, two_left.pk]).update(capacity=2)
    register(full, "F-1", "F-2")
    register(one_left, "F-3")
    client.force_login(alice.coordinator)
    url = reverse("activities:programme-month", args=[alice.programme.pk, 2025, 9])

    # Served under a path prefix (as a WSGI server's SCRIPT_NAME sets it): links keep it.
    set_script_prefix("/petitspas/")
    try:
        body = html.unescape(client.get(url).content.decode())
    finally:
        clear_script_prefix()

    def link(session):
        path = reverse("activities:session-detail", args=[session.pk])
        return re.search(rf'href="/petitspas{path}">([^<]*)</a>', body).group(1)

    site = " · Maison de quartier des Courtillières"
    assert link(held) == f"14h Temps de jeu libre{site}"  # held: no places said
    assert link(full) == f"14h Temps de jeu libre{site} (complet)"
    assert link(one_left) == f"14h Temps de jeu libre{site} (1 place)"
    assert link(two_left) == f"14h Temps de jeu libre{site} (2 places)"
    assert link(cancelled) == f"14h Temps de jeu libre{site} (annulée)"
    record = reverse("attendance:session-record", args=[held.pk])
    assert f'href="/petitspas{record}">Saisir<span class="fr-sr-only"> : ' in body
    assert " : Temps de jeu libre, 15 septembre</span>" in body
    assert body.count("pp-day__record") == 1  # the sessions to come are not recorded yet


def test_month_out_of_range_is_404(client, alice):
    client.force_login(alice.coordinator)
    url = reverse("activities:programme-month", args=[alice.programme.pk, 2025, 13])
    assert client.get(url).status_code == 404


def test_site_month_greys_the_closed_days(client, alice, session):
    client.force_login(alice.professional)
    url = reverse("activities:site-month", args=[session.site_id, 2025, 11])
    body = client.get(url).content.decode()
    found = re.findall(r'class="(pp-day[^"]*)" data-date="([\d-]+)"', body)
    classes = {day: css for css, day in found}
    # 11 November is a public holiday; 12 November an ordinary Wednesday.
    assert "pp-day--closed" in classes["2025-11-11"]
    assert "pp-day--closed" not in classes["2025-11-12"]
    # On a phone, the days without a session are left out of the list.
    assert "fr-hidden fr-unhidden-md" in classes["2025-11-12"]


def many_sessions(alice, free_play, pantin, count):
    staff = [alice.professional, alice.coordinator]
    for n in range(count):
        day = TUESDAY_16_SEPTEMBER_2025 + datetime.timedelta(days=n % 6 - 1)
        session = SessionFactory(activity_type=free_play, site=pantin, date=day)
        session.staff.set(staff)
        register(session, f"F-{session.pk}")


def test_month_calendar_queries_do_not_grow_with_sessions(
    client, alice, free_play, pantin, django_assert_max_num_queries, travel
):
    travel(date(2025, 10, 1))
    client.force_login(alice.professional)
    url = reverse("activities:programme-month", args=[alice.programme.pk, 2025, 9])
    many_sessions(alice, free_play, pantin, 3)
    client.get(url)
    # Sign-in session, user, programme, roles, sessions, memberships and sheets to fill in
    # (navigation).
    with django_assert_max_num_queries(7):
        client.get(url)
    many_sessions(alice, free_play, pantin, 20)
    with django_assert_max_num_queries(7):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("pp-day__slot") == 23
    # Held (September 2025), each can be recorded from the calendar.
    assert body.count("pp-day__record") == 23


def test_site_month_queries_do_not_grow_with_sessions(
    client, alice, free_play, pantin, django_assert_max_num_queries
):
    client.force_login(alice.professional)
    url = reverse("activities:site-month", args=[pantin.pk, 2025, 9])
    many_sessions(alice, free_play, pantin, 20)
    # The month view's seven, plus the site's weekly openings, closures and relocations.
    with django_assert_max_num_queries(10):
        client.get(url)


def test_session_detail_queries(client, alice, free_play, pantin, django_assert_max_num_queries):
    many_sessions(alice, free_play, pantin, 1)
    session = Session.objects.get()
    session.facilitators.set(FacilitatorFactory.create_batch(3, organisation=alice.organisation))
    client.force_login(alice.professional)
    url = reverse("activities:session-detail", args=[session.pk])
    # Sign-in session, user, session, staff, facilitators, roles, memberships and their
    # facts (navigation), the sheets left to fill in (navigation), the site's co-hosts
    # (places.hooks).
    with django_assert_max_num_queries(10):
        client.get(url)


# --- Ma semaine -----------------------------------------------------------------------------


def test_my_week_shows_the_sessions_i_staff_this_week(client, alice, free_play, pantin, today):
    mine = SessionFactory(activity_type=free_play, site=pantin, date=date(2025, 9, 18))
    mine.staff.set([alice.professional])
    register(mine, "PP-1", "PP-2")
    not_mine = SessionFactory(
        activity_type=ActivityTypeFactory(programme=alice.programme, name="Atelier lecture"),
        site=pantin,
        date=date(2025, 9, 18),
    )
    not_mine.staff.set([alice.coordinator])
    next_week = SessionFactory(
        activity_type=ActivityTypeFactory(programme=alice.programme, name="Groupe de parole"),
        site=pantin,
        date=date(2025, 9, 23),
    )
    next_week.staff.set([alice.professional])
    client.force_login(alice.professional)

    body = client.get(reverse("activities:my-week")).content.decode()
    assert "Du lundi 15 septembre au dimanche 21 septembre 2025" in body
    assert "Temps de jeu libre" in body and "2 familles inscrites" in body
    assert "Atelier lecture" not in body and "Groupe de parole" not in body
    assert "?semaine=2025-09-22" in body and "?semaine=2025-09-08" in body

    body = client.get(reverse("activities:my-week") + "?semaine=2025-09-22").content.decode()
    assert "Groupe de parole" in body and "Temps de jeu libre" not in body
    body = client.get(reverse("activities:my-week") + "?semaine=n'importe").content.decode()
    assert "Temps de jeu libre" in body


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_my_week_far_from_now_gets_400_with_a_clear_message(client, alice, week):
    client.force_login(alice.professional)
    response = client.get(reverse("activities:my-week"), {"semaine": week})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Demande incorrecte" in body
    assert "Les dates doivent être comprises entre le 01/01/2000 et le 31/12/2100." in body


def test_my_week_at_the_edge_has_no_link_beyond_it(client, alice):
    client.force_login(alice.professional)
    body = client.get(reverse("activities:my-week"), {"semaine": "2000-01-03"}).content.decode()
    assert "?semaine=2000-01-10" in body
    assert "Semaine précédente" not in body


def test_my_week_never_shows_another_organisation(client, alice, bob, today):
    theirs = SessionFactory(activity_type__programme=bob.programme, site=bob.site, date=today)
    # A misconfiguration (a member of B put on A's session) must not leak A's session.
    theirs.staff.set([alice.professional])
    client.force_login(alice.professional)
    body = client.get(reverse("activities:my-week")).content.decode()
    assert bob.site.name not in body
    assert "Aucune séance cette semaine" in body


def test_my_week_of_a_coordinator_here_and_a_professional_there(client, alice, bob, today):
    """Every session of the organisation the user coordinates; of the one where they are a
    professional, only those they staff."""
    MembershipFactory(organisation=bob.organisation, user=alice.coordinator, role=Role.PROFESSIONAL)
    kinds = {
        "Atelier d'Alice": alice.programme,
        "Groupe de Bob, avec elle": bob.programme,
        "Groupe de Bob, sans elle": bob.programme,
    }
    for name, programme in kinds.items():
        session = SessionFactory(
            activity_type=ActivityTypeFactory(programme=programme, name=name),
            site=alice.site if programme == alice.programme else bob.site,
            date=today,
        )
        if name == "Groupe de Bob, avec elle":
            session.staff.set([alice.coordinator])
    client.force_login(alice.coordinator)

    body = html.unescape(client.get(reverse("activities:my-week")).content.decode())

    assert "Atelier d'Alice" in body and "Groupe de Bob, avec elle" in body
    assert "Groupe de Bob, sans elle" not in body


def test_my_week_queries_do_not_grow_with_sessions(
    client, alice, free_play, pantin, today, django_assert_max_num_queries
):
    client.force_login(alice.professional)
    url = reverse("activities:my-week")
    many_sessions(alice, free_play, pantin, 3)
    client.get(url)
    # Sign-in session, user, memberships, their facts and sheets to fill in (navigation),
    # the sessions with their counts.
    with django_assert_max_num_queries(6):
        client.get(url)
    many_sessions(alice, free_play, pantin, 20)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("famille inscrite") == 23


def test_my_week_shows_hotel_addresses_to_staff_without_a_query_per_session(
    client, alice, free_play, today
):
    hotel = open_site(programme=alice.programme, name="Hôtel social – Bobigny")
    Site.objects.filter(pk=hotel.pk).update(
        kind=Site.Kind.SOCIAL_HOTEL, address="5 rue des Familles-Logées"
    )
    client.force_login(alice.professional)

    def queries_with(sessions: int) -> int:
        for _ in range(sessions):
            SessionFactory(activity_type=free_play, site_id=hotel.pk, date=today).staff.set(
                [alice.professional]
            )
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("activities:my-week")).content.decode()
        assert "5 rue des Familles-Logées" in body
        return len(queries)

    assert queries_with(1) == queries_with(2)


# --- Clashes, rotation, far dates, month names ----------------------------------------------


@pytest.fixture
def two_hotels(alice):
    return [
        open_site(programme=alice.programme, name=f"Hôtel social {town}")
        for town in ("Bobigny", "Rosny-sous-Bois")
    ]


@pytest.fixture
def therapist(alice):
    return FacilitatorFactory(
        organisation=alice.organisation, name="Hélène Moreau", role="Psychomotricienne"
    )


CONFIRM_CLASHES_BOX = re.compile(r'<input type="checkbox" name="confirm_clashes"[^>]*>')
CONFIRM_DATE_BOX = re.compile(r'<input type="checkbox" name="confirm_far_dates"[^>]*>')


def test_a_clash_is_named_and_the_confirmation_box_appears_only_then(
    client, alice, free_play, two_hotels, therapist
):
    client.force_login(alice.coordinator)
    url = reverse("activities:series-create", args=[alice.programme.pk])
    assert not CONFIRM_CLASHES_BOX.search(client.get(url).content.decode())
    data = series_data(free_play, two_hotels, facilitators=[therapist.pk])

    response = client.post(url, data)

    body = text(response)
    assert response.status_code == 200 and not Series.objects.exists()
    assert (
        "Conflit d'agenda : Hélène Moreau serait sur 2 séances en même temps le mardi "
        "2 septembre 2025 : Hôtel social Bobigny (14h–16h) et Hôtel social Rosny-sous-Bois "
        "(14h–16h)." in body
    )
    box = CONFIRM_CLASHES_BOX.search(body)
    assert box and "checked" not in box[0]
    assert "Je confirme malgré le conflit" in body
    # What was typed is kept.
    assert 'value="2025-09-01"' in body
    assert re.search(rf'value="{two_hotels[1].pk}"[^>]*checked', body)

    response = client.post(url, {**data, "confirm_clashes": "on"})
    assert response.status_code == 302
    session = Session.objects.filter(site=two_hotels[0]).first()
    page = text(client.get(reverse("activities:session-detail", args=[session.pk])))
    assert "Conflit d'agenda confirmé" in page
    assert "Confirmée malgré un conflit d'agenda par Alice AliceCoordinator" in page
    series_page = text(client.get(response["Location"]))
    assert "conflit d'agenda confirmé" in series_page


def test_switching_to_rotation_clears_the_clash(client, alice, free_play, two_hotels, therapist):
    client.force_login(alice.coordinator)
    url = reverse("activities:series-create", args=[alice.programme.pk])
    data = series_data(free_play, two_hotels, facilitators=[therapist.pk])
    preview = text(client.post(url, data, HTTP_HX_REQUEST="true"))
    assert "Conflits d'agenda" in preview and "Hélène Moreau serait sur 2 séances" in preview

    rotation = {**data, "sites_mode": "rotation"}
    preview = text(client.post(url, rotation, HTTP_HX_REQUEST="true"))
    assert "Conflit" not in preview and "à tour de rôle dans les lieux" in preview
    response = client.post(url, rotation)
    assert response.status_code == 302
    series = Series.objects.get()
    assert series.rotates
    assert [s.site for s in series.sessions.order_by("date")] == [
        two_hotels[0],
        two_hotels[1],
        two_hotels[0],
        two_hotels[1],
    ]
    assert "à tour de rôle dans les lieux" in text(client.get(response["Location"]))


def test_the_preview_says_why_a_site_is_refused_and_spells_months_out(
    client, alice, free_play, pantin
):
    weekends = open_site(programme=alice.programme, name="Ludothèque", weekdays=[5, 6])
    client.force_login(alice.coordinator)
    url = reverse("activities:series-create", args=[alice.programme.pk])
    data = series_data(free_play, [pantin, weekends], starts_on="2026-06-01", ends_on="2026-07-31")
    preview = text(client.post(url, data, HTTP_HX_REQUEST="true"))
    assert "Ludothèque n'ouvre pas le mardi après-midi" in preview
    assert "mardi 2 juin 2026" in preview and "mardi 7 juillet 2026" in preview
    assert "Jui" not in preview
    response = client.post(url, data)
    assert "Ludothèque n'ouvre pas le mardi après-midi" in text(response)
    assert not Series.objects.exists()


def test_templates_never_abbreviate_months():
    """Django's "M" and "b" give "Jui"/"jui" for both June and July in French, "D" gives
    "mar" for Tuesday (or March?): full names ("F", "l") or "N" ("juin", "juil.") only."""
    from pathlib import Path

    from django.conf import settings

    roots = [Path(settings.BASE_DIR) / "petitspas"]
    found = []
    for path in (p for root in roots for p in root.rglob("*.html")):
        for fmt in re.findall(r'\|date:"([^"]*)"', path.read_text()):
            letters = re.sub(r"\\.", "", fmt)
            if set(letters) & set("MbD"):
                found.append(f"{path.name}: {fmt}")
    assert found == []


def test_a_far_date_asks_for_confirmation_and_keeps_what_was_typed(client, alice, pantin):
    conference = ActivityTypeFactory(programme=alice.programme, conference=True)
    client.force_login(alice.coordinator)
    url = reverse("activities:session-create", args=[alice.programme.pk])
    assert not CONFIRM_DATE_BOX.search(client.get(url).content.decode())
    data = {
        "activity_type": conference.pk,
        "site": pantin.pk,
        "date": "2020-03-10",
        "start_time": "14:00",
        "end_time": "16:00",
        "notes": "Salle du 1er étage",
    }
    response = client.post(url, data)
    body = text(response)
    assert "Le mardi 10 mars 2020 est il y a plus d'un an" in body
    assert CONFIRM_DATE_BOX.search(body) and "Je confirme cette date" in body
    assert "Salle du 1er étage" in body and 'value="2020-03-10"' in body
    assert not Session.objects.exists()
    response = client.post(url, {**data, "confirm_far_dates": "on"})
    assert response.status_code == 302
    assert Session.objects.get().date == date(2020, 3, 10)


def test_dates_beyond_the_bounds_are_refused_on_the_forms(client, alice, free_play, pantin):
    client.force_login(alice.coordinator)
    response = client.post(
        reverse("activities:session-create", args=[alice.programme.pk]),
        {
            "activity_type": free_play.pk,
            "site": pantin.pk,
            "date": "1999-12-28",
            "start_time": "14:00",
            "end_time": "16:00",
            "confirm_far_dates": "on",
        },
    )
    assert "Les dates doivent être comprises entre le 01/01/2000 et le 31/12/2100." in text(
        response
    )
    response = client.post(
        reverse("activities:series-create", args=[alice.programme.pk]),
        series_data(free_play, [pantin], ends_on="2101-01-31"),
    )
    assert "Les dates doivent être comprises entre" in text(response)
    assert not Session.objects.exists()


def test_people_of_another_organisation_posted_are_refused(client, alice, bob, free_play, pantin):
    client.force_login(alice.coordinator)
    url = reverse("activities:series-create", args=[alice.programme.pk])
    theirs = FacilitatorFactory(organisation=bob.organisation)
    for data in (
        series_data(free_play, [pantin], facilitators=[theirs.pk], sites_mode="rotation"),
        series_data(free_play, [pantin], staff=[bob.professional.pk]),
    ):
        response = client.post(url, data)
        assert "Sélectionnez un choix valide" in text(response)
    assert not Series.objects.exists()


def test_edit_asks_before_a_clash(client, alice, free_play, pantin, therapist):
    other = open_site(programme=alice.programme, name="Hôtel social Bobigny")
    busy = SessionFactory(activity_type=free_play, site=other, date=date(2025, 9, 23))
    busy.facilitators.set([therapist])
    session = SessionFactory(activity_type=free_play, site=pantin, date=date(2025, 9, 16))
    client.force_login(alice.coordinator)
    url = reverse("activities:session-edit", args=[session.pk])
    data = {
        "site": pantin.pk,
        "date": "2025-09-23",
        "start_time": "15:00",
        "end_time": "17:00",
        "facilitators": [therapist.pk],
    }
    body = text(client.post(url, data))
    assert "Hélène Moreau serait sur 2 séances en même temps le mardi 23 septembre 2025" in body
    assert CONFIRM_CLASHES_BOX.search(body)
    assert client.post(url, {**data, "confirm_clashes": "on"}).status_code == 302
    session.refresh_from_db()
    assert session.date == date(2025, 9, 23) and "Hélène Moreau" in session.clash_note


def test_the_clash_note_stays_off_the_public_agenda(client, alice, free_play, pantin):
    """A confirmed clash names staff and partners: the session page shows it to the team,
    the public page and its calendar file never."""
    session = SessionFactory(
        activity_type=free_play, site=pantin, date=date(2025, 9, 16), notes="Salle 2"
    )
    session.clash_note = "Confirmée malgré un conflit d'agenda par Alice : Hélène Moreau"
    session.save()
    for name in ("agenda:session", "agenda:session-ics"):
        body = text(client.get(reverse(name, args=[session.pk])))
        assert "Salle 2" in body and "Hélène Moreau" not in body, name
    client.force_login(alice.professional)
    assert "Hélène Moreau" in text(
        client.get(reverse("activities:session-detail", args=[session.pk]))
    )
