from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "petitspas.core"
    label = "core"
