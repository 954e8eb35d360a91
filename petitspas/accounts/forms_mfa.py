from django import forms
from dsfr.forms import DsfrBaseForm


class CodeForm(DsfrBaseForm):
    """One code: the six digits of the application, or (at sign-in) a recovery code."""

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

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery:
            self.fields["code"].help_text = (
                "Les 6 chiffres affichés maintenant par votre application d'authentification, "
                "ou l'un de vos codes de secours (8 caractères)."
            )
        else:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
