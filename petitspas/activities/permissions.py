"""Who may plan and who may read sessions. One door per thing (``access_programme``,
``access_session``, ``access_series``, ``access_activity_type``, ``access_facilitator``,
``access_organisation_team``), used by the pages and the API alike; the predicates
``can_<verb>_<thing>(user, obj)`` take the object and also guard every write."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from petitspas.activities import selectors
from petitspas.activities.models import ActivityType, Facilitator, Series, Session
from petitspas.core.access import get_visible_or_404
from petitspas.core.db import is_possible_id
from petitspas.organisations.models import (
    PLANNER_ROLES,
    STAFF_ROLES,
    Organisation,
    Programme,
    Role,
)
from petitspas.organisations.permissions import can_plan_sites, role_in


def can_plan_activities(user, programme: Programme) -> bool:
    """Activity types, series and sessions: the admins and coordinators of the programme's
    organisation, who also plan its sites."""
    return can_plan_sites(user, programme)


def can_manage_facilitators(user, organisation: Organisation) -> bool:
    """Partner facilitators belong to the organisation: its admins and coordinators."""
    return role_in(user, organisation) in PLANNER_ROLES


def can_view_sessions(user, organisation: Organisation) -> bool:
    """The organisation's own people. Funders read aggregated figures only and are kept out
    of the planning pages, which name the staff."""
    return role_in(user, organisation) in STAFF_ROLES


def is_staffing(user, session: Session) -> bool:
    """Kept on the session object: a view and a service ask it in the same request."""
    memo = session.__dict__.setdefault("_petitspas_staffing", {})
    if user.pk not in memo:
        memo[user.pk] = session.staff.filter(pk=user.pk).exists()
    return memo[user.pk]


def can_record_session(user, session: Session) -> bool:
    """What happened at a session (attendance, headcount, observations) is recorded by the
    professionals staffing it and by the admins and coordinators of its organisation. Never
    funders (figures only), never a colleague who was not there."""
    role = role_in(user, session.activity_type.programme.organisation_id)
    if role in PLANNER_ROLES:
        return True
    return role == Role.PROFESSIONAL and is_staffing(user, session)


def _check(user, programme: Programme, for_: str) -> None:
    """403 unless the user may read (``view``) or plan (``plan``) the programme's
    sessions."""
    if not can_view_sessions(user, programme.organisation):
        raise PermissionDenied
    if for_ == "plan" and not can_plan_activities(user, programme):
        raise PermissionDenied


def access_programme(user, programme_pk, *, for_: str = "view") -> Programme:
    """404 for another organisation's programme or a missing one (the same answer); 403
    when visible but not allowed (a funder; ``for_="plan"`` for a professional)."""
    programme = get_visible_or_404(
        Programme.objects.visible_to(user).select_related("organisation"), programme_pk
    )
    _check(user, programme, for_)
    return programme


def access_session(user, session_pk, *, for_: str = "view") -> Session:
    """The session with what its page shows; 404 / 403 as ``access_programme``."""
    session = get_visible_or_404(
        selectors.session_for_page(user=user, session_pk=session_pk), session_pk
    )
    _check(user, session.activity_type.programme, for_)
    return session


def access_series(user, series_pk, *, for_: str = "view") -> Series:
    """The series with its sessions; 404 / 403 as ``access_programme``."""
    series = get_visible_or_404(
        selectors.series_for_page(user=user, series_pk=series_pk), series_pk
    )
    _check(user, series.activity_type.programme, for_)
    return series


def access_activity_type(user, activity_type_pk, *, for_: str = "plan") -> ActivityType:
    activity_type = get_visible_or_404(
        ActivityType.objects.visible_to(user).select_related("programme__organisation"),
        activity_type_pk,
    )
    _check(user, activity_type.programme, for_)
    return activity_type


def access_organisation_team(user, organisation_pk, *, for_: str = "view") -> Organisation:
    """The organisation whose team (staff, partner facilitators) the page shows: its own
    people (404 / 403 as ``access_programme``); ``for_="manage"``: its planners."""
    organisation = get_visible_or_404(Organisation.objects.visible_to(user), organisation_pk)
    if not can_view_sessions(user, organisation):
        raise PermissionDenied
    if for_ == "manage" and not can_manage_facilitators(user, organisation):
        raise PermissionDenied
    return organisation


def access_facilitator(user, facilitator_pk, *, for_: str = "manage") -> Facilitator:
    facilitator = get_visible_or_404(
        Facilitator.objects.visible_to(user).select_related("organisation"), facilitator_pk
    )
    access_organisation_team(user, facilitator.organisation_id, for_=for_)
    return facilitator


def access_sessions(user, session_pks, *, for_: str = "plan") -> list[Session]:
    """Several sessions posted at once (the calendar's bulk cancel or move), each through
    the same door as ``access_session``: 404 when any id is another organisation's, missing
    or no id at all, 403 when one is visible but not to be planned by ``user``."""
    pks = set()
    for value in session_pks:
        try:
            pk = int(str(value).strip())
        except ValueError:
            raise Http404 from None
        if not is_possible_id(pk):
            raise Http404
        pks.add(pk)
    sessions = list(
        Session.objects.visible_to(user)
        .select_related("activity_type__programme__organisation", "site")
        .filter(pk__in=pks)
    )
    if len(sessions) != len(pks):
        raise Http404
    for session in sessions:
        _check(user, session.activity_type.programme, for_)
    return sessions
