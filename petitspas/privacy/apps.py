from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Rights of access and erasure, and the retention job: they read and cancel rows of
    every app that holds a family's data, so they sit above all of them."""

    name = "petitspas.privacy"
    label = "privacy"
