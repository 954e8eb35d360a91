"""What the error pages need whichever view renders them (the 429 page comes from the rate
limits, not from ``petitspas.web.errors``)."""

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def support_email() -> str:
    return settings.SUPPORT_EMAIL


@register.simple_tag(takes_context=True)
def back_url(context) -> str:
    """The page the visitor came from, when it is one of ours; "" otherwise (no script: the
    Content-Security-Policy forbids ``javascript:history.back()``)."""
    request = context.get("request")
    if request is None:
        return ""
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the very reason for a 400 page
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return ""


@register.filter
def duration_in_words(seconds) -> str:
    """``90`` → "2 minutes": a wait rounded up to the unit a person reads."""
    try:
        seconds = max(int(seconds), 1)
    except (TypeError, ValueError):
        return ""
    if seconds < 60:
        return ngettext("%(count)s seconde", "%(count)s secondes", seconds) % {"count": seconds}
    minutes = -(-seconds // 60)
    if minutes < 60:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    hours = -(-minutes // 60)
    if hours < 48:
        return ngettext("%(count)s heure", "%(count)s heures", hours) % {"count": hours}
    return _("quelques jours")
