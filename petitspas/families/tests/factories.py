"""Clearly fictitious families. ``PersonFactory(child=True)`` (about 18 months old),
``under_1=True`` (about 6 months), ``parent=True`` (the default role) and
``expected=True`` (due in about 3 months). Dates are relative to today."""

import datetime

import factory
from django.utils import timezone

from petitspas.families.models import Household, HousingSituation, Person
from petitspas.organisations.tests.factories import OrganisationFactory


def _days_from_today(days: int):
    return factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=days))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"F-{n + 1:04d}")
    housing = HousingSituation.UNKNOWN


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        parent = factory.Trait(role=Person.Role.PARENT)
        child = factory.Trait(role=Person.Role.CHILD, birth_date=_days_from_today(-548))
        under_1 = factory.Trait(role=Person.Role.CHILD, birth_date=_days_from_today(-183))
        expected = factory.Trait(
            role=Person.Role.EXPECTED_CHILD, first_name="", due_date=_days_from_today(91)
        )

    household = factory.SubFactory(HouseholdFactory)
    role = Person.Role.PARENT
    first_name = factory.Iterator(["Awa", "Zoé", "Inès", "Yanis", "Mamadou", "Léa", "Noé", "Sofia"])
