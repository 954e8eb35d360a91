"""Reads for the families screens. Every one starts from ``visible_to``; a page about one
family opens it through ``permissions.access_household``, which writes the access log."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, CharField, IntegerField, Prefetch, Q, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from petitspas.core.access import get_visible_or_404
from petitspas.core.audit import ACTION_SENTENCES, action_label, audit_log
from petitspas.core.models import AuditEntry
from petitspas.core.text import fold
from petitspas.families.models import Household, Person
from petitspas.organisations.permissions import audit_log_organisations, is_platform_admin

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


def audit_entries_visible(
    *,
    user,
    organisation: int | None = None,
    person: int | None = None,
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    code: str = "",
):
    """The audit trail the user reads (``AuditEntry.visible_to``: the organisations they
    administer; all of it for the platform admin), newest first, narrowed to one of those
    organisations, one person, one action, the days from ``date_from`` to ``date_to``
    included (in France), and the households whose code starts with ``code``."""
    entries = AuditEntry.objects.visible_to(user).select_related("actor", "organisation")
    if organisation is not None:
        entries = entries.filter(organisation_id=organisation)
    if person is not None:
        entries = entries.filter(actor_id=person)
    if action:
        entries = entries.filter(action=action)
    if date_from is not None:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        entries = entries.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    code = (code or "").strip()
    if code:
        household_ids = (
            Household.objects.visible_to(user)
            .filter(code__istartswith=code)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
        entries = entries.filter(
            target_type=Household._meta.label_lower, target_id__in=household_ids
        )
    return entries.order_by("-at", "-pk")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_entries_export(*, user, **filters):
    """The entries of ``audit_entries_visible`` for a CSV export, which is itself logged
    (``audit_log.export``, on each organisation it covers, with the filters used but not
    the family code typed). The caller has checked ``can_read_audit_log``."""
    organisation_id = filters.get("organisation")
    if organisation_id is not None:
        organisations = [audit_log_organisations(user).get(pk=organisation_id)]
    elif is_platform_admin(user):
        organisations = [None]  # the whole platform's log, which only the platform admin reads
    else:
        organisations = list(audit_log_organisations(user))
    logged = {
        "person": filters.get("person"),
        "action_filter": filters.get("action", ""),
        "date_from": filters["date_from"].isoformat() if filters.get("date_from") else "",
        "date_to": filters["date_to"].isoformat() if filters.get("date_to") else "",
        "by_family_code": bool(filters.get("code")),
    }
    with transaction.atomic():
        for organisation in organisations:
            audit_log(user, "audit_log.export", organisation=organisation, **logged)
    return audit_entries_visible(user=user, **filters)


def audit_people_visible(*, user):
    """The people who appear in the user's audit trail, for the person filter."""
    actors = AuditEntry.objects.visible_to(user).filter(actor__isnull=False).values("actor_id")
    return (
        get_user_model().objects.filter(pk__in=actors).order_by("last_name", "first_name", "email")
    )


def audit_actions_visible(*, user) -> list[str]:
    """Every action the log words, and any other in the user's trail, by sentence."""
    present = AuditEntry.objects.visible_to(user).values_list("action", flat=True).distinct()
    return sorted(set(ACTION_SENTENCES) | set(present), key=action_label)


def audit_actor(entry: AuditEntry) -> str:
    """Who did it, by name; the retention job and deleted accounts leave no one."""
    if entry.actor is None:
        return _("Traitement automatique ou compte supprimé")
    return entry.actor.get_full_name() or entry.actor.email
