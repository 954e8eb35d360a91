"""Who may work with family files. Reads are scoped by ``Household.objects.visible_to``;
``access_household`` is the door of every page about one family; the predicates guard the
pages that list or create, and every write."""

from django.core.exceptions import PermissionDenied

from petitspas.core.audit import audit_log
from petitspas.families.models import Household
from petitspas.families.selectors import household_file
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


def can_edit_household(user, household: Household) -> bool:
    """Change a family file and its people: its organisation's staff."""
    return can_manage_families(user, household.organisation_id)


def can_export_family(user, household: Household) -> bool:
    """Right of access: the organisation's admins and coordinators hand a family its data."""
    return role_in(user, household.organisation_id) in PLANNER_ROLES


def can_anonymise_family(user, household: Household) -> bool:
    """Right to erasure, irreversible: the organisation's admins only."""
    return role_in(user, household.organisation_id) == Role.ADMIN


HOUSEHOLD_ACTIONS = {
    "view": None,
    "edit": can_edit_household,
    "export": can_export_family,
    "anonymise": can_anonymise_family,
}


def access_household(user, household_pk, *, for_: str = "view", page: str = "") -> Household:
    """THE door to a family file: 404 for a file the user may not open (another
    organisation's, one a professional never met, a missing one: the same answer), 403 when
    the file opens but ``for_`` is not allowed. Each opening writes an access entry
    ``household.view`` (who, when, which file, from which page) in the audit log."""
    check = HOUSEHOLD_ACTIONS[for_]
    household = household_file(user=user, household_pk=household_pk)
    if check is not None and not check(user, household):
        raise PermissionDenied
    audit_log(
        user, "household.view", household, page=page or ("detail" if for_ == "view" else for_)
    )
    return household


def sees_only_families_met(user) -> bool:
    """A professional (and nothing more) somewhere: their family list is narrowed to the
    households met at their sessions (``Household.objects.visible_to``)."""
    return holds_role_somewhere(user, {Role.PROFESSIONAL})
