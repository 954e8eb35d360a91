"""Who may do what in an organisation. Predicates only; reads are scoped by ``visible_to``."""

from petitspas.core.scoping import active_memberships, forget_memberships, organisation_ids
from petitspas.organisations.models import (
    PLANNER_ROLES,
    STAFF_ROLES,
    Organisation,
    Programme,
    ProgrammePrescriber,
    Role,
)


def role_in(user, organisation: Organisation | int) -> str | None:
    """The user's active role in the organisation, or None."""
    if user is None or not user.is_authenticated:
        return None
    organisation_id = getattr(organisation, "pk", organisation)
    for membership in active_memberships(user):
        if membership.organisation_id == organisation_id:
            return membership.role
    return None


def holds_role_somewhere(user, roles) -> bool:
    """Whether the user holds one of ``roles`` in some organisation: what the menu and the
    pages without an object (lists, "Ma semaine") ask."""
    return any(m.role in roles for m in active_memberships(user))


def works_in_an_organisation(user) -> bool:
    """Admins, coordinators and professionals: the people of an organisation, who see its
    sessions and families. Funders, prescribers and partners are not."""
    return holds_role_somewhere(user, STAFF_ROLES)


def plans_somewhere(user) -> bool:
    """Admins and coordinators of some organisation: they plan its activities."""
    return holds_role_somewhere(user, PLANNER_ROLES)


def can_list_organisations(user) -> bool:
    """The organisations page: the platform admin and the organisations' admins."""
    return is_platform_admin(user) or holds_role_somewhere(user, {Role.ADMIN})


def forget_roles(user) -> None:
    """Call after changing a user's memberships in the same request."""
    forget_memberships(user)


def is_platform_admin(user) -> bool:
    """The platform admin creates organisations and sets up their first admin."""
    return bool(user.is_authenticated and user.is_superuser)


def can_manage_organisation(user, organisation: Organisation) -> bool:
    """Members, roles and programmes: the organisation's admins (and the platform admin)."""
    return is_platform_admin(user) or role_in(user, organisation) == Role.ADMIN


def can_invite_member(user, organisation: Organisation, role: str) -> bool:
    """Who may invite someone into ``organisation`` with ``role``: its admins and the
    platform admin, any role; and, for the prescriber role only, the admins and
    coordinators of a programme that this prescriber organisation refers families to
    (``ProgrammePrescriber``): Les Petits Pas' coordinator invites the France Travail
    adviser who will refer families to it."""
    if can_manage_organisation(user, organisation):
        return True
    if role != Role.PRESCRIBER or organisation.kind != Organisation.Kind.PRESCRIBER:
        return False
    planned = organisation_ids(user, PLANNER_ROLES)
    return bool(planned) and (
        ProgrammePrescriber.objects.filter(
            organisation=organisation, programme__organisation_id__in=planned
        ).exists()
    )


def can_create_organisation(user) -> bool:
    return is_platform_admin(user)


def can_plan_sites(user, programme: Programme) -> bool:
    """Sites and their opening rules: admins and coordinators of the programme's organisation."""
    return role_in(user, programme.organisation_id) in PLANNER_ROLES


def can_read_audit_log(user, organisation: Organisation | int | None = None) -> bool:
    """The audit log ("Journal des accès") and its CSV export: an organisation's admins, for
    that organisation (any they administer when ``organisation`` is None); the platform
    admin, for every organisation. Never a funder: the log names people."""
    if is_platform_admin(user):
        return True
    if organisation is None:
        return holds_role_somewhere(user, {Role.ADMIN})
    return role_in(user, organisation) == Role.ADMIN


def audit_log_organisations(user):
    """The organisations whose audit log the user reads (``can_read_audit_log``)."""
    if is_platform_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.where_role(user, {Role.ADMIN})
