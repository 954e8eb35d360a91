"""Forms of the childcare team and its half-days; the services judge the rules."""

from django import forms
from dsfr.forms import DsfrBaseForm

from petitspas.childcare.models import Qualification
from petitspas.core.forms import ModelChoiceField, ServiceFormMixin

QUALIFICATION_CHOICES = [("", "Choisir la qualification")] + Qualification.choices


class StaffMemberForm(ServiceFormMixin, DsfrBaseForm):
    person = ModelChoiceField(
        label="Personne",
        queryset=None,
        empty_label="Choisir une personne de l'organisation",
        error_messages={
            "required": "Choisissez la personne à ajouter.",
            "invalid_choice": "Choisissez une personne de l'organisation qui n'est pas déjà "
            "dans l'équipe.",
        },
    )
    qualification = forms.ChoiceField(
        label="Qualification",
        choices=QUALIFICATION_CHOICES,
        error_messages={"required": "Choisissez la qualification."},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: u.get_full_name() or u.email


class StaffUpdateForm(ServiceFormMixin, DsfrBaseForm):
    qualification = forms.ChoiceField(
        label="Qualification",
        choices=Qualification.choices,
        error_messages={"required": "Choisissez la qualification."},
    )
    is_active = forms.BooleanField(label="Dans l'équipe", required=False)


class AssignForm(ServiceFormMixin, DsfrBaseForm):
    staff = ModelChoiceField(
        label="Ajouter une personne",
        queryset=None,
        empty_label="Choisir",
        error_messages={
            "required": "Choisissez la personne à prévoir.",
            "invalid_choice": "Choisissez une personne de l'équipe d'accueil de ce programme.",
        },
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = team
        self.fields["staff"].label_from_instance = lambda s: str(s)
