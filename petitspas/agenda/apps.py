from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class AgendaConfig(AppConfig):
    name = "petitspas.agenda"
    label = "agenda"

    def ready(self):
        post_migrate.connect(_install_triggers, sender=self)


def _install_triggers(sender, using, **kwargs):
    """After every ``migrate`` (and a test database's flush): the agenda's change log's
    triggers, on the tables as they now are (``triggers.install``)."""
    from petitspas.agenda import triggers

    triggers.install(connections[using])
