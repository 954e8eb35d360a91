from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "petitspas.reporting"
    label = "reporting"
    verbose_name = "Indicateurs"

    def ready(self):
        # Keep the aggregates in step with every write of the rows they sum, in the
        # write's own transaction (attendance's sheet_saved; people, households and
        # sessions saved or deleted).
        from petitspas.reporting import receivers

        receivers.connect()
