from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "petitspas.directory"
    label = "directory"
    verbose_name = "Annuaire des partenaires"
