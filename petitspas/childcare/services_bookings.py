"""Writes on bookings of half-days: book, cancel (the place goes to the first in line),
wait for a place, book an enrolment's reference week over a period.

Every booking locks its half-day's row (``ChildcareSlot``, created on first use) before
counting the places, in the same transaction as the insert: two coordinators, or twenty
API calls, asking for the last place at once get one booking and "complet" for the rest.
Whether the site is open is the calendar function's answer (``places.calendar``), with
its reason when it is not.
"""

import dataclasses
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.formats import date_format

from petitspas.childcare.models import (
    CAPACITY,
    EXTRA_KINDS,
    MIN_AGE,
    REGULAR_PLACES,
    AppointmentReason,
    Booking,
    BookingKind,
    ChildcareSlot,
    Enrolment,
    Places,
    State,
    WaitingEntry,
    age_label,
    is_of_age,
)
from petitspas.childcare.permissions import can_book
from petitspas.core.audit import audit_log
from petitspas.core.statements import compiled, query_sql, run
from petitspas.places.calendar import REASON_NO_OPENING, SiteCalendar
from petitspas.places.models import HalfDay, Site

# Why a booking is refused: ``ValidationError.code`` (the API answers 409 for these).
FULL, CLOSED, NOT_ELIGIBLE, ALREADY = "full", "closed", "not_eligible", "already_booked"
REFUSAL_CODES = frozenset({FULL, CLOSED, NOT_ELIGIBLE, ALREADY})

MSG_FULL = "Complet : les {capacity} places du {slot} sont prises ({site})."
MSG_FULL_REGULAR = (
    "Complet pour une place régulière : les {regular} places régulières du {slot} sont "
    "prises ({site}). La 7e place ne prend qu'une adaptation ou une urgence."
)
MSG_CLOSED = "{site} est fermé le {slot} : {reason}."
MSG_TOO_YOUNG = "{name} n'aura que {age} le {day} : l'accueil commence à 3 mois."
MSG_TOO_OLD = "{name} aura {age} le {day} : l'accueil s'arrête le jour de ses 3 ans."
MSG_NO_BIRTH_DATE = "La date de naissance de {name} manque dans le dossier de la famille."
MSG_NOT_ENROLLED = "L'inscription de {name} ne couvre pas le {day} ({period})."
MSG_REFERRAL_CLOSED = "L'orientation de {name} est « {state} » : plus de réservation possible."
MSG_SETTLING_OVER = (
    "L'adaptation de {name} s'est terminée le {day} : choisissez une place régulière ou d'urgence."
)
MSG_ALREADY = "{name} a déjà une place le {slot}."
MSG_ALREADY_WAITING = "{name} est déjà sur la liste d'attente du {slot}."
MSG_NOT_FULL = "Il reste une place le {slot} : réservez-la plutôt que d'attendre."
MSG_OTHER_PROGRAMME = "Ce lieu n'accueille pas les enfants de ce programme."
MSG_UNKNOWN_REASON = "Choisissez le rendez-vous du parent."
MSG_UNKNOWN_KIND = "Choisissez la place : régulière, adaptation ou urgence."
MSG_UNKNOWN_HALF_DAY = "Choisissez le matin ou l'après-midi."
MSG_ALREADY_CANCELLED = "Cette réservation est déjà annulée."
MSG_PERIOD = (
    "La période va du premier au dernier jour : le dernier ne peut pas précéder le premier."
)
MSG_PERIOD_TOO_LONG = "Réservez au plus {days} jours d'un coup."
MSG_NO_REFERENCE_WEEK = (
    "La semaine de référence de {name} est vide : réservez depuis la grille de la semaine."
)
# A reference week is booked at most this many days at once (about six months).
MAX_PERIOD_DAYS = 186


def slot_label(day: datetime.date, half_day: str) -> str:
    """ "lundi 10 mars 2025 matin"."""
    return f"{date_format(day, 'l j F Y')} {HalfDay(half_day).label}"


def _places(kinds) -> Places:
    kinds = list(kinds)
    return Places(
        regular=sum(kind == BookingKind.REGULAR for kind in kinds),
        extra=sum(kind in EXTRA_KINDS for kind in kinds),
    )


def places_of(slot: ChildcareSlot) -> Places:
    """The half-day's places, from its active bookings."""
    return _places(kind for kind, _child in _booked_on(slot))


