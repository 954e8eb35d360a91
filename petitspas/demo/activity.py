"""The demo's field work: activity types, partner facilitators, series and their sessions
from 24 months ago to 3 months ahead, clearly fictitious families, registrations, named
attendance, anonymous headcounts and observations, so that every screen shows something on
first start (issue 4, "Demo").

Called by ``loader.load_demo()`` inside its transaction. Loading again gives the same rows:
activity types and facilitators are kept by name; the series and sessions of the demo's
activity types and the demo's families (household codes starting with ``DEMO-``) are
deleted and recreated with everything recorded about them; other rows are left alone.
Everything is drawn from ``random.Random`` with fixed seeds and dates relative to
``today``, so two loads on the same day are identical.

The programmes, first names and notes are data (``data/``). What comes from the seeds:
Espace Petits Pas (seed 000) visits families housed in social hotels on 7 sites, with a
talk group, a reading workshop (municipal libraries) and a psychomotor workshop once a
month in 4 hotels; the Cabanes (seed 003) are open workshops without registration, two
half-days a week per site, co-run with PMI staff, counted and observed, never named; La
Clef d'Or (seed 002) runs the LAEP "la Parenthèse", a theatre workshop for pregnant women
once a month for two hours, a Point Info Famille one Saturday morning a month, talk groups
and conferences. First names are common ones from the families' languages; no family, code
or note describes a real person.

Each programme's demo professional staffs the sessions of their rounds (``rounds``), today's
included; the Clef d'Or's, the Cabanes' and Paris' last two open sessions before today are
left without a sheet (``left_to_record``), for "À saisir" to list.

Sessions only fall where the site's calendar is open for their hours (``planned_dates``).
Rows are written with ``bulk_create``: a few thousand sessions and tens of thousands of
attendance rows would take minutes through per-row service calls.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.activities.models import (
    ActivityType,
    Facilitator,
    Series,
    Session,
    SitesMode,
)
from petitspas.activities.recurrence import filter_open_dates, occurrences, rotation_dates
from petitspas.activities.selectors import rotation_order
from petitspas.activities.services import series_sessions
from petitspas.attendance.models import Attendance, Headcount, Observation, Registration
from petitspas.attendance.rules import attending_people, takes_headcount
from petitspas.attendance.selectors import TO_RECORD_WINDOW
from petitspas.attendance.services import families_present_write
from petitspas.core.db import analyze
from petitspas.demo.data.activities import (
    AGIR_ENSEMBLE,
    ASMAE_SITES,
    CABANE_WORKSHOP,
    CABANES,
    CAFE,
    CDO_TALK_GROUP,
    CLEF_D_OR,
    CLEF_D_OR_ACTIVITY,
    CONFERENCE,
    CONFERENCE_TOPICS,
    ESPACE_PETITS_PAS,
    INFO_DESK,
    KIOSQUE,
    LAEP,
    PARIS_WORKSHOP,
    PROGRAMMES,
    THEATRE,
    ActivitySpec,
    FacilitatorSpec,
    ProgrammeActivity,
    SeriesSpec,
)
from petitspas.demo.data.families import (
    ASMAE_SLOTS,
    HOTEL_LANGUAGES,
    NAMES,
    SIX_YEARS,
    SURESNES_LANGUAGES,
)
from petitspas.demo.data.notes import (
    ASMAE_WORKSHOP_NOTES,
    CABANE_NOTES,
    CAFE_NOTES,
    CDO_TALK_GROUP_NOTES,
    HOTEL_NOTES,
    INFO_DESK_NOTES,
    KIOSQUE_NOTES,
    LAEP_NOTES,
    PARIS_WORKSHOP_NOTES,
    THEATRE_NOTES,
)
from petitspas.families.models import Household, HousingSituation, Person
from petitspas.families.services import people_bulk_create
from petitspas.organisations.models import Organisation, Programme
from petitspas.places.calendar import SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.models import Site

if TYPE_CHECKING:
    from petitspas.demo.loader import DemoResult

PAST = relativedelta(months=24)
AHEAD = relativedelta(months=3)
# Every demo household code starts with this, so that reloading finds exactly its own.
CODE_PREFIX = "DEMO-"
SEED = 2018  # Espace Petits Pas' first year (seed 000)

Kind = ActivityType.Kind
Status = Attendance.Status


@dataclasses.dataclass(eq=False)
class Family:
    household: Household
    parents: list[Person]
    children: list[Person]
    arrives: datetime.date
    leaves: datetime.date  # first day away
    group: str  # the NAMES its first names come from
    regular: bool = False
    # La Clef d'Or's theatre workshop: the last six months of a pregnancy, up to three
    # weeks before the birth (or the due date, while the child is expected).
    pregnant_from: datetime.date | None = None
    pregnant_until: datetime.date | None = None
    born_on: datetime.date | None = None

    def is_here(self, day: datetime.date) -> bool:
        return self.arrives <= day < self.leaves

    def children_on(self, day: datetime.date) -> list[Person]:
        """Children already born and under 6 on ``day``: no visit before a birth."""
        return [
            child
            for child in attending_people(self.children, on=day)
            if (day - child.birth_date).days < SIX_YEARS
        ]


def _weighted(rng: random.Random, table):
    return rng.choices(table, weights=[row[-1] for row in table])[0]


def _person(role: str, first_name: str = "", **dates) -> Person:
    return Person(role=role, first_name=first_name, **dates)


def _new_family(
    rng: random.Random,
    *,
    organisation: Organisation,
    code: str,
    languages: tuple,
    site: Site,
    housing: str,
    housing_site: Site | None,
    arrives: datetime.date,
    leaves: datetime.date,
    known_since: datetime.date,
) -> Family:
    spoken, group, _ = languages
    mothers, fathers, _ = NAMES[group]
    household = Household(
        organisation=organisation,
        code=code,
        commune_code=site.commune_code,
        town=site.town,
        housing=housing,
        housing_site=housing_site,
        languages=spoken,
        created_at=timezone.make_aware(datetime.datetime.combine(known_since, datetime.time(16))),
    )
    parents = [_person(Person.Role.PARENT, rng.choice(mothers))]
    if rng.random() < 0.4:
        parents.append(_person(Person.Role.PARENT, rng.choice(fathers)))
    return Family(household, parents, [], arrives, leaves, group)


def _add_children(
    rng: random.Random, family: Family, *, youngest: datetime.date, today: datetime.date
) -> None:
    """The youngest child born on ``youngest``, or expected then when that is in the next
    eight months and the family is still followed; older siblings 1 to 4 years apart."""
    names = rng.sample(NAMES[family.group][2], k=3)
    count = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
    birth = youngest
    if youngest > today:
        if family.leaves > today and youngest <= today + datetime.timedelta(days=240):
            family.children.append(_person(Person.Role.EXPECTED_CHILD, due_date=youngest))
            count -= 1
            birth = youngest - datetime.timedelta(days=rng.randint(400, 1500))
        else:
            birth = today - datetime.timedelta(days=rng.randint(30, 400))
    for index in range(count):
        family.children.append(_person(Person.Role.CHILD, names[index], birth_date=birth))
        birth -= datetime.timedelta(days=rng.randint(400, 1500))


def _asmae_families(
    rng: random.Random, organisation: Organisation, sites: dict[str, Site], window: Window
) -> dict[str, list[Family]]:
    """Households met at each site: each slot holds one family after another, as families
    are moved from hotel to hotel (stays of 5 months to 3 years)."""
    by_site: dict[str, list[Family]] = {}
    number = 0
    for name in ASMAE_SITES:
        site = sites[name]
        families = []
        for _ in range(ASMAE_SLOTS[name]):
            stay = rng.randint(150, 1100)
            arrives = window.start - datetime.timedelta(days=rng.randint(0, stay - 30))
            while arrives <= window.today:
                leaves = arrives + datetime.timedelta(days=stay)
                number += 1
                hotel = site.kind == Site.Kind.SOCIAL_HOTEL
                family = _new_family(
                    rng,
                    organisation=organisation,
                    code=f"{CODE_PREFIX}EPP-{number:03d}",
                    languages=_weighted(rng, HOTEL_LANGUAGES),
                    site=site,
                    # Pantin's neighbourhood centre welcomes families of nearby hotels
                    # that the programme does not visit, and some hosted elsewhere.
                    housing=(
                        HousingSituation.SOCIAL_HOTEL
                        if hotel or rng.random() < 0.6
                        else rng.choice(
                            (HousingSituation.EMERGENCY_SHELTER, HousingSituation.HOSTED)
                        )
                    ),
                    housing_site=site if hotel else None,
                    arrives=arrives,
                    leaves=leaves,
                    # Files older than the window were opened before the demo's history.
                    known_since=max(arrives, window.start - datetime.timedelta(days=400)),
                )
                family.regular = rng.random() < 0.45
                youngest = max(arrives, window.start) + datetime.timedelta(
                    days=rng.randint(-3 * 365, 300)
                )
                _add_children(rng, family, youngest=youngest, today=window.today)
                families.append(family)
                stay = rng.randint(150, 1100)
                arrives = leaves + datetime.timedelta(days=rng.randint(7, 90))
        by_site[name] = families
    return by_site


def _suresnes_families(
    rng: random.Random, organisation: Organisation, site: Site, window: Window
) -> tuple[list[Family], list[Family]]:
    """Pregnant women for the theatre workshop (due dates spread over the window and the
    coming months) and parents of young children for the talk group."""
    pregnancies, parents = [], []
    span = (window.end + datetime.timedelta(days=120) - window.start).days
    for number in range(1, 61):
        due_on = window.start + datetime.timedelta(days=60 + rng.randint(0, span - 60))
        family = _new_family(
            rng,
            organisation=organisation,
            code=f"{CODE_PREFIX}CDO-{number:03d}",
            languages=_weighted(rng, SURESNES_LANGUAGES),
            site=site,
            housing=rng.choices(
                (HousingSituation.HOUSED, HousingSituation.HOSTED), weights=(85, 15)
            )[0],
            housing_site=None,
            arrives=due_on - datetime.timedelta(days=rng.randint(150, 220)),
            leaves=due_on + datetime.timedelta(days=3 * 365),
            known_since=due_on - datetime.timedelta(days=rng.randint(220, 260)),
        )
        if due_on > window.today:
            family.children.append(_person(Person.Role.EXPECTED_CHILD, due_date=due_on))
            birth = due_on
        else:
            birth = min(
                due_on + datetime.timedelta(days=rng.randint(-15, 7)),
                window.today - datetime.timedelta(days=1),
            )
            names = NAMES[family.group][2]
            family.children.append(_person(Person.Role.CHILD, rng.choice(names), birth_date=birth))
            family.born_on = birth
        family.pregnant_from = due_on - datetime.timedelta(days=180)
        family.pregnant_until = birth - datetime.timedelta(days=21)
        if rng.random() < 0.35:
            older = birth - datetime.timedelta(days=rng.randint(600, 1500))
            name = rng.choice(NAMES[family.group][2])
            if all(child.first_name != name for child in family.children):
                family.children.append(_person(Person.Role.CHILD, name, birth_date=older))
        pregnancies.append(family)
    for number in range(61, 96):
        arrives = window.start - datetime.timedelta(days=rng.randint(0, 300))
        arrives += datetime.timedelta(days=rng.randint(0, 600))
        family = _new_family(
            rng,
            organisation=organisation,
            code=f"{CODE_PREFIX}CDO-{number:03d}",
            languages=_weighted(rng, SURESNES_LANGUAGES),
            site=site,
            housing=HousingSituation.HOUSED,
            housing_site=None,
            arrives=arrives,
            leaves=arrives + datetime.timedelta(days=rng.randint(300, 900)),
            known_since=arrives,
        )
        family.regular = rng.random() < 0.4
        youngest = min(
            window.today - datetime.timedelta(days=30),
            arrives - datetime.timedelta(days=rng.randint(60, 900)),
        )
        _add_children(rng, family, youngest=youngest, today=window.today)
        parents.append(family)
    return pregnancies, parents


# --- Sessions -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Window:
    today: datetime.date
    start: datetime.date
    end: datetime.date


@dataclasses.dataclass(eq=False)
class Planned:
    session: Session
    spec: SeriesSpec
    staff: list[User]
    facilitators: list[Facilitator]

    @property
    def staff_id(self) -> int | None:
        """Who recorded the attendance and wrote the notes: the first staff member."""
        return self.staff[0].pk if self.staff else None


def _open_dates(
    spec: SeriesSpec, calendar: SiteCalendar, start, end, *, turn: tuple[int, int] = (0, 1)
) -> list[datetime.date]:
    """The open dates of ``spec`` at the site of ``calendar``; in a rotation, of the site's
    ``turn`` (its rank in ``rotation_order``, the number of sites)."""
    times = {"start_time": spec.start_time, "end_time": spec.end_time, "calendar": calendar}
    candidates = occurrences(rrule=spec.rrule, starts_on=start, ends_on=end)
    if spec.rotation:
        candidates = rotation_dates(candidates, turn=turn[0], turns=turn[1])
    try:
        return filter_open_dates(candidates, **times)
    except SchoolCalendarUnavailable:
        # A demo loaded years from now may reach past the published school holidays: keep
        # the dates that are known rather than failing the whole load.
        dates = []
        for day in candidates:
            try:
                dates += filter_open_dates([day], **times)
            except SchoolCalendarUnavailable:
                continue
        return dates


# --- Attendance -----------------------------------------------------------------------------


class Recorder:
    """Collects the rows of the field screens for ``bulk_create``. Rows are built from
    ids: a related object per field would double the time of the load."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.registrations: list[Registration] = []
        self.attendances: list[Attendance] = []
        self.headcounts: list[Headcount] = []
        self.observations: list[Observation] = []
        self._moments: dict[tuple, datetime.datetime] = {}

    def moment(self, day: datetime.date, at: datetime.time) -> datetime.datetime:
        key = (day, at)
        if key not in self._moments:
            self._moments[key] = timezone.make_aware(datetime.datetime.combine(day, at))
        return self._moments[key]

    def register(self, planned: Planned, families: list[Family]) -> None:
        session = planned.session
        for family in families:
            days_before = datetime.timedelta(days=self.rng.randint(2, 25))
            self.registrations.append(
                Registration(
                    session_id=session.pk,
                    household_id=family.household.pk,
                    created_at=self.moment(session.date - days_before, datetime.time(17)),
                )
            )

    def attend(
        self,
        planned: Planned,
        family: Family,
        status: str,
        *,
        walk_in: bool = False,
        parents_only: bool = False,
        mother_only: bool = False,
    ) -> None:
        session = planned.session
        people = family.parents[:1] if mother_only else list(family.parents)
        if status == Status.PRESENT and len(people) > 1 and self.rng.random() < 0.7:
            people = people[:1]  # the father came along one time in three or so
        if not (parents_only or mother_only):
            people += family.children_on(session.date)
        recorded_at = self.moment(session.date, session.end_time)
        for person in people:
            self.attendances.append(
                Attendance(
                    session_id=session.pk,
                    person_id=person.pk,
                    household_id=family.household.pk,
                    status=status,
                    is_walk_in=walk_in,
                    recorded_by_id=planned.staff_id,
                    recorded_at=recorded_at,
                )
            )

    def count(self, planned: Planned, **counters) -> None:
        session = planned.session
        self.headcounts.append(
            Headcount(
                session_id=session.pk,
                recorded_by_id=planned.staff_id,
                updated_at=self.moment(session.date, session.end_time),
                **counters,
            )
        )

    def observe(self, planned: Planned, text: str, themes) -> None:
        session = planned.session
        self.observations.append(
            Observation(
                session_id=session.pk,
                author_id=planned.staff_id,
                observed_on=session.date,
                text=text,
                themes=[str(theme) for theme in themes],
                created_at=self.moment(session.date, session.end_time),
            )
        )

    def maybe_observe(self, planned: Planned, rate: float, notes) -> None:
        if self.rng.random() < rate:
            text, themes = self.rng.choice(notes)
            self.observe(planned, text, themes)


