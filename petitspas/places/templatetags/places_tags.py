from django import template

from petitspas.places.models import Site
from petitspas.places.permissions import site_address

register = template.Library()


@register.filter
def address_for(site: Site, user) -> str:
    """The site's address on one line as ``user`` may see it: the town only where families
    live, unless the user is staff of the site's organisation (``can_see_address``)."""
    return str(site_address(user, site))
