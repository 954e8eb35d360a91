"""Opening hours in OpenStreetMap syntax (``horaires_accueil``), read by opening-hours-py
with France's public holidays and Paris time: "ouvert maintenant" and the next opening."""

import dataclasses
import datetime
import zoneinfo

import opening_hours
from django.utils import timezone

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HOURS_ERROR = (
    "Les horaires « {text} » ne sont pas lisibles. Utilisez le format OpenStreetMap, par "
    "exemple « Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off » (jours en anglais : "
    "Mo Tu We Th Fr Sa Su, heures sur 24 h)."
)


def hours_error(text: str) -> str | None:
    """A French message when ``text`` is not valid OSM opening hours, else None."""
    if not text:
        return None
    try:
        opening_hours.OpeningHours(text, timezone=PARIS, country="FR")
    except (opening_hours.ParserError, SyntaxError, ValueError):
        return HOURS_ERROR.format(text=text[:80])
    return None


@dataclasses.dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    # When it closes (open now) or next opens (closed now); None when never.
    next_change: datetime.datetime | None


def open_status(text: str, now: datetime.datetime | None = None) -> OpenStatus | None:
    """Open now, and the next change; None without hours or with unreadable ones."""
    if not text or hours_error(text):
        return None
    hours = opening_hours.OpeningHours(text, timezone=PARIS, country="FR")
    moment = (now or timezone.now()).astimezone(PARIS)
    is_open = hours.is_open(moment)
    change = hours.next_change(moment)
    if change is not None and change.year >= 9999:
        change = None
    return OpenStatus(is_open=is_open, next_change=change)
