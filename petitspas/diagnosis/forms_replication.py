"""The two steps of "Copier vers un autre territoire": what to copy and where (step 1, read
from the query string, so that the preview is a link), then what each site of the source
becomes (step 2, posted with step 1's values carried along)."""

import datetime
import re

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from petitspas.activities.models import ActivityType, Series
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS, is_possible_day
from petitspas.core.forms import ModelChoiceField, ModelMultipleChoiceField, ServiceFormMixin
from petitspas.diagnosis.permissions_replication import can_copy_budget, copy_targets
from petitspas.diagnosis.services_replication import (
    SAME_ORGANISATION,
    NewSite,
    SiteTarget,
    budget_years,
    parts_available,
    series_label,
    series_patterns,
)
from petitspas.places.models import Site

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_YOURS = "Choisissez une organisation que vous administrez ou coordonnez."
NEW, SKIP, JOIN = "new", "skip", "join-"
POSTCODE = re.compile(r"^\d{5}$")
NEW_SITE_REQUIRED = {
    "name": "Donnez un nom au nouveau lieu.",
    "kind": "Choisissez le type de lieu.",
    "address": "Indiquez l'adresse du nouveau lieu.",
    "postcode": "Indiquez le code postal.",
    "commune": "Indiquez la commune du nouveau lieu.",
}


def _possible_day(day):
    if not is_possible_day(day):
        raise forms.ValidationError(DAY_OUT_OF_BOUNDS)


def _date_field(label, required, help_text=""):
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=DATE_WIDGET,
        validators=[_possible_day],
        error_messages={"required": required, "invalid": "Date invalide (JJ/MM/AAAA)."},
    )


class TargetField(ModelChoiceField):
    """The organisations the user plans in, less the programme's own: that one, asked for
    anyway (a link kept from before), gets the service's own message."""

    source_organisation = None

    def to_python(self, value):
        if self.source_organisation is not None and str(value) == str(self.source_organisation.pk):
            raise forms.ValidationError(
                SAME_ORGANISATION.format(organisation=self.source_organisation.name)
            )
        return super().to_python(value)


class SeriesPatternField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return series_label(obj)


