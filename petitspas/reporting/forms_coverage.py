"""The coverage's forms: the hotels' CSV file and the département's reference figures."""

from django import forms

from petitspas.core.forms import ServiceFormMixin

NUMBER = "Écrivez un nombre entier, par exemple 127."


class HotelsFileForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV des hôtels sociaux",
        help_text="UTF-8, séparé par « ; » ou « , ». Colonnes : nom ; adresse ; code_insee ; "
        "enfants (et, si connus, latitude ; longitude ; lieu).",
        error_messages={
            "required": "Choisissez le fichier CSV à importer.",
            "empty": "Le fichier est vide.",
        },
    )


def _count(label: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10_000_000,
        required=required,
        error_messages={
            "required": "Indiquez ce nombre.",
            "invalid": NUMBER,
            "min_value": "Ce nombre ne peut pas être négatif.",
            "max_value": "Ce nombre semble trop grand : vérifiez-le.",
        },
    )


class ReferenceForm(ServiceFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reference-%s")
        super().__init__(*args, **kwargs)

    departement = forms.CharField(
        label="Département",
        max_length=3,
        help_text="Son numéro, par exemple 93.",
        error_messages={
            "required": "Indiquez le département.",
            "max_length": "Un numéro de département a 2 ou 3 caractères.",
        },
    )
    hotels = _count("Hôtels sociaux")
    children = _count("Enfants qui y vivent")
    children_0_6 = _count("Dont enfants de 0 à 6 ans", required=False)
    source = forms.CharField(
        label="Source",
        max_length=250,
        error_messages={
            "required": "Indiquez la source de ces chiffres.",
            "max_length": "250 caractères au plus.",
        },
    )
    year = forms.IntegerField(
        label="Année des chiffres",
        error_messages={"required": "Indiquez l'année des chiffres.", "invalid": NUMBER},
    )
