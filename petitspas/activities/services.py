"""Writes on activity types, facilitators, series and sessions. Views, the API, the demo
loader and commands call these; each checks its permission and writes its audit entry
inside one transaction.

Sessions never fall where their site is closed or outside its hours: the places calendar
function is the judge (public holidays, school-holiday rules, closures).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.activities.hooks import registered_households
from petitspas.activities.models import ActivityType, Facilitator, Series, Session, SitesMode
from petitspas.activities.permissions import can_manage_facilitators, can_plan_activities
from petitspas.activities.recurrence import (
    WEEKDAY_NAMES,
    filter_open_dates,
    fits_opening,
    format_day,
    format_hour,
    half_day_of,
    normalize_rrule,
    occurrences,
    rotation_dates,
)
from petitspas.activities.selectors import Clash, Slot, find_clashes, series_plan
from petitspas.core.audit import audit_log
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS, is_possible_day
from petitspas.core.references import referenced_ids
from petitspas.organisations.models import STAFF_ROLES, Membership
from petitspas.places.calendar import REASON_NO_OPENING, SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.models import HalfDay, Site

NO_SESSION = "Cette récurrence ne donne aucune séance : {detail}"
NO_DATE = (
    "aucune date ne correspond à la règle entre le {starts_on:%d/%m/%Y} et le {ends_on:%d/%m/%Y}."
)
ENDS_BEFORE_START = "La fin de la série précède son début."
TIMES_OUT_OF_ORDER = "L'heure de fin doit être après l'heure de début."
SERIES_TOO_LONG = "Une série dure au plus trois ans : choisissez une fin plus proche."
NO_SITE = "Choisissez au moins un lieu."
SITE_OF_OTHER_ORGANISATION = "Le lieu « {site} » n'appartient pas à l'organisation de ce programme."
SITE_INACTIVE = "Le lieu « {site} » n'est plus en activité."
SITE_CLOSED = "Le lieu est fermé ce jour-là ({half_day}) : {reason}."
SITE_NOT_OPEN_THAT_DAY = "{site} n'ouvre pas le {weekday} {half_day}."
FAR_PAST = (
    "Le {day} est il y a plus d'un an : vérifiez la date, puis cochez « Je confirme "
    "cette date » pour l'enregistrer telle quelle."
)
FAR_FUTURE = (
    "Le {day} est dans plus de deux ans : vérifiez la date, puis cochez « Je confirme "
    "cette date » pour l'enregistrer telle quelle."
)
MORE_CLASHES = "… et {count} autre(s) conflit(s) d'agenda du même genre."
CLASH_NOTE = "Confirmée malgré un conflit d'agenda par {person}, le {today:%d/%m/%Y} : {clash}"
OUTSIDE_HOURS = "La séance déborde des horaires du lieu ({opens}–{closes})."
SCHOOL_CALENDAR_UNKNOWN = "{detail} Choisissez une date de fin plus proche."
NOT_STAFF = "{person} n'est pas un professionnel de l'organisation."
FACILITATOR_OF_OTHER_ORGANISATION = "{facilitator} n'intervient pas pour cette organisation."
REASON_REQUIRED = "Indiquez le motif de l'annulation : il sera donné aux familles inscrites."
ALREADY_CANCELLED = "Cette séance est déjà annulée."
CANCELLED_SESSION = "Cette séance est annulée : elle ne peut plus être modifiée."
NOT_IN_SERIES = "Cette séance ne fait pas partie d'une série : modifiez-la seule."
SAME_SITE = "La séance a déjà lieu à cet endroit."
# Dates further than this from today are asked again: a typo in the year (2052, 2020)
# would otherwise plan silently.
FAR_PAST_DAYS = 365
FAR_FUTURE_DAYS = 2 * 365
# Clashes listed in full in the error; the audit entry keeps up to CLASHES_LOGGED.
CLASHES_SHOWN = 5
CLASHES_LOGGED = 100
# Long enough for a school year and a half and for the demo's 27 months; short enough that
# a typo in the end date does not create thousands of sessions.
MAX_SERIES_DAYS = 3 * 366


# --- Checks ---------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_times(start_time: datetime.time, end_time: datetime.time) -> None:
    if end_time <= start_time:
        raise ValidationError(TIMES_OUT_OF_ORDER, code="times_out_of_order")


def _check_site(site: Site, organisation_id: int) -> None:
    if site.programme.organisation_id != organisation_id:
        raise ValidationError(
            SITE_OF_OTHER_ORGANISATION.format(site=site.name), code="site_other_organisation"
        )
    if not site.is_active:
        raise ValidationError(SITE_INACTIVE.format(site=site.name), code="site_inactive")


def _check_people(staff: list, facilitators: list[Facilitator], organisation_id: int) -> None:
    """Staff are active admins, coordinators or professionals of the organisation; partner
    facilitators are the organisation's own."""
    staff_ids = {user.pk for user in staff}
    members = set(
        Membership.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            role__in=STAFF_ROLES,
            user__is_active=True,
            user_id__in=staff_ids,
        ).values_list("user_id", flat=True)
    )
    for user in staff:
        if user.pk not in members:
            raise ValidationError(
                NOT_STAFF.format(person=user.get_full_name() or user.email), code="not_staff"
            )
    for facilitator in facilitators:
        if facilitator.organisation_id != organisation_id:
            raise ValidationError(
                FACILITATOR_OF_OTHER_ORGANISATION.format(facilitator=facilitator.name),
                code="facilitator_other_organisation",
            )


