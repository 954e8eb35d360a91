"""Who and what the measurements look at, chosen the same way at every scale: the largest
organisation (by households), its coordinator, its professional with the most sessions
today, its busiest programme this month and that programme's busiest site."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.activities.models import Session
from petitspas.attendance.models import Attendance, Headcount, Observation, Registration
from petitspas.families.models import Household, Person
from petitspas.organisations.models import (
    PLANNER_ROLES,
    Membership,
    Organisation,
    Programme,
    Role,
)
from petitspas.places.models import Site


@dataclasses.dataclass(frozen=True)
class Subjects:
    today: datetime.date
    organisation: Organisation
    coordinator: User
    professional: User
    professional_sessions_today: int
    programme: Programme
    site: Site


def member(organisation: Organisation, role: str) -> User:
    """The organisation's first active member in ``role``: who the bench acts as."""
    return (
        Membership.objects.filter(organisation=organisation, role=role, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def find_subjects() -> Subjects:
    today = timezone.localdate()
    organisation = (
        Organisation.objects.annotate(families=Count("households"))
        .order_by("-families", "pk")
        .first()
    )
    professionals = (
        User.objects.filter(
            memberships__organisation=organisation, memberships__role=Role.PROFESSIONAL
        )
        .annotate(today=Count("staffed_sessions", filter=Q(staffed_sessions__date=today)))
        .order_by("-today", "pk")
    )
    professional = professionals.first()
    first_of_month = today.replace(day=1)
    programme = (
        Programme.objects.filter(organisation=organisation)
        .annotate(
            month=Count(
                "activity_types__sessions",
                filter=Q(activity_types__sessions__date__gte=first_of_month),
            )
        )
        .order_by("-month", "pk")
        .first()
    )
    site = (
        Site.objects.filter(programme=programme)
        .annotate(coming=Count("sessions", filter=Q(sessions__date__gte=today)))
        .order_by("-coming", "pk")
        .first()
    )
    return Subjects(
        today=today,
        organisation=organisation,
        coordinator=member(organisation, Role.COORDINATOR),
        professional=professional,
        professional_sessions_today=professional.today,
        programme=programme,
        site=site,
    )


def territory_counts() -> dict[str, int]:
    """What the database holds, for the results file."""
    return {
        "organisations": Organisation.objects.count(),
        "programmes": Programme.objects.count(),
        "sites": Site.objects.count(),
        "households": Household.objects.count(),
        "children": Person.objects.filter(role=Person.Role.CHILD).count(),
        "people": Person.objects.count(),
        "sessions": Session.objects.count(),
        "attendance": Attendance.objects.count(),
        "registrations": Registration.objects.count(),
        "headcounts": Headcount.objects.count(),
        "observations": Observation.objects.count(),
    }


@dataclasses.dataclass(frozen=True)
class LargestProgramme:
    """The programme with the most attendance rows: what the longest export and the
    longest report read."""

    programme: Programme
    rows: int
    first: datetime.date
    last: datetime.date
    planner: User  # an admin or coordinator of its organisation


def largest_programme() -> LargestProgramme:
    largest = (
        Attendance.objects.values("session__activity_type__programme")
        .annotate(n=Count("pk"), first=Min("session__date"), last=Max("session__date"))
        .order_by("-n")
        .first()
    )
    programme = Programme.objects.select_related("organisation").get(
        pk=largest["session__activity_type__programme"]
    )
    planner = (
        Membership.objects.filter(
            organisation=programme.organisation, role__in=PLANNER_ROLES, is_active=True
        )
        .select_related("user")
        .first()
        .user
    )
    return LargestProgramme(programme, largest["n"], largest["first"], largest["last"], planner)
