"""The referral form (a parent and a formset of children) and the coordinator's decisions.

The services judge every rule (ages, contact, transitions); the forms only read what was
typed, and ``add_service_errors`` puts the services' messages back on the fields."""

from django import forms
from dsfr.forms import DsfrBaseForm

from petitspas.childcare.models import (
    AppointmentReason,
    BookingKind,
    EndReason,
    Pathway,
    RefusalReason,
)
from petitspas.core.forms import ModelChoiceField, ServiceFormMixin
from petitspas.organisations.models import Organisation

DATE_INVALID = "Indiquez une date valide, par exemple 14/03/2025."


def _date(label: str, *, required: bool = True, help_text: str = "", **messages):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_INVALID, **messages},
    )


class ReferralForm(ServiceFormMixin, DsfrBaseForm):
    programme = ModelChoiceField(
        label="Programme",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choisissez le programme vers lequel vous orientez."},
    )
    prescriber_organisation = ModelChoiceField(
        label="Votre organisation",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choisissez votre organisation."},
    )
    parent_first_name = forms.CharField(
        label="Prénom du parent",
        max_length=80,
        help_text="Le prénom seul, sans nom de famille.",
        error_messages={"required": "Indiquez le prénom du parent."},
    )
    contact_phone = forms.CharField(
        label="Téléphone du parent",
        max_length=20,
        required=False,
        help_text="Un téléphone ou une adresse électronique, pour que l'équipe rappelle.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    contact_email = forms.EmailField(
        label="Adresse électronique du parent",
        required=False,
        max_length=254,
        error_messages={"invalid": "Cette adresse électronique n'est pas valide."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    pathway = forms.ChoiceField(
        label="Parcours d'insertion",
        choices=[("", "Choisir le parcours")] + Pathway.choices,
        error_messages={"required": "Choisissez le parcours du parent."},
    )
    adviser_name = forms.CharField(
        label="Conseiller ou conseillère qui suit le parent",
        max_length=120,
        error_messages={"required": "Indiquez le nom du conseiller ou de la conseillère."},
    )
    needed_from = _date(
        "Besoin d'accueil à partir du",
        required=True,
        help_text="L'âge des enfants est vérifié à cette date : de 3 mois à 3 ans.",
    )
    needs = forms.CharField(
        label="Jours ou rendez-vous à couvrir",
        max_length=1000,
        help_text="Par exemple : mardis matin (formation), entretien le 12 mars à 14 h.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez les jours ou les rendez-vous à couvrir."},
    )
    comment = forms.CharField(
        label="Commentaire",
        max_length=1000,
        required=False,
        help_text="Ce que l'équipe doit savoir pour organiser l'accueil. Pas de donnée de santé.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, programmes, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["prescriber_organisation"].queryset = organisations
        self.fields["needed_from"].error_messages["required"] = (
            "Indiquez à partir de quand l'accueil est nécessaire."
        )
        # One choice is no choice: shown as text by the template, posted as hidden.
        for name, queryset in (
            ("programme", programmes),
            ("prescriber_organisation", organisations),
        ):
            if len(queryset) == 1:
                self.fields[name].widget = forms.HiddenInput()
                self.fields[name].initial = queryset[0].pk


class ChildForm(DsfrBaseForm):
    first_name = forms.CharField(
        label="Prénom de l'enfant",
        max_length=80,
        required=False,
    )
    birth_date = _date("Date de naissance", required=False)

    def clean(self):
        data = super().clean()
        first_name = (data.get("first_name") or "").strip()
        if first_name and not data.get("birth_date") and "birth_date" not in self.errors:
            self.add_error("birth_date", "Indiquez la date de naissance de l'enfant.")
        if data.get("birth_date") and not first_name:
            self.add_error("first_name", "Indiquez le prénom de l'enfant.")
        return data

    @property
    def is_filled(self) -> bool:
        return self.has_changed()


class BaseChildFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if i == 0:
            # At least one child: the first row is not optional.
            form.fields["first_name"].required = True
            form.fields["first_name"].error_messages["required"] = "Indiquez le prénom de l'enfant."
            form.fields["birth_date"].required = True
            form.fields["birth_date"].error_messages["required"] = (
                "Indiquez la date de naissance de l'enfant."
            )
            form.empty_permitted = False
        return form

    def children(self) -> list[dict]:
        """The rows filled in (blank ones left out), for the service."""
        return [
            {
                "first_name": form.cleaned_data["first_name"],
                "birth_date": form.cleaned_data["birth_date"],
            }
            for form in self.forms
            if form.has_changed() and form.cleaned_data.get("first_name")
        ]


ChildFormSet = forms.formset_factory(
    ChildForm, formset=BaseChildFormSet, extra=3, max_num=6, validate_max=True
)


class NoteMixin(forms.Form):
    note = forms.CharField(
        label="Note interne",
        required=False,
        max_length=1000,
        help_text="Gardée dans l'historique ; jamais montrée au prescripteur.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(ServiceFormMixin, NoteMixin, DsfrBaseForm):
    pass


class WaitForm(ServiceFormMixin, NoteMixin, DsfrBaseForm):
    pass


class AcceptForm(ServiceFormMixin, NoteMixin, DsfrBaseForm):
    starts_on = _date("Début de l'accueil")
    settling_in_until = _date(
        "Fin de l'adaptation",
        help_text="Pendant l'adaptation, l'enfant peut occuper la place d'adaptation.",
    )
    ends_on = _date("Fin de l'accueil prévue", required=False)
    reference_week = forms.MultipleChoiceField(
        label="Semaine de référence",
        required=False,
        help_text="Les demi-journées dont la famille a besoin d'habitude.",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, half_days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference_week"].choices = half_days
        self.fields["starts_on"].error_messages["required"] = "Indiquez le début de l'accueil."
        self.fields["settling_in_until"].error_messages["required"] = (
            "Indiquez la fin de l'adaptation."
        )


class RefuseForm(ServiceFormMixin, NoteMixin, DsfrBaseForm):
    reason = forms.ChoiceField(
        label="Motif du refus",
        choices=[("", "Choisir un motif")] + RefusalReason.choices,
        error_messages={"required": "Choisissez le motif du refus."},
    )
    reason_shared = forms.BooleanField(
        label="Motif partagé avec le prescripteur",
        required=False,
        help_text="Cochez pour que le prescripteur lise le motif dans son courriel et sur "
        "la page de l'orientation.",
    )


class EndForm(ServiceFormMixin, NoteMixin, DsfrBaseForm):
    reason = forms.ChoiceField(
        label="Motif de fin",
        choices=[("", "Choisir un motif")] + EndReason.choices,
        error_messages={"required": "Choisissez le motif de fin."},
    )


class PrescriberLinkForm(ServiceFormMixin, DsfrBaseForm):
    organisation = ModelChoiceField(
        label="Organisation prescriptrice",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Choisissez une organisation prescriptrice."},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PrescriberInviteForm(ServiceFormMixin, DsfrBaseForm):
    organisation = ModelChoiceField(
        label="Organisation prescriptrice",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"required": "Choisissez l'organisation du prescripteur."},
    )
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        error_messages={
            "required": "Indiquez l'adresse électronique de la personne.",
            "invalid": "Cette adresse électronique n'est pas valide.",
        },
    )
    first_name = forms.CharField(
        label="Prénom", max_length=150, error_messages={"required": "Indiquez le prénom."}
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, error_messages={"required": "Indiquez le nom."}
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


# --- Bookings of half-days -----------------------------------------------------------------


class BookingForm(ServiceFormMixin, DsfrBaseForm):
    """One half-day for one enrolled child (the site, day and half-day come from the page)."""

    enrolment = ModelChoiceField(
        label="Enfant",
        queryset=None,
        empty_label="Choisir un enfant inscrit",
        error_messages={
            "required": "Choisissez l'enfant.",
            "invalid_choice": "Choisissez un enfant inscrit ce jour-là.",
        },
        label_fields=("child__first_name", "child__birth_date"),
        label_from_values=lambda first_name, birth_date: (
            f"{first_name} ({birth_date:%d/%m/%Y})" if birth_date else first_name
        ),
    )
    kind = forms.ChoiceField(
        label="Place",
        choices=BookingKind.choices,
        initial=BookingKind.REGULAR,
        help_text="La 7e place ne prend qu'une adaptation ou une urgence.",
        error_messages={"required": "Choisissez la place."},
    )
    reason = forms.ChoiceField(
        label="Rendez-vous du parent",
        choices=[("", "Choisir le rendez-vous")] + AppointmentReason.choices,
        error_messages={"required": "Choisissez le rendez-vous du parent."},
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments


class PeriodBookingForm(ServiceFormMixin, DsfrBaseForm):
    """The enrolment's reference week over a period."""

    starts_on = _date("Du", required="Indiquez le premier jour.")
    ends_on = _date("Au (inclus)", required="Indiquez le dernier jour.")
    reason = forms.ChoiceField(
        label="Rendez-vous du parent",
        choices=[("", "Choisir le rendez-vous")] + AppointmentReason.choices,
        error_messages={"required": "Choisissez le rendez-vous du parent."},
    )
