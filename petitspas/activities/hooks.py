"""What the sessions' pages and services learn from the apps above activities.

Registrations live in attendance, above activities: activities may not import them nor
follow ``session.registrations``. The app that owns them installs these two functions in
its ``AppConfig.ready()``; until one does (or in a project without it), a session has no
registrations. Whether a session is still referenced goes through
``core.references`` instead.
"""

from collections.abc import Callable

from django.db.models import IntegerField, QuerySet, Value

RegisteredAnnotation = Callable[[QuerySet], QuerySet]
RegisteredHouseholds = Callable[[object], list]

_registered: dict[str, Callable] = {}


def provide_registrations(
    *, annotate: RegisteredAnnotation, households: RegisteredHouseholds
) -> None:
    """``annotate(sessions)`` adds ``registered``, ``offered`` and ``waiting`` (counts, in
    the same query); ``households(session)`` lists the households registered, by code."""
    _registered["annotate"] = annotate
    _registered["households"] = households


def with_registered(sessions: QuerySet) -> QuerySet:
    """``sessions`` annotated with ``registered``, the number of households registered
    (confirmed), ``offered``, those a freed place is offered to, and ``waiting``, those on
    the waiting list (``Session.places_left`` reads the first two)."""
    annotate = _registered.get("annotate")
    if annotate is None:
        zero = Value(0, output_field=IntegerField())
        return sessions.annotate(registered=zero, offered=zero, waiting=zero)
    return annotate(sessions)


def registered_households(session) -> list:
    """The households registered at ``session``, by code (one query)."""
    households = _registered.get("households")
    return [] if households is None else households(session)
