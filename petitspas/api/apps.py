from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "petitspas.api"
    label = "api"