def _draw_status(rng: random.Random, *, present: float, excused: float) -> str:
    draw = rng.random()
    if draw < present:
        return Status.PRESENT
    return Status.EXCUSED if draw < present + excused else Status.NO_SHOW


def _registered_attendance(
    recorder: Recorder,
    planned: Planned,
    registered: list[Family],
    walk_ins: list[Family],
    *,
    present: float,
    excused: float,
    **people,
) -> None:
    for family in registered:
        status = _draw_status(recorder.rng, present=present, excused=excused)
        recorder.attend(planned, family, status, **people)
    for family in walk_ins:
        recorder.attend(planned, family, Status.PRESENT, walk_in=True, **people)


def _asmae_attendance(
    recorder: Recorder, sessions: list[Planned], by_site: dict[str, list[Family]], window: Window
) -> None:
    """8 to 15 households at a free-play afternoon: the regulars (registered: the expected
    list) and families who drop in; 6 to 10 registered at a monthly workshop."""
    rng = recorder.rng
    registers_until = window.today + datetime.timedelta(days=14)
    for planned in sessions:
        session = planned.session
        here = [family for family in by_site[session.site.name] if family.is_here(session.date)]
        here = [family for family in here if family.arrives <= window.today]
        regulars = [family for family in here if family.regular]
        others = [family for family in here if not family.regular]
        past = session.date < window.today
        cancelled = session.status == Session.Status.CANCELLED
        kind = session.activity_type.kind
        if kind == Kind.FREE_PLAY:
            registered = regulars[: session.capacity]
            if past or session.date <= registers_until:
                recorder.register(planned, registered)
            if not past or cancelled:
                continue
            statuses = [_draw_status(rng, present=0.72, excused=0.1) for _ in registered]
            for family, status in zip(registered, statuses, strict=True):
                recorder.attend(planned, family, status)
            # 8 to 15 households an afternoon: the regulars who came, then drop-ins.
            drop_ins = rng.randint(8, 15) - statuses.count(Status.PRESENT)
            for family in rng.sample(others, k=max(0, min(len(others), drop_ins))):
                recorder.attend(planned, family, Status.PRESENT, walk_in=True)
            recorder.maybe_observe(planned, 0.25, HOTEL_NOTES)
            continue
        # Monthly workshops: registrations open a month ahead, regulars first.
        if not past and session.date > window.today + datetime.timedelta(days=30):
            continue
        wanted = rng.randint(6, 10)
        pool = rng.sample(regulars, k=len(regulars)) + rng.sample(others, k=len(others))
        registered = pool[: min(wanted, session.capacity or wanted)]
        recorder.register(planned, registered)
        if not past or cancelled:
            continue
        rest = pool[len(registered) :]
        walk_ins = rest[: rng.randint(0, 2)]
        _registered_attendance(
            recorder,
            planned,
            registered,
            walk_ins,
            present=0.75,
            excused=0.1,
            parents_only=kind == Kind.TALK_GROUP,
        )
        recorder.maybe_observe(planned, 0.5, ASMAE_WORKSHOP_NOTES[kind])


