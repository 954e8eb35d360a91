import calendar
import datetime
from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from petitspas.agenda.labels import AGE_CHOICES, kind_label
from petitspas.agenda.selectors import Offer, agenda_window

PERIOD_WEEK = "semaine"
PERIOD_MONTH = "mois"


class AgendaFilterForm(forms.Form):
    """The agenda's filters, read from the query string. A value that is not offered (an old
    link, a site with no more sessions) is ignored rather than shown as an error."""

    commune = forms.ChoiceField(label=_("Commune"), required=False)
    lieu = forms.TypedChoiceField(label=_("Lieu"), required=False, coerce=int, empty_value=None)
    activite = forms.ChoiceField(label=_("Activité"), required=False)
    age = forms.ChoiceField(label=_("Pour qui ?"), required=False)
    periode = forms.ChoiceField(label=_("Quand ?"), required=False)

    def __init__(self, data=None, *, offers: Sequence[Offer]):
        """The choices are what ``offers`` hold, so that none leads to an empty page."""
        super().__init__(data)
        towns = sorted({offer.town for offer in offers})
        sites = sorted({(offer.site_name, offer.town, offer.site_pk) for offer in offers})
        kinds = sorted({offer.kind for offer in offers}, key=lambda k: str(kind_label(k)))
        self.fields["commune"].choices = [("", _("Toutes les communes"))] + [(t, t) for t in towns]
        self.fields["lieu"].choices = [("", _("Tous les lieux"))] + [
            (str(pk), f"{name} ({town})") for name, town, pk in sites
        ]
        self.fields["activite"].choices = [("", _("Toutes les activités"))] + [
            (kind, kind_label(kind)) for kind in kinds
        ]
        self.fields["age"].choices = [("", _("Tout le monde"))] + [
            (value, label) for value, (label, _publics) in AGE_CHOICES.items()
        ]
        self.fields["periode"].choices = [
            ("", _("Les 8 prochaines semaines")),
            (PERIOD_WEEK, pgettext_lazy("period", "Cette semaine")),
            (PERIOD_MONTH, pgettext_lazy("period", "Ce mois-ci")),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "fr-select"

    def filters(self, *, today: datetime.date) -> dict:
        """Keyword arguments of ``agenda_sessions`` for the valid filters."""
        self.is_valid()
        data = self.cleaned_data if self.is_bound else {}
        start, end = agenda_window(today)
        period = data.get("periode")
        if period == PERIOD_WEEK:
            end = today + datetime.timedelta(days=6 - today.weekday())
        elif period == PERIOD_MONTH:
            end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        age = data.get("age")
        return {
            "start": start,
            "end": end,
            "town": data.get("commune") or "",
            "site_pk": data.get("lieu"),
            "kind": data.get("activite") or "",
            "publics": tuple(AGE_CHOICES[age][1]) if age else (),
        }

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)
