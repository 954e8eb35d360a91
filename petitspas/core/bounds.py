"""Bounds on what a request may ask for: dates, ids, numbers.

Every date a request names (``?semaine=``, the API's ``start``/``end``…) lies between
``FIRST_DAY`` and ``LAST_DAY``: outside, the calendar arithmetic beyond it (a week's
Monday, the next month) overflows Python's dates at year 1 and 9999, and PostgreSQL and
SQLite disagree on such dates. An out-of-range value is refused with a French message
(``InvalidInput``, answered 400 by ``petitspas.web.errors.bad_request``), never a 500.
"""

import datetime

from django.core.exceptions import BadRequest

FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
DAY_OUT_OF_BOUNDS = (
    f"Les dates doivent être comprises entre le {FIRST_DAY:%d/%m/%Y} et le {LAST_DAY:%d/%m/%Y}."
)
DAY_MALFORMED = "Date invalide : indiquez-la sous la forme AAAA-MM-JJ."


class InvalidInput(BadRequest):
    """A request value out of range or malformed; its message is French and is shown on the
    400 page as it is (other ``BadRequest``s keep their message to the logs)."""


def is_possible_day(day: datetime.date | None) -> bool:
    return day is not None and FIRST_DAY <= day <= LAST_DAY


def parse_day(text: str | None, *, default: datetime.date | None = None) -> datetime.date | None:
    """The date written ``YYYY-MM-DD`` in ``text``, ``default`` when ``text`` is empty;
    ``InvalidInput`` when it is malformed or outside ``FIRST_DAY``…``LAST_DAY``."""
    if not text:
        return default
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(DAY_MALFORMED) from None
    if not is_possible_day(day):
        raise InvalidInput(DAY_OUT_OF_BOUNDS)
    return day


# A search box: a first name (80 characters at most) or a family code.
SEARCH_MAX_LENGTH = 80


def search_text(text: str | None) -> str:
    """What a search box sent, ready for a query: spaces collapsed, NUL characters dropped
    (PostgreSQL refuses them in text; SQLite does not), cut to ``SEARCH_MAX_LENGTH``."""
    return " ".join((text or "").replace("\x00", "").split())[:SEARCH_MAX_LENGTH]
