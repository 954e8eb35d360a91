"""The budget's and funding's forms: amounts typed the French way ("26 000", "5 000,50 €")."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from petitspas.core.forms import ServiceFormMixin
from petitspas.reporting.models import BudgetCategory

UNREADABLE = "Montant illisible : écrivez un nombre en euros, par exemple 26 000 ou 4 999,50."


class AmountField(forms.CharField):
    """Euros: spaces (also non-breaking) between thousands, a comma or a point before the
    cents, an optional "€". Two decimals at most."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 30:
            raise ValidationError(UNREADABLE, code="invalid")
        cleaned = (
            text.replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        ).replace(",", ".")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(UNREADABLE, code="invalid") from None
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise ValidationError(UNREADABLE, code="invalid")
        return amount


class BudgetLineForm(ServiceFormMixin, forms.Form):
    # Unique ids: the budget page holds both forms.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "ligne-%s")
        super().__init__(*args, **kwargs)

    category = forms.ChoiceField(
        label="Poste",
        choices=BudgetCategory.choices,
        error_messages={
            "required": "Choisissez un poste.",
            "invalid_choice": "Choisissez un poste de la liste.",
        },
    )
    label = forms.CharField(
        label="Libellé",
        max_length=200,
        error_messages={
            "required": "Donnez un libellé à la ligne (par exemple « Chariots »).",
            "max_length": "200 caractères au plus.",
        },
    )
    amount = AmountField(
        label="Montant (€)",
        error_messages={"required": "Indiquez le montant de la ligne."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class FundingForm(ServiceFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "financement-%s")
        super().__init__(*args, **kwargs)

    funder_name = forms.CharField(
        label="Financeur",
        max_length=200,
        help_text="Un financeur déjà saisi ou un nouveau (par exemple « Fondation de France »).",
        error_messages={
            "required": "Indiquez le nom du financeur.",
            "max_length": "200 caractères au plus.",
        },
        widget=forms.TextInput(attrs={"list": "financeurs-connus", "autocomplete": "off"}),
    )
    amount = AmountField(
        label="Montant (€)",
        required=False,
        help_text="Laissez vide si le montant n'est pas connu : « montant non renseigné ».",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label="Précision",
        max_length=200,
        required=False,
        help_text="Facultatif : par exemple « pour le LAEP ».",
        error_messages={"max_length": "200 caractères au plus."},
    )


def line_initial(line) -> dict:
    return {"category": line.category, "label": line.label, "amount": _amount_text(line.amount)}


def funding_initial(funding) -> dict:
    return {
        "funder_name": funding.funder.name,
        "amount": "" if funding.amount is None else _amount_text(funding.amount),
        "note": funding.note,
    }


def _amount_text(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",").removesuffix(",00")
