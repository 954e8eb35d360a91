"""iCalendar (RFC 5545) feeds of public sessions, written with the ``icalendar`` library,
and kept in Django's cache between two changes of what they publish."""

from __future__ import annotations

import datetime
import hashlib
import zlib
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from petitspas.activities.models import Session
from petitspas.agenda.labels import is_open, kind_label, public_label
from petitspas.agenda.selectors import FEED_AHEAD, FEED_PAST, Places

# Sessions are held in metropolitan France; their date and times are local to Paris.
TZID = "Europe/Paris"
PARIS = ZoneInfo(TZID)
PRODID = "-//Petits Pas//Agenda public//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def session_uid(session: Session) -> str:
    """Stable per session: a calendar that subscribed updates the event instead of adding a
    second one when the session moves or is cancelled."""
    return f"session-{session.pk}@petitspas"


def build_calendar(
    sessions: Iterable[Session],
    *,
    name: str,
    uid: str,
    today: datetime.date,
    url_for: Callable[[Session], str],
) -> bytes:
    """A VCALENDAR with one VEVENT per session and the Paris VTIMEZONE, which is always
    there: RFC 5545 wants at least one component, so an empty feed stays valid."""
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        name=name,
        uid=uid,
        refresh_interval=datetime.timedelta(hours=12),
    )
    calendar.add("x-wr-timezone", TZID)
    calendar.add("x-published-ttl", "PT12H")
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            TZID,
            first_date=today - FEED_PAST - datetime.timedelta(days=31),
            last_date=today + FEED_AHEAD + datetime.timedelta(days=31),
        )
    )
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    sessions = list(sessions)
    places = Places(sessions)
    for session in sessions:
        calendar.add_component(_event(session, places=places, stamp=stamp, url_for=url_for))
    return calendar.to_ical()


# --- Cache ---------------------------------------------------------------------------------

# Bump when the same rows would give another text (a new property, another wording): the
# bodies cached by the previous code are then never served again, even from a cache shared
# by app servers that outlives a release.
FEED_LAYOUT = 1
# Entries are replaced when their feed changes and dead the next day (``today`` is part of
# their version): the timeout only bounds how long an unread feed takes room.
FEED_CACHE_TIMEOUT = 24 * 60 * 60


def feed_version(
    *, data: str, uid: str, name: str, today: datetime.date, language: str, links: str
) -> str:
    """Everything a feed's text depends on, but its DTSTAMP: ``data``, the digest of its
    rows (``selectors.feed_digest``); the day, which sets the window and the time zone's
    transitions; the language of its descriptions; ``links``, the absolute URL its events'
    links start with (scheme, host); its name and UID; and the code that writes it. Equal
    versions, equal texts: the version is the cache's check and the response's ETag."""
    parts = (FEED_LAYOUT, icalendar.__version__, data, uid, name, today, language, links)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cached_calendar(*, key: str, version: str, build: Callable[[], bytes]) -> bytes:
    """``build()``, or the body it gave for the same ``version`` if the cache still holds it.

    One entry per feed (``key``: which feed, in which language, for which host) holding the
    version it was built for and the body, compressed (650 KB of text for a programme's
    year and a half, 30 KB compressed: a fraction of a millisecond to inflate, and well
    within a memcached item). A new version replaces the entry rather than adding one, and
    a body is only served for the version it was built from, so a change to a session shows
    in the next request, whichever app server answers and whichever cache backend
    ``CACHES`` names: the default ``LocMemCache`` keeps one cache per process; production
    can point ``CACHES`` at a cache the app servers share (Redis, memcached) so that one
    build serves them all.

    The version is read just before ``build()`` runs: a change committed in between is in
    the body and not in its version, and the next request, seeing a newer version, builds
    again. A body is never older than its version."""
    cache_key = "agenda:feed:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    cached = cache.get(cache_key)
    if cached is not None and cached[0] == version:
        return zlib.decompress(cached[1])
    body = build()
    cache.set(cache_key, (version, zlib.compress(body, 1)), FEED_CACHE_TIMEOUT)
    return body


def _event(session: Session, *, places: Places, stamp, url_for) -> icalendar.Event:
    place = places.of(session)
    activity = session.activity_type
    cancelled = session.status == Session.Status.CANCELLED
    lines = [
        str(kind_label(activity.kind)),
        str(public_label(activity.public)),
        _("Gratuit, sans inscription")
        if is_open(activity.registration_mode)
        else _("Sur inscription"),
    ]
    if place.relocated:
        lines.append(_("Exceptionnellement accueilli à : %(place)s") % {"place": place.name})
    if session.notes:
        lines.append(session.notes)
    if cancelled and session.cancel_reason:
        lines.insert(0, _("Séance annulée : %(reason)s") % {"reason": session.cancel_reason})
    elif cancelled:
        lines.insert(0, _("Séance annulée"))
    event = icalendar.Event.new(
        uid=session_uid(session),
        stamp=stamp,
        start=datetime.datetime.combine(session.date, session.start_time, tzinfo=PARIS),
        end=datetime.datetime.combine(session.date, session.end_time, tzinfo=PARIS),
        summary=activity.name,
        location=f"{place.name}, {place.address}",
        description="\n".join(lines),
        status=icalendar.enums.STATUS.CANCELLED if cancelled else icalendar.enums.STATUS.CONFIRMED,
        # A cancelled session's page says so, with the reason and whom to ask.
        url=url_for(session),
    )
    if place.latitude is not None and place.longitude is not None:
        event.add("geo", (float(place.latitude), float(place.longitude)))
    return event
