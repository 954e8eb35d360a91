"""Plans follow the calendar: a closure, a new weekly rule or a temporary move saved on a
site leads to the planned sessions it hits, which are cancelled (with the reason the public
agenda and the feeds give) or moved in one action; a nightly command and the coordinators'
page list whatever the calendar function says is closed.

With the seeds' sites: Lunel's "Espace Petits Pas"-like centre, open 8h30-12h15 and
13h30-17h and never on Friday afternoon (seed 001); Asmae's social hotels (seed 000); a
Cabanes site open two half-days a week, hosted indoors by the PMI for a while (seed 003)."""

import html
import io
from datetime import date, time

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from petitspas.activities.models import Session
from petitspas.activities.selectors import off_calendar_ids
from petitspas.activities.services import (
    series_create,
    session_cancel,
    session_create_single,
    sessions_cancel_many,
    sessions_keep_relocated,
    sessions_move_many,
)
from petitspas.activities.tests.factories import ActivityTypeFactory, open_site
from petitspas.attendance.models import Registration
from petitspas.core.models import AuditEntry
from petitspas.families.tests.factories import HouseholdFactory
from petitspas.places.models import Site, SiteClosure, SiteRelocation
from petitspas.places.services import site_save
from petitspas.places.tests.test_views import ARC_EN_CIEL_WEEK, lunel_site, site_data

TUE, THU, FRI = 1, 3, 4
# Monday 1 September 2025, the first day of the school year in zone C.
TODAY = date(2025, 9, 1)


@pytest.fixture(autouse=True)
def today(travel):
    return travel(TODAY)


@pytest.fixture
def lunel(alice):
    return open_site(
        programme=alice.programme, name="Espace Petits Pas", lunel=True, closed=[(FRI, "pm")]
    )


@pytest.fixture
def pantin(alice):
    return open_site(programme=alice.programme, name="Maison de quartier des Courtillières")


@pytest.fixture
def free_play(alice):
    return ActivityTypeFactory(programme=alice.programme, name="Temps de jeu libre")


def tuesdays(user, activity_type, sites, start=time(14), end=time(16)):
    """Every Tuesday of September and October 2025 on ``sites``."""
    series = series_create(
        activity_type=activity_type,
        sites=sites,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 10, 31),
        start_time=start,
        end_time=end,
        by=user,
    )
    return {(s.site.name, s.date): s for s in series.sessions.select_related("site")}


def conflicts_url(programme, site=None):
    url = reverse("activities:calendar-conflicts", kwargs={"programme_pk": programme.pk})
    return f"{url}?lieu={site.pk}" if site else url


def text(response) -> str:
    return html.unescape(response.content.decode())


def listed(response) -> list[Session]:
    return [row.session for row, _ticked in response.context["rows"]]


def add_closure(client, site, *, starts_on, ends_on, reason, half_day=""):
    return client.post(
        reverse("places:site-closures", kwargs={"site_pk": site.pk}),
        {
            "closure-starts_on": starts_on.isoformat(),
            "closure-ends_on": ends_on.isoformat(),
            "closure-half_day": half_day,
            "closure-reason": reason,
        },
    )


# --- A closure over planned sessions ------------------------------------------------------


@pytest.fixture
def three_hit(alice, lunel, pantin, free_play):
    """Tuesdays at Lunel and Pantin; the 9 September one at Lunel already cancelled."""
    sessions = tuesdays(alice.coordinator, free_play, [lunel, pantin])
    session_cancel(
        session=sessions[("Espace Petits Pas", date(2025, 9, 9))],
        reason="Animatrice malade",
        by=alice.coordinator,
    )
    return sessions


def test_a_closure_leads_to_exactly_the_sessions_it_hits(client, alice, lunel, three_hit):
    client.force_login(alice.coordinator)

    response = add_closure(
        client, lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )

    assert response.status_code == 302
    assert response["Location"] == conflicts_url(alice.programme, lunel)
    page = client.get(response["Location"])
    assert "3 séance(s) prévue(s) tombent désormais" in text(page)
    # Not the cancelled 9 September, not Pantin's Tuesdays, not October's.
    assert [(s.site.name, s.date) for s in listed(page)] == [
        ("Espace Petits Pas", date(2025, 9, 16)),
        ("Espace Petits Pas", date(2025, 9, 23)),
        ("Espace Petits Pas", date(2025, 9, 30)),
    ]
    assert all(ticked for _row, ticked in page.context["rows"])
    assert {row.reason for row, _ in page.context["rows"]} == {"Fermeture : Travaux"}
    assert page.context["form"]["reason"].value() == "Fermeture : Travaux"


