"""The seeds' budgets and funders, with their real amounts; an amount a seed does not give
is left empty ("montant non renseigné"), never invented. Entered for the demo's current
year (the seeds give no year)."""

import dataclasses
from decimal import Decimal

from petitspas.demo.data.territory import SEINE_SAINT_DENIS, SURESNES
from petitspas.reporting.models import BudgetCategory as C

# The CAF of the demo's funder account (financeur@caf.demo), on the platform.
CAF_HERAULT = "CAF de l'Hérault"


@dataclasses.dataclass(frozen=True)
class FundingSpec:
    funder: str
    amount: Decimal | None
    note: str = ""
    # The funder's organisation on the platform, when it has one.
    platform_organisation: str = ""


@dataclasses.dataclass(frozen=True)
class BudgetSpec:
    organisation: str
    programme: str
    lines: tuple[tuple[str, str, Decimal], ...]
    fundings: tuple[FundingSpec, ...]


BUDGETS = (
    # Seed 002: "Coût du projet : 136 000 euros"; "Ville de Suresnes, CAF (26 000 pour le
    # LAEP), Département - Contrat Local de Sécurité (10 000 euros)".
    BudgetSpec(
        organisation=SURESNES,
        programme="La Clef d'Or / Maison des Familles",
        lines=((C.OTHER, "Coût du projet (détail non communiqué)", Decimal(136_000)),),
        fundings=(
            FundingSpec("CAF", Decimal(26_000), "pour le LAEP"),
            FundingSpec("Département – Contrat Local de Sécurité", Decimal(10_000)),
            FundingSpec("Ville de Suresnes", None, platform_organisation=SURESNES),
        ),
    ),
    # Seed 003: associations 50 000 €/an per site (two cabanes), trolleys 40 000 €,
    # containers 200 000 €, furniture upkeep 5 000 €/an; "375 000 € de dépenses totales,
    # cofinancées par le Département pour 175 000 € et la DRIEETS (via le
    # Haut-Commissariat à la lutte contre la pauvreté pour 100 000 € et le Pacte Local des
    # Solidarités pour 100 000 €)". The coordination and communication have no amount:
    # the rest of the 375 000 € is one line, named so.
    BudgetSpec(
        organisation=SEINE_SAINT_DENIS,
        programme="Cabanes des 1000 premiers jours",
        lines=(
            (
                C.SERVICES,
                "Prestations et subventions aux associations – Cabane des Lilas",
                Decimal(50_000),
            ),
            (
                C.SERVICES,
                "Prestations et subventions aux associations – Cabane de La Courneuve",
                Decimal(50_000),
            ),
            (C.INVESTMENT, "Chariots", Decimal(40_000)),
            (C.INVESTMENT, "Containers aménagés", Decimal(200_000)),
            (C.MAINTENANCE, "Entretien du mobilier", Decimal(5_000)),
            (
                C.OTHER,
                "Coordination, communication et autres dépenses (reste des 375 000 € "
                "de dépenses totales, détail non communiqué)",
                Decimal(30_000),
            ),
        ),
        fundings=(
            FundingSpec(
                "Département de la Seine-Saint-Denis",
                Decimal(175_000),
                platform_organisation=SEINE_SAINT_DENIS,
            ),
            FundingSpec(
                "DRIEETS – Haut-Commissariat à la lutte contre la pauvreté", Decimal(100_000)
            ),
            FundingSpec("DRIEETS – Pacte local des solidarités", Decimal(100_000)),
        ),
    ),  # fmt: skip
    # Seed 001: Lunel answered the call for projects of the Fonds d'innovation pour la
    # Petite Enfance, "auquel l'Etat et la Caf de l'Hérault ont répondu positivement";
    # "soutenu par Lunel Agglo dans le cadre du Contrat de ville". No amounts, no budget.
    BudgetSpec(
        organisation="Ville de Lunel",
        programme="Les Petits Pas",
        lines=(),
        fundings=(
            FundingSpec(
                "Caf de l'Hérault",
                None,
                "Fonds d'innovation pour la Petite Enfance",
                platform_organisation=CAF_HERAULT,
            ),
            FundingSpec("État", None, "Fonds d'innovation pour la Petite Enfance"),
            FundingSpec("Lunel Agglo", None, "Contrat de ville"),
        ),
    ),
    # Seed 000: "Asmae remercie ses partenaires financiers" — six funders, no amounts, no
    # budget.
    BudgetSpec(
        organisation="Asmae",
        programme="Espace Petits Pas",
        lines=(),
        fundings=tuple(
            FundingSpec(name, None)
            for name in (
                "Région Île-de-France",
                "Agence régionale de santé (ARS)",
                "Fondation de France",
                "Caisse d'allocations familiales (CAF)",
                "Samusocial",
                "Fondation PMI",
            )
        ),
    ),
)