class CopyChoiceForm(ServiceFormMixin, DsfrBaseForm):
    """Step 1: the organisation that takes the model up, the copy's name and period, and
    what is copied."""

    organisation = TargetField(
        label="Organisation qui reprend le programme",
        queryset=None,
        help_text="Une organisation dont vous êtes administrateur ou coordinateur.",
        error_messages={
            "required": "Choisissez l'organisation qui reprend le programme.",
            "invalid_choice": NOT_YOURS,
        },
    )
    name = forms.CharField(
        label="Nom du programme copié",
        max_length=200,
        error_messages={"required": "Donnez un nom au programme copié."},
    )
    starts_on = _date_field(
        "Premières séances à partir du",
        "Indiquez à partir de quand planifier les séances.",
        "Aujourd'hui au plus tôt : aucune séance n'est créée dans le passé.",
    )
    ends_on = _date_field(
        "Dernières séances jusqu'au (inclus)",
        "Indiquez jusqu'à quand planifier les séances.",
        "Trois ans au plus.",
    )
    activity_types = ModelMultipleChoiceField(
        label="Activités proposées",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    series = SeriesPatternField(
        label="Séries (règles de récurrence, horaires, lieux)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chaque série est planifiée à nouveau sur la période choisie, dans les "
        "lieux qui reprennent les siens.",
    )

    def __init__(self, *args, source, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["organisation"].queryset = copy_targets(user, source=source)
        self.fields["organisation"].source_organisation = source.organisation
        activities = ActivityType.objects.filter(programme=source).order_by("name")
        self.fields["activity_types"].queryset = activities
        patterns = series_patterns(source)
        self.fields["series"].queryset = Series.objects.filter(
            pk__in=[s.pk for s in patterns]
        ).select_related("activity_type")
        if not self.is_bound:
            today = timezone.localdate()
            starts_on = today + datetime.timedelta(days=7 - today.weekday())
            self.initial.update(
                name=source.name,
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=364),
                activity_types=list(activities),
                series=[s.pk for s in patterns],
            )
        years = budget_years(source) if can_copy_budget(user, source) else []
        if years:
            self.fields["budget_year"] = forms.TypedChoiceField(
                label="Budget",
                choices=[("", "Ne pas copier le budget")]
                + [(str(year), f"Copier les lignes du budget {year}") for year in years],
                coerce=int,
                empty_value=None,
                required=False,
                help_text="Les lignes (postes, libellés, montants) deviennent le budget de "
                "l'année des premières séances ; les financeurs ne sont pas copiés.",
            )
            if not self.is_bound:
                self.initial["budget_year"] = str(years[0])
        parts = parts_available(source, user)
        if parts:
            self.fields["parts"] = forms.MultipleChoiceField(
                label="Autres éléments du modèle",
                choices=[(part.key, part.label) for part in parts],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def service_kwargs(self) -> dict:
        kwargs = super().service_kwargs()
        kwargs.setdefault("budget_year", None)
        kwargs.setdefault("parts", [])
        return kwargs


class SiteTargetForm(DsfrBaseForm):
    """Step 2, one per site of the source: what it becomes in the copy, and the new place's
    name and address when it is a new one."""

    fate = forms.ChoiceField(label="Dans la copie, ce lieu devient", widget=forms.RadioSelect)
    name = forms.CharField(label="Nom du nouveau lieu", max_length=200, required=False)
    kind = forms.ChoiceField(label="Type de lieu", choices=Site.Kind.choices, required=False)
    address = forms.CharField(label="Adresse", max_length=250, required=False)
    postcode = forms.CharField(label="Code postal", max_length=5, required=False)
    commune = forms.CharField(
        label="Commune",
        max_length=120,
        required=False,
        help_text="Son nom (avec le code postal) ou son code INSEE, par exemple 93008.",
    )
    is_qpv = forms.BooleanField(
        label="Quartier prioritaire de la politique de la ville (QPV)", required=False
    )

    def __init__(self, *args, source_site: Site, others: list[Site], **kwargs):
        super().__init__(*args, **kwargs)
        self.source_site = source_site
        self.fields["fate"].choices = (
            [(NEW, "Un nouveau lieu, décrit ci-dessous")]
            + [
                (f"{JOIN}{other.pk}", f"Le même nouveau lieu que « {other.name} »")
                for other in others
            ]
            + [(SKIP, "Rien : ce lieu n'est pas repris")]
        )
        # The new place's fields are required when it is a new place, and only then.
        fate = self.data.get(self.add_prefix("fate")) if self.is_bound else NEW
        for field, message in NEW_SITE_REQUIRED.items():
            self.fields[field].required = fate == NEW
            self.fields[field].error_messages["required"] = message
        if not self.is_bound:
            self.initial.update(
                fate=NEW if source_site.is_active else SKIP,
                kind=source_site.kind,
                is_qpv=source_site.is_qpv,
            )

    def clean(self):
        cleaned = super().clean()
        postcode = (cleaned.get("postcode") or "").strip()
        if cleaned.get("fate") == NEW and postcode and not POSTCODE.match(postcode):
            self.add_error("postcode", "Le code postal doit comporter 5 chiffres.")
        return cleaned

    def target(self, sites_by_pk: dict[int, Site]):
        """The service's ``SiteTarget`` for this site (valid forms only)."""
        fate = self.cleaned_data["fate"]
        if fate == NEW:
            data = self.cleaned_data
            return SiteTarget(
                source=self.source_site,
                new=NewSite(
                    name=data["name"],
                    kind=data["kind"],
                    address=data["address"],
                    postcode=data["postcode"].strip(),
                    commune=data["commune"],
                    is_qpv=data["is_qpv"],
                ),
            )
        if fate.startswith(JOIN):
            return SiteTarget(source=self.source_site, join=sites_by_pk[int(fate[len(JOIN) :])])
        return SiteTarget(source=self.source_site)
