"""Who edits the directory. Reading is public (no door). Editing goes through
``access_structure`` / ``access_service``: the members of the partner organisation that
owns the structure (partner, admin, coordinator), and the admins and coordinators of an
organisation whose ``Territory`` holds the structure's commune. Another's entry is a 404
for the edit pages, the same answer as a missing one."""

from django.core.exceptions import PermissionDenied

from petitspas.core.access import get_visible_or_404
from petitspas.directory.models import Service, Structure, territory_communes
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