def test_a_closure_of_one_afternoon_leaves_the_morning_session(client, alice, lunel, free_play):
    afternoon = tuesdays(alice.coordinator, free_play, [lunel])[
        ("Espace Petits Pas", date(2025, 9, 16))
    ]
    morning = session_create_single(
        activity_type=free_play,
        site=lunel,
        date=date(2025, 9, 16),
        start_time=time(9, 30),
        end_time=time(11, 30),
        by=alice.coordinator,
    )
    client.force_login(alice.coordinator)

    add_closure(
        client,
        lunel,
        starts_on=date(2025, 9, 16),
        ends_on=date(2025, 9, 16),
        half_day="pm",
        reason="Réunion d'équipe",
    )

    page = client.get(conflicts_url(alice.programme, lunel))
    assert listed(page) == [afternoon]
    assert morning not in listed(page)


def test_a_closure_that_hits_nothing_goes_back_to_the_site(client, alice, lunel, three_hit):
    client.force_login(alice.coordinator)

    response = add_closure(
        client, lunel, starts_on=date(2025, 9, 12), ends_on=date(2025, 9, 12), reason="Pont"
    )

    assert response["Location"] == reverse("places:site-closures", kwargs={"site_pk": lunel.pk})


def test_cancel_them_in_one_post_with_the_reason_shown_to_the_public(
    client, alice, lunel, three_hit
):
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )
    hit = [three_hit[("Espace Petits Pas", date(2025, 9, day))] for day in (16, 23, 30)]
    household = HouseholdFactory(organisation=alice.organisation, code="K3M9P")
    Registration.objects.create(session=hit[0], household=household)
    client.force_login(alice.coordinator)
    url = conflicts_url(alice.programme, lunel)

    response = client.post(
        url,
        {
            "sessions": [s.pk for s in hit],
            "action": "annuler",
            "reason": "Fermeture pour travaux de peinture",
        },
    )

    assert response.status_code == 302 and response["Location"] == url
    for session in hit:
        session.refresh_from_db()
        assert session.status == Session.Status.CANCELLED
        assert session.cancel_reason == "Fermeture pour travaux de peinture"
    page = client.get(url)
    assert listed(page) == []
    body = text(page)
    assert "3 séance(s) annulée(s). Familles inscrites à prévenir : 16/09 K3M9P." in body
    assert "Aucune séance prévue n'est touchée" in body
    # Pantin's sessions and the earlier cancellation are untouched.
    elsewhere = three_hit[("Maison de quartier des Courtillières", date(2025, 9, 16))]
    assert Session.objects.get(pk=elsewhere.pk).status == Session.Status.PLANNED
    earlier = three_hit[("Espace Petits Pas", date(2025, 9, 9))]
    assert Session.objects.get(pk=earlier.pk).cancel_reason == "Animatrice malade"
    # Logged: each session, and the bulk action once.
    assert AuditEntry.objects.filter(action="session.cancel").count() == 4  # with the 9th
    summary = AuditEntry.objects.get(action="sessions.calendar_cancel")
    assert summary.details["count"] == 3
    assert summary.details["reason"] == "Fermeture pour travaux de peinture"
    assert summary.target_id == str(alice.programme.pk)

    # The public agenda and the feeds say it, with the reason.
    client.logout()
    agenda = text(client.get(reverse("agenda:index")))
    assert agenda.count("Séance annulée : Fermeture pour travaux de peinture") == 3
    feed = icalendar.Calendar.from_ical(
        client.get(
            reverse("agenda:programme-ics", kwargs={"programme_pk": alice.programme.pk})
        ).content
    )
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    for session in hit:
        event = events[f"session-{session.pk}@petitspas"]
        assert event["STATUS"] == "CANCELLED"
        assert "Fermeture pour travaux de peinture" in event["DESCRIPTION"]


