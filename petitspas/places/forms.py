import datetime
import re

from django import forms
from dsfr.forms import DsfrBaseForm

from petitspas.places.communes import get_commune
from petitspas.places.models import (
    HalfDay,
    SchoolHolidayRule,
    Site,
    SiteClosure,
    SiteRelocation,
    Weekday,
    WeeklyOpening,
)
from petitspas.places.services import check_weekly_pattern

INSEE_CODE = re.compile(r"\b(\d[\dAB]\d{3})\b")
POSTCODE = re.compile(r"^\d{5}$")
DEFAULT_HOURS = {
    HalfDay.MORNING: (datetime.time(9, 0), datetime.time(12, 0)),
    HalfDay.AFTERNOON: (datetime.time(14, 0), datetime.time(17, 0)),
}


class SiteForm(DsfrBaseForm, forms.ModelForm):
    """The site itself. The commune is picked by name (datalist) or typed as an INSEE code,
    and must match the postcode, from the official list of communes."""

    commune = forms.CharField(
        label="Commune",
        help_text="Tapez le nom de la commune puis choisissez-la, ou saisissez son code INSEE "
        "(5 caractères, par exemple 34145 pour Lunel).",
        widget=forms.TextInput(attrs={"list": "communes-proposees", "autocomplete": "off"}),
        error_messages={"required": "Indiquez la commune du lieu."},
    )

    class Meta:
        model = Site
        fields = [
            "programme",
            "name",
            "kind",
            "address",
            "postcode",
            "commune",
            "latitude",
            "longitude",
            "is_qpv",
            "access_notes",
        ]
        widgets = {"access_notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": "Donnez un nom au lieu."},
            "address": {"required": "Indiquez l'adresse du lieu."},
            "postcode": {"required": "Indiquez le code postal."},
            "programme": {"required": "Choisissez le programme."},
            "kind": {"required": "Choisissez le type de lieu."},
        }

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = None
        self.fields["latitude"].help_text = "Par exemple 43.67445 (facultatif)."
        self.fields["longitude"].help_text = "Par exemple 4.13606 (facultatif)."
        if self.instance.pk and not self.is_bound:
            self.initial["commune"] = f"{self.instance.town} — {self.instance.commune_code}"

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if not POSTCODE.match(postcode):
            raise forms.ValidationError("Le code postal doit comporter 5 chiffres.")
        return postcode

    def clean_commune(self):
        value = self.cleaned_data["commune"].strip()
        match = INSEE_CODE.search(value)
        commune = get_commune(match.group(1)) if match else None
        if commune is None:
            raise forms.ValidationError(
                f"« {value} » n'est pas un code INSEE de commune connu : choisissez la commune "
                "dans la liste proposée ou saisissez son code à 5 caractères."
            )
        return commune

    def clean(self):
        cleaned = super().clean()
        commune, postcode = cleaned.get("commune"), cleaned.get("postcode")
        if commune and postcode and postcode not in commune.postcodes:
            self.add_error(
                "postcode",
                f"Le code postal {postcode} ne correspond pas à {commune.name} "
                f"(codes postaux : {', '.join(commune.postcodes)}).",
            )
        return cleaned

    def _post_clean(self):
        commune = self.cleaned_data.get("commune")
        if commune:
            self.instance.commune_code = commune.code
            self.instance.town = commune.name
            self.instance.departement = commune.departement
        super()._post_clean()


class WeeklyPatternForm(forms.Form):
    """The week by half-day: for each of the 14 half-days, open or not, hours and the
    school-holiday rule. Rendered as a table (see places/_weekly_pattern.html)."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        existing = {(row.weekday, row.half_day): row for row in rows}
        self.slots = []
        for weekday in Weekday:
            for half_day in HalfDay:
                key = f"{weekday.value}{half_day.value}"
                row = existing.get((weekday.value, half_day.value))
                opens, closes = DEFAULT_HOURS[half_day]
                label = f"{weekday.label} {half_day.label}"
                self.fields[f"{key}_open"] = forms.BooleanField(
                    label=f"Ouvert le {label}", required=False, initial=row is not None
                )
                self.fields[f"{key}_opens"] = forms.TimeField(
                    label=f"Ouverture le {label}",
                    required=False,
                    initial=row.opens_at if row else opens,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    error_messages={"invalid": "Heure invalide (HH:MM)."},
                )
                self.fields[f"{key}_closes"] = forms.TimeField(
                    label=f"Fermeture le {label}",
                    required=False,
                    initial=row.closes_at if row else closes,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    error_messages={"invalid": "Heure invalide (HH:MM)."},
                )
                self.fields[f"{key}_rule"] = forms.ChoiceField(
                    label=f"Vacances scolaires le {label}",
                    choices=SchoolHolidayRule.choices,
                    required=False,
                    initial=row.school_holidays if row else SchoolHolidayRule.ALWAYS,
                )
                self.slots.append((weekday, half_day, key))

    def rows_for_display(self):
        """One entry per half-day with its four bound fields, for the template."""
        return [
            {
                "weekday": weekday,
                "half_day": half_day,
                "open": self[f"{key}_open"],
                "opens": self[f"{key}_opens"],
                "closes": self[f"{key}_closes"],
                "rule": self[f"{key}_rule"],
            }
            for weekday, half_day, key in self.slots
        ]

    def clean(self):
        cleaned = super().clean()
        rows = []
        for weekday, half_day, key in self.slots:
            if not cleaned.get(f"{key}_open"):
                continue
            opens, closes = cleaned.get(f"{key}_opens"), cleaned.get(f"{key}_closes")
            label = f"le {weekday.label} {half_day.label}"
            if opens is None or closes is None:
                if f"{key}_opens" not in self.errors and f"{key}_closes" not in self.errors:
                    self.add_error(f"{key}_opens", f"Indiquez les heures d'ouverture {label}.")
                continue
            rows.append(
                WeeklyOpening(
                    weekday=weekday.value,
                    half_day=half_day.value,
                    opens_at=opens,
                    closes_at=closes,
                    school_holidays=cleaned.get(f"{key}_rule") or SchoolHolidayRule.ALWAYS,
                )
            )
        if not rows and not self.errors:
            raise forms.ValidationError("Cochez au moins une demi-journée d'ouverture.")
        check_weekly_pattern(rows)
        self.weekly_rows = rows
        return cleaned


class SiteClosureForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = SiteClosure
        fields = ["starts_on", "ends_on", "half_day", "reason"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "starts_on": {"required": "Indiquez le premier jour de fermeture."},
            "ends_on": {"required": "Indiquez le dernier jour de fermeture."},
            "reason": {"required": "Indiquez le motif de la fermeture."},
        }


class SiteRelocationForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = SiteRelocation
        fields = ["starts_on", "ends_on", "place_name", "address", "reason"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "starts_on": {"required": "Indiquez la date du déménagement."},
            "place_name": {"required": "Indiquez le lieu d'accueil."},
        }
