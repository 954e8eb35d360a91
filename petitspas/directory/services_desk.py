"""Every write of the Point Info Famille desk: appointments, the visit log, orientations to
partners and their follow-up. Keyword-only arguments, one transaction, the permission check
and an audit entry in each."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.core.bounds import is_possible_day
from petitspas.core.scoping import organisation_ids
from petitspas.directory.desk import find_slot
from petitspas.directory.models import DESK_ROLES, Appointment, Desk, Orientation, Service, Visit
from petitspas.directory.themes import SURESNES_GROUPS, group_of

SLOT_TAKEN = "Ce créneau est déjà pris par un autre rendez-vous : choisissez-en un autre."
SLOT_CLOSED = "Le Point Info Famille n'est pas ouvert sur ce créneau : choisissez-en un libre."
NAMED_WITHOUT_CONSENT = (
    "Une famille n'est nommée dans le journal qu'avec son accord : cochez « La famille "
    "accepte » ou laissez le passage anonyme."
)
OTHER_ORGANISATION_FAMILY = "Cette famille n'est pas suivie par l'organisation de l'accueil."


def _check_desk(by, desk: Desk) -> Desk:
    locked = Desk.objects.visible_to(by).select_for_update().filter(pk=desk.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


def _check_household(desk_organisation_id: int, household) -> None:
    if household is not None and household.organisation_id != desk_organisation_id:
        raise ValidationError({"household": OTHER_ORGANISATION_FAMILY})


@transaction.atomic
def appointment_create(
    *,
    by,
    desk: Desk,
    starts_at: datetime.datetime,
    household=None,
    first_name: str = "",
    note: str = "",
) -> Appointment:
    """Give the slot starting at ``starts_at`` to a family. The desk row is locked, so two
    agents giving the same slot at once never both get it."""
    desk = _check_desk(by, desk)
    _check_household(desk.organisation_id, household)
    if household is None and not first_name.strip():
        raise ValidationError(
            {"first_name": "Indiquez le prénom de la personne ou le code de sa famille."}
        )
    slot = find_slot(desk, starts_at)
    if slot is None:
        raise ValidationError({"starts_at": ValidationError(SLOT_CLOSED, code="closed")})
    if slot.appointment is not None:
        raise ValidationError({"starts_at": ValidationError(SLOT_TAKEN, code="taken")})
    appointment = Appointment.objects.create(
        desk=desk,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        household=household,
        first_name=first_name.strip(),
        note=note.strip(),
        created_by=by,
    )
    audit_log(by, "desk.appointment_create", appointment)
    return appointment


@transaction.atomic
def appointment_cancel(*, by, appointment: Appointment) -> Appointment:
    _check_desk(by, appointment.desk)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.cancelled:
        appointment.cancelled = True
        appointment.save(update_fields=["cancelled"])
        audit_log(by, "desk.appointment_cancel", appointment)
    return appointment


def _check_day(day: datetime.date, field: str = "day") -> None:
    if not is_possible_day(day):
        raise ValidationError({field: "Date hors des limites : vérifiez l'année."})
    if day > timezone.localdate():
        raise ValidationError({field: "Cette date est dans le futur."})


@transaction.atomic
def visit_create(
    *,
    by,
    desk: Desk,
    day: datetime.date,
    themes: list[str],
    orientation_given: str = "",
    note: str = "",
    consent: bool = False,
    household=None,
) -> Visit:
    """Log a family received at the desk: anonymous unless the family agrees."""
    desk = _check_desk(by, desk)
    _check_visit_fields(desk, day, themes, consent, household)
    visit = Visit.objects.create(
        desk=desk,
        day=day,
        themes=list(dict.fromkeys(themes)),
        orientation_given=orientation_given.strip(),
        note=note.strip(),
        consent=consent and household is not None,
        household=household,
        created_by=by,
    )
    audit_log(by, "desk.visit_create", visit, named=household is not None)
    return visit


def service_theme(service: Service) -> str:
    """The Suresnes group of the service's first thématique that has one."""
    for code in service.thematiques or []:
        group = group_of(code)
        if group:
            return group
    return ""


@transaction.atomic
def orientation_create(
    *,
    by,
    service: Service,
    desk: Desk | None = None,
    visit: Visit | None = None,
    household=None,
    note: str = "",
    day: datetime.date | None = None,
) -> Orientation:
    """Orient a family to ``service``, from a visit of the desk or from its file
    (``household``, reached through ``families.permissions.access_household``)."""
    if visit is not None:
        desk = visit.desk
        household = household or visit.household
    if desk is not None:
        desk = _check_desk(by, desk)
        organisation = desk.organisation
    elif household is not None:
        organisation = household.organisation
        if organisation.pk not in organisation_ids(by, DESK_ROLES):
            raise PermissionDenied
    else:
        raise ValidationError("Orientez depuis un passage à l'accueil ou depuis un dossier.")
    _check_household(organisation.pk, household)
    day = day or timezone.localdate()
    _check_day(day)
    orientation = Orientation.objects.create(
        organisation=organisation,
        desk=desk,
        visit=visit,
        household=household,
        service=service,
        theme=service_theme(service),
        day=day,
        note=note.strip(),
        created_by=by,
    )
    audit_log(by, "orientation.create", orientation, service=service.pk)
    return orientation