def _suresnes_attendance(
    recorder: Recorder,
    sessions: list[Planned],
    pregnancies: list[Family],
    parents: list[Family],
    window: Window,
) -> None:
    """The theatre workshop: women in their last six months of pregnancy, never after the
    birth. The talk group: parents of young children, and mothers back after the birth."""
    rng = recorder.rng
    for planned in sessions:
        session = planned.session
        name = session.activity_type.name
        past = session.date < window.today
        cancelled = session.status == Session.Status.CANCELLED
        if not past and session.date > window.today + datetime.timedelta(days=30):
            continue
        if name == THEATRE:
            expecting = [
                family
                for family in pregnancies
                if family.pregnant_from <= session.date <= family.pregnant_until
            ]
            registered = [family for family in expecting if rng.random() < 0.8]
            registered = registered[: session.capacity]
            recorder.register(planned, registered)
            if past and not cancelled:
                _registered_attendance(
                    recorder, planned, registered, [], present=0.85, excused=0.1, mother_only=True
                )
                recorder.maybe_observe(planned, 0.6, THEATRE_NOTES)
        elif name == CDO_TALK_GROUP:
            here = [family for family in parents if family.is_here(session.date)]
            # Mothers of the theatre workshop come back once the baby is born.
            here += [
                family
                for family in pregnancies
                if family.born_on and family.born_on < session.date and rng.random() < 0.15
            ]
            here = [family for family in here if family.arrives <= window.today]
            wanted = rng.randint(5, 11)
            others = [family for family in here if not family.regular]
            pool = [family for family in here if family.regular] + rng.sample(others, k=len(others))
            registered = pool[: min(wanted, session.capacity)]
            recorder.register(planned, registered)
            if past and not cancelled:
                _registered_attendance(
                    recorder,
                    planned,
                    registered,
                    pool[len(registered) : len(registered) + rng.randint(0, 1)],
                    present=0.8,
                    excused=0.12,
                    parents_only=True,
                )
                recorder.maybe_observe(planned, 0.7, CDO_TALK_GROUP_NOTES)


