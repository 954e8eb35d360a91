from django.db import models


class Change(models.Model):
    """One write to a row the public agenda or a feed is made from, logged by the
    database's own triggers (``triggers``), whatever made it: a form, a series' bulk
    update, an import, the territory generator's plain rows, an administrator's SQL.

    Nothing reads a change for itself. Its ids tell that nothing changed since a version
    was computed (``changes.remembered``), in a constant time where the version itself
    reads every row of the window. Only inserts: no transaction waits for another's
    change, and the triggers delete the old ones as they go."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = "changement de l'agenda"

    def __str__(self):
        return f"changement {self.pk}"
