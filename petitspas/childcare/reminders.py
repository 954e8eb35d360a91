"""Reminders to parents, the day before a booked half-day: when, the hours, and where (the
site's address, or the place of the day when the site moves: the itinerant micro-crèche).

A reminder goes through channels (``ReminderChannel``: a name, ``recipient(reminder)`` and
``send(reminder)``), listed by dotted path in the setting ``CHILDCARE_REMINDER_CHANNELS``:
an e-mail channel today, a console SMS channel for development, an SMS gateway later
with the same two methods. ``manage.py send_childcare_reminders`` (daily, by cron) calls
``send_reminders``: each (booking, channel) gets a ``BookingReminder`` row in the same
transaction as the sending, so a reminder is never sent twice, and a failed one is tried
again on the next run. A cancelled booking gets none; nor does a half-day the calendar
now says is closed (the coordinator deals with it) or a parent with no contact for the
channel (counted, so that the team can complete the referral).

The parent's contact is the referral's: ``contact_email`` and ``contact_phone``. The text
holds the parent's and the child's first names, the date, the hours and the place, never
more.
"""

import dataclasses
import datetime
import logging
import sys
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from petitspas.activities.recurrence import format_day
from petitspas.childcare.models import Booking, BookingReminder, State
from petitspas.core.audit import audit_log
from petitspas.places.calendar import SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.models import HalfDay

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Reminder:
    booking_id: int
    programme: str
    parent_first_name: str
    child_first_name: str
    day: datetime.date
    half_day: str
    opens_at: datetime.time
    closes_at: datetime.time
    place_name: str
    address: str
    email: str
    phone: str

    @property
    def when(self) -> str:
        """ "mardi 11 mars 2025, le matin de 8h30 à 12h15"."""
        part = "le matin" if self.half_day == HalfDay.MORNING else "l'après-midi"
        return f"{format_day(self.day)}, {part} de {_hour(self.opens_at)} à {_hour(self.closes_at)}"

    @property
    def where(self) -> str:
        return f"{self.place_name}, {self.address}" if self.address else self.place_name


def _hour(moment: datetime.time) -> str:
    return f"{moment.hour}h{moment.minute:02d}"


SUBJECT = "Rappel : accueil de {child} demain, {day}"
BODY = """Bonjour {parent},

Nous accueillons {child} demain, {when}.

Lieu : {where}

Si vous ne pouvez pas venir, prévenez l'équipe dès que possible : la place pourra être
proposée à une autre famille.

L'équipe {programme}
"""
SMS = (
    "{programme} : {child} est attendu(e) demain {when}, à {where}. "
    "En cas d'empêchement, prévenez l'équipe."
)


class ReminderChannel(Protocol):
    name: str

    def recipient(self, reminder: Reminder) -> str:
        """The parent's address on this channel, or "" when the referral has none."""

    def send(self, reminder: Reminder) -> None:
        """Send it; raise when it could not be sent (it is then tried again next run)."""


class EmailChannel:
    name = "email"

    def recipient(self, reminder: Reminder) -> str:
        return reminder.email

    def send(self, reminder: Reminder) -> None:
        send_mail(
            SUBJECT.format(child=reminder.child_first_name, day=format_day(reminder.day)),
            email_body(reminder),
            None,
            [reminder.email],
        )


class ConsoleSmsChannel:
    """For development: writes the SMS it would send. A gateway implements the same."""

    name = "sms"

    def __init__(self, stream=None):
        self.stream = stream

    def recipient(self, reminder: Reminder) -> str:
        return reminder.phone

    def send(self, reminder: Reminder) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"SMS à {reminder.phone} : {sms_text(reminder)}\n")


def email_body(reminder: Reminder) -> str:
    return BODY.format(
        parent=reminder.parent_first_name,
        child=reminder.child_first_name,
        when=reminder.when,
        where=reminder.where,
        programme=reminder.programme,
    )


def sms_text(reminder: Reminder) -> str:
    return SMS.format(
        programme=reminder.programme,
        child=reminder.child_first_name,
        when=reminder.when,
        where=reminder.where,
    )


def configured_channels() -> list[ReminderChannel]:
    return [import_string(path)() for path in settings.CHILDCARE_REMINDER_CHANNELS]


@dataclasses.dataclass
class ReminderRun:
    sent: int = 0
    already_sent: int = 0
    no_contact: int = 0
    closed: int = 0
    failed: int = 0


def bookings_for(day: datetime.date):
    """The active bookings of ``day`` whose referral is still accepted."""
    return (
        Booking.objects.active()
        .filter(slot__day=day, enrolment__referral__state=State.ACCEPTED)
        .select_related("slot__site", "enrolment__child", "enrolment__referral__programme")
        .prefetch_related(
            "slot__site__weekly_openings", "slot__site__closures", "slot__site__relocations"
        )
        .order_by("slot__site_id", "slot__half_day", "pk")
    )


def reminder_for(booking: Booking, calendar: SiteCalendar) -> Reminder | None:
    """What the parent is told, or None when the calendar says the half-day is closed."""
    slot = booking.slot
    opening = calendar.opening(slot.day, slot.half_day)
    if opening is None:
        return None
    referral = booking.enrolment.referral
    return Reminder(
        booking_id=booking.pk,
        programme=referral.programme.name,
        parent_first_name=referral.parent_label,
        child_first_name=booking.enrolment.child.first_name,
        day=slot.day,
        half_day=slot.half_day,
        opens_at=opening.opens_at,
        closes_at=opening.closes_at,
        place_name=opening.place_name,
        address=opening.address,
        email=referral.contact_email,
        phone=referral.contact_phone,
    )


def send_reminders(*, day: datetime.date | None = None, channels=None) -> ReminderRun:
    """Send the reminders of the half-days booked on ``day`` (tomorrow by default) through
    ``channels`` (the setting's by default). Idempotent: what was sent is not sent again."""
    day = day or timezone.localdate() + datetime.timedelta(days=1)
    channels = configured_channels() if channels is None else channels
    run = ReminderRun()
    calendars: dict[int, SiteCalendar] = {}
    for booking in bookings_for(day):
        site = booking.slot.site
        if site.pk not in calendars:
            calendars[site.pk] = SiteCalendar.for_site(site)
        try:
            reminder = reminder_for(booking, calendars[site.pk])
        except SchoolCalendarUnavailable:  # nothing sure to say: the team is asked
            logger.exception("Reminder of booking %s: calendar unknown", booking.pk)
            reminder = None
        if reminder is None:
            run.closed += 1
            continue
        for channel in channels:
            _send_one(booking, reminder, channel, run)
    return run


def _send_one(booking: Booking, reminder: Reminder, channel: ReminderChannel, run: ReminderRun):
    if BookingReminder.objects.filter(booking=booking, channel=channel.name).exists():
        run.already_sent += 1
        return
    if not channel.recipient(reminder):
        run.no_contact += 1
        return
    try:
        with transaction.atomic():
            # The row first: a second run at the same time waits on it, then finds it.
            BookingReminder.objects.create(
                booking=booking, channel=channel.name, place=reminder.where[:460]
            )
            audit_log(
                None,
                "booking.remind",
                booking,
                channel=channel.name,
                day=reminder.day.isoformat(),
                place=reminder.place_name,
            )
            channel.send(reminder)
    except IntegrityError:
        run.already_sent += 1
    except Exception:
        logger.exception("Reminder of booking %s by %s failed", booking.pk, channel.name)
        run.failed += 1
    else:
        run.sent += 1
