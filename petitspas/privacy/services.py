"""Rights of access and erasure (GDPR articles 15 and 17) and the retention rule.

They read or cancel the rows that every app keeps about a family (attendance's
registrations and attendance rows, and those of apps to come), so they live above all of
those apps rather than in families, which only knows the file itself. Audit entries target
the household and never hold the values typed.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from petitspas.attendance.models import Attendance, PlaceRequest, Registration
from petitspas.core.audit import audit_log
from petitspas.families.models import Household
from petitspas.families.permissions import can_anonymise_family, can_export_family

ANONYMOUS_CODE = "ANONYME-{pk}"


def _month(date: datetime.date | None) -> datetime.date | None:
    return date.replace(day=1) if date else None


def household_export(*, household: Household, by) -> dict:
    """Everything Petits Pas holds about a family, for its right of access: the file, its
    people, its registrations and the sessions where it was recorded. Admins and
    coordinators of its organisation; logged as ``household.export``."""
    if not can_export_family(by, household):
        raise PermissionDenied
    attendances = (
        Attendance.objects.filter(household=household)
        .select_related("person", "session__activity_type", "session__site")
        .order_by("session__date", "session__start_time", "pk")
    )
    registrations = (
        Registration.objects.filter(household=household)
        .select_related("session__activity_type", "session__site")
        .order_by("session__date", "session__start_time", "pk")
    )
    audit_log(by, "household.export", household)
    return {
        "organisation": household.organisation.name,
        "exported_at": timezone.now().isoformat(),
        "household": {
            "code": household.code,
            "commune_code": household.commune_code,
            "town": household.town,
            "housing": household.get_housing_display(),
            "housing_site": household.housing_site.name if household.housing_site else "",
            "languages": household.language_list,
            "created_at": household.created_at.isoformat(),
        },
        "people": [
            {
                "id": person.pk,
                "role": person.get_role_display(),
                "first_name": person.first_name,
                "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                "due_date": person.due_date.isoformat() if person.due_date else None,
            }
            for person in household.people.order_by("pk")
        ],
        "registrations": [
            {
                "date": row.session.date.isoformat(),
                "activity": row.session.activity_type.name,
                "site": row.session.site.name,
                "status": row.get_status_display(),
            }
            for row in registrations
        ],
        "attendance": [
            {
                "date": row.session.date.isoformat(),
                "activity": row.session.activity_type.name,
                "site": row.session.site.name,
                "person": row.person_id,
                "status": row.get_status_display(),
                "walk_in": row.is_walk_in,
            }
            for row in attendances
        ],
    }


@transaction.atomic
def household_anonymise(*, household: Household, by) -> Household:
    """Right to erasure without breaking the statistics (DESIGN, privacy). What could name
    or locate the family goes: first names, code, languages, hotel, who created the file,
    registrations to come. What the figures count stays, coarsened: the people and their
    roles, birth and due dates cut to the month (age bands hold), the town, the housing
    category, every attendance row. The household then opens for nobody. Admins of its
    organisation only; logged as ``household.anonymise``; irreversible."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not can_anonymise_family(by, household):
        raise PermissionDenied
    if household.anonymised_at is not None:
        raise ValidationError(_("Cette famille est déjà anonymisée."))
    return _anonymise(household, by=by)


def _anonymise(household: Household, *, by, **details) -> Household:
    people = list(household.people.all())
    for person in people:
        person.first_name = ""
        person.birth_date = _month(person.birth_date)
        person.due_date = _month(person.due_date)
        person.save()
    future = Registration.objects.filter(
        household=household, session__date__gte=timezone.localdate()
    )
    cancelled_registrations = future.count()
    future.delete()
    # A request for a place it made from the agenda holds its first name and contact.
    PlaceRequest.objects.filter(household=household).delete()
    audit_log(
        by,
        "household.anonymise",
        household,
        people=len(people),
        registrations_cancelled=cancelled_registrations,
        **details,
    )
    household.code = ANONYMOUS_CODE.format(pk=household.pk)
    household.languages = ""
    household.housing_site = None
    household.created_by = None
    household.anonymised_at = timezone.now()
    household.save()
    return household


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


def households_past_retention(*, today: datetime.date | None = None):
    """Households whose last contact (the latest session where they were recorded or
    registered, else the file's creation) is older than ``FAMILY_RETENTION_MONTHS``."""
    today = today or timezone.localdate()
    limit = _months_before(today, settings.FAMILY_RETENTION_MONTHS)
    recorded = Attendance.objects.filter(session__date__gte=limit).values("household_id")
    registered = Registration.objects.filter(session__date__gte=limit).values("household_id")
    return (
        Household.objects.filter(anonymised_at__isnull=True, created_at__date__lt=limit)
        .exclude(pk__in=recorded)
        .exclude(pk__in=registered)
        .order_by("pk")
    )


def households_anonymise_past_retention(*, today: datetime.date | None = None) -> int:
    """The retention rule, run by the scheduler: anonymise every household past its
    retention period, one transaction each (a failure leaves the others done). Logged as
    ``household.anonymise`` with ``reason="retention"`` and no actor."""
    count = 0
    for pk in households_past_retention(today=today).values_list("pk", flat=True):
        with transaction.atomic():
            household = Household.objects.select_for_update().get(pk=pk)
            if household.anonymised_at is None:
                _anonymise(household, by=None, reason="retention")
                count += 1
    return count


def place_requests_purge(*, today: datetime.date | None = None) -> int:
    """Erase the requests for a place (a first name, a telephone or an e-mail address)
    whose session is more than ``PLACE_REQUEST_RETENTION_DAYS`` past, answered or not: what
    the family was told when asking. Run with the retention job; logged without an actor,
    with the number erased."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=settings.PLACE_REQUEST_RETENTION_DAYS)
    with transaction.atomic():
        count, _ = PlaceRequest.objects.filter(session__date__lt=limit).delete()
        if count:
            audit_log(None, "place_request.purge", erased=count, before=limit.isoformat())
    return count