def test_cancel_needs_a_reason_and_keeps_what_was_ticked(client, alice, lunel, three_hit):
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )
    kept = three_hit[("Espace Petits Pas", date(2025, 9, 16))]
    client.force_login(alice.coordinator)

    response = client.post(
        conflicts_url(alice.programme, lunel),
        {"sessions": [kept.pk], "action": "annuler", "reason": "  "},
    )

    assert response.status_code == 200
    assert "Indiquez le motif de l'annulation" in text(response)
    assert [row.session.pk for row, ticked in response.context["rows"] if ticked] == [kept.pk]
    assert (
        not Session.objects.filter(status=Session.Status.CANCELLED)
        .exclude(cancel_reason="Animatrice malade")
        .exists()
    )


def test_nothing_ticked_or_no_button_changes_nothing(client, alice, lunel, three_hit):
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )
    client.force_login(alice.coordinator)
    url = conflicts_url(alice.programme, lunel)
    session = three_hit[("Espace Petits Pas", date(2025, 9, 16))]

    nothing = client.post(url, {"action": "annuler", "reason": "Travaux"})
    no_button = client.post(url, {"sessions": [session.pk], "reason": "Travaux"})

    assert "Cochez au moins une séance." in text(nothing)
    assert "Choisissez d'annuler ou de déplacer" in text(no_button)
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 1


# --- Moving them ---------------------------------------------------------------------------


def test_move_them_to_another_open_site(client, alice, lunel, pantin, free_play):
    sessions = tuesdays(alice.coordinator, free_play, [lunel])
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 15), ends_on=date(2025, 9, 26), reason="Inondation"
    )
    hit = [sessions[("Espace Petits Pas", date(2025, 9, day))] for day in (16, 23)]
    client.force_login(alice.coordinator)

    response = client.post(
        conflicts_url(alice.programme),
        {"sessions": [s.pk for s in hit], "action": "deplacer", "site": pantin.pk},
    )

    assert response.status_code == 302
    for session in hit:
        session.refresh_from_db()
        assert session.site == pantin and session.status == Session.Status.PLANNED
        assert session.is_detached
    assert AuditEntry.objects.filter(action="session.move").count() == 2
    assert AuditEntry.objects.get(action="sessions.calendar_move").details["to_site"] == pantin.name
    assert off_calendar_ids(Session.objects.all(), today=TODAY) == {}


def test_a_move_to_a_site_closed_on_one_of_the_dates_moves_nothing(client, alice, lunel, free_play):
    sessions = tuesdays(alice.coordinator, free_play, [lunel])
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 15), ends_on=date(2025, 9, 26), reason="Inondation"
    )
    # Open on Tuesdays, but closed on 23 September.
    other = open_site(programme=alice.programme, name="Médiathèque")
    SiteClosure.objects.create(
        site=other, starts_on=date(2025, 9, 23), ends_on=date(2025, 9, 23), reason="Inventaire"
    )
    hit = [sessions[("Espace Petits Pas", date(2025, 9, day))] for day in (16, 23)]
    client.force_login(alice.coordinator)

    response = client.post(
        conflicts_url(alice.programme),
        {"sessions": [s.pk for s in hit], "action": "deplacer", "site": other.pk},
    )

    assert response.status_code == 200
    body = text(response)
    assert "« Médiathèque » ne peut pas accueillir 1 des séances cochées : 23/09/2025 14h" in body
    assert "Inventaire" in body
    assert set(
        Session.objects.filter(pk__in=[s.pk for s in hit]).values_list("site", flat=True)
    ) == {lunel.pk}
    assert not AuditEntry.objects.filter(action__in=["session.move", "sessions.calendar_move"])


def test_move_needs_a_site(client, alice, lunel, three_hit):
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )
    client.force_login(alice.coordinator)

    response = client.post(
        conflicts_url(alice.programme, lunel),
        {
            "sessions": [three_hit[("Espace Petits Pas", date(2025, 9, 16))].pk],
            "action": "deplacer",
        },
    )

    assert "Choisissez le lieu où déplacer les séances cochées." in text(response)


# --- A temporary move (Cabanes, hosted by the PMI) -----------------------------------------


@pytest.fixture
def cabane(alice):
    """Two half-days a week: Tuesday and Thursday afternoons."""
    return open_site(
        programme=alice.programme,
        name="Cabane du square Stalingrad",
        kind=Site.Kind.PUBLIC_SPACE,
        weekdays=[TUE, THU],
        closed=[(TUE, "am"), (THU, "am")],
    )


