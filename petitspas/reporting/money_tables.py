"""A programme-year's money as tables: the XLSX's sheets (budget, funders, costs) and the
CSV's single table, from the same ``Money`` as the page. No person in them; the costs of
a funder's reading are already None where the count is hidden."""

from petitspas.reporting.money import Money
from petitspas.reporting.tables import Table

NOT_GIVEN = "montant non renseigné"


def _amount(value):
    """A Decimal as a number for the CSV and the XLSX: whole euros as integers."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def budget_table(money: Money) -> Table:
    rows = [[line.get_category_display(), line.label, _amount(line.amount)] for line in money.lines]
    rows.append(["Total", "", _amount(money.total)])
    return Table(
        title=f"Budget {money.year}",
        sheet="Budget",
        headers=["Poste", "Libellé", "Montant (€)"],
        rows=rows,
    )


def funding_table(money: Money) -> Table:
    rows = [
        [
            share.funding.funder.name,
            _amount(share.funding.amount) if share.funding.amount is not None else NOT_GIVEN,
            _amount(share.share_of_funding),
            _amount(share.share_of_budget),
            share.funding.note,
        ]
        for share in money.fundings
    ]
    rows.append(["Total des financements connus", _amount(money.funded), None, None, ""])
    rows.append(
        [
            "Reste à financer / autofinancement",
            _amount(money.left_to_fund),
            None,
            _amount(money.left_share),
            "",
        ]
    )
    return Table(
        title=f"Financeurs {money.year}",
        sheet="Financeurs",
        headers=[
            "Financeur",
            "Montant (€)",
            "Part des financements (%)",
            "Part du budget (%)",
            "Précision",
        ],
        rows=rows,
    )


def cost_table(money: Money) -> Table:
    return Table(
        title=f"Coût par famille et par enfant touchés en {money.year}",
        sheet="Coût par personne",
        headers=["", "Valeur"],
        rows=[
            ["Familles touchées", money.households],
            ["Enfants touchés", money.children],
            ["Coût par famille touchée (€)", _amount(money.cost_per_household)],
            ["Coût par enfant touché (€)", _amount(money.cost_per_child)],
        ],
    )


def money_tables(money: Money) -> list[Table]:
    return [budget_table(money), funding_table(money), cost_table(money)]


def money_csv(money: Money) -> Table:
    """One table for the CSV: a row per budget line, per funder, the totals and the
    costs."""
    rows = [
        [
            "Dépense",
            f"{line.get_category_display()} : {line.label}",
            _amount(line.amount),
            None,
            None,
        ]
        for line in money.lines
    ]
    rows.append(["Dépense", "Total du budget", _amount(money.total), None, None])
    for share in money.fundings:
        amount = share.funding.amount
        rows.append(
            [
                "Financement",
                share.funding.funder.name,
                _amount(amount) if amount is not None else NOT_GIVEN,
                _amount(share.share_of_funding),
                _amount(share.share_of_budget),
            ]
        )
    rows.append(["Financement", "Total des financements connus", _amount(money.funded), None, None])
    rows.append(
        [
            "Financement",
            "Reste à financer / autofinancement",
            _amount(money.left_to_fund),
            None,
            _amount(money.left_share),
        ]
    )
    rows.append(["Coût", "Coût par famille touchée", _amount(money.cost_per_household), None, None])
    rows.append(["Coût", "Coût par enfant touché", _amount(money.cost_per_child), None, None])
    return Table(
        title=f"Budget {money.year}",
        sheet="Budget",
        headers=[
            "Rubrique",
            "Libellé",
            "Montant (€)",
            "Part des financements (%)",
            "Part du budget (%)",
        ],
        rows=rows,
    )
