import datetime

import pytest

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.models import Attendance, Headcount
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory

D = datetime.date


class Built:
    """The hand-computed programme of ``test_indicators`` (figures in its docstring)."""


@pytest.fixture
def built(alice):
    """Espace Petits Pas of organisation A, 2024-2025:

    - H1: parent A1, child C1 born 2024-09-15, a child expected on 2025-06-01;
    - H2 (Pantin): parent A2, child C2 born 2021-01-01, child C3 born 2018-01-01;
    - H3: parent A3, already seen in November 2024.
    Named sessions of 10 places, 14:00-16:00: S0 2024-11-05 (H3), S1 2025-03-10 (H1 and
    H2 whole), S2 2025-04-14 (A1 present, C1 absent), S3 2025-10-07 (H1 whole, A3);
    S4 2025-05-05 cancelled; an open session S5 2025-06-02 with a headcount of 6 adults and
    2 + 3 + 1 children, 1 pregnant woman, 2 first visits.
    """
    b = Built()
    org, programme, site = alice.organisation, alice.programme, alice.site
    named = ActivityTypeFactory(programme=programme, name="Atelier", on_registration=True)
    laep = ActivityTypeFactory(programme=programme, name="LAEP", kind="laep")
    b.named, b.laep, b.programme, b.site = named, laep, programme, site
    b.h1 = HouseholdFactory(organisation=org, town="Aubervilliers")
    b.a1 = PersonFactory(household=b.h1, parent=True)
    b.c1 = PersonFactory(household=b.h1, child=True, birth_date=D(2024, 9, 15))
    b.e1 = PersonFactory(household=b.h1, expected=True, due_date=D(2025, 6, 1))
    b.h2 = HouseholdFactory(organisation=org, town="Pantin")
    b.a2 = PersonFactory(household=b.h2, parent=True)
    b.c2 = PersonFactory(household=b.h2, child=True, birth_date=D(2021, 1, 1))
    b.c3 = PersonFactory(household=b.h2, child=True, birth_date=D(2018, 1, 1))
    b.h3 = HouseholdFactory(organisation=org, town="Aubervilliers")
    b.a3 = PersonFactory(household=b.h3, parent=True)

    def session(day, activity=named, **kwargs):
        return SessionFactory(activity_type=activity, site=site, date=day, capacity=10, **kwargs)

    b.s0 = session(D(2024, 11, 5))
    b.s1 = session(D(2025, 3, 10))
    b.s2 = session(D(2025, 4, 14))
    b.s3 = session(D(2025, 10, 7))
    b.s4 = session(D(2025, 5, 5), cancelled=True)
    b.s5 = session(D(2025, 6, 2), activity=laep)
    b.s5.capacity = None
    b.s5.save()

    def present(s, *people, status=Attendance.Status.PRESENT):
        for p in people:
            Attendance.objects.create(session=s, person=p, household=p.household, status=status)

    present(b.s0, b.a3)
    present(b.s1, b.a1, b.c1, b.a2, b.c2, b.c3)
    present(b.s2, b.a1)
    present(b.s2, b.c1, status=Attendance.Status.NO_SHOW)
    present(b.s3, b.a1, b.c1, b.a3)
    Headcount.objects.create(
        session=b.s5,
        adults=6,
        children_under_1=2,
        children_1_3=3,
        children_3_6=1,
        pregnant_women=1,
        first_visits=2,
    )
    return b
