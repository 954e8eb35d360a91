"""Who keeps the aggregates in step: connected by ``ReportingConfig.ready()``.

Attendance's sheet saves write in bulk and announce themselves (``sheet_saved``); people,
households, sessions and single attendance rows are saved or deleted through the ORM and
send Django's own signals. Each receiver runs inside the write's transaction."""

import contextlib

from django.db.models.signals import post_delete, post_save

from petitspas.activities.models import Session
from petitspas.attendance.models import Attendance
from petitspas.attendance.signals import sheet_saved
from petitspas.families.models import Household, Person
from petitspas.reporting import aggregates


def on_sheet_saved(sender, *, session, household_ids, **kwargs):
    """A sheet only adds or changes its session's rows: what that session's day holds,
    refreshed after the save (``aggregates.defer_sheet_refresh``): the field's everyday
    write stays short, and every read of the figures catches up first."""
    aggregates.defer_sheet_refresh(session.pk, household_ids)


def on_attendance_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    aggregates.refresh_households([instance.household_id])
    aggregates.refresh_sessions([instance.session_id])


def on_person_changed(sender, instance, raw=False, **kwargs):
    """A birth or due date changed (an edit, an anonymisation cutting it to the month)."""
    if raw:
        return
    aggregates.refresh_households([instance.household_id])


def on_household_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    aggregates.refresh_households([instance.pk])


def on_session_saved(sender, instance, raw=False, created=False, **kwargs):
    """A session moved to another day or site: the figures of those who came follow."""
    if raw or created:
        return
    households = aggregates.households_at([instance.pk])
    if households:
        aggregates.refresh_households(households)
        aggregates.refresh_sessions([instance.pk])


UID = "reporting.aggregates"
RECEIVERS = (
    (sheet_saved, on_sheet_saved, None, "sheet"),
    (post_save, on_attendance_changed, Attendance, "att-save"),
    (post_delete, on_attendance_changed, Attendance, "att-del"),
    (post_save, on_person_changed, Person, "person-save"),
    (post_delete, on_person_changed, Person, "person-del"),
    (post_save, on_household_saved, Household, "household"),
    (post_save, on_session_saved, Session, "session"),
)


def connect() -> None:
    for signal, receiver, sender, name in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=f"{UID}.{name}")


def disconnect() -> None:
    for signal, _receiver, sender, name in RECEIVERS:
        signal.disconnect(sender=sender, dispatch_uid=f"{UID}.{name}")


@contextlib.contextmanager
def paused():
    """For a bulk loader that calls ``aggregates.rebuild_all()`` once its rows are written
    (the demo, the bench's territory): the receivers are disconnected meanwhile, so that
    a purge of thousands of attendance rows is one DELETE, not a signal and a refresh per
    row. It acts on the whole process: never in request code."""
    disconnect()
    try:
        yield
    finally:
        connect()
