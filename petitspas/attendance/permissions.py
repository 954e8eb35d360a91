"""Who may record what happened at a session. Reads are scoped by ``visible_to``; these
predicates guard the field screen and every write."""

from petitspas.organisations.models import PLANNER_ROLES, Role
from petitspas.organisations.permissions import role_in


def is_staffing(user, session) -> bool:
    """Kept on the session object: the view and the service ask it in the same request."""
    memo = session.__dict__.setdefault("_petitspas_staffing", {})
    if user.pk not in memo:
        memo[user.pk] = session.staff.filter(pk=user.pk).exists()
    return memo[user.pk]


def can_record_attendance(user, session) -> bool:
    """Attendance, headcount and observations: the professionals staffing the session, and
    the admins and coordinators of its organisation. Never funders (figures only), never a
    colleague who was not there."""
    role = role_in(user, session.activity_type.programme.organisation_id)
    if role in PLANNER_ROLES:
        return True
    return role == Role.PROFESSIONAL and is_staffing(user, session)
