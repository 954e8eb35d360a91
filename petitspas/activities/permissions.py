"""Who may plan and who may read sessions. Predicates only; reads start from ``visible_to``."""

from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES
from petitspas.organisations.permissions import can_plan_sites, role_in


def can_plan_activities(user, programme) -> bool:
    """Activity types, series and sessions: the admins and coordinators of the programme's
    organisation, who also plan its sites."""
    return can_plan_sites(user, programme)


def can_manage_facilitators(user, organisation) -> bool:
    """Partner facilitators belong to the organisation: its admins and coordinators."""
    return role_in(user, organisation) in PLANNER_ROLES


def can_view_sessions(user, organisation) -> bool:
    """The organisation's own people. Funders read aggregated figures only and are kept out
    of the planning pages, which name the staff."""
    return role_in(user, organisation) in STAFF_ROLES
