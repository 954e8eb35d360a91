"""Who may do what in an organisation. Predicates only; reads are scoped by ``visible_to``."""

from petitspas.core.scoping import active_memberships, forget_memberships
from petitspas.organisations.models import PLANNER_ROLES, Organisation, Programme, Role


def role_in(user, organisation: Organisation | int) -> str | None:
    """The user's active role in the organisation, or None."""
    if user is None or not user.is_authenticated:
        return None
    organisation_id = getattr(organisation, "pk", organisation)
    for membership in active_memberships(user):
        if membership.organisation_id == organisation_id:
            return membership.role
    return None


def forget_roles(user) -> None:
    """Call after changing a user's memberships in the same request."""
    forget_memberships(user)


def is_platform_admin(user) -> bool:
    """The platform admin creates organisations and sets up their first admin."""
    return bool(user.is_authenticated and user.is_superuser)


def can_manage_organisation(user, organisation: Organisation) -> bool:
    """Members, roles and programmes: the organisation's admins (and the platform admin)."""
    return is_platform_admin(user) or role_in(user, organisation) == Role.ADMIN


def can_create_organisation(user) -> bool:
    return is_platform_admin(user)


def can_plan_sites(user, programme: Programme) -> bool:
    """Sites and their opening rules: admins and coordinators of the programme's organisation."""
    return role_in(user, programme.organisation_id) in PLANNER_ROLES
