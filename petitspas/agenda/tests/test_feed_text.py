"""The feeds' text is the one the ``icalendar`` library writes, byte for byte: the writer
(``feeds.build_calendar``) only stops writing what repeats from one event to the next.

The reference below writes a calendar the plain way, one ``Event.new`` per session and
``to_ical`` (what the feeds did before), from the same sessions and places."""

import datetime
from decimal import Decimal

import icalendar
import pytest
from django.test import RequestFactory
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from petitspas.activities.models import RegistrationMode, Session
from petitspas.activities.tests.factories import ActivityTypeFactory
from petitspas.agenda import feeds, views
from petitspas.agenda.labels import is_open, kind_label, public_label
from petitspas.agenda.selectors import Places, feed_rows, feed_sessions
from petitspas.agenda.tests.conftest import in_days, working_day
from petitspas.places.models import SiteRelocation
from petitspas.places.tests.factories import SiteFactory

STAMP = datetime.datetime(2026, 12, 3, 9, 15, 42, tzinfo=datetime.UTC)


def library_calendar(sessions, *, name, uid, today, url_for) -> bytes:
    """A feed as the library writes it with no shortcut: one ``Event.new`` per session."""
    calendar = icalendar.Calendar.new(
        prodid=feeds.PRODID, name=name, uid=uid, refresh_interval=datetime.timedelta(hours=12)
    )
    calendar.add("x-wr-timezone", feeds.TZID)
    calendar.add("x-published-ttl", "PT12H")
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            feeds.TZID,
            first_date=today - feeds.FEED_PAST - datetime.timedelta(days=31),
            last_date=today + feeds.FEED_AHEAD + datetime.timedelta(days=31),
        )
    )
    places = Places(sessions)
    for session in sessions:
        place = places.of(session)
        activity = session.activity_type
        cancelled = session.status == Session.Status.CANCELLED
        lines = [
            str(kind_label(activity.kind)),
            str(public_label(activity.public)),
            translation.gettext("Gratuit, sans inscription")
            if is_open(activity.registration_mode)
            else translation.gettext("Sur inscription"),
        ]
        if place.relocated:
            lines.append(
                translation.gettext("Exceptionnellement accueilli à : %(place)s")
                % {"place": place.name}
            )
        if session.notes:
            lines.append(session.notes)
        if cancelled and session.cancel_reason:
            lines.insert(
                0,
                translation.gettext("Séance annulée : %(reason)s")
                % {"reason": session.cancel_reason},
            )
        elif cancelled:
            lines.insert(0, translation.gettext("Séance annulée"))
        event = icalendar.Event.new(
            uid=f"session-{session.pk}@petitspas",
            stamp=STAMP,
            start=datetime.datetime.combine(session.date, session.start_time, feeds.PARIS),
            end=datetime.datetime.combine(session.date, session.end_time, feeds.PARIS),
            summary=activity.name,
            location=f"{place.name}, {place.address}",
            description="\n".join(lines),
            status=icalendar.enums.STATUS.CANCELLED
            if cancelled
            else icalendar.enums.STATUS.CONFIRMED,
            url=url_for(session.pk),
        )
        if place.latitude is not None and place.longitude is not None:
            event.add("geo", (float(place.latitude), float(place.longitude)))
        calendar.add_component(event)
    return calendar.to_ical()


def both(programme, *, host="testserver", language="fr"):
    """(the feed's text, the library's text) of ``programme``'s feed."""
    request = RequestFactory().get("/", HTTP_HOST=host)
    url_for = views._session_urls(request)
    today = timezone.localdate()
    filters = {"activity_type__programme_id": programme.pk}
    with translation.override(language):
        ours = feeds.build_calendar(
            feed_rows(today=today, **filters), name="Cabanes", uid="u", today=today, url_for=url_for
        )
        theirs = library_calendar(
            list(feed_sessions(today=today, **filters).select_related("activity_type", "site")),
            name="Cabanes",
            uid="u",
            today=today,
            url_for=url_for,
        )
    return ours, theirs


@pytest.fixture(autouse=True)
def still_clock(time_machine):
    time_machine.move_to(STAMP, tick=False)


def test_the_text_is_the_librarys(make_session, programme, pantin, settings):
    """Every kind of event a feed holds: winter and summer time, a time of the night the
    clocks change, a cancelled session with and without its reason, a relocation, long
    notes with every character the text escapes, a site with no coordinates, an activity
    on registration, a summary and a host long enough to fold."""
    settings.ALLOWED_HOSTS = ["*"]
    on_registration = ActivityTypeFactory(
        programme=programme,
        name="Atelier d'éveil musical 🎵 pour les tout-petits et leurs parents, à la Cabane",
        registration_mode=RegistrationMode.REGISTRATION,
    )
    nowhere = SiteFactory(programme=programme, name="Salle polyvalente", latitude=None)
    SiteRelocation.objects.create(
        site=pantin,
        starts_on=in_days(20),
        ends_on=in_days(40),
        place_name="Centre de PMI Jean-Jaurès",
        address="3 rue Hoche",
    )
    make_session(days=-300)
    make_session(days=-120, start_time=datetime.time(9, 30), end_time=datetime.time(11, 30))
    make_session(days=1, cancelled=True)
    make_session(days=2, status=Session.Status.CANCELLED, cancel_reason="")
    make_session(days=working_day(25))
    make_session(
        days=3,
        notes="Apporter des chaussons ; goûter partagé, à 15h\\16h. " * 4 + "é" * 40,
    )
    make_session(days=4, site=nowhere, activity_type=on_registration)
    make_session(days=5, start_time=datetime.time(2, 30), end_time=datetime.time(3, 30))

    for host, language in (
        ("testserver", "fr"),
        ("agenda.petits-pas.seine-saint-denis.exemple.fr", "fr"),
        ("testserver", "ar"),
    ):
        ours, theirs = both(programme, host=host, language=language)
        assert ours.count(b"BEGIN:VEVENT") == 8
        assert ours == theirs


def test_an_empty_feed_is_the_librarys(programme):
    ours, theirs = both(programme)

    assert b"VEVENT" not in ours
    assert ours == theirs


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    notes=st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=200),
    name=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=100),
    address=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=120),
)
def test_any_text_is_written_and_folded_as_the_library_does(
    make_session, programme, pantin, free_play, notes, name, address
):
    """Folding keeps a character whole and never splits an escape: the shortcut for short
    lines and the library's folding of long ones must agree on any text."""
    Session.objects.all().delete()
    type(free_play).objects.filter(pk=free_play.pk).update(name=name.strip() or "x")
    type(pantin).objects.filter(pk=pantin.pk).update(
        address=address.strip() or "x", latitude=Decimal("48.89460")
    )
    make_session(days=3, notes=notes.strip())
    make_session(days=4, cancelled=True, cancel_reason=notes[:40])

    ours, theirs = both(programme)

    assert ours == theirs
