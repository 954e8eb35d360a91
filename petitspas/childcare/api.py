"""API: a referral's state and outcome, for its prescriber (and the programme's
coordinators), through the same door as the page (``access_referral``).

What it answers is what the prescriber's page shows: the state, the refusal's reason only
when shared, the end's reason, and for an enrolled child the dates of the enrolment and,
once bookings exist, the half-days booked and used this month. Never the family's file,
contact details or an observation.
"""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError as ValidationError_
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from petitspas.childcare import services_bookings
from petitspas.childcare.models import CAPACITY, REGULAR_PLACES, State
from petitspas.childcare.permissions import (
    access_childcare_site,
    access_enrolment,
    access_referral,
)
from petitspas.childcare.selectors import referral_outcome
from petitspas.childcare.selectors_bookings import site_cells
from petitspas.core.api import OBJECT_ERRORS, ErrorOut, path_id
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS, FIRST_DAY, LAST_DAY, is_possible_day
from petitspas.core.db import MAX_ID


class EnrolledChildOut(Schema):
    first_name: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    half_days_booked_this_month: int | None = Field(
        description="Absent (null) until bookings of half-days are kept."
    )
    half_days_used_this_month: int | None = Field(
        description="Absent (null) until bookings of half-days are kept."
    )


class ReferralStateOut(Schema):
    id: int
    programme: str
    prescriber_organisation: str
    sent_at: datetime.datetime
    state: str = Field(description=", ".join(State.values))
    state_label: str
    state_changed_at: datetime.datetime
    enrolled: bool
    refusal_reason: str = Field(description="Only when the team shared it; empty otherwise.")
    end_reason: str
    children: list[EnrolledChildOut] = Field(description="The children enrolled, if any.")


router = Router()


@router.get(
    "/childcare/referrals/{referral_id}",
    response={200: ReferralStateOut, **OBJECT_ERRORS},
    tags=["childcare"],
    summary="A referral's state and outcome, for its prescriber",
)
def referral_state(request, referral_id: int = path_id()):
    referral = access_referral(request.auth, referral_id)
    outcome = referral_outcome(referral)
    return {
        "id": referral.pk,
        "programme": referral.programme.name,
        "prescriber_organisation": referral.prescriber_organisation.name,
        "sent_at": referral.created_at,
        "state": referral.state,
        "state_label": outcome.state_label,
        "state_changed_at": referral.state_changed_at,
        "enrolled": outcome.enrolled,
        "refusal_reason": outcome.refusal_reason,
        "end_reason": outcome.end_reason,
        "children": [
            {
                "first_name": child.first_name,
                "starts_on": child.starts_on,
                "ends_on": child.ends_on,
                "half_days_booked_this_month": child.usage.booked if child.usage else None,
                "half_days_used_this_month": child.usage.used if child.usage else None,
            }
            for child in outcome.children
        ],
    }


# --- Bookings of half-days -----------------------------------------------------------------

DEFAULT_SLOT_DAYS = 14
MAX_SLOT_DAYS = 62


class SlotRange(Schema):
    start: datetime.date | None = Field(
        None, description=f"First day (default: today), from {FIRST_DAY} to {LAST_DAY}."
    )
    end: datetime.date | None = Field(
        None,
        description=f"Last day, included (default: start + {DEFAULT_SLOT_DAYS - 1} days; "
        f"at most {MAX_SLOT_DAYS} days).",
    )


class HalfDaySlotOut(Schema):
    day: datetime.date
    half_day: Literal["am", "pm"] = Field(description="am: morning, pm: afternoon.")
    open: bool
    closed_reason: str = Field(description="Why the site is closed, in French; empty if open.")
    opens_at: str | None = Field(description='"08:30", local time; null when closed.')
    closes_at: str | None
    places: int = Field(description=f"{CAPACITY}: {REGULAR_PLACES} regular + 1 settling-in.")
    taken: int
    regular_left: int = Field(description="Regular places left.")
    settling_in_left: int = Field(
        description="The 7th place, for settling-in or emergency only: 1 when free."
    )
    waiting: int = Field(description="Children on the half-day's waiting list.")


class SiteSlotsOut(Schema):
    site_id: int
    start: datetime.date
    end: datetime.date
    slots: list[HalfDaySlotOut]


