from django import forms
from dsfr.forms import DsfrBaseForm


class CodeForm(DsfrBaseForm):
    """The six digits of the authenticator application."""

    code = forms.CharField(
        label="Code de vérification",
        max_length=20,
        help_text="Les 6 chiffres affichés maintenant par votre application d'authentification.",
        error_messages={
            "required": "Saisissez le code.",
            "max_length": "Ce code est trop long : 6 chiffres, ou 8 caractères pour un code "
            "de secours.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class SignInCodeForm(CodeForm):
    """At sign-in a recovery code is good too: letters and digits."""

    code = forms.CharField(
        label="Code de vérification",
        max_length=20,
        help_text="Les 6 chiffres affichés maintenant par votre application d'authentification, "
        "ou l'un de vos codes de secours (8 caractères).",
        error_messages=CodeForm.base_fields["code"].error_messages,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("inputmode", None)
