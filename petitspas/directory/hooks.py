"""What the directory adds to the apps below it: the "Orienter vers un partenaire" action
on a family file (``families.hooks.provide_file_links``)."""

from django.urls import reverse
from django.utils.http import urlencode

from petitspas.core.scoping import organisation_ids
from petitspas.directory.models import DESK_ROLES
from petitspas.families import hooks as family_hooks


def orientation_link(user, household) -> list[tuple[str, str]]:
    """Staff of the household's organisation may orient it to a partner's service."""
    if household.organisation_id not in organisation_ids(user, DESK_ROLES):
        return []
    url = reverse("directory:orientation-new") + "?" + urlencode({"famille": household.pk})
    return [("Orienter vers un partenaire", url)]


def install() -> None:
    family_hooks.provide_file_links(orientation_link)
