"""The door of the qualitative diagnosis. Records, their attachments and passages, the
codebook, the synthesis and the booklet are read by the staff of the organisation that
made them (admins, coordinators, professionals): ``visible_to`` with ``INQUIRY_ROLES``.
Funders, partners and prescribers of that organisation read none of it, and another
organisation's object is a 404, as a missing one.

Staff record interviews, attach files and code passages (``for_="edit"``); the codebook
and the booklet are the admins' and coordinators' (``for_="manage"``)."""

from django.core.exceptions import PermissionDenied

from petitspas.core.access import get_visible_or_404
from petitspas.core.scoping import organisation_ids
from petitspas.diagnosis.models import (
    Area,
    Attachment,
    BookletEdition,
    BookletSection,
    Code,
    InquiryRecord,
    Passage,
)
from petitspas.diagnosis.models.inquiry import INQUIRY_ROLES
from petitspas.organisations.models import PLANNER_ROLES, Organisation
from petitspas.organisations.permissions import holds_role_somewhere

ACTIONS = {"read", "edit", "manage"}


def does_inquiry(user) -> bool:
    """The menu's "Enquête qualitative": the staff of some organisation."""
    return holds_role_somewhere(user, INQUIRY_ROLES)


def inquiry_organisations(user):
    return Organisation.objects.filter(pk__in=organisation_ids(user, INQUIRY_ROLES)).order_by(
        "name"
    )


def can_manage_inquiry(user, organisation_id: int) -> bool:
    """Admins and coordinators: the codebook and the booklet."""
    return organisation_id in organisation_ids(user, PLANNER_ROLES)


def _check(user, organisation_id: int, for_: str) -> None:
    if for_ not in ACTIONS:
        raise PermissionDenied
    if for_ == "manage" and not can_manage_inquiry(user, organisation_id):
        raise PermissionDenied(
            "Seuls les administrateurs et coordinateurs de l'organisation modifient la grille "
            "de codage et le livret méthodologique."
        )


def access_inquiry(user, organisation_pk, *, for_: str = "read") -> Organisation:
    """An organisation's qualitative diagnosis (records list, codebook, booklet)."""
    organisation = get_visible_or_404(inquiry_organisations(user), organisation_pk)
    _check(user, organisation.pk, for_)
    return organisation


def access_record(user, record_pk, *, for_: str = "read") -> InquiryRecord:
    record = get_visible_or_404(
        InquiryRecord.objects.visible_to(user).select_related("area", "organisation"), record_pk
    )
    _check(user, record.organisation_id, for_)
    return record


def access_attachment(user, attachment_pk, *, for_: str = "read") -> Attachment:
    attachment = get_visible_or_404(
        Attachment.objects.visible_to(user).select_related("record__organisation"),
        attachment_pk,
    )
    _check(user, attachment.record.organisation_id, for_)
    return attachment


def access_passage(user, passage_pk, *, for_: str = "edit") -> Passage:
    passage = get_visible_or_404(
        Passage.objects.visible_to(user).select_related("record__organisation"), passage_pk
    )
    _check(user, passage.record.organisation_id, for_)
    return passage


def access_code(user, code_pk, *, for_: str = "read") -> Code:
    code = get_visible_or_404(
        Code.objects.visible_to(user).select_related("organisation", "parent"), code_pk
    )
    _check(user, code.organisation_id, for_)
    return code


def access_area_synthesis(user, area_pk) -> Area:
    """An area's synthesis: the staff of the area's organisation."""
    return get_visible_or_404(
        Area.objects.where_role(user, INQUIRY_ROLES).select_related("organisation"), area_pk
    )


def access_booklet_section(user, section_pk, *, for_: str = "manage") -> BookletSection:
    section = get_visible_or_404(
        BookletSection.objects.visible_to(user).select_related("organisation"), section_pk
    )
    _check(user, section.organisation_id, for_)
    return section


def access_booklet_edition(user, booklet_edition_pk, *, for_: str = "read") -> BookletEdition:
    edition = get_visible_or_404(
        BookletEdition.objects.visible_to(user).select_related("organisation", "published_by"),
        booklet_edition_pk,
    )
    _check(user, edition.organisation_id, for_)
    return edition
