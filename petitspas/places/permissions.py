"""Who may see and plan sites. One door per thing (``access_site``, ``access_dated_rule``),
used by the pages and the API alike; the predicate ``can_plan_site`` guards every write."""

from django.core.exceptions import PermissionDenied

from petitspas.core.access import get_visible_or_404
from petitspas.organisations.models import STAFF_ROLES, Role
from petitspas.organisations.permissions import can_plan_sites, holds_role_somewhere
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