def _check_bounds(**days: datetime.date) -> None:
    """Dates between 2000 and 2100 (``core.bounds``), keyed by argument name."""
    errors = {name: DAY_OUT_OF_BOUNDS for name, day in days.items() if not is_possible_day(day)}
    if errors:
        raise ValidationError(errors, code="day_out_of_bounds")


def _far_dates(**days: datetime.date) -> dict[str, list[ValidationError]]:
    """The dates more than a year back or more than two years ahead, keyed by argument
    name, each with a message asking to confirm it."""
    today = timezone.localdate()
    far = {}
    for name, day in days.items():
        if (today - day).days > FAR_PAST_DAYS:
            message = FAR_PAST.format(day=format_day(day))
        elif (day - today).days > FAR_FUTURE_DAYS:
            message = FAR_FUTURE.format(day=format_day(day))
        else:
            continue
        far[name] = [ValidationError(message, code="far_date")]
    return far


def clash_messages(clashes: list[Clash]) -> list[str]:
    """The clashes in French, the first ``CLASHES_SHOWN`` in full."""
    messages = [clash.message for clash in clashes[:CLASHES_SHOWN]]
    if len(clashes) > CLASHES_SHOWN:
        messages.append(MORE_CLASHES.format(count=len(clashes) - CLASHES_SHOWN))
    return messages


def _ask_confirmations(
    *,
    clashes: list[Clash],
    far: dict[str, list[ValidationError]],
    confirm_clashes: bool,
    confirm_far_dates: bool,
) -> None:
    """Refuse, all at once, what needs a confirmation not given: dates far away (on their
    fields, code ``far_date``) and clashes (above the fields, code ``clash``)."""
    errors: dict[str, list[ValidationError]] = {}
    if far and not confirm_far_dates:
        errors |= far
    if clashes and not confirm_clashes:
        errors[NON_FIELD_ERRORS] = [
            ValidationError(message, code="clash") for message in clash_messages(clashes)
        ]
    if errors:
        raise ValidationError(errors)


def _clash_notes(clashes: list[Clash], by) -> dict[tuple[int, datetime.date], str]:
    """For each new slot (site id, date) in a confirmed clash, the note its session keeps."""
    person = by.get_full_name() or by.email
    today = timezone.localdate()
    notes: dict[tuple[int, datetime.date], list[str]] = {}
    for clash in clashes:
        for slot in clash.slots:
            if slot.is_new:
                notes.setdefault((slot.site_id, slot.day), []).append(
                    CLASH_NOTE.format(person=person, today=today, clash=clash.message)
                )
    return {key: "\n".join(lines) for key, lines in notes.items()}


def _log_confirmed_clashes(by, target, clashes: list[Clash]) -> None:
    if clashes:
        audit_log(
            by,
            "planning.clash_confirmed",
            target,
            count=len(clashes),
            clashes=[clash.message for clash in clashes[:CLASHES_LOGGED]],
        )


