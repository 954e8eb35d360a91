"""Copy a programme's model to another organisation: "Copier vers un autre territoire".

The Cabanes des 1000 premiers jours (seed 003) are meant to be taken up by other PMI
centres. What makes the model is copied: the activity types, the sites' weekly openings as
templates for the new places, the series' patterns (RRULE, hours, places, capacity, how
they share the places) planned again from a date to come, and the budget's lines. What
belongs to the source's territory or people is not: families and everything about them,
sessions held, staff and partner facilitators, closures and temporary moves, prescribers,
funders.

``copy_plan`` computes everything the copy will create without writing (the two steps'
preview shows it); ``programme_copy`` checks again and writes that plan in one transaction
through the apps' own services (``places.services.site_save``,
``activities.services.activity_type_save``, ``reporting.services_money.budget_line_save``):
a failure anywhere rolls the whole copy back.

A copied series keeps its rule as it is, and each of its places gets the dates the place
opens for its hours, as the source's sessions did: the Cabanes' "Monday and Wednesday
afternoon" series gives Wednesdays to the Lilas cabane and Mondays to La Courneuve's. The
sessions are written with ``activities.services.series_sessions``, as the loaders do, from
the copy's first day on, never before today.

Other parts of a model (the diagnosis method: codebook, guides, groups) plug in through
``register_part``: each part says whether the source has something to copy and copies it
into the new programme inside the same transaction.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.activities.models import ActivityType, Series, Session, SitesMode
from petitspas.activities.permissions import can_view_sessions
from petitspas.activities.recurrence import (
    describe,
    filter_open_dates,
    format_day,
    format_hour,
    occurrences,
    rotation_dates,
)
from petitspas.activities.services import (
    MAX_SERIES_DAYS,
    activity_type_save,
    series_sessions,
)
from petitspas.core.audit import audit_log
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS, is_possible_day
from petitspas.core.text import fold
from petitspas.diagnosis.permissions_replication import can_copy_budget, can_copy_into
from petitspas.organisations.models import Organisation, Programme
from petitspas.places.calendar import SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.communes import get_commune, search_communes
from petitspas.places.models import HalfDay, SchoolHolidayRule, Site, Weekday, WeeklyOpening
from petitspas.places.services import check_site_opens, check_weekly_pattern, site_save
from petitspas.reporting.models import BudgetLine
from petitspas.reporting.services_money import budget_line_save

SAME_ORGANISATION = (
    "Le programme appartient déjà à « {organisation} » : choisissez une autre organisation. "
    "Pour ouvrir un nouveau lieu dans la même organisation, ajoutez-le au programme."
)
NAME_TAKEN = (
    "« {organisation} » a déjà un programme nommé « {name} » : choisissez un autre nom pour "
    "la copie (par exemple avec le nom de la commune)."
)
NAME_REQUIRED = "Donnez un nom au programme copié."
FIRST_DAY_PAST = (
    "Les séances copiées commencent au plus tôt aujourd'hui ({today}) : choisissez une date "
    "à venir."
)
ENDS_BEFORE_START = "La fin des séries copiées précède leur début."
TOO_LONG = "Les séries copiées durent au plus trois ans : choisissez une fin plus proche."
SCHOOL_CALENDAR = "{detail} Choisissez une fin plus proche pour les séries copiées."
NOT_OF_SOURCE = "« {name} » n'appartient pas au programme copié."
SERIES_NEEDS_ACTIVITY = (
    "La série « {series} » a besoin de son activité « {activity} » : cochez-la aussi."
)
SERIES_WITHOUT_SITE = (
    "La série « {series} » n'a plus aucun lieu repris : reprenez l'un de ses lieux "
    "({sites}) ou décochez-la."
)
SERIES_WITHOUT_SESSION = (
    "La série « {series} » ne donnerait aucune séance entre le {starts_on} et le {ends_on} "
    "dans {sites} : choisissez une autre période ou décochez-la."
)
JOIN_NOT_NEW = (
    "« {site} » devait rejoindre le nouveau lieu de « {other} », qui n'est pas repris comme "
    "nouveau lieu : décrivez-le ou choisissez un autre regroupement."
)
SITE_NAME_TWICE = "Deux nouveaux lieux s'appellent « {name} » : donnez-leur des noms distincts."
SITE_INVALID = "Nouveau lieu « {name} » : {message}"
UNKNOWN_COMMUNE = (
    "Nouveau lieu « {name} » : la commune « {commune} » n'est pas connue avec le code postal "
    "{postcode}. Saisissez son nom exact ou son code INSEE (5 caractères)."
)
OPENINGS_CLASH = (
    "« {first} » et « {second} » regroupés dans « {name} » ouvrent tous deux le {slot} avec "
    "des horaires différents ({hours_first} et {hours_second}) : gardez-les séparés ou "
    "reprenez-en un seul."
)
NO_BUDGET = "Le programme n'a pas de budget en {year}."


# --- What is copied -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class NewSite:
    """A place of the copy, as typed at step 2: the new PMI centre's name and address."""

    name: str
    kind: str
    address: str
    postcode: str
    commune: str  # its INSEE code, or its name (found with the postcode)
    is_qpv: bool = False
    access_notes: str = ""


