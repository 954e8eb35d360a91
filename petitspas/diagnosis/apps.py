from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "petitspas.diagnosis"
    label = "diagnosis"
    verbose_name = "Diagnostic territorial"

    def ready(self):
        from petitspas.diagnosis.cohosts import cohosts_by_site  # noqa: PLC0415
        from petitspas.places.hooks import provide_cohosts  # noqa: PLC0415

        provide_cohosts(cohosts_by_site)
