from django import template

from petitspas.activities.recurrence import format_hour

register = template.Library()


@register.filter
def hour(value):
    """French hour: 8h30, 14h."""
    return format_hour(value) if value else ""
