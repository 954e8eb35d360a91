import datetime

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from petitspas.core.forms import ModelChoiceField, ModelMultipleChoiceField, ServiceFormMixin
from petitspas.directory.models import MeetingItem, Structure


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(ServiceFormMixin, DsfrBaseForm):
    title = forms.CharField(label="Titre", max_length=200)
    day = forms.DateField(label="Date", widget=_date_input())
    starts = forms.TimeField(label="Début", widget=_time_input())
    ends = forms.TimeField(label="Fin", widget=_time_input())
    place = forms.CharField(label="Lieu", max_length=250)
    agenda = forms.CharField(
        label="Ordre du jour", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    capacity = forms.IntegerField(
        label="Places (sessions d'information)", min_value=1, max_value=500, required=False
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        day, starts, ends = data.pop("day"), data.pop("starts"), data.pop("ends")
        data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, starts))
        data["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, ends))
        return data

    service_fields = {"starts_at": "starts", "ends_at": "ends"}


class MinutesForm(ServiceFormMixin, DsfrBaseForm):
    minutes = forms.CharField(
        label="Compte rendu", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    kind = forms.ChoiceField(
        label="Ajouter", choices=MeetingItem.Kind.choices, widget=forms.RadioSelect, required=False
    )
    text = forms.CharField(label="Décision ou action", max_length=500, required=False)
    owner = ModelChoiceField(
        label="Porteur de l'action", queryset=Structure.objects.none(), required=False
    )
    owner_label = forms.CharField(
        label="… ou autre porteur",
        max_length=150,
        required=False,
        help_text="Par exemple : la coordination.",
    )
    due_on = forms.DateField(label="Échéance", required=False, widget=_date_input())

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["owner"].queryset = members

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "minutes": data["minutes"],
            "new_item": {
                key: data.get(key) for key in ("kind", "text", "owner", "owner_label", "due_on")
            },
        }


class RegistrationForm(ServiceFormMixin, DsfrBaseForm):
    structure = ModelChoiceField(label="Structure", queryset=Structure.objects.none())
    person_name = forms.CharField(label="Nom de la personne", max_length=150)
    email = forms.EmailField(label="Courriel de la personne")

    def __init__(self, *args, structures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if structures is not None:
            self.fields["structure"].queryset = structures


class MembersForm(ServiceFormMixin, DsfrBaseForm):
    structures = ModelMultipleChoiceField(
        label="Structures membres",
        queryset=Structure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["structures"].queryset = choices


class MeetingItemForm(ServiceFormMixin, DsfrBaseForm):
    """Correct one decision or action of the minutes."""

    kind = forms.ChoiceField(
        label="Type", choices=MeetingItem.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label="Décision ou action", max_length=500)
    owner = ModelChoiceField(
        label="Porteur de l'action", queryset=Structure.objects.none(), required=False
    )
    owner_label = forms.CharField(
        label="… ou autre porteur",
        max_length=150,
        required=False,
        help_text="Par exemple : la coordination.",
    )
    due_on = forms.DateField(label="Échéance", required=False, widget=_date_input())

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["owner"].queryset = members


class MeetingCancelForm(ServiceFormMixin, DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Envoyé aux partenaires avec l'annulation.",
        error_messages={
            "required": "Indiquez le motif : il est envoyé aux partenaires avec l'annulation."
        },
    )
