from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "petitspas.directory"
    label = "directory"
    verbose_name = "Annuaire des partenaires"

    def ready(self):
        # "Orienter vers un partenaire" on the family file (families is below directory).
        from petitspas.directory import hooks

        hooks.install()
