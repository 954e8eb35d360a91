from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "petitspas.agenda"
    label = "agenda"
