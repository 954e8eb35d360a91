from django import forms
from dsfr.forms import DsfrBaseForm

from petitspas.core.forms import ModelChoiceField, ServiceFormMixin
from petitspas.directory.models import Orientation, Service
from petitspas.directory.themes import SURESNES_GROUPS

FAMILY_CODE_HELP = "Facultatif : le code de son dossier, si elle en a un."


class AppointmentForm(ServiceFormMixin, DsfrBaseForm):
    service_fields = {"starts_at": "slot"}

    slot = forms.ChoiceField(
        label="Créneau libre",
        choices=(),
        error_messages={
            "invalid_choice": "Ce créneau n'est plus libre (pris entre-temps, ou passé) : "
            "choisissez-en un autre.",
            "required": "Choisissez un créneau.",
        },
    )
    family_code = forms.CharField(
        label="Code famille", max_length=20, required=False, help_text=FAMILY_CODE_HELP
    )
    first_name = forms.CharField(label="Prénom de la personne reçue", max_length=80, required=False)
    note = forms.CharField(
        label="Objet du rendez-vous",
        max_length=300,
        required=False,
        help_text="Sans nom de famille ni information de santé.",
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (slot.key, f"{slot.starts_at:%d/%m} {slot.key[-5:]}") for slot in slots
        ]


class VisitForm(ServiceFormMixin, DsfrBaseForm):
    day = forms.DateField(
        label="Date du passage", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    themes = forms.MultipleChoiceField(
        label="Thème(s) de la question",
        choices=[(name, name) for name in SURESNES_GROUPS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un des six thèmes."},
    )
    orientation_given = forms.CharField(label="Orientation donnée", max_length=300, required=False)
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sans nom : le passage reste anonyme.",
    )
    consent = forms.BooleanField(
        label="La famille accepte que son passage soit relié à son dossier", required=False
    )
    family_code = forms.CharField(
        label="Code famille",
        max_length=20,
        required=False,
        help_text="Seulement si la famille a accepté.",
    )


class OrientationForm(ServiceFormMixin, DsfrBaseForm):
    service = ModelChoiceField(
        label="Service partenaire",
        queryset=Service.objects.select_related("structure"),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le service vers lequel vous orientez la famille.",
            "invalid_choice": "Ce service n'existe plus dans l'annuaire : choisissez-en un autre.",
        },
    )
    note = forms.CharField(
        label="Note", max_length=300, required=False, help_text="Sans nom ni information de santé."
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [
            (service.pk, f"{service.nom} — {service.structure.nom}") for service in results
        ]


class FollowUpForm(ServiceFormMixin, DsfrBaseForm):
    outcome = forms.ChoiceField(
        label="L'orientation a-t-elle abouti ?",
        choices=Orientation.Outcome.choices,
        widget=forms.RadioSelect,
    )
    outcome_on = forms.DateField(
        label="Date du suivi",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class OrientationEditForm(OrientationForm):
    """Correct an orientation: its service (the current one, or one found by a search), its
    date, its note and its follow-up."""

    field_order = ["service", "day", "note", "outcome", "outcome_on"]

    day = forms.DateField(
        label="Date de l'orientation",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    outcome = forms.ChoiceField(
        label="L'orientation a-t-elle abouti ?",
        choices=Orientation.Outcome.choices,
        widget=forms.RadioSelect,
    )
    outcome_on = forms.DateField(
        label="Date du suivi",
        required=False,
        help_text="Obligatoire pour « Oui » ou « Non ».",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
