from django import template

from petitspas.attendance.models import Theme
from petitspas.reporting.smallcells import SMALL

register = template.Library()


@register.filter
def figure(value, unit=""):
    """A figure written the French way: 1 127, 16,7 ; "—" when there is none; "< 5"."""
    if value is None or value == "":
        return "—"
    if value == SMALL or isinstance(value, str):
        return value
    if isinstance(value, float):
        text = f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    else:
        text = f"{value:,}".replace(",", "\u202f")
    return f"{text} %" if unit == "percent" else text


@register.filter
def change(value, unit=""):
    """A change with its sign: +460, −12,5 %."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + figure(abs(value), unit)


@register.filter
def theme_label(code):
    """An observation theme's French label ("sleep" → "Sommeil")."""
    return Theme(code).label if code in Theme.values else code