@dataclasses.dataclass(frozen=True)
class SiteTarget:
    """What a site of the source becomes: a new place (``new``), the same new place as
    another site of the source (``join``, the two cabanes in one PMI centre), or nothing."""

    source: Site
    new: NewSite | None = None
    join: Site | None = None


@dataclasses.dataclass
class PlannedSite:
    site: Site  # unsaved
    sources: list[Site]
    weekly: list[WeeklyOpening]  # unsaved

    @property
    def openings_in_words(self) -> list[str]:
        """« Mercredi après-midi, 14h–17h », with the school-holiday rule when it is not
        "all year"."""
        lines = []
        for row in sorted(self.weekly, key=lambda r: (r.weekday, r.half_day != HalfDay.MORNING)):
            line = (
                f"{Weekday(row.weekday).label.capitalize()} {HalfDay(row.half_day).label}, "
                f"{format_hour(row.opens_at)}–{format_hour(row.closes_at)}"
            )
            if row.school_holidays != SchoolHolidayRule.ALWAYS:
                line += f" ({SchoolHolidayRule(row.school_holidays).label})"
            lines.append(line)
        return lines


@dataclasses.dataclass
class PlannedSeries:
    source: Series
    description: str
    dates: list[tuple[PlannedSite, list[datetime.date]]]

    @property
    def total(self) -> int:
        return sum(len(dates) for _, dates in self.dates)


@dataclasses.dataclass
class CopyPlan:
    """Everything the copy creates, computed without writing."""

    source: Programme
    organisation: Organisation
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    activity_types: list[ActivityType]
    sites: list[PlannedSite]
    series: list[PlannedSeries]
    budget_lines: list[BudgetLine]
    budget_year: int | None
    parts: list[ReplicationPart]

    @property
    def sessions(self) -> int:
        return sum(series.total for series in self.series)

    @property
    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines), Decimal(0))

    def counts(self) -> dict[str, int]:
        return {
            "activity_types": len(self.activity_types),
            "sites": len(self.sites),
            "weekly_openings": sum(len(site.weekly) for site in self.sites),
            "series": len(self.series),
            "sessions": self.sessions,
            "budget_lines": len(self.budget_lines),
        }


@dataclasses.dataclass(frozen=True)
class ReplicationPart:
    """Another part of a model that a copy may carry (the diagnosis method: its codebook,
    guides and groups). ``available(source, user)`` says whether the source has one the
    user may copy; ``copy(source=, programme=, by=)`` writes it into the new programme,
    inside the copy's transaction, and returns its counts."""

    key: str
    label: str
    available: Callable[[Programme, object], bool]
    copy: Callable[..., dict[str, int]]


PARTS: dict[str, ReplicationPart] = {}


