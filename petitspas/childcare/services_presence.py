"""Writes on a booked half-day as it happens: the child's arrival and departure, noted in
one tap each on the professional's phone, an absence with its reason instead of an
arrival, and the undo of a wrong tap.

Each write locks the booking's row, checks the order of things (a departure after an
arrival, an arrival on the booking's day only, never on a cancelled booking, no arrival
over a noted absence), saves and writes its audit entry in one transaction. The database
holds the same order (``Booking``'s check constraints).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from petitspas.childcare.models import AbsenceReason, Booking
from petitspas.childcare.permissions import can_record_presence
from petitspas.core.audit import audit_log

MSG_CANCELLED = "La réservation de {name} est annulée : rien à noter."
MSG_OTHER_DAY = (
    "La demi-journée de {name} est le {day} : l'arrivée et le départ se notent ce jour-là."
)
MSG_ALREADY_IN = "{name} est déjà arrivé(e), à {time}."
MSG_ABSENT = "{name} est noté(e) absent(e) ({reason}) : annulez l'absence avant de noter l'arrivée."
MSG_NOT_IN = "{name} n'est pas encore arrivé(e) : notez l'arrivée avant le départ."
MSG_ALREADY_OUT = "{name} est déjà parti(e), à {time}."
MSG_OUT_BEFORE_IN = "Le départ ({out}) ne peut pas précéder l'arrivée ({arrival})."
MSG_ABSENCE_ARRIVED = (
    "{name} est arrivé(e) à {time} : annulez l'arrivée avant de noter une absence."
)
MSG_ABSENCE_TOO_EARLY = (
    "Une absence se note à partir du {day}, jour de la demi-journée ; pour libérer la "
    "place avant, annulez la réservation."
)
MSG_ABSENCE_REASON = (
    "Choisissez le motif de l'absence : malade, absence prévenue ou absence sans prévenir."
)
MSG_ALREADY_ABSENT = "{name} est déjà noté(e) absent(e) ({reason})."
MSG_NOTHING_TO_UNDO = "Rien à annuler pour {name} : ni arrivée, ni départ, ni absence."


def clock(moment: datetime.datetime) -> str:
    """ "8 h 42", in the platform's time zone."""
    return date_format(timezone.localtime(moment), "G \\h i")


def _locked(booking: Booking, by) -> Booking:
    if not can_record_presence(by, booking):
        raise PermissionDenied
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.state != Booking.State.BOOKED:
        raise ValidationError(MSG_CANCELLED.format(name=_name(booking)))
    return locked


def _name(booking: Booking) -> str:
    return booking.enrolment.child.first_name or "L'enfant"


def _save(booking: Booking, locked: Booking) -> None:
    locked.save(update_fields=["checked_in_at", "checked_out_at", "absence"])
    booking.checked_in_at = locked.checked_in_at
    booking.checked_out_at = locked.checked_out_at
    booking.absence = locked.absence
    booking.state = locked.state


def _on_its_day(booking: Booking, now: datetime.datetime) -> None:
    day = booking.slot.day
    if timezone.localdate(now) != day:
        raise ValidationError(
            MSG_OTHER_DAY.format(name=_name(booking), day=date_format(day, "l j F Y"))
        )


@transaction.atomic
def booking_check_in(*, booking: Booking, by) -> Booking:
    """Note the child's arrival, now. Refused on a cancelled booking, on another day than
    the booking's, twice, or over a noted absence. Logged."""
    locked = _locked(booking, by)
    now = timezone.now()
    _on_its_day(booking, now)
    name = _name(booking)
    if locked.checked_in_at:
        raise ValidationError(MSG_ALREADY_IN.format(name=name, time=clock(locked.checked_in_at)))
    if locked.absence:
        raise ValidationError(
            MSG_ABSENT.format(name=name, reason=locked.get_absence_display().lower())
        )
    locked.checked_in_at = now
    _save(booking, locked)
    audit_log(by, "booking.check_in", locked)
    return booking


@transaction.atomic
def booking_check_out(*, booking: Booking, by) -> Booking:
    """Note the child's departure, now. Refused before the arrival, twice, on a cancelled
    booking or on another day than the booking's. Logged."""
    locked = _locked(booking, by)
    now = timezone.now()
    _on_its_day(booking, now)
    name = _name(booking)
    if not locked.checked_in_at:
        raise ValidationError(MSG_NOT_IN.format(name=name))
    if locked.checked_out_at:
        raise ValidationError(MSG_ALREADY_OUT.format(name=name, time=clock(locked.checked_out_at)))
    if now < locked.checked_in_at:
        raise ValidationError(
            MSG_OUT_BEFORE_IN.format(out=clock(now), arrival=clock(locked.checked_in_at))
        )
    locked.checked_out_at = now
    _save(booking, locked)
    audit_log(by, "booking.check_out", locked)
    return booking


@transaction.atomic
def booking_mark_absent(*, booking: Booking, reason: str, by) -> Booking:
    """Note that the child did not come, with its reason (sick, notified, no notice), on the
    booking's day or after. Refused once the child has arrived, on a cancelled booking, and
    before the day (cancel the booking to free the place). Logged with the reason."""
    if reason not in AbsenceReason.values:
        raise ValidationError({"absence": MSG_ABSENCE_REASON})
    locked = _locked(booking, by)
    name = _name(booking)
    day = booking.slot.day
    if timezone.localdate() < day:
        raise ValidationError(MSG_ABSENCE_TOO_EARLY.format(day=date_format(day, "l j F Y")))
    if locked.checked_in_at:
        raise ValidationError(
            MSG_ABSENCE_ARRIVED.format(name=name, time=clock(locked.checked_in_at))
        )
    if locked.absence:
        raise ValidationError(
            MSG_ALREADY_ABSENT.format(name=name, reason=locked.get_absence_display().lower())
        )
    locked.absence = reason
    _save(booking, locked)
    audit_log(by, "booking.absence", locked, reason=reason)
    return booking


@transaction.atomic
def booking_presence_undo(*, booking: Booking, by) -> str:
    """Undo the last tap, for a wrong one: the departure if noted, else the arrival, else
    the absence. Returns what was undone ("départ", "arrivée", "absence"). Logged with it."""
    locked = _locked(booking, by)
    if locked.checked_out_at:
        undone, locked.checked_out_at = "départ", None
    elif locked.checked_in_at:
        undone, locked.checked_in_at = "arrivée", None
    elif locked.absence:
        undone, locked.absence = "absence", ""
    else:
        raise ValidationError(MSG_NOTHING_TO_UNDO.format(name=_name(booking)))
    _save(booking, locked)
    audit_log(by, "booking.presence_undo", locked, undone=undone)
    return undone
