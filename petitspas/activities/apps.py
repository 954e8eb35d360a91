from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "petitspas.activities"
    label = "activities"
