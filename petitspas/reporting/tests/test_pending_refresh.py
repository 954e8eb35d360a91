"""A sheet's save leaves its figures' refresh pending (``aggregates.defer_sheet_refresh``):
the job queued once the save is committed catches up, and so does every read of the
aggregates that comes first. The figures never show a committed save's rows missing."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from petitspas.activities.tests.factories import SessionFactory
from petitspas.attendance.models import Attendance
from petitspas.attendance.services import HouseholdsRefused, attendance_record
from petitspas.core import replica
from petitspas.reporting.aggregates import catch_up, caught_up, rebuild_all
from petitspas.reporting.indicators import Scope, compute
from petitspas.reporting.models import FirstSeen, PendingRefresh, SessionTally, Span, Subject
from petitspas.reporting.tasks import refresh_aggregates
from petitspas.reporting.tests.test_oracle import snapshot

D = datetime.date
TODAY = D(2025, 12, 31)
PRESENT, NO_SHOW = Attendance.Status.PRESENT, Attendance.Status.NO_SHOW


@pytest.fixture
def november(built, travel):
    """A session of the named activity on 18 November 2025, nobody recorded yet."""
    travel(TODAY)
    return SessionFactory(activity_type=built.named, site=built.site, date=D(2025, 11, 18))


def save(session, marks, by):
    attendance_record(session=session, marks=marks, client_id=uuid.uuid4(), by=by)


def month(built, first: D, last: D) -> dict:
    return compute(Scope(programme=built.programme, start=first, end=last), today=TODAY)


def november_rows(built, household):
    return FirstSeen.objects.filter(
        programme=built.programme, household=household, span=Span.MONTH, year=2025, month=11
    )


def test_a_save_is_pending_until_the_figures_are_read_and_then_counted(built, alice, november):
    assert month(built, D(2025, 11, 1), D(2025, 11, 30))["households_reached"] == 0

    save(november, {built.h2.pk: PRESENT}, alice.coordinator)

    pending = PendingRefresh.objects.get()
    assert (pending.session_id, pending.households) == (november.pk, [built.h2.pk])
    assert not november_rows(built, built.h2).exists()
    assert not SessionTally.objects.filter(session=november).exists()
    # H2 came whole (A2, C2 and C3): the read catches up before counting.
    figures = month(built, D(2025, 11, 1), D(2025, 11, 30))
    assert figures["households_reached"] == 1
    assert figures["parents_reached"] == 1
    assert figures["children_reached"] == 2
    assert not PendingRefresh.objects.exists()
    tally = SessionTally.objects.get(session=november)
    assert (tally.households, tally.adults, tally.children) == (1, 1, 2)


def test_the_job_queued_once_the_save_is_committed_catches_up(
    built, alice, november, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        save(november, {built.h2.pk: PRESENT}, alice.coordinator)

    # The tests' task backend runs the job at once, as the worker does in production.
    assert len(callbacks) == 1
    assert not PendingRefresh.objects.exists()
    assert november_rows(built, built.h2).filter(subject=Subject.HOUSEHOLD).get().seen_on == D(
        2025, 11, 18
    )


def test_a_queue_kept_in_the_database_takes_the_job_within_the_save(
    built, alice, november, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with django_capture_on_commit_callbacks() as callbacks:
        save(november, {built.h2.pk: PRESENT}, alice.coordinator)

    assert callbacks == []  # queued with the save's rows, not after them
    job = DBTaskResult.objects.get()
    assert job.task_path == "petitspas.reporting.tasks.refresh_aggregates"
    assert PendingRefresh.objects.exists()
    refresh_aggregates.call()  # what the worker runs
    assert not PendingRefresh.objects.exists()
    assert november_rows(built, built.h2).filter(subject=Subject.HOUSEHOLD).exists()


def test_a_refused_save_leaves_nothing_pending(built, alice, november):
    with pytest.raises(HouseholdsRefused):
        save(november, {built.h2.pk: PRESENT, 10**9: PRESENT}, alice.coordinator)

    assert not PendingRefresh.objects.exists()


def test_every_pending_save_is_caught_up_once_and_equals_a_rebuild(built, alice, november):
    save(november, {built.h2.pk: PRESENT}, alice.coordinator)
    save(november, {built.h3.pk: PRESENT}, alice.coordinator)
    save(built.s3, {built.h2.pk: PRESENT}, alice.coordinator)

    assert catch_up() == 3
    assert catch_up() == 0
    kept = snapshot()
    rebuild_all()
    assert snapshot() == kept
    assert month(built, D(2025, 11, 1), D(2025, 11, 30))["households_reached"] == 2


def test_a_session_moved_before_the_catch_up_is_counted_on_its_new_day(built, alice, november):
    save(november, {built.h2.pk: PRESENT}, alice.coordinator)
    november.date = D(2025, 12, 2)
    november.save()

    catch_up()

    assert not november_rows(built, built.h2).exists()
    kept = snapshot()
    rebuild_all()
    assert snapshot() == kept
    assert month(built, D(2025, 12, 1), D(2025, 12, 31))["households_reached"] == 1


def test_a_refresh_writes_only_the_rows_that_change(built, alice, november):
    save(november, {built.h2.pk: PRESENT}, alice.coordinator)
    catch_up()
    before = dict(FirstSeen.objects.values_list("pk", "seen_on"))

    # The same sheet again: nothing to write, every row keeps its id.
    save(november, {built.h2.pk: PRESENT}, alice.coordinator)
    catch_up()
    assert dict(FirstSeen.objects.values_list("pk", "seen_on")) == before

    # H2 marked absent after all: its November rows go, its first visits ever and in 2025
    # (10 March) stay as they were.
    save(november, {built.h2.pk: NO_SHOW}, alice.coordinator)
    catch_up()
    after = dict(FirstSeen.objects.values_list("pk", "seen_on"))
    assert not november_rows(built, built.h2).exists()
    assert after.items() <= before.items()
    assert len(before) - len(after) == 4  # the household, A2, C2 and C3 in November
    kept = snapshot()
    rebuild_all()
    assert snapshot() == kept


def test_catching_up_reads_the_primary_inside_the_figures_replica_block(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    router = replica.ReplicaRouter()

    with replica.from_replica():
        assert router.db_for_read(FirstSeen) == replica.REPLICA
        with replica.from_primary():
            assert router.db_for_read(FirstSeen) is None  # Django's default
        assert router.db_for_read(FirstSeen) == replica.REPLICA


def test_one_set_of_figures_catches_up_once_then_reads(built, alice, november):
    save(november, {built.h2.pk: PRESENT}, alice.coordinator)
    scope = Scope(programme=built.programme, start=D(2025, 1, 1), end=D(2025, 12, 31))

    with CaptureQueriesContext(connection) as queries:
        figures = compute(scope, today=TODAY)

    pending_reads = [q for q in queries if '"reporting_pendingrefresh"' in q["sql"]]
    assert figures["households_reached"] >= 1 and not PendingRefresh.objects.exists()
    # Its check, its rows locked and deleted: the reads after it ask nothing more.
    assert len([q for q in pending_reads if q["sql"].startswith("SELECT 1")]) == 1


def test_a_save_after_the_figures_shows_in_the_next_ones(built, alice, november):
    with caught_up():
        first = month(built, D(2025, 11, 1), D(2025, 11, 30))
    save(november, {built.h2.pk: PRESENT}, alice.coordinator)

    assert first["households_reached"] == 0
    assert month(built, D(2025, 11, 1), D(2025, 11, 30))["households_reached"] == 1
