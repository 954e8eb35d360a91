"""Who keeps the aggregates in step: connected by ``ReportingConfig.ready()``.

Attendance's sheet saves write in bulk and announce themselves (``sheet_saved``); people,
households, sessions and single attendance rows are saved or deleted through the ORM and
send Django's own signals. Each receiver runs inside the write's transaction."""

from django.db.models.signals import post_delete, post_save

from petitspas.activities.models import Session
from petitspas.attendance.models import Attendance
from petitspas.attendance.signals import sheet_saved
from petitspas.families.models import Household, Person
from petitspas.reporting import aggregates


def on_sheet_saved(sender, *, session, household_ids, **kwargs):
    aggregates.refresh_households(household_ids)
    aggregates.refresh_sessions([session.pk])


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


def connect() -> None:
    uid = "reporting.aggregates"
    sheet_saved.connect(on_sheet_saved, dispatch_uid=f"{uid}.sheet")
    post_save.connect(on_attendance_changed, sender=Attendance, dispatch_uid=f"{uid}.att-save")
    post_delete.connect(on_attendance_changed, sender=Attendance, dispatch_uid=f"{uid}.att-del")
    post_save.connect(on_person_changed, sender=Person, dispatch_uid=f"{uid}.person-save")
    post_delete.connect(on_person_changed, sender=Person, dispatch_uid=f"{uid}.person-del")
    post_save.connect(on_household_saved, sender=Household, dispatch_uid=f"{uid}.household")
    post_save.connect(on_session_saved, sender=Session, dispatch_uid=f"{uid}.session")
