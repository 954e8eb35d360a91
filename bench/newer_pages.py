"""What the main pages of issues 16, 17 and 19 need, set up at every scale before the
pages are measured, so that the same page for the same user can be compared across scales.

The territory generator writes sessions, families and attendance; these three capabilities
are written here, through their own services, in the largest organisation:
- childcare on referral: ``measure_booking.prepare`` (a programme with the seed's hours,
  its France Travail agency, 56 referrals accepted, a half-day with one place left);
- the directory: ``measure_search.ensure_directory``, its import of generated services
  (5,000 at town scale, 100,000 at département scale), asked near the organisation's site;
- a Point Info Famille desk at that site, as the demo sets one up (no service creates a
  desk), with the demo's ``desk_history``: eight weeks of visits through the desk's
  services, half of them oriented to a service of the directory near it, the older ones
  followed up, and four appointments in the coming week;
- a working group of the partner network (issue 17), as the demo sets one up (no service
  creates a group): the directory's structures of the site's town, two past meetings with
  their attendance and minutes, one to come (``meeting_create``, ``attendance_record``,
  ``minutes_save``);
- the territory whose partners' guide the organisation keeps: the site's town (the
  guide lists the directory's structures there, so it holds about 20 times more at
  département scale, where the directory does);
- a diagnosis area: a contour drawn around the busiest site (about 2.2 by 2.2 km), through
  ``diagnosis.services_areas.area_save``, whose page computes the reach of each of the
  organisation's sites inside it. It holds no imported indicator (none is generated).

Run again on the same database, each reuses what is there (the childcare takes its next
free half-day)."""

from __future__ import annotations

import dataclasses
import datetime
import random

from django.utils import timezone

from bench import measure_booking, measure_search
from bench.results import Recorder
from petitspas.accounts.models import User
from petitspas.demo.desk import desk_history
from petitspas.diagnosis.models import Area
from petitspas.diagnosis.services_areas import area_save
from petitspas.directory.models import Desk, Service, Structure, Territory, WorkingGroup
from petitspas.directory.services_network import (
    attendance_record,
    meeting_create,
    minutes_save,
)

AREA_NAME = "Quartier du lieu le plus actif"
# Half the contour's sides, in degrees: about 1.1 km each way at the Paris latitude.
HALF_LAT, HALF_LON = 0.01, 0.015
DESK_NAME = "Point Info Famille du lieu le plus actif"
GROUP_NAME = "Groupe de travail « Soutien à la parentalité »"
GROUP_SIZE = 40  # structures, as the Suresnes group has about forty partners


@dataclasses.dataclass(frozen=True)
class Newer:
    childcare_site: int
    prescriber: User  # the France Travail adviser who sent the referrals
    desk: int
    group: int
    territory: int
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
        by=subjects.coordinator,
        organisation=subjects.organisation,
        name=AREA_NAME,
        commune=site.commune_code,
        geometry=_box(float(site.latitude), float(site.longitude)),
        description=f"Autour de {site.name}.",
    )


def _desk(subjects) -> Desk:
    organisation, site, today = subjects.organisation, subjects.site, subjects.today
    desk = Desk.objects.filter(organisation=organisation, name=DESK_NAME).first()
    if desk is not None:
        return desk
    desk = Desk.objects.create(organisation=organisation, site=site, name=DESK_NAME)
    agent = subjects.professional  # who the desk's page is measured as
    rng = random.Random(19)
    services = list(
        Service.objects.filter(
            source=measure_search.SOURCE, structure__code_insee=site.commune_code
        ).order_by("pk")[:200]
    ) or list(Service.objects.filter(source=measure_search.SOURCE).order_by("pk")[:200])
    desk_history(desk, agent=agent, services=services, today=today, rng=rng)
    return desk


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _group(subjects) -> WorkingGroup:
    organisation, site, today = subjects.organisation, subjects.site, subjects.today
    group = WorkingGroup.objects.filter(organisation=organisation, name=GROUP_NAME).first()
    if group is not None:
        return group
    coordinator = subjects.coordinator
    group = WorkingGroup.objects.create(
        organisation=organisation,
        name=GROUP_NAME,
        description="Les partenaires de la ville autour de la parentalité.",
    )
    nearby = Structure.objects.filter(code_insee=site.commune_code)
    group.members.set(
        (nearby if nearby.exists() else Structure.objects.all()).order_by("pk")[:GROUP_SIZE]
    )
    rng = random.Random(23)
    for days in (-240, -120, 45):
        day = today + datetime.timedelta(days=days)
        day += datetime.timedelta(days=(3 - day.weekday()) % 7)  # a Thursday
        meeting = meeting_create(
            by=coordinator,
            group=group,
            title="Réunion du groupe « Soutien à la parentalité »",
            starts_at=_at(day, 14),
            ends_at=_at(day, 16),
            place=f"{site.name}, {site.address}",
            agenda="1. Tour de table\n2. Orientations du Point Info Famille\n3. Questions",
        )
        if days < 0:
            participants = meeting.participants.values_list("pk", flat=True)
            present = {pk for pk in participants if rng.random() < 0.65}
            attendance_record(by=coordinator, meeting=meeting, present_ids=present)
            minutes_save(
                by=coordinator,
                meeting=meeting,
                minutes="Tour de table des partenaires ; point sur les orientations.",
                new_item={"kind": "decision", "text": "Mettre à jour le guide."},
            )
    return group


def prepare(recorder: Recorder, subjects) -> Newer:
    childcare = measure_booking.prepare(subjects)
    measure_search.ensure_directory(recorder)
    desk = _desk(subjects)
    group = _group(subjects)
    territory, _ = Territory.objects.get_or_create(
        organisation=subjects.organisation, defaults={"communes": [subjects.site.commune_code]}
    )
    area = _area(subjects)
    site = subjects.site
    # The bench's question whose radius the page offers ("garde", 5 km).
    word, theme, radius_km = measure_search.QUESTIONS[1]
    return Newer(
        childcare_site=childcare.site.pk,
        prescriber=measure_booking.agency(childcare.programme, subjects.coordinator),
        desk=desk.pk,
        group=group.pk,
        territory=territory.pk,
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
