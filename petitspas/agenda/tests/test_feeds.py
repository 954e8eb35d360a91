"""iCalendar feeds per programme and per site, and the one-session file, parsed back with
the ``icalendar`` library."""

import datetime
import gzip
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from petitspas.activities.models import ActivityType, Session
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.agenda import feeds
from petitspas.agenda.tests.conftest import in_days, working_day
from petitspas.organisations.tests.factories import ProgrammeFactory
from petitspas.places.models import Site, SiteRelocation
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


def test_each_feed_is_named_after_its_own_programme_and_site(client, make_session, lunel):
    """The name is read by a statement compiled once per process and kept with the feed's
    version: each request still gets its own programme's and site's, and a renamed one's
    new name at once (the log of changes watches the names)."""
    make_session(days=3)
    other = ProgrammeFactory(name="Bébés lecteurs")
    square = SiteFactory(programme=other, name="Square Salengro")
    SessionFactory(date=in_days(3), activity_type=ActivityTypeFactory(programme=other), site=square)

    assert parse(client.get(programme_feed(other))).calendar_name == "Bébés lecteurs — Petits Pas"
    assert parse(client.get(site_feed(square))).calendar_name == "Square Salengro — Petits Pas"
    lunel_feed = parse(client.get(site_feed(lunel)))
    assert (lunel_feed.calendar_name or "Petits Pas") == "Petits Pas"  # publishes nothing

    other.name = "Bébés lecteurs du mercredi"
    other.save()
    assert parse(client.get(programme_feed(other))).calendar_name == (
        "Bébés lecteurs du mercredi — Petits Pas"
    )
    square.name = "Square Roger Salengro"
    square.save()
    assert parse(client.get(site_feed(square))).calendar_name == (
        "Square Roger Salengro — Petits Pas"
    )


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
    assert event["URL"].endswith(f"/agenda/seances/{cancelled.pk}/")  # its page says so


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
def test_an_unknown_id_gets_the_feed_of_one_that_publishes_nothing(client, programme, name):
    """The same answer, empty and nameless, so that the feeds do not tell which ids exist
    (the ETag too: it is derived from what the feed says)."""
    hotel = SiteFactory(programme=programme, name="Hôtel social des Lilas")
    kwarg = "programme_pk" if name == "agenda:programme-ics" else "site_pk"
    existing = programme.pk if kwarg == "programme_pk" else hotel.pk

    known = client.get(reverse(name, kwargs={kwarg: existing}))
    unknown = client.get(reverse(name, kwargs={kwarg: 999999}))

    assert known.status_code == unknown.status_code == 200
    assert parse(known).events == parse(unknown).events == []
    assert str(parse(known)["X-WR-CALNAME"]) == str(parse(unknown)["X-WR-CALNAME"])
    for pk in (0, 2**63, 2**70):  # no row can have them
        assert client.get(reverse(name, kwargs={kwarg: pk})).status_code == 404


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

    # The log's mark, the programme's name and the version (one statement, hashed by the
    # database), then to build the feed its sessions' rows and their sites' with their
    # relocations.
    with django_assert_num_queries(5):
        client.get(programme_feed(pantin.programme))
    with django_assert_num_queries(1):  # from the cache: the mark, nothing else
        client.get(programme_feed(pantin.programme))
    # No session: no site to read; the mark, the name, the version and the feed.
    with django_assert_num_queries(4):
        client.get(programme_feed(programme))


def test_calendar_apps_may_ask_with_head(client, programme):
    assert client.head(programme_feed(programme)).status_code == 200


def test_feeds_may_be_kept_by_calendar_apps_for_a_quarter_of_an_hour(client, programme):
    response = client.get(programme_feed(programme))

    assert response["Cache-Control"] == "public, max-age=900"


# --- Cache and conditional requests ---------------------------------------------------------


def forbid_builds(monkeypatch):
    """From now on, fail the test if a feed is built rather than served from the cache."""

    def build_calendar(*args, **kwargs):
        raise AssertionError("the feed was built again")

    monkeypatch.setattr(feeds, "build_calendar", build_calendar)


def event_of(response, session):
    return by_uid(parse(response))[f"session-{session.pk}@petitspas"]


def test_a_second_request_is_served_from_the_cache(client, make_session, programme, monkeypatch):
    make_session(days=3)
    first = client.get(programme_feed(programme))
    forbid_builds(monkeypatch)

    second = client.get(programme_feed(programme))

    assert second.content == first.content  # DTSTAMP included: the body built the first time
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, max-age=900"


def test_a_moved_session_shows_in_the_next_response(client, make_session, programme):
    session = make_session(days=3)
    client.get(programme_feed(programme))

    # As a series' "this one and the following" edit does it: an UPDATE, no signal.
    Session.objects.filter(pk=session.pk).update(
        start_time=datetime.time(10), end_time=datetime.time(12)
    )

    event = event_of(client.get(programme_feed(programme)), session)
    assert event.start == datetime.datetime.combine(session.date, datetime.time(10), PARIS)


def test_a_cancelled_session_shows_as_cancelled_in_the_next_response(
    client, make_session, programme
):
    session = make_session(days=3)
    assert event_of(client.get(programme_feed(programme)), session)["STATUS"] == "CONFIRMED"

    session.status, session.cancel_reason = Session.Status.CANCELLED, "Grève des transports"
    session.save()

    event = event_of(client.get(programme_feed(programme)), session)
    assert event["STATUS"] == "CANCELLED"
    assert "Grève des transports" in event["DESCRIPTION"]


