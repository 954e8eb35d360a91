"""Reads for the referral screens, the e-mails and the API."""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from petitspas.childcare import hooks
from petitspas.childcare.models import (
    PENDING_STATES,
    Enrolment,
    Referral,
    ReferralChild,
    ReferralTransition,
    State,
)
from petitspas.organisations.models import Membership, Organisation, ProgrammePrescriber, Role
from petitspas.places.models import HalfDay, Weekday, WeeklyOpening

# The coordinator's inbox, by tab: its label and the states it lists.
INBOX_TABS = {
    "a-traiter": ("À traiter", PENDING_STATES),
    "attente": ("Liste d'attente", (State.WAITING_LIST,)),
    "acceptees": ("Acceptées", (State.ACCEPTED,)),
    "refusees": ("Refusées", (State.REFUSED,)),
    "terminees": ("Terminées", (State.ENDED,)),
}


def reference_half_days(programme) -> list[tuple[str, str]]:
    """The half-days a reference week may hold: those where one of the programme's sites
    has a weekly opening (Les Petits Pas: Monday to Friday, never Friday afternoon), as
    ``("4am", "vendredi matin")``."""
    rows = (
        WeeklyOpening.objects.filter(site__programme=programme)
        .values_list("weekday", "half_day")
        .distinct()
    )
    return [
        (f"{weekday}{half_day}", f"{Weekday(weekday).label} {HalfDay(half_day).label}")
        for weekday, half_day in sorted(set(rows), key=lambda row: (row[0], row[1]))
    ]


def half_day_label(code: str) -> str:
    return f"{Weekday(int(code[0])).label} {HalfDay(code[1:]).label}"


def _with_children(referrals):
    return referrals.select_related("programme", "prescriber_organisation").prefetch_related(
        Prefetch("children", queryset=ReferralChild.objects.order_by("birth_date", "pk"))
    )


def referral_inbox(*, user, tab: str = "a-traiter"):
    """The coordinator's referrals of one tab, oldest first where a decision is owed."""
    states = INBOX_TABS[tab][1]
    referrals = Referral.objects.to_decide_by(user).filter(state__in=states)
    order = ("created_at", "pk") if tab == "a-traiter" else ("-state_changed_at", "-pk")
    return _with_children(referrals).order_by(*order)


def inbox_counts(*, user) -> dict[str, int]:
    """How many referrals each tab holds, and how many are overdue (``en-retard``)."""
    referrals = Referral.objects.to_decide_by(user)
    aggregates = {
        key: Count("pk", filter=Q(state__in=states)) for key, (_l, states) in INBOX_TABS.items()
    }
    counts = referrals.aggregate(**aggregates)
    counts["en-retard"] = referrals.overdue().count()
    return counts


def overdue_referrals(*, user):
    """Referrals still waiting for a decision after 30 days, for the coordinator."""
    return _with_children(Referral.objects.to_decide_by(user).overdue()).order_by("created_at")


def my_referrals(*, user):
    """ "Mes orientations": the user's prescriber organisations' referrals, newest first."""
    return _with_children(Referral.objects.of_prescriber(user)).order_by("-created_at", "-pk")


def referral_history(referral: Referral, *, for_prescriber: bool):
    """Its changes of state. A prescriber reads when and to what; the refusal's reason
    only when it was shared; never the coordinator's internal note."""
    transitions = list(
        ReferralTransition.objects.filter(referral=referral).select_related("by").order_by("at")
    )
    if for_prescriber:
        for transition in transitions:
            transition.note = ""
            if not transition.reason_shared and transition.to_state != State.ENDED:
                transition.reason = ""
    return transitions


@dataclasses.dataclass(frozen=True)
class ChildOutcome:
    first_name: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    # What the bookings say this month, when an app provides it (``hooks``): None otherwise.
    usage: hooks.MonthUsage | None


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What came of a referral, as its prescriber may read it."""

    state: str
    state_label: str
    enrolled: bool
    children: list[ChildOutcome]
    refusal_reason: str
    end_reason: str


def referral_outcome(referral: Referral, *, month: datetime.date | None = None) -> Outcome:
    """State and outcome: enrolled children with their dates and, where bookings exist,
    the half-days booked and used this month; the refusal's reason only when shared."""
    return referral_outcomes([referral], month=month)[0]


def referral_outcomes(referrals: list, *, month: datetime.date | None = None) -> list[Outcome]:
    """``referral_outcome`` of each referral, in order: their enrolments and the month's
    usage read once for the whole list ("Mes orientations" lists every referral)."""
    month = (month or timezone.localdate()).replace(day=1)
    enrolments = list(
        Enrolment.objects.filter(referral__in=[r.pk for r in referrals])
        .select_related("child")
        .order_by("pk")
    )
    usage = hooks.month_usage(enrolments, month)
    of_referral = defaultdict(list)
    for enrolment in enrolments:
        of_referral[enrolment.referral_id].append(enrolment)
    return [
        Outcome(
            state=referral.state,
            state_label=referral.get_state_display(),
            enrolled=referral.state == State.ACCEPTED and bool(of_referral[referral.pk]),
            children=[
                ChildOutcome(
                    first_name=e.child.first_name or "Enfant",
                    starts_on=e.starts_on,
                    ends_on=e.ends_on,
                    usage=usage.get(e.pk),
                )
                for e in of_referral[referral.pk]
            ],
            refusal_reason=referral.shared_refusal_reason,
            end_reason=referral.get_end_reason_display() if referral.end_reason else "",
        )
        for referral in referrals
    ]


def prescriber_links(*, programme):
    """The prescriber organisations that refer to ``programme``, with their prescribers
    (named to the programme's coordinators, who invite them)."""
    links = list(
        ProgrammePrescriber.objects.filter(programme=programme)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    members = (
        Membership.objects.filter(
            organisation_id__in=[link.organisation_id for link in links], role=Role.PRESCRIBER
        )
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
    by_organisation: dict[int, list[Membership]] = {}
    for membership in members:
        by_organisation.setdefault(membership.organisation_id, []).append(membership)
    for link in links:
        link.prescribers = by_organisation.get(link.organisation_id, [])
    return links


def prescriber_organisations_to_link(*, programme):
    """Prescriber organisations not yet linked to ``programme``. Their names are a public
    directory (France Travail's agencies, the PLIE, the APIJE), set up by the platform
    admin."""
    return Organisation.objects.filter(kind=Organisation.Kind.PRESCRIBER).exclude(
        pk__in=ProgrammePrescriber.objects.filter(programme=programme).values("organisation")
    )


def digest_recipients():
    """Each active prescriber who has joined, with their organisation's referrals still
    open or changed in the last 7 days: what the weekly digest sends."""
    since = timezone.now() - datetime.timedelta(days=7)
    memberships = (
        Membership.objects.joined()
        .filter(role=Role.PRESCRIBER, is_active=True, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__email")
    )
    for membership in memberships:
        referrals = list(
            _with_children(
                Referral.objects.filter(prescriber_organisation=membership.organisation).filter(
                    ~Q(state__in=(State.REFUSED, State.ENDED)) | Q(state_changed_at__gte=since)
                )
            ).order_by("state", "-created_at")
        )
        if referrals:
            yield membership, referrals


def enrolled_children(ids: list[int]):
    """Those of the people ``ids`` who are enrolled (``core.references``)."""
    return Enrolment.objects.filter(child_id__in=ids).values_list("child_id", flat=True)
