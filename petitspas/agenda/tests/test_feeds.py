"""iCalendar feeds per programme and per site, and the one-session file, parsed back with
the ``icalendar`` library."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.agenda.tests.conftest import in_days, working_day
from petitspas.organisations.tests.factories import ProgrammeFactory
from petitspas.places.models import SiteRelocation
from petitspas.places.tests.factories import SiteFactory

PARIS = ZoneInfo("Europe/Paris")


def programme_feed(programme) -> str:
    return reverse("agenda:programme-ics", kwargs={"programme_pk": programme.pk})


def site_feed(site) -> str:
    return reverse("agenda:site-ics", kwargs={"site_pk": site.pk})


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def in_window(*, month: int) -> int:
    """Days from today to a 15th of ``month`` that the feeds carry."""
    today = in_days(0)
    for year in (today.year - 1, today.year, today.year + 1):
        days = (datetime.date(year, month, 15) - today).days
        if -360 <= days <= 175:
            return days
    raise AssertionError("unreachable: the feed spans more than a year")


def by_uid(calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.events}


def test_programme_feed_has_its_public_sessions(client, make_session, programme, lunel):
    planned = make_session(days=3)
    elsewhere = make_session(days=4, site=lunel)
    make_session(days=3, activity_type=ActivityTypeFactory(programme=programme, on_referral=True))
    make_session(days=3, activity_type=ActivityTypeFactory(programme=programme, is_public=False))
    SessionFactory(date=in_days(3))  # another programme

    calendar = parse(client.get(programme_feed(programme)))

    assert set(by_uid(calendar)) == {
        f"session-{planned.pk}@petitspas",
        f"session-{elsewhere.pk}@petitspas",
    }
    assert calendar.calendar_name == "Cabanes — Petits Pas"


def test_site_feed_has_the_site_sessions_only(client, make_session, pantin, lunel):
    here = make_session(days=3)
    make_session(days=3, site=lunel)

    calendar = parse(client.get(site_feed(pantin)))

    assert list(by_uid(calendar)) == [f"session-{here.pk}@petitspas"]
    assert calendar.calendar_name == "Square Stalingrad — Petits Pas"


def test_events_are_in_paris_time_with_a_timezone(client, make_session, pantin):
    # One session in winter time, one in summer time: the offsets differ, the hours do not.
    winter = make_session(days=in_window(month=1))
    summer = make_session(days=in_window(month=7))

    calendar = parse(client.get(site_feed(pantin)))

    events = by_uid(calendar)
    for session in (winter, summer):
        event = events[f"session-{session.pk}@petitspas"]
        assert event.start == datetime.datetime.combine(session.date, datetime.time(14), PARIS)
        assert event.end == datetime.datetime.combine(session.date, datetime.time(16), PARIS)
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event.start.utcoffset() == (
            datetime.timedelta(hours=1) if session is winter else datetime.timedelta(hours=2)
        )
        assert event.summary == "Jeux libres à la Cabane"
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert str(event["URL"]).endswith(f"/agenda/seances/{session.pk}/")
    assert [str(tz.tz_name) for tz in calendar.timezones] == ["Europe/Paris"]
    assert "BEGIN:VTIMEZONE" in client.get(site_feed(pantin)).content.decode()


def test_cancelled_sessions_stay_in_the_feed_as_cancelled(client, make_session, pantin):
    planned = make_session(days=3)
    cancelled = make_session(days=5, cancelled=True)

    events = by_uid(parse(client.get(site_feed(pantin))))

    assert events[f"session-{planned.pk}@petitspas"]["STATUS"] == "CONFIRMED"
    event = events[f"session-{cancelled.pk}@petitspas"]
    assert event["STATUS"] == "CANCELLED"
    assert "Intempéries" in event["DESCRIPTION"]
    assert "URL" not in event  # its page is gone


def test_on_referral_sessions_never_appear_even_cancelled(client, make_session, programme):
    referral = ActivityTypeFactory(programme=programme, on_referral=True)
    make_session(days=3, activity_type=referral, cancelled=True)

    assert parse(client.get(programme_feed(programme))).events == []


def test_feed_goes_one_year_back_and_six_months_ahead(client, make_session, pantin):
    kept = [make_session(days=-360), make_session(days=0), make_session(days=175)]
    make_session(days=-370)
    make_session(days=190)

    events = by_uid(parse(client.get(site_feed(pantin))))

    assert set(events) == {f"session-{s.pk}@petitspas" for s in kept}


def test_uid_is_stable_when_the_session_changes(client, make_session, pantin):
    session = make_session(days=3)
    before = by_uid(parse(client.get(site_feed(pantin))))

    session.start_time = datetime.time(15)
    session.end_time = datetime.time(17)
    session.save()
    after = by_uid(parse(client.get(site_feed(pantin))))

    assert list(before) == list(after) == [f"session-{session.pk}@petitspas"]
    assert after[f"session-{session.pk}@petitspas"].start.hour == 15


def test_location_is_the_address_of_the_day(client, make_session, pantin):
    SiteRelocation.objects.create(
        site=pantin, starts_on=in_days(5), place_name="Centre de PMI", address="3 rue Hoche"
    )
    usual = make_session(days=1)
    hosted = make_session(days=working_day(6))

    events = by_uid(parse(client.get(site_feed(pantin))))

    assert events[f"session-{usual.pk}@petitspas"]["LOCATION"] == (
        "Square Stalingrad, Square Stalingrad, 93500 Pantin"
    )
    assert events[f"session-{hosted.pk}@petitspas"]["LOCATION"] == (
        "Centre de PMI, 3 rue Hoche, 93500 Pantin"
    )


def test_empty_feeds_are_valid_and_say_nothing_of_the_site(client, programme, pantin):
    for url in (programme_feed(programme), site_feed(pantin)):
        response = client.get(url)
        calendar = parse(response)
        assert calendar.events == []
        assert calendar["VERSION"] == "2.0"
        assert calendar["PRODID"]
        assert len(calendar.timezones) == 1
        assert "Square Stalingrad" not in response.content.decode()
        assert "Cabanes" not in response.content.decode()


def test_a_site_with_only_referral_sessions_gives_an_empty_feed(client, programme):
    hotel = SiteFactory(programme=programme, name="Hôtel social des Lilas")
    SessionFactory(
        date=in_days(2),
        site=hotel,
        activity_type=ActivityTypeFactory(programme=programme, on_referral=True),
    )

    response = client.get(site_feed(hotel))

    assert parse(response).events == []
    assert "Hôtel social des Lilas" not in response.content.decode()


@pytest.mark.parametrize("name", ["agenda:programme-ics", "agenda:site-ics"])
def test_unknown_ids_are_not_found(client, db, name):
    kwarg = "programme_pk" if name == "agenda:programme-ics" else "site_pk"
    assert client.get(reverse(name, kwargs={kwarg: 999999})).status_code == 404


def test_add_to_my_calendar_gives_the_one_session(client, make_session):
    session = make_session(days=3)
    make_session(days=4)

    response = client.get(reverse("agenda:session-ics", kwargs={"session_pk": session.pk}))

    calendar = parse(response)
    assert list(by_uid(calendar)) == [f"session-{session.pk}@petitspas"]
    assert response["Content-Disposition"] == f'attachment; filename="seance-{session.pk}.ics"'
    event = calendar.events[0]
    assert event.start == datetime.datetime.combine(session.date, datetime.time(14), PARIS)
    assert "Gratuit, sans inscription" in event["DESCRIPTION"]


def test_feed_lines_are_folded_and_end_with_crlf(client, make_session, pantin):
    make_session(days=3, notes="Une longue information pratique " * 5)

    content = client.get(site_feed(pantin)).content

    lines = content.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-2] == b"END:VCALENDAR"
    assert all(len(line) <= 75 for line in lines)


def test_feed_query_count(client, make_session, pantin, lunel, django_assert_num_queries):
    for days in range(6):
        make_session(days=days)
        make_session(days=days, site=lunel)
    programme = ProgrammeFactory()

    with django_assert_num_queries(3):  # the programme, its sessions, the sites' relocations
        client.get(programme_feed(pantin.programme))
    with django_assert_num_queries(2):  # a programme with no session: no site to read
        client.get(programme_feed(programme))


def test_calendar_apps_may_ask_with_head(client, programme):
    assert client.head(programme_feed(programme)).status_code == 200


def test_feeds_may_be_kept_by_calendar_apps_for_a_quarter_of_an_hour(client, programme):
    response = client.get(programme_feed(programme))

    assert response["Cache-Control"] == "public, max-age=900"
