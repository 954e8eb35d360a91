"""Budgets, funders and cost per family: the seeds' real amounts, the rules of the forms
and services, who reads and who writes, and the exports read back."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from petitspas.core.audit import ACTION_SENTENCES
from petitspas.core.models import AuditEntry
from petitspas.reporting.models import BudgetCategory, BudgetLine, Funder, Funding
from petitspas.reporting.money import money_for, per_head
from petitspas.reporting.services_money import (
    DUPLICATE_FUNDER,
    NEGATIVE,
    budget_line_delete,
    budget_line_save,
    funding_delete,
    funding_save,
)
from petitspas.reporting.smallcells import SMALL

D = Decimal
TODAY = datetime.date(2025, 12, 31)


@pytest.fixture(autouse=True)
def today(travel):
    travel(TODAY)


def line(user, programme, amount, category=BudgetCategory.OTHER, label="Coût", year=2025):
    return budget_line_save(
        by=user, programme=programme, year=year, category=category, label=label, amount=D(amount)
    )


def fund(user, programme, name, amount, year=2025, note=""):
    return funding_save(
        by=user,
        programme=programme,
        year=year,
        funder_name=name,
        amount=None if amount is None else D(amount),
        note=note,
    )


def suresnes(user, programme):
    """Seed 002: a cost of 136 000 €; CAF 26 000 € for the LAEP, the Département (Contrat
    Local de Sécurité) 10 000 €, the Ville de Suresnes with no amount given."""
    line(user, programme, 136000, label="Coût du projet")
    fund(user, programme, "CAF des Hauts-de-Seine", 26000, note="pour le LAEP")
    fund(user, programme, "Département – Contrat Local de Sécurité", 10000)
    fund(user, programme, "Ville de Suresnes", None)


def test_suresnes_shares_and_what_is_left_to_fund(alice):
    suresnes(alice.coordinator, alice.programme)
    money = money_for(alice.coordinator, alice.programme, 2025, today=TODAY)
    assert money.total == D(136000)
    assert money.funded == D(36000)
    shares = {s.funding.funder.name: s for s in money.fundings}
    caf = shares["CAF des Hauts-de-Seine"]
    assert (caf.share_of_funding, caf.share_of_budget) == (D("72.2"), D("19.1"))
    departement = shares["Département – Contrat Local de Sécurité"]
    assert (departement.share_of_funding, departement.share_of_budget) == (D("27.8"), D("7.4"))
    town = shares["Ville de Suresnes"]
    assert town.funding.amount is None and town.share_of_funding is None
    assert [s.funding.funder.name for s in money.fundings][-1] == "Ville de Suresnes"
    assert money.unknown_amounts == 1
    assert money.left_to_fund == D(100000) and money.left_share == D("73.5")
    assert not money.over_funded


def test_cabanes_budget_lines_and_cofunding(alice):
    """Seed 003: 375 000 € of spending, co-funded by the Département 175 000 € and the
    DRIEETS 100 000 € + 100 000 €: fully funded, nothing left."""
    c, p = alice.coordinator, alice.programme
    line(c, p, 50000, BudgetCategory.SERVICES, "Associations – Cabane des Lilas")
    line(c, p, 50000, BudgetCategory.SERVICES, "Associations – Cabane de La Courneuve")
    line(c, p, 40000, BudgetCategory.INVESTMENT, "Chariots")
    line(c, p, 200000, BudgetCategory.INVESTMENT, "Containers")
    line(c, p, 5000, BudgetCategory.MAINTENANCE, "Entretien du mobilier")
    line(c, p, 30000, BudgetCategory.OTHER, "Reste des dépenses totales")
    fund(c, p, "Département de la Seine-Saint-Denis", 175000)
    fund(c, p, "DRIEETS – Haut-Commissariat à la lutte contre la pauvreté", 100000)
    fund(c, p, "DRIEETS – Pacte local des solidarités", 100000)
    money = money_for(c, p, 2025, today=TODAY)
    assert money.total == D(375000) == money.funded
    assert dict(money.by_category) == {
        "Prestations et subventions aux associations": D(100000),
        "Investissement": D(240000),
        "Maintenance": D(5000),
        "Autres dépenses": D(30000),
    }
    assert [(s.share_of_funding, s.share_of_budget) for s in money.fundings] == [
        (D("46.7"), D("46.7")),
        (D("26.7"), D("26.7")),
        (D("26.7"), D("26.7")),
    ]
    assert money.left_to_fund == 0 and money.left_share is None


def test_cost_per_household_and_child_from_the_years_figures(alice, built):
    """The built programme reached 3 households and 3 children in 2025."""
    suresnes(alice.coordinator, alice.programme)
    money = money_for(alice.coordinator, alice.programme, 2025, today=TODAY)
    assert (money.households, money.children) == (3, 3)
    assert money.cost_per_household == D("45333.33") == money.cost_per_child
    # 2024: one household (H3), no child, no budget.
    line(alice.coordinator, alice.programme, 12000, year=2024)
    earlier = money_for(alice.coordinator, alice.programme, 2024, today=TODAY)
    assert (earlier.households, earlier.children) == (1, 0)
    assert earlier.cost_per_household == D(12000)
    assert earlier.cost_per_child is None  # nobody to divide by


def test_a_funder_gets_no_cost_from_a_hidden_count(alice, built, funder):
    """3 households is "< 5" for a funder: a cost would give the count back (136 000 ÷
    cost), so there is none."""
    suresnes(alice.coordinator, alice.programme)
    money = money_for(funder, alice.programme, 2025, today=TODAY)
    assert money.households == SMALL and money.protected
    assert money.cost_per_household is None and money.cost_per_child is None
    assert money.total == D(136000)  # amounts are not people: shown


def test_per_head_edge_cases():
    assert per_head(D(1000), 3) == D("333.33")
    assert per_head(D(1000), 0) is None
    assert per_head(D(1000), None) is None
    assert per_head(D(1000), SMALL) is None
    assert per_head(D(0), 10) is None
    assert per_head(D(1000), True) is None


def test_services_refuse_bad_amounts_and_a_second_amount_for_a_funder(alice):
    c, p = alice.coordinator, alice.programme
    with pytest.raises(ValidationError) as error:
        line(c, p, -5)
    assert error.value.message_dict == {"amount": [NEGATIVE]}
    with pytest.raises(ValidationError) as error:
        fund(c, p, "CAF", -1)
    assert error.value.message_dict == {"amount": [NEGATIVE]}
    with pytest.raises(ValidationError) as error:
        budget_line_save(by=c, programme=p, year=2025, category="x", label=" ", amount=D(0))
    assert set(error.value.message_dict) == {"category", "label", "amount"}
    first = fund(c, p, "Fondation de France", 1000)
    with pytest.raises(ValidationError) as error:
        fund(c, p, "  fondation  de FRANCE ", 2000)
    assert error.value.message_dict == {
        "funder_name": [DUPLICATE_FUNDER.format(funder="Fondation de France", year=2025)]
    }
    fund(c, p, "Fondation de France", 3000, year=2026)  # another year: fine
    assert Funder.objects.filter(organisation=alice.organisation).count() == 1
    # Changing the amount of the same funding is not a duplicate.
    funding_save(
        by=c, programme=p, year=2025, funder_name="Fondation de France", amount=D(1500),
        funding=first,
    )  # fmt: skip
    first.refresh_from_db()
    assert first.amount == D(1500)


def test_writes_need_an_admin_or_coordinator_and_are_logged(alice, funder):
    p = alice.programme
    for user in (alice.professional, funder):
        with pytest.raises(PermissionDenied):
            line(user, p, 100)
        with pytest.raises(PermissionDenied):
            fund(user, p, "ARS", 100)
    created = line(alice.admin, p, 100)
    funding = fund(alice.coordinator, p, "ARS", None)
    budget_line_delete(by=alice.admin, line=created)
    funding_delete(by=alice.coordinator, funding=funding)
    assert not BudgetLine.objects.exists() and not Funding.objects.exists()
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "organisation"))
    assert actions == [
        (a, alice.organisation.pk)
        for a in ("budget_line.create", "funding.create", "budget_line.delete", "funding.delete")
    ]
    assert all(a in ACTION_SENTENCES for a, _org in actions)


# --- Pages -----------------------------------------------------------------------------


def page(programme, year=2025):
    return f"/indicateurs/{programme.pk}/budget/{year}/"


def test_coordinator_enters_a_line_and_a_funder_on_the_page(client, alice):
    client.force_login(alice.coordinator)
    response = client.post(
        page(alice.programme) + "ligne/",
        {"category": "staff", "label": "Coordination", "amount": "136 000"},
    )
    assert response.status_code == 302
    response = client.post(
        page(alice.programme) + "financement/",
        {"funder_name": "CAF", "amount": "26 000,00 €", "note": "pour le LAEP"},
        follow=True,
    )
    text = response.content.decode()
    assert "Financement ajouté." in text
    assert "136\u202f000\u00a0€" in text and "26\u202f000\u00a0€" in text
    assert "19,1 %" in text and "100,0 %" in text  # of the budget; of the funding
    assert "110\u202f000\u00a0€" in text  # left to fund
    assert BudgetLine.objects.get().amount == D(136000)


def test_bad_input_is_explained_and_kept(client, alice):
    client.force_login(alice.coordinator)
    response = client.post(
        page(alice.programme) + "ligne/",
        {"category": "staff", "label": "Chariots roulants", "amount": "-40 000"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert NEGATIVE in text and 'value="Chariots roulants"' in text
    response = client.post(
        page(alice.programme) + "ligne/",
        {"category": "staff", "label": "Chariots", "amount": "quarante mille"},
    )
    assert "Montant illisible" in response.content.decode()
    fund(alice.coordinator, alice.programme, "ARS", 100)
    response = client.post(
        page(alice.programme) + "financement/", {"funder_name": "ars", "amount": "5"}
    )
    assert response.status_code == 400
    assert "ARS finance déjà ce programme en 2025" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_funding_over_the_budget_warns(client, alice):
    client.force_login(alice.coordinator)
    line(alice.coordinator, alice.programme, 1000)
    response = client.post(
        page(alice.programme) + "financement/",
        {"funder_name": "ARS", "amount": "1500"},
        follow=True,
    )
    text = response.content.decode()
    assert (
        "Attention : les financements (1\u202f500\u00a0€) dépassent le budget (1\u202f000\u00a0€)"
        in text
    )
    assert Funding.objects.get().amount == D(1500)  # saved, with a warning


def test_edit_and_delete_a_line(client, alice):
    client.force_login(alice.coordinator)
    created = line(alice.coordinator, alice.programme, 1000, label="Affiches")
    url = f"/indicateurs/budget/ligne/{created.pk}/"
    assert 'value="1000"' in client.get(url).content.decode()
    response = client.post(url, {"category": "communication", "label": "Affiches", "amount": "600"})
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.amount, created.category) == (D(600), "communication")
    client.post(url, {"supprimer": "1"})
    assert not BudgetLine.objects.exists()


def test_who_reads_and_who_writes(client, alice, bob, funder):
    suresnes(alice.coordinator, alice.programme)
    funding = Funding.objects.first()
    client.force_login(funder)
    response = client.get(page(alice.programme))
    assert response.status_code == 200
    assert "Ajouter une ligne" not in response.content.decode()
    assert client.post(page(alice.programme) + "ligne/", {}).status_code == 403
    assert client.get(f"/indicateurs/budget/financement/{funding.pk}/").status_code == 403
    client.force_login(alice.professional)
    assert client.get(page(alice.programme)).status_code == 403
    client.force_login(bob.coordinator)
    assert client.get(page(alice.programme)).status_code == 404
    assert client.get(f"/indicateurs/budget/financement/{funding.pk}/").status_code == 404
    client.force_login(alice.coordinator)
    assert client.get(page(alice.programme, 1999)).status_code == 404
    dashboard = client.get(f"/indicateurs/{alice.programme.pk}/").content.decode()
    assert "Budget et financeurs" in dashboard


def test_csv_and_xlsx_read_back(client, alice):
    suresnes(alice.coordinator, alice.programme)
    client.force_login(alice.coordinator)
    response = client.get(page(alice.programme) + "budget.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:3] == ["Rubrique", "Libellé", "Montant (€)"]
    by_label = {row[1]: row for row in rows[1:]}
    assert by_label["Total du budget"][2] == "136000"
    assert by_label["CAF des Hauts-de-Seine"][2:] == ["26000", "72.2", "19.1"]
    assert by_label["Ville de Suresnes"][2] == "montant non renseigné"
    assert by_label["Reste à financer / autofinancement"][2] == "100000"
    workbook = load_workbook(io.BytesIO(client.get(page(alice.programme) + "budget.xlsx").content))
    assert workbook.sheetnames == ["Budget", "Financeurs", "Coût par personne"]
    funders = list(workbook["Financeurs"].iter_rows(min_row=4, values_only=True))
    assert funders[0][:4] == ("CAF des Hauts-de-Seine", 26000, 72.2, 19.1)
