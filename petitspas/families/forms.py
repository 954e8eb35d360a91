import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from petitspas.core.audit import action_label
from petitspas.core.forms import ServiceFormMixin
from petitspas.families.models import Household, Person
from petitspas.places.communes import get_commune
from petitspas.places.models import Site

INSEE_CODE = re.compile(r"\b(\d[\dAB]\d{3})\b")
DATE_WIDGET = {"type": "date"}


def _date_widget():
    return forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")


def social_hotels(*, user, organisations):
    """The social hotels the family may live in: sites of these organisations' programmes."""
    return (
        Site.objects.visible_to(user)
        .filter(kind=Site.Kind.SOCIAL_HOTEL, programme__organisation__in=organisations)
        .order_by("name")
    )


def refresh_fields(form) -> None:
    """DsfrBaseForm builds the bound fields in its __init__, which freezes their help text:
    rebuild them after changing fields, and style any field added since."""
    form._bound_fields_cache.clear()
    for visible in form.visible_fields():
        dsfr_input_class_attr(visible)


class OrganisationChoiceMixin:
    """A choice of organisation, shown only to staff of several organisations."""

    def _add_organisation_field(self, organisations):
        self.organisations = list(organisations)
        if len(self.organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Organisation"),
                choices=[(o.pk, o.name) for o in self.organisations],
                coerce=int,
            )
            self.order_fields(["organisation", *self.fields])

    @property
    def chosen_organisation(self):
        if len(self.organisations) == 1:
            return self.organisations[0]
        chosen = self.cleaned_data.get("organisation")
        return next(o for o in self.organisations if o.pk == chosen)


