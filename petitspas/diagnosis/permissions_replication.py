"""Who may copy a programme's model to another organisation ("Copier vers un autre
territoire"): the source is read through its door (``activities.permissions.access_programme``:
the staff of its organisation, 404 for another organisation's programme); the copy is
written into an organisation where the user plans, as an admin or a coordinator."""

from petitspas.activities.permissions import access_programme
from petitspas.core.scoping import organisation_ids
from petitspas.organisations.models import PLANNER_ROLES, Organisation, Programme
from petitspas.organisations.permissions import role_in
from petitspas.reporting.permissions import can_read_budget


def access_programme_to_copy(user, programme_pk) -> Programme:
    """The programme whose model ``user`` may read to copy it: 404 for another
    organisation's programme or a missing one; 403 for a funder (figures only)."""
    return access_programme(user, programme_pk)


def can_copy_into(user, organisation: Organisation | int) -> bool:
    """A copy creates a programme, its sites and its plans: the admins and coordinators of
    the organisation that receives it, who plan its sites and activities."""
    return role_in(user, organisation) in PLANNER_ROLES


def copy_targets(user, *, source: Programme):
    """The organisations ``user`` may copy ``source`` into: those they administer or
    coordinate, except the programme's own (a new place of the same organisation is a new
    site of the programme, not a copy)."""
    return Organisation.objects.filter(pk__in=organisation_ids(user, PLANNER_ROLES)).exclude(
        pk=source.organisation_id
    )


def can_copy_budget(user, programme: Programme) -> bool:
    """The budget is read by the admins, coordinators and funders of its organisation: a
    professional copies the rest of the model, never the amounts."""
    return can_read_budget(user, programme)
