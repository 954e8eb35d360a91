import factory

from petitspas.activities.tests.factories import SessionFactory
from petitspas.attendance.models import Attendance, Registration
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    household = factory.SubFactory(HouseholdFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A present parent by default; pass ``person`` (its household follows)."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    household = factory.SelfAttribute("person.household")
    status = Attendance.Status.PRESENT


def family(organisation, code, *, parent="Awa", children=("Moussa",), under_1=(), expected=False):
    """A household with a parent, children about 18 months old, babies about 6 months old
    and, if asked, an expected child."""
    household = HouseholdFactory(organisation=organisation, code=code)
    PersonFactory(household=household, parent=True, first_name=parent)
    for name in children:
        PersonFactory(household=household, child=True, first_name=name)
    for name in under_1:
        PersonFactory(household=household, under_1=True, first_name=name)
    if expected:
        PersonFactory(household=household, expected=True)
    return household


def expect(session, *households):
    """Register ``households`` at ``session``: they are on its sheet (need-to-know lets
    its staff mark them, met before or not)."""
    for household in households:
        RegistrationFactory(session=session, household=household)
    return households
