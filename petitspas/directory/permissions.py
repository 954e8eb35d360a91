"""Who edits the directory. Reading is public (no door). Editing goes through
``access_structure`` / ``access_service``: the members of the partner organisation that
owns the structure (partner, admin, coordinator), and the admins and coordinators of an
organisation whose ``Territory`` holds the structure's commune. Another's entry is a 404
for the edit pages, the same answer as a missing one."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404

from petitspas.core.access import get_visible_or_404
from petitspas.core.db import is_possible_id
from petitspas.core.scoping import active_memberships, membership_fact, organisation_ids
from petitspas.directory.models import (
    DESK_ROLES,
    OWNER_ROLES,
    TERRITORY_ROLES,
    Appointment,
    Desk,
    GuideEdition,
    Meeting,
    MeetingItem,
    Orientation,
    Service,
    Structure,
    Territory,
    Visit,
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


def editable_structure_ids(user, structure_ids) -> set[int]:
    """Of ``structure_ids``, those ``user`` may edit: one query for a page of results."""
    return set(
        Structure.objects.visible_to(user).filter(pk__in=structure_ids).values_list("pk", flat=True)
    )


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


# Who reads the contacts a service gives professionals (its contact person, its own
# e-mail and telephone): the staff of an organisation and the partners, signed in. Funders
# and visitors read the structure's public reception only.
PROFESSIONAL_CONTACT_ROLES = frozenset(
    {Role.ADMIN, Role.COORDINATOR, Role.PROFESSIONAL, Role.PRESCRIBER, Role.PARTNER}
)


def sees_professional_contacts(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return holds_role_somewhere(user, PROFESSIONAL_CONTACT_ROLES)


# The printed guide (``directory.guide``): the members of the territory's organisation and
# the partners whose structures are in the territory read it and its editions; the admins
# and coordinators of the territory's organisation publish. A published edition's PDF and
# HTML are public (see docs/security.md).
def guide_territories(user) -> list[Territory]:
    """The territories whose guide ``user`` reads."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    # Asked by the menu and by the page in the same request: read once per user object.
    cached = getattr(user, "_guide_territories", None)
    if cached is None:
        cached = user._guide_territories = _guide_territories(user)
    return cached


def _guide_territories(user) -> list[Territory]:
    members = set(organisation_ids(user))
    partner_communes = set(
        Structure.objects.filter(organisation_id__in=organisation_ids(user, OWNER_ROLES))
        .exclude(code_insee="")
        .values_list("code_insee", flat=True)
    )
    if not members and not partner_communes:
        return []
    return [
        territory
        for territory in Territory.objects.select_related("organisation").order_by("pk")
        if territory.organisation_id in members or partner_communes & set(territory.communes)
    ]


# Facts read with the memberships, in the same query (``core.scoping``): the menu asks
# them on every page without a query of its own.
COORDINATES_TERRITORY = "coordinates_directory_territory"
OWNS_STRUCTURES = "owns_directory_structures"


def coordinates_territory() -> models.Expression:
    """Whether a membership's organisation has a directory ``Territory``."""
    return Exists(Territory.objects.filter(organisation=OuterRef("organisation")))


def owns_structures() -> models.Expression:
    """Whether a membership's organisation owns directory structures."""
    return Exists(Structure.objects.filter(organisation=OuterRef("organisation")))


def can_read_guide(user) -> bool:
    """The menu's "Guide parentalité": members of an organisation with a territory, and
    the partners who own structures (their page lists the territories that hold them)."""
    return any(
        membership_fact(m, COORDINATES_TERRITORY)
        or (m.role in OWNER_ROLES and membership_fact(m, OWNS_STRUCTURES))
        for m in active_memberships(user)
    )


def can_publish_guide(user, territory: Territory) -> bool:
    return territory.organisation_id in organisation_ids(user, TERRITORY_ROLES)


def access_guide(user, territory_pk, *, for_: str = "read") -> Territory:
    """A territory's guide: ``read`` (members of its organisation, partners with a
    structure there), ``publish`` (its organisation's admins and coordinators)."""
    if not is_possible_id(territory_pk):
        raise Http404
    territory = next((t for t in guide_territories(user) if t.pk == int(territory_pk)), None)
    if territory is None:
        raise Http404
    if for_ not in ("read", "publish"):
        raise PermissionDenied
    if for_ == "publish" and not can_publish_guide(user, territory):
        raise PermissionDenied
    return territory


def access_edition(user, edition_pk, *, for_: str = "read") -> GuideEdition:
    """An edition's page (with what changed): whoever reads its territory's guide."""
    readable = [t.pk for t in guide_territories(user)]
    edition = get_visible_or_404(
        GuideEdition.objects.filter(territory_id__in=readable).select_related(
            "territory__organisation"
        ),
        edition_pk,
    )
    if for_ != "read":
        raise PermissionDenied
    return edition


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
    """``follow`` (its follow-up), ``edit`` (correct or delete it): the desk's staff."""
    orientation = get_visible_or_404(
        Orientation.objects.visible_to(user).select_related("service__structure", "household"),
        orientation_pk,
    )
    if for_ not in ("follow", "edit"):
        raise PermissionDenied
    return orientation


def access_visit(user, visit_pk, *, for_: str = "edit"):
    """A visit of the desk's log, to correct or delete: the desk's staff."""
    visit = get_visible_or_404(
        Visit.objects.visible_to(user).select_related("desk", "household"), visit_pk
    )
    if for_ != "edit":
        raise PermissionDenied
    return visit


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


def access_meeting_item(user, item_pk, *, for_: str = "manage"):
    """A decision or an action of a meeting's minutes: the organiser's staff."""
    if for_ != "manage":
        raise PermissionDenied
    return get_visible_or_404(
        MeetingItem.objects.filter(meeting__in=Meeting.objects.visible_to(user)).select_related(
            "meeting__group", "owner"
        ),
        item_pk,
    )


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
