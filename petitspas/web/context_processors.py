from django.urls import reverse

from petitspas.organisations.models import PLANNER_ROLES, STAFF_ROLES, Role
from petitspas.organisations.selectors import memberships_of


def navigation(request):
    """Main navigation by role: each entry appears only to those who may use it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = {m.role for m in memberships_of(user=user)}
    items = [("Accueil", reverse("web:home"))]
    if roles & STAFF_ROLES:
        items.append(("Aujourd'hui", reverse("attendance:today")))
        items.append(("Ma semaine", reverse("activities:my-week")))
    if roles & PLANNER_ROLES:
        items.append(("Activités", reverse("activities:programme-list")))
    if roles & (STAFF_ROLES | {Role.FUNDER}):
        items.append(("Lieux et calendriers", reverse("places:site-list")))
    if roles & STAFF_ROLES:
        items.append(("Familles", reverse("families:household-list")))
    if Role.ADMIN in roles:
        items.append(("Journal des accès", reverse("families:audit-log")))
    if Role.ADMIN in roles or user.is_superuser:
        items.append(("Organisations", reverse("organisations:organisation-list")))
    items.append(("Mon compte", reverse("accounts:account")))
    path = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "active": path == url or (url != "/" and path.startswith(url)),
            }
            for label, url in items
        ]
    }
