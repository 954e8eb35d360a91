import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from petitspas.core import audit
from petitspas.core.models import AuditEntry
from petitspas.families.models import Person
from petitspas.families.selectors import audit_actor

register = template.Library()

# Under two years, early-childhood teams count in months.
MONTHS_UNTIL = 24


@register.filter
def age_label(person: Person, today: datetime.date) -> str:
    """« 7 mois », « 3 ans », « naissance prévue le 12/05/2027 », or « » when unknown."""
    if person.role == Person.Role.EXPECTED_CHILD:
        if person.due_date is None:
            return ""
        if person.due_date < today:
            return _("naissance prévue le %(date)s (date passée)") % {
                "date": person.due_date.strftime("%d/%m/%Y")
            }
        return _("naissance prévue le %(date)s") % {"date": person.due_date.strftime("%d/%m/%Y")}
    months = person.age_in_months(today)
    if months is None:
        return ""
    if months < 1:
        return _("moins d'un mois")
    if months < MONTHS_UNTIL:
        return ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months}
    years = months // 12
    return ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}


@register.filter
def action_sentence(entry: AuditEntry) -> str:
    """« a ajouté une fermeture à Maison de quartier (Pantin) »: what was done, in words."""
    return audit.action_sentence(entry.action, entry.target_repr)


@register.filter
def actor_name(entry: AuditEntry) -> str:
    """Who did it; the retention job and deleted accounts leave no one."""
    return audit_actor(entry)
