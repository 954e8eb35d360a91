"""What the directory adds to the apps below it: the "Orienter vers un partenaire" action
on a family file (``families.hooks.provide_file_links``), and the facts the menu reads
with the memberships (``core.scoping.provide_membership_fact``)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode

from petitspas.core.scoping import organisation_ids, provide_membership_fact
from petitspas.directory.models import DESK_ROLES, Desk, WorkingGroup
from petitspas.families import hooks as family_hooks


def orientation_link(user, household) -> list[tuple[str, str]]:
    """Staff of the household's organisation may orient it to a partner's service."""
    if household.organisation_id not in organisation_ids(user, DESK_ROLES):
        return []
    url = reverse("directory:orientation-new") + "?" + urlencode({"famille": household.pk})
    return [("Orienter vers un partenaire", url)]


def _has_desk():
    return Exists(Desk.objects.filter(organisation=OuterRef("organisation")))


def _has_network():
    return Exists(WorkingGroup.objects.filter(organisation=OuterRef("organisation")))


def _in_network():
    return Exists(
        WorkingGroup.members.through.objects.filter(
            structure__organisation=OuterRef("organisation")
        )
    )


def install() -> None:
    family_hooks.provide_file_links(orientation_link)
    # The menu's "Point Info Famille", "Réseau partenaires" and "Mes réunions", read with
    # the memberships: no query per page.
    provide_membership_fact("has_desk", _has_desk)
    provide_membership_fact("has_network", _has_network)
    provide_membership_fact("in_network", _in_network)
