"""What the family rules learn from the apps above families.

A professional opens the files of the families they have met. Meeting happens above
families: a registration or an attendance row at a session they staff (attendance). The
app that owns those rows installs, in its ``AppConfig.ready()``, a function returning the
condition on households that it knows of; families never reads those rows itself. Without
one (or in a project without it), a professional has met only the families whose file they
created.
"""

from collections.abc import Callable

from django.db.models import Q

MetCondition = Callable[[object], Q]

_met: list[MetCondition] = []


def provide_met(condition: MetCondition) -> None:
    """``condition(user)`` is a ``Q`` on Household: the households ``user`` met in the
    registering app. Registering the same function twice is a no-op."""
    if condition not in _met:
        _met.append(condition)


def met_by(user) -> Q:
    """Households a professional has met: whose file they created, or that an app above
    says they met (registered or recorded at a session they staff)."""
    condition = Q(created_by=user)
    for met in _met:
        condition |= met(user)
    return condition


# --- Links on the family file -------------------------------------------------------------
# An app above adds an action to the family file ("Orienter vers un partenaire", from the
# directory) without families importing it: ``links(user, household)`` returns
# ``(label, url)`` pairs, or none when the user may not use them.
FileLinks = Callable[[object, object], list[tuple[str, str]]]

_file_links: list[FileLinks] = []


def provide_file_links(links: FileLinks) -> None:
    """Registering the same function twice is a no-op."""
    if links not in _file_links:
        _file_links.append(links)


def file_links(user, household) -> list[tuple[str, str]]:
    """The actions apps above offer on ``household``'s file, for ``user``."""
    return [link for provider in _file_links for link in provider(user, household)]
