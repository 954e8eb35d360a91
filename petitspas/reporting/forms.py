import datetime

from django import forms

from petitspas.activities.models import ActivityType
from petitspas.core.bounds import is_possible_day
from petitspas.places.models import Site

OUT_OF_BOUNDS = "Choisissez une date entre 2000 et 2100."
ORDER = "La fin de la période doit être après son début."
TOO_LONG = "Choisissez une période de cinq ans au plus."


class FiguresFilterForm(forms.Form):
    """The dashboard's filters (GET): a period, a site, an activity type of the programme."""

    start = forms.DateField(
        label="Du",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Date illisible : écrivez-la JJ/MM/AAAA."},
    )
    end = forms.DateField(
        label="Au",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Date illisible : écrivez-la JJ/MM/AAAA."},
    )
    site = forms.ModelChoiceField(
        label="Lieu",
        queryset=Site.objects.none(),
        required=False,
        empty_label="Tous les lieux",
        error_messages={"invalid_choice": "Ce lieu n'est pas un lieu du programme."},
    )
    activity_type = forms.ModelChoiceField(
        label="Activité",
        queryset=ActivityType.objects.none(),
        required=False,
        empty_label="Toutes les activités",
        error_messages={"invalid_choice": "Cette activité n'est pas une activité du programme."},
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(programme=programme).order_by("name")
        self.fields["activity_type"].queryset = ActivityType.objects.filter(
            programme=programme
        ).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name in ("start", "end"):
            if data.get(name) and not is_possible_day(data[name]):
                self.add_error(name, OUT_OF_BOUNDS)
                return data
        if start and end:
            if end < start:
                self.add_error("end", ORDER)
            elif end - start > datetime.timedelta(days=5 * 366):
                self.add_error("end", TOO_LONG)
        return data


def default_period(today: datetime.date) -> dict:
    """From 1 January to today: compared with the same days of the previous year."""
    return {"start": today.replace(month=1, day=1), "end": today}


class OrganisationFiguresFilterForm(FiguresFilterForm):
    """The organisation dashboard's filters (GET): a period only; sites and activity
    types belong to one programme."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, programme=None, **kwargs)
        del self.fields["site"]
        del self.fields["activity_type"]