# --- Headcounts -----------------------------------------------------------------------------


def _between(rng: random.Random, low: int, high: int, factor: float = 1.0) -> int:
    return max(low, min(high, round(rng.randint(low, high) * factor)))


def _season(day: datetime.date) -> float:
    """Fewer families in August and around the end-of-year holidays."""
    if day.month == 8:
        return 0.6
    if day.month in (7, 12, 1):
        return 0.85
    return 1.0


def _cabane_count(rng: random.Random, day: datetime.date, started_on: datetime.date) -> dict:
    # The Cabanes grew known: more families in the second year (500 families since the
    # launch, seed 003).
    growth = min(1.25, 0.8 + (day - started_on).days / 900)
    factor = growth * _season(day)
    adults = _between(rng, 4, 15, factor)
    return {
        "adults": adults,
        "pregnant_women": min(adults - 1, _between(rng, 0, 3)),
        "children_under_1": _between(rng, 1, 5, factor),
        "children_1_3": _between(rng, 2, 8, factor),
        "children_3_6": _between(rng, 0, 2),
        "first_visits": min(adults, _between(rng, 0, 4)),
    }


def _laep_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    factor = _season(day)
    adults = _between(rng, 3, 10, factor)
    return {
        "adults": adults,
        "pregnant_women": min(adults - 1, _between(rng, 0, 1)),
        "children_under_1": _between(rng, 0, 3, factor),
        "children_1_3": _between(rng, 1, 6, factor),
        "children_3_6": _between(rng, 0, 4, factor),
        "first_visits": min(adults, _between(rng, 0, 2)),
    }


