from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "petitspas.accounts"
    label = "accounts"
