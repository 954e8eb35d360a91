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
    # (first name, age today in months, plus 10 days or the days given third).
    children: tuple[tuple, ...]
    needs: str
    sent_days_ago: int
    # The moves after "new", in order: review, accept, wait, refuse, end.
    moves: tuple[str, ...] = ()
    reason: str = ""
    reason_shared: bool = False
    # Once accepted: the half-days of the enrolment's reference week, and which of them
    # are booked: "" none, "weeks" from the start to three weeks ahead, "stopped" up to
    # the end of last month (none this month: under the monthly minimum).
    reference_week: tuple[str, ...] = ("1am", "4am")
    bookings: str = ""
    appointment: str = "training"


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
        bookings="weeks",
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


# Enrolled children booked at Lunel over the past months and the next weeks. Tuesday
# mornings are wanted by eight children: six regular places, the 7th taken by the
# newest child's settling-in, so some half-days are full and later requests are refused.
BOOKED = (
    ReferralSpec(
        "Elodie",
        FT,
        "france_travail",
        "Julien Fabre",
        (("Emma", 20),),
        "Formation de vendeuse, mardis, jeudis et vendredis matin.",
        130,
        ("review", "accept"),
        reference_week=("1am", "3am", "4am"),
        bookings="weeks",
    ),
    ReferralSpec(
        "Aïcha",
        PLIE,
        "plie",
        "Karima Belkacem",
        (("Lucas", 16),),
        "Ateliers PLIE les lundis et mardis matin.",
        120,
        ("review", "accept"),
        reference_week=("0am", "1am"),
        bookings="weeks",
        appointment="plie_workshop",
    ),
    ReferralSpec(
        "Marine",
        APIJE,
        "apije",
        "Romain Teissier",
        (("Mila", 28),),
        "Accompagnement APIJE, mardis et jeudis matin.",
        110,
        ("review", "accept"),
        reference_week=("1am", "3am"),
        bookings="weeks",
        appointment="administrative",
    ),
    ReferralSpec(
        "Yasmine",
        FT,
        "france_travail",
        "Julien Fabre",
        (("Rayan", 12),),
        "Rendez-vous France Travail et recherche d'emploi, lundis après-midi et mardis.",
        100,
        ("review", "accept"),
        reference_week=("0pm", "1am", "1pm"),
        bookings="weeks",
        appointment="france_travail",
    ),
    ReferralSpec(
        "Céline",
        PLIE,
        "plie",
        "Karima Belkacem",
        (("Zoé", 24),),
        "Formation qualifiante, mardis et vendredis matin.",
        95,
        ("review", "accept"),
        bookings="weeks",
    ),
    # Turns 3 in 25 days: on the coordinator's warning list, no longer bookable then.
    ReferralSpec(
        "Sarah",
        FT,
        "france_travail",
        "Julien Fabre",
        (("Nina", 36, -25),),
        "Entretiens d'embauche, mardis et jeudis matin.",
        90,
        ("review", "accept"),
        reference_week=("1am", "3am"),
        bookings="weeks",
        appointment="job_interview",
    ),
    # Booked until last month only: under two half-days this month.
    ReferralSpec(
        "Julie",
        APIJE,
        "apije",
        "Romain Teissier",
        (("Ilyes", 18),),
        "Démarches administratives le jeudi après-midi.",
        80,
        ("review", "accept"),
        reference_week=("3pm",),
        bookings="stopped",
        appointment="administrative",
    ),
    # The newest: its settling-in takes the 7th place on Tuesday mornings.
    ReferralSpec(
        "Anaïs",
        FT,
        "france_travail",
        "Julien Fabre",
        (("Léna", 10),),
        "Reprise d'une formation, mardis matin.",
        20,
        ("review", "accept"),
        reference_week=("1am",),
        bookings="weeks",
    ),
)
