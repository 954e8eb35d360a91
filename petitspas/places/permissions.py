"""Who may see and plan sites. One door per thing (``access_site``, ``access_dated_rule``),
used by the pages and the API alike; the predicate ``can_plan_site`` guards every write.

Where a site of a kind where families live is (``Site.houses_families``: a social hotel) is
one rule, ``can_see_address``, and one public form of it, ``site_address``: the pages (the
``address_for`` template filter), the API and the feeds all go through them."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied

from petitspas.core.access import get_visible_or_404
from petitspas.organisations.models import STAFF_ROLES, Role
from petitspas.organisations.permissions import can_plan_sites, holds_role_somewhere, role_in
from petitspas.places.models import Site, SiteClosure, SiteRelocation
from petitspas.places.selectors import sites_with_rules


def can_see_sites(user) -> bool:
    """The sites pages: the organisations' people and their funders (who read where and
    when programmes run, not families)."""
    return holds_role_somewhere(user, STAFF_ROLES | {Role.FUNDER})


def can_plan_site(user, site: Site) -> bool:
    """A site's details, weekly rules, closures and moves: the admins and coordinators of
    its programme's organisation."""
    return can_plan_sites(user, site.programme)


def access_site(user, site_pk, *, for_: str = "view", rules: bool = False) -> Site:
    """The site ``site_pk`` as ``user`` may see it. 404 for another organisation's site or
    a missing one (the same answer); 403 when visible but ``for_="plan"`` is not allowed.
    ``rules``: with what the calendar needs (weekly openings, closures, moves)."""
    sites = sites_with_rules(user=user) if rules else Site.objects.visible_to(user)
    site = get_visible_or_404(sites.select_related("programme__organisation"), site_pk)
    if for_ == "plan" and not can_plan_site(user, site):
        raise PermissionDenied
    return site


def access_dated_rule(user, model: type[SiteClosure | SiteRelocation], pk, *, site_pk):
    """A closure or a move of the site ``site_pk``, for planning (404 / 403 as above)."""
    rule = get_visible_or_404(
        model.objects.visible_to(user).select_related("site__programme").filter(site_id=site_pk),
        pk,
    )
    if not can_plan_site(user, rule.site):
        raise PermissionDenied
    return rule


def can_see_address(user, site: Site) -> bool:
    """A site's street address, postcode, coordinates and access notes. Where families live
    (a social hotel), they are theirs: the staff of the site's organisation only (admins,
    coordinators, professionals). Funders, partners, prescribers, other organisations and
    the public see its town and kind. Any other site's address is public."""
    if not site.houses_families:
        return True
    if user is None or not user.is_authenticated:
        return False
    return role_in(user, site.programme.organisation_id) in STAFF_ROLES


@dataclass(frozen=True, slots=True)
class SiteAddress:
    """Where a site is, as much of it as one user may know. ``hidden``: only the town."""

    street: str
    postcode: str
    town: str
    latitude: Decimal | None
    longitude: Decimal | None
    access_notes: str
    hidden: bool

    def __str__(self) -> str:
        """One line: "18 rue de la Convention, 93120 La Courneuve", or "La Courneuve"."""
        place = f"{self.postcode} {self.town}".strip()
        return ", ".join(part for part in (self.street, place) if part)


def site_address(user, site: Site) -> SiteAddress:
    """The site's address as ``user`` may see it (``can_see_address``): in full, or its town
    only, without postcode, coordinates or access notes."""
    if can_see_address(user, site):
        return SiteAddress(
            street=site.address,
            postcode=site.postcode,
            town=site.town,
            latitude=site.latitude,
            longitude=site.longitude,
            access_notes=site.access_notes,
            hidden=False,
        )
    return SiteAddress(
        street="",
        postcode="",
        town=site.town,
        latitude=None,
        longitude=None,
        access_notes="",
        hidden=True,
    )
