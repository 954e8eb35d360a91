"""What the main pages of issues 16, 17 and 19 need, set up at every scale before the
pages are measured, so that the same page for the same user can be compared across scales.

The territory generator writes sessions, families and attendance; these three capabilities
are written here, through their own services, in the largest organisation:
- childcare on referral: ``measure_booking.prepare`` (a programme with the seed's hours,
  its France Travail agency, 56 referrals accepted, a half-day with one place left);
- the directory: ``measure_search._ensure_directory``, its import of generated services
  (5,000 at town scale, 100,000 at département scale), asked near the organisation's site;
- a diagnosis area: a contour drawn around the busiest site (about 2.2 by 2.2 km), through
  ``diagnosis.services_areas.area_save``, whose page computes the reach of each of the
  organisation's sites inside it. It holds no imported indicator (none is generated).

Run again on the same database, each reuses what is there (the childcare takes its next
free half-day)."""

from __future__ import annotations

import dataclasses
import datetime

from bench import measure_booking, measure_search
from bench.results import Recorder
from bench.subjects import member
from petitspas.diagnosis.models import Area
from petitspas.diagnosis.services_areas import area_save
from petitspas.organisations.models import Role

AREA_NAME = "Quartier du lieu le plus actif"
# Half the contour's sides, in degrees: about 1.1 km each way at the Paris latitude.
HALF_LAT, HALF_LON = 0.01, 0.015


@dataclasses.dataclass(frozen=True)
class Newer:
    childcare_site: int
    half_day: tuple[datetime.date, str]  # a half-day with one place left
    area: int
    search: dict  # one of the bench's questions, near the organisation's busiest site


def _box(lat: float, lon: float) -> dict:
    ring = [
        [lon - HALF_LON, lat - HALF_LAT],
        [lon + HALF_LON, lat - HALF_LAT],
        [lon + HALF_LON, lat + HALF_LAT],
        [lon - HALF_LON, lat + HALF_LAT],
        [lon - HALF_LON, lat - HALF_LAT],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _area(subjects) -> Area:
    site = subjects.site
    area = Area.objects.filter(organisation=subjects.organisation, name=AREA_NAME).first()
    if area is not None:
        return area
    return area_save(
        by=member(subjects.organisation, Role.COORDINATOR),
        organisation=subjects.organisation,
        name=AREA_NAME,
        commune=site.commune_code,
        geometry=_box(float(site.latitude), float(site.longitude)),
        description=f"Autour de {site.name}.",
    )


def prepare(recorder: Recorder, subjects) -> Newer:
    childcare = measure_booking.prepare(subjects)
    measure_search._ensure_directory(recorder)
    area = _area(subjects)
    site = subjects.site
    # The bench's question whose radius the page offers ("garde", 5 km).
    word, theme, radius_km = measure_search.QUESTIONS[1]
    return Newer(
        childcare_site=childcare.site.pk,
        half_day=(childcare.contested.day, childcare.contested.half_day),
        area=area.pk,
        search={
            "q": word,
            "thematique": theme,
            # A point, as a family's phone gives it: no geocoding in the measure.
            "pres_de": f"{float(site.latitude):.5f}, {float(site.longitude):.5f}",
            "rayon": f"{radius_km:g}",
        },
    )
