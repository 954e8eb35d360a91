"""The seeds' budgets and funders in the demo, with their real amounts and shares."""

from decimal import Decimal

import pytest
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.demo.tests.test_load_demo import load, loaded, loaded_once  # noqa: F401
from petitspas.organisations.models import Programme
from petitspas.reporting.models import BudgetLine, Funding
from petitspas.reporting.money import money_for

pytestmark = pytest.mark.django_db


def money(name):
    programme = Programme.objects.get(name=name)
    coordinator = (
        User.objects.filter(
            memberships__organisation=programme.organisation, memberships__role="coordinator"
        ).first()
        or User.objects.filter(
            memberships__organisation=programme.organisation, memberships__role="admin"
        ).first()
    )
    today = timezone.localdate()
    return money_for(coordinator, programme, today.year, today=today)


def test_suresnes_cabanes_and_asmae_with_the_seeds_amounts(loaded):  # noqa: F811
    suresnes = money("La Clef d'Or / Maison des Familles")
    assert suresnes.total == Decimal(136_000) and suresnes.funded == Decimal(36_000)
    assert [(s.funding.funder.name, s.funding.amount) for s in suresnes.fundings] == [
        ("CAF", Decimal(26_000)),
        ("Département – Contrat Local de Sécurité", Decimal(10_000)),
        ("Ville de Suresnes", None),
    ]
    assert suresnes.left_to_fund == Decimal(100_000)
    cabanes = money("Cabanes des 1000 premiers jours")
    assert cabanes.total == Decimal(375_000) == cabanes.funded
    assert [s.share_of_funding for s in cabanes.fundings] == [
        Decimal("46.7"),
        Decimal("26.7"),
        Decimal("26.7"),
    ]
    # The cabanes welcome families anonymously (headcounts): no distinct household is
    # counted, so no cost per household either.
    assert cabanes.households == 0 and cabanes.cost_per_household is None
    assert suresnes.households > 0
    assert suresnes.cost_per_household == (Decimal(136_000) / suresnes.households).quantize(
        Decimal("0.01")
    )
    asmae = money("Espace Petits Pas")
    assert len(asmae.fundings) == 6 and asmae.unknown_amounts == 6 and asmae.total == 0
    lunel = money("Les Petits Pas")
    assert {(s.funding.funder.name, s.funding.amount) for s in lunel.fundings} == {
        ("Caf de l'Hérault", None),
        ("État", None),
        ("Lunel Agglo", None),
    }
    caf = lunel.fundings[0].funding.funder.platform_organisation
    assert caf.name == "CAF de l'Hérault"


def test_loading_again_keeps_one_set_of_rows(loaded):  # noqa: F811
    before = (BudgetLine.objects.count(), Funding.objects.count())
    load()
    assert (BudgetLine.objects.count(), Funding.objects.count()) == before == (7, 15)