@pytest.fixture
def cabane_sessions(alice, cabane, free_play):
    series = series_create(
        activity_type=free_play,
        sites=[cabane],
        rrule="FREQ=WEEKLY;BYDAY=TU,TH",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 10, 31),
        start_time=time(14),
        end_time=time(16),
        by=alice.coordinator,
    )
    return list(series.sessions.order_by("date"))


def add_relocation(client, site, *, starts_on, ends_on):
    return client.post(
        reverse("places:site-closures", kwargs={"site_pk": site.pk}),
        {
            "relocation-starts_on": starts_on.isoformat(),
            "relocation-ends_on": ends_on.isoformat(),
            "relocation-place_name": "Centre de PMI Hoche",
            "relocation-address": "12 rue Hoche, Pantin",
            "relocation-reason": "Pluie annoncée",
        },
    )


def test_a_relocation_leads_to_its_sessions(client, alice, cabane, cabane_sessions):
    client.force_login(alice.coordinator)

    response = add_relocation(
        client, cabane, starts_on=date(2025, 9, 15), ends_on=date(2025, 9, 26)
    )

    relocation = SiteRelocation.objects.get()
    assert response["Location"] == reverse(
        "activities:relocation-sessions",
        kwargs={"site_pk": cabane.pk, "relocation_pk": relocation.pk},
    )
    page = client.get(response["Location"])
    assert [s.date for s in listed(page)] == [
        date(2025, 9, 16),
        date(2025, 9, 18),
        date(2025, 9, 23),
        date(2025, 9, 25),
    ]
    assert "4 séance(s) prévue(s) ont lieu pendant ce déménagement" in text(page)


def test_relocated_sessions_move_to_the_host_site(client, alice, cabane, cabane_sessions):
    pmi = open_site(
        programme=alice.programme, name="Centre de PMI Hoche", kind=Site.Kind.PMI_CENTRE
    )
    relocation = SiteRelocation.objects.create(
        site=cabane,
        starts_on=date(2025, 9, 15),
        ends_on=date(2025, 9, 26),
        place_name="Centre de PMI Hoche",
    )
    client.force_login(alice.coordinator)
    url = reverse(
        "activities:relocation-sessions",
        kwargs={"site_pk": cabane.pk, "relocation_pk": relocation.pk},
    )
    during = listed(client.get(url))

    response = client.post(
        url, {"sessions": [s.pk for s in during], "action": "deplacer", "site": pmi.pk}
    )

    assert response.status_code == 302
    assert set(Session.objects.filter(site=pmi).values_list("date", flat=True)) == {
        date(2025, 9, 16),
        date(2025, 9, 18),
        date(2025, 9, 23),
        date(2025, 9, 25),
    }
    assert Session.objects.filter(site=cabane).count() == len(cabane_sessions) - 4
    assert listed(client.get(url)) == []


def test_relocated_sessions_can_be_kept_at_the_host_place(client, alice, cabane, cabane_sessions):
    relocation = SiteRelocation.objects.create(
        site=cabane, starts_on=date(2025, 10, 20), place_name="Container du parc"
    )
    client.force_login(alice.coordinator)
    url = reverse(
        "activities:relocation-sessions",
        kwargs={"site_pk": cabane.pk, "relocation_pk": relocation.pk},
    )
    during = listed(client.get(url))
    assert [s.date for s in during] == [date(2025, 10, d) for d in (21, 23, 28, 30)]

    response = client.post(url, {"sessions": [s.pk for s in during], "action": "maintenir"})

    assert response.status_code == 302
    assert Session.objects.filter(site=cabane, status=Session.Status.PLANNED).count() == len(
        cabane_sessions
    )
    assert AuditEntry.objects.filter(action="session.relocation_keep").count() == 4
    assert "4 séance(s) maintenue(s) à Container du parc." in text(client.get(url))


def test_keep_is_refused_outside_the_relocation(alice, cabane, cabane_sessions):
    relocation = SiteRelocation.objects.create(
        site=cabane, starts_on=date(2025, 10, 20), place_name="Container du parc"
    )
    with pytest.raises(ValidationError, match="n'a pas lieu pendant ce déménagement"):
        sessions_keep_relocated(
            sessions=[cabane_sessions[0]], relocation=relocation, by=alice.coordinator
        )


