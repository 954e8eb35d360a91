"""The one way to scope data to a user: ``Model.objects.visible_to(user)``.

Every QuerySet of organisation data inherits ``ScopedQuerySet`` and says where its
organisation is (``organisation_lookup``) and which membership roles may read it
(``visible_roles``; ``None`` means every role). Views, API, exports and indicators start
from ``visible_to``; nothing else filters by organisation or role.

Memberships are reached through the reverse accessor ``user.memberships`` so that this
module imports no app above ``core``.
"""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    organisation_lookup: str = "organisation"
    visible_roles: frozenset[str] | None = None

    def visible_to(self, user, *, roles=None):
        """Rows of the organisations where ``user`` holds one of ``roles`` (default: the
        model's ``visible_roles``). Anonymous users see nothing."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        roles = self.visible_roles if roles is None else roles
        memberships = user.memberships.filter(is_active=True)
        if roles is not None:
            memberships = memberships.filter(role__in=roles)
        organisation_ids = memberships.values("organisation_id")
        if self.organisation_lookup == "pk":
            return self.filter(pk__in=organisation_ids)
        return self.filter(**{f"{self.organisation_lookup}__in": organisation_ids})
