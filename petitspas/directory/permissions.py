"""Who edits the directory. Reading is public (no door). Editing goes through
``access_structure`` / ``access_service``: the members of the partner organisation that
owns the structure (partner, admin, coordinator), and the admins and coordinators of an
organisation whose ``Territory`` holds the structure's commune. Another's entry is a 404
for the edit pages, the same answer as a missing one."""

from django.core.exceptions import PermissionDenied

from petitspas.core.access import get_visible_or_404
from petitspas.core.scoping import active_memberships, membership_fact, organisation_ids
from petitspas.directory.models import (
    DESK_ROLES,
    Appointment,
    Desk,
    Meeting,
    Orientation,
    Service,
    Structure,
    WorkingGroup,
    territory_communes,
)
from petitspas.organisations.models import Role
from petitspas.organisations.permissions import holds_role_somewhere

PARTNER_EDIT_REFUSED = (
    "Cette fiche appartient à une autre structure : seuls ses membres et la coordination "
    "de son territoire peuvent la modifier."
)


def can_edit_directory(user) -> bool:
    """The "Mes fiches" page: someone who may edit at least some entries."""
    return holds_role_somewhere(user, {Role.PARTNER, Role.ADMIN, Role.COORDINATOR})


def coordinates_directory(user) -> bool:
    """The freshness page: coordinators (and admins) with a territory."""
    return bool(territory_communes(user))


def can_edit_structure(user, structure: Structure) -> bool:
    return Structure.objects.visible_to(user).filter(pk=structure.pk).exists()


def can_edit_service(user, service: Service) -> bool:
    return can_edit_structure(user, service.structure)


def access_structure(user, structure_pk, *, for_: str = "edit") -> Structure:
    structure = get_visible_or_404(
        Structure.objects.visible_to(user).select_related("organisation"), structure_pk
    )
    if for_ not in ("edit", "view"):
        raise PermissionDenied
    return structure


def access_service(user, service_pk, *, for_: str = "edit") -> Service:
    service = get_visible_or_404(
        Service.objects.visible_to(user).select_related("structure__organisation"), service_pk
    )
    if for_ not in ("edit", "view"):
        raise PermissionDenied
    return service


# --- The Point Info Famille desk and the partners' network ---------------------------------
# The desk and the network are run by the staff of the organisation that holds them (admin,
# coordinator, professional: ``DESK_ROLES``); partners reach only the meetings their own
# structures are members of; funders none of it.


def _fact_in_roles(user, fact: str, roles) -> bool:
    return any(m.role in roles and membership_fact(m, fact) for m in active_memberships(user))


def runs_a_desk(user) -> bool:
    """The menu's "Point Info Famille": staff of an organisation that holds a desk."""
    return _fact_in_roles(user, "has_desk", DESK_ROLES)


def runs_a_network(user) -> bool:
    """The menu's "Réseau partenaires": staff of an organisation with a partners' group."""
    return _fact_in_roles(user, "has_network", DESK_ROLES)


def partner_structure_ids(user) -> list[int]:
    """The structures owned by the organisations where ``user`` is a partner member."""
    ids = organisation_ids(user, {Role.PARTNER})
    if not ids:
        return []
    return list(Structure.objects.filter(organisation_id__in=ids).values_list("pk", flat=True))


def is_network_partner(user) -> bool:
    """The "Mes réunions" page: a partner whose structures are members of a group."""
    return _fact_in_roles(user, "in_network", {Role.PARTNER})


def access_desk(user, desk_pk, *, for_: str = "run"):
    desk = get_visible_or_404(Desk.objects.visible_to(user).select_related("site"), desk_pk)
    if for_ != "run":
        raise PermissionDenied
    return desk


def access_appointment(user, appointment_pk, *, for_: str = "edit"):
    appointment = get_visible_or_404(
        Appointment.objects.visible_to(user).select_related("desk"), appointment_pk
    )
    if for_ != "edit":
        raise PermissionDenied
    return appointment


def access_orientation(user, orientation_pk, *, for_: str = "follow"):
    orientation = get_visible_or_404(
        Orientation.objects.visible_to(user).select_related("service__structure", "household"),
        orientation_pk,
    )
    if for_ != "follow":
        raise PermissionDenied
    return orientation


def access_working_group(user, group_pk, *, for_: str = "manage"):
    group = get_visible_or_404(WorkingGroup.objects.visible_to(user), group_pk)
    if for_ != "manage":
        raise PermissionDenied
    return group


def meetings_for_partner(user):
    """The meetings of the groups the user's structures belong to (their invitations and
    the information sessions they may register to)."""
    ids = partner_structure_ids(user)
    if not ids:
        return Meeting.objects.none()
    return Meeting.objects.filter(group__members__in=ids).distinct()


def access_meeting(user, meeting_pk, *, for_: str = "manage"):
    """``manage``: the organiser's staff. ``attend``: a partner whose structure is a member
    of the meeting's group (its invitation, its registrations)."""
    if for_ == "manage":
        return get_visible_or_404(
            Meeting.objects.visible_to(user).select_related("group"), meeting_pk
        )
    if for_ == "attend":
        return get_visible_or_404(meetings_for_partner(user).select_related("group"), meeting_pk)
    raise PermissionDenied