@transaction.atomic
def orientation_follow_up(
    *, by, orientation: Orientation, outcome: str, outcome_on: datetime.date | None
) -> Orientation:
    """ "A-t-elle abouti ?": oui, non or en cours, on a date."""
    orientation = (
        Orientation.objects.visible_to(by).select_for_update().filter(pk=orientation.pk).first()
    )
    if orientation is None:
        raise PermissionDenied
    if outcome not in Orientation.Outcome.values:
        raise ValidationError({"outcome": "Choisissez oui, non ou en cours."})
    outcome_on = outcome_on or timezone.localdate()
    _check_day(outcome_on, "outcome_on")
    if outcome_on < orientation.day:
        raise ValidationError(
            {"outcome_on": "Le suivi ne peut pas précéder la date de l'orientation."}
        )
    orientation.outcome = outcome
    orientation.outcome_on = outcome_on
    orientation.save(update_fields=["outcome", "outcome_on"])
    audit_log(by, "orientation.follow_up", orientation, outcome=outcome)
    return orientation


def _lock_visit(by, visit: Visit) -> Visit:
    locked = (
        Visit.objects.visible_to(by).select_for_update().select_related("desk").filter(pk=visit.pk)
    ).first()
    if locked is None:
        raise PermissionDenied
    return locked


def _check_visit_fields(desk: Desk, day, themes, consent: bool, household) -> None:
    _check_day(day)
    unknown = [t for t in themes if t not in SURESNES_GROUPS]
    if unknown or not themes:
        raise ValidationError({"themes": "Choisissez au moins un des six thèmes."})
    if household is not None and not consent:
        raise ValidationError({"household": NAMED_WITHOUT_CONSENT})
    _check_household(desk.organisation_id, household)


@transaction.atomic
def visit_update(
    *,
    by,
    visit: Visit,
    day: datetime.date,
    themes: list[str],
    orientation_given: str = "",
    note: str = "",
    consent: bool = False,
    household=None,
) -> Visit:
    """Correct a logged visit. Without the family's consent the visit is anonymous again
    (its household is forgotten); its orientations keep their family."""
    visit = _lock_visit(by, visit)
    _check_visit_fields(visit.desk, day, themes, consent, household)
    was_named = visit.household_id is not None
    visit.day = day
    visit.themes = list(dict.fromkeys(themes))
    visit.orientation_given = orientation_given.strip()
    visit.note = note.strip()
    visit.household = household
    visit.consent = consent and household is not None
    visit.save(update_fields=["day", "themes", "orientation_given", "note", "household", "consent"])
    audit_log(by, "desk.visit_update", visit, named=household is not None, was_named=was_named)
    return visit


@transaction.atomic
def visit_delete(*, by, visit: Visit) -> int:
    """Delete a visit logged by mistake. Orientations given from it stay (they are counted
    in the reports) and lose only their link to the visit; the number of them."""
    visit = _lock_visit(by, visit)
    kept = Orientation.objects.filter(visit=visit).count()
    audit_log(by, "desk.visit_delete", visit, orientations_kept=kept)
    visit.delete()
    return kept


def _lock_orientation(by, orientation: Orientation) -> Orientation:
    locked = (
        Orientation.objects.visible_to(by)
        .select_for_update()
        .select_related("organisation")
        .filter(pk=orientation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


@transaction.atomic
def orientation_update(
    *,
    by,
    orientation: Orientation,
    service: Service,
    day: datetime.date,
    note: str = "",
    outcome: str = Orientation.Outcome.PENDING,
    outcome_on: datetime.date | None = None,
) -> Orientation:
    """Correct an orientation: the service (its theme follows), its date, its note and its
    follow-up. A follow-up "oui" or "non" has a date, never before the orientation."""
    orientation = _lock_orientation(by, orientation)
    _check_day(day)
    if outcome not in Orientation.Outcome.values:
        raise ValidationError({"outcome": "Choisissez oui, non ou en cours."})
    if outcome_on is None and outcome != Orientation.Outcome.PENDING:
        raise ValidationError({"outcome_on": "Indiquez la date du suivi."})
    if outcome_on is not None:
        _check_day(outcome_on, "outcome_on")
        if outcome_on < day:
            raise ValidationError(
                {"outcome_on": "Le suivi ne peut pas précéder la date de l'orientation."}
            )
    changed = orientation.service_id != service.pk
    orientation.service = service
    if changed:
        orientation.theme = service_theme(service)
    orientation.day = day
    orientation.note = note.strip()
    orientation.outcome = outcome
    orientation.outcome_on = outcome_on
    orientation.save(update_fields=["service", "theme", "day", "note", "outcome", "outcome_on"])
    audit_log(by, "orientation.update", orientation, service=service.pk, outcome=outcome)
    return orientation


@transaction.atomic
def orientation_delete(*, by, orientation: Orientation) -> None:
    """Delete an orientation recorded by mistake: it leaves the counts by theme and partner."""
    orientation = _lock_orientation(by, orientation)
    audit_log(by, "orientation.delete", orientation, service=orientation.service_id)
    orientation.delete()
