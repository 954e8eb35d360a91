from django import forms

from petitspas.directory.models import Service, Structure
from petitspas.directory.themes import (
    FRAIS,
    MOBILISABLE_PAR,
    MODES_ACCUEIL,
    MODES_MOBILISATION,
    PUBLICS,
    grouped_thematique_choices,
)


def _multi(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class StructureForm(forms.ModelForm):
    site_web = forms.URLField(label="Site web", required=False, assume_scheme="https")

    class Meta:
        model = Structure
        fields = [
            "nom",
            "description",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "code_insee",
            "latitude",
            "longitude",
            "telephone",
            "courriel",
            "site_web",
            "horaires_accueil",
            "siret",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ServiceForm(forms.ModelForm):
    thematiques = _multi("Thématiques", grouped_thematique_choices())
    publics = _multi("Publics", list(PUBLICS.items()))
    frais = forms.ChoiceField(
        label="Frais", choices=[("", "Non précisé"), *FRAIS.items()], required=False
    )
    modes_accueil = _multi("Modes d'accueil", list(MODES_ACCUEIL.items()))
    modes_mobilisation = _multi("Comment mobiliser le service", list(MODES_MOBILISATION.items()))
    mobilisable_par = _multi("Qui peut le mobiliser", list(MOBILISABLE_PAR.items()))
    zone_eligibilite = forms.CharField(
        label="Zone d'éligibilité",
        required=False,
        help_text="Codes INSEE de communes ou de départements séparés par des virgules "
        "(92073 pour Suresnes, 92 pour les Hauts-de-Seine), ou « france ».",
    )

    class Meta:
        model = Service
        fields = [
            "nom",
            "description",
            "thematiques",
            "publics",
            "publics_precisions",
            "frais",
            "frais_precisions",
            "conditions_acces",
            "modes_accueil",
            "modes_mobilisation",
            "mobilisable_par",
            "mobilisation_precisions",
            "zone_eligibilite",
            "horaires_accueil",
            "telephone",
            "courriel",
            "contact_nom_prenom",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["zone_eligibilite"] = ", ".join(self.instance.zone_eligibilite or [])

    def clean_zone_eligibilite(self):
        text = self.cleaned_data.get("zone_eligibilite") or ""
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
