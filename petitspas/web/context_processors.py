from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from petitspas.attendance.selectors import sessions_to_record
from petitspas.childcare.permissions import (
    books_childcare,
    is_prescriber,
    records_childcare_presence,
    reviews_referrals,
)
from petitspas.diagnosis.permissions_areas import works_on_a_diagnosis
from petitspas.directory.permissions import (
    can_edit_directory,
    can_read_guide,
    is_network_partner,
    runs_a_desk,
    runs_a_network,
)
from petitspas.families.permissions import can_use_families
from petitspas.organisations.permissions import (
    can_list_organisations,
    can_read_audit_log,
    plans_somewhere,
    works_in_an_organisation,
)
from petitspas.places.permissions import can_see_sites
from petitspas.reporting.permissions import reads_figures


def navigation(request):
    """Main navigation: each entry appears to those its page's own predicate lets in. Built
    when a template reads it, so that the fragments htmx swaps in pay nothing for it."""
    return {"nav_items": SimpleLazyObject(lambda: _navigation(request))}


def _navigation(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = [("Accueil", reverse("web:home"))]
    if works_in_an_organisation(user):
        items.append(("Aujourd'hui", reverse("attendance:today")))
        waiting = sessions_to_record(user=user).count()
        items.append(
            (f"À saisir ({waiting})" if waiting else "À saisir", reverse("attendance:to-record"))
        )
        items.append(("Ma semaine", reverse("activities:my-week")))
    if plans_somewhere(user):
        items.append(("Activités", reverse("activities:programme-list")))
    if reviews_referrals(user):
        items.append(("Orientations", reverse("childcare:referral-inbox")))
        if books_childcare(user):
            items.append(("Demi-journées", reverse("childcare:follow-up")))
    if records_childcare_presence(user):
        items.append(("Demi-journées du jour", reverse("childcare:presence-today")))
    if is_prescriber(user):
        items.append(("Mes orientations", reverse("childcare:my-referrals")))
    if can_see_sites(user):
        items.append(("Lieux et calendriers", reverse("places:site-list")))
    if reads_figures(user):
        items.append(("Indicateurs", reverse("reporting:programme-list")))
    if works_on_a_diagnosis(user):
        items.append(("Diagnostic territorial", reverse("diagnosis:areas")))
    if can_use_families(user):
        items.append(("Familles", reverse("families:household-list")))
    if can_read_audit_log(user):
        items.append(("Journal des accès", reverse("families:audit-log")))
    if can_list_organisations(user):
        items.append(("Organisations", reverse("organisations:organisation-list")))
    items.append(("Annuaire", reverse("directory:index")))
    if can_edit_directory(user):
        items.append(("Mes fiches", reverse("directory:mine")))
    if can_read_guide(user):
        items.append(("Guide parentalité", reverse("directory:guide-home")))
    if runs_a_desk(user):
        items.append(("Point Info Famille", reverse("directory:desks")))
    if runs_a_network(user):
        items.append(("Réseau partenaires", reverse("directory:groups")))
    if is_network_partner(user):
        items.append(("Mes réunions", reverse("directory:my-meetings")))
    items.append(("Mon compte", reverse("accounts:account")))
    path = request.path
    return [
        {"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))}
        for label, url in items
    ]