def test_keep_is_not_offered_on_a_closure_page(client, alice, lunel, three_hit):
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )
    client.force_login(alice.coordinator)
    session = three_hit[("Espace Petits Pas", date(2025, 9, 16))]

    response = client.post(
        conflicts_url(alice.programme, lunel), {"sessions": [session.pk], "action": "maintenir"}
    )

    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="session.relocation_keep").exists()


# --- A new weekly rule ---------------------------------------------------------------------


def test_closing_wednesday_afternoons_lists_the_wednesday_afternoon_sessions(client, bob, travel):
    """Arc-en-Ciel hosts the Wednesdays (seed 001); from now on, mornings only."""
    travel(date(2025, 3, 10))
    site = lunel_site(bob.programme)
    workshop = ActivityTypeFactory(programme=bob.programme, name="Atelier parents-enfants")

    def wednesdays(start, end):
        return series_create(
            activity_type=workshop,
            sites=[site],
            rrule="FREQ=WEEKLY;BYDAY=WE",
            starts_on=date(2025, 3, 10),
            ends_on=date(2025, 4, 9),
            start_time=start,
            end_time=end,
            by=bob.coordinator,
        )

    afternoons = wednesdays(time(14), time(16))
    wednesdays(time(9), time(11))
    client.force_login(bob.coordinator)
    week = {key: value for key, value in ARC_EN_CIEL_WEEK.items() if key != "2pm"}

    response = client.post(
        reverse("places:site-edit", kwargs={"site_pk": site.pk}),
        site_data(bob.programme, week=week),
    )

    assert response["Location"] == conflicts_url(bob.programme, site)
    page = client.get(response["Location"])
    assert listed(page) == list(afternoons.sessions.order_by("date"))
    assert [s.date for s in listed(page)] == [date(2025, 3, d) for d in (12, 19, 26)] + [
        date(2025, 4, 2),
        date(2025, 4, 9),
    ]
    assert {row.reason for row, _ in page.context["rows"]} == {"Pas d'ouverture ce jour"}


def test_shorter_hours_list_the_sessions_that_no_longer_fit(alice, lunel, free_play):
    sessions = tuesdays(alice.coordinator, free_play, [lunel], start=time(15), end=time(17))
    weekly = list(lunel.weekly_openings.all())
    for row in weekly:
        if row.half_day == "pm":
            row.closes_at = time(16, 30)
    site_save(site=lunel, weekly=weekly, by=alice.coordinator)

    found = off_calendar_ids(Session.objects.all(), today=TODAY)

    assert set(found) == {s.pk for s in sessions.values()}
    assert set(found.values()) == {"Hors des horaires du lieu (13h30–16h30)"}


# --- Public holidays, hotels, the nightly command ------------------------------------------


def test_the_command_says_nothing_is_closed(alice, lunel, free_play):
    tuesdays(alice.coordinator, free_play, [lunel])
    out = io.StringIO()

    call_command("check_planned_sessions", stdout=out)

    assert out.getvalue() == "Aucune séance prévue sur un lieu fermé à partir du 01/09/2025.\n"


def test_the_command_lists_closed_sessions_and_fails(alice, lunel, free_play, today):
    """Asmae's reading workshops in four hotels, one closed for works on 2 December."""
    hotels = [
        open_site(
            programme=alice.programme,
            name=f"Hôtel social {town}",
            kind=Site.Kind.SOCIAL_HOTEL,
            town=town,
        )
        for town in ("Bobigny", "La Courneuve", "Rosny-sous-Bois", "Saint-Denis")
    ]
    reading = ActivityTypeFactory(programme=alice.programme, name="Atelier lecture")
    series_create(
        activity_type=reading,
        sites=hotels,
        rrule="FREQ=MONTHLY;BYDAY=+1TU",
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 6, 30),
        start_time=time(14),
        end_time=time(16),
        by=alice.coordinator,
    )
    SiteClosure.objects.create(
        site=hotels[0], starts_on=date(2025, 12, 1), ends_on=date(2025, 12, 5), reason="Travaux"
    )
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 séance"):
        call_command("check_planned_sessions", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Asmae — Espace Petits Pas : 1 séance(s) (/")
    assert lines[1].startswith(
        "  02/12/2025 14:00-16:00 Atelier lecture, Hôtel social Bobigny : Fermeture : Travaux"
    )
    assert len(lines) == 2


def test_sessions_in_the_past_or_cancelled_are_not_reported(alice, lunel, free_play, travel):
    sessions = tuesdays(alice.coordinator, free_play, [lunel])
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 10), reason="Travaux"
    )
    session_cancel(
        session=sessions[("Espace Petits Pas", date(2025, 9, 9))],
        reason="Travaux",
        by=alice.coordinator,
    )
    assert off_calendar_ids(Session.objects.all(), today=TODAY) == {
        sessions[("Espace Petits Pas", date(2025, 9, 2))].pk: "Fermeture : Travaux"
    }
    assert off_calendar_ids(Session.objects.all(), today=date(2025, 9, 3)) == {}


