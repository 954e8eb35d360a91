from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


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
        post_migrate.connect(_install_triggers, sender=self)


def _install_triggers(sender, using, **kwargs):
    """After every ``migrate`` (and a test database's flush): the triggers that mark the
    kept figures' periods (``kept_triggers.install``), on the tables as they now are."""
    from petitspas.reporting import kept_triggers

    kept_triggers.install(connections[using])
