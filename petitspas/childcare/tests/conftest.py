import dataclasses
import datetime

import pytest

from petitspas.accounts.tests.factories import UserFactory
from petitspas.childcare.tests.factories import PrescriberOrganisationFactory
from petitspas.organisations.models import PrescriberKind, ProgrammePrescriber, Role
from petitspas.organisations.tests.factories import MembershipFactory
from petitspas.places.models import HalfDay, WeeklyOpening

MONDAY = datetime.date(2025, 3, 10)


@dataclasses.dataclass
class Agency:
    organisation: object
    prescriber: object


def make_agency(name, kind, email):
    organisation = PrescriberOrganisationFactory(name=name, prescriber_kind=kind)
    prescriber = MembershipFactory(
        organisation=organisation,
        role=Role.PRESCRIBER,
        user=UserFactory(email=email, first_name="Julien", last_name=name.split()[-1]),
    ).user
    return Agency(organisation, prescriber)


def open_like_lunel(site):
    """The seed's hours: Monday to Friday mornings, afternoons but Friday's."""
    for weekday in range(5):
        WeeklyOpening.objects.create(
            site=site,
            weekday=weekday,
            half_day=HalfDay.MORNING,
            opens_at=datetime.time(8, 30),
            closes_at=datetime.time(12, 15),
        )
        if weekday != 4:
            WeeklyOpening.objects.create(
                site=site,
                weekday=weekday,
                half_day=HalfDay.AFTERNOON,
                opens_at=datetime.time(13, 30),
                closes_at=datetime.time(17, 0),
            )


@pytest.fixture
def lunel(bob, travel):
    """Organisation B runs Les Petits Pas at the accueil de loisirs du parc; today is
    Monday 10 March 2025."""
    travel(MONDAY)
    open_like_lunel(bob.site)
    return bob


@pytest.fixture
def agency(lunel):
    """France Travail's Lunel agency, which refers families to Les Petits Pas."""
    agency = make_agency(
        "France Travail – Agence de Lunel", PrescriberKind.FRANCE_TRAVAIL, "conseil@ft-lunel.fr"
    )
    ProgrammePrescriber.objects.create(programme=lunel.programme, organisation=agency.organisation)
    return agency


@pytest.fixture
def plie(lunel):
    """The PLIE Est Héraultais, another agency referring to Les Petits Pas."""
    agency = make_agency("PLIE Est Héraultais", PrescriberKind.PLIE, "conseil@plie.fr")
    ProgrammePrescriber.objects.create(programme=lunel.programme, organisation=agency.organisation)
    return agency
