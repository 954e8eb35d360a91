"""Childcare on referral at Lunel (Les Petits Pas): the three prescribers the seed names,
one prescriber account each, and referrals in every state of the state machine.

Ages are given in months at the demo's "today", so that every child stays between 3
months and 3 years whatever day the demo is loaded (the rule the services check)."""

import dataclasses

from petitspas.demo.data.territory import AccountSpec
from petitspas.organisations.models import PrescriberKind, Role

PROGRAMME = "Les Petits Pas"
COORDINATOR = "coordination@lunel.demo"

# Organisation name → its kind of prescriber (the organisations are in territory.py).
PRESCRIBERS = {
    "France Travail – Agence de Lunel": PrescriberKind.FRANCE_TRAVAIL,
    "PLIE Est Héraultais": PrescriberKind.PLIE,
    "APIJE": PrescriberKind.APIJE,
}

# France Travail's adviser is in territory.py's ACCOUNTS already.
ACCOUNTS = (
    AccountSpec(
        "conseil@plie-est-heraultais.demo",
        "Karima",
        "Belkacem",
        (("PLIE Est Héraultais", Role.PRESCRIBER),),
    ),
    AccountSpec("conseil@apije.demo", "Romain", "Teissier", (("APIJE", Role.PRESCRIBER),)),
)
PRESCRIBER_EMAILS = {
    "France Travail – Agence de Lunel": "conseil@francetravail-lunel.demo",
    "PLIE Est Héraultais": "conseil@plie-est-heraultais.demo",
    "APIJE": "conseil@apije.demo",
}


@dataclasses.dataclass(frozen=True)
class ReferralSpec:
    parent: str
    prescriber: str
    pathway: str
    adviser: str
    children: tuple[tuple[str, int], ...]  # (first name, age in months today)
    needs: str
    sent_days_ago: int
    # The moves after "new", in order: review, accept, wait, refuse, end.
    moves: tuple[str, ...] = ()
    reason: str = ""
    reason_shared: bool = False


FT, PLIE, APIJE = PRESCRIBERS
REFERRALS = (
    ReferralSpec(
        "Samira",
        FT,
        "france_travail",
        "Julien Fabre",
        (("Inès", 14),),
        "Entretien d'embauche jeudi prochain à 14 h, puis les mardis matin (formation).",
        2,
    ),
    ReferralSpec(
        "Kevin",
        PLIE,
        "plie",
        "Karima Belkacem",
        (("Noah", 26),),
        "Atelier PLIE les lundis après-midi pendant deux mois.",
        36,
    ),
    ReferralSpec(
        "Fatou",
        APIJE,
        "apije",
        "Romain Teissier",
        (("Awa", 8), ("Moussa", 30)),
        "Rendez-vous APIJE tous les jeudis matin.",
        12,
        ("review",),
    ),
    ReferralSpec(
        "Laura",
        FT,
        "france_travail",
        "Julien Fabre",
        (("Chloé", 19),),
        "Formation d'aide-soignante, mardis et vendredis matin.",
        60,
        ("review", "accept"),
    ),
    ReferralSpec(
        "Nadia",
        PLIE,
        "plie",
        "Karima Belkacem",
        (("Yanis", 5),),
        "Stage en entreprise, lundis et mardis.",
        20,
        ("review", "wait"),
    ),
    ReferralSpec(
        "Sofia",
        FT,
        "france_travail",
        "Julien Fabre",
        (("Léo", 33),),
        "Le samedi matin.",
        25,
        ("review", "refuse"),
        "needs_outside_hours",
        True,
    ),
    ReferralSpec(
        "Hugo",
        APIJE,
        "apije",
        "Romain Teissier",
        (("Jade", 11),),
        "Démarches administratives.",
        18,
        ("review", "refuse"),
        "family_unreachable",
        False,
    ),
    ReferralSpec(
        "Meryem",
        PLIE,
        "plie",
        "Karima Belkacem",
        (("Adam", 34),),
        "Formation, lundis et jeudis.",
        200,
        ("review", "accept", "end"),
        "end_of_pathway",
    ),
)
