"""Who may work with family files. Reads are scoped by ``Household.objects.visible_to``;
these predicates guard the pages that list or create, and every write."""

from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Organisation, Role
from petitspas.organisations.permissions import (
    holds_role_somewhere,
    role_in,
    works_in_an_organisation,
)
from petitspas.organisations.selectors import memberships_of


def staff_organisations(user) -> list[Organisation]:
    """The organisations where the user is staff, hence may open and create family files."""
    return [m.organisation for m in memberships_of(user=user) if m.role in STAFF_ROLES]


def can_use_families(user) -> bool:
    """The families pages: staff (admin, coordinator, professional) of some organisation.
    Funders, prescribers and partners never see a named family."""
    return works_in_an_organisation(user)


def can_manage_families(user, organisation: Organisation | int) -> bool:
    """Create, change and open the organisation's family files: its staff only."""
    return role_in(user, organisation) in STAFF_ROLES


def can_export_family(user, organisation: Organisation | int) -> bool:
    """Right of access: the organisation's admins and coordinators hand a family its data."""
    return role_in(user, organisation) in PLANNER_ROLES


def can_anonymise_family(user, organisation: Organisation | int) -> bool:
    """Right to erasure, irreversible: the organisation's admins only."""
    return role_in(user, organisation) == Role.ADMIN


def sees_only_families_met(user) -> bool:
    """A professional (and nothing more) somewhere: their family list is narrowed to the
    households met at their sessions (``Household.objects.visible_to``)."""
    return holds_role_somewhere(user, {Role.PROFESSIONAL})


def can_read_audit_log(user) -> bool:
    """The access log: organisation admins only (``AuditEntry.visible_to`` scopes the rows)."""
    return holds_role_somewhere(user, {Role.ADMIN})