def check_slot(
    *,
    calendar: SiteCalendar,
    day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
) -> None:
    """Refuse a session on a closed half-day or outside the site's hours."""
    half_day = half_day_of(start_time)
    # status() reports a date beyond the published school calendar as closed, with why.
    status = calendar.status(day, half_day)
    opening = status.opening
    if opening is None and status.reason == REASON_NO_OPENING:
        raise ValidationError(
            SITE_NOT_OPEN_THAT_DAY.format(
                site=calendar.site_name,
                weekday=WEEKDAY_NAMES[day.weekday()],
                half_day=HalfDay(half_day).label,
            ),
            code="site_closed",
        )
    if opening is None:
        raise ValidationError(
            SITE_CLOSED.format(half_day=HalfDay(half_day).label, reason=status.reason),
            code="site_closed",
        )
    if not fits_opening(opening, start_time, end_time):
        raise ValidationError(
            OUTSIDE_HOURS.format(
                opens=format_hour(opening.opens_at), closes=format_hour(opening.closes_at)
            ),
            code="outside_hours",
        )


def series_sessions(series: Series, site: Site, dates: Iterable[datetime.date]) -> list[Session]:
    """The sessions of ``series`` at ``site`` on ``dates`` (the open ones its plan gives),
    unsaved: the series' activity, hours and capacity. ``series_create`` writes them, and so
    do the loaders that plan many series at once (the demo, the benchmark's generator)."""
    return [
        Session(
            series=series,
            activity_type=series.activity_type,
            site=site,
            date=day,
            start_time=series.start_time,
            end_time=series.end_time,
            capacity=series.capacity,
        )
        for day in dates
    ]


def series_dates(
    series: Series, calendar: SiteCalendar, *, turn: tuple[int, int] | None = None
) -> list[datetime.date]:
    """The dates of ``series`` where the site of ``calendar`` is open for its hours. In a
    rotation, ``turn`` is the site's rank in ``selectors.rotation_order`` of the series'
    sites and their number: the site keeps the open dates of its turn."""
    dates = occurrences(rrule=series.rrule, starts_on=series.starts_on, ends_on=series.ends_on)
    if series.rotates:
        if turn is None:
            raise ValueError("A rotation's dates depend on the site's turn.")
        dates = rotation_dates(dates, turn=turn[0], turns=turn[1], offset=series.rotation_offset)
    return filter_open_dates(
        dates, start_time=series.start_time, end_time=series.end_time, calendar=calendar
    )


def _calendar(site: Site) -> SiteCalendar:
    return SiteCalendar.for_site(site)


def _set_people(sessions: list[Session], staff: list, facilitators: list) -> None:
    """Staff and facilitators of many sessions in two inserts (after clearing them)."""
    staff_through = Session.staff.through
    facilitator_through = Session.facilitators.through
    ids = [session.pk for session in sessions]
    staff_through.objects.filter(session_id__in=ids).delete()
    facilitator_through.objects.filter(session_id__in=ids).delete()
    staff_through.objects.bulk_create(
        [staff_through(session_id=pk, user_id=user.pk) for pk in ids for user in staff]
    )
    facilitator_through.objects.bulk_create(
        [
            facilitator_through(session_id=pk, facilitator_id=facilitator.pk)
            for pk in ids
            for facilitator in facilitators
        ]
    )


def _plan(**kwargs):
    try:
        return series_plan(**kwargs)
    except SchoolCalendarUnavailable as error:
        raise ValidationError(
            SCHOOL_CALENDAR_UNKNOWN.format(detail=str(error)), code="school_calendar_unknown"
        ) from error


# --- Activity types and facilitators --------------------------------------------------------


@transaction.atomic
def activity_type_save(*, activity_type: ActivityType, by) -> ActivityType:
    """Create or update an activity type. Admins and coordinators of the programme's
    organisation only (of the former programme too, when it changes). Logged."""
    _require(can_plan_activities(by, activity_type.programme))
    creating = activity_type.pk is None
    if not creating:
        previous = ActivityType.objects.select_related("programme").get(pk=activity_type.pk)
        _require(can_plan_activities(by, previous.programme))
    activity_type.full_clean()
    activity_type.save()
    audit_log(
        by,
        "activity_type.create" if creating else "activity_type.update",
        activity_type,
        kind=activity_type.kind,
        registration_mode=activity_type.registration_mode,
    )
    return activity_type


@transaction.atomic
def facilitator_save(*, facilitator: Facilitator, by) -> Facilitator:
    """Create or update a partner facilitator. Admins and coordinators of the organisation
    only. Logged."""
    _require(can_manage_facilitators(by, facilitator.organisation))
    creating = facilitator.pk is None
    if not creating:
        previous = Facilitator.objects.get(pk=facilitator.pk)
        _require(can_manage_facilitators(by, previous.organisation_id))
    facilitator.full_clean()
    facilitator.save()
    audit_log(by, "facilitator.create" if creating else "facilitator.update", facilitator)
    return facilitator


