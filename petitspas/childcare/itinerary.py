"""Where a childcare site welcomes the children on a given day.

The itinerant micro-crèche (Lunel, 2026) is a site whose place changes by day. Its
itinerary is the calendar's temporary relocations (``places.SiteRelocation``), one per day
or range of days, with the place's name and address: the calendar function already gives
the place of each day (``SiteCalendar.place_on``, in every ``Opening``), so the week grid,
the half-day page, the booking's confirmation, the API's slots and the parents' reminders
all read it there. ``services_itinerary.itinerary_repeat`` lays out a weekly round.
"""

import datetime

from petitspas.places.calendar import SiteCalendar


def place_of_day(site, day: datetime.date) -> str:
    """ "à <place>, <address>": where ``site`` is on ``day`` (the place of the day when it
    moves)."""
    place_name, address, _relocated = SiteCalendar.for_site(site).place_on(day)
    return f"à {place_name}, {address}" if address else f"à {place_name}"
