"""Writes on the staffing of childcare half-days: the programme's team (who, with which
qualification), who works which half-day at which site, and copying a week to the next.

Only the programme's admins and coordinators write here; each write is one transaction
with its audit entry. A person is never planned at two places at once: the service says so
in French, and the database refuses it too (``staff_once_per_half_day``).
"""

import dataclasses
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from petitspas.activities.recurrence import format_day
from petitspas.childcare.models import ChildcareSlot, Qualification, StaffAssignment, StaffMember
from petitspas.childcare.permissions_staffing import can_manage_staff
from petitspas.core.audit import audit_log
from petitspas.organisations.models import STAFF_ROLES, Membership
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import HalfDay

MSG_NOT_MEMBER = (
    "{name} n'est pas membre de l'équipe de {organisation} (administration, coordination ou "
    "professionnel) : invitez d'abord cette personne dans l'organisation."
)
MSG_ALREADY_IN_TEAM = "{name} fait déjà partie de l'équipe d'accueil."
MSG_UNKNOWN_QUALIFICATION = "Choisissez la qualification : EJE, auxiliaire / CAP AEPE ou autre."
MSG_OTHER_PROGRAMME = "{name} ne fait pas partie de l'équipe d'accueil de ce programme."
MSG_LEFT_TEAM = "{name} ne fait plus partie de l'équipe d'accueil."
MSG_CLOSED = "{site} est fermé le {slot} : {reason}."
MSG_TWICE = (
    "{name} travaille déjà le {slot} ({site}) : une même personne ne peut pas être à deux "
    "endroits à la fois."
)
MSG_UNKNOWN_HALF_DAY = "Choisissez le matin ou l'après-midi."
MSG_NOT_MONDAY = "Une semaine commence un lundi."
MSG_SAME_WEEK = "Choisissez une autre semaine que celle à copier."


def slot_label(day: datetime.date, half_day: str) -> str:
    return f"{format_day(day)} {HalfDay(half_day).label}"


def _is_member(user, programme) -> bool:
    """An active admin, coordinator or professional of the programme's organisation."""
    return Membership.objects.filter(
        user=user,
        organisation_id=programme.organisation_id,
        role__in=STAFF_ROLES,
        is_active=True,
    ).exists()


def _check_manager(by, programme):
    if not can_manage_staff(by, programme):
        raise PermissionDenied


@transaction.atomic
def staff_member_add(*, programme, person, qualification: str, by) -> StaffMember:
    """Add ``person`` to the programme's childcare team with their qualification. Refused
    when they are not an admin, coordinator or professional of the programme's organisation,
    or already in the team; someone who left comes back. Logged."""
    _check_manager(by, programme)
    if qualification not in Qualification.values:
        raise ValidationError({"qualification": MSG_UNKNOWN_QUALIFICATION})
    name = person.get_full_name() or person.email
    if not _is_member(person, programme):
        raise ValidationError(
            {"person": MSG_NOT_MEMBER.format(name=name, organisation=programme.organisation.name)}
        )
    staff = StaffMember.objects.filter(programme=programme, user=person).first()
    if staff is not None and staff.is_active:
        raise ValidationError({"person": MSG_ALREADY_IN_TEAM.format(name=name)})
    if staff is None:
        staff = StaffMember.objects.create(
            programme=programme, user=person, qualification=qualification
        )
    else:
        staff.qualification, staff.is_active = qualification, True
        staff.save(update_fields=["qualification", "is_active"])
    audit_log(by, "childcare_staff.add", staff, qualification=qualification)
    return staff


@transaction.atomic
def staff_member_update(*, staff: StaffMember, qualification: str, is_active: bool, by):
    """Change a team member's qualification, or take them out of the team (their half-days
    already planned stay, for the record; none can be added). Logged."""
    _check_manager(by, staff.programme)
    if qualification not in Qualification.values:
        raise ValidationError({"qualification": MSG_UNKNOWN_QUALIFICATION})
    before = {"qualification": staff.qualification, "is_active": staff.is_active}
    staff.qualification, staff.is_active = qualification, is_active
    staff.save(update_fields=["qualification", "is_active"])
    audit_log(
        by,
        "childcare_staff.update",
        staff,
        before=before,
        after={"qualification": qualification, "is_active": is_active},
    )
    return staff


def _elsewhere(staff: StaffMember, day, half_day) -> StaffAssignment | None:
    return (
        StaffAssignment.objects.filter(staff=staff, day=day, half_day=half_day)
        .select_related("slot__site")
        .first()
    )


