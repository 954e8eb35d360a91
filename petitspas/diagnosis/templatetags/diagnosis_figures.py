from decimal import Decimal

from django import template

from petitspas.reporting.templatetags.figures import figure

register = template.Library()


@register.filter
def diag_figure(value, unit=""):
    """An imported value the French way: 1 234, 12,5 ; a share with its « % »."""
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    return figure(value, unit)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
