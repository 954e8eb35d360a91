"""Reads and prints of the participation: an urban walk's iCalendar event, its route
sheet and the area's map of resource places as PDF (WeasyPrint, imported only when a PDF
is printed; the maps are SVG drawn by ``places_map.plot``, since WeasyPrint runs no
script)."""

import datetime

import icalendar
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from petitspas.diagnosis.models import UrbanWalk
from petitspas.diagnosis.places_map import plot

PRODID = "-//Petits Pas//Diagnostic territorial//FR"


def walk_uid(walk: UrbanWalk) -> str:
    return f"urban-walk-{walk.pk}@petitspas"


def walk_location(stops) -> str:
    return stops[0].label if stops else ""


def walk_ics(walk: UrbanWalk) -> bytes:
    """A VCALENDAR with the walk as one VEVENT: where it starts, and its stops in order."""
    stops = list(walk.stops.all())
    calendar = icalendar.Calendar.new(prodid=PRODID)
    calendar.add("method", "PUBLISH")
    lines = [f"Guide : {walk.guide}"] + [f"{s.position}. {s.label}" for s in stops]
    if walk.description:
        lines = [walk.description, ""] + lines
    event = icalendar.Event.new(
        uid=walk_uid(walk),
        start=walk.starts_at.astimezone(datetime.UTC),
        end=walk.ends_at.astimezone(datetime.UTC),
        stamp=timezone.now().astimezone(datetime.UTC).replace(microsecond=0),
        summary=f"Parcours urbain : {walk.title}",
        location=f"Départ : {walk_location(stops)}",
        description="\n".join(lines),
    )
    if walk.cancelled:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()


def walk_plot(walk: UrbanWalk, stops):
    points = [(s.position, s.latitude, s.longitude) for s in stops if s.latitude is not None]
    return plot(walk.area.geometry, points, route=True)


def render_pdf(template: str, context: dict) -> bytes:
    import weasyprint  # noqa: PLC0415  (heavy; only the PDF needs it)

    html = render_to_string(template, {**context, "pdf": True})
    stylesheet = weasyprint.CSS(filename=finders.find("diagnosis/print.css"))
    # Nothing remote is printed: texts are escaped, the maps are inline SVG.
    fetch_nothing = weasyprint.urls.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetch_nothing)
    return document.write_pdf(stylesheets=[stylesheet])
