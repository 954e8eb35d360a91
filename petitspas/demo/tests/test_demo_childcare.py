"""The demo's childcare on referral: the three prescribers linked to Les Petits Pas, and
referrals in every state, loaded through the services (so every rule holds)."""

import datetime

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.childcare.models import Booking, ChildcareSlot, Enrolment, Referral, State
from petitspas.childcare.selectors_bookings import turning_three, under_minimum
from petitspas.childcare.selectors_presence import programme_month_hours
from petitspas.demo.tests.test_load_demo import load, loaded, loaded_once  # noqa: F401
from petitspas.organisations.models import ProgrammePrescriber

pytestmark = pytest.mark.django_db


def test_referrals_in_every_state_and_prescribers_linked(loaded):  # noqa: F811
    assert set(Referral.objects.values_list("state", flat=True)) == set(State.values)
    assert Referral.objects.overdue().count() == 1
    assert ProgrammePrescriber.objects.filter(programme__name="Les Petits Pas").count() == 3
    assert Enrolment.objects.filter(referral__state=State.ACCEPTED).count() == 9
    assert Enrolment.objects.filter(referral__state=State.ENDED, ends_on__isnull=False).count() == 1


def test_loading_twice_adds_no_referral(loaded):  # noqa: F811
    before = Referral.objects.count()
    load()
    assert Referral.objects.count() == before


def test_bookings_over_past_months_and_next_weeks(loaded):  # noqa: F811
    today = timezone.localdate()
    days = Booking.objects.active().values_list("slot__day", flat=True)
    assert min(days) < today - datetime.timedelta(days=60)
    assert max(days) > today + datetime.timedelta(days=7)
    full = ChildcareSlot.objects.annotate(
        n=Count("bookings", filter=Q(bookings__state="booked")),
        regular=Count("bookings", filter=Q(bookings__state="booked", bookings__kind="regular")),
    ).filter(n=7)
    assert full.exists()
    assert (
        not ChildcareSlot.objects.annotate(
            regular=Count("bookings", filter=Q(bookings__state="booked", bookings__kind="regular"))
        )
        .filter(regular__gt=6)
        .exists()
    )
    coordinator = User.objects.get(email="coordination@lunel.demo")
    assert [e.child.first_name for e, _n in under_minimum(user=coordinator, month=today)] == [
        "Ilyes"
    ]
    assert [e.child.first_name for e, _d in turning_three(user=coordinator)] == ["Nina"]


def test_the_team_is_planned_and_one_booked_half_day_is_flagged(loaded):  # noqa: F811
    from petitspas.childcare.models import StaffMember
    from petitspas.childcare.staffing import flagged_half_days
    from petitspas.places.models import Site

    assert sorted(StaffMember.objects.values_list("qualification", flat=True)) == [
        "auxiliary",
        "auxiliary",
        "eje",
    ]
    today = timezone.localdate()
    sites = Site.objects.filter(programme__name="Les Petits Pas").prefetch_related(
        "weekly_openings", "closures", "relocations"
    )
    flagged = flagged_half_days(sites=sites, start=today, end=today + datetime.timedelta(days=20))
    assert len(flagged) == 1
    [row] = flagged
    assert row.staffing.children >= 1
    assert "aucune EJE (éducatrice de jeunes enfants) prévue" in row.staffing.problems


def test_the_itinerant_micro_creche_has_a_place_each_open_day(loaded):  # noqa: F811
    from petitspas.places.calendar import SiteCalendar
    from petitspas.places.models import Site

    site = Site.objects.get(name="Micro-crèche itinérante")
    today = timezone.localdate()
    openings = SiteCalendar.for_site(site).openings(today, today + datetime.timedelta(days=20))
    assert openings
    assert all(opening.relocated for opening in openings)
    assert {opening.place_name for opening in openings} >= {"Salle du Mas de Chambon"}
    before = site.relocations.count()
    load()
    assert site.relocations.count() == before


def test_past_half_days_have_arrivals_departures_and_absences(loaded):  # noqa: F811
    today = timezone.localdate()
    past = Booking.objects.active().filter(slot__day__lt=today)
    noted = past.filter(checked_in_at__isnull=False)
    assert noted.count() > past.count() * 3 // 4
    assert not noted.filter(checked_out_at__isnull=True).exists()
    assert set(past.exclude(absence="").values_list("absence", flat=True)) == {
        "sick",
        "notified",
        "no_notice",
    }
    assert past.filter(checked_in_at__isnull=True, absence="").exists()  # not noted
    assert not Booking.objects.filter(slot__day__gte=today, checked_in_at__isnull=False).exists()
    coordinator = User.objects.get(email="coordination@lunel.demo")
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    rows = [r for r in programme_month_hours(user=coordinator, month=last_month) if r.used]
    assert rows
    for row in rows:
        # Arrivals after opening and departures before closing: less than planned.
        assert 0 < row.actual_minutes < row.planned_minutes