# --- Series ---------------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *,
    activity_type: ActivityType,
    sites: Iterable[Site],
    rrule: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    capacity: int | None = None,
    staff: Iterable = (),
    facilitators: Iterable[Facilitator] = (),
    sites_mode: str = SitesMode.EACH,
    confirm_clashes: bool = False,
    confirm_far_dates: bool = False,
    by,
) -> Series:
    """Plan a series and materialise its sessions: for each date of the rule, a session in
    every site (``SitesMode.EACH``) or in the site whose turn it is (``SitesMode.ROTATION``),
    where the site is open on that half-day and at those hours. ``capacity`` defaults to the
    activity's. Admins and coordinators of the programme's organisation only.

    Refused: a rule that gives no date; a site that does not open on a weekday the rule
    names, or that would get no session at all (with why, from the calendar function).
    Asked again (``confirm_far_dates``): a start more than a year back or an end more than
    two years ahead. Asked again (``confirm_clashes``): staff or a facilitator who would be
    in two places at once, between the sites of the series or with a session already
    planned; once confirmed, the sessions concerned say so (``clash_note``) and the clashes
    are logged. Logged with the number of sessions per site."""
    programme = activity_type.programme
    _require(can_plan_activities(by, programme))
    organisation_id = programme.organisation_id
    rrule = normalize_rrule(rrule)
    _check_bounds(starts_on=starts_on, ends_on=ends_on)
    if ends_on < starts_on:
        raise ValidationError(ENDS_BEFORE_START, code="ends_before_start")
    if (ends_on - starts_on).days > MAX_SERIES_DAYS:
        raise ValidationError(SERIES_TOO_LONG, code="series_too_long")
    _check_times(start_time, end_time)
    if sites_mode not in SitesMode.values:
        raise ValidationError({"sites_mode": "Choisissez comment répartir les séances."})
    site_ids = [site.pk for site in sites]
    if not site_ids:
        raise ValidationError(NO_SITE, code="no_site")
    # Read again with what the calendar needs, whatever the caller passed.
    sites = list(
        Site.objects.filter(pk__in=site_ids)
        .select_related("programme")
        .prefetch_related("weekly_openings", "closures", "relocations")
    )
    for site in sites:
        _check_site(site, organisation_id)
    staff, facilitators = list(staff), list(facilitators)
    _check_people(staff, facilitators, organisation_id)
    rotation = sites_mode == SitesMode.ROTATION
    dates, plans = _plan(
        rrule=rrule,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        sites=sites,
        rotation=rotation,
    )
    if not dates:
        raise ValidationError(
            NO_SESSION.format(detail=NO_DATE.format(starts_on=starts_on, ends_on=ends_on)),
            code="no_occurrence",
        )
    refusals = [plan.refusal for plan in plans if plan.refusal]
    if refusals:
        raise ValidationError(
            {"sites": [ValidationError(refusal, code="site_closed") for refusal in refusals]}
        )
    clashes = find_clashes(
        organisation_id=organisation_id,
        planned=[
            Slot(plan.site.pk, plan.site.name, day, start_time, end_time, activity_type.name)
            for plan in plans
            for day in plan.dates
        ],
        staff=staff,
        facilitators=facilitators,
    )
    _ask_confirmations(
        clashes=clashes,
        far=_far_dates(starts_on=starts_on, ends_on=ends_on),
        confirm_clashes=confirm_clashes,
        confirm_far_dates=confirm_far_dates,
    )
    if capacity is None:
        capacity = activity_type.default_capacity
    series = Series(
        activity_type=activity_type,
        rrule=rrule,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        end_time=end_time,
        capacity=capacity,
        sites_mode=sites_mode,
    )
    series.full_clean()
    series.save()
    series.sites.set(sites)
    series.staff.set(staff)
    series.facilitators.set(facilitators)
    notes = _clash_notes(clashes, by)
    sessions = [
        session for plan in plans for session in series_sessions(series, plan.site, plan.dates)
    ]
    for session in sessions:
        session.clash_note = notes.get((session.site_id, session.date), "")
    sessions = Session.objects.bulk_create(sessions)
    _set_people(sessions, staff, facilitators)
    audit_log(
        by,
        "series.create",
        series,
        rrule=rrule,
        sites_mode=sites_mode,
        sessions={plan.site.name: len(plan.dates) for plan in plans},
    )
    _log_confirmed_clashes(by, series, clashes)
    return series


