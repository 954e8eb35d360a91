"""The person's offline key in the page (``<body data-pp-offline-key>``): web/offline.js
files queued saves under it and drops those of anyone else (petitspas.core.offline)."""

from django import template

from petitspas.core.offline import offline_key

register = template.Library()


@register.simple_tag(takes_context=True)
def pp_offline_key(context) -> str:
    request = context.get("request")
    return offline_key(getattr(request, "user", None))
