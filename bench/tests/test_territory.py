"""The benchmark's synthetic territory (issue 10) obeys the project's rules, at the small
scale the suite can afford: the département scale is exercised by ``make bench``."""

import datetime
import hashlib

from django.db import transaction
from django.db.models import F

from bench.territory import generate_territory
from petitspas.activities.models import RegistrationMode, Session
from petitspas.attendance.models import Attendance, Headcount, Observation
from petitspas.demo.consistency import rule_violations
from petitspas.families.models import Household, Person
from petitspas.families.services import is_drawn_code
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site

# Pinned so that the school calendar the LAEP rules need is always published.
TODAY = datetime.date(2026, 11, 25)


def _fingerprint() -> str:
    """The generated rows by what they say, not by their ids (sequences are not rolled back
    on PostgreSQL)."""
    digest = hashlib.sha256()
    for rows in (
        Session.objects.order_by("site__name", "date", "start_time", "activity_type__name")
        .values_list("site__name", "date", "start_time", "activity_type__name", "status")
        .iterator(),
        Attendance.objects.order_by(
            "session__site__name", "session__date", "session__start_time", "household__code",
            "person__role", "person__birth_date", "person__first_name", "status",
        )
        .values_list(
            "session__site__name", "session__date", "household__code", "person__first_name",
            "person__birth_date", "status", "is_walk_in",
        )
        .iterator(),
        Headcount.objects.order_by("session__site__name", "session__date", "session__start_time")
        .values_list("session__site__name", "session__date", "adults", "children_1_3")
        .iterator(),
    ):  # fmt: skip
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _generate(seed: int) -> None:
    generate_territory(scale="test", seed=seed, today=TODAY, out=lambda _line: None)


def test_small_territory_obeys_the_calendar_and_birth_rules_and_repeats_with_its_seed(db):
    with transaction.atomic():
        _generate(seed=7)
        first = _fingerprint()
        transaction.set_rollback(True)
    _generate(seed=7)

    assert _fingerprint() == first

    # No session on a half-day where its site is closed, nor outside the site's hours.
    sessions = Session.objects.select_related("site")
    assert sessions.count() > 100
    sites = Site.objects.prefetch_related("weekly_openings", "closures", "relocations")
    calendars = {site.pk: SiteCalendar.for_site(site) for site in sites}
    for session in sessions:
        opening = calendars[session.site_id].opening(session.date, session.half_day)
        assert opening is not None, session
        assert opening.opens_at <= session.start_time < session.end_time <= opening.closes_at

    # No child named at a session before its birth; an expected child never comes.
    children = Attendance.objects.filter(person__role=Person.Role.CHILD)
    assert not children.filter(session__date__lt=F("person__birth_date")).exists()
    assert children.filter(person__birth_date__gt=TODAY - datetime.timedelta(days=120)).exists()
    assert not Attendance.objects.filter(person__role=Person.Role.EXPECTED_CHILD).exists()

    # Names only where the session is not anonymous; nothing on a future or cancelled one.
    open_sessions = Attendance.objects.filter(
        session__activity_type__registration_mode=RegistrationMode.OPEN
    )
    assert not open_sessions.exists()
    for model in (Attendance, Headcount, Observation):
        rows = model.objects.all()
        assert rows.exists()
        assert not rows.filter(session__date__gte=TODAY).exists()
        assert not rows.filter(session__status=Session.Status.CANCELLED).exists()


def test_generated_town_breaks_no_rule_of_the_services(db):
    _generate(seed=1)

    assert rule_violations(today=TODAY) == []
    # Each recorded named session says how many households were present, as a sheet's save.
    named = Session.objects.filter(attendances__isnull=False).distinct()
    assert named.exists()
    assert not named.filter(families_present__isnull=True).exists()
    # Codes are drawn by the families app's own function, in its alphabet.
    assert all(is_drawn_code(code) for code in Household.objects.values_list("code", flat=True))
    # Only open sessions are counted: a named session's sheet adds no count to its names.
    assert Headcount.objects.exists()
    assert not Headcount.objects.exclude(
        session__activity_type__registration_mode=RegistrationMode.OPEN
    ).exists()
