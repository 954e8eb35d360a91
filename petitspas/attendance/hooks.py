"""What attendance tells the apps below it, installed by ``AttendanceConfig.ready()``.

Activities and families sit below attendance and never read its rows; they ask these
functions through ``core.references`` and ``activities.hooks``.
"""

from django.db.models import Q

from petitspas.activities import hooks as activities_hooks
from petitspas.activities.models import Session
from petitspas.attendance.models import (
    Attendance,
    Headcount,
    Observation,
    Registration,
    Submission,
)
from petitspas.attendance.selectors import with_registered
from petitspas.core.references import register_references
from petitspas.families import hooks as families_hooks
from petitspas.families.models import Household, Person

# Every row of this app that points to a session: such a session is never deleted.
_SESSION_ROWS = (Registration, Attendance, Headcount, Observation, Submission)


def sessions_with_rows(session_ids: list[int]) -> set[int]:
    """Those of ``session_ids`` that a registration, an attendance row, a headcount, an
    observation or a field submission points to (one query)."""
    queries = [
        model._base_manager.filter(session_id__in=session_ids)
        .order_by()
        .values_list("session_id", flat=True)
        for model in _SESSION_ROWS
    ]
    return set(queries[0].union(*queries[1:]))


def people_counted(person_ids: list[int]) -> set[int]:
    """People with an attendance row: past figures count them."""
    return set(
        Attendance._base_manager.filter(person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )


def registered_households(session) -> list[Household]:
    registrations = Registration.objects.confirmed().filter(session=session)
    registrations = registrations.select_related("household")
    return [row.household for row in registrations.order_by("household__code")]


def households_met(user) -> Q:
    """Households registered (confirmed) or recorded at a session ``user`` staffs."""
    registered = Registration.objects.confirmed().filter(session__staff=user)
    return Q(pk__in=registered.values("household_id")) | Q(
        pk__in=Attendance.objects.filter(session__staff=user).values("household_id")
    )


def install() -> None:
    register_references(Session, sessions_with_rows)
    register_references(Person, people_counted)
    families_hooks.provide_met(households_met)
    activities_hooks.provide_registrations(
        annotate=with_registered, households=registered_households
    )
