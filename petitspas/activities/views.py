"""Planning pages (admins and coordinators), session pages and calendars (the organisation's
staff), "Ma semaine" (phone-first). Funders never reach them: they read figures only."""

import dataclasses
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from petitspas.activities import selectors
from petitspas.activities.forms import (
    CANCEL,
    MOVE,
    ActivityTypeForm,
    CalendarActionForm,
    FacilitatorForm,
    SeriesForm,
    SessionCancelForm,
    SessionEditForm,
    SessionForm,
    SessionMoveForm,
)
from petitspas.activities.hooks import registered_households
from petitspas.activities.models import ActivityType, Facilitator, Session, SitesMode
from petitspas.activities.permissions import (
    access_activity_type,
    access_facilitator,
    access_organisation_team,
    access_programme,
    access_series,
    access_session,
    access_sessions,
    can_manage_facilitators,
    can_plan_activities,
    can_record_session,
    can_view_sessions,
)
from petitspas.activities.recurrence import MONTH_NAMES, describe, format_hour
from petitspas.activities.services import (
    activity_type_save,
    clash_messages,
    facilitator_save,
    series_create,
    series_update_from,
    session_cancel,
    session_create_single,
    session_move,
    session_update_one,
    sessions_cancel_many,
    sessions_keep_relocated,
    sessions_move_many,
)
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS, InvalidInput, is_possible_day
from petitspas.core.db import is_possible_id
from petitspas.core.forms import add_service_errors
from petitspas.organisations.permissions import works_in_an_organisation
from petitspas.places.calendar import SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.hooks import site_cohosts
from petitspas.places.models import Site, SiteRelocation
from petitspas.places.permissions import access_dated_rule, access_site


def _require_staff(user) -> None:
    """Pages without an object: for people who work in an organisation, not its funders."""
    if not works_in_an_organisation(user):
        raise PermissionDenied


def _people(user, organisation_id):
    return {
        "staff": selectors.staff_candidates(organisation=organisation_id),
        "facilitators": selectors.facilitators_of(user=user, organisation=organisation_id),
    }


# --- Home, activity types, facilitators -----------------------------------------------------


@login_required
def programme_list(request):
    _require_staff(request.user)
    off_calendar = selectors.off_calendar_counts(user=request.user, today=timezone.localdate())
    programmes = [
        (programme, can_plan_activities(request.user, programme), off_calendar.get(programme.pk, 0))
        for programme in selectors.programmes_with_sessions_for(user=request.user)
    ]
    return render(request, "activities/programme_list.html", {"programmes": programmes})


@login_required
def activity_type_list(request, programme_pk):
    programme = access_programme(request.user, programme_pk)
    return render(
        request,
        "activities/activity_type_list.html",
        {
            "programme": programme,
            "activity_types": selectors.activity_types_of(user=request.user, programme=programme),
            "can_plan": can_plan_activities(request.user, programme),
        },
    )


