"""How many adults a half-day needs, and whether the team assigned to it is enough.

The seed (Les Petits Pas, Lunel): "2 professionnelles de la petite enfance soutenues par une
éducatrice de jeunes enfants" for at most 7 children. The rule, one function for every
screen and the demo (``required_staff``):

- no child booked: nobody is required (a team may still be planned);
- from 1 child: never one adult alone, so at least 2 adults, and one adult for every 3
  children (rounded up): 2 adults for 1 to 6 children, 3 for 7;
- an EJE among them whenever a child is booked.

So the full half-day of 7 children needs the seed's team, 2 + 1 EJE. A half-day whose
assigned staff falls short of it is flagged (``shortfall``) on the week grid and in the
coordinator's list of flagged half-days.
"""

import dataclasses
import datetime
import math

from django.db.models import Count, Exists, OuterRef

from petitspas.childcare.models import (
    Booking,
    ChildcareSlot,
    Qualification,
    StaffAssignment,
    StaffMember,
)
from petitspas.organisations.models import STAFF_ROLES, Membership
from petitspas.places.calendar import SiteCalendar

MIN_ADULTS = 2
CHILDREN_PER_ADULT = 3
MIN_EJE = 1


@dataclasses.dataclass(frozen=True)
class Requirement:
    adults: int
    eje: int


def required_staff(children: int) -> Requirement:
    """The adults (of which EJE) that ``children`` booked on one half-day need."""
    if children < 0:
        raise ValueError("A number of children cannot be negative.")
    if children == 0:
        return Requirement(adults=0, eje=0)
    return Requirement(
        adults=max(MIN_ADULTS, math.ceil(children / CHILDREN_PER_ADULT)), eje=MIN_EJE
    )


def shortfall(children: int, qualifications: list[str]) -> list[str]:
    """What the team assigned (one qualification per person) lacks for ``children``, in
    French; empty when it is enough."""
    need = required_staff(children)
    problems = []
    if len(qualifications) < need.adults:
        missing = need.adults - len(qualifications)
        problems.append(
            f"{len(qualifications)} adulte{'s' if len(qualifications) > 1 else ''} sur "
            f"{need.adults} requis pour {children} enfant{'s' if children > 1 else ''} "
            f"(il en manque {missing})"
        )
    eje = sum(1 for q in qualifications if q == Qualification.EJE)
    if eje < need.eje:
        problems.append("aucune EJE (éducatrice de jeunes enfants) prévue")
    return problems


@dataclasses.dataclass
class Staffing:
    """The staffing of one half-day at one site."""

    day: datetime.date
    half_day: str
    children: int
    assignments: list[StaffAssignment]

    @property
    def requirement(self) -> Requirement:
        return required_staff(self.children)

    @property
    def problems(self) -> list[str]:
        return shortfall(self.children, [a.staff.qualification for a in self.assignments])

    @property
    def is_flagged(self) -> bool:
        return bool(self.problems)

    @property
    def summary(self) -> str:
        need = self.requirement
        return f"{len(self.assignments)}/{need.adults}"


def staffing_by_half_day(
    site, start: datetime.date, end: datetime.date
) -> dict[tuple[datetime.date, str], Staffing]:
    """Every half-day of ``site`` from ``start`` to ``end`` with a booking or an assignment:
    children booked and staff assigned, in two queries."""
    slots = {
        slot.pk: (slot.day, slot.half_day)
        for slot in ChildcareSlot.objects.filter(site=site, day__range=(start, end))
    }
    children = dict(
        Booking.objects.active()
        .filter(slot_id__in=list(slots))
        .values("slot_id")
        .annotate(n=Count("pk"))
        .values_list("slot_id", "n")
    )
    result = {
        key: Staffing(day=key[0], half_day=key[1], children=children.get(pk, 0), assignments=[])
        for pk, key in slots.items()
    }
    for assignment in (
        StaffAssignment.objects.filter(slot_id__in=list(slots))
        .select_related("staff__user")
        .order_by("staff__user__first_name", "pk")
    ):
        result[slots[assignment.slot_id]].assignments.append(assignment)
    return result


def staffing_of(site, day: datetime.date, half_day: str) -> Staffing:
    return staffing_by_half_day(site, day, day).get(
        (day, half_day), Staffing(day=day, half_day=half_day, children=0, assignments=[])
    )


@dataclasses.dataclass
class FlaggedHalfDay:
    site: object
    staffing: Staffing
    place_name: str


def flagged_half_days(*, sites, start: datetime.date, end: datetime.date) -> list[FlaggedHalfDay]:
    """The open half-days of ``sites`` from ``start`` to ``end`` whose staff falls short of
    the rule, in date order. ``sites`` come with their calendar rules prefetched."""
    rows = []
    for site in sites:
        calendar = SiteCalendar.for_site(site)
        for (day, half_day), staffing in staffing_by_half_day(site, start, end).items():
            if not staffing.is_flagged:
                continue
            opening = calendar.status(day, half_day).opening
            if opening is None:
                continue
            rows.append(FlaggedHalfDay(site=site, staffing=staffing, place_name=opening.place_name))
    return sorted(rows, key=lambda r: (r.staffing.day, r.staffing.half_day, r.site.name))


def team_of(programme_id):
    """The programme's active childcare team, by first name: those still members of its
    organisation."""
    members = Membership.objects.filter(
        user_id=OuterRef("user_id"),
        organisation_id=OuterRef("programme__organisation_id"),
        role__in=STAFF_ROLES,
        is_active=True,
    )
    return (
        StaffMember.objects.filter(programme_id=programme_id)
        .active()
        .filter(Exists(members))
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def attach_staffing(site, days) -> None:
    """Give each cell of a week (``selectors_bookings.site_week``) its ``staffing``, with
    the children its places count, for the week grid."""
    cells = [cell for _day, day_cells in days for cell in day_cells]
    if not cells:
        return
    found = staffing_by_half_day(site, cells[0].day, cells[-1].day)
    for cell in cells:
        staffing = found.get((cell.day, cell.half_day))
        cell.staffing = Staffing(
            day=cell.day,
            half_day=cell.half_day,
            children=cell.places.taken,
            assignments=staffing.assignments if staffing else [],
        )
