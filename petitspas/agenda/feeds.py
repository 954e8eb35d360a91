"""iCalendar (RFC 5545) feeds of public sessions, written with the ``icalendar`` library,
and kept in Django's cache between two changes of what they publish."""

from __future__ import annotations

import datetime
import gzip
import hashlib
from collections.abc import Callable
from zoneinfo import ZoneInfo

import icalendar
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar.parser import Contentline

from petitspas.activities.models import Session
from petitspas.agenda.labels import is_open, kind_label, public_label
from petitspas.agenda.selectors import (
    FEED_AHEAD,
    FEED_PAST,
    FEED_SESSION_COLUMNS,
    FeedRows,
    Place,
    Places,
)

# Sessions are held in metropolitan France; their date and times are local to Paris.
TZID = "Europe/Paris"
PARIS = ZoneInfo(TZID)
PRODID = "-//Petits Pas//Agenda public//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"
CRLF = b"\r\n"
# The library folds a content line before the octet that would make it 75 long (RFC 5545:
# lines SHOULD NOT be longer than 75 octets): a line of at most 74 bytes stays as it is.
UNFOLDED = 74
# What the events' own lines are written from once (``_Events``): a sample id (the line is
# cut at its last occurrence, after any host), and a day and a time of day.
SAMPLE_ID = 987654321
SAMPLE_DAY = datetime.date(2026, 1, 5)
NOON = datetime.time(12)
# Where each column the events need is in a row of ``FEED_SESSION_COLUMNS``.
_PK, _DATE, _START, _END, _STATUS, _CANCEL_REASON, _NOTES, _NAME, _KIND, _PUBLIC, _MODE, _SITE = (
    FEED_SESSION_COLUMNS.index(column)
    for column in (
        "pk",
        "date",
        "start_time",
        "end_time",
        "status",
        "cancel_reason",
        "notes",
        "activity_type__name",
        "activity_type__kind",
        "activity_type__public",
        "activity_type__registration_mode",
        "site_id",
    )
)


def session_uid(session_pk: int) -> str:
    """Stable per session: a calendar that subscribed updates the event instead of adding a
    second one when the session moves or is cancelled."""
    return f"session-{session_pk}@petitspas"


def build_calendar(
    rows: FeedRows,
    *,
    name: str,
    uid: str,
    today: datetime.date,
    url_for: Callable[[int], str],
) -> bytes:
    """A VCALENDAR with one VEVENT per session of ``rows`` (in their order) and the Paris
    VTIMEZONE, which is always there: RFC 5545 wants at least one component, so an empty
    feed stays valid. ``url_for``: a session's page, from its id.

    The text is the one icalendar writes for the calendar and its events (``Event.new``,
    then ``to_ical``; the tests compare them byte for byte), but an event's content lines
    are mostly the same from one session to the next (its activity, its place, its
    status, the stamp): each distinct one is written by the library once per build
    (``_Events``), rather than once per session. A programme's year and a half (1,317 events
    at département scale) is written in about a tenth of a second instead of two."""
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
    head = calendar.to_ical()
    end = icalendar.Calendar().to_ical().split(CRLF, 1)[1]  # END:VCALENDAR
    if not head.endswith(end):  # pragma: no cover - the library's framing changed
        raise ValueError("Unexpected end of the calendar's text.")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    events = _Events(places=rows.places(), stamp=stamp, url_for=url_for)
    return b"".join([head[: -len(end)], *map(events.write, rows.sessions), end])


def _folded(line: bytes) -> bytes:
    """``line`` folded as the library folds it, and its line break. The library walks the
    line character by character; one of at most ``UNFOLDED`` bytes is never folded."""
    if len(line) > UNFOLDED:
        line = Contentline(line.decode()).to_ical()
    return line + CRLF


