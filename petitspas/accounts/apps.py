from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "petitspas.accounts"
    label = "accounts"

    def ready(self):
        # Connects the sign-in signal that records whether a code is due.
        from petitspas.accounts import mfa  # noqa: F401
