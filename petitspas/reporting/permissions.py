"""Who reads a programme's figures: one door, ``access_programme_figures``."""

from django.core.exceptions import PermissionDenied

from petitspas.core.access import get_visible_or_404
from petitspas.core.scoping import active_memberships, organisation_ids
from petitspas.organisations.models import STAFF_ROLES, Programme, Role

FIGURE_ROLES = frozenset({*STAFF_ROLES, Role.FUNDER})


def can_read_figures(user, programme: Programme) -> bool:
    """The programme organisation's admins, coordinators, professionals (their own
    households) and funders (aggregates, small cells hidden); not its prescribers or
    partners."""
    return programme.organisation_id in organisation_ids(user, FIGURE_ROLES)


def reads_figures(user) -> bool:
    """The menu's predicate: admins, coordinators and funders somewhere."""
    return any(
        m.role in (Role.ADMIN, Role.COORDINATOR, Role.FUNDER) for m in active_memberships(user)
    )


def access_programme_figures(user, programme_pk) -> Programme:
    """The programme whose figures ``user`` reads: 404 for another organisation's
    programme or a missing one (the same answer), 403 for a member who reads no
    figures (a prescriber, a partner)."""
    programme = get_visible_or_404(
        Programme.objects.visible_to(user).select_related("organisation"), programme_pk
    )
    if not can_read_figures(user, programme):
        raise PermissionDenied
    return programme


def programmes_with_figures(user):
    """The programmes whose figures ``user`` reads, for the list page."""
    return Programme.objects.where_role(user, FIGURE_ROLES).select_related("organisation")
