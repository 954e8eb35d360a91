"""API: a referral's state and outcome, for its prescriber (and the programme's
coordinators), through the same door as the page (``access_referral``).

What it answers is what the prescriber's page shows: the state, the refusal's reason only
when shared, the end's reason, and for an enrolled child the dates of the enrolment and,
once bookings exist, the half-days booked and used this month. Never the family's file,
contact details or an observation.
"""

import datetime

from ninja import Field, Router, Schema

from petitspas.childcare.models import State
from petitspas.childcare.permissions import access_referral
from petitspas.childcare.selectors import referral_outcome
from petitspas.core.api import OBJECT_ERRORS, path_id


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
