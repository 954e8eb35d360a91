from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "petitspas.diagnosis"
    label = "diagnosis"
    verbose_name = "Diagnostic territorial"