def _activity_type_form_page(request, programme, activity_type):
    form = ActivityTypeForm(request.POST or None, instance=activity_type)
    if request.method == "POST" and form.is_valid():
        creating = activity_type.pk is None
        try:
            activity_type = activity_type_save(
                activity_type=form.save(commit=False), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            verb = "créée" if creating else "enregistrée"
            messages.success(request, f"L'activité « {activity_type.name} » est {verb}.")
            return redirect("activities:activity-type-list", programme_pk=programme.pk)
    return render(
        request,
        "activities/activity_type_form.html",
        {"form": form, "programme": programme, "activity_type": activity_type},
    )


@login_required
def activity_type_create(request, programme_pk):
    programme = access_programme(request.user, programme_pk, for_="plan")
    return _activity_type_form_page(request, programme, ActivityType(programme=programme))


@login_required
def activity_type_edit(request, activity_type_pk):
    activity_type = access_activity_type(request.user, activity_type_pk)
    return _activity_type_form_page(request, activity_type.programme, activity_type)


@login_required
def facilitator_list(request, organisation_pk):
    """The organisation's partner facilitators, and a form to add one (planners)."""
    organisation = access_organisation_team(request.user, organisation_pk)
    can_manage = can_manage_facilitators(request.user, organisation)
    form = FacilitatorForm(request.POST or None, instance=Facilitator(organisation=organisation))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            facilitator = facilitator_save(facilitator=form.save(commit=False), by=request.user)
            messages.success(request, f"« {facilitator.name} » est ajouté(e).")
            return redirect("activities:facilitator-list", organisation_pk=organisation.pk)
    facilitators = selectors.facilitators_of(user=request.user, organisation=organisation)
    return render(
        request,
        "activities/facilitator_list.html",
        {
            "organisation": organisation,
            "facilitators": facilitators,
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
def facilitator_edit(request, facilitator_pk):
    facilitator = access_facilitator(request.user, facilitator_pk)
    organisation = facilitator.organisation
    form = FacilitatorForm(request.POST or None, instance=facilitator)
    if request.method == "POST" and form.is_valid():
        facilitator_save(facilitator=form.save(commit=False), by=request.user)
        messages.success(request, "L'intervenant est enregistré.")
        return redirect("activities:facilitator-list", organisation_pk=organisation.pk)
    return render(
        request,
        "activities/facilitator_form.html",
        {"form": form, "organisation": organisation, "facilitator": facilitator},
    )


# --- Series ---------------------------------------------------------------------------------


@login_required
def series_create_page(request, programme_pk):
    """Plan a series. "Aperçu" (or any change, through htmx) counts the sessions per site
    without saving; "Enregistrer" creates the series and its sessions."""
    programme = access_programme(request.user, programme_pk, for_="plan")
    sites = selectors.sites_for_planning(programme=programme)
    form = SeriesForm(
        request.POST or None,
        activity_types=ActivityType.objects.filter(programme=programme),
        sites=sites,
        **_people(request.user, programme.organisation_id),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.htmx or "apercu" in request.POST:
            preview = _preview(form, programme)
        else:
            try:
                series = series_create(by=request.user, **form.service_kwargs())
            except ValidationError as error:
                # What the series would give stays in view next to the messages (read
                # before the messages take their fields out of the cleaned data).
                preview = _preview(form, programme)
                add_service_errors(form, error)
                form.ask_confirmations(error)
            else:
                count = series.sessions.count()
                messages.success(request, f"La série est créée : {count} séance(s) planifiée(s).")
                return redirect("activities:series-detail", series_pk=series.pk)
    if request.htmx:
        return render(
            request, "activities/_series_preview.html", {"preview": preview, "form": form}
        )
    return render(
        request,
        "activities/series_form.html",
        {"form": form, "programme": programme, "preview": preview},
    )


def _preview(form, programme) -> dict:
    """What the series would give, without saving: sessions per site (and why a site is
    refused), and who would be in two places at once."""
    args = form.plan_args()
    rotation = form.cleaned_data["sites_mode"] == SitesMode.ROTATION
    try:
        dates, plans = selectors.series_plan(**args, rotation=rotation)
    except ValidationError as error:
        return {"error": " ".join(error.messages)}
    except SchoolCalendarUnavailable as error:
        return {"error": str(error)}
    activity_name = form.cleaned_data["activity_type"].name
    clashes = selectors.find_clashes(
        organisation_id=programme.organisation_id,
        planned=[
            selectors.Slot(
                plan.site.pk,
                plan.site.name,
                day,
                args["start_time"],
                args["end_time"],
                activity_name,
            )
            for plan in plans
            if not plan.refusal
            for day in plan.dates
        ],
        staff=form.cleaned_data["staff"],
        facilitators=form.cleaned_data["facilitators"],
    )
    return {
        "description": describe(args["rrule"]),
        "rotation": rotation,
        "occurrences": len(dates),
        "plans": plans,
        "total": sum(len(plan.dates) for plan in plans if not plan.refusal),
        "clashes": clash_messages(clashes),
    }


@login_required
def series_detail(request, series_pk):
    series = access_series(request.user, series_pk)
    programme = series.activity_type.programme
    return render(
        request,
        "activities/series_detail.html",
        {
            "series": series,
            "programme": programme,
            "description": describe(series.rrule),
            "can_plan": can_plan_activities(request.user, programme),
        },
    )


# --- Sessions -------------------------------------------------------------------------------


@login_required
def session_create_page(request, programme_pk):
    """A one-off session (a thematic conference)."""
    programme = access_programme(request.user, programme_pk, for_="plan")
    form = SessionForm(
        request.POST or None,
        activity_types=ActivityType.objects.filter(programme=programme),
        sites=Site.objects.filter(programme=programme, is_active=True),
        **_people(request.user, programme.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = session_create_single(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
            form.ask_confirmations(error)
        else:
            messages.success(request, "La séance est créée.")
            return redirect("activities:session-detail", session_pk=session.pk)
    return render(request, "activities/session_form.html", {"form": form, "programme": programme})


@login_required
def session_detail(request, session_pk):
    session = access_session(request.user, session_pk)
    return render(
        request,
        "activities/session_detail.html",
        {
            "session": session,
            "cohosts": site_cohosts([session.site_id]).get(session.site_id, []),
            "can_plan": can_plan_activities(request.user, session.activity_type.programme),
            "can_record": session.is_recordable(timezone.localdate())
            and can_record_session(request.user, session),
            # The registrations page is the sheet's: those who may record the session.
            "can_register": not session.activity_type.is_anonymous
            and can_record_session(request.user, session),
        },
    )


@login_required
def session_edit(request, session_pk):
    session = access_session(request.user, session_pk, for_="plan")
    organisation_id = session.activity_type.programme.organisation_id
    initial = {
        "date": session.date,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "site": session.site_id,
        "capacity": session.capacity,
        "notes": session.notes,
        "staff": list(session.staff.all()),
        "facilitators": list(session.facilitators.all()),
    }
    form = SessionEditForm(
        request.POST or None,
        initial=initial,
        session=session,
        sites=selectors.organisation_sites(organisation_id=organisation_id),
        **_people(request.user, organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.applies_to_following:
                series_update_from(session=session, by=request.user, **form.service_kwargs())
            else:
                session_update_one(session=session, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
            form.ask_confirmations(error)
        else:
            messages.success(request, "La séance est modifiée.")
            return redirect("activities:session-detail", session_pk=session.pk)
    return render(request, "activities/session_edit.html", {"form": form, "session": session})


@login_required
def session_cancel_page(request, session_pk):
    """Cancel with a reason; the households registered are listed (codes only) to be told."""
    session = access_session(request.user, session_pk, for_="plan")
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            households = session_cancel(session=session, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = ", ".join(household.code for household in households)
            messages.success(
                request,
                f"La séance est annulée. Familles inscrites à prévenir : {told}."
                if households
                else "La séance est annulée. Aucune famille n'était inscrite.",
            )
            return redirect("activities:session-detail", session_pk=session.pk)
    return render(
        request,
        "activities/session_cancel.html",
        {"form": form, "session": session, "households": registered_households(session)},
    )


@login_required
def session_move_page(request, session_pk):
    session = access_session(request.user, session_pk, for_="plan")
    sites = selectors.organisation_sites(
        organisation_id=session.activity_type.programme.organisation_id
    ).exclude(pk=session.site_id)
    form = SessionMoveForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            session_move(session=session, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"La séance a lieu désormais à {form.cleaned_data['site']}.")
            return redirect("activities:session-detail", session_pk=session.pk)
    return render(request, "activities/session_move.html", {"form": form, "session": session})


# --- Calendars ------------------------------------------------------------------------------


def _month(year, month) -> datetime.date:
    if year is None:
        today = timezone.localdate()
        return today.replace(day=1)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    return datetime.date(year, month, 1)


def _month_links(first: datetime.date, url_name: str, **kwargs) -> dict:
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return {
        "month_label": f"{MONTH_NAMES[first.month - 1]} {first.year}",
        "previous_url": reverse(
            url_name, kwargs={**kwargs, "year": previous.year, "month": previous.month}
        ),
        "next_url": reverse(
            url_name, kwargs={**kwargs, "year": following.year, "month": following.month}
        ),
    }


@dataclasses.dataclass(frozen=True)
class MonthEntry:
    """A session as a month's grid writes it: its link and its text, and the link to record
    it once it is due. Written here once per session, the template only prints it: a
    département programme's month holds some 180 sessions, and the template's own tests
    and lookups cost two thirds of the page."""

    url: str
    text: str
    record_url: str = ""
    record_text: str = ""


def month_entries(weeks, *, today: datetime.date, with_site: bool):
    """``weeks`` (``selectors.month_weeks``) with each day's sessions as ``MonthEntry``."""
    urls = _PkUrl("activities:session-detail"), _PkUrl("attendance:session-record")
    return [
        [
            dataclasses.replace(
                day, entries=[_entry(s, day.day, today, with_site, urls) for s in day.sessions]
            )
            for day in week
        ]
        for week in weeks
    ]


class _PkUrl:
    """A URL taking one id, reversed once for a page's hundreds of links: the id is put
    in place of a stand-in no row holds."""

    STAND_IN = 987_654_321_987

    def __init__(self, name: str):
        self.before, _, self.after = reverse(name, args=[self.STAND_IN]).partition(
            str(self.STAND_IN)
        )

    def __call__(self, pk: int) -> str:
        return f"{self.before}{pk}{self.after}"


def _entry(session, day, today, with_site: bool, urls) -> MonthEntry:
    detail, record = urls
    name = session.activity_type.name
    text = f"{format_hour(session.start_time) if session.start_time else ''} {name}"
    if with_site:
        text += f" · {session.site.name}"
    left = session.places_left
    if session.status == Session.Status.CANCELLED:
        text += " (annulée)"
    elif day < today:
        pass
    elif left == 0:
        text += " (complet)"
    elif left:
        text += f" ({left} place{'s' if left != 1 else ''})"
    due = session.status == Session.Status.PLANNED and day <= today
    return MonthEntry(
        url=detail(session.pk),
        text=text,
        record_url=record(session.pk) if due else "",
        record_text=f"{name}, {date_format(day, 'j F')}" if due else "",
    )


@login_required
def programme_month(request, programme_pk, year=None, month=None):
    programme = access_programme(request.user, programme_pk)
    first, today = _month(year, month), timezone.localdate()
    sessions = selectors.sessions_of_month_for_programme(
        user=request.user, programme=programme, year=first.year, month=first.month
    )
    return render(
        request,
        "activities/month.html",
        {
            "title": programme.name,
            "has_sessions": bool(sessions),
            "programme": programme,
            "site": None,
            "weeks": month_entries(
                selectors.month_weeks(year=first.year, month=first.month, sessions=sessions),
                today=today,
                with_site=True,
            ),
            "today": today,
            "can_plan": can_plan_activities(request.user, programme),
            **_month_links(first, "activities:programme-month", programme_pk=programme.pk),
        },
    )


@login_required
def site_month(request, site_pk, year=None, month=None):
    """The site's sessions of the month, with the days it is closed (calendar function)."""
    site = access_site(request.user, site_pk, rules=True)
    programme = site.programme
    if not can_view_sessions(request.user, programme.organisation):
        raise PermissionDenied
    first, today = _month(year, month), timezone.localdate()
    sessions = selectors.sessions_of_month_for_site(
        user=request.user, site=site, year=first.year, month=first.month
    )
    _, last = selectors.month_bounds(first.year, first.month)
    calendar = SiteCalendar.for_site(site)
    open_days = {slot.day for slot in calendar.statuses(first, last) if slot.opening}
    closed_days = frozenset(
        day
        for day in (first + datetime.timedelta(days=n) for n in range(last.day))
        if day not in open_days
    )
    return render(
        request,
        "activities/month.html",
        {
            "title": site.name,
            "has_sessions": bool(sessions),
            "programme": programme,
            "site": site,
            "weeks": month_entries(
                selectors.month_weeks(
                    year=first.year, month=first.month, sessions=sessions, closed_days=closed_days
                ),
                today=today,
                with_site=False,
            ),
            "today": today,
            "can_plan": can_plan_activities(request.user, programme),
            **_month_links(first, "activities:site-month", site_pk=site.pk),
        },
    )


WEEK_UNREADABLE = (
    "La semaine demandée (« {text} ») n'est pas une date lisible, à écrire sous la forme "
    "AAAA-MM-JJ : voici la semaine en cours."
)


@login_required
def my_week(request):
    """The sessions the user staffs this week (or the week of ``?semaine=YYYY-MM-DD``)."""
    _require_staff(request.user)
    text = request.GET.get("semaine", "")
    try:
        day = datetime.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:  # an old or mistyped link: this week, and say so
        messages.warning(request, WEEK_UNREADABLE.format(text=" ".join(text.split())[:40]))
        day = timezone.localdate()
    if not is_possible_day(day):
        raise InvalidInput(DAY_OUT_OF_BOUNDS)
    monday = day - datetime.timedelta(days=day.weekday())
    previous_week, next_week = (monday + datetime.timedelta(days=n) for n in (-7, 7))
    sessions = selectors.sessions_of_week_for_staff(user=request.user, monday=monday)
    days = [
        (monday + datetime.timedelta(days=n), [s for s in sessions if s.date.weekday() == n])
        for n in range(7)
    ]
    return render(
        request,
        "activities/my_week.html",
        {
            "days": days,
            "has_sessions": bool(sessions),
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "today": timezone.localdate(),
            "previous_week": previous_week.isoformat() if is_possible_day(previous_week) else "",
            "next_week": next_week.isoformat() if is_possible_day(next_week) else "",
        },
    )


# --- Sessions the calendar hits ---------------------------------------------------------------


def _households_told(told: dict) -> str:
    """ "Familles inscrites à prévenir : 02/12 F-K3M9P, F-T7QXA ; 09/12 F-W2R4D." or ""."""
    parts = [
        f"{session.date:%d/%m} {', '.join(household.code for household in households)}"
        for session, households in sorted(told.items(), key=lambda item: item[0].date)
        if households
    ]
    return f" Familles inscrites à prévenir : {' ; '.join(parts)}." if parts else ""


def _calendar_action_page(
    request, *, programme, rows, sites, relocation=None, heading, intro, back_url
):
    """The hit sessions, all ticked, and one button per action. Posted ids go through the
    sessions' door first (another organisation's: 404), then must be among the listed ones
    (another site's, or one already dealt with: the form refuses it)."""
    by_pk = {row.session.pk: row for row in rows}
    data = request.POST if request.method == "POST" else None
    if data is not None:
        access_sessions(request.user, data.getlist("sessions"), for_="plan")
    common = {row.reason for row in rows}
    form = CalendarActionForm(
        data,
        initial={
            "sessions": list(by_pk),
            "reason": common.pop() if len(common) == 1 and relocation is None else "",
        },
        session_ids=by_pk,
        sites=sites,
        can_keep=relocation is not None,
    )
    if data is not None and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == CANCEL:
                told = sessions_cancel_many(by=request.user, **form.service_kwargs())
            elif action == MOVE:
                moved = sessions_move_many(by=request.user, **form.service_kwargs())
            else:
                told = sessions_keep_relocated(
                    relocation=relocation, by=request.user, **form.service_kwargs()
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if action == CANCEL:
                done = f"{len(told)} séance(s) annulée(s)."
            elif action == MOVE:
                done = f"{len(moved)} séance(s) déplacée(s) à {form.cleaned_data['site'].name}."
                told = {}
            else:
                done = f"{len(told)} séance(s) maintenue(s) à {relocation.place_name}."
            messages.success(request, done + _households_told(told))
            return redirect(request.get_full_path())
    if data is None:
        ticked = set(by_pk)
    else:
        posted = set(data.getlist("sessions"))
        ticked = {pk for pk in by_pk if str(pk) in posted}
    return render(
        request,
        "activities/calendar_sessions.html",
        {
            "programme": programme,
            "rows": [(row, row.session.pk in ticked) for row in rows],
            "form": form,
            "relocation": relocation,
            "heading": heading,
            "intro": intro,
            "back_url": back_url,
        },
    )


def _site_filter(request, programme) -> Site | None:
    """``?lieu=<id>``: one site of the programme; anything else lists them all."""
    try:
        pk = int(request.GET.get("lieu", ""))
    except ValueError:
        return None
    if not is_possible_id(pk):
        return None
    return Site.objects.filter(programme=programme, pk=pk).first()


@login_required
def calendar_conflicts(request, programme_pk):
    """The programme's planned sessions that their site's calendar no longer allows (a
    closure, a new weekly rule, a public holiday), to cancel or move in one action; the
    places pages lead here with ``?lieu=`` after a change."""
    programme = access_programme(request.user, programme_pk, for_="plan")
    site = _site_filter(request, programme)
    rows = selectors.planned_sessions_off_calendar(
        user=request.user, programme=programme, today=timezone.localdate()
    )
    if site is not None:
        rows = [row for row in rows if row.session.site_id == site.pk]
    return _calendar_action_page(
        request,
        programme=programme,
        rows=rows,
        sites=selectors.organisation_sites(organisation_id=programme.organisation_id),
        heading="Séances touchées par le calendrier"
        + (f" — {site.name}" if site else f" — {programme.name}"),
        intro=(
            "Ces séances prévues tombent sur une demi-journée où le lieu est fermé (fermeture, "
            "jour férié, horaires hebdomadaires modifiés) ou en dehors de ses horaires."
        ),
        back_url=reverse("places:site-detail", kwargs={"site_pk": site.pk})
        if site
        else reverse("activities:programme-list"),
    )


@login_required
def relocation_sessions(request, site_pk, relocation_pk):
    """The planned sessions of a site during its temporary move: they follow it to the host
    place unless they are cancelled or moved to another site."""
    relocation = access_dated_rule(request.user, SiteRelocation, relocation_pk, site_pk=site_pk)
    programme = access_programme(request.user, relocation.site.programme_id, for_="plan")
    sessions = selectors.sessions_during_relocation(
        user=request.user, relocation=relocation, today=timezone.localdate()
    )
    place = relocation.place_name + (f", {relocation.address}" if relocation.address else "")
    return _calendar_action_page(
        request,
        programme=programme,
        rows=[
            selectors.CalendarConflict(session, f"Accueil à {relocation.place_name}")
            for session in sessions
        ],
        sites=selectors.organisation_sites(organisation_id=programme.organisation_id).exclude(
            pk=relocation.site_id
        ),
        relocation=relocation,
        heading=f"Séances pendant le déménagement — {relocation.site.name}",
        intro=(
            f"Du {relocation.starts_on:%d/%m/%Y}"
            + (f" au {relocation.ends_on:%d/%m/%Y}" if relocation.ends_on else "")
            + f", le lieu est accueilli à {place}. Ces séances prévues y auront lieu, aux "
            "mêmes jours et horaires, si vous les maintenez."
        ),
        back_url=reverse("places:site-closures", kwargs={"site_pk": relocation.site_id}),
    )