class _Events:
    """VEVENTs as ``icalendar.Event.new(...).to_ical()`` writes them, from the feed's rows.

    Every content line is encoded, escaped and folded by the library, but what repeats is
    written once per build:
    - the lines that recur from one session to the next (the summary, description,
      location and coordinates of an activity at a place, the status, the stamp): once per
      distinct value, kept in a dict;
    - the session's own (its start and end, UID and link): the property's name and
      parameters (the TZID of Paris times) once; a start or end is the day and the time of
      day that ``vDatetime`` writes, each written once; a UID or link is the one the library
      writes for a sample session with the session's id in place of the sample's (no
      escaping touches digits). A line longer than 74 bytes is folded by the library.
    The description's words, in the request's language, are put together once per
    activity, place and status, not once per session."""

    def __init__(self, *, places: Places, stamp: datetime.datetime, url_for):
        self._places = places
        self._scratch = icalendar.Event()
        self._lines: dict[tuple, bytes] = {}
        self._descriptions: dict[tuple, bytes] = {}
        self._days: dict[datetime.date, bytes] = {}
        self._hours: dict[datetime.time, bytes] = {}
        begin, end = icalendar.Event().to_ical().split(CRLF)[:2]
        self._begin, self._end = begin + CRLF, end + CRLF
        self._stamp = self._line("DTSTAMP", stamp)
        self._status = {
            True: self._line("STATUS", icalendar.enums.STATUS.CANCELLED),
            False: self._line("STATUS", icalendar.enums.STATUS.CONFIRMED),
        }
        sample = datetime.datetime.combine(timezone.localdate(), datetime.time(12), PARIS)
        self._dtstart = self._start("DTSTART", sample)
        self._dtend = self._start("DTEND", sample)
        self._uid = self._around_id("UID", session_uid)
        self._url = self._around_id("URL", url_for)

    def _encoded(self, name: str, value):
        """The content line of one property as ``Event.add`` encodes it, and its value."""
        self._scratch.add(name, value)
        value = self._scratch.pop(name)
        return self._scratch.content_line(name, value), value

    def _line(self, name: str, value) -> bytes:
        """The line of a value that recurs, written by the library the first time."""
        key = (name, value)
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = _folded(self._encoded(name, value)[0].encode())
        return line

    def _start(self, name: str, sample: datetime.datetime) -> bytes:
        """What the library writes before a Paris time's value (its name and TZID)."""
        line, value = self._encoded(name, sample)
        text, written = line.encode(), value.to_ical()
        if not text.endswith(b":" + written):  # pragma: no cover - the library changed
            raise ValueError(f"Unexpected content line for {name}: {text!r}")
        return text[: -len(written)]

    def _around_id(self, name: str, value_for) -> tuple[bytes, bytes]:
        """The line of ``name`` for a sample id, cut where the id is."""
        text = self._encoded(name, value_for(SAMPLE_ID))[0].encode()
        before, found, after = text.rpartition(str(SAMPLE_ID).encode())
        if not found:  # pragma: no cover - the library changed
            raise ValueError(f"Unexpected content line for {name}: {text!r}")
        return before, after

    def _datetime(self, day: datetime.date, time: datetime.time) -> bytes:
        """A Paris date-time's value as ``vDatetime`` writes it: the day, "T", the time."""
        written = self._days.get(day)
        if written is None:
            value = icalendar.vDatetime(datetime.datetime.combine(day, NOON, PARIS)).to_ical()
            written = self._days[day] = value.split(b"T")[0]
        hour = self._hours.get(time)
        if hour is None:
            value = icalendar.vDatetime(datetime.datetime.combine(SAMPLE_DAY, time, PARIS))
            hour = self._hours[time] = value.to_ical().split(b"T")[1]
        return written + b"T" + hour

    def write(self, row: tuple) -> bytes:
        place = self._places.on(row[_SITE], row[_DATE])
        cancelled = row[_STATUS] == Session.Status.CANCELLED
        day, pk = row[_DATE], str(row[_PK]).encode()
        lines = [
            self._begin,
            self._line("SUMMARY", row[_NAME]),
            _folded(self._dtstart + self._datetime(day, row[_START])),
            _folded(self._dtend + self._datetime(day, row[_END])),
            self._stamp,
            _folded(self._uid[0] + pk + self._uid[1]),
            self._description(row, place, cancelled),
        ]
        if place.latitude is not None and place.longitude is not None:
            lines.append(self._line("GEO", (float(place.latitude), float(place.longitude))))
        lines += [
            self._line("LOCATION", f"{place.name}, {place.address}"),
            self._status[cancelled],
            # A cancelled session's page says so, with the reason and whom to ask.
            _folded(self._url[0] + pk + self._url[1]),
            self._end,
        ]
        return b"".join(lines)

    def _description(self, row: tuple, place: Place, cancelled: bool) -> bytes:
        key = (
            row[_KIND],
            row[_PUBLIC],
            row[_MODE],
            place.name if place.relocated else None,
            row[_NOTES],
            row[_CANCEL_REASON] if cancelled else None,
            cancelled,
        )
        line = self._descriptions.get(key)
        if line is None:
            line = self._descriptions[key] = self._line(
                "DESCRIPTION", _description_text(row, place, cancelled=cancelled)
            )
        return line


def _description_text(row: tuple, place: Place, *, cancelled: bool) -> str:
    """What an event says of its session, in the request's language."""
    lines = [
        str(kind_label(row[_KIND])),
        str(public_label(row[_PUBLIC])),
        _("Gratuit, sans inscription") if is_open(row[_MODE]) else _("Sur inscription"),
    ]
    if place.relocated:
        lines.append(_("Exceptionnellement accueilli à : %(place)s") % {"place": place.name})
    if row[_NOTES]:
        lines.append(row[_NOTES])
    if cancelled and row[_CANCEL_REASON]:
        lines.insert(0, _("Séance annulée : %(reason)s") % {"reason": row[_CANCEL_REASON]})
    elif cancelled:
        lines.insert(0, _("Séance annulée"))
    return "\n".join(lines)


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


def cached_calendar(
    *, key: str, version: str, build: Callable[[], bytes], gzipped: bool = False
) -> bytes:
    """``build()``, or the body it gave for the same ``version`` if the cache still holds it.

    One entry per feed (``key``: which feed, in which language, for which host) holding the
    version it was built for and the body, gzip-compressed (650 KB of text for a programme's
    year and a half, 30 KB compressed: a fraction of a millisecond to inflate, and well
    within a memcached item). With ``gzipped``, the body is given as kept, for a client that
    accepts gzip: nothing to inflate, and a twentieth of the bytes to send. A new version
    replaces the entry rather than adding one, and a body is only served for the version it
    was built from, so a change to a session shows in the next request, whichever app server
    answers and whichever cache backend ``CACHES`` names: the default ``LocMemCache`` keeps
    one cache per process; production can point ``CACHES`` at a cache the app servers share
    (Redis, memcached) so that one build serves them all.

    The version is read just before ``build()`` runs: a change committed in between is in
    the body and not in its version, and the next request, seeing a newer version, builds
    again. A body is never older than its version."""
    # "gzip": the entries kept as zlib streams before are never read as gzip ones.
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    cache_key = "agenda:feed:gzip:" + digest
    cached = cache.get(cache_key)
    if cached is not None and cached[0] == version:
        packed = cached[1]
        return packed if gzipped else gzip.decompress(packed)
    body = build()
    packed = gzip.compress(body, compresslevel=1, mtime=0)
    cache.set(cache_key, (version, packed), FEED_CACHE_TIMEOUT)
    return packed if gzipped else body
