from django.db import models

from petitspas.core.models import AuditEntry


def audit_log(
    actor, action: str, target: models.Model | None = None, *, organisation=None, **details
) -> AuditEntry:
    """Record one entry; call it inside the service's transaction."""
    if organisation is None and target is not None:
        organisation = getattr(target, "audit_organisation", None)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        details=details,
    )
