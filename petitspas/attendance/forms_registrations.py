"""The registrations page's forms: each button posts one action with the ids it is about;
the ids go through the session's door in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from petitspas.core.forms import ServiceFormMixin

SCOPE_SESSION = "session"
SCOPE_SERIES = "series"


class RegistrationActionForm(forms.Form):
    """One action of the registrations page: register a household (``household``, with the
    ``code`` the family gave when it is not a file the user may open), register a new
    family (``first_name``), unregister, the family's answer to a place offered, a request
    from the agenda accepted or declined."""

    ACTIONS = (
        "register",
        "create",
        "remove",
        "accept",
        "decline",
        "request-accept",
        "request-decline",
    )

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    scope = forms.ChoiceField(
        choices=[(SCOPE_SESSION, SCOPE_SESSION), (SCOPE_SERIES, SCOPE_SERIES)],
        required=False,
    )
    household = forms.IntegerField(required=False, min_value=1)
    registration = forms.IntegerField(required=False, min_value=1)
    place_request = forms.IntegerField(required=False, min_value=1)
    code = forms.CharField(
        label="Code famille (facultatif)",
        help_text="Si la famille a déjà un code, indiquez-le en entier ; sinon elle est créée.",
        required=False,
        max_length=20,
    )
    first_name = forms.CharField(
        label="Prénom du parent",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "fr-input", "autocomplete": "off"}),
    )

    @property
    def whole_series(self) -> bool:
        return self.cleaned_data.get("scope") == SCOPE_SERIES


class PlaceRequestForm(ServiceFormMixin, forms.Form):
    """The public agenda's request for a place, without an account."""

    first_name = forms.CharField(
        label=_("Votre prénom"),
        max_length=80,
        error_messages={"required": _("Indiquez votre prénom.")},
        widget=forms.TextInput(attrs={"class": "fr-input", "autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"class": "fr-input", "autocomplete": "tel", "inputmode": "tel", "type": "tel"}
        ),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Cette adresse électronique n'est pas valide.")},
        widget=forms.EmailInput(attrs={"class": "fr-input", "autocomplete": "email"}),
    )
    children = forms.IntegerField(
        label=_("Nombre d'enfants qui viennent"),
        min_value=0,
        max_value=12,
        error_messages={
            "required": _("Indiquez le nombre d'enfants (0 si vous venez sans enfant)."),
            "invalid": _("Indiquez le nombre d'enfants en chiffres."),
            "min_value": _("Indiquez un nombre d'enfants entre 0 et 12."),
            "max_value": _("Indiquez un nombre d'enfants entre 0 et 12."),
        },
        widget=forms.NumberInput(attrs={"class": "fr-input", "inputmode": "numeric"}),
    )
    consent = forms.BooleanField(
        label=_("J'accepte que l'équipe garde ces informations pour me répondre."),
        required=False,
    )
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(required=False, max_length=200)

    def add_error(self, field, error):
        """A field in error is marked so (DSFR) and points to its message."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and name != "consent":
                attrs = self.fields[name].widget.attrs
                attrs["class"] = "fr-input fr-input--error"
                attrs["aria-describedby"] = f"id_{name}-errors"
                attrs["aria-invalid"] = "true"