def _assign(*, site, day, half_day, staff, by, calendar=None) -> StaffAssignment:
    name = staff.name
    if half_day not in HalfDay.values:
        raise ValidationError({"half_day": MSG_UNKNOWN_HALF_DAY})
    if staff.programme_id != site.programme_id:
        raise ValidationError({"staff": MSG_OTHER_PROGRAMME.format(name=name)})
    if not staff.is_active:
        raise ValidationError({"staff": MSG_LEFT_TEAM.format(name=name)})
    if not _is_member(staff.user, site.programme):
        raise ValidationError(
            {
                "staff": MSG_NOT_MEMBER.format(
                    name=name, organisation=site.programme.organisation.name
                )
            }
        )
    label = slot_label(day, half_day)
    status = (calendar or SiteCalendar.for_site(site)).status(day, half_day)
    if status.opening is None:
        raise ValidationError(
            MSG_CLOSED.format(site=site.name, slot=label, reason=status.reason), code="closed"
        )
    # The person's row is the lock: two assignments of one person at once wait for each
    # other, and the second sees the first.
    StaffMember.objects.select_for_update().get(pk=staff.pk)
    other = _elsewhere(staff, day, half_day)
    if other is not None:
        raise ValidationError(
            {"staff": MSG_TWICE.format(name=name, slot=label, site=other.slot.site.name)},
            code="twice",
        )
    slot, _created = ChildcareSlot.objects.get_or_create(site=site, day=day, half_day=half_day)
    try:
        with transaction.atomic():
            assignment = StaffAssignment.objects.create(
                slot=slot, staff=staff, day=day, half_day=half_day, created_by=by
            )
    except IntegrityError:
        raise ValidationError(
            {"staff": MSG_TWICE.format(name=name, slot=label, site=site.name)}, code="twice"
        ) from None
    audit_log(by, "childcare_staff.assign", assignment, site=site.pk)
    return assignment


@transaction.atomic
def staff_assign(*, site, day: datetime.date, half_day: str, staff: StaffMember, by):
    """Plan ``staff`` on ``site``'s half-day. Refused when the site is closed then (the
    calendar's reason), the person is not in the programme's team (or left it), or is
    already planned that half-day, here or at another site. Logged."""
    _check_manager(by, site.programme)
    return _assign(site=site, day=day, half_day=half_day, staff=staff, by=by)


@transaction.atomic
def staff_unassign(*, assignment: StaffAssignment, by) -> None:
    """Take a person off a half-day. Logged."""
    _check_manager(by, assignment.slot.site.programme)
    audit_log(
        by,
        "childcare_staff.unassign",
        assignment,
        day=assignment.day.isoformat(),
        half_day=assignment.half_day,
    )
    assignment.delete()


@dataclasses.dataclass
class CopyResult:
    copied: list[StaffAssignment] = dataclasses.field(default_factory=list)
    # (slot label, person, French reason) for each assignment not copied.
    skipped: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)


@transaction.atomic
def staff_copy_week(
    *, site, from_monday: datetime.date, to_monday: datetime.date, by
) -> CopyResult:
    """Copy the team of each half-day of ``site``'s week from ``from_monday`` to the same
    half-day of the week from ``to_monday``. An assignment that is already there is left
    alone; one that cannot be made (closed half-day, someone who left the team, already
    planned elsewhere) is listed with its reason. One audit entry per assignment made and
    one for the copy."""
    _check_manager(by, site.programme)
    if from_monday.weekday() != 0 or to_monday.weekday() != 0:
        raise ValidationError(MSG_NOT_MONDAY)
    if from_monday == to_monday:
        raise ValidationError(MSG_SAME_WEEK)
    shift = to_monday - from_monday
    calendar = SiteCalendar.for_site(site)
    result = CopyResult()
    source = (
        StaffAssignment.objects.filter(
            slot__site=site,
            day__range=(from_monday, from_monday + datetime.timedelta(days=6)),
        )
        .select_related("staff__user", "staff__programme")
        .order_by("day", "half_day", "pk")
    )
    for original in source:
        day = original.day + shift
        if StaffAssignment.objects.filter(
            slot__site=site, day=day, half_day=original.half_day, staff=original.staff
        ).exists():
            continue
        try:
            with transaction.atomic():
                result.copied.append(
                    _assign(
                        site=site,
                        day=day,
                        half_day=original.half_day,
                        staff=original.staff,
                        by=by,
                        calendar=calendar,
                    )
                )
        except ValidationError as error:
            result.skipped.append(
                (slot_label(day, original.half_day), original.staff.name, " ".join(error.messages))
            )
    audit_log(
        by,
        "childcare_staff.copy_week",
        site,
        organisation=site.programme.organisation,
        from_monday=from_monday.isoformat(),
        to_monday=to_monday.isoformat(),
        copied=len(result.copied),
        skipped=len(result.skipped),
    )
    return result
