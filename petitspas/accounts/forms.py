from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from dsfr.forms import DsfrBaseForm

from petitspas.accounts import services


class LoginForm(DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self):
        # Addresses are stored in lower case (UserManager): "Marie@…" signs in too.
        return self.cleaned_data["username"].strip().lower()


class ApiTokenForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître plus tard, par exemple « tableur de suivi ».",
        error_messages={"required": "Donnez un nom au jeton."},
    )


class ProfileForm(DsfrBaseForm):
    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        error_messages={
            "required": "Indiquez votre prénom.",
            "max_length": "150 caractères au plus.",
        },
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        error_messages={
            "required": "Indiquez votre nom.",
            "max_length": "150 caractères au plus.",
        },
    )


class ResetRequestForm(DsfrBaseForm, PasswordResetForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Celle avec laquelle vous vous connectez.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse électronique n'est pas valide.",
            "max_length": "Une adresse électronique compte 254 caractères au plus.",
        },
    )


# Django's own messages are translated, but these two read better in our words.
PASSWORD_MISMATCH = "Les deux mots de passe ne sont pas identiques."
PASSWORD_INCORRECT = "Votre mot de passe actuel est incorrect. Saisissez-le à nouveau."


class NewPasswordForm(DsfrBaseForm, SetPasswordForm):
    """The new password from a reset link; saving goes through the service (logged, and
    it lifts a sign-in lock)."""

    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": PASSWORD_MISMATCH}

    def save(self, commit=True):
        return services.password_reset(user=self.user, password=self.cleaned_data["new_password1"])


class ChangePasswordForm(DsfrBaseForm, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": PASSWORD_INCORRECT,
    }

    def save(self, commit=True):
        return services.password_change(user=self.user, password=self.cleaned_data["new_password1"])
