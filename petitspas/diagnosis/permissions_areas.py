"""Who works on the diagnosis' areas and figures: one door, ``access_area``.

Every member of the staff of the area's organisation (admins, coordinators, professionals)
reads its areas, indicators and maps (``Area.objects.visible_to``); its admins and
coordinators draw the areas and import the boundaries and the indicator files."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef

from petitspas.core.access import get_visible_or_404
from petitspas.core.scoping import active_memberships, membership_fact, organisation_ids
from petitspas.diagnosis.models import Area
from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Organisation

HAS_AREAS = "has_diagnosis_areas"


def has_areas() -> models.Expression:
    """Whether a membership's organisation has an area of diagnosis: an annotation over
    ``Membership``, read with the memberships (``core.scoping.provide_membership_fact``)."""
    return Exists(Area.objects.filter(organisation=OuterRef("organisation")))


def works_on_a_diagnosis(user) -> bool:
    """The menu's « Diagnostic territorial »: staff of an organisation that has areas, read
    from the memberships already loaded (no query per page)."""
    return any(
        m.role in STAFF_ROLES and membership_fact(m, HAS_AREAS) for m in active_memberships(user)
    )


def can_read_diagnosis(user) -> bool:
    """The diagnosis' home: any staff member (admins and coordinators create the first
    area there)."""
    return bool(organisation_ids(user, STAFF_ROLES))


def can_edit_areas(user, organisation_id: int) -> bool:
    return organisation_id in organisation_ids(user, PLANNER_ROLES)


def editable_organisations(user):
    """The organisations whose areas and figures ``user`` may write."""
    return Organisation.objects.filter(pk__in=organisation_ids(user, PLANNER_ROLES)).order_by(
        "name"
    )


def access_area(user, pk, *, for_: str = "view") -> Area:
    """An area to read (``view``: staff of its organisation) or to change (``edit``: its
    admins and coordinators). 404 for another organisation's area, a missing one or an id
    no row can hold; 403 for a professional asking to edit."""
    area = get_visible_or_404(Area.objects.visible_to(user).select_related("organisation"), pk)
    if for_ == "edit" and not can_edit_areas(user, area.organisation_id):
        raise PermissionDenied
    return area


def access_diagnosis_organisation(user, pk) -> Organisation:
    """An organisation whose boundaries or indicators ``user`` imports: 404 unless they are
    one of its admins or coordinators."""
    return get_visible_or_404(editable_organisations(user), pk)
