"""iCalendar (RFC 5545) feeds of public sessions, written with the ``icalendar`` library."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

import icalendar
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
        # A cancelled session has no page any more: no link to a 404.
        url=None if cancelled else url_for(session),
    )
    if (
        session.site.latitude is not None
        and session.site.longitude is not None
        and not place.relocated
    ):
        event.add("geo", (float(session.site.latitude), float(session.site.longitude)))
    return event