class HouseholdForm(ServiceFormMixin, OrganisationChoiceMixin, DsfrBaseForm, forms.ModelForm):
    """The family itself: code, town, housing, languages. No surname, no health data."""

    service_fields = {"commune_code": "commune", "town": "commune"}

    commune = forms.CharField(
        label=_("Commune"),
        required=False,
        help_text=_(
            "Tapez le nom de la commune puis choisissez-la, ou saisissez son code INSEE "
            "(facultatif)."
        ),
        widget=forms.TextInput(attrs={"list": "communes-proposees", "autocomplete": "off"}),
    )

    class Meta:
        model = Household
        fields = ["code", "commune", "housing", "housing_site", "languages"]
        labels = {"code": _("Code famille")}

    def __init__(self, *args, user, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = (
            _(
                "Jamais le nom de famille. Laissez vide pour qu'un code soit attribué "
                "(par exemple F-K7QMA)."
            )
            if self.instance.pk is None
            else _("Jamais le nom de famille.")
        )
        self.fields["housing_site"].queryset = social_hotels(user=user, organisations=organisations)
        self.fields["housing_site"].empty_label = _("— Aucun —")
        self.fields["housing_site"].help_text = _(
            "Seulement si la famille vit dans un hôtel social suivi par l'organisation."
        )
        self.fields["languages"].help_text = _(
            "Séparées par des virgules, par exemple : français, arabe, tamoul."
        )
        if self.instance.pk is None:
            self._add_organisation_field(organisations)
        elif not self.is_bound:
            instance = self.instance
            self.initial["commune"] = (
                f"{instance.town} — {instance.commune_code}"
                if instance.commune_code
                else instance.town
            )
        refresh_fields(self)

    def clean_commune(self):
        value = " ".join(self.cleaned_data["commune"].split())
        if not value:
            return None
        match = INSEE_CODE.search(value)
        commune = get_commune(match.group(1)) if match else None
        if commune is None:
            raise forms.ValidationError(
                _(
                    "« %(value)s » n'est pas une commune connue : choisissez-la dans la liste "
                    "proposée ou saisissez son code INSEE à 5 caractères."
                )
                % {"value": value}
            )
        return commune

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        commune = data.get("commune")
        return {
            "code": data.get("code") or None,
            "commune_code": commune.code if commune else "",
            "town": commune.name if commune else "",
            "housing": data["housing"],
            "housing_site": data.get("housing_site"),
            "languages": data.get("languages", ""),
        }


class PersonForm(ServiceFormMixin, DsfrBaseForm, forms.ModelForm):
    """A parent, a child (birth date) or an expected child (due date). The model's rules
    (``Person.clean``) run on validation."""

    class Meta:
        model = Person
        fields = ["role", "first_name", "birth_date", "due_date"]
        widgets = {"birth_date": _date_widget(), "due_date": _date_widget()}
        error_messages = {
            "role": {"required": _("Indiquez s'il s'agit d'un parent ou d'un enfant.")},
            "birth_date": {"invalid": _("Date invalide.")},
            "due_date": {"invalid": _("Date invalide.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("— Choisir —")), *Person.Role.choices]
        self.fields["first_name"].help_text = _("Le prénom seul, sans nom de famille.")
        self.fields["birth_date"].help_text = _("Pour un enfant.")
        self.fields["due_date"].help_text = _("Pour un enfant à naître.")
        refresh_fields(self)

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        return birth_date

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("role", "first_name", "birth_date", "due_date")}


class BasePeopleFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("Indiquez au moins une personne de la famille."))

    def people(self) -> list[Person]:
        """The rows filled in, as unsaved people (blank rows are left out)."""
        return [form.instance for form in self.forms if form.has_changed()]


PeopleFormSet = forms.formset_factory(
    PersonForm, formset=BasePeopleFormSet, extra=4, max_num=12, validate_max=True
)


class QuickHouseholdForm(ServiceFormMixin, OrganisationChoiceMixin, DsfrBaseForm):
    """In the field: a first name and, if the team uses one, a code; completed later."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=80,
        help_text=_("Le prénom seul, sans nom de famille."),
        error_messages={"required": _("Indiquez le prénom.")},
    )
    role = forms.ChoiceField(
        label=_("Place dans la famille"),
        choices=[(Person.Role.PARENT, _("Parent")), (Person.Role.CHILD, _("Enfant"))],
        initial=Person.Role.PARENT,
        widget=forms.RadioSelect,
    )
    code = forms.CharField(
        label=_("Code famille"),
        max_length=20,
        required=False,
        help_text=_("Laissez vide pour qu'un code soit attribué."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_organisation_field(organisations)
        refresh_fields(self)

    def service_kwargs(self) -> dict:
        # The organisation is chosen through ``chosen_organisation``, checked against the
        # user's own; an empty code means "draw one".
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "role": data["role"],
            "code": data["code"] or None,
        }


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label=_("Prénom ou code famille"), required=False, max_length=80)


# The log's dates: far enough back for any entry, and a bound that every database stores.
AUDIT_FIRST_DAY = datetime.date(2000, 1, 1)
AUDIT_LAST_DAY = datetime.date(2100, 12, 31)


class AuditFilterForm(DsfrBaseForm):
    """Filters of the audit log, shared by the page and its CSV export. Choices come from
    what the user may read: the organisations they administer, the people and actions in
    their trail. A field typed wrong is reported and left out; the others still apply."""

    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choisissez une organisation de la liste.")},
    )
    person = forms.TypedChoiceField(
        label=_("Personne"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choisissez une personne de la liste.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        error_messages={"invalid_choice": _("Choisissez une action de la liste.")},
    )
    date_from = forms.DateField(
        label=_("Du"),
        required=False,
        widget=_date_widget(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Saisissez une date valide, par exemple 31/12/2026.")},
    )
    date_to = forms.DateField(
        label=_("Au (inclus)"),
        required=False,
        widget=_date_widget(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Saisissez une date valide, par exemple 31/12/2026.")},
    )
    code = forms.CharField(
        label=_("Code famille"),
        required=False,
        max_length=20,
        help_text=_("Le code ou son début."),
    )

    def __init__(self, *args, organisations, people, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Toutes"))] + [
            (o.pk, o.name) for o in organisations
        ]
        if len(organisations) < 2:
            del self.fields["organisation"]
        self.fields["person"].choices = [("", _("Toutes les personnes"))] + [
            (p.pk, p.get_full_name() or p.email) for p in people
        ]
        self.fields["action"].choices = [("", _("Toutes les actions"))] + [
            (code, action_label(code)) for code in actions
        ]
        refresh_fields(self)

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not AUDIT_FIRST_DAY <= day <= AUDIT_LAST_DAY:
            raise forms.ValidationError(
                _("La date doit être comprise entre le %(first)s et le %(last)s.")
                % {
                    "first": f"{AUDIT_FIRST_DAY:%d/%m/%Y}",
                    "last": f"{AUDIT_LAST_DAY:%d/%m/%Y}",
                }
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to",
                _("La date de fin doit être égale ou postérieure à la date de début."),
            )
        return cleaned

    @property
    def filters(self) -> dict:
        """The valid filters, by name; call after ``is_valid()``."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name in self.fields
        }


class AnonymiseForm(DsfrBaseForm):
    """Irreversible: the family's code typed again confirms the right file."""

    confirmation = forms.CharField(
        label=_("Code de la famille, pour confirmer"),
        max_length=20,
        error_messages={"required": _("Recopiez le code de la famille pour confirmer.")},
    )

    def __init__(self, *args, household, **kwargs):
        self.household = household
        super().__init__(*args, **kwargs)

    def clean_confirmation(self):
        typed = " ".join(self.cleaned_data["confirmation"].split())
        if typed.upper() != self.household.code.upper():
            raise forms.ValidationError(
                _("Ce n'est pas le code de cette famille : rien n'a été anonymisé.")
            )
        return typed
