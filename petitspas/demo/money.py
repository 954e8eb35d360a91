"""The seeds' budgets and funders (``demo.data.money``), restored to their amounts on each
load: the programme-year's lines and funding are replaced whole."""

from django.db import transaction

from petitspas.demo.data.money import BUDGETS
from petitspas.organisations.models import Programme
from petitspas.reporting.models import BudgetLine, Funder, Funding


@transaction.atomic
def load_money(*, organisations: dict, year: int, result) -> None:
    for spec in BUDGETS:
        organisation = organisations[spec.organisation]
        programme = Programme.objects.get(organisation=organisation, name=spec.programme)
        lines = BudgetLine.objects.filter(programme=programme, year=year)
        before = set(lines.values_list("category", "label", "amount"))
        lines.delete()
        Funding.objects.filter(programme=programme, year=year).delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(programme=programme, year=year, category=c, label=label, amount=amount)
            for c, label, amount in spec.lines
        )
        for line in spec.lines:
            result.tally("lignes de budget", line not in before)
        for funding in spec.fundings:
            funder, created = Funder.objects.update_or_create(
                organisation=organisation,
                name=funding.funder,
                defaults={
                    "platform_organisation": (
                        organisations[funding.platform_organisation]
                        if funding.platform_organisation
                        else None
                    )
                },
            )
            result.tally("financeurs", created)
            Funding.objects.create(
                programme=programme,
                year=year,
                funder=funder,
                amount=funding.amount,
                note=funding.note,
            )
