"""The rules of what may be recorded at a session, as pure functions: who attends, which
sheet a session takes (names or a headcount), when it can be recorded, the age bands and
the bounds of a headcount.

The field services, the selectors, the demo and the benchmark's generator all call these,
so that a rule is written once: a loader that writes thousands of rows in bulk applies the
same rule as a save from a phone. Nothing here reads or writes the database.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError

from petitspas.activities.models import Session
from petitspas.attendance.models import Headcount
from petitspas.families.models import Person

# Who attends a session: parents and born children (an expected child does not come).
ATTENDING_ROLES = (Person.Role.PARENT, Person.Role.CHILD)

MAX_COUNT = 999
UNKNOWN_COUNTER = "Compteur inconnu : « {name} »."
NEGATIVE_COUNT = "« {label} » ne peut pas être négatif (vous avez indiqué {value})."
COUNT_TOO_BIG = "« {label} » : {value} semble trop grand ({max} au plus)."
NOT_A_NUMBER = "« {label} » doit être un nombre entier."


def attends(*, role: str, birth_date: datetime.date | None, on: datetime.date) -> bool:
    """Whether a member of a household can be at a session held ``on`` that day: a parent,
    or a child already born (a child born after the session, recorded late, was not there)."""
    return role in ATTENDING_ROLES and (birth_date is None or birth_date <= on)


def attending_people(people: Iterable[Person], *, on: datetime.date) -> list[Person]:
    """The members of a household who come when the household is marked at a session."""
    return [p for p in people if attends(role=p.role, birth_date=p.birth_date, on=on)]


def takes_names(activity_type) -> bool:
    """Sessions with registration or referral name the households that came."""
    return not activity_type.is_anonymous


def takes_headcount(activity_type) -> bool:
    """Open sessions (LAEP, Cabanes) are counted, never named: only they get a headcount,
    so that a sheet's totals (names plus count) never count the same people twice."""
    return activity_type.is_anonymous


def is_recordable(*, status: str, date: datetime.date, today: datetime.date) -> bool:
    """A session is recorded on its day or after, and never once cancelled (the rule of
    ``Session.is_recordable``, for rows not built yet)."""
    return Session(status=status, date=date).is_recordable(today)


def age_band(months: int | None) -> str:
    """The headcount's age band of a child ``months`` old; ``children_other`` for 6 and
    over, or an unknown age."""
    if months is None or months >= 72:
        return "children_other"
    if months < 12:
        return "children_under_1"
    if months < 36:
        return "children_1_3"
    return "children_3_6"


def clean_headcount(headcount: Mapping | None) -> dict[str, int] | None:
    """Every counter of a headcount, checked (known, a whole number, 0 to ``MAX_COUNT``);
    a counter not given is 0. ``None`` stays ``None`` (no headcount)."""
    if headcount is None:
        return None
    cleaned = {}
    for name, value in headcount.items():
        if name not in Headcount.COUNTERS:
            raise ValidationError(UNKNOWN_COUNTER.format(name=name))
        label = Headcount._meta.get_field(name).verbose_name.capitalize()
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(NOT_A_NUMBER.format(label=label))
        if value < 0:
            raise ValidationError(NEGATIVE_COUNT.format(label=label, value=value))
        if value > MAX_COUNT:
            raise ValidationError(COUNT_TOO_BIG.format(label=label, value=value, max=MAX_COUNT))
        cleaned[name] = value
    return {name: cleaned.get(name, 0) for name in Headcount.COUNTERS}
