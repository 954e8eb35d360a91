"""Rights of access and erasure (GDPR articles 15 and 17) and the retention rule.

They read or cancel the rows that every app keeps about a family (attendance's
registrations and attendance rows, and those of apps to come), so they live above all of
those apps rather than in families, which only knows the file itself. Audit entries target
the household and never hold the values typed.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from petitspas.attendance.models import Attendance, PlaceRequest, Registration
from petitspas.childcare.models import Enrolment, Referral, ReferralChild, ReferralTransition
from petitspas.childcare.models import State as ReferralState
from petitspas.core.audit import audit_log
from petitspas.core.models import AuditEntry
from petitspas.directory.models import Appointment, Orientation, Visit
from petitspas.families.models import Household
from petitspas.families.permissions import can_anonymise_family, can_export_family

ANONYMOUS_CODE = "ANONYME-{pk}"

# Every table that holds something about a family, and what the rights and the retention
# rule do with it. ``privacy/tests/test_coverage.py`` finds those tables by their links to a
# family (a foreign key to a household, a person, or a row of this list) and by the names
# of the fields that hold a first name, a contact or a birth date, and fails when one is
# missing here: a new app's table is covered the day it is added.
FAMILY_DATA: dict[str, str] = {
    "families.Household": "exported; code replaced, languages, hotel and creator erased",
    "families.Person": "exported; first name erased, birth and due dates cut to the month",
    "attendance.Registration": "exported; those to come deleted",
    "attendance.Attendance": "exported; kept for the figures (names no one)",
    "attendance.PlaceRequest": "exported; deleted (a first name and a contact)",
    "attendance.Submission": "not exported: a save's client id, names no one",
    "childcare.Referral": "exported; parent's first name, contact, needs and comment erased",
    "childcare.ReferralChild": "exported; first name erased, birth date cut to the month",
    "childcare.ReferralTransition": "exported; internal note erased",
    "childcare.Enrolment": "exported; kept for the figures (dates and half-days)",
    "childcare.Booking": (
        "exported; kept for the figures (half-day, kind, appointment reason, arrival, "
        "departure, absence)"
    ),
    "childcare.WaitingEntry": "exported; kept for the figures (half-day, kind, reason)",
    "childcare.BookingReminder": "exported with its booking; kept (channel, when, the place "
    "told: names no one, the address it went to is not kept)",
    "directory.Appointment": "exported; unlinked from the family, first name and note erased",
    "directory.Visit": "exported; unlinked from the family (anonymous again), note erased",
    "directory.Orientation": "exported; unlinked from the family, note erased, kept for the counts",
    # Residents and professionals met by the territorial diagnosis: no family file, hence
    # nothing to export or anonymise with one; a contact is kept only by consent.
    "diagnosis.WalkRegistration": "not a family's file (no household): a first name, a "
    "contact by consent, erased once the walk is PLACE_REQUEST_RETENTION_DAYS past "
    "(manage.py purge_walk_contacts)",
    "directory.GroupPerson": "not a family's file: a group member (a professional's account, "
    "or a resident's first name and, by consent, contact), kept while a member",
    "directory.Participant": "not a family's file: who was invited to or came to a meeting "
    "(a partner's staff, or a group's member)",
    "reporting.FirstSeen": "not exported: derived from the attendance rows (first period a "
    "person was seen), kept for the figures, names no one; rebuilt by rebuild_aggregates",
    "reporting.HouseholdMonth": "not exported: derived from the attendance rows (visits a "
    "month), kept for the figures, names no one; rebuilt by rebuild_aggregates",
}


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
    place_requests = (
        PlaceRequest.objects.filter(household=household)
        .select_related("session__activity_type", "session__site")
        .order_by("created_at", "pk")
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
        "place_requests": [
            {
                "date": row.session.date.isoformat(),
                "activity": row.session.activity_type.name,
                "site": row.session.site.name,
                "first_name": row.first_name,
                "phone": row.phone,
                "email": row.email,
                "children": row.children,
                "status": row.get_status_display(),
                "sent_at": row.created_at.isoformat(),
            }
            for row in place_requests
        ],
        "referrals": [_referral_export(referral) for referral in _referrals_of(household)],
        "point_info_famille": _desk_export(household),
    }


def _desk_export(household: Household) -> dict:
    """What the Point Info Famille desk noted under the family's name: its appointments,
    the visits it agreed to have named, the orientations to partners."""
    return {
        "appointments": [
            {
                "starts_at": row.starts_at.isoformat(),
                "first_name": row.first_name,
                "note": row.note,
                "cancelled": row.cancelled,
            }
            for row in Appointment.objects.filter(household=household).order_by("starts_at")
        ],
        "visits": [
            {"day": row.day.isoformat(), "orientation_given": row.orientation_given}
            for row in Visit.objects.filter(household=household).order_by("day", "pk")
        ],
        "orientations": [
            {
                "day": row.day.isoformat(),
                "service": row.service.nom,
                "theme": row.theme,
                "outcome": row.get_outcome_display(),
            }
            for row in Orientation.objects.filter(household=household)
            .select_related("service")
            .order_by("day", "pk")
        ],
    }


def _half_day(row) -> dict:
    """A booking or a place asked on a waiting list: where, when, why, in what state."""
    return {
        "site": row.slot.site.name,
        "day": row.slot.day.isoformat(),
        "half_day": row.slot.get_half_day_display(),
        "kind": row.get_kind_display(),
        "parent_appointment": row.get_reason_display(),
        "state": row.get_state_display(),
    }


def _booking(booking) -> dict:
    """A booking, with the child's arrival and departure or absence as noted on the day."""
    return _half_day(booking) | {
        "arrived_at": booking.checked_in_at.isoformat() if booking.checked_in_at else None,
        "left_at": booking.checked_out_at.isoformat() if booking.checked_out_at else None,
        "absence": booking.get_absence_display() if booking.absence else None,
    }


