from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "petitspas.diagnosis"
    label = "diagnosis"
    verbose_name = "Diagnostic territorial"

    def ready(self):
        from petitspas.core.scoping import provide_membership_fact
        from petitspas.diagnosis import replication_method, services_replication
        from petitspas.diagnosis.permissions_areas import HAS_AREAS, has_areas

        # The menu shows « Diagnostic territorial » to the staff of organisations with
        # areas: read with the memberships, once per request.
        provide_membership_fact(HAS_AREAS, has_areas)
        # The diagnosis method is a part a programme's copy may carry.
        services_replication.register_part(replication_method.PART)
