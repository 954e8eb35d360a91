from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "petitspas.organisations"
    label = "organisations"
