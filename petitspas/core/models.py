from django.conf import settings
from django.db import models
from django.utils import timezone

from petitspas.core.scoping import ScopedQuerySet


class AuditEntryQuerySet(ScopedQuerySet):
    # Only the organisation's admins read its audit trail.
    visible_roles = frozenset({"admin"})

    def visible_to(self, user):
        """The trail of the organisations the user administers; the platform admin, who
        answers for the whole platform, reads all of it (entries without an organisation
        too: an invitation accepted, a token created)."""
        if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
            return self.all()
        return super().visible_to(user)


class AuditEntry(models.Model):
    """Who did what, when, to which record. Written inside the service's transaction."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_entries",
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"
