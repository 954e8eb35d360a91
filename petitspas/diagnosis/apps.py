from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "petitspas.diagnosis"
    label = "diagnosis"
    verbose_name = "Diagnostic territorial"

    def ready(self):
        # The diagnosis method is a part a programme's copy may carry.
        from petitspas.diagnosis import replication_method, services_replication

        services_replication.register_part(replication_method.PART)
