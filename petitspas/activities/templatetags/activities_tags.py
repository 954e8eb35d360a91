from django import template

from petitspas.activities.recurrence import format_day, format_hour

register = template.Library()


@register.filter
def hour(value):
    """French hour: 8h30, 14h."""
    return format_hour(value) if value else ""


@register.filter
def day_in_words(value):
    """French date, month in full: mardi 1er juillet 2025."""
    return format_day(value) if value else ""