def eligibility_error(enrolment: Enrolment, day: datetime.date) -> str:
    """Why the child of ``enrolment`` cannot be booked on ``day``, or "": at least 3 months
    and under 3 years old that day, the enrolment covering it, the referral accepted (not
    ended)."""
    child = enrolment.child
    name = child.first_name
    when = date_format(day, "j F Y")
    if enrolment.referral.state != State.ACCEPTED:
        return MSG_REFERRAL_CLOSED.format(name=name, state=enrolment.referral.get_state_display())
    if not enrolment.is_active_on(day):
        start = date_format(enrolment.starts_on, "j F Y")
        period = (
            f"du {start} au {date_format(enrolment.ends_on, 'j F Y')}"
            if enrolment.ends_on
            else f"à partir du {start}"
        )
        return MSG_NOT_ENROLLED.format(name=name, day=when, period=period)
    if child.birth_date is None:
        return MSG_NO_BIRTH_DATE.format(name=name)
    if not is_of_age(child.birth_date, day):
        template = MSG_TOO_YOUNG if day < child.birth_date + MIN_AGE else MSG_TOO_OLD
        return template.format(name=name, age=age_label(child.birth_date, day), day=when)
    return ""


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _check(
    *,
    enrolment: Enrolment,
    site: Site,
    day: datetime.date,
    half_day: str,
    kind: str,
    reason: str,
    calendar: SiteCalendar | None,
    by,
) -> None:
    """Everything but the places, before the slot is locked."""
    # The site's programme, read with the site by its door, stands for the enrolment's
    # when they are one (a query less); another one is refused just below.
    same = site.programme_id == enrolment.programme_id
    if not can_book(by, site.programme if same else enrolment.programme):
        raise PermissionDenied
    if not same:
        raise ValidationError({"site": MSG_OTHER_PROGRAMME})
    if half_day not in HalfDay.values:
        raise ValidationError({"half_day": MSG_UNKNOWN_HALF_DAY})
    if kind not in BookingKind.values:
        raise ValidationError({"kind": MSG_UNKNOWN_KIND})
    if reason not in AppointmentReason.values:
        raise ValidationError({"reason": MSG_UNKNOWN_REASON})
    status = (calendar or SiteCalendar.for_site(site)).status(day, half_day)
    if status.opening is None:
        _refuse(
            MSG_CLOSED.format(site=site.name, slot=slot_label(day, half_day), reason=status.reason),
            CLOSED,
        )
    problem = eligibility_error(enrolment, day)
    if problem:
        _refuse(problem, NOT_ELIGIBLE)
    if kind == BookingKind.SETTLING_IN and day > enrolment.settling_in_until:
        _refuse(
            MSG_SETTLING_OVER.format(
                name=enrolment.child.first_name,
                day=date_format(enrolment.settling_in_until, "j F Y"),
            ),
            NOT_ELIGIBLE,
        )


def _locked_slot(site: Site, day: datetime.date, half_day: str) -> ChildcareSlot:
    """The half-day's row, created on first use, locked until the transaction ends: read
    with ``FOR UPDATE``, or inserted (a row this transaction inserted is its own until it
    commits; a booking inserting the same half-day at once waits on the unique index,
    then reads it ``FOR UPDATE`` once this one is done). The read is a statement compiled
    once per process (``core.statements``): a booking is a few short statements, and the
    ORM took as long to build them as the database to run them."""
    using = router.db_for_write(ChildcareSlot)
    # Dates are bound as the database takes them (a string on SQLite), the stand-in too.
    no_day, day_value = (connections[using].ops.adapt_datefield_value(d) for d in (_NO_DAY, day))
    found = run(
        compiled("childcare.locked_slot", lambda: _locked_slot_sql(using), using=using),
        {_NO_ID: site.pk, no_day: day_value, _NO_HALF_DAY: half_day},
        using=using,
    )
    if found:
        fields = ["id", "site_id", "day", "half_day"]
        slot = ChildcareSlot.from_db(using, fields, [found[0][0], site.pk, day, half_day])
    else:
        slot, _created = ChildcareSlot.objects.select_for_update().get_or_create(
            site=site, day=day, half_day=half_day
        )
    slot.site = site  # named in the audit entry
    return slot


# Stand-ins no row holds, in the statements compiled once (``core.statements``).
_NO_ID = -1
_NO_DAY = datetime.date(1, 1, 1)
_NO_HALF_DAY = "-"


def _locked_slot_sql(using: str) -> tuple[str, list]:
    rows = (
        ChildcareSlot.objects.select_for_update()
        .filter(site_id=_NO_ID, day=_NO_DAY, half_day=_NO_HALF_DAY)
        .values_list("pk")
    )
    return query_sql(rows, using=using)


