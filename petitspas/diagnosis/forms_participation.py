"""Forms of the diagnosis' participation pages; the services judge every rule."""

import datetime

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from petitspas.core.forms import ModelChoiceField, ModelMultipleChoiceField, ServiceFormMixin
from petitspas.diagnosis.models import PlaceProposal, WalkRegistration
from petitspas.directory.models import DIAGNOSIS_GROUP_KINDS, WorkingGroup

STOP_ROWS = 6


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _coordinate(label, low, high):
    return forms.FloatField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class ProposalForm(ServiceFormMixin, DsfrBaseForm):
    """The public form: a resident or a professional proposes a place for the map."""

    proposer = forms.ChoiceField(
        label="Vous êtes",
        choices=PlaceProposal.Proposer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Dites si vous êtes habitant ou professionnel."},
    )
    name = forms.CharField(
        label="Nom du lieu",
        max_length=150,
        error_messages={"required": "Indiquez le nom du lieu."},
    )
    address = forms.CharField(
        label="Adresse ou repère",
        max_length=250,
        error_messages={"required": "Indiquez son adresse ou un repère pour le trouver."},
        help_text="Par exemple : 12 rue Didot, ou « le square derrière la médiathèque ».",
    )
    description = forms.CharField(
        label="Pourquoi ce lieu compte pour les familles",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    latitude = _coordinate("Latitude", -90, 90)
    longitude = _coordinate("Longitude", -180, 180)
    # Left empty by people; robots fill it (hidden by the stylesheet, not by a script).
    website = forms.CharField(
        required=False,
        label="Ne pas remplir",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class DecisionForm(ServiceFormMixin, DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Décision", choices=[("validate", "Valider"), ("refuse", "Refuser")]
    )
    reason = forms.CharField(label="Motif du refus", max_length=250, required=False)
    latitude = _coordinate("Latitude", -90, 90)
    longitude = _coordinate("Longitude", -180, 180)


class WalkForm(ServiceFormMixin, DsfrBaseForm):
    title = forms.CharField(label="Titre", max_length=150)
    day = forms.DateField(label="Date", widget=_date_input())
    starts = forms.TimeField(label="Début", widget=_time_input())
    ends = forms.TimeField(label="Fin", widget=_time_input())
    guide = forms.CharField(label="Guide", max_length=150, help_text="Qui mène le parcours.")
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=200)
    description = forms.CharField(
        label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    service_fields = {"starts_at": "starts", "ends_at": "ends"}

    def __init__(self, *args, places=(), rows=STOP_ROWS, **kwargs):
        """``rows``: how many stop rows (more than ``STOP_ROWS`` to edit a longer walk)."""
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [("", "— Point libre (nom ci-dessous) —")] + [
            (p.key, f"{p.number}. {p.name} ({p.kind_label})") for p in places
        ]
        for row in range(1, rows + 1):
            self.fields[f"stop_{row}_place"] = forms.ChoiceField(
                label=f"Étape {row} : lieu", choices=choices, required=False
            )
            self.fields[f"stop_{row}_label"] = forms.CharField(
                label=f"Étape {row} : nom (point libre)", max_length=150, required=False
            )
            self.fields[f"stop_{row}_latitude"] = _coordinate(f"Étape {row} : latitude", -90, 90)
            self.fields[f"stop_{row}_longitude"] = _coordinate(
                f"Étape {row} : longitude", -180, 180
            )
            self.fields[f"stop_{row}_note"] = forms.CharField(
                label=f"Étape {row} : à voir, à dire", max_length=250, required=False
            )

    def stop_rows(self):
        """The stop fields row by row, for the template."""
        return [
            [
                self[f"stop_{row}_{part}"]
                for part in ("place", "label", "latitude", "longitude", "note")
            ]
            for row in range(1, self.rows + 1)
        ]

    def main_fields(self):
        return [
            self[name]
            for name in ("title", "day", "starts", "ends", "guide", "capacity", "description")
        ]

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("stop_")}
        day, starts, ends = data.pop("day"), data.pop("starts"), data.pop("ends")
        data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, starts))
        data["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, ends))
        data["stops"] = [
            {
                part: self.cleaned_data.get(f"stop_{row}_{part}")
                for part in ("place", "label", "latitude", "longitude", "note")
            }
            for row in range(1, self.rows + 1)
        ]
        return data


def walk_initial(walk, stops, places) -> dict:
    """What ``WalkForm`` shows of a walk to edit: its fields, and each stop as the form
    takes it (a resource place by its key, with only what differs from the place; else a
    free point)."""
    local = timezone.localtime
    initial = {
        "title": walk.title,
        "day": local(walk.starts_at).date(),
        "starts": local(walk.starts_at).time().replace(second=0, microsecond=0),
        "ends": local(walk.ends_at).time().replace(second=0, microsecond=0),
        "guide": walk.guide,
        "capacity": walk.capacity,
        "description": walk.description,
    }
    by_key = {p.key: p for p in places}
    for row, stop in enumerate(stops, 1):
        place = None
        if stop.structure_id or stop.site_id:
            kind = "structure" if stop.structure_id else "site"
            place = by_key.get(f"{kind}:{stop.structure_id or stop.site_id}")
        values = {"label": stop.label, "latitude": stop.latitude, "longitude": stop.longitude}
        if place is not None:
            values = {
                "place": place.key,
                "label": "" if stop.label == place.name else stop.label,
                "latitude": None if stop.latitude == place.lat else stop.latitude,
                "longitude": None if stop.longitude == place.lon else stop.longitude,
            }
        values["note"] = stop.note
        initial.update({f"stop_{row}_{part}": value for part, value in values.items()})
    return initial


class WalkRegistrationForm(ServiceFormMixin, DsfrBaseForm):
    kind = forms.ChoiceField(
        label="Inscrit comme", choices=WalkRegistration.Kind.choices, widget=forms.RadioSelect
    )
    first_name = forms.CharField(label="Prénom", max_length=80)
    structure_name = forms.CharField(
        label="Structure (professionnels)", max_length=150, required=False
    )
    contact = forms.CharField(label="Téléphone ou courriel", max_length=150, required=False)
    consent = forms.BooleanField(
        label="La personne accepte que son contact soit gardé pour ce parcours", required=False
    )


class GroupForm(ServiceFormMixin, DsfrBaseForm):
    name = forms.CharField(label="Nom du groupe", max_length=200)
    kind = forms.ChoiceField(
        label="Type",
        choices=[(k.value, k.label) for k in WorkingGroup.Kind if k in DIAGNOSIS_GROUP_KINDS],
    )
    description = forms.CharField(
        label="Rôle du groupe", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GroupPersonForm(ServiceFormMixin, DsfrBaseForm):
    user = ModelChoiceField(label="Un professionnel de l'équipe", queryset=None, required=False)
    first_name = forms.CharField(
        label="… ou un habitant : son prénom", max_length=80, required=False
    )
    contact = forms.CharField(label="Téléphone ou courriel", max_length=150, required=False)
    consent = forms.BooleanField(
        label="La personne accepte que son contact soit gardé", required=False
    )
    role = forms.CharField(label="Rôle dans le groupe", max_length=150, required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.email


class CohostsForm(ServiceFormMixin, DsfrBaseForm):
    structures = ModelMultipleChoiceField(
        label="Structures qui co-animent le lieu",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    labels = forms.CharField(
        label="Habitants qui co-animent le lieu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un nom par ligne, tel qu'ils souhaitent apparaître "
        "(par exemple : « Les habitantes du collectif Binet »).",
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structures"].queryset = structures

    def service_kwargs(self) -> dict:
        return {
            "structures": list(self.cleaned_data["structures"]),
            "labels": self.cleaned_data["labels"].splitlines(),
        }
