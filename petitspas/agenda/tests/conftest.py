"""Two towns, two sites with coordinates, a programme: what the public agenda shows."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.organisations.tests.factories import ProgrammeFactory
from petitspas.places.calendar import public_holidays
from petitspas.places.tests.factories import SiteFactory


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def working_day(days: int) -> int:
    """``days``, or the next offset that is no public holiday in Seine-Saint-Denis: the
    calendar function closes every site on those, whatever the session says."""
    while in_days(days) in public_holidays("93", in_days(days).year):
        days += 1
    return days


@pytest.fixture(autouse=True)
def empty_cache():
    """Feeds are kept in the cache of the process: each test starts without another's."""
    cache.clear()


@pytest.fixture
def programme(db):
    return ProgrammeFactory(name="Cabanes", organisation__name="Ville de Pantin")


@pytest.fixture
def pantin(programme):
    return SiteFactory(
        programme=programme,
        name="Square Stalingrad",
        address="Square Stalingrad",
        town="Pantin",
        latitude=Decimal("48.89460"),
        longitude=Decimal("2.40980"),
        access_notes="Métro Hoche, puis 5 minutes à pied vers le canal.",
    )


@pytest.fixture
def lunel(programme):
    return SiteFactory(
        programme=programme,
        name="Accueil de loisirs du parc",
        lunel=True,
        latitude=Decimal("43.67610"),
        longitude=Decimal("4.13580"),
    )


@pytest.fixture
def free_play(programme):
    return ActivityTypeFactory(programme=programme, name="Jeux libres à la Cabane")


@pytest.fixture
def make_session(free_play, pantin):
    """A planned open session at Pantin, ``days`` from today."""

    def make(days=1, **kwargs):
        kwargs.setdefault("activity_type", free_play)
        kwargs.setdefault("site", pantin)
        return SessionFactory(date=in_days(days), **kwargs)

    return make
