from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "petitspas.families"
    label = "families"
