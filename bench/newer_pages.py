"""What the main pages of issues 16, 17 and 19 need, set up at every scale before the
pages are measured, so that the same page for the same user can be compared across scales.

The territory generator writes sessions, families and attendance; these three capabilities
are written here, through their own services, in the largest organisation:
- childcare on referral: ``measure_booking.prepare`` (a programme with the seed's hours,
  its France Travail agency, 56 referrals accepted, a half-day with one place left);
- the directory: ``measure_search.ensure_directory``, its import of generated services
  (5,000 at town scale, 100,000 at département scale), asked near the organisation's site;
- a Point Info Famille desk at that site, as the demo sets one up (no service creates a
  desk): eight weeks of visits logged through ``visit_create``, half of them oriented to a
  service of the directory near it (``orientation_create``), the older ones followed up,
  and four appointments in the coming week (``appointment_create``);
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
from bench.subjects import member
from petitspas.accounts.models import User
from petitspas.demo.desk import QUESTIONS
from petitspas.diagnosis.models import Area
from petitspas.diagnosis.services_areas import area_save
from petitspas.directory.desk import desk_openings, desk_slots
from petitspas.directory.models import Desk, Service, Structure, Territory, WorkingGroup
from petitspas.directory.services_desk import (
    appointment_create,
    orientation_create,
    orientation_follow_up,
    visit_create,
)
from petitspas.directory.services_network import (
    attendance_record,
    meeting_create,
    minutes_save,
)
from petitspas.organisations.models import Role

AREA_NAME = "Quartier du lieu le plus actif"
# Half the contour's sides, in degrees: about 1.1 km each way at the Paris latitude.
HALF_LAT, HALF_LON = 0.01, 0.015
DESK_NAME = "Point Info Famille du lieu le plus actif"
WEEKS_OF_VISITS = 8
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
        by=member(subjects.organisation, Role.COORDINATOR),
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
    agent = member(organisation, Role.PROFESSIONAL)
    rng = random.Random(19)
    services = list(
        Service.objects.filter(
            source=measure_search.SOURCE, structure__code_insee=site.commune_code
        ).order_by("pk")[:200]
    ) or list(Service.objects.filter(source=measure_search.SOURCE).order_by("pk")[:200])
    start = today - datetime.timedelta(weeks=WEEKS_OF_VISITS)
    days = sorted({opening.day for opening in desk_openings(desk, start, today)})
    visits = []
    for index, day in enumerate(days):
        for _ in range(rng.choice((0, 1, 1, 2))):
            themes, given, note = QUESTIONS[(index + len(visits)) % len(QUESTIONS)]
            visits.append(
                visit_create(
                    by=agent,
                    desk=desk,
                    day=day,
                    themes=list(themes),
                    orientation_given=given,
                    note=note,
                )
            )
    for visit in visits[::2]:
        orientation = orientation_create(
            by=agent, visit=visit, service=rng.choice(services), day=visit.day
        )
        if (today - visit.day).days > 14:
            orientation_follow_up(
                by=agent,
                orientation=orientation,
                outcome=rng.choice(("yes", "yes", "yes", "no", "pending")),
                outcome_on=min(visit.day + datetime.timedelta(days=10), today),
            )
    coming = desk_slots(
        desk, today + datetime.timedelta(days=1), today + datetime.timedelta(days=8)
    )
    for slot, first_name in zip(coming[1::5], ("Fatou", "Sarah", "Karim", "Inès"), strict=False):
        appointment_create(
            by=agent, desk=desk, starts_at=slot.starts_at, first_name=first_name, note="Accueil"
        )
    return desk


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _group(subjects) -> WorkingGroup:
    organisation, site, today = subjects.organisation, subjects.site, subjects.today
    group = WorkingGroup.objects.filter(organisation=organisation, name=GROUP_NAME).first()
    if group is not None:
        return group
    coordinator = member(organisation, Role.COORDINATOR)
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
        prescriber=measure_booking.agency(
            childcare.programme, member(subjects.organisation, Role.COORDINATOR)
        ),
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
