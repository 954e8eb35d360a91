"""Writes on a programme's budget and funding: keyword-only arguments, one transaction,
the permission check and the audit entry inside. The views call these; the demo loads
its amounts through them too."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from petitspas.core.audit import audit_log
from petitspas.core.bounds import FIRST_DAY, LAST_DAY
from petitspas.reporting.models import BudgetCategory, BudgetLine, Funder, Funding
from petitspas.reporting.permissions import can_edit_budget

NEGATIVE = "Le montant ne peut pas être négatif."
TOO_LARGE = "Ce montant dépasse un milliard d'euros : vérifiez-le."
ZERO_LINE = "Indiquez un montant supérieur à 0 € pour une ligne de budget."
LABEL_REQUIRED = "Donnez un libellé à la ligne (par exemple « Chariots »)."
FUNDER_REQUIRED = "Indiquez le nom du financeur."
DUPLICATE_FUNDER = "{funder} finance déjà ce programme en {year} : modifiez son montant."
BAD_YEAR = f"Choisissez une année entre {FIRST_DAY.year} et {LAST_DAY.year}."
BAD_CATEGORY = "Choisissez un poste de la liste."
LIMIT = Decimal(1_000_000_000)


def _check_amount(errors: dict, amount, *, line: bool) -> None:
    if amount is None:
        if line:
            errors["amount"] = ZERO_LINE
        return
    if amount < 0:
        errors["amount"] = NEGATIVE
    elif amount > LIMIT:
        errors["amount"] = TOO_LARGE
    elif line and amount == 0:
        errors["amount"] = ZERO_LINE


def _check(by, programme, year) -> dict:
    if not can_edit_budget(by, programme):
        raise PermissionDenied
    return {} if FIRST_DAY.year <= year <= LAST_DAY.year else {"year": BAD_YEAR}


@transaction.atomic
def budget_line_save(
    *, by, programme, year: int, category: str, label: str, amount, line=None
) -> BudgetLine:
    """Add a line to the budget of ``programme`` in ``year``, or change ``line``."""
    errors = _check(by, programme, year)
    label = (label or "").strip()
    if category not in BudgetCategory.values:
        errors["category"] = BAD_CATEGORY
    if not label:
        errors["label"] = LABEL_REQUIRED
    _check_amount(errors, amount, line=True)
    if errors:
        raise ValidationError(errors)
    created = line is None
    if created:
        line = BudgetLine(programme=programme, year=year)
    elif line.programme_id != programme.pk:
        raise PermissionDenied
    before = {"category": line.category, "label": line.label, "amount": str(line.amount)}
    line.category, line.label, line.amount = category, label, amount
    line.save()
    audit_log(
        by,
        "budget_line.create" if created else "budget_line.update",
        line,
        organisation=programme.organisation,
        programme=programme.pk,
        year=year,
        category=category,
        amount=str(amount),
        **({} if created else {"before": before}),
    )
    return line


@transaction.atomic
def budget_line_delete(*, by, line: BudgetLine) -> None:
    programme = line.programme
    if not can_edit_budget(by, programme):
        raise PermissionDenied
    audit_log(
        by,
        "budget_line.delete",
        line,
        organisation=programme.organisation,
        programme=programme.pk,
        year=line.year,
        amount=str(line.amount),
    )
    line.delete()


def _funder(programme, name: str) -> Funder:
    """The organisation's funder of that name (whatever its case), or a new one."""
    existing = Funder.objects.filter(organisation=programme.organisation, name__iexact=name)
    return existing.first() or Funder.objects.create(organisation=programme.organisation, name=name)


@transaction.atomic
def funding_save(
    *, by, programme, year: int, funder_name: str, amount, note: str = "", funding=None
) -> Funding:
    """Give ``funder_name`` (an existing funder of the organisation, or a new one) an
    amount for ``programme`` in ``year``; ``amount`` None: not known. One amount per
    funder and year: a second is refused."""
    errors = _check(by, programme, year)
    funder_name = " ".join((funder_name or "").split())
    if not funder_name:
        errors["funder_name"] = FUNDER_REQUIRED
    _check_amount(errors, amount, line=False)
    if errors:
        raise ValidationError(errors)
    funder = _funder(programme, funder_name)
    others = Funding.objects.filter(programme=programme, year=year, funder=funder)
    if funding is not None:
        if funding.programme_id != programme.pk:
            raise PermissionDenied
        others = others.exclude(pk=funding.pk)
    if others.exists():
        raise ValidationError(
            {"funder_name": DUPLICATE_FUNDER.format(funder=funder.name, year=year)}
        )
    created = funding is None
    if created:
        funding = Funding(programme=programme, year=year)
    before = {"funder": str(funding.funder) if not created else "", "amount": str(funding.amount)}
    funding.funder, funding.amount, funding.note = funder, amount, (note or "").strip()
    funding.save()
    audit_log(
        by,
        "funding.create" if created else "funding.update",
        funding,
        organisation=programme.organisation,
        programme=programme.pk,
        year=year,
        funder=funder.name,
        amount=None if amount is None else str(amount),
        **({} if created else {"before": before}),
    )
    return funding


@transaction.atomic
def funding_delete(*, by, funding: Funding) -> None:
    programme = funding.programme
    if not can_edit_budget(by, programme):
        raise PermissionDenied
    audit_log(
        by,
        "funding.delete",
        funding,
        organisation=programme.organisation,
        programme=programme.pk,
        year=funding.year,
        funder=funding.funder.name,
    )
    funding.delete()