def _booked_on(slot: ChildcareSlot) -> list[tuple[str, int]]:
    """The kind and the child of each active booking of the half-day (seven at most): its
    places and whether a child has one, in one query. Asked once the slot is locked, in a
    statement of its own: read in the statement that locks (a subquery beside ``FOR
    UPDATE``), they would come from the snapshot taken before waiting for the lock, without
    the booking that the transaction holding it has just committed. Compiled once per
    process, as the lock is."""
    using = router.db_for_write(Booking)

    def build():
        rows = Booking.objects.filter(slot_id=_NO_ID).active()
        return query_sql(rows.values_list("kind", "enrolment__child"), using=using)

    statement = compiled("childcare.booked_on", build, using=using)
    return [tuple(row) for row in run(statement, {_NO_ID: slot.pk}, using=using)]


def _full_message(places: Places, kind: str, site: Site, label: str) -> str:
    if kind == BookingKind.REGULAR and places.left:
        return MSG_FULL_REGULAR.format(regular=REGULAR_PLACES, slot=label, site=site.name)
    return MSG_FULL.format(capacity=CAPACITY, slot=label, site=site.name)


def _checked_slot(*, enrolment, site, day, half_day, kind, reason, calendar, by):
    """What a booking and a waiting-list entry both ask first: the rules of ``_check``, then
    the half-day's slot, locked, where the child is not booked yet. Returns it, its label
    and its places (which hold until the transaction ends, the slot being locked)."""
    _check(
        enrolment=enrolment,
        site=site,
        day=day,
        half_day=half_day,
        kind=kind,
        reason=reason,
        calendar=calendar,
        by=by,
    )
    label = slot_label(day, half_day)
    slot = _locked_slot(site, day, half_day)
    booked = _booked_on(slot)
    if any(child == enrolment.child_id for _kind, child in booked):
        _refuse(MSG_ALREADY.format(name=enrolment.child.first_name, slot=label), ALREADY)
    return slot, label, _places(kind for kind, _child in booked)


def _book(*, enrolment, site, day, half_day, kind, reason, by, calendar=None, entry=None):
    slot, label, places = _checked_slot(
        enrolment=enrolment,
        site=site,
        day=day,
        half_day=half_day,
        kind=kind,
        reason=reason,
        calendar=calendar,
        by=by,
    )
    if not places.takes(kind):
        _refuse(_full_message(places, kind, site, label), FULL)
    booking = Booking.objects.create(
        slot=slot,
        enrolment=enrolment,
        kind=kind,
        reason=reason,
        created_by=by,
        from_waiting_list=entry is not None,
    )
    audit_log(
        by,
        "booking.create",
        booking,
        organisation=site.programme.organisation,
        kind=kind,
        reason=reason,
    )
    return booking


@transaction.atomic
def booking_create(
    *,
    enrolment: Enrolment,
    site: Site,
    day: datetime.date,
    half_day: str,
    kind: str = BookingKind.REGULAR,
    reason: str,
    by,
) -> Booking:
    """Book one half-day at ``site`` for the enrolled child. Refused (``ValidationError``
    with a French message and a code among ``REFUSAL_CODES``) when the site is closed
    that half-day, the child is not eligible that day, already has a place there, or the
    places are taken: 6 regular places, and a 7th only for settling-in or emergency.
    Logged."""
    return _book(
        enrolment=enrolment,
        site=site,
        day=day,
        half_day=half_day,
        kind=kind,
        reason=reason,
        by=by,
    )


def _offer_freed_place(slot: ChildcareSlot, *, by) -> Booking | None:
    """The place freed on the locked ``slot`` goes to the first in line it can take (a
    regular request never takes the 7th place) and who is still eligible that day."""
    entries = (
        WaitingEntry.objects.filter(slot=slot)
        .waiting()
        .select_related("enrolment__referral", "enrolment__child", "enrolment__programme")
        .order_by("created_at", "pk")
    )
    booked = _booked_on(slot)
    places = _places(kind for kind, _child in booked)
    children = {child for _kind, child in booked}
    for entry in entries:
        enrolment = entry.enrolment
        if not places.takes(entry.kind) or eligibility_error(enrolment, slot.day):
            continue
        if enrolment.child_id in children:
            continue
        booking = Booking.objects.create(
            slot=slot,
            enrolment=enrolment,
            kind=entry.kind,
            reason=entry.reason,
            created_by=by,
            from_waiting_list=True,
        )
        entry.state = WaitingEntry.State.BOOKED
        entry.save(update_fields=["state"])
        audit_log(by, "booking.offer", booking, waited_since=entry.created_at.isoformat())
        return booking
    return None


