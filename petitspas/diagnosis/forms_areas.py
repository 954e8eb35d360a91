import json
import re

from django import forms
from dsfr.forms import DsfrBaseForm

from petitspas.core.bounds import FIRST_DAY, LAST_DAY, is_possible_day
from petitspas.core.forms import ModelChoiceField, ModelMultipleChoiceField, ServiceFormMixin
from petitspas.organisations.models import Programme

BAD_GEOJSON = "Le contour n'est pas du GeoJSON lisible : redessinez-le sur la carte."


class _OrganisationMixin:
    """An organisation field, shown only to those who write for several."""

    def _organisation_field(self, organisations):
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()


class AreaForm(_OrganisationMixin, ServiceFormMixin, DsfrBaseForm):
    organisation = ModelChoiceField(label="Organisation", queryset=None)
    name = forms.CharField(label="Nom du quartier", max_length=150)
    commune = forms.CharField(
        label="Commune ou arrondissement (code INSEE)",
        max_length=5,
        help_text="5 caractères : 75112 pour le 12e arrondissement de Paris.",
    )
    programme = ModelChoiceField(label="Programme", queryset=None, required=False)
    iris_codes = forms.CharField(
        label="IRIS du quartier",
        required=False,
        help_text="Codes IRIS à 9 chiffres, séparés par des virgules ou des espaces "
        "(laissez vide pour un contour dessiné).",
    )
    geometry = forms.CharField(
        label="Contour (GeoJSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Rempli par la carte quand vous dessinez ; vous pouvez aussi y coller un "
        "Polygon ou un MultiPolygon GeoJSON.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self._organisation_field(organisations)
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation__in=organisations
        ).order_by("name")

    def clean_iris_codes(self):
        return [c for c in re.split(r"[\s,;]+", self.cleaned_data["iris_codes"]) if c]

    def clean_geometry(self):
        text = self.cleaned_data["geometry"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(BAD_GEOJSON) from error
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        if isinstance(value, dict) and value.get("type") == "FeatureCollection":
            features = value.get("features") or [{}]
            value = features[0].get("geometry") if len(features) == 1 else value
        return value


class BoundariesImportForm(_OrganisationMixin, DsfrBaseForm):
    organisation = ModelChoiceField(label="Organisation", queryset=None)
    file = forms.FileField(
        label="Fichier GeoJSON des contours IRIS",
        help_text="Une FeatureCollection en WGS 84 (longitude, latitude), avec les propriétés "
        "CODE_IRIS, NOM_IRIS, INSEE_COM, et QUARTIER pour grouper des IRIS en quartier.",
    )
    source = forms.CharField(label="Source", max_length=200, initial="IGN, Contours IRIS")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self._organisation_field(organisations)


class IndicatorsUploadForm(_OrganisationMixin, DsfrBaseForm):
    organisation = ModelChoiceField(label="Organisation", queryset=None)
    file = forms.FileField(
        label="Fichier CSV des indicateurs",
        help_text="Une ligne par IRIS, commune ou quartier (la forme des fichiers « base "
        "infracommunale » de l'INSEE), séparateur point-virgule ou virgule.",
    )
    source = forms.CharField(
        label="Source", max_length=200, help_text="Par exemple « INSEE, RP 2021 »."
    )
    year = forms.IntegerField(
        label="Année des données",
        required=False,
        help_text="Inutile quand les colonnes la portent (P21_POP : 2021).",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self._organisation_field(organisations)


IGNORE = ""


class MappingForm(ServiceFormMixin, DsfrBaseForm):
    """The columns of an uploaded file: which gives the place, which indicator each other
    gives. The file's text travels in a hidden field, so nothing is uploaded twice."""

    organisation = forms.IntegerField(widget=forms.HiddenInput())
    text = forms.CharField(widget=forms.HiddenInput(), strip=False)
    source = forms.CharField(widget=forms.HiddenInput(), max_length=200)
    year = forms.IntegerField(widget=forms.HiddenInput(), required=False)
    place_column = forms.ChoiceField(label="Colonne du lieu (code IRIS, code INSEE ou quartier)")

    def __init__(self, *args, header, indicators, mapping=None, **kwargs):
        super().__init__(*args, **kwargs)
        mapping = mapping or {}
        self.header = header
        self.fields["place_column"].choices = [("", "—")] + [(c, c) for c in header]
        choices = [(IGNORE, "Ne pas importer")] + [(i.code, i.label) for i in indicators]
        self.column_fields = []
        for index, column in enumerate(header):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"Colonne « {column} »", choices=choices, required=False
            )
            self.fields[name].initial = mapping.get(column, IGNORE)
            self.column_fields.append(name)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "source": data["source"],
            "year": data["year"],
            "place_column": data["place_column"],
            "columns": {
                column: data.get(f"col_{index}") or IGNORE
                for index, column in enumerate(self.header)
                if column != data["place_column"]
            },
        }


class ImpactForm(DsfrBaseForm):
    on = forms.DateField(
        label="Date de l'action",
        help_text="Les indicateurs avant et après cette date.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    months = forms.IntegerField(
        label="Durée comparée (mois)", min_value=1, max_value=36, initial=12
    )
    indicators = ModelMultipleChoiceField(
        label="Indicateurs", queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = indicators

    def clean_on(self):
        on = self.cleaned_data["on"]
        if not is_possible_day(on):
            raise forms.ValidationError(
                f"Choisissez une date entre {FIRST_DAY.year} et {LAST_DAY.year}."
            )
        return on
