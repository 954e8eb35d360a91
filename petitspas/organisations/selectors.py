from petitspas.core.scoping import active_memberships
from petitspas.organisations.models import (
    PLANNER_ROLES,
    Membership,
    Organisation,
    Programme,
    Role,
)


def memberships_of(*, user) -> list[Membership]:
    """The user's active memberships with their organisations (one query, kept per user)."""
    return active_memberships(user)


def organisations_managed_by(*, user):
    if user.is_authenticated and user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.visible_to(user, roles={Role.ADMIN})


def programmes_plannable_by(*, user):
    """Programmes where the user may create and change sites."""
    return Programme.objects.visible_to(user, roles=PLANNER_ROLES).select_related("organisation")


def members_of(*, organisation: Organisation, user):
    return (
        Membership.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__email")
    )


def _is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def members_managed_by(*, user, organisation: Organisation):
    """The organisation's memberships with their users, for its admins and the platform admin
    (who sets up the first admin of a new organisation); empty for anyone else."""
    if _is_platform_admin(user):
        memberships = Membership.objects.all()
    else:
        memberships = Membership.objects.visible_to(user, roles={Role.ADMIN})
    return (
        memberships.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__first_name", "user__email")
    )


def programmes_managed_by(*, user, organisation: Organisation):
    """The organisation's programmes, for its admins and the platform admin."""
    if _is_platform_admin(user):
        programmes = Programme.objects.all()
    else:
        programmes = Programme.objects.visible_to(user, roles={Role.ADMIN})
    return programmes.filter(organisation=organisation).order_by("-is_active", "name")
