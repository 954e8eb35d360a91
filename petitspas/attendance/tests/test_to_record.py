"""Any session one staffs can be recorded: the sheets left empty over the last 30 days,
and the ways to them (the menu's count, "Ma semaine", the session page)."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from petitspas.activities.models import Session
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.selectors import sessions_to_record
from petitspas.attendance.services import attendance_record


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def workshop(alice):
    return ActivityTypeFactory(programme=alice.programme, name="Atelier lecture")


def held(workshop, site, n, *, staff, **extra):
    return SessionFactory(activity_type=workshop, site=site, date=days_ago(n), staff=staff, **extra)


def test_the_sheets_left_empty_over_thirty_days_are_listed_most_recent_first(alice, workshop):
    staff = [alice.professional]
    monday = held(workshop, alice.site, 1, staff=staff)
    older = held(workshop, alice.site, 30, staff=staff)
    held(workshop, alice.site, 31, staff=staff)  # too old: a gap for the reports now
    held(workshop, alice.site, 0, staff=staff)  # today's: on "Aujourd'hui"
    held(workshop, alice.site, -1, staff=staff)  # not held yet
    held(workshop, alice.site, 2, staff=staff, status=Session.Status.CANCELLED)
    held(workshop, alice.site, 3, staff=[alice.coordinator])  # a colleague's

    assert list(sessions_to_record(user=alice.professional)) == [monday, older]


def test_a_saved_sheet_leaves_the_list_even_when_nobody_came(alice, workshop):
    monday = held(workshop, alice.site, 1, staff=[alice.professional])
    attendance_record(
        session=monday,
        marks={},
        observation=("Personne n'est venu : grève des transports.", []),
        client_id=uuid.uuid4(),
        by=alice.professional,
    )
    assert not sessions_to_record(user=alice.professional).exists()


def test_coordinators_also_see_their_colleagues_sessions_apart(client, alice, bob, workshop):
    mine = held(workshop, alice.site, 2, staff=[alice.coordinator])
    colleagues = held(workshop, alice.site, 1, staff=[alice.professional])
    held(ActivityTypeFactory(programme=bob.programme), bob.site, 1, staff=[bob.professional])

    client.force_login(alice.coordinator)
    response = client.get(reverse("attendance:to-record"))

    assert [s.pk for s in response.context["mine"]] == [mine.pk]
    assert [s.pk for s in response.context["others"]] == [colleagues.pk]
    body = response.content.decode()
    assert reverse("attendance:session-record", args=[colleagues.pk]) in body
    assert bob.site.name not in body
    assert "À saisir (2)" in body


def test_the_menu_counts_the_sheets_to_fill_in(client, alice, workshop):
    client.force_login(alice.professional)
    assert "À saisir (" not in client.get(reverse("web:home")).content.decode()
    held(workshop, alice.site, 4, staff=[alice.professional])
    assert "À saisir (1)" in client.get(reverse("web:home")).content.decode()


def test_mondays_session_opens_on_tuesday_headed_with_its_own_date(client, alice, workshop):
    monday = held(workshop, alice.site, 1, staff=[alice.professional])
    client.force_login(alice.professional)

    body = client.get(reverse("attendance:session-record", args=[monday.pk])).content.decode()

    assert date_format(monday.date, "l j F").capitalize() in body
    # Back to the list it came from, not to "Aujourd'hui".
    assert f'id="retour" href="{reverse("attendance:to-record")}">À saisir</a>' in body


@pytest.mark.parametrize(
    ("n", "status", "linked"),
    [(1, "planned", True), (0, "planned", True), (-1, "planned", False), (1, "cancelled", False)],
)
def test_the_session_page_links_to_its_sheet_once_held(client, alice, workshop, n, status, linked):
    session = held(workshop, alice.site, n, staff=[alice.professional], status=status)
    client.force_login(alice.professional)
    body = client.get(reverse("activities:session-detail", args=[session.pk])).content.decode()
    assert (reverse("attendance:session-record", args=[session.pk]) in body) is linked


def test_the_session_page_offers_no_sheet_to_a_professional_who_was_not_there(
    client, alice, workshop
):
    session = held(workshop, alice.site, 1, staff=[alice.coordinator])
    client.force_login(alice.professional)
    response = client.get(reverse("activities:session-detail", args=[session.pk]))
    assert reverse("attendance:session-record", args=[session.pk]) not in response.content.decode()


def test_my_week_shows_a_coordinator_the_sessions_of_their_programmes(client, alice, workshop):
    today = timezone.localdate()
    colleagues = SessionFactory(
        activity_type=workshop, site=alice.site, date=today, staff=[alice.professional]
    )
    client.force_login(alice.coordinator)

    body = client.get(reverse("activities:my-week")).content.decode()

    assert "animée par un collègue" in body
    assert reverse("attendance:session-record", args=[colleagues.pk]) in body
