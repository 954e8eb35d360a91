from django import forms
from dsfr.forms import DsfrBaseForm

from petitspas.core.forms import (
    ModelChoiceField,
    ModelMultipleChoiceField,
    ServiceFormMixin,
)
from petitspas.diagnosis.models import Area, Code
from petitspas.diagnosis.models.inquiry import BookletPart, Method

COUNT_ERRORS = {
    "invalid": "Écrivez un nombre entier.",
    "min_value": "Le nombre ne peut pas être négatif.",
    "max_value": "Le nombre ne peut pas dépasser 500.",
}


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=500, initial=0, error_messages=COUNT_ERRORS
    )


class RecordForm(ServiceFormMixin, DsfrBaseForm):
    held_on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": "Écrivez une date valide (jj/mm/aaaa).",
            "required": "Indiquez la date.",
        },
    )
    area = ModelChoiceField(
        label="Quartier",
        queryset=Area.objects.none(),
        error_messages={
            "required": "Choisissez le quartier.",
            "invalid_choice": "Ce quartier n'est pas l'un de ceux de l'organisation.",
        },
    )
    method = forms.ChoiceField(
        label="Méthode",
        choices=Method.choices,
        error_messages={"required": "Choisissez la méthode."},
    )
    title = forms.CharField(
        label="Intitulé",
        max_length=150,
        help_text="Sans nom : « Entretien avec une mère de trois enfants ».",
        error_messages={"required": "Donnez un intitulé."},
    )
    residents = _count("Habitants")
    parents = _count("Parents")
    professionals = _count("Professionnels")
    associations = _count("Membres d'associations")
    consent = forms.BooleanField(
        label="La personne a consenti à être nommée",
        required=False,
        help_text="Sans ce consentement, aucun nom n'est gardé.",
    )
    participant_name = forms.CharField(
        label="Nom de la personne (avec son consentement)", max_length=120, required=False
    )
    notes = forms.CharField(
        label="Notes de l'enquêteur",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Contexte, déroulé, impressions.",
    )
    transcript = forms.CharField(
        label="Transcription ou notes détaillées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Le texte que l'on code ensuite, passage par passage.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(organisation=organisation)


class PassageForm(ServiceFormMixin, DsfrBaseForm):
    excerpt = forms.CharField(
        label="Passage à coder",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Sélectionnez-le dans la transcription, ou copiez-le ici tel qu'il y est écrit.",
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    codes = ModelMultipleChoiceField(
        label="Thèmes et codes",
        queryset=Code.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un thème ou un code de la grille.",
            "invalid_choice": "Un des codes choisis n'est pas dans la grille de cette "
            "organisation.",
        },
    )
    comment = forms.CharField(label="Commentaire", max_length=300, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        codes = Code.objects.filter(organisation=organisation).select_related("parent")
        ordered = sorted(
            codes,
            key=lambda c: (
                (c.parent.position, c.parent.name, c.parent_id, 1, c.position, c.name)
                if c.parent_id
                else (c.position, c.name, c.pk, 0, 0, "")
            ),
        )
        self.fields["codes"].queryset = codes
        self.fields["codes"].choices = [
            (c.pk, f"{c.parent.name} › {c.name}" if c.parent_id else c.name) for c in ordered
        ]


class AttachmentForm(DsfrBaseForm):
    file = forms.FileField(
        label="Ajouter une pièce jointe",
        help_text="PDF, image, ODT, DOCX, TXT, MP3 ou M4A ; 20 Mo au plus.",
        error_messages={"required": "Choisissez un fichier.", "empty": "Ce fichier est vide."},
    )


class CodeForm(ServiceFormMixin, DsfrBaseForm):
    name = forms.CharField(label="Nom", max_length=120, error_messages={"required": "Nommez-le."})
    description = forms.CharField(
        label="Définition",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ce que l'on range sous ce nom, pour que tous codent de la même façon.",
    )


class CodeCreateForm(CodeForm):
    parent = ModelChoiceField(
        label="Thème",
        queryset=Code.objects.none(),
        required=False,
        empty_label="— Nouveau thème —",
        error_messages={"invalid_choice": "Ce thème n'est pas dans la grille."},
    )

    field_order = ["parent", "name", "description"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Code.objects.filter(
            organisation=organisation, parent__isnull=True
        )


class CodeEditForm(CodeForm):
    position = forms.IntegerField(
        label="Ordre",
        min_value=0,
        max_value=999,
        error_messages={"invalid": "Écrivez un nombre entier.", "min_value": "0 au moins."},
    )


class SectionForm(ServiceFormMixin, DsfrBaseForm):
    part = forms.ChoiceField(label="Partie", choices=BookletPart.choices)
    position = forms.IntegerField(
        label="Ordre dans la partie",
        min_value=0,
        max_value=999,
        initial=1,
        error_messages={"invalid": "Écrivez un nombre entier.", "min_value": "0 au moins."},
    )
    title = forms.CharField(
        label="Titre", max_length=150, error_messages={"required": "Donnez un titre."}
    )
    body = forms.CharField(
        label="Texte",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Une ligne vide sépare deux paragraphes.",
        error_messages={"required": "Écrivez le texte de la section."},
    )


class PublishForm(ServiceFormMixin, DsfrBaseForm):
    changes_note = forms.CharField(
        label="Ce qui a changé dans cette édition",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Imprimé en tête de l'édition, avec la liste des changements.",
    )
