from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "petitspas.places"
    label = "places"
