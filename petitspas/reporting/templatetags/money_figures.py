from decimal import Decimal

from django import template

from petitspas.reporting.permissions import can_read_budget

register = template.Library()


@register.filter
def euros(value):
    """An amount the French way: "136 000 €", "4 999,50 €"; "—" when there is none."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    text = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",").removesuffix(",00")
    return f"{text}\u00a0€"


@register.filter
def share(value):
    """A share in percent, one decimal: "19,1 %"; "—" when there is none."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + " %"


@register.inclusion_tag("reporting/_money_links.html", takes_context=True)
def money_links(context, programme):
    """The dashboard's links to the programme's budget (for those who read it) and to its
    LAEP summary."""
    return {"programme": programme, "reads_budget": can_read_budget(context["user"], programme)}