def _referrals_of(household: Household):
    return (
        Referral.objects.filter(household=household)
        .select_related("programme", "prescriber_organisation")
        .prefetch_related(
            "children",
            "transitions",
            "enrolments__child",
            "enrolments__bookings__slot__site",
            "enrolments__bookings__reminders",
            "enrolments__waiting_entries__slot__site",
        )
        .order_by("created_at", "pk")
    )


def _referral_export(referral: Referral) -> dict:
    """A referral as the family may read it: what the prescriber wrote, each change of
    state with its reason and note, and the children's enrolments."""
    return {
        "programme": referral.programme.name,
        "prescriber": referral.prescriber_organisation.name,
        "sent_at": referral.created_at.isoformat(),
        "parent_first_name": referral.parent_first_name,
        "phone": referral.contact_phone,
        "email": referral.contact_email,
        "pathway": referral.get_pathway_display(),
        "adviser": referral.adviser_name,
        "needed_from": referral.needed_from.isoformat(),
        "needs": referral.needs,
        "comment": referral.comment,
        "state": referral.get_state_display(),
        "children": [
            {"first_name": child.first_name, "birth_date": child.birth_date.isoformat()}
            for child in referral.children.all()
        ],
        "history": [
            {
                "at": step.at.isoformat(),
                "from": step.get_from_state_display(),
                "to": step.get_to_state_display(),
                "reason": step.reason_label,
                "note": step.note,
            }
            for step in referral.transitions.all()
        ],
        "enrolments": [
            {
                "child": enrolment.child_id,
                "starts_on": enrolment.starts_on.isoformat(),
                "ends_on": enrolment.ends_on.isoformat() if enrolment.ends_on else None,
                "settling_in_until": enrolment.settling_in_until.isoformat(),
                "reference_week": enrolment.reference_week,
                "bookings": [
                    {
                        **_booking(booking),
                        "reminders": [
                            {
                                "channel": reminder.channel,
                                "sent_at": reminder.sent_at.isoformat(),
                                "place": reminder.place,
                            }
                            for reminder in booking.reminders.all()
                        ],
                    }
                    for booking in enrolment.bookings.all()
                ],
                "waiting_list": [_half_day(entry) for entry in enrolment.waiting_entries.all()],
            }
            for enrolment in referral.enrolments.all()
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
    # So does the referral that led to its file, and its children's first names.
    referrals = _erase_referrals(Referral.objects.filter(household=household))
    # The desk's rows stay for its counts, no longer linked to the family nor naming it.
    Appointment.objects.filter(household=household).update(household=None, first_name="", note="")
    Visit.objects.filter(household=household).update(household=None, consent=False, note="")
    Orientation.objects.filter(household=household).update(household=None, note="")
    audit_log(
        by,
        "household.anonymise",
        household,
        people=len(people),
        registrations_cancelled=cancelled_registrations,
        **({"referrals": referrals} if referrals else {}),
        **details,
    )
    household.code = ANONYMOUS_CODE.format(pk=household.pk)
    household.languages = ""
    household.housing_site = None
    household.created_by = None
    household.anonymised_at = timezone.now()
    household.save()
    return household


def _erase_referrals(referrals) -> int:
    """Blank what names or reaches the family in these referrals (the parent's first name
    and contact, the needs and comment typed, the children's first names, the internal
    notes) and cut the children's birth dates to the month. State, pathway, dates, reasons
    and enrolments stay for the figures. The audit log's past entries named a referral by
    its parent's first name before it named it by number only: they are renamed."""
    now = timezone.now()
    pks = list(referrals.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    if not pks:
        return 0
    Referral.objects.filter(pk__in=pks).update(
        parent_first_name="",
        contact_phone="",
        contact_email="",
        needs="",
        comment="",
        anonymised_at=now,
    )
    children = list(ReferralChild.objects.filter(referral_id__in=pks))
    for child in children:
        child.first_name = ""
        child.birth_date = _month(child.birth_date)
    ReferralChild.objects.bulk_update(children, ["first_name", "birth_date"])
    ReferralTransition.objects.filter(referral_id__in=pks).update(note="")
    for model, ids in (
        (Referral, pks),
        (Enrolment, Enrolment.objects.filter(referral_id__in=pks).values_list("pk", flat=True)),
    ):
        for pk in ids:
            AuditEntry.objects.filter(
                target_type=model._meta.label_lower, target_id=str(pk)
            ).update(target_repr=str(model(pk=pk)))
    return len(pks)


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
    # A child enrolled in childcare is a contact until the enrolment ends, and a referral's
    # last decision is one too.
    enrolled = Enrolment.objects.filter(
        models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=limit)
    ).values("child__household_id")
    referred = Referral.objects.filter(
        household__isnull=False, state_changed_at__date__gte=limit
    ).values("household_id")
    return (
        Household.objects.filter(anonymised_at__isnull=True, created_at__date__lt=limit)
        .exclude(pk__in=recorded)
        .exclude(pk__in=registered)
        .exclude(pk__in=enrolled)
        .exclude(pk__in=referred)
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


# A referral that never led to a family file: refused, or ended from the waiting list.
REFERRAL_CLOSED_STATES = (ReferralState.REFUSED, ReferralState.ENDED)


def referrals_past_retention(*, today: datetime.date | None = None):
    """Referrals without a family file, refused or ended more than
    ``REFERRAL_RETENTION_MONTHS`` ago and not yet anonymised. Those that led to a file
    follow the file (``households_past_retention``)."""
    today = today or timezone.localdate()
    limit = _months_before(today, settings.REFERRAL_RETENTION_MONTHS)
    return Referral.objects.filter(
        household__isnull=True,
        anonymised_at__isnull=True,
        state__in=REFERRAL_CLOSED_STATES,
        state_changed_at__date__lt=limit,
    ).order_by("pk")


def referrals_anonymise_past_retention(*, today: datetime.date | None = None) -> int:
    """The retention rule for referrals that never led to a family file: erase what names
    the family (as its file's anonymisation would) and keep the referral for the figures
    (how many, from whom, with which outcome). Run with the retention job; logged per
    referral as ``referral.anonymise`` without an actor."""
    count = 0
    for pk in referrals_past_retention(today=today).values_list("pk", flat=True):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().select_related("programme").get(pk=pk)
            if _erase_referrals(Referral.objects.filter(pk=pk)):
                audit_log(None, "referral.anonymise", referral, reason="retention")
                count += 1
    return count
