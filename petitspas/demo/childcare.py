"""Loads the demo's childcare on referral (``data/childcare.py``) through the childcare
services, dated back to when each referral was sent. Loading twice changes nothing: a
referral is known by its programme, prescriber organisation and parent's first name."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.childcare import services, services_bookings
from petitspas.childcare.models import Referral, ReferralTransition
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