def _info_desk_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    adults = _between(rng, 2, 8)
    return {
        "adults": adults,
        "pregnant_women": _between(rng, 0, 1),
        "children_under_1": _between(rng, 0, 2),
        "children_1_3": _between(rng, 0, 2),
        "children_3_6": _between(rng, 0, 2),
        "first_visits": min(adults, _between(rng, 1, 5)),
    }


def _conference_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    adults = _between(rng, 10, 32)
    return {
        "adults": adults,
        "pregnant_women": _between(rng, 0, 2),
        "children_under_1": _between(rng, 0, 2),
        "first_visits": min(adults, _between(rng, 2, 9)),
    }


def _cafe_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    adults = _between(rng, 4, 12)
    return {
        "adults": adults,
        "pregnant_women": _between(rng, 0, 1),
        "children_under_1": _between(rng, 0, 2),
        "children_1_3": _between(rng, 0, 3),
        "first_visits": min(adults, _between(rng, 0, 3)),
    }


def _open_attendance(
    recorder: Recorder, sessions: list[Planned], started_on: datetime.date, window: Window
) -> None:
    for planned in sessions:
        session = planned.session
        if session.date >= window.today or session.status == Session.Status.CANCELLED:
            continue
        counter, rate, notes = HEADCOUNTS[session.activity_type.name]
        counts = counter(recorder.rng, session.date, started_on)
        recorder.count(planned, **counts)
        if session.activity_type.name == CONFERENCE:
            topic = session.notes.removeprefix("Thème : ").rstrip(".")
            theme = dict(CONFERENCE_TOPICS)[topic]
            recorder.observe(
                planned,
                f"Conférence « {topic} » : {counts['adults']} parents présents, dont "
                f"{counts['first_visits']} venus pour la première fois à la Clef d'Or. "
                "Beaucoup de questions à la fin ; plusieurs parents ont demandé un groupe de "
                "parole sur ce thème.",
                [theme],
            )
        else:
            recorder.maybe_observe(planned, rate, notes)


