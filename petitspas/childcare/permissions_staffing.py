"""Who manages the staffing of childcare half-days: the admins and coordinators of the
programme's organisation, alone. One door per thing, for the pages and every posted id."""

from petitspas.childcare.models import StaffAssignment, StaffMember
from petitspas.core.access import get_visible_or_404
from petitspas.organisations.models import PLANNER_ROLES, Programme
from petitspas.organisations.permissions import role_in


def can_manage_staff(user, programme: Programme) -> bool:
    """The team of a programme and who works which half-day: its admins and coordinators."""
    return role_in(user, programme.organisation_id) in PLANNER_ROLES


def access_staffing_programme(user, programme_pk) -> Programme:
    """A programme whose childcare team the user manages; 404 for anyone else (another
    organisation's programme, a missing one, an impossible id alike)."""
    return get_visible_or_404(
        Programme.objects.where_role(user, PLANNER_ROLES).select_related("organisation"),
        programme_pk,
    )


def access_staff_member(user, staff_pk) -> StaffMember:
    """A member of a childcare team (also a posted one): its programme's admins and
    coordinators; 404 for anyone else."""
    return get_visible_or_404(
        StaffMember.objects.visible_to(user).select_related("programme__organisation", "user"),
        staff_pk,
    )


def access_staff_assignment(user, assignment_pk) -> StaffAssignment:
    """A staff member's half-day, for removing it: the site's programme's admins and
    coordinators; 404 for anyone else."""
    return get_visible_or_404(
        StaffAssignment.objects.visible_to(user).select_related(
            "slot__site__programme__organisation", "staff__user", "staff__programme"
        ),
        assignment_pk,
    )