def _lock_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("activity_type__programme", "site__programme", "series")
        .get(pk=session.pk)
    )


@transaction.atomic
def series_update_from(
    *,
    session: Session,
    start_time: datetime.time,
    end_time: datetime.time,
    staff: Iterable,
    facilitators: Iterable[Facilitator],
    capacity: int | None,
    notes: str | None = None,
    confirm_clashes: bool = False,
    by,
) -> Series:
    """ "This session and the following ones": new hours, staff, facilitators, capacity
    (and practical notes when given) from this session's date to the end of its series.
    Admins and coordinators of the programme's organisation only. Logged.

    The series is split: the old one ends the day before, a new one (same rule, sites and
    rotation, the turns carried on) starts on this date, and the sessions from this date on
    move to it (when no session comes before, the series itself changes). Following
    sessions that were changed on their own (detached) or cancelled keep their values.
    Under the new hours, a date where the site is now closed or shorter loses its session,
    unless something is attached to it (registrations, attendance, a headcount, an
    observation): such a session is never deleted, it keeps its former hours and is
    detached. A date that only the new hours make possible gets a session. This session
    itself must fit. People who would be in two places at once under the new hours are
    asked again (``confirm_clashes``), as in ``series_create``."""
    session = _lock_session(session)
    programme = session.activity_type.programme
    _require(can_plan_activities(by, programme))
    if session.series is None:
        raise ValidationError(NOT_IN_SERIES, code="not_in_series")
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(CANCELLED_SESSION, code="cancelled")
    _check_times(start_time, end_time)
    staff, facilitators = list(staff), list(facilitators)
    _check_people(staff, facilitators, programme.organisation_id)
    check_slot(
        calendar=_calendar(session.site),
        day=session.date,
        start_time=start_time,
        end_time=end_time,
    )
    old = Series.objects.select_for_update().get(pk=session.series_id)
    split_on = session.date
    sites = list(old.sites.prefetch_related("weekly_openings", "closures", "relocations"))
    site_names = {site.pk: site.name for site in sites}
    # The rule keeps its first date (DTSTART), so "every other week" keeps its rhythm, and
    # a rotation its turns.
    plan_args = {
        "rrule": old.rrule,
        "starts_on": old.starts_on,
        "ends_on": old.ends_on,
        "sites": sites,
        "rotation": old.rotates,
        "rotation_offset": old.rotation_offset,
    }
    _, old_plans = _plan(**plan_args, start_time=old.start_time, end_time=old.end_time)
    _, new_plans = _plan(**plan_args, start_time=start_time, end_time=end_time)
    old_slots = {(p.site.pk, d) for p in old_plans for d in p.dates if d >= split_on}
    new_slots = {(p.site.pk, d) for p in new_plans for d in p.dates if d >= split_on}

    following = list(
        Session.objects.filter(
            series=old, date__gte=split_on, status=Session.Status.PLANNED, is_detached=False
        )
        .exclude(pk=session.pk)
        .select_related("site")
    )
    kept = [s for s in following if (s.site_id, s.date) in new_slots]
    dropped = [s for s in following if (s.site_id, s.date) not in new_slots]
    protected = referenced_ids(Session, (s.pk for s in dropped))
    taken = set(
        Session.objects.filter(series=old, date__gte=split_on).values_list("site_id", "date")
    )
    to_create = sorted(new_slots - old_slots - taken)
    activity_name = session.activity_type.name
    clashes = find_clashes(
        organisation_id=programme.organisation_id,
        planned=[
            Slot(s.site_id, s.site.name, s.date, start_time, end_time, activity_name)
            for s in (session, *kept)
        ]
        + [
            Slot(site_id, site_names[site_id], day, start_time, end_time, activity_name)
            for site_id, day in to_create
        ],
        staff=staff,
        facilitators=facilitators,
        exclude_sessions=[session.pk, *(s.pk for s in following if s.pk not in protected)],
    )
    _ask_confirmations(
        clashes=clashes, far={}, confirm_clashes=confirm_clashes, confirm_far_dates=False
    )

    if not Session.objects.filter(series=old, date__lt=split_on).exists():
        # Nothing before this session: the series itself changes, no need to split it.
        target = old
    else:
        turns_before = len(
            occurrences(
                rrule=old.rrule,
                starts_on=old.starts_on,
                ends_on=split_on - datetime.timedelta(days=1),
            )
        )
        target = Series.objects.create(
            activity_type=old.activity_type,
            rrule=old.rrule,
            starts_on=split_on,
            ends_on=max(old.ends_on, split_on),
            start_time=start_time,
            end_time=end_time,
            capacity=capacity,
            sites_mode=old.sites_mode,
            rotation_offset=(old.rotation_offset + turns_before) % max(len(sites), 1),
        )
        target.sites.set(sites)
        old.ends_on = min(old.ends_on, split_on - datetime.timedelta(days=1))
        old.save(update_fields=["ends_on"])
        Session.objects.filter(series=old, date__gte=split_on).update(series=target)
    target.start_time, target.end_time, target.capacity = start_time, end_time, capacity
    target.full_clean()
    target.save()
    target.staff.set(staff)
    target.facilitators.set(facilitators)

    Session.objects.filter(pk__in=[s.pk for s in dropped if s.pk not in protected]).delete()
    Session.objects.filter(pk__in=protected).update(is_detached=True)
    clash_notes = _clash_notes(clashes, by)
    created = Session.objects.bulk_create(
        [
            Session(
                series=target,
                activity_type=session.activity_type,
                site_id=site_id,
                date=day,
                start_time=start_time,
                end_time=end_time,
                capacity=capacity,
                notes=notes or "",
                clash_note=clash_notes.get((site_id, day), ""),
            )
            for site_id, day in to_create
        ]
    )
    updated = [session, *kept]
    changes = {"start_time": start_time, "end_time": end_time, "capacity": capacity}
    if notes is not None:
        changes["notes"] = notes
    Session.objects.filter(pk__in=[s.pk for s in updated]).update(**changes)
    for one in updated:
        note = clash_notes.get((one.site_id, one.date), "")
        if note != one.clash_note:
            Session.objects.filter(pk=one.pk).update(clash_note=note)
    _set_people([*updated, *created], staff, facilitators)
    audit_log(
        by,
        "series.update_from",
        target,
        from_date=split_on.isoformat(),
        previous_series=old.pk,
        hours=f"{start_time:%H:%M}-{end_time:%H:%M}",
        updated=len(updated),
        created=len(created),
        deleted=len(dropped) - len(protected),
        kept_with_records=len(protected),
    )
    _log_confirmed_clashes(by, target, clashes)
    return target