# --- The coordinators' link and permissions ------------------------------------------------


def test_the_programme_list_counts_them_for_planners(client, alice, lunel, three_hit):
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )
    client.force_login(alice.coordinator)
    body = text(client.get(reverse("activities:programme-list")))
    assert "3 séances prévues sur un lieu fermé" in body
    assert conflicts_url(alice.programme) in body

    client.force_login(alice.professional)
    body = text(client.get(reverse("activities:programme-list")))
    assert "sur un lieu fermé" not in body


def test_professionals_may_not_use_the_pages(client, alice, cabane, cabane_sessions):
    relocation = SiteRelocation.objects.create(
        site=cabane, starts_on=date(2025, 10, 20), place_name="Container du parc"
    )
    client.force_login(alice.professional)
    assert client.get(conflicts_url(alice.programme)).status_code == 403
    url = reverse(
        "activities:relocation-sessions",
        kwargs={"site_pk": cabane.pk, "relocation_pk": relocation.pk},
    )
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"sessions": [cabane_sessions[-1].pk], "action": "maintenir"}).status_code
        == 403
    )
    assert not AuditEntry.objects.filter(action="session.relocation_keep").exists()


def test_another_organisation_gets_404(client, alice, bob, lunel, three_hit):
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )
    session = three_hit[("Espace Petits Pas", date(2025, 9, 16))]
    client.force_login(bob.coordinator)

    assert client.get(conflicts_url(alice.programme)).status_code == 404
    # Alice's session posted on Bob's own page: through the door, 404, nothing changes.
    response = client.post(
        conflicts_url(bob.programme),
        {"sessions": [session.pk], "action": "annuler", "reason": "Piratage"},
    )
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


@pytest.mark.parametrize("posted", ["abc", "99999999999999999999", "-1", "0"])
def test_posted_ids_that_no_row_can_hold_give_404(client, alice, lunel, three_hit, posted):
    client.force_login(alice.coordinator)
    response = client.post(
        conflicts_url(alice.programme),
        {"sessions": [posted], "action": "annuler", "reason": "Travaux"},
    )
    assert response.status_code == 404


def test_a_session_of_another_site_is_refused(client, alice, lunel, three_hit):
    """Pantin's session is Alice's too, but not among the hit sessions of this page."""
    SiteClosure.objects.create(
        site=lunel, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 30), reason="Travaux"
    )
    hit = three_hit[("Espace Petits Pas", date(2025, 9, 16))]
    elsewhere = three_hit[("Maison de quartier des Courtillières", date(2025, 9, 16))]
    client.force_login(alice.coordinator)

    response = client.post(
        conflicts_url(alice.programme, lunel),
        {"sessions": [hit.pk, elsewhere.pk], "action": "annuler", "reason": "Travaux"},
    )

    assert response.status_code == 200
    assert "n'est plus dans la liste" in text(response)
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 1  # the 9th


def test_a_relocation_of_another_site_gives_404(client, alice, lunel, cabane):
    relocation = SiteRelocation.objects.create(
        site=cabane, starts_on=date(2025, 10, 20), place_name="Container du parc"
    )
    client.force_login(alice.coordinator)
    url = reverse(
        "activities:relocation-sessions",
        kwargs={"site_pk": lunel.pk, "relocation_pk": relocation.pk},
    )
    assert client.get(url).status_code == 404


def test_services_check_the_planner(alice, bob, lunel, pantin, three_hit):
    session = three_hit[("Espace Petits Pas", date(2025, 9, 16))]

    with pytest.raises(PermissionDenied):
        sessions_cancel_many(sessions=[session], reason="Travaux", by=bob.coordinator)
    with pytest.raises(PermissionDenied):
        sessions_move_many(sessions=[session], site=pantin, by=alice.professional)
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED and session.site == lunel