def register_part(part: ReplicationPart) -> None:
    """Called by the module that owns a part, from its app's ``ready()``."""
    PARTS[part.key] = part


def parts_available(source: Programme, user) -> list[ReplicationPart]:
    return [part for part in PARTS.values() if part.available(source, user)]


def series_patterns(source: Programme) -> list[Series]:
    """The source's series, one per pattern (activity, rule, hours, capacity, places, how
    they share them): a series split at a date is one pattern; the latest stands for it."""
    patterns: dict[tuple, Series] = {}
    for series in (
        Series.objects.filter(activity_type__programme=source)
        .select_related("activity_type")
        .prefetch_related("sites")
        .order_by("starts_on", "pk")
    ):
        key = (
            series.activity_type_id,
            series.rrule,
            series.start_time,
            series.end_time,
            series.capacity,
            series.sites_mode,
            series.rotation_offset,
            tuple(sorted(site.pk for site in series.sites.all())),
        )
        patterns[key] = series  # the latest of each pattern
    return sorted(
        patterns.values(), key=lambda s: (s.activity_type.name, s.start_time, s.rrule, s.pk)
    )


def series_label(series: Series) -> str:
    return (
        f"{series.activity_type.name}, {describe(series.rrule)}, "
        f"{format_hour(series.start_time)}–{format_hour(series.end_time)}"
    )


def budget_years(source: Programme) -> list[int]:
    """The years the source has a budget for, the latest first."""
    return sorted(
        set(BudgetLine.objects.filter(programme=source).values_list("year", flat=True)),
        reverse=True,
    )


# --- The plan -------------------------------------------------------------------------------