def _kiosque_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    adults = _between(rng, 3, 12, _season(day))
    return {
        "adults": adults,
        "pregnant_women": _between(rng, 0, 1),
        "children_under_1": _between(rng, 0, 2),
        "children_1_3": _between(rng, 0, 4),
        "children_3_6": _between(rng, 0, 4),
        "first_visits": min(adults, _between(rng, 0, 4)),
    }


def _workshop_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    factor = _season(day)
    adults = _between(rng, 4, 10, factor)
    return {
        "adults": adults,
        "pregnant_women": min(adults - 1, _between(rng, 0, 1)),
        "children_under_1": _between(rng, 0, 3, factor),
        "children_1_3": _between(rng, 1, 5, factor),
        "children_3_6": _between(rng, 1, 5, factor),
        "first_visits": min(adults, _between(rng, 0, 3)),
    }


# Open sessions: how their headcount is drawn, and how often a note is written.
HEADCOUNTS: dict[str, tuple[Callable, float, tuple]] = {
    CABANE_WORKSHOP: (_cabane_count, 0.5, CABANE_NOTES),
    LAEP: (_laep_count, 0.2, LAEP_NOTES),
    INFO_DESK: (_info_desk_count, 0.5, INFO_DESK_NOTES),
    CONFERENCE: (_conference_count, 1.0, ()),
    CAFE: (_cafe_count, 0.4, CAFE_NOTES),
    KIOSQUE: (_kiosque_count, 0.4, KIOSQUE_NOTES),
    PARIS_WORKSHOP: (_workshop_count, 0.4, PARIS_WORKSHOP_NOTES),
}


def left_to_record(spec: ProgrammeActivity, sessions: list[Planned], window: Window) -> list:
    """The ``spec.left_to_record`` most recent past open sessions that the demo staffs,
    held in the last 30 days: their sheet stays empty, for "À saisir" to list."""
    recent = [
        row
        for row in sessions
        if _is_open(row)
        and row.staff
        and row.session.status == Session.Status.PLANNED
        and window.today - TO_RECORD_WINDOW <= row.session.date < window.today
    ]
    recent.sort(key=lambda row: (row.session.date, row.session.start_time), reverse=True)
    return recent[: spec.left_to_record]


# --- Loading --------------------------------------------------------------------------------


