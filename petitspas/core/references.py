"""Which rows of a lower app the rows of a higher app point to.

Imports only run downward (docs/architecture.md), and a lower app does not reach up
through Django's reverse relations either: ``session.registrations`` in activities would
tie it to attendance as surely as an import. When a lower app must know whether a row is
still referenced (a session that is never deleted once something hangs off it, a person
counted in past figures), it asks ``referenced_ids``; each app above registers, in its
``AppConfig.ready()``, a function that answers for its own rows.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import models

Finder = Callable[[list[int]], Iterable[int]]

_finders: dict[type[models.Model], list[Finder]] = defaultdict(list)


def register_references(model: type[models.Model], finder: Finder) -> None:
    """``finder(ids)`` returns those of ``ids`` (primary keys of ``model``) that the
    registering app's rows point to. Registering the same function twice is a no-op."""
    if finder not in _finders[model]:
        _finders[model].append(finder)


def referenced_ids(model: type[models.Model], ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` that some app above ``model``'s app still points to."""
    ids = list(ids)
    found: set[int] = set()
    if not ids:
        return found
    for finder in _finders[model]:
        found.update(finder(ids))
    return found


def is_referenced(obj: models.Model) -> bool:
    return bool(referenced_ids(type(obj), [obj.pk]))