class BookingIn(Schema):
    enrolment_id: int = Field(..., ge=1, le=MAX_ID)
    site_id: int = Field(..., ge=1, le=MAX_ID)
    day: datetime.date
    half_day: Literal["am", "pm"]
    kind: Literal["regular", "settling_in", "emergency"] = "regular"
    reason: Literal[
        "job_interview", "training", "france_travail", "plie_workshop", "administrative", "other"
    ] = Field(description="The parent's appointment.")


class BookingOut(Schema):
    id: int
    enrolment_id: int
    site_id: int
    day: datetime.date
    half_day: str
    kind: str
    reason: str


class RefusalOut(Schema):
    """409: the booking is refused; ``detail`` says why, in French."""

    detail: str
    code: str = Field(
        description="full, closed, not_eligible, already_booked, or invalid (another rule)."
    )


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


@router.get(
    "/childcare/sites/{site_id}/half-days",
    response={200: SiteSlotsOut, **OBJECT_ERRORS},
    tags=["childcare"],
    summary="A site's half-days with the places left",
    description="For the programme's admins and coordinators. Open or closed (with the "
    "calendar's reason), places taken out of 7, regular places left and the settling-in or "
    f"emergency place. At most {MAX_SLOT_DAYS} days.",
)
def site_half_days(request, dates: Query[SlotRange], site_id: int = path_id()):
    site = access_childcare_site(request.auth, site_id)
    start = dates.start or timezone.localdate()
    for name, day in (("start", start), ("end", dates.end)):
        if day is not None and not is_possible_day(day):
            raise _invalid(name, DAY_OUT_OF_BOUNDS)
    end = dates.end or start + datetime.timedelta(days=DEFAULT_SLOT_DAYS - 1)
    if end < start:
        raise _invalid("end", "La date de fin doit être égale ou postérieure à la date de début.")
    if (end - start).days + 1 > MAX_SLOT_DAYS:
        raise _invalid("end", f"La période demandée ne peut pas dépasser {MAX_SLOT_DAYS} jours.")
    cells = site_cells(site, start, end)
    return {
        "site_id": site.pk,
        "start": start,
        "end": end,
        "slots": [
            {
                "day": cell.day,
                "half_day": cell.half_day,
                "open": cell.is_open,
                "closed_reason": cell.status.reason,
                "opens_at": f"{cell.status.opening.opens_at:%H:%M}" if cell.is_open else None,
                "closes_at": f"{cell.status.opening.closes_at:%H:%M}" if cell.is_open else None,
                "places": CAPACITY,
                "taken": cell.places.taken,
                "regular_left": cell.places.regular_left if cell.is_open else 0,
                "settling_in_left": cell.places.extra_left if cell.is_open else 0,
                "waiting": cell.waiting,
            }
            for cell in cells
        ],
    }


@router.post(
    "/childcare/bookings",
    response={201: BookingOut, 400: ErrorOut, 409: RefusalOut, **OBJECT_ERRORS},
    tags=["childcare"],
    summary="Book a half-day for an enrolled child",
    description="400 when the body is not JSON. 409 with the French reason when the "
    "half-day is full (6 regular places, "
    "the 7th for settling-in or emergency only), the site is closed, the child is not "
    "eligible that day (3 months to 3 years, enrolment active) or already booked.",
)
def booking_create(request, data: BookingIn):
    enrolment = access_enrolment(request.auth, data.enrolment_id)
    site = access_childcare_site(request.auth, data.site_id)
    if not is_possible_day(data.day):
        raise ValidationError(
            [{"type": "value_error", "loc": ["body", "data", "day"], "msg": DAY_OUT_OF_BOUNDS}]
        )
    try:
        booking = services_bookings.booking_create(
            enrolment=enrolment,
            site=site,
            day=data.day,
            half_day=data.half_day,
            kind=data.kind,
            reason=data.reason,
            by=request.auth,
        )
    except ValidationError_ as error:
        code = error.code if error.code in services_bookings.REFUSAL_CODES else "invalid"
        return Status(409, {"detail": " ".join(error.messages), "code": code})
    return Status(
        201,
        {
            "id": booking.pk,
            "enrolment_id": enrolment.pk,
            "site_id": site.pk,
            "day": data.day,
            "half_day": data.half_day,
            "kind": booking.kind,
            "reason": booking.reason,
        },
    )