def load_activity(*, today: datetime.date, result: DemoResult) -> None:
    """Create or restore the field work of the demo programmes, dated around ``today``.

    Called by ``loader.load_demo()`` inside its transaction, once the programmes, sites and
    accounts exist. Adds one line per kind of row to ``result.counts``."""
    window = Window(today=today, start=today - PAST, end=today + AHEAD)
    programmes = {
        spec.programme: Programme.objects.select_related("organisation").get(
            organisation__name=spec.organisation, name=spec.programme
        )
        for spec in PROGRAMMES
    }
    organisations = list({p.organisation_id: p.organisation for p in programmes.values()}.values())
    before = {label: rows.count() for label, rows in _demo_rows(programmes, organisations).items()}

    types = {
        (spec.programme, activity.name): _activity_type(programmes[spec.programme], activity)
        for spec in PROGRAMMES
        for activity in spec.activities
    }
    _purge([row.pk for row in types.values()], organisations)
    emails = {email for spec in PROGRAMMES for *_, email in spec.rounds}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}

    plans: dict[str, list[Planned]] = {}
    for spec in PROGRAMMES:
        programme = programmes[spec.programme]
        facilitators = {
            row.name: _facilitator(programme.organisation, row) for row in spec.facilitators
        }
        sites = {
            site.name: site
            for site in programme.sites.prefetch_related(
                "weekly_openings", "closures", "relocations"
            )
        }
        plans[spec.programme] = _plan(
            spec,
            random.Random(f"{SEED}:{spec.programme}:sessions"),
            programme=programme,
            types={name: row for (key, name), row in types.items() if key == spec.programme},
            sites=sites,
            facilitators=facilitators,
            users=users,
            window=window,
        )
    planned = [row for rows in plans.values() for row in rows]
    Session.objects.bulk_create([row.session for row in planned])
    Session.staff.through.objects.bulk_create(
        Session.staff.through(session_id=row.session.pk, user_id=user.pk)
        for row in planned
        for user in row.staff
    )
    Session.facilitators.through.objects.bulk_create(
        Session.facilitators.through(session_id=row.session.pk, facilitator_id=facilitator.pk)
        for row in planned
        for facilitator in row.facilitators
    )

    recorder = Recorder(random.Random(f"{SEED}:attendance"))
    asmae = programmes[ESPACE_PETITS_PAS.programme]
    rng = random.Random(f"{SEED}:{ESPACE_PETITS_PAS.programme}:families")
    hotel_families = _asmae_families(
        rng, asmae.organisation, {site.name: site for site in asmae.sites.all()}, window
    )
    clef = programmes[CLEF_D_OR_ACTIVITY.programme]
    rng = random.Random(f"{SEED}:{CLEF_D_OR_ACTIVITY.programme}:families")
    pregnancies, parents = _suresnes_families(
        rng, clef.organisation, clef.sites.get(name=CLEF_D_OR), window
    )
    _save_families(
        [family for families in hotel_families.values() for family in families]
        + pregnancies
        + parents
    )

    _asmae_attendance(recorder, plans[ESPACE_PETITS_PAS.programme], hotel_families, window)
    named = [row for row in plans[CLEF_D_OR_ACTIVITY.programme] if not _is_open(row)]
    _suresnes_attendance(recorder, named, pregnancies, parents, window)
    for spec in (CABANES, CLEF_D_OR_ACTIVITY, AGIR_ENSEMBLE):
        waiting = left_to_record(spec, plans[spec.programme], window)
        _open_attendance(
            recorder,
            [row for row in plans[spec.programme] if _is_open(row) and row not in waiting],
            programmes[spec.programme].started_on,
            window,
        )
    Registration.objects.bulk_create(recorder.registrations)
    Attendance.objects.bulk_create(recorder.attendances)
    # What each sheet's save writes on its session: the households present.
    families_present_write(sessions=Session.objects.filter(activity_type__in=types.values()))
    Headcount.objects.bulk_create(recorder.headcounts)
    Observation.objects.bulk_create(recorder.observations)
    # Counted below through their sessions: on their statistics, not as empty tables.
    analyze(Registration, Headcount, Observation)

    for label, rows in _demo_rows(programmes, organisations).items():
        total = rows.count()
        result.counts[label] = [total, max(0, total - before[label])]


def _is_open(planned: Planned) -> bool:
    return takes_headcount(planned.session.activity_type)


def _demo_rows(programmes: dict[str, Programme], organisations: list[Organisation]) -> dict:
    """The demo's rows, per label of the command's summary."""
    types = ActivityType.objects.filter(programme__in=programmes.values())
    sessions = Session.objects.filter(activity_type__in=types)
    households = Household.objects.filter(
        organisation__in=organisations, code__startswith=CODE_PREFIX
    )
    return {
        "types d'activité": types,
        "intervenants partenaires": Facilitator.objects.filter(organisation__in=organisations),
        "séries": Series.objects.filter(activity_type__in=types),
        "séances": sessions,
        "familles": households,
        "personnes": Person.objects.filter(household__in=households),
        "inscriptions": Registration.objects.filter(session__in=sessions),
        "présences": Attendance.objects.filter(session__in=sessions),
        "comptages anonymes": Headcount.objects.filter(session__in=sessions),
        "observations": Observation.objects.filter(session__in=sessions),
    }


