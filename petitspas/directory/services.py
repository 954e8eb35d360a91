"""Every write of the directory: keyword-only arguments, one transaction, the permission
check, the schema check (``directory.schema``), a dated ``Change`` for the history and an
audit entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.core.scoping import organisation_ids
from petitspas.directory.geo import service_point
from petitspas.directory.models import OWNER_ROLES, Change, Service, Structure, territory_communes
from petitspas.directory.permissions import PARTNER_EDIT_REFUSED, can_edit_structure
from petitspas.directory.schema import (
    SERVICE_FIELDS,
    STRUCTURE_FIELDS,
    check_service,
    check_structure,
    service_record,
    structure_record,
)
from petitspas.directory.search import service_index, service_tags
from petitspas.directory.sphere import unit_vector
from petitspas.directory.terms import write_terms
from petitspas.directory.text import index_text


def _diff(before: dict | None, after: dict) -> dict:
    before = before or {}
    return {
        key: [before.get(key), value]
        for key, value in after.items()
        if key != "date_maj" and before.get(key) != value
    }


def index_structure(structure: Structure) -> None:
    structure.search_name = index_text(structure.nom)
    structure.search_index = index_text(structure.nom, structure.description)


# The columns ``index_service`` writes, derived from the service and its structure.
INDEX_FIELDS = [
    "search_name",
    "search_index",
    "tags",
    "place_latitude",
    "place_longitude",
    "place_x",
    "place_y",
    "place_z",
]


def index_service(service: Service) -> None:
    service.search_name, service.search_index = service_index(service)
    service.tags = service_tags(service)
    point = service_point(service)
    if point is None:
        service.place_latitude = service.place_longitude = None
        service.place_x = service.place_y = service.place_z = None
    else:
        lat, lon = float(point.lat), float(point.lon)
        service.place_latitude, service.place_longitude = lat, lon
        service.place_x, service.place_y, service.place_z = unit_vector(lat, lon)


def _may_create_in(user, structure: Structure) -> bool:
    if structure.organisation_id and structure.organisation_id in organisation_ids(
        user, OWNER_ROLES
    ):
        return True
    return bool(structure.code_insee) and structure.code_insee in territory_communes(user)


@transaction.atomic
def structure_save(*, by, structure: Structure) -> Structure:
    """Create or update ``structure`` (an unsaved or changed instance)."""
    before = None
    if structure.pk:
        original = Structure.objects.select_for_update().get(pk=structure.pk)
        if not can_edit_structure(by, original):
            raise PermissionDenied(PARTNER_EDIT_REFUSED)
        before = structure_record(original)
    elif not _may_create_in(by, structure):
        raise PermissionDenied(PARTNER_EDIT_REFUSED)
    if not structure.source_id:
        structure.source_id = f"{structure.source}--{timezone.now():%Y%m%d%H%M%S%f}"
    structure.date_maj = timezone.localdate()
    record = check_structure(structure_record(structure))
    changes = _diff(before, record)
    if before is not None and not changes:
        return structure
    index_structure(structure)
    structure.save()
    services = list(structure.services.all())
    for service in services:
        index_service(service)
        service.save(update_fields=INDEX_FIELDS)
    write_terms(services)
    Change.objects.create(
        structure=structure,
        by=by,
        kind=Change.Kind.UPDATE if before else Change.Kind.CREATE,
        fields=changes,
    )
    audit_log(
        by,
        "directory.structure_update" if before else "directory.structure_create",
        structure,
        fields=sorted(changes),
    )
    return structure


@transaction.atomic
def service_save(*, by, service: Service) -> Service:
    """Create or update ``service``; saving also confirms it (``confirmed_on``)."""
    before = None
    if service.pk:
        original = (
            Service.objects.select_for_update().select_related("structure").get(pk=service.pk)
        )
        if not can_edit_structure(by, original.structure):
            raise PermissionDenied(PARTNER_EDIT_REFUSED)
        before = service_record(original)
    if not can_edit_structure(by, service.structure):
        raise PermissionDenied(PARTNER_EDIT_REFUSED)
    if not service.source_id:
        service.source_id = f"{service.source}--{timezone.now():%Y%m%d%H%M%S%f}"
    service.date_maj = timezone.localdate()
    record = check_service(service_record(service))
    changes = _diff(before, record)
    service.confirmed_on = timezone.localdate()
    index_service(service)
    service.save()
    write_terms([service])
    Change.objects.create(
        structure=service.structure,
        service=service,
        by=by,
        kind=Change.Kind.UPDATE if before else Change.Kind.CREATE,
        fields=changes,
    )
    audit_log(
        by,
        "directory.service_update" if before else "directory.service_create",
        service,
        fields=sorted(changes),
    )
    return service


@transaction.atomic
def service_confirm(*, service_pk: int, by=None, via_link: bool = False) -> Service:
    """Mark a service "toujours exact" today. ``via_link``: from the signed link of the
    partner's e-mail (the link is the authority; ``by`` may be anonymous); otherwise ``by``
    must be allowed to edit it."""
    service = Service.objects.select_for_update().select_related("structure").get(pk=service_pk)
    if not via_link and not can_edit_structure(by, service.structure):
        raise PermissionDenied(PARTNER_EDIT_REFUSED)
    service.confirmed_on = timezone.localdate()
    service.save(update_fields=["confirmed_on"])
    user = by if by is not None and by.is_authenticated else None
    Change.objects.create(
        structure=service.structure,
        service=service,
        by=user,
        kind=Change.Kind.CONFIRM,
        note="lien du courriel mensuel" if via_link else "",
    )
    audit_log(user, "directory.service_confirm", service, via_link=via_link)
    return service


def validation_messages(error: ValidationError) -> list[str]:
    return (
        [m for messages in error.message_dict.values() for m in messages]
        if hasattr(error, "error_dict")
        else list(error.messages)
    )


__all__ = [
    "INDEX_FIELDS",
    "SERVICE_FIELDS",
    "STRUCTURE_FIELDS",
    "index_service",
    "index_structure",
    "service_confirm",
    "service_save",
    "structure_save",
]
