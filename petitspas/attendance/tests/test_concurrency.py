"""Two phones saving one session's sheet at the same moment, on PostgreSQL (SQLite runs one
write transaction at a time: there the saves cannot overlap). Each save runs in its own
thread and connection; the first one is held after it has taken the session's lock, and
the second one must then wait for it."""

import threading
import time
import uuid

import pytest
from django.db import connection

from petitspas.attendance import services
from petitspas.attendance.models import Attendance, Headcount, Submission
from petitspas.attendance.services import SheetChanged, attendance_record
from petitspas.attendance.tests.factories import expect, family
from petitspas.core.models import AuditEntry

PRESENT, EXCUSED, NO_SHOW = Attendance.Status

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections with row locks"
    ),
]

WAIT = 10  # seconds, only ever reached when the test fails


def a_save_waits_for_a_lock() -> bool:
    """Whether a connection of this test database is waiting for a lock (polled: there is
    no event to wait for in another backend)."""
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.01)
    return False


def race(monkeypatch, first: dict, second: dict):
    """Run ``attendance_record`` twice at once, the first one holding the session's lock
    until the second waits for it. Answers whether it waited, and each save's result (a
    ``Recording`` or the exception raised)."""
    first_holds_the_lock = threading.Event()
    let_first_go = threading.Event()
    previous_submission = services._previous_submission

    def hold_the_first(client_id):
        # Called right after the lock is taken.
        if threading.current_thread().name == "first":
            first_holds_the_lock.set()
            let_first_go.wait(WAIT)
        return previous_submission(client_id)

    monkeypatch.setattr(services, "_previous_submission", hold_the_first)
    results = {}

    def save(name, arguments):
        try:
            results[name] = attendance_record(client_id=uuid.uuid4(), **arguments)
        except Exception as error:  # noqa: BLE001 - the test reports whatever happened
            results[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(name, arguments), name=name)
        for name, arguments in (("first", first), ("second", second))
    ]
    try:
        threads[0].start()
        assert first_holds_the_lock.wait(WAIT)
        threads[1].start()
        waited = a_save_waits_for_a_lock()
    finally:
        let_first_go.set()
        for thread in threads:
            thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)
    return waited, results["first"], results["second"]


@pytest.fixture
def two_families(alice, named_session):
    """Two families registered at the session: on its sheet for whoever records it."""
    return expect(named_session, *[family(alice.organisation, f"F-{n:04d}") for n in range(2)])


def test_two_saves_at_once_are_queued_and_the_last_one_stands(
    monkeypatch, alice, named_session, two_families
):
    def sheet(status, by):
        marks = {h.pk: status for h in two_families}
        return {"session": named_session, "marks": marks, "by": by}

    waited, first, second = race(
        monkeypatch,
        sheet(PRESENT, alice.professional),
        sheet(EXCUSED, alice.coordinator),
    )

    assert waited, "the second save must wait for the first one's lock"
    assert not first.replayed and not second.replayed
    rows = Attendance.objects.filter(session=named_session)
    assert rows.count() == 4
    assert {(r.status, r.recorded_by) for r in rows} == {(EXCUSED, alice.coordinator)}
    assert not Headcount.objects.filter(session=named_session).exists()
    assert Submission.objects.filter(session=named_session).count() == 2
    assert AuditEntry.objects.filter(action="attendance.record").count() == 2


def test_of_two_saves_of_the_same_version_the_second_is_refused(
    monkeypatch, alice, named_session, two_families
):
    """Both phones showed the sheet before any save: the second save must not overwrite
    the first unseen, which only the lock guarantees (both would read the old version)."""

    def sheet(status, by):
        marks = {h.pk: status for h in two_families}
        return {"session": named_session, "marks": marks, "based_on": "", "by": by}

    waited, first, second = race(
        monkeypatch, sheet(PRESENT, alice.professional), sheet(NO_SHOW, alice.coordinator)
    )

    assert waited
    assert not first.replayed
    assert isinstance(second, SheetChanged)
    statuses = Attendance.objects.filter(session=named_session).values_list("status", flat=True)
    assert set(statuses) == {PRESENT}
    assert Submission.objects.filter(session=named_session).count() == 1