def _check_target(source: Programme, organisation: Organisation, name: str, by) -> str:
    if not can_view_sessions(by, source.organisation) or not can_copy_into(by, organisation):
        raise PermissionDenied
    if organisation.pk == source.organisation_id:
        raise ValidationError(
            {"organisation": SAME_ORGANISATION.format(organisation=organisation.name)}
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if Programme.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(
            {"name": NAME_TAKEN.format(organisation=organisation.name, name=name)}
        )
    return name


def _check_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    days = {"starts_on": starts_on, "ends_on": ends_on}
    errors = {key: DAY_OUT_OF_BOUNDS for key, day in days.items() if not is_possible_day(day)}
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    if starts_on < today:
        raise ValidationError({"starts_on": FIRST_DAY_PAST.format(today=format_day(today))})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": ENDS_BEFORE_START})
    if (ends_on - starts_on).days > MAX_SERIES_DAYS:
        raise ValidationError({"ends_on": TOO_LONG})


def _resolve_commune(new: NewSite):
    """The commune typed as an INSEE code, or as a name that one commune of that
    postcode bears."""
    typed = (new.commune or "").strip()
    commune = get_commune(typed.split("—")[-1].strip())
    if commune is None:
        matches = [
            c
            for c in _communes_of_postcode(new.postcode)
            if fold(c.name) == fold(typed.split("—")[0].strip())
        ]
        commune = matches[0] if len(matches) == 1 else None
    if commune is None or new.postcode not in commune.postcodes:
        raise ValidationError(
            {"sites": UNKNOWN_COMMUNE.format(name=new.name, commune=typed, postcode=new.postcode)}
        )
    return commune


def _communes_of_postcode(postcode: str):
    return [c for c in search_communes(postcode, limit=50) if postcode in c.postcodes]


def _planned_sites(source: Programme, targets: Iterable[SiteTarget]) -> dict[int, PlannedSite]:
    """Source site id → the new place it becomes (several ids may share one)."""
    targets = list(targets)
    own = {
        site.pk: site
        for site in Site.objects.filter(programme=source).prefetch_related("weekly_openings")
    }
    for target in targets:
        for site in (target.source, target.join):
            if site is not None and site.pk not in own:
                raise ValidationError({"sites": NOT_OF_SOURCE.format(name=site.name)})
    by_source: dict[int, PlannedSite] = {}
    names: set[str] = set()
    for target in targets:
        if target.new is None:
            continue
        new = target.new
        commune = _resolve_commune(new)
        site = Site(
            name=new.name.strip(),
            kind=new.kind,
            address=new.address.strip(),
            postcode=new.postcode.strip(),
            commune_code=commune.code,
            town=commune.name,
            departement=commune.departement,
            is_qpv=new.is_qpv,
            access_notes=new.access_notes.strip(),
        )
        try:
            site.full_clean(exclude=["programme"], validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(
                {
                    "sites": [
                        SITE_INVALID.format(name=site.name or "sans nom", message=message)
                        for message in error.messages
                    ]
                }
            ) from None
        if site.name.lower() in names:
            raise ValidationError({"sites": SITE_NAME_TWICE.format(name=site.name)})
        names.add(site.name.lower())
        by_source[target.source.pk] = PlannedSite(site=site, sources=[], weekly=[])
    for target in targets:
        if target.new is None and target.join is not None:
            if target.join.pk not in by_source:
                raise ValidationError(
                    {"sites": JOIN_NOT_NEW.format(site=target.source.name, other=target.join.name)}
                )
            by_source[target.source.pk] = by_source[target.join.pk]
    for source_pk, planned in by_source.items():
        source_site = own[source_pk]
        planned.sources.append(source_site)
        _merge_openings(planned, source_site)
    for planned in _unique(by_source.values()):
        try:
            check_weekly_pattern(planned.weekly)
            check_site_opens(site=planned.site, weekly=planned.weekly)
        except ValidationError as error:
            raise ValidationError(
                {
                    "sites": [
                        SITE_INVALID.format(name=planned.site.name, message=message)
                        for message in error.messages
                    ]
                }
            ) from None
    return by_source


def _merge_openings(planned: PlannedSite, source_site: Site) -> None:
    """The source site's weekly half-days, added to the new place's: the same half-day
    twice is kept once when its hours and holiday rule agree, refused otherwise."""
    existing = {(row.weekday, row.half_day): row for row in planned.weekly}
    for row in source_site.weekly_openings.all():
        copy = WeeklyOpening(
            weekday=row.weekday,
            half_day=row.half_day,
            opens_at=row.opens_at,
            closes_at=row.closes_at,
            school_holidays=row.school_holidays,
        )
        other = existing.get((row.weekday, row.half_day))
        if other is None:
            planned.weekly.append(copy)
            existing[(row.weekday, row.half_day)] = copy
            continue
        if (other.opens_at, other.closes_at, other.school_holidays) != (
            copy.opens_at,
            copy.closes_at,
            copy.school_holidays,
        ):
            raise ValidationError(
                {
                    "sites": OPENINGS_CLASH.format(
                        first=planned.sources[0].name,
                        second=source_site.name,
                        name=planned.site.name,
                        slot=f"{Weekday(row.weekday).label} {HalfDay(row.half_day).label}",
                        hours_first=f"{other.opens_at:%H:%M}–{other.closes_at:%H:%M}",
                        hours_second=f"{copy.opens_at:%H:%M}–{copy.closes_at:%H:%M}",
                    )
                }
            )


def _unique(planned: Iterable[PlannedSite]) -> list[PlannedSite]:
    seen: dict[int, PlannedSite] = {}
    for site in planned:
        seen.setdefault(id(site), site)
    return list(seen.values())


def _planned_series(
    series: Series,
    by_source: dict[int, PlannedSite],
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> PlannedSeries:
    label = series_label(series)
    source_sites = list(series.sites.all())
    sites = _unique(by_source[site.pk] for site in source_sites if site.pk in by_source)
    if not sites:
        raise ValidationError(
            {
                "series": SERIES_WITHOUT_SITE.format(
                    series=label, sites=", ".join(site.name for site in source_sites)
                )
            }
        )
    dates = occurrences(rrule=series.rrule, starts_on=starts_on, ends_on=ends_on)
    # A rotation visits its places in the order of their names (activities.selectors.
    # rotation_order): names are unique in a programme.
    sites.sort(key=lambda planned: planned.site.name)
    planned_dates = []
    for turn, planned in enumerate(sites):
        candidates = (
            rotation_dates(dates, turn=turn, turns=len(sites), offset=series.rotation_offset)
            if series.sites_mode == SitesMode.ROTATION
            else dates
        )
        calendar = SiteCalendar(
            departement=planned.site.departement,
            weekly=planned.weekly,
            site_name=planned.site.name,
            site_address=planned.site.address,
        )
        try:
            open_dates = filter_open_dates(
                candidates,
                start_time=series.start_time,
                end_time=series.end_time,
                calendar=calendar,
            )
        except SchoolCalendarUnavailable as error:
            raise ValidationError({"ends_on": SCHOOL_CALENDAR.format(detail=str(error))}) from None
        planned_dates.append((planned, open_dates))
    result = PlannedSeries(source=series, description=label, dates=planned_dates)
    if not result.total:
        raise ValidationError(
            {
                "series": SERIES_WITHOUT_SESSION.format(
                    series=label,
                    starts_on=format_day(starts_on),
                    ends_on=format_day(ends_on),
                    sites=", ".join(planned.site.name for planned in sites),
                )
            }
        )
    return result


def copy_plan(
    *,
    source: Programme,
    organisation: Organisation,
    name: str,
    activity_types: Iterable[ActivityType] = (),
    series: Iterable[Series] = (),
    budget_year: int | None = None,
    parts: Iterable[str] = (),
    starts_on: datetime.date,
    ends_on: datetime.date,
    sites: Iterable[SiteTarget] = (),
    by,
) -> CopyPlan:
    """What ``programme_copy`` would create, with the same checks, without writing.
    Raises ``PermissionDenied`` (source not readable, target not planned by ``by``) or a
    ``ValidationError`` keyed by argument name, in French."""
    name = _check_target(source, organisation, name, by)
    _check_period(starts_on, ends_on)
    activity_types = sorted(activity_types, key=lambda activity: activity.name)
    for activity in activity_types:
        if activity.programme_id != source.pk:
            raise ValidationError({"activity_types": NOT_OF_SOURCE.format(name=activity.name)})
    chosen = {activity.pk for activity in activity_types}
    patterns = {s.pk: s for s in series_patterns(source)}
    series = list(series)
    for one in series:
        if one.pk not in patterns:
            raise ValidationError({"series": NOT_OF_SOURCE.format(name=str(one))})
        if one.activity_type_id not in chosen:
            raise ValidationError(
                {
                    "series": SERIES_NEEDS_ACTIVITY.format(
                        series=series_label(patterns[one.pk]),
                        activity=patterns[one.pk].activity_type.name,
                    )
                }
            )
    by_source = _planned_sites(source, sites)
    planned_series = [
        _planned_series(patterns[one.pk], by_source, starts_on=starts_on, ends_on=ends_on)
        for one in series
    ]
    budget_lines = []
    if budget_year is not None:
        if not can_copy_budget(by, source):
            raise PermissionDenied
        budget_lines = list(
            BudgetLine.objects.filter(programme=source, year=budget_year).order_by("pk")
        )
        if not budget_lines:
            raise ValidationError({"budget_year": NO_BUDGET.format(year=budget_year)})
    chosen_parts = []
    for key in parts:
        part = PARTS.get(key)
        if part is None or not part.available(source, by):
            raise PermissionDenied
        chosen_parts.append(part)
    return CopyPlan(
        source=source,
        organisation=organisation,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        activity_types=activity_types,
        sites=_unique(by_source.values()),
        series=planned_series,
        budget_lines=budget_lines,
        budget_year=budget_year,
        parts=chosen_parts,
    )


# --- The copy -------------------------------------------------------------------------------


@transaction.atomic
def programme_copy(
    *,
    source: Programme,
    organisation: Organisation,
    name: str,
    activity_types: Iterable[ActivityType] = (),
    series: Iterable[Series] = (),
    budget_year: int | None = None,
    parts: Iterable[str] = (),
    starts_on: datetime.date,
    ends_on: datetime.date,
    sites: Iterable[SiteTarget] = (),
    by,
) -> Programme:
    """Copy ``source``'s model into ``organisation`` as a new programme named ``name``
    (arguments as ``copy_plan``). The staff of the source's organisation may read it; the
    admins and coordinators of the target organisation receive it. One transaction: the
    target organisation's row is locked (two copies cannot take one name), every check runs
    before the first write, and a refusal by any service rolls everything back.

    Logged: ``replication.copy`` in the target organisation (the new programme, its source
    and what was created), ``replication.copied_out`` in the source's, and each row's own
    entry (``site.create``, ``activity_type.create``, ``series.create``,
    ``budget_line.create``). Nothing about a family is read or written."""
    if not can_copy_into(by, organisation):
        raise PermissionDenied
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    plan = copy_plan(
        source=source,
        organisation=organisation,
        name=name,
        activity_types=activity_types,
        series=series,
        budget_year=budget_year,
        parts=parts,
        starts_on=starts_on,
        ends_on=ends_on,
        sites=sites,
        by=by,
    )
    programme = Programme(
        organisation=organisation,
        name=plan.name,
        summary=source.summary,
        public=source.public,
        started_on=plan.starts_on,
        is_active=True,
    )
    programme.full_clean(exclude=["slug"])
    programme.save()

    activities = {}
    for activity in plan.activity_types:
        activities[activity.pk] = activity_type_save(
            activity_type=ActivityType(
                programme=programme,
                name=activity.name,
                kind=activity.kind,
                public=activity.public,
                registration_mode=activity.registration_mode,
                default_duration=activity.default_duration,
                default_capacity=activity.default_capacity,
                description=activity.description,
                is_public=activity.is_public,
            ),
            by=by,
        )
    for planned in plan.sites:
        planned.site.programme = programme
        site_save(site=planned.site, weekly=planned.weekly, by=by)

    for planned_series in plan.series:
        _write_series(
            planned_series, activities, by=by, starts_on=plan.starts_on, ends_on=plan.ends_on
        )

    for line in plan.budget_lines:
        budget_line_save(
            by=by,
            programme=programme,
            year=plan.starts_on.year,
            category=line.category,
            label=line.label,
            amount=line.amount,
        )
    counts = plan.counts()
    for part in plan.parts:
        counts[part.key] = part.copy(source=source, programme=programme, by=by)
    audit_log(
        by,
        "replication.copy",
        programme,
        source_programme=source.pk,
        source_name=source.name,
        source_organisation=source.organisation.name,
        starts_on=plan.starts_on.isoformat(),
        ends_on=plan.ends_on.isoformat(),
        budget_year=plan.budget_year,
        **counts,
    )
    audit_log(
        by,
        "replication.copied_out",
        source,
        target_programme=programme.pk,
        target_name=programme.name,
        target_organisation=organisation.name,
    )
    return programme


def _write_series(
    planned: PlannedSeries,
    activities: dict[int, ActivityType],
    *,
    by,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Series:
    """The series' pattern on the new places, and its sessions on the planned dates."""
    source = planned.source
    series = Series(
        activity_type=activities[source.activity_type_id],
        rrule=source.rrule,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=source.start_time,
        end_time=source.end_time,
        capacity=source.capacity,
        sites_mode=source.sites_mode,
        rotation_offset=source.rotation_offset,
    )
    series.full_clean()
    series.save()
    series.sites.set([site.site for site, _ in planned.dates])
    Session.objects.bulk_create(
        [
            session
            for site, dates in planned.dates
            for session in series_sessions(series, site.site, dates)
        ]
    )
    audit_log(
        by,
        "series.create",
        series,
        rrule=series.rrule,
        sites_mode=series.sites_mode,
        sessions={site.site.name: len(dates) for site, dates in planned.dates},
        copied_from=source.pk,
    )
    return series
