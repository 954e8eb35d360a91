"""The doors of the diagnosis' participation pages: an area's resource places, a proposed
place, an urban walk, a diagnosis group.

The staff of the area's organisation (admins, coordinators, professionals) read them;
``manage`` (validate a proposal, plan a walk, register and note attendance, change a
group's members) is for its admins and coordinators. Another organisation's object, a
missing one and an impossible id give the same 404. The public proposal form reads an
area through ``area_for_proposals``: its name only, never its data.
"""

from django.core.exceptions import PermissionDenied

from petitspas.core.access import get_visible_or_404
from petitspas.core.scoping import organisation_ids
from petitspas.diagnosis.models import Area, PlaceProposal, UrbanWalk
from petitspas.directory.models import DIAGNOSIS_GROUP_KINDS, WorkingGroup
from petitspas.organisations.models import PLANNER_ROLES

ACTIONS = ("view", "manage")


def _check(user, obj, organisation_id, for_: str):
    if for_ not in ACTIONS:
        raise PermissionDenied
    if for_ == "manage" and organisation_id not in organisation_ids(user, PLANNER_ROLES):
        raise PermissionDenied
    return obj


def can_manage_participation(user, area: Area) -> bool:
    return area.organisation_id in organisation_ids(user, PLANNER_ROLES)


def access_area_participation(user, area_pk, *, for_: str = "view") -> Area:
    area = get_visible_or_404(Area.objects.visible_to(user).select_related("organisation"), area_pk)
    return _check(user, area, area.organisation_id, for_)


def access_proposal(user, proposal_pk, *, for_: str = "manage") -> PlaceProposal:
    proposal = get_visible_or_404(
        PlaceProposal.objects.visible_to(user).select_related("area"), proposal_pk
    )
    return _check(user, proposal, proposal.area.organisation_id, for_)


def access_walk(user, walk_pk, *, for_: str = "view") -> UrbanWalk:
    walk = get_visible_or_404(
        UrbanWalk.objects.visible_to(user).select_related("area__organisation"), walk_pk
    )
    return _check(user, walk, walk.area.organisation_id, for_)


def access_diagnosis_group(user, group_pk, *, for_: str = "view") -> WorkingGroup:
    group = get_visible_or_404(
        WorkingGroup.objects.visible_to(user).filter(kind__in=DIAGNOSIS_GROUP_KINDS), group_pk
    )
    return _check(user, group, group.organisation_id, for_)


def area_for_proposals(area_pk) -> Area:
    """The public form's area: any area, by its id (a 404 for an impossible one)."""
    return get_visible_or_404(Area.objects.all(), area_pk)
