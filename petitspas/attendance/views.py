"""The field screens, phone first: today's sessions, and one session's sheet (attendance
or anonymous headcount, an observation, the totals) saved in one submission."""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from petitspas.attendance.forms import QuickCreateForm, RecordForm
from petitspas.attendance.models import Attendance, Headcount, Submission
from petitspas.attendance.permissions import NO_NAMES, access_sheet
from petitspas.attendance.selectors import (
    TO_RECORD_WINDOW,
    FamilyRow,
    is_kept_offline,
    places_of,
    record_sheet,
    sessions_offline,
    sessions_to_record,
    sessions_today,
    walk_in_candidates,
)
from petitspas.attendance.services import (
    SheetChanged,
    attendance_record,
    households_refusal_check,
    walk_in_household_create,
)
from petitspas.core.forms import add_service_errors
from petitspas.core.offline import OFFLINE_DAYS, keep_offline, offline_key

SAVED = "C'est enregistré ({time})."
REPLAYED = (
    "Cet envoi avait déjà été reçu : rien n'a été compté deux fois. Si vous avez changé "
    "quelque chose depuis, appuyez à nouveau sur Enregistrer."
)
ADDED = "La famille {code} est ajoutée, présente."


@login_required
def today(request):
    response = render(
        request,
        "attendance/today.html",
        {"sessions": sessions_today(user=request.user), "today": timezone.localdate()},
    )
    return keep_offline(response, request.user)


@login_required
@require_GET
def offline_sheets(request):
    """The pages a phone keeps for offline use (the service worker asks when "Aujourd'hui"
    or "Ma semaine" is opened): today's sessions and the sheets of the user's sessions of
    the coming week, with the key they are kept under."""
    sessions = sessions_offline(user=request.user)
    urls = [reverse("attendance:today")]
    urls += [reverse("attendance:session-record", args=[s.pk]) for s in sessions]
    return JsonResponse({"key": offline_key(request.user), "days": OFFLINE_DAYS, "urls": urls})


@login_required
def to_record(request):
    """The sheets left empty over the last 30 days: the user's own sessions first, then,
    for admins and coordinators, their colleagues'."""
    sessions = list(sessions_to_record(user=request.user))
    return render(
        request,
        "attendance/to_record.html",
        {
            "mine": [s for s in sessions if s.is_staffed],
            "others": [s for s in sessions if not s.is_staffed],
            "window_days": TO_RECORD_WINDOW.days,
        },
    )


def _sheet(
    request, session, form, *, added=(), quick_form=None, search=None, notice="", changed=False
):
    """The sheet as stored, with what was posted on top (so that an error, a search or a
    walk-in added without JavaScript loses nothing typed).

    ``version`` is the sheet's last save; ``based_on``, the one this copy of the form is
    based on, posted back with it. ``changed``: the save was refused because a colleague
    saved in between; what is stored now is shown beside each posted value that differs,
    and the form moves to her version, so that saving again is a choice made knowingly."""
    # Read before the sheet: a save landing in between makes the version older than the
    # marks shown, which can only refuse a save, never let one overwrite unseen.
    version = Submission.objects.sheet_version(session)
    added_codes = dict(added)
    sheet = record_sheet(
        user=request.user,
        session=session,
        extra_household_ids=[*form.posted_walk_ins(), *added_codes],
        codes=form.posted_codes() | added_codes,
    )
    rows, stored_counts, based_on = [(row, "") for row in sheet.rows], {}, version
    if not form.is_bound:
        form.show_headcount(sheet.headcount)
    else:
        rows = _posted_rows(sheet.rows, form, added=added, changed=changed)
        if changed and sheet.headcount is not None:
            stored_counts = _stored_counts(sheet.headcount, form.cleaned_data)
        # An error on another field must not move the form onto a colleague's save unseen.
        if not changed:
            based_on = form.data.get("based_on", version)
    return {
        "session": session,
        "form": form,
        "rows": rows,
        "counters": [(field, stored_counts.get(field.name)) for field in form.counters()],
        "version": version,
        "based_on": based_on,
        "quick_form": quick_form or QuickCreateForm(),
        "search": search,
        "observations": sheet.observations,
        "totals": sheet.totals,
        "notice": notice,
        # Allowed, and said: more households present than the session has places.
        "over_capacity": bool(session.place_limit and sheet.totals.families > session.place_limit),
        "place_limit": session.place_limit,
    }


def _posted_rows(rows, form, *, added, changed) -> list[tuple[FamilyRow, str]]:
    """Each household as posted, with its stored status when a colleague's save differs."""
    added = [pk for pk, _code in added]
    marks, walk_ins = form.posted_marks(), {*form.posted_walk_ins(), *added}
    marks |= dict.fromkeys(added, Attendance.Status.PRESENT)
    return [
        (
            dataclasses.replace(row, status=marks.get(row.pk, ""), is_walk_in=row.pk in walk_ins),
            _stored_status(row.status, marks.get(row.pk, "")) if changed else "",
        )
        for row in rows
    ]


