"""Reads for the families screens. Every one starts from ``visible_to``; a page about one
family opens it through ``permissions.access_household``, which writes the access log."""

from django.db.models import Case, CharField, IntegerField, Prefetch, Q, When
from django.db.models.functions import Cast

from petitspas.core.access import get_visible_or_404
from petitspas.core.models import AuditEntry
from petitspas.core.text import fold
from petitspas.families.models import Household, Person

# Parents first, then children from the eldest, then the expected ones.
_ROLE_RANK = Case(
    When(role=Person.Role.PARENT, then=0),
    When(role=Person.Role.CHILD, then=1),
    default=2,
    output_field=IntegerField(),
)


def people_in_order():
    return Person.objects.alias(role_rank=_ROLE_RANK).order_by(
        "role_rank", "birth_date", "due_date", "first_name", "pk"
    )


def _with_people(households):
    return households.select_related("housing_site").prefetch_related(
        Prefetch("people", queryset=people_in_order())
    )


def households_search(*, user, query: str = ""):
    """The family files the user may open whose code starts with ``query`` or where
    someone's first name contains it, accents and case aside ("zoe" finds "Zoé", "ZOÉ")."""
    return households_matching(Household.objects.visible_to(user), query)


def households_matching(households, query: str = ""):
    """``households`` narrowed to those matching ``query`` as ``households_search`` does,
    with their people, by code."""
    query = " ".join((query or "").split())
    if query:
        folded = fold(query)
        matches = Q(code__istartswith=query)
        if folded:
            matches |= Q(people__first_name_folded__contains=folded)
        households = households.filter(matches).distinct()
    return _with_people(households).order_by("code", "pk")


def household_file(*, user, household_pk) -> Household:
    """A family file the user may open, with its people: 404 otherwise, whatever the reason
    (another organisation's, never met, missing, an impossible id)."""
    return get_visible_or_404(
        _with_people(Household.objects.visible_to(user).select_related("organisation")),
        household_pk,
    )


ACTION_LABELS = {
    "household.view": "Consultation du dossier",
    "household.create": "Création de la famille",
    "household.update": "Modification de la famille",
    "person.create": "Ajout d'une personne",
    "person.update": "Modification d'une personne",
    "person.delete": "Retrait d'une personne",
    "household.export": "Export des données (droit d'accès)",
    "household.anonymise": "Anonymisation (droit à l'effacement)",
}


def audit_entries_visible(*, user, action: str = "", household_code: str = ""):
    """The audit trail of the organisations the user administers, newest first, optionally
    narrowed to actions starting with ``action`` and to the households whose code starts
    with ``household_code``."""
    entries = AuditEntry.objects.visible_to(user).select_related("actor", "organisation")
    action = (action or "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    household_code = (household_code or "").strip()
    if household_code:
        household_ids = (
            Household.objects.visible_to(user)
            .filter(code__istartswith=household_code)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
        entries = entries.filter(
            target_type=Household._meta.label_lower, target_id__in=household_ids
        )
    return entries.order_by("-at", "-pk")


def audit_actions_visible(*, user) -> list[str]:
    """The actions present in the user's audit trail, for the filter's suggestions."""
    return sorted(
        set(AuditEntry.objects.visible_to(user).values_list("action", flat=True).distinct())
    )
