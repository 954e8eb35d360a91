"""What the places pages learn from the apps above places.

Sessions live in activities, above places: places may not import them nor follow
``site.sessions``. After a closure, a new weekly rule or a temporary move is saved, the
page asks which planned sessions it hits; activities answers in its ``AppConfig.ready()``
with how many and the page where they are cancelled or moved. Until it does (or in a
project without it), nothing is hit.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SessionsHit:
    """How many planned sessions a change of the calendar hits, and where to deal with them."""

    count: int
    url: str


ClosedAnswer = Callable[..., SessionsHit | None]
RelocatedAnswer = Callable[..., SessionsHit | None]

_answers: dict[str, Callable] = {}


def provide_sessions_hit(*, closed: ClosedAnswer, relocated: RelocatedAnswer) -> None:
    """``closed(user=, site=)``: the site's planned sessions its calendar no longer allows;
    ``relocated(user=, relocation=)``: the site's planned sessions during the move. Each
    returns None when there are none."""
    _answers["closed"] = closed
    _answers["relocated"] = relocated


def sessions_closed(*, user, site) -> SessionsHit | None:
    answer = _answers.get("closed")
    return None if answer is None else answer(user=user, site=site)


def sessions_relocated(*, user, relocation) -> SessionsHit | None:
    answer = _answers.get("relocated")
    return None if answer is None else answer(user=user, relocation=relocation)


# Who co-hosts a site beside its programme (the kiosque of seed 004: structures of the
# directory and residents): the diagnosis keeps them and answers in its ``ready()``.
_cohosts: dict[str, Callable] = {}


def provide_cohosts(answer: Callable[[list[int]], dict[int, list[str]]]) -> None:
    """``answer(site_ids)``: each site's co-hosts, by name, in their order (one query)."""
    _cohosts["answer"] = answer


def site_cohosts(site_ids) -> dict[int, list[str]]:
    """The co-hosts of the sites ``site_ids``, by name; none until an app provides them."""
    answer = _cohosts.get("answer")
    ids = sorted({pk for pk in site_ids if pk is not None})
    return {} if answer is None or not ids else answer(ids)
