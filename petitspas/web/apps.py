from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "petitspas.web"
    label = "web"
