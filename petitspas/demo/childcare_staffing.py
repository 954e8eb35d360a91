"""Loads Les Petits Pas' team and the itinerant micro-crèche (``data/childcare_staffing.py``)
through the childcare services: the team with its qualifications, planned on the
programme's open half-days of the coming weeks (all three on each), the EJE left off one
booked half-day next week so that the flag shows, and the micro-crèche's round as one
place a day. Loading twice changes nothing."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.childcare.models import Qualification, StaffAssignment, StaffMember
from petitspas.childcare.services_itinerary import itinerary_repeat
from petitspas.childcare.services_staffing import staff_assign, staff_member_add, staff_unassign
from petitspas.childcare.staffing import staffing_by_half_day
from petitspas.demo.data.childcare import COORDINATOR, PROGRAMME
from petitspas.demo.data.childcare_staffing import (
    ITINERANT,
    PLANNED_DAYS,
    ROUND,
    ROUND_DAYS,
    TEAM,
)
from petitspas.organisations.models import Programme
from petitspas.places.calendar import SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.models import Site


def load_childcare_staffing(*, result, load_site):
    """``load_site``: the demo loader's own (a site from its spec, with its weekly rules)."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    programme = Programme.objects.get(organisation__name="Ville de Lunel", name=PROGRAMME)
    coordinator = User.objects.get(email=COORDINATOR)

    existed = Site.objects.filter(programme=programme, name__iexact=ITINERANT.name).exists()
    itinerant = load_site(programme, ITINERANT, result)
    if not existed:
        placed = itinerary_repeat(
            site=itinerant,
            places_by_weekday=ROUND,
            starts_on=monday,
            ends_on=monday + datetime.timedelta(days=ROUND_DAYS - 1),
            by=coordinator,
        ).placed
        for _relocation in placed:
            result.tally("lieux du jour de la micro-crèche itinérante", True)

    team = []
    for email, qualification in TEAM.items():
        user = User.objects.get(email=email)
        staff = StaffMember.objects.filter(programme=programme, user=user).first()
        created = staff is None
        if created:
            staff = staff_member_add(
                programme=programme, person=user, qualification=qualification, by=coordinator
            )
        result.tally("membres de l'équipe d'accueil", created)
        team.append(staff)
    if StaffAssignment.objects.filter(staff__programme=programme).exists():
        return

    sites = list(
        Site.objects.filter(programme=programme, is_active=True)
        .exclude(pk=itinerant.pk)
        .prefetch_related("weekly_openings", "closures", "relocations")
    )
    last = monday + datetime.timedelta(days=PLANNED_DAYS - 1)
    for site in sites:
        try:
            openings = SiteCalendar.for_site(site).openings(monday, last)
        except SchoolCalendarUnavailable:
            continue
        for opening in openings:
            for staff in team:
                try:
                    staff_assign(
                        site=site,
                        day=opening.day,
                        half_day=opening.half_day,
                        staff=staff,
                        by=coordinator,
                    )
                except ValidationError:
                    continue  # already planned at the other site that half-day
                result.tally("présences prévues de l'équipe", True)
    _leave_one_half_day_short(sites, team, monday + datetime.timedelta(days=7), coordinator)


def _leave_one_half_day_short(sites, team, next_monday, coordinator):
    """The EJE is taken off next week's most booked half-day: it is flagged."""
    eje = next(staff for staff in team if staff.qualification == Qualification.EJE)
    candidates = [
        staffing
        for site in sites
        for staffing in staffing_by_half_day(
            site, next_monday, next_monday + datetime.timedelta(days=6)
        ).values()
        if staffing.children
    ]
    if not candidates:
        return
    busiest = max(candidates, key=lambda s: (s.children, -s.day.toordinal()))
    for assignment in busiest.assignments:
        if assignment.staff_id == eje.pk:
            staff_unassign(assignment=assignment, by=coordinator)