def _stored_status(stored: str, posted: str) -> str:
    """The label of a household's stored status when the posted one differs from it."""
    return Attendance.Status(stored).label if stored and stored != posted else ""


def _stored_counts(headcount: Headcount, posted: dict) -> dict[str, int]:
    """The stored counters that differ from the posted ones."""
    stored = {name: getattr(headcount, name) for name in Headcount.COUNTERS}
    return {name: value for name, value in stored.items() if value != (posted.get(name) or 0)}


def _render(request, session, form, *, status=200, **kwargs):
    template = "attendance/_sheet.html" if request.htmx else "attendance/session_record.html"
    context = {
        "sheet": _sheet(request, session, form, **kwargs),
        "today": timezone.localdate(),
        "places": None if session.activity_type.is_anonymous else places_of(session),
    }
    return render(request, template, context, status=status)


@login_required
def session_record(request, session_pk):
    session = access_sheet(request.user, session_pk)
    if request.method != "POST":
        response = _render(request, session, RecordForm(session=session))
        if not request.htmx and is_kept_offline(session):
            keep_offline(response, request.user)
        return response
    form = RecordForm(request.POST, session=session)
    if not form.is_valid():
        return _render(request, session, form)
    action = form.cleaned_data["action"]
    if action in ("search", "create") or action.startswith("add-"):
        if session.activity_type.is_anonymous:
            raise Http404(NO_NAMES)
        return _without_javascript(request, session, form, action)
    try:
        result = attendance_record(session=session, **form.service_kwargs(), by=request.user)
    except SheetChanged as error:
        # 409: nothing saved, everything typed kept, the colleague's marks shown beside.
        form.add_error(None, error)
        return _render(request, session, form, status=409, changed=True)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render(request, session, form)
    notice = REPLAYED if result.replayed else SAVED.format(time=f"{timezone.localtime():%Hh%M}")
    if not request.htmx:
        messages.success(request, notice)
        return redirect("attendance:session-record", session_pk=session.pk)
    response = _render(request, session, RecordForm(session=session), notice=notice)
    return trigger_client_event(response, "pp-saved", after="settle")


def _without_javascript(request, session, form, action):
    """Search, add or create a walk-in by posting the whole sheet (nothing is saved). The
    households the sheet names go through need-to-know first, as a save's would."""
    try:
        households_refusal_check(
            session=session,
            household_ids=form.posted_household_ids(),
            codes=form.posted_codes(),
            by=request.user,
        )
    except ValidationError as error:
        # The refused households are simply not on the sheet shown again.
        add_service_errors(form, error)
        return _render(request, session, form)
    if action == "search":
        query = request.POST.get("q", "")
        found = walk_in_candidates(user=request.user, session=session, query=query)
        return _render(request, session, form, search={"query": query, "results": found})
    if action.startswith("add-"):
        added = form.posted_add()
        return _render(request, session, form, added=[added] if added else [])
    quick_form = QuickCreateForm(request.POST)
    household = _quick_create(quick_form, session=session, by=request.user)
    if household is None:
        return _render(request, session, form, quick_form=quick_form)
    return _render(request, session, form, added=[(household.pk, household.code)])


def _quick_create(form: QuickCreateForm, *, session, by):
    if not form.is_valid():
        return None
    try:
        return walk_in_household_create(
            session=session,
            by=by,
            **form.service_kwargs(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
@require_GET
def household_search(request, session_pk):
    """htmx: households of the organisation matching a code or a first name, to add."""
    session = access_sheet(request.user, session_pk, for_="names")
    query = request.GET.get("q", "")
    found = walk_in_candidates(user=request.user, session=session, query=query)
    return render(
        request,
        "attendance/_search_results.html",
        {"search": {"query": query, "results": found}},
    )


@login_required
@require_POST
def household_create(request, session_pk):
    """htmx: quick-create a walk-in family; answers the emptied form and, out of band, the
    family's row on the sheet (present, walk-in)."""
    session = access_sheet(request.user, session_pk, for_="names")
    if not request.htmx:
        return redirect("attendance:session-record", session_pk=session.pk)
    form = QuickCreateForm(request.POST)
    household = _quick_create(form, session=session, by=request.user)
    row = None
    if household is not None:
        form = QuickCreateForm()
        row = FamilyRow.of(
            household, on=session.date, status=Attendance.Status.PRESENT, is_walk_in=True
        )
    return render(
        request,
        "attendance/_quick_create.html",
        {
            "session": session,
            "quick_form": form,
            "added": row,
            "notice": ADDED.format(code=household.code) if household else "",
        },
    )
