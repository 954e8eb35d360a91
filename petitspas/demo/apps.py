from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "petitspas.demo"
    label = "demo"