@transaction.atomic
def booking_cancel(*, booking: Booking, by) -> Booking | None:
    """Cancel a booking; the freed place goes at once to the first in line that it fits,
    whose booking is returned (the coordinator then calls the family). Logged."""
    if not can_book(by, booking.enrolment.programme):
        raise PermissionDenied
    slot = ChildcareSlot.objects.select_for_update().get(pk=booking.slot_id)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.state != Booking.State.BOOKED:
        raise ValidationError(MSG_ALREADY_CANCELLED)
    locked.state = Booking.State.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["state", "cancelled_at"])
    booking.state, booking.cancelled_at = locked.state, locked.cancelled_at
    audit_log(by, "booking.cancel", locked)
    return _offer_freed_place(slot, by=by)


@transaction.atomic
def waiting_entry_create(
    *,
    enrolment: Enrolment,
    site: Site,
    day: datetime.date,
    half_day: str,
    kind: str = BookingKind.REGULAR,
    reason: str,
    by,
) -> WaitingEntry:
    """Put the child on a full half-day's waiting list. Refused when a place it can take
    is left, and for the same reasons as a booking. Logged."""
    slot, label, places = _checked_slot(
        enrolment=enrolment,
        site=site,
        day=day,
        half_day=half_day,
        kind=kind,
        reason=reason,
        calendar=None,
        by=by,
    )
    name = enrolment.child.first_name
    if WaitingEntry.objects.filter(slot=slot, enrolment=enrolment).waiting().exists():
        _refuse(MSG_ALREADY_WAITING.format(name=name, slot=label), ALREADY)
    if places.takes(kind):
        raise ValidationError(MSG_NOT_FULL.format(slot=label))
    entry = WaitingEntry.objects.create(
        slot=slot, enrolment=enrolment, kind=kind, reason=reason, created_by=by
    )
    audit_log(by, "booking.wait", entry, kind=kind)
    return entry


@dataclasses.dataclass
class PeriodResult:
    booked: list[Booking] = dataclasses.field(default_factory=list)
    # (slot label, French reason) for each half-day of the reference week not booked.
    refused: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def _days(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


@transaction.atomic
def bookings_for_reference_week(
    *,
    enrolment: Enrolment,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    by,
) -> PeriodResult:
    """Book the enrolment's reference week from ``starts_on`` to ``ends_on``: each of its
    half-days at the programme's site open then (the calendar function's answer; the
    first by name when two are), as settling-in up to the end of the settling-in period and
    regular after. A half-day that cannot be booked (closed everywhere, full, the child not
    eligible that day, already booked) is listed with its reason; the others are booked.
    Each booking is logged."""
    if not can_book(by, enrolment.programme):
        raise PermissionDenied
    if reason not in AppointmentReason.values:
        raise ValidationError({"reason": MSG_UNKNOWN_REASON})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": MSG_PERIOD})
    if (ends_on - starts_on).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"ends_on": MSG_PERIOD_TOO_LONG.format(days=MAX_PERIOD_DAYS)})
    if not enrolment.reference_week:
        raise ValidationError(MSG_NO_REFERENCE_WEEK.format(name=enrolment.child.first_name))
    sites = list(
        Site.objects.filter(programme=enrolment.programme, is_active=True)
        .select_related("programme__organisation")
        .prefetch_related("weekly_openings", "closures", "relocations")
        .order_by("name", "pk")
    )
    calendars = [(site, SiteCalendar.for_site(site)) for site in sites]
    week = {(int(code[0]), code[1:]) for code in enrolment.reference_week}
    result = PeriodResult()
    for day in _days(starts_on, ends_on):
        for half_day in (HalfDay.MORNING, HalfDay.AFTERNOON):
            if (day.weekday(), half_day.value) not in week:
                continue
            label = slot_label(day, half_day)
            statuses = [(site, cal, cal.status(day, half_day)) for site, cal in calendars]
            open_here = [(site, cal) for site, cal, status in statuses if status.opening]
            if not open_here:
                reasons = [s.reason for _site, _cal, s in statuses if s.reason != REASON_NO_OPENING]
                result.refused.append((label, f"fermé : {(reasons or [REASON_NO_OPENING])[0]}"))
                continue
            site, calendar = open_here[0]
            kind = (
                BookingKind.SETTLING_IN
                if day <= enrolment.settling_in_until
                else BookingKind.REGULAR
            )
            try:
                with transaction.atomic():
                    booking = _book(
                        enrolment=enrolment,
                        site=site,
                        day=day,
                        half_day=half_day.value,
                        kind=kind,
                        reason=reason,
                        by=by,
                        calendar=calendar,
                    )
            except ValidationError as error:
                result.refused.append((label, " ".join(error.messages)))
            else:
                result.booked.append(booking)
    return result
