"""Referrals, childcare half-days and orientations in the one indicators module, on a
hand-computed month of Les Petits Pas (Lunel): 6 + 1 places a half-day, mornings 8:30-12:15
from Monday to Friday and afternoons 13:30-17:00 but Friday's."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from petitspas.childcare.models import Booking, ChildcareSlot, Enrolment, ReferralTransition
from petitspas.childcare.tests.factories import PrescriberOrganisationFactory, ReferralFactory
from petitspas.directory.models import Desk, Orientation
from petitspas.directory.tests.test_directory import make_service, make_structure
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.organisations.models import ProgrammePrescriber, Role
from petitspas.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
)
from petitspas.places.models import HalfDay, WeeklyOpening
from petitspas.reporting import indicators
from petitspas.reporting.indicators import Scope, compute, figures_for
from petitspas.reporting.smallcells import SMALL
from petitspas.reporting.tables import all_tables, appointments_table, refusals_table

D = datetime.date
AM, PM = HalfDay.MORNING, HalfDay.AFTERNOON
TODAY = D(2025, 3, 20)
MARCH = (D(2025, 3, 1), D(2025, 3, 31))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def open_like_lunel(site):
    for weekday in range(5):
        WeeklyOpening.objects.create(
            site=site,
            weekday=weekday,
            half_day=AM,
            opens_at=datetime.time(8, 30),
            closes_at=datetime.time(12, 15),
        )
        if weekday != 4:
            WeeklyOpening.objects.create(
                site=site,
                weekday=weekday,
                half_day=PM,
                opens_at=datetime.time(13, 30),
                closes_at=datetime.time(17, 0),
            )


def referral(programme, sent, *moves, agency=None):
    """A referral sent on ``sent``, then each move ``(day, state, reason)``."""
    kwargs = {"prescriber_organisation": agency} if agency else {}
    made = ReferralFactory(programme=programme, **kwargs)
    made.created_at = at(sent, 9)
    made.save()
    made.transitions.update(at=at(sent, 9))
    state = "new"
    for day, to_state, *reason in moves:
        ReferralTransition.objects.create(
            referral=made,
            from_state=state,
            to_state=to_state,
            at=at(day, 11),
            reason=reason[0] if reason else "",
        )
        state = to_state
    made.state = state
    made.save()
    return made


class Month:
    """What ``month`` built, for the tests."""


@pytest.fixture
def month(bob, alice, travel):
    """Les Petits Pas (organisation B) in March 2025, today the 20th.

    Referrals (sent, then decided):
    - R1 sent 20 Feb, accepted 5 March (13 days);
    - R2 sent 3 March, refused 10 March, no place (7 days);
    - R3 sent 12 March, waiting list 20 March (8 days), accepted 2 April;
    - R4 sent 25 March, still new;
    - R5 sent 28 March, under review 31 March, refused 3 April (child's age);
    - R7 sent 10 January, refused 20 January (family unreachable);
    - organisation A's R6, sent 5 March and refused the next day, is not counted.
    Bookings of the children of R1's family at the parc:
    - Monday 10 March morning, full: K1..K6 regular, K7 settling in (the 7th place);
      K1, K2, K5, K7 arrived, K3 sick, K6 notified, K4 neither (a no-show);
    - Tuesday 11 March morning: K1, K2 regular, K3, K4 emergency (one beyond the 7th
      place, on a regular one); K1, K3, K4 arrived, K2 neither;
    - Thursday 13 March: K5's booking cancelled; Monday 24 March: K1, still to come;
    - 27 February: K1 arrived (another month); organisation A: one booking, not counted.
    Orientations at the desk of the parc in March: 3 succeeded, 1 not, 2 pending; one on
    28 February, one from a file without a desk, one at organisation A's desk.
    """
    travel(TODAY)
    m = Month()
    m.bob, m.programme, m.site = bob, bob.programme, bob.site
    open_like_lunel(bob.site)
    agency = PrescriberOrganisationFactory(name="France Travail – Agence de Lunel")
    ProgrammePrescriber.objects.create(programme=m.programme, organisation=agency)
    p = m.programme
    review, accepted, refused = "under_review", "accepted", "refused"
    m.r1 = referral(
        p, D(2025, 2, 20), (D(2025, 2, 21), review), (D(2025, 3, 5), accepted), agency=agency
    )
    m.r2 = referral(
        p,
        D(2025, 3, 3),
        (D(2025, 3, 4), review),
        (D(2025, 3, 10), refused, "no_place"),
        agency=agency,
    )
    m.r3 = referral(
        p,
        D(2025, 3, 12),
        (D(2025, 3, 13), review),
        (D(2025, 3, 20), "waiting_list"),
        (D(2025, 4, 2), accepted),
        agency=agency,
    )
    m.r4 = referral(p, D(2025, 3, 25), agency=agency)
    m.r5 = referral(
        p,
        D(2025, 3, 28),
        (D(2025, 3, 31), review),
        (D(2025, 4, 3), refused, "child_age"),
        agency=agency,
    )
    m.r7 = referral(
        p,
        D(2025, 1, 10),
        (D(2025, 1, 11), review),
        (D(2025, 1, 20), refused, "family_unreachable"),
        agency=agency,
    )
    m.r6 = referral(
        alice.programme,
        D(2025, 3, 5),
        (D(2025, 3, 5), review),
        (D(2025, 3, 6), refused, "no_place"),
    )

    household = HouseholdFactory(organisation=bob.organisation, town="Lunel")
    m.r1.household = household
    m.r1.save()
    kids = []
    for n in range(7):
        child = PersonFactory(household=household, child=True, birth_date=D(2023, 1, n + 1))
        kids.append(
            Enrolment.objects.create(
                programme=p,
                referral=m.r1,
                child=child,
                starts_on=D(2025, 2, 1),
                settling_in_until=D(2025, 3, 10),
            )
        )
    m.kids = kids

    def book(site, enrolment, day, half_day, reason, kind="regular", **noted):
        slot, _ = ChildcareSlot.objects.get_or_create(site=site, day=day, half_day=half_day)
        return Booking.objects.create(
            slot=slot, enrolment=enrolment, kind=kind, reason=reason, **noted
        )

    came = {"checked_in_at": at(D(2025, 3, 10), 9), "checked_out_at": at(D(2025, 3, 10), 12)}
    mon, tue = D(2025, 3, 10), D(2025, 3, 11)
    s = bob.site
    book(s, kids[0], mon, AM, "training", **came)
    book(s, kids[1], mon, AM, "training", **came)
    book(s, kids[2], mon, AM, "france_travail", absence="sick")
    book(s, kids[3], mon, AM, "job_interview")
    book(s, kids[4], mon, AM, "training", checked_in_at=at(mon, 9))
    book(s, kids[5], mon, AM, "plie_workshop", absence="notified")
    book(s, kids[6], mon, AM, "administrative", kind="settling_in", **came)
    book(s, kids[0], tue, AM, "training", checked_in_at=at(tue, 9))
    book(s, kids[1], tue, AM, "france_travail")
    book(s, kids[2], tue, AM, "job_interview", kind="emergency", checked_in_at=at(tue, 9))
    book(s, kids[3], tue, AM, "job_interview", kind="emergency", checked_in_at=at(tue, 9))
    cancelled = book(s, kids[4], D(2025, 3, 13), AM, "training")
    cancelled.state = Booking.State.CANCELLED
    cancelled.save()
    book(s, kids[0], D(2025, 3, 24), AM, "training")
    book(s, kids[0], D(2025, 2, 27), AM, "training", checked_in_at=at(D(2025, 2, 27), 9))

    other_household = HouseholdFactory(organisation=alice.organisation)
    m.r6.household = other_household
    m.r6.save()
    other_child = PersonFactory(household=other_household, child=True, birth_date=D(2023, 5, 1))
    other = Enrolment.objects.create(
        programme=alice.programme,
        referral=m.r6,
        child=other_child,
        starts_on=D(2025, 3, 1),
        settling_in_until=D(2025, 3, 1),
    )
    book(alice.site, other, mon, AM, "training", checked_in_at=at(mon, 9))

    partner = MembershipFactory(
        organisation=OrganisationFactory(name="Centre social", kind="partner"),
        role=Role.PARTNER,
    ).user
    service = make_service(partner, make_structure(partner, nom="Maison de quartier"))
    desk = Desk.objects.create(organisation=bob.organisation, site=bob.site, name="Accueil")
    other_desk = Desk.objects.create(organisation=alice.organisation, site=alice.site, name="PIF")

    def orient(day, outcome, *, on=desk, organisation=bob.organisation):
        Orientation.objects.create(
            organisation=organisation, desk=on, service=service, day=day, outcome=outcome
        )

    for outcome in ("yes", "yes", "yes", "no", "pending", "pending"):
        orient(D(2025, 3, 14), outcome)
    orient(D(2025, 2, 28), "yes")
    orient(D(2025, 3, 14), "yes", on=None)
    orient(D(2025, 3, 14), "yes", on=other_desk, organisation=alice.organisation)
    return m


def march(m, **kwargs):
    return Scope(programme=m.programme, start=MARCH[0], end=MARCH[1], **kwargs)


MARCH_FIGURES = {
    "referrals_received": 4,  # R2, R3, R4, R5
    "referrals_accepted": 1,  # R1 (R3 only in April)
    "referrals_refused": 1,  # R2 (R5 only in April)
    "referrals_waiting": 3,  # on 31 March: R3 waiting list, R4 new, R5 under review
    "referrals_decided": 3,  # R1 13 days, R2 7 days, R3 8 days
    "referral_decision_days_median": 8,
    "childcare_half_days_booked": 12,  # 7 + 4 + 24 March; the cancelled one left out
    "childcare_half_days_used": 7,  # 4 on Monday, 3 on Tuesday
    "childcare_absences": 2,
    "childcare_no_shows": 2,  # K4 on Monday, K2 on Tuesday; 24 March is still to come
    "childcare_settling_in_or_emergency": 3,
    # Regular places taken: 6 on Monday, 2 + 1 on Tuesday, 1 on the 24th = 10, over
    # 38 open half-days (21 mornings, 17 afternoons) × 6 = 228 places.
    "childcare_occupancy": 4.4,
    "orientations_given": 6,
    "orientations_succeeded": 3,
    "orientations_not_succeeded": 1,
    "orientations_pending": 2,
}


def test_every_childcare_referral_and_orientation_figure_of_a_month(month):
    figures = compute(march(month), today=TODAY)
    assert {name: figures[name] for name in MARCH_FIGURES} == MARCH_FIGURES


def test_refusals_and_appointments_by_reason(month):
    scope = march(month)
    refusals = indicators.refusals_by_reason(scope)
    assert refusals["no_place"] == 1 and sum(refusals.values()) == 1
    assert indicators.appointments_by_reason(scope) == {
        "job_interview": 3,
        "training": 5,
        "france_travail": 2,
        "plie_workshop": 1,
        "administrative": 1,
        "other": 0,
    }
    april = indicators.refusals_by_reason(
        Scope(programme=month.programme, start=D(2025, 4, 1), end=D(2025, 4, 30))
    )
    assert april["child_age"] == 1 and sum(april.values()) == 1


def test_a_year_and_the_first_quarter(month):
    year = compute(
        Scope(programme=month.programme, start=D(2025, 1, 1), end=D(2025, 12, 31)),
        today=TODAY,
    )
    # Sent in 2025: all six of organisation B; R3 and R1 accepted; R2, R5, R7 refused.
    assert year["referrals_received"] == 6
    assert year["referrals_accepted"] == 2
    assert year["referrals_refused"] == 3
    assert year["referrals_waiting"] == 1  # R4, still new on 31 December
    assert year["childcare_half_days_booked"] == 13  # with 27 February
    assert year["childcare_half_days_used"] == 8


def test_a_period_with_nothing(month):
    figures = compute(
        Scope(programme=month.programme, start=D(2024, 6, 1), end=D(2024, 6, 30)),
        today=TODAY,
    )
    assert figures["referrals_received"] == 0
    assert figures["referrals_waiting"] == 0
    assert figures["referral_decision_days_median"] is None
    assert figures["childcare_half_days_booked"] == 0
    assert figures["childcare_no_shows"] == 0
    assert figures["childcare_occupancy"] == 0.0  # open, nothing booked
    assert figures["orientations_given"] == 0


def test_one_site_and_another_site(month):
    other = compute(march(month, site_id=month.bob.site.pk + 1000), today=TODAY)
    assert other["childcare_half_days_booked"] == 0
    assert other["childcare_occupancy"] is None  # no open half-day
    assert other["orientations_given"] == 0
    same = compute(march(month, site_id=month.bob.site.pk), today=TODAY)
    assert same["childcare_occupancy"] == 4.4


def test_a_programme_without_childcare_or_desk_has_none(month):
    figures = compute(
        Scope(programme=ProgrammeFactory(), start=MARCH[0], end=MARCH[1]), today=TODAY
    )
    for name in (
        *indicators.REFERRAL_NAMES,
        *indicators.CHILDCARE_NAMES,
        *indicators.ORIENTATION_NAMES,
    ):
        assert figures[name] is None


def test_one_activity_type_has_no_childcare_figure(month):
    figures = compute(march(month, activity_type_id=1), today=TODAY)
    assert figures["childcare_half_days_booked"] is None
    assert figures["referrals_received"] is None
    assert figures["orientations_given"] is None


def test_the_households_of_a_town(month):
    figures = compute(march(month, town="Lunel"), today=TODAY)
    # Only R1 has a file (in Lunel): its children's bookings, no occupancy.
    assert figures["referrals_received"] == 0
    assert figures["referrals_accepted"] == 1
    assert figures["childcare_half_days_booked"] == 12
    assert figures["childcare_occupancy"] is None
    assert compute(march(month, town="Mauguio"), today=TODAY)["childcare_half_days_used"] == 0


def test_coordinator_reads_exact_figures_and_tables(month):
    figures = figures_for(month.bob.coordinator, march(month), today=TODAY)
    assert figures.values["referrals_received"] == 4
    assert figures.values["childcare_absences"] == 2
    titles = [t.title for t in all_tables(figures, today=TODAY)]
    assert "Orientations refusées par motif" in titles
    assert "Rendez-vous des parents couverts par l'accueil des enfants" in titles
    sections = [title for title, _rows in figures.sections()]
    assert sections[-3:] == [indicators.REFERRALS, indicators.CHILDCARE, indicators.ORIENTATIONS]


def test_funder_reads_small_cells_as_under_5(month):
    funder = MembershipFactory(organisation=month.bob.organisation, role=Role.FUNDER).user
    figures = figures_for(funder, march(month), today=TODAY)
    values = figures.values
    assert values["referrals_received"] == SMALL
    assert values["referrals_decided"] == SMALL
    assert values["referral_decision_days_median"] == SMALL  # computed from 3 referrals
    assert values["childcare_half_days_booked"] == 12
    assert values["childcare_half_days_used"] == 7
    assert values["childcare_absences"] == SMALL
    assert values["childcare_occupancy"] == 4.4
    # 6 orientations = 3 + 1 + 2: every part hidden, the total shows.
    assert values["orientations_given"] == 6
    assert values["orientations_succeeded"] == SMALL
    appointments = appointments_table(figures)
    rows = {row[0]: row[1] for row in appointments.rows}
    assert rows["Formation"] == 5
    assert rows["Entretien d'embauche"] == SMALL
    assert rows["Autre"] == 0
    assert rows["Total"] == 12
    refusals = {row[0]: row[1] for row in refusals_table(figures).rows}
    assert refusals["Plus de place sur les demi-journées demandées"] == SMALL
    assert refusals["Total"] == SMALL


def test_a_single_hidden_reason_is_not_recovered_from_the_total(month):
    """Training 5, France Travail 7, total 12: nothing hidden. Then one France Travail
    half-day becomes "other" (1, hidden): the total less the visible reasons must not
    give it, so another cell hides with it."""
    funder = MembershipFactory(organisation=month.bob.organisation, role=Role.FUNDER).user
    Booking.objects.filter(reason__in=["job_interview", "plie_workshop", "administrative"]).update(
        reason="france_travail"
    )
    rows = {
        r[0]: r[1] for r in appointments_table(figures_for(funder, march(month), today=TODAY)).rows
    }
    assert rows["Rendez-vous France Travail"] == 7 and rows["Formation"] == 5
    assert SMALL not in rows.values()
    Booking.objects.filter(enrolment=month.kids[1], slot__day=D(2025, 3, 11)).update(reason="other")
    rows = {
        r[0]: r[1] for r in appointments_table(figures_for(funder, march(month), today=TODAY)).rows
    }
    total = rows.pop("Total")
    assert total == 12 and rows["Autre"] == SMALL
    hidden = [label for label, value in rows.items() if value == SMALL]
    assert len(hidden) == 2
    assert total - sum(v for v in rows.values() if v != SMALL) > 1


def test_dashboard_and_xlsx_show_the_childcare_sections(client, month):
    client.force_login(month.bob.coordinator)
    query = "start=2025-03-01&end=2025-03-31"
    page = client.get(f"/indicateurs/{month.programme.pk}/?{query}").content.decode()
    assert "Demi-journées réservées" in page
    assert "Orientations refusées par motif" in page
    workbook = load_workbook(
        io.BytesIO(
            client.get(f"/indicateurs/{month.programme.pk}/indicateurs.xlsx?{query}").content
        )
    )
    assert "Rendez-vous couverts" in workbook.sheetnames
    api = client.get(f"/api/indicators?programme={month.programme.pk}&{query}").json()
    values = {row["name"]: row["value"] for row in api["indicators"]}
    assert values["childcare_half_days_booked"] == 12
    assert values["orientations_succeeded"] == 3