def _describe_slot(site, day, start_time, end_time) -> str:
    return f"{site.name}, {day:%d/%m/%Y} {start_time:%H:%M}-{end_time:%H:%M}"


# --- Sessions -------------------------------------------------------------------------------


def _session_clashes(
    *,
    organisation_id: int,
    site: Site,
    day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    activity_type: ActivityType,
    staff: list,
    facilitators: list,
    exclude: Session | None = None,
) -> list[Clash]:
    return find_clashes(
        organisation_id=organisation_id,
        planned=[Slot(site.pk, site.name, day, start_time, end_time, activity_type.name)],
        staff=staff,
        facilitators=facilitators,
        exclude_sessions=[exclude.pk] if exclude is not None else [],
    )


@transaction.atomic
def session_create_single(
    *,
    activity_type: ActivityType,
    site: Site,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    capacity: int | None = None,
    staff: Iterable = (),
    facilitators: Iterable[Facilitator] = (),
    notes: str = "",
    confirm_clashes: bool = False,
    confirm_far_dates: bool = False,
    by,
) -> Session:
    """A one-off session (a thematic conference). ``capacity`` defaults to the activity's.
    Admins and coordinators of the programme's organisation only; refused where the site is
    closed or outside its hours. A date more than a year back or two years ahead, and
    people who would be in two places at once, are asked again (``confirm_far_dates``,
    ``confirm_clashes``; a confirmed clash is noted on the session and logged). Logged."""
    programme = activity_type.programme
    _require(can_plan_activities(by, programme))
    _check_bounds(date=date)
    _check_times(start_time, end_time)
    _check_site(site, programme.organisation_id)
    staff, facilitators = list(staff), list(facilitators)
    _check_people(staff, facilitators, programme.organisation_id)
    check_slot(calendar=_calendar(site), day=date, start_time=start_time, end_time=end_time)
    clashes = _session_clashes(
        organisation_id=programme.organisation_id,
        site=site,
        day=date,
        start_time=start_time,
        end_time=end_time,
        activity_type=activity_type,
        staff=staff,
        facilitators=facilitators,
    )
    _ask_confirmations(
        clashes=clashes,
        far=_far_dates(date=date),
        confirm_clashes=confirm_clashes,
        confirm_far_dates=confirm_far_dates,
    )
    session = Session(
        activity_type=activity_type,
        site=site,
        date=date,
        start_time=start_time,
        end_time=end_time,
        capacity=activity_type.default_capacity if capacity is None else capacity,
        notes=notes,
        clash_note=_clash_notes(clashes, by).get((site.pk, date), ""),
    )
    session.full_clean()
    session.save()
    session.staff.set(staff)
    session.facilitators.set(facilitators)
    audit_log(by, "session.create", session)
    _log_confirmed_clashes(by, session, clashes)
    return session


