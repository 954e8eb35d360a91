from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "petitspas.diagnosis"
    label = "diagnosis"
    verbose_name = "Diagnostic territorial"

    def ready(self):
        from petitspas.core.scoping import provide_membership_fact
        from petitspas.diagnosis import replication_method, services_replication
        from petitspas.diagnosis.cohosts import cohosts_by_site
        from petitspas.diagnosis.permissions_areas import HAS_AREAS, has_areas
        from petitspas.places.hooks import provide_cohosts

        # The menu shows « Diagnostic territorial » to the staff of organisations with
        # areas: read with the memberships, once per request.
        provide_membership_fact(HAS_AREAS, has_areas)
        # The diagnosis method is a part a programme's copy may carry.
        services_replication.register_part(replication_method.PART)
        # A kiosque's sessions list their co-hosts (places asks, the diagnosis answers).
        provide_cohosts(cohosts_by_site)
