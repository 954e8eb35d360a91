from django import forms

from petitspas.core.forms import ServiceFormMixin


def _text(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "10 000 caractères au plus."},
    )


class MonthlyReviewForm(ServiceFormMixin, forms.Form):
    conclusions = _text(
        "Conclusions de la revue", "Ce que le mois montre, ce qui a marché, ce qui manque."
    )
    adjust_programme = _text(
        "Ajustements du programme", "Horaires, lieux, activités proposées, rythme des séances."
    )
    adjust_mobilisation = _text(
        "Ajustements de la mobilisation", "Comment aller vers les familles qui ne viennent pas."
    )
    adjust_partnerships = _text(
        "Ajustements des partenariats", "Partenaires à associer, relais, orientations."
    )
