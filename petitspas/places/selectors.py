import datetime

from petitspas.places.calendar import SiteCalendar, SlotStatus
from petitspas.places.models import HalfDay, Site

CALENDAR_WEEKS = 8


def sites_visible(*, user, programme_id: int | None = None):
    sites = Site.objects.visible_to(user).select_related("programme__organisation")
    if programme_id:
        sites = sites.filter(programme_id=programme_id)
    return sites.order_by("programme__name", "town", "name")


def sites_with_rules(*, user):
    """The sites visible to ``user``, with everything the calendar needs (weekly openings,
    closures, moves: 3 more queries for any number of sites)."""
    return (
        Site.objects.visible_to(user)
        .select_related("programme__organisation")
        .prefetch_related("weekly_openings", "closures", "relocations")
    )


def site_with_rules(*, user, site_pk: int):
    """The site, if visible, with everything the calendar needs (4 queries in all)."""
    return sites_with_rules(user=user).filter(pk=site_pk)


def site_weeks(*, site: Site, start: datetime.date, weeks: int = CALENDAR_WEEKS):
    """Weeks of day rows ``(day, morning status, afternoon status)`` from the Monday of
    ``start``'s week, read from the calendar function."""
    monday = start - datetime.timedelta(days=start.weekday())
    end = monday + datetime.timedelta(days=7 * weeks - 1)
    statuses: dict[tuple[datetime.date, str], SlotStatus] = {
        (s.day, s.half_day): s for s in SiteCalendar.for_site(site).statuses(monday, end)
    }
    days = [monday + datetime.timedelta(days=i) for i in range(7 * weeks)]
    rows = [
        (day, statuses[(day, HalfDay.MORNING)], statuses[(day, HalfDay.AFTERNOON)]) for day in days
    ]
    return [rows[i : i + 7] for i in range(0, len(rows), 7)]