@pytest.mark.parametrize(
    "change",
    ["activity renamed", "site address", "relocation", "notes", "new session", "deleted"],
)
def test_any_change_to_what_the_feed_shows_rebuilds_it(
    client, make_session, programme, pantin, change
):
    session = make_session(days=3)
    before = client.get(programme_feed(programme))

    if change == "activity renamed":
        ActivityType.objects.filter(pk=session.activity_type_id).update(name="Cabane des bébés")
    elif change == "site address":
        Site.objects.filter(pk=pantin.pk).update(address="2 avenue Jean Lolive")
    elif change == "relocation":
        SiteRelocation.objects.create(
            site=pantin, starts_on=in_days(0), place_name="Centre de PMI", address="3 rue Hoche"
        )
    elif change == "notes":
        Session.objects.filter(pk=session.pk).update(notes="Apporter des chaussons.")
    elif change == "new session":
        make_session(days=4)
    else:
        session.delete()
    after = client.get(programme_feed(programme))

    assert after["ETag"] != before["ETag"]
    text = after.content.decode().replace("\r\n ", "")
    assert {
        "activity renamed": "SUMMARY:Cabane des bébés" in text,
        "site address": "2 avenue Jean Lolive" in text,
        "relocation": "LOCATION:Centre de PMI\\, 3 rue Hoche" in text,
        "notes": "Apporter des chaussons." in text,
        "new session": text.count("BEGIN:VEVENT") == 2,
        "deleted": "BEGIN:VEVENT" not in text,
    }[change]


def test_a_calendar_app_that_has_the_feed_gets_304(
    client, make_session, programme, monkeypatch, django_assert_num_queries
):
    make_session(days=3)
    etag = client.get(programme_feed(programme))["ETag"]
    forbid_builds(monkeypatch)

    with django_assert_num_queries(1):  # the log's mark; not even the cache
        response = client.get(programme_feed(programme), headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=900"
    assert "Accept-Encoding" in response["Vary"]  # as its 200 says (RFC 9110, 15.4.5)
    head = client.head(programme_feed(programme), headers={"If-None-Match": etag})
    assert head.status_code == 304


def test_a_calendar_app_with_an_old_version_gets_the_new_one(client, make_session, programme):
    session = make_session(days=3)
    etag = client.get(programme_feed(programme))["ETag"]

    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    response = client.get(programme_feed(programme), headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert event_of(response, session)["STATUS"] == "CANCELLED"


def test_the_etag_of_another_version_gets_the_feed(client, make_session, programme):
    make_session(days=3)

    response = client.get(programme_feed(programme), headers={"If-None-Match": 'W/"autre"'})

    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert parse(response).events


def test_each_language_has_its_own_body(client, make_session, programme, settings):
    session = make_session(days=3)
    french = client.get(programme_feed(programme))

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(programme_feed(programme))

    assert "Gratuit, sans inscription" in event_of(french, session)["DESCRIPTION"]
    assert "Free, no registration needed" in event_of(english, session)["DESCRIPTION"]
    assert english["ETag"] != french["ETag"]


def test_links_follow_the_host_asked(client, make_session, programme, settings):
    settings.ALLOWED_HOSTS = ["agenda.exemple.fr", "petitspas.exemple.fr"]
    session = make_session(days=3)

    for host in ("agenda.exemple.fr", "petitspas.exemple.fr", "agenda.exemple.fr"):
        event = event_of(client.get(programme_feed(programme), HTTP_HOST=host), session)
        assert str(event["URL"]) == f"http://{host}/agenda/seances/{session.pk}/"


def test_a_social_hotel_session_never_appears_even_from_the_cache(client, make_session, programme):
    hotel = SiteFactory(
        programme=programme, name="Hôtel social – Bobigny centre", kind="social_hotel"
    )
    public = make_session(days=3)
    make_session(days=3, site=hotel)

    for _ in range(2):  # built, then from the cache
        programme_body = client.get(programme_feed(programme)).content.decode()
        hotel_body = client.get(site_feed(hotel)).content.decode()
        assert "Bobigny centre" not in programme_body
        assert f"session-{public.pk}@petitspas" in programme_body
        assert programme_body.count("BEGIN:VEVENT") == 1
        assert "VEVENT" not in hotel_body
        assert "Bobigny centre" not in hotel_body


def test_a_site_that_becomes_a_social_hotel_leaves_the_cached_feeds(
    client, make_session, programme, pantin
):
    make_session(days=3)
    assert "Square Stalingrad" in client.get(site_feed(pantin)).content.decode()
    assert "Square Stalingrad" in client.get(programme_feed(programme)).content.decode()

    Site.objects.filter(pk=pantin.pk).update(kind="social_hotel")

    for url in (site_feed(pantin), programme_feed(programme)):
        body = client.get(url).content.decode()
        assert "VEVENT" not in body
        assert "Square Stalingrad" not in body


def test_a_calendar_app_that_accepts_gzip_gets_the_kept_body_compressed(
    client, make_session, programme, monkeypatch
):
    make_session(days=3)
    plain = client.get(programme_feed(programme))
    forbid_builds(monkeypatch)

    packed = client.get(programme_feed(programme), headers={"Accept-Encoding": "br, gzip"})
    again = client.get(programme_feed(programme))

    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == again.content
    assert len(packed.content) < len(again.content)
    assert "Content-Encoding" not in plain and "Content-Encoding" not in again
    for response in (plain, packed, again):
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"] == plain["ETag"]
    assert parse(again).events


def test_a_client_that_asks_for_another_encoding_gets_the_text(client, make_session, programme):
    make_session(days=3)

    response = client.get(programme_feed(programme), headers={"Accept-Encoding": "br, deflate"})

    assert "Content-Encoding" not in response
    assert parse(response).events