@transaction.atomic
def session_update_one(
    *,
    session: Session,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    site: Site,
    staff: Iterable,
    facilitators: Iterable[Facilitator],
    capacity: int | None,
    notes: str,
    confirm_clashes: bool = False,
    confirm_far_dates: bool = False,
    by,
) -> Session:
    """ "This session only": its date, hours, site, staff, facilitators, capacity and notes.
    A session of a series becomes detached: later changes of the series leave it alone.
    Admins and coordinators of the programme's organisation only; refused where the site is
    closed or outside its hours. A new date far away and people who would be in two places
    at once are asked again, as in ``session_create_single``; the session's clash note
    follows what it now is. Logged with the former values."""
    session = _lock_session(session)
    programme = session.activity_type.programme
    _require(can_plan_activities(by, programme))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(CANCELLED_SESSION, code="cancelled")
    _check_bounds(date=date)
    _check_times(start_time, end_time)
    if site.pk != session.site_id:
        _check_site(site, programme.organisation_id)
    staff, facilitators = list(staff), list(facilitators)
    _check_people(staff, facilitators, programme.organisation_id)
    check_slot(calendar=_calendar(site), day=date, start_time=start_time, end_time=end_time)
    clashes = _session_clashes(
        organisation_id=programme.organisation_id,
        site=site,
        day=date,
        start_time=start_time,
        end_time=end_time,
        activity_type=session.activity_type,
        staff=staff,
        facilitators=facilitators,
        exclude=session,
    )
    _ask_confirmations(
        clashes=clashes,
        far=_far_dates(date=date) if date != session.date else {},
        confirm_clashes=confirm_clashes,
        confirm_far_dates=confirm_far_dates,
    )
    before = _describe_slot(session.site, session.date, session.start_time, session.end_time)
    session.date, session.start_time, session.end_time = date, start_time, end_time
    session.site, session.capacity, session.notes = site, capacity, notes
    session.is_detached = session.series_id is not None
    session.clash_note = _clash_notes(clashes, by).get((site.pk, date), "")
    session.full_clean()
    session.save()
    session.staff.set(staff)
    session.facilitators.set(facilitators)
    audit_log(
        by,
        "session.update",
        session,
        before=before,
        after=_describe_slot(site, date, start_time, end_time),
    )
    _log_confirmed_clashes(by, session, clashes)
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str, by) -> list:
    """Cancel a session with a reason (required: it is given to the families). Admins and
    coordinators of the programme's organisation only. Returns the registered households,
    to be told. Logged with the reason and the number of households."""
    session = _lock_session(session)
    _require(can_plan_activities(by, session.activity_type.programme))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason_required")
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(ALREADY_CANCELLED, code="already_cancelled")
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason[:250]
    session.save(update_fields=["status", "cancel_reason"])
    households = registered_households(session)
    audit_log(by, "session.cancel", session, reason=reason, households=len(households))
    return households


@transaction.atomic
def session_move(*, session: Session, site: Site, by) -> Session:
    """Move a session to another site of the same organisation, same date and hours, if the
    calendar function says that site is open then. The session becomes detached from its
    series. Admins and coordinators of the programme's organisation only. Logged."""
    session = _lock_session(session)
    programme = session.activity_type.programme
    _require(can_plan_activities(by, programme))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(CANCELLED_SESSION, code="cancelled")
    if site.pk == session.site_id:
        raise ValidationError(SAME_SITE, code="same_site")
    _check_site(site, programme.organisation_id)
    check_slot(
        calendar=_calendar(site),
        day=session.date,
        start_time=session.start_time,
        end_time=session.end_time,
    )
    previous = session.site
    session.site = site
    session.is_detached = session.series_id is not None
    session.save(update_fields=["site", "is_detached"])
    audit_log(by, "session.move", session, from_site=previous.name, to_site=site.name)
    return session


