"""The domain's own checks run over every row of a loaded territory: what the demo and the
benchmark's generator write in bulk must be what the services would have let through.

Each rule is asked of the function that enforces it (the calendar's ``check_slot``, the
attendance rules, the model's ``full_clean``, the families app's code rules), never
written again here, so that a rule that changes is checked as it now is.
"""

import datetime

from django.core.exceptions import ValidationError

from petitspas.activities.models import Session
from petitspas.activities.services import check_slot
from petitspas.attendance.models import Attendance, Headcount, Observation, Registration
from petitspas.attendance.rules import (
    attends,
    clean_headcount,
    is_recordable,
    takes_headcount,
    takes_names,
)
from petitspas.attendance.services import families_present_counts
from petitspas.families.models import Household, Person
from petitspas.families.services import is_valid_code
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site


def _recorded(session: Session, today: datetime.date) -> bool:
    return is_recordable(status=session.status, date=session.date, today=today)


def rule_violations(*, today: datetime.date) -> list[str]:
    """One line per row that breaks a rule of the domain, as of ``today``; empty when the
    database holds nothing the services would have refused."""
    found: list[str] = []
    sites = Site.objects.prefetch_related("weekly_openings", "closures", "relocations")
    calendars = {site.pk: SiteCalendar.for_site(site) for site in sites}
    sessions = {session.pk: session for session in Session.objects.select_related("activity_type")}
    for session in sessions.values():
        try:
            check_slot(
                calendar=calendars[session.site_id],
                day=session.date,
                start_time=session.start_time,
                end_time=session.end_time,
            )
        except ValidationError as error:
            found.append(f"session {session.pk} on {session.date}: {error.messages[0]}")

    for row in Attendance.objects.select_related("person").iterator(chunk_size=5_000):
        session, person = sessions[row.session_id], row.person
        if not _recorded(session, today):
            found.append(f"attendance {row.pk}: session {session.pk} not recordable")
        if not takes_names(session.activity_type):
            found.append(f"attendance {row.pk}: names on anonymous session {session.pk}")
        if not attends(role=person.role, birth_date=person.birth_date, on=session.date):
            found.append(f"attendance {row.pk}: person {person.pk} cannot attend")
        if person.household_id != row.household_id:
            found.append(f"attendance {row.pk}: person {person.pk} of another household")

    # Every recorded sheet's session says how many households were present, as the sheet's
    # save writes it.
    present = families_present_counts(Session.objects.all())
    recorded = set(Attendance.objects.order_by().values_list("session_id", flat=True).distinct())
    for session in sessions.values():
        expected = present.get(session.pk, 0) if session.pk in recorded else None
        if session.families_present != expected and not (
            expected is None and session.families_present == 0
        ):
            found.append(
                f"session {session.pk}: {session.families_present} families present, "
                f"its sheet says {expected}"
            )

    for headcount in Headcount.objects.all():
        session = sessions[headcount.session_id]
        if not _recorded(session, today):
            found.append(f"headcount {headcount.pk}: session {session.pk} not recordable")
        if not takes_headcount(session.activity_type):
            found.append(f"headcount {headcount.pk}: on named session {session.pk}")
        try:
            clean_headcount({name: getattr(headcount, name) for name in Headcount.COUNTERS})
        except ValidationError as error:
            found.append(f"headcount {headcount.pk}: {error.messages[0]}")

    for observation in Observation.objects.all():
        if not _recorded(sessions[observation.session_id], today):
            found.append(f"observation {observation.pk}: session not recordable")

    registered = Registration.objects.values_list("pk", "session_id")
    for pk, session_id in registered.iterator(chunk_size=5_000):
        if not takes_names(sessions[session_id].activity_type):
            found.append(f"registration {pk}: on anonymous session {session_id}")

    for person in Person.objects.iterator(chunk_size=5_000):
        try:
            # The household exists (a foreign key): no query per person to prove it.
            person.full_clean(exclude=["household"])
        except ValidationError as error:
            found.append(f"person {person.pk}: {error.messages[0]}")

    for pk, code in Household.objects.values_list("pk", "code"):
        if not is_valid_code(code):
            found.append(f"household {pk}: code {code!r}")
    return found
