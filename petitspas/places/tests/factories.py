import datetime

import factory

from petitspas.organisations.tests.factories import ProgrammeFactory
from petitspas.places.models import HalfDay, SchoolHolidayRule, Site, WeeklyOpening


class SiteFactory(factory.django.DjangoModelFactory):
    """A Pantin site (zone C) by default; ``lunel=True`` for a site in Hérault."""

    class Meta:
        model = Site

    class Params:
        lunel = factory.Trait(
            address="73 rue de l'École du Parc",
            postcode="34400",
            commune_code="34145",
            town="Lunel",
            departement="34",
        )

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Lieu {n}")
    kind = Site.Kind.NEIGHBOURHOOD_CENTRE
    address = "1 rue Cartier-Bresson"
    postcode = "93500"
    commune_code = "93055"
    town = "Pantin"
    departement = "93"


class WeeklyOpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyOpening

    site = factory.SubFactory(SiteFactory)
    weekday = 0
    half_day = HalfDay.MORNING
    opens_at = datetime.time(8, 30)
    closes_at = datetime.time(12, 15)
    school_holidays = SchoolHolidayRule.ALWAYS
