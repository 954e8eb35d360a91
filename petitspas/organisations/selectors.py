from petitspas.core.scoping import active_memberships
from petitspas.organisations.models import (
    PLANNER_ROLES,
    Membership,
    Organisation,
    Programme,
    Role,
)
from petitspas.organisations.permissions import is_platform_admin


def memberships_of(*, user) -> list[Membership]:
    """The user's active memberships with their organisations (one query, kept per user)."""
    return active_memberships(user)


def _managed_by(model, user):
    """``model``'s rows of the organisations the user administers; all of them for the
    platform admin (who sets up a new organisation's first admin)."""
    if is_platform_admin(user):
        return model.objects.all()
    return model.objects.where_role(user, {Role.ADMIN})


def organisations_managed_by(*, user):
    return _managed_by(Organisation, user)


def programmes_plannable_by(*, user):
    """Programmes where the user may create and change sites."""
    return Programme.objects.where_role(user, PLANNER_ROLES).select_related("organisation")


def members_managed_by(*, user, organisation: Organisation):
    """The organisation's memberships with their users, for its admins and the platform
    admin; empty for anyone else."""
    return (
        _managed_by(Membership, user)
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__first_name", "user__email")
    )


def programmes_managed_by(*, user, organisation: Organisation):
    """The organisation's programmes, for its admins and the platform admin."""
    return (
        _managed_by(Programme, user)
        .filter(organisation=organisation)
        .order_by("-is_active", "name")
    )
