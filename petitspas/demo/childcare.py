"""Loads the demo's childcare on referral (``data/childcare.py``) through the childcare
services, dated back to when each referral was sent. Loading twice changes nothing: a
referral is known by its programme, prescriber organisation and parent's first name."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.childcare import services, services_bookings
from petitspas.childcare.models import AbsenceReason, Booking, Referral, ReferralTransition
from petitspas.childcare.selectors_presence import site_calendars, slot_hours
from petitspas.demo.data.childcare import (
    BOOKED,
    COORDINATOR,
    PRESCRIBER_EMAILS,
    PRESCRIBERS,
    PROGRAMME,
    REFERRALS,
    ReferralSpec,
)
from petitspas.organisations.models import Organisation, Programme, ProgrammePrescriber


def load_childcare(*, organisations: dict[str, Organisation], result):
    """Dated around the real today, whatever ``load_demo --today`` says: the services
    refuse a need that starts in the past, and check the children's ages on that day."""
    today = timezone.localdate()
    programme = Programme.objects.get(organisation__name="Ville de Lunel", name=PROGRAMME)
    for name, kind in PRESCRIBERS.items():
        organisation = organisations[name]
        if organisation.prescriber_kind != kind:
            organisation.prescriber_kind = kind
            organisation.save(update_fields=["prescriber_kind"])
        _, created = ProgrammePrescriber.objects.get_or_create(
            programme=programme, organisation=organisation
        )
        result.tally("prescripteurs liés à un programme", created)
    coordinator = User.objects.get(email=COORDINATOR)
    for spec in REFERRALS + BOOKED:
        organisation = organisations[spec.prescriber]
        exists = Referral.objects.filter(
            programme=programme,
            prescriber_organisation=organisation,
            parent_first_name=spec.parent,
        ).exists()
        if not exists:
            prescriber = User.objects.get(email=PRESCRIBER_EMAILS[spec.prescriber])
            _load_referral(spec, programme, organisation, prescriber, coordinator, today)
        result.tally("orientations", not exists)


def _load_referral(spec: ReferralSpec, programme, organisation, prescriber, coordinator, today):
    sent_on = today - datetime.timedelta(days=spec.sent_days_ago)
    # The services read "today": the referral is made as on the day it was sent, with the
    # ages the children had then.
    children = [
        {
            "first_name": name,
            "birth_date": today - relativedelta(months=months, days=more[0] if more else 10),
        }
        for name, months, *more in spec.children
    ]
    with transaction.atomic():
        referral = services.referral_create(
            programme=programme,
            prescriber_organisation=organisation,
            parent_first_name=spec.parent,
            contact_phone="06 00 00 00 00",
            pathway=spec.pathway,
            adviser_name=spec.adviser,
            needed_from=today,
            needs=spec.needs,
            children=children,
            by=prescriber,
        )
        step = max(1, spec.sent_days_ago // (len(spec.moves) + 1))
        for move in spec.moves:
            if move == "review":
                services.referral_start_review(referral=referral, by=coordinator)
            elif move == "accept":
                starts_on = min(today, sent_on + datetime.timedelta(days=14))
                services.referral_accept(
                    referral=referral,
                    starts_on=starts_on,
                    settling_in_until=starts_on + datetime.timedelta(days=11),
                    reference_week=list(spec.reference_week),
                    by=coordinator,
                )
                _book(spec, referral, coordinator, today)
            elif move == "wait":
                services.referral_wait(referral=referral, by=coordinator)
            elif move == "refuse":
                services.referral_refuse(
                    referral=referral,
                    reason=spec.reason,
                    reason_shared=spec.reason_shared,
                    by=coordinator,
                )
            elif move == "end":
                services.referral_end(referral=referral, reason=spec.reason, by=coordinator)
        # Dated back: sent ``sent_days_ago`` days ago, each move some days after the last.
        sent_at = timezone.make_aware(datetime.datetime.combine(sent_on, datetime.time(9, 30)))
        Referral.objects.filter(pk=referral.pk).update(created_at=sent_at)
        for index, transition in enumerate(referral.transitions.order_by("pk")):
            at = sent_at + datetime.timedelta(days=step * index, hours=index)
            ReferralTransition.objects.filter(pk=transition.pk).update(at=min(at, timezone.now()))
        last = referral.transitions.order_by("-pk").first()
        Referral.objects.filter(pk=referral.pk).update(
            state_changed_at=ReferralTransition.objects.get(pk=last.pk).at
        )


def _book(spec: ReferralSpec, referral, coordinator, today):
    """The enrolment's reference week, booked through the bookings' service (the calendar,
    the 6 + 1 places and the ages decide; what they refuse is not booked)."""
    if not spec.bookings:
        return
    if spec.bookings == "stopped":
        ends_on = today.replace(day=1) - datetime.timedelta(days=1)
    else:
        ends_on = today + datetime.timedelta(days=21)
    for enrolment in referral.enrolments.select_related("child", "referral", "programme"):
        last = min(ends_on, enrolment.starts_on + datetime.timedelta(days=180))
        if last >= enrolment.starts_on:
            services_bookings.bookings_for_reference_week(
                enrolment=enrolment,
                starts_on=enrolment.starts_on,
                ends_on=last,
                reason=spec.appointment,
                by=coordinator,
            )
        _presence(enrolment, today)


# Every 9th past half-day an absence (its reasons in turn), every 13th nothing noted.
ABSENCE_EVERY, NOT_NOTED_EVERY = 9, 13
ABSENCES = (AbsenceReason.SICK, AbsenceReason.NOTIFIED, AbsenceReason.NO_NOTICE)


def _presence(enrolment, today):
    """The past half-days as the professionals noted them on their phones: an arrival a few
    minutes after opening and a departure a little before closing (the half-day's hours,
    from the calendar), some absences with their reason, a few half-days not noted."""
    past = list(
        Booking.objects.active()
        .filter(enrolment=enrolment, slot__day__lt=today)
        .select_related("slot")
        .order_by("slot__day", "slot__half_day")
    )
    calendars = site_calendars(b.slot.site_id for b in past)
    for index, booking in enumerate(past, start=1):
        slot = booking.slot
        if index % ABSENCE_EVERY == 0:
            booking.absence = ABSENCES[(index // ABSENCE_EVERY) % len(ABSENCES)]
            continue
        if index % NOT_NOTED_EVERY == 0:
            continue
        opens_at, closes_at = slot_hours(calendars, slot.site_id, slot.day, slot.half_day)
        if opens_at is None:
            continue
        arrival = datetime.datetime.combine(slot.day, opens_at) + datetime.timedelta(
            minutes=(booking.pk * 7) % 20
        )
        departure = datetime.datetime.combine(slot.day, closes_at) - datetime.timedelta(
            minutes=(booking.pk * 11) % 25
        )
        booking.checked_in_at = timezone.make_aware(arrival)
        booking.checked_out_at = timezone.make_aware(departure)
    Booking.objects.bulk_update(past, ["checked_in_at", "checked_out_at", "absence"])