# --- Sessions the calendar no longer allows ---------------------------------------------------

NO_SESSION_TICKED = "Cochez au moins une séance."
CANNOT_MOVE = "« {site} » ne peut pas accueillir {count} des séances cochées : {details}."
CANNOT_MOVE_HINT = " Décochez-les pour les déplacer ailleurs ou les annuler à part."
NOT_DURING_RELOCATION = "Une des séances cochées n'a pas lieu pendant ce déménagement."


def _require_sessions(sessions) -> list[Session]:
    sessions = sorted({session.pk: session for session in sessions}.values(), key=lambda s: s.pk)
    if not sessions:
        raise ValidationError(NO_SESSION_TICKED, code="no_session_ticked")
    return sessions


def _summarise(action: str, done: list[Session], by, **details) -> None:
    """One entry per programme touched, next to each session's own entry."""
    by_programme: dict[int, list[Session]] = {}
    for session in done:
        by_programme.setdefault(session.activity_type.programme_id, []).append(session)
    for group in by_programme.values():
        programme = group[0].activity_type.programme
        # Written out, so that the audit log's wording table can be checked against the code.
        if action == "cancel":
            audit_log(by, "sessions.calendar_cancel", programme, count=len(group), **details)
        elif action == "move":
            audit_log(by, "sessions.calendar_move", programme, count=len(group), **details)
        else:
            audit_log(by, "sessions.relocation_keep", programme, count=len(group), **details)


@transaction.atomic
def sessions_cancel_many(*, sessions: Iterable[Session], reason: str, by) -> dict[Session, list]:
    """Cancel several sessions with one reason (those a closure or a new weekly rule left on
    a closed half-day): each as ``session_cancel`` does it (permission, reason required,
    its own audit entry), all or none, plus one entry per programme. Returns each session's
    registered households, to be told."""
    sessions = _require_sessions(sessions)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED}, code="reason_required")
    told = {session: session_cancel(session=session, reason=reason, by=by) for session in sessions}
    _summarise("cancel", sessions, by, reason=reason, sessions=[s.pk for s in sessions])
    return told


@transaction.atomic
def sessions_move_many(*, sessions: Iterable[Session], site: Site, by) -> list[Session]:
    """Move several sessions to ``site``, same dates and hours, each as ``session_move``
    does it. All or none: when the site cannot take some of them (closed then, other
    hours), nothing moves and the error names those dates. One entry per programme too."""
    sessions = _require_sessions(sessions)
    moved, refused = [], []
    for session in sessions:
        try:
            with transaction.atomic():
                moved.append(session_move(session=session, site=site, by=by))
        except ValidationError as error:
            refused.append(
                f"{session.date:%d/%m/%Y} {format_hour(session.start_time)} "
                f"({' '.join(error.messages)})"
            )
    if refused:
        message = CANNOT_MOVE.format(site=site.name, count=len(refused), details="; ".join(refused))
        raise ValidationError({"site": message + CANNOT_MOVE_HINT}, code="cannot_move")
    _summarise("move", sessions, by, to_site=site.name, sessions=[s.pk for s in sessions])
    return moved


@transaction.atomic
def sessions_keep_relocated(*, sessions: Iterable[Session], relocation, by) -> dict[Session, list]:
    """The sessions stay planned and follow their site to where it is hosted
    (``relocation``; the calendar function gives each its place of the day): nothing
    changes on them, the planner says so, each is logged, and each session's registered
    households are returned, to be told of the new place. Refuses a session of another
    site or outside the move's dates."""
    sessions = _require_sessions(sessions)
    for session in sessions:
        _require(can_plan_activities(by, session.activity_type.programme))
        if (
            session.site_id != relocation.site_id
            or session.date < relocation.starts_on
            or (relocation.ends_on is not None and session.date > relocation.ends_on)
        ):
            raise ValidationError(NOT_DURING_RELOCATION, code="not_during_relocation")
        if session.status == Session.Status.CANCELLED:
            raise ValidationError(CANCELLED_SESSION, code="cancelled")
    told = {}
    for session in sessions:
        audit_log(by, "session.relocation_keep", session, place=relocation.place_name)
        told[session] = registered_households(session)
    _summarise("keep", sessions, by, place=relocation.place_name, sessions=[s.pk for s in sessions])
    return told
