"""What the directory's map needs from a page: its markers (the services listed, numbered
as in the list) and the tile server's settings. The list is the page's content; the map
(``static/directory/map.js``, Leaflet) only draws these markers."""

from django.conf import settings
from django.urls import reverse

from petitspas.directory.geo import service_point


def map_markers(services, *, first_number: int = 1, url_name="public_directory:service") -> list:
    """One marker per service placed on the map, numbered as in the list."""
    markers = []
    for number, service in enumerate(services, first_number):
        point = service_point(service)
        if point is None:
            continue
        markers.append(
            {
                "number": number,
                "lat": point.lat,
                "lng": point.lon,
                "name": service.nom,
                "structure": service.structure.nom,
                "url": reverse(url_name, kwargs={"service_pk": service.pk}),
                "anchor": f"service-{service.pk}",
            }
        )
    return markers


def map_settings() -> dict:
    return {
        "tiles_url": settings.DIRECTORY_MAP_TILES_URL,
        "attribution": settings.DIRECTORY_MAP_ATTRIBUTION,
    }