def _purge(type_ids: list[int], organisations: list[Organisation]) -> None:
    """Remove what a previous load made: the series and sessions of the demo's activity
    types (with their registrations, attendance, headcounts and observations) and the
    ``DEMO-`` households (with their people). The big tables go first, in one statement
    each, rather than through the deletion collector."""
    sessions = Session.objects.filter(activity_type_id__in=type_ids)
    for model in (Attendance, Registration, Headcount, Observation):
        model.objects.filter(session__in=sessions).delete()
    sessions.delete()
    Series.objects.filter(activity_type_id__in=type_ids).delete()
    Household.objects.filter(organisation__in=organisations, code__startswith=CODE_PREFIX).delete()


def _activity_type(programme: Programme, spec: ActivitySpec) -> ActivityType:
    row = ActivityType.objects.filter(programme=programme, name__iexact=spec.name).first()
    if row is None:
        row = ActivityType(programme=programme)
    row.name = spec.name
    row.kind = spec.kind
    row.public = spec.public
    row.registration_mode = spec.registration_mode
    row.default_duration = spec.duration
    row.default_capacity = spec.capacity
    row.description = spec.description
    row.is_public = spec.is_public
    row.full_clean()
    row.save()
    return row


def _facilitator(organisation: Organisation, spec: FacilitatorSpec) -> Facilitator:
    row, _ = Facilitator.objects.update_or_create(
        organisation=organisation, name=spec.name, defaults={"role": spec.role}
    )
    return row


def _plan(
    spec: ProgrammeActivity,
    rng: random.Random,
    *,
    programme: Programme,
    types: dict[str, ActivityType],
    sites: dict[str, Site],
    facilitators: dict[str, Facilitator],
    users: dict[str, User],
    window: Window,
) -> list[Planned]:
    """The series of ``spec`` (saved) and their sessions (not yet saved) on every date the
    site's calendar opens for their hours; a few cancelled, never today's."""
    rounds = defaultdict(list)
    for site_name, weekday, email in spec.rounds:
        if email in users:
            rounds[site_name, weekday].append(users[email])
    planned = []
    for series_spec in spec.series:
        starts_on = window.today if series_spec.upcoming_only else window.start
        starts_on = max(starts_on, programme.started_on)
        series = Series(
            activity_type=types[series_spec.activity],
            rrule=series_spec.rrule,
            starts_on=starts_on,
            ends_on=window.end,
            start_time=series_spec.start_time,
            end_time=series_spec.end_time,
            capacity=series_spec.capacity,
            sites_mode=SitesMode.ROTATION if series_spec.rotation else SitesMode.EACH,
        )
        series.full_clean()
        series.save()
        by_site = defaultdict(list)
        for site_name, name in series_spec.site_facilitators:
            by_site[site_name].append(name)
        series.sites.set([sites[name] for name in series_spec.sites])
        series.facilitators.set(
            [
                facilitators[name]
                for name in dict.fromkeys(
                    (*series_spec.facilitators, *(n for ns in by_site.values() for n in ns))
                )
            ]
        )
        staff = {}
        order = [site.name for site in rotation_order(sites[n] for n in series_spec.sites)]
        for site_name in series_spec.sites:
            site = sites[site_name]
            calendar = SiteCalendar.for_site(site)
            turn = (order.index(site_name), len(order))
            dates = _open_dates(series_spec, calendar, starts_on, window.end, turn=turn)
            for session in series_sessions(series, site, dates):
                session_staff = rounds.get((site_name, session.date.weekday()), [])
                staff.update((user.pk, user) for user in session_staff)
                topics = series_spec.topics
                session.notes = topics[len(planned) % len(topics)] if topics else ""
                names = (
                    *series_spec.facilitators,
                    *by_site.get(site_name, ()),
                )
                planned.append(
                    Planned(session, series_spec, session_staff, [facilitators[n] for n in names])
                )
        series.staff.set(staff.values())
    for row in planned:
        if row.session.date != window.today and rng.random() < spec.cancel_rate:
            row.session.status = Session.Status.CANCELLED
            row.session.cancel_reason = rng.choice(spec.cancel_reasons)
    if spec is ESPACE_PETITS_PAS:
        # A cancellation to show in the coming weeks: families registered are to be told.
        upcoming = sorted(
            (
                row
                for row in planned
                if row.session.activity_type.kind == Kind.PSYCHOMOTOR
                and row.session.date > window.today
            ),
            key=lambda row: (row.session.date, row.session.site.name),
        )
        if upcoming:
            upcoming[0].session.status = Session.Status.CANCELLED
            upcoming[
                0
            ].session.cancel_reason = "Psychomotricienne absente : atelier reporté au mois prochain"
    return planned


def _save_families(families: list[Family]) -> None:
    Household.objects.bulk_create([family.household for family in families])
    people = []
    for family in families:
        for person in (*family.parents, *family.children):
            person.household = family.household
            people.append(person)
    people_bulk_create(people)
