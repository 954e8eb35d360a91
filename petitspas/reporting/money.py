"""A programme's money for a year: its budget by category, its funders and their shares,
what is left to fund, and the cost per household and per child reached.

The budget is the sum of its lines. A funder's share is its amount over the known funding
and over the budget; a funder whose amount is not known ("montant non renseigné") is
listed with no share and counts for nothing in the totals. What is left to fund (or
self-funded by the organisation) is the budget less the known funding.

The cost per household (per child) reached is the budget over ``households_reached``
(``children_reached``) of the same calendar year, read through ``figures_for``: the same
figure the dashboard shows the reader. None when there is no budget, when nobody was
reached, and when the figure is hidden as "< 5" for a funder: a cost would give the hidden
count back (budget ÷ cost).
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from petitspas.reporting.indicators import Scope, figures_for
from petitspas.reporting.models import BudgetCategory, BudgetLine, Funding

CENT = Decimal("0.01")


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def per_head(total: Decimal, count) -> Decimal | None:
    """``total`` divided by a count of people; None when the count is 0, unknown or hidden
    ("< 5" is a string)."""
    if not total or not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        return None
    return (total / count).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclasses.dataclass
class FundingShare:
    funding: Funding
    share_of_funding: Decimal | None
    share_of_budget: Decimal | None


@dataclasses.dataclass
class Money:
    programme: object
    year: int
    lines: list  # BudgetLine, by category then label
    by_category: list  # (category label, total) for the categories with lines
    total: Decimal
    fundings: list  # FundingShare, largest amount first, unknown amounts last
    funded: Decimal  # the known funding
    unknown_amounts: int  # funders listed without an amount
    households: object  # households_reached of the year (a number or "< 5")
    children: object
    protected: bool

    @property
    def left_to_fund(self) -> Decimal:
        """The budget less the known funding (negative when funding exceeds the budget)."""
        return self.total - self.funded

    @property
    def over_funded(self) -> bool:
        return self.funded > self.total

    @property
    def funded_share(self) -> Decimal | None:
        return percent(self.funded, self.total)

    @property
    def left_share(self) -> Decimal | None:
        return percent(self.left_to_fund, self.total) if self.left_to_fund > 0 else None

    @property
    def cost_per_household(self) -> Decimal | None:
        return per_head(self.total, self.households)

    @property
    def cost_per_child(self) -> Decimal | None:
        return per_head(self.total, self.children)


def budget_lines(programme, year: int):
    return BudgetLine.objects.filter(programme=programme, year=year).order_by(
        "category", "label", "pk"
    )


def fundings(programme, year: int):
    return Funding.objects.filter(programme=programme, year=year).select_related("funder")


def budget_total(programme, year: int) -> Decimal:
    return sum((line.amount for line in budget_lines(programme, year)), Decimal(0))


def funding_total(programme, year: int) -> Decimal:
    return sum((f.amount for f in fundings(programme, year) if f.amount is not None), Decimal(0))


def money_for(user, programme, year: int, *, today: datetime.date) -> Money:
    """The budget, funding and costs of ``programme`` in ``year`` as ``user`` reads them
    (the programme came through ``reporting.permissions.access_programme_budget``)."""
    scope = Scope(
        programme=programme,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
    )
    figures = figures_for(user, scope, today=today, compare=False)
    return money_of(programme, year, figures=figures)


def money_of(programme, year: int, *, figures) -> Money:
    """The budget, funding and costs of ``programme`` in ``year``, the costs per person
    read from ``figures`` (the year's ``Figures`` as its reader reads them: the annual
    report passes its own, so that the report and the budget page agree)."""
    lines = sorted(
        budget_lines(programme, year),
        key=lambda line: (list(BudgetCategory.values).index(line.category), line.label, line.pk),
    )
    total = sum((line.amount for line in lines), Decimal(0))
    by_category = []
    for value, label in BudgetCategory.choices:
        amounts = [line.amount for line in lines if line.category == value]
        if amounts:
            by_category.append((label, sum(amounts, Decimal(0))))
    rows = list(fundings(programme, year))
    funded = sum((f.amount for f in rows if f.amount is not None), Decimal(0))
    rows.sort(key=lambda f: (f.amount is None, -(f.amount or 0), f.funder.name))
    shares = [
        FundingShare(
            funding=f,
            share_of_funding=percent(f.amount, funded) if f.amount is not None else None,
            share_of_budget=percent(f.amount, total) if f.amount is not None else None,
        )
        for f in rows
    ]
    return Money(
        programme=programme,
        year=year,
        lines=lines,
        by_category=by_category,
        total=total,
        fundings=shares,
        funded=funded,
        unknown_amounts=sum(f.amount is None for f in rows),
        households=figures.values["households_reached"],
        children=figures.values["children_reached"],
        protected=figures.protected,
    )
