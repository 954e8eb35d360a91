"""The demo's field work: activity types, partner facilitators, series and their sessions
from 24 months ago to 3 months ahead, clearly fictitious families, registrations, named
attendance, anonymous headcounts and observations, so that every screen shows something on
first start (issue 4, "Demo").

Called by ``loader.load_demo()`` inside its transaction. Loading again gives the same rows:
activity types and facilitators are kept by name; the series and sessions of the demo's
activity types and the demo's families (household codes starting with ``DEMO-``) are
deleted and recreated with everything recorded about them; other rows are left alone.
Everything is drawn from ``random.Random`` with fixed seeds and dates relative to
``today``, so two loads on the same day are identical.

What comes from the seeds: Espace Petits Pas (seed 000) visits families housed in social
hotels on 7 sites, with a talk group, a reading workshop (municipal libraries) and a
psychomotor workshop once a month in 4 hotels; the Cabanes (seed 003) are open workshops
without registration, two half-days a week per site, co-run with PMI staff, counted and
observed, never named; La Clef d'Or (seed 002) runs the LAEP "la Parenthèse", a theatre
workshop for pregnant women once a month for two hours, a Point Info Famille one Saturday
morning a month, talk groups and conferences. First names are common ones from the
families' languages; no family, code or note describes a real person.

Sessions only fall where the site's calendar is open for their hours (``planned_dates``).
Rows are written with ``bulk_create``: a few thousand sessions and tens of thousands of
attendance rows would take minutes through per-row service calls.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from petitspas.accounts.models import User
from petitspas.activities.models import (
    ActivityType,
    Facilitator,
    Public,
    RegistrationMode,
    Series,
    Session,
)
from petitspas.activities.recurrence import filter_open_dates, occurrences, planned_dates
from petitspas.attendance.models import Attendance, Headcount, Observation, Registration, Theme
from petitspas.core.text import fold
from petitspas.families.models import Household, HousingSituation, Person
from petitspas.organisations.models import Organisation, Programme
from petitspas.places.calendar import SchoolCalendarUnavailable, SiteCalendar
from petitspas.places.models import Site

if TYPE_CHECKING:
    from petitspas.demo.loader import DemoResult

PAST = relativedelta(months=24)
AHEAD = relativedelta(months=3)
# Every demo household code starts with this, so that reloading finds exactly its own.
CODE_PREFIX = "DEMO-"
SEED = 2018  # Espace Petits Pas' first year (seed 000)

# The demo professional of Asmae (``loader.ACCOUNTS``).
FIELD_WORKER = "terrain@asmae.demo"

MON, TUE, WED, THU, FRI, SAT = range(6)
Kind = ActivityType.Kind
Status = Attendance.Status


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


# --- Specs ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ActivitySpec:
    name: str
    kind: str
    public: str
    registration_mode: str
    duration: int
    description: str
    capacity: int | None = None
    is_public: bool = True


@dataclasses.dataclass(frozen=True)
class FacilitatorSpec:
    name: str
    role: str


@dataclasses.dataclass(frozen=True)
class SeriesSpec:
    activity: str
    sites: tuple[str, ...]
    rrule: str
    start_time: datetime.time
    end_time: datetime.time
    capacity: int | None = None
    facilitators: tuple[str, ...] = ()
    # (site, facilitator): a partner who only comes to one site (a town's library).
    site_facilitators: tuple[tuple[str, str], ...] = ()
    # Sessions from today only: childcare bookings are a later issue (no past to record).
    upcoming_only: bool = False
    # One topic per occurrence, in turn, written in the session's practical information.
    topics: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class ProgrammeActivity:
    organisation: str
    programme: str
    activities: tuple[ActivitySpec, ...]
    series: tuple[SeriesSpec, ...]
    facilitators: tuple[FacilitatorSpec, ...] = ()
    # (site, weekday) -> e-mails of the demo accounts on that round.
    rounds: tuple[tuple[str, int, str], ...] = ()
    # Share of sessions cancelled, and why.
    cancel_rate: float = 0.0
    cancel_reasons: tuple[str, ...] = ()


LA_COURNEUVE = "Hôtel social – La Courneuve"
PANTIN = "Maison de quartier de Pantin"
BOBIGNY_CENTRE = "Hôtel social – Bobigny centre"
BOBIGNY_NORD = "Hôtel social – Bobigny nord"
ROSNY = "Hôtel social – Rosny-sous-Bois"
SAINT_DENIS = "Hôtel social – Saint-Denis"
BLANC_MESNIL = "Hôtel social – Le Blanc-Mesnil"
ASMAE_SITES = (LA_COURNEUVE, PANTIN, BOBIGNY_CENTRE, BOBIGNY_NORD, ROSNY, SAINT_DENIS, BLANC_MESNIL)
# The monthly workshops' 4 hotels (seed 000): two open on Tuesdays, two on Thursdays.
TUESDAY_HOTELS = (BOBIGNY_CENTRE, ROSNY)
THURSDAY_HOTELS = (LA_COURNEUVE, BLANC_MESNIL)

FREE_PLAY = "Temps de jeu libre et d'écoute"
ASMAE_TALK_GROUP = "Groupe de parole"
READING = "Atelier lecture"
PSYCHOMOTOR = "Atelier psychomotricité"
AFTERNOON = (_time("14:00"), _time("17:00"))
WORKSHOP_HOURS = (_time("14:00"), _time("15:30"))


def _library(town: str) -> str:
    return f"Bibliothèque municipale de {town}"


ESPACE_PETITS_PAS = ProgrammeActivity(
    organisation="Asmae",
    programme="Espace Petits Pas",
    activities=(
        ActivitySpec(
            FREE_PLAY,
            Kind.FREE_PLAY,
            Public.CHILDREN_0_6,
            RegistrationMode.REGISTRATION,
            180,
            "Un lieu d'écoute, d'échanges et de jeux libres pour les enfants et leurs parents, "
            "dans la salle commune de l'hôtel ou à la maison de quartier.",
            capacity=15,
        ),
        ActivitySpec(
            ASMAE_TALK_GROUP,
            Kind.TALK_GROUP,
            Public.PARENTS,
            RegistrationMode.REGISTRATION,
            90,
            "Un groupe de parole pour les parents, animé par un consultant ou une consultante "
            "en parentalité, une fois par mois dans quatre hôtels.",
            capacity=10,
        ),
        ActivitySpec(
            READING,
            Kind.READING,
            Public.CHILDREN_0_6,
            RegistrationMode.REGISTRATION,
            90,
            "Lectures d'albums et comptines avec les bibliothèques municipales, une fois par "
            "mois dans quatre hôtels.",
            capacity=10,
        ),
        ActivitySpec(
            PSYCHOMOTOR,
            Kind.PSYCHOMOTOR,
            Public.CHILDREN_0_6,
            RegistrationMode.REGISTRATION,
            90,
            "Parcours moteurs et jeux corporels avec une psychomotricienne, une fois par mois "
            "dans quatre hôtels.",
            capacity=8,
        ),
    ),
    facilitators=(
        FacilitatorSpec("Hélène Moreau", "Psychomotricienne"),
        FacilitatorSpec("Samia Haddad", "Consultante en parentalité"),
        FacilitatorSpec("Olivier Lemaire", "Consultant en parentalité"),
        FacilitatorSpec(_library("Bobigny"), "Section jeunesse, atelier lecture"),
        FacilitatorSpec(_library("Rosny-sous-Bois"), "Section jeunesse, atelier lecture"),
        FacilitatorSpec(_library("La Courneuve"), "Section jeunesse, atelier lecture"),
        FacilitatorSpec(_library("Le Blanc-Mesnil"), "Section jeunesse, atelier lecture"),
    ),
    series=(
        # Free play on every opening half-day of every site: the sites' weekly patterns are
        # the two field teams' rounds.
        SeriesSpec(FREE_PLAY, (LA_COURNEUVE,), "FREQ=WEEKLY;BYDAY=MO,TH", *AFTERNOON, 15),
        SeriesSpec(FREE_PLAY, (PANTIN,), "FREQ=WEEKLY;BYDAY=WE", *AFTERNOON, 15),
        SeriesSpec(FREE_PLAY, (BOBIGNY_CENTRE,), "FREQ=WEEKLY;BYDAY=TU", *AFTERNOON, 15),
        SeriesSpec(FREE_PLAY, (BOBIGNY_NORD,), "FREQ=WEEKLY;BYDAY=FR", *AFTERNOON, 15),
        SeriesSpec(FREE_PLAY, (ROSNY,), "FREQ=WEEKLY;BYDAY=TU,FR", *AFTERNOON, 15),
        SeriesSpec(FREE_PLAY, (SAINT_DENIS,), "FREQ=WEEKLY;BYDAY=WE", *AFTERNOON, 15),
        SeriesSpec(FREE_PLAY, (BLANC_MESNIL,), "FREQ=WEEKLY;BYDAY=MO,TH", *AFTERNOON, 15),
        # "1 fois par mois dans 4 hôtels", during the team's afternoon there.
        SeriesSpec(
            ASMAE_TALK_GROUP,
            TUESDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+1TU",
            *WORKSHOP_HOURS,
            10,
            facilitators=("Samia Haddad",),
        ),
        SeriesSpec(
            ASMAE_TALK_GROUP,
            THURSDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+1TH",
            *WORKSHOP_HOURS,
            10,
            facilitators=("Olivier Lemaire",),
        ),
        SeriesSpec(
            READING,
            TUESDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+2TU",
            *WORKSHOP_HOURS,
            10,
            site_facilitators=(
                (BOBIGNY_CENTRE, _library("Bobigny")),
                (ROSNY, _library("Rosny-sous-Bois")),
            ),
        ),
        SeriesSpec(
            READING,
            THURSDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+2TH",
            *WORKSHOP_HOURS,
            10,
            site_facilitators=(
                (LA_COURNEUVE, _library("La Courneuve")),
                (BLANC_MESNIL, _library("Le Blanc-Mesnil")),
            ),
        ),
        SeriesSpec(
            PSYCHOMOTOR,
            TUESDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+3TU",
            *WORKSHOP_HOURS,
            8,
            facilitators=("Hélène Moreau",),
        ),
        SeriesSpec(
            PSYCHOMOTOR,
            THURSDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+3TH",
            *WORKSHOP_HOURS,
            8,
            facilitators=("Hélène Moreau",),
        ),
    ),
    # The demo professional's team: one site each weekday. The other team has no demo
    # account; its sessions have no staff member.
    rounds=(
        (LA_COURNEUVE, MON, FIELD_WORKER),
        (BOBIGNY_CENTRE, TUE, FIELD_WORKER),
        (PANTIN, WED, FIELD_WORKER),
        (BLANC_MESNIL, THU, FIELD_WORKER),
        (ROSNY, FRI, FIELD_WORKER),
    ),
    cancel_rate=0.015,
    cancel_reasons=(
        "Équipe en formation",
        "Salle commune de l'hôtel indisponible (travaux)",
        "Professionnelle absente, pas de remplacement possible",
        "Grève des transports",
    ),
)

CABANE_LILAS = "Cabane des Lilas"
CABANE_COURNEUVE = "Cabane de La Courneuve"
CABANE_WORKSHOP = "Atelier des 1000 premiers jours"
PMI_LILAS = "Équipe de PMI des Lilas"
PMI_COURNEUVE = "Équipe de PMI de La Courneuve"
PMI_ROLE = "Puéricultrice et auxiliaire de puériculture du centre de PMI"
CABANE_PMI = ((CABANE_LILAS, PMI_LILAS), (CABANE_COURNEUVE, PMI_COURNEUVE))

CABANES = ProgrammeActivity(
    organisation="Département de la Seine-Saint-Denis",
    programme="Cabanes des 1000 premiers jours",
    activities=(
        ActivitySpec(
            CABANE_WORKSHOP,
            Kind.WORKSHOP,
            Public.CHILDREN_0_3,
            RegistrationMode.OPEN,
            150,
            "Ateliers ludiques gratuits et sans inscription pour les parents dès la grossesse "
            "et les enfants de 0 à 3 ans : éveil, jeux, comptines, échanges entre parents, "
            "coanimés avec les professionnelles de PMI et des associations locales.",
        ),
    ),
    facilitators=(
        FacilitatorSpec(PMI_LILAS, PMI_ROLE),
        FacilitatorSpec(PMI_COURNEUVE, PMI_ROLE),
        FacilitatorSpec("Compagnie Pas de Loup", "Association locale : éveil musical et conte"),
    ),
    series=(
        # "mobilisation des professionnelles de la PMI (2 demi-journées par semaine, par site)"
        SeriesSpec(
            CABANE_WORKSHOP,
            (CABANE_LILAS, CABANE_COURNEUVE),
            "FREQ=WEEKLY;BYDAY=MO,WE",
            _time("14:00"),
            _time("16:30"),
            facilitators=("Compagnie Pas de Loup",),
            site_facilitators=CABANE_PMI,
        ),
        SeriesSpec(
            CABANE_WORKSHOP,
            (CABANE_LILAS, CABANE_COURNEUVE),
            "FREQ=WEEKLY;BYDAY=TH,FR",
            _time("09:30"),
            _time("12:00"),
            site_facilitators=CABANE_PMI,
        ),
    ),
    cancel_rate=0.03,
    cancel_reasons=(
        "Intempéries",
        "Professionnelles de PMI mobilisées sur une campagne de vaccination",
        "Container inaccessible (intervention technique)",
    ),
)

CLEF_D_OR = "La Clef d'Or"
LAEP = "La Parenthèse (LAEP)"
THEATRE = "Atelier théâtre pour femmes enceintes"
INFO_DESK = "Permanence Point Info Famille"
CDO_TALK_GROUP = "Groupe de parole"
CONFERENCE = "Conférence thématique"
# (title, theme): needs named by the partners in seed 002.
CONFERENCE_TOPICS = (
    ("Les écrans et les tout-petits", Theme.SCREENS),
    ("Poser des limites sans crier", Theme.AUTHORITY),
    ("Le sommeil du jeune enfant", Theme.SLEEP),
    ("Devenir père aujourd'hui", Theme.FATHER),
    ("Fin de grossesse et sortie de maternité", Theme.PERINATALITY),
    ("Élever seul son enfant", Theme.ISOLATION),
    ("Parler plusieurs langues à la maison", Theme.LANGUAGE),
    ("Handicap : à qui s'adresser ?", Theme.DISABILITY),
)

CLEF_D_OR_ACTIVITY = ProgrammeActivity(
    organisation="Ville de Suresnes",
    programme="La Clef d'Or / Maison des Familles",
    activities=(
        ActivitySpec(
            LAEP,
            Kind.LAEP,
            Public.CHILDREN_0_6,
            RegistrationMode.OPEN,
            150,
            "Lieu d'accueil enfants-parents : un espace de jeu et de parole pour les enfants "
            "de 0 à 6 ans accompagnés d'un parent, gratuit, anonyme et sans inscription.",
        ),
        ActivitySpec(
            THEATRE,
            Kind.THEATRE,
            Public.PREGNANT,
            RegistrationMode.REGISTRATION,
            120,
            "Deux heures d'improvisation théâtrale une fois par mois, animées par une "
            "gestalt-thérapeute, professeure de théâtre.",
            capacity=8,
        ),
        ActivitySpec(
            INFO_DESK,
            Kind.INFO_DESK,
            Public.PARENTS,
            RegistrationMode.OPEN,
            150,
            "Accueil, information et orientation des familles : prestations, modes de garde, "
            "loisirs, accès aux droits. Un samedi matin par mois pour faciliter l'accès de tous.",
        ),
        ActivitySpec(
            CDO_TALK_GROUP,
            Kind.TALK_GROUP,
            Public.PARENTS,
            RegistrationMode.REGISTRATION,
            120,
            "Un groupe de parole entre parents, animé par une psychologue de la Clef d'Or.",
            capacity=12,
        ),
        ActivitySpec(
            CONFERENCE,
            Kind.CONFERENCE,
            Public.PARENTS,
            RegistrationMode.OPEN,
            120,
            "Une conférence suivie d'un échange avec les parents, sur un thème choisi avec le "
            "groupe de travail « Soutien à la parentalité ».",
        ),
    ),
    facilitators=(
        FacilitatorSpec("Nathalie Perrin", "Gestalt-thérapeute, professeure de théâtre"),
    ),
    series=(
        SeriesSpec(LAEP, (CLEF_D_OR,), "FREQ=WEEKLY;BYDAY=TU,FR", _time("09:00"), _time("11:30")),
        SeriesSpec(LAEP, (CLEF_D_OR,), "FREQ=WEEKLY;BYDAY=WE", _time("14:00"), _time("17:00")),
        SeriesSpec(
            THEATRE,
            (CLEF_D_OR,),
            "FREQ=MONTHLY;BYDAY=+2TH",
            _time("14:00"),
            _time("16:00"),
            8,
            facilitators=("Nathalie Perrin",),
        ),
        SeriesSpec(
            INFO_DESK, (CLEF_D_OR,), "FREQ=MONTHLY;BYDAY=+1SA", _time("09:30"), _time("12:00")
        ),
        SeriesSpec(
            CDO_TALK_GROUP,
            (CLEF_D_OR,),
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=+3MO",
            _time("14:00"),
            _time("16:00"),
            12,
        ),
        SeriesSpec(
            CONFERENCE,
            (CLEF_D_OR,),
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=+2TU",
            _time("15:00"),
            _time("17:00"),
            topics=tuple(f"Thème : {title}." for title, _ in CONFERENCE_TOPICS),
        ),
    ),
    cancel_rate=0.015,
    cancel_reasons=("Accueillante absente", "Salle réquisitionnée pour les élections"),
)

CHILDCARE = "Accueil des jeunes enfants"
PARK = "Accueil de loisirs maternel du parc"
ARC_EN_CIEL = "École maternelle Arc-en-Ciel"

LES_PETITS_PAS = ProgrammeActivity(
    organisation="Ville de Lunel",
    programme="Les Petits Pas",
    activities=(
        ActivitySpec(
            CHILDCARE,
            Kind.CHILDCARE,
            Public.CHILDREN_0_3,
            RegistrationMode.REFERRAL,
            225,
            "Accueil par demi-journée des enfants de 3 mois à 3 ans dont les parents sont en "
            "parcours d'insertion professionnelle, sur orientation.",
            capacity=7,
            is_public=False,
        ),
    ),
    # Every open half-day of both sites: the calendar keeps the park in term time and
    # Arc-en-Ciel on Wednesdays and in the school holidays (seed 001).
    series=(
        SeriesSpec(
            CHILDCARE,
            (PARK, ARC_EN_CIEL),
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            _time("08:30"),
            _time("12:15"),
            7,
            upcoming_only=True,
        ),
        SeriesSpec(
            CHILDCARE,
            (PARK, ARC_EN_CIEL),
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH",
            _time("13:30"),
            _time("17:00"),
            7,
            upcoming_only=True,
        ),
    ),
)

CAFE = "Café des parents"
SCHOOL_12 = "École maternelle – micro-quartier du 12e"
SCHOOL_18 = "École élémentaire – micro-quartier du 18e"

AGIR_ENSEMBLE = ProgrammeActivity(
    organisation="Ville de Paris – DASES",
    programme="Agir ensemble pour les enfants",
    activities=(
        ActivitySpec(
            CAFE,
            Kind.TALK_GROUP,
            Public.PARENTS,
            RegistrationMode.OPEN,
            90,
            "Un café à l'heure de l'entrée des classes, pour se rencontrer entre parents et "
            "découvrir les structures du quartier (seed 004 : l'école, point d'ancrage).",
        ),
    ),
    series=(
        SeriesSpec(CAFE, (SCHOOL_12,), "FREQ=MONTHLY;BYDAY=+1TU", _time("08:30"), _time("10:00")),
        SeriesSpec(CAFE, (SCHOOL_18,), "FREQ=MONTHLY;BYDAY=+1MO", _time("08:30"), _time("10:00")),
    ),
)

PROGRAMMES = (ESPACE_PETITS_PAS, CABANES, CLEF_D_OR_ACTIVITY, LES_PETITS_PAS, AGIR_ENSEMBLE)


# --- Families -------------------------------------------------------------------------------


def _names(mothers: str, fathers: str, children: str) -> tuple[tuple[str, ...], ...]:
    return tuple(mothers.split()), tuple(fathers.split()), tuple(children.split())


# Common first names in the families' languages: (mothers, fathers, children). None is a
# French word that a note could contain ("Grâce", "Rose"…): observations are checked.
NAMES = {
    "mande": _names(
        "Mariam Fatoumata Kadiatou Aminata Hawa Oumou Djeneba Salimata",
        "Moussa Mamadou Bakary Seydou Issa Drissa",
        "Sira Fanta Adama Souleymane Binta Ousmane Mariama Bintou Sekou Assetou Lassana Kadidia",
    ),
    "arabe": _names(
        "Amina Fatima Khadija Samira Nour Yasmine Leïla Rania",
        "Karim Youssef Bilal Omar Mehdi Hamza",
        "Ilyes Adam Sara Lina Rayan Jana Yanis Assia Imran Maryam Aya Malak",
    ),
    "tamoul": _names(
        "Priya Kavitha Thenmozhi Malar Vasanthi",
        "Suresh Kumaran Rajan Senthil",
        "Aravind Nila Kavin Anbu Dhanya Yazhini Nithish Harini",
    ),
    "anglais": _names(
        "Esther Blessing Favour Chioma Ngozi Abena",
        "Chinedu Emeka Kwame Tunde",
        "Daniel Samuel Michelle Precious Tobi Ada Kofi Zainab",
    ),
    "roumain": _names(
        "Ioana Elena Mihaela Andreea Florentina",
        "Ionut Florin Marius Costel",
        "Denisa Alexandru Bianca Darius Sorina Rebeca Fabian Larisa",
    ),
    "lingala": _names(
        "Ornella Nadège Mbuyi Nsimba Kiese",
        "Patrick Junior Christian Blaise",
        "Plamedi Benjamin Dorcas Glodie Christelle Naomie Josué Keren",
    ),
    "dari": _names(
        "Zarmina Parwana Nazia Fereshta",
        "Ahmad Farid Nasir Jawad",
        "Zahra Mustafa Hasina Elham Sohrab Mursal Yalda Omid",
    ),
    "géorgien": _names(
        "Nino Tamari Ketevan Natia",
        "Giorgi Levan Davit",
        "Mariami Luka Ana Nikoloz Elene Saba",
    ),
    "tigrinya": _names(
        "Selam Helen Senait Mebrat",
        "Dawit Yonas Tesfay",
        "Meron Rahel Abel Yohana Natnael Lidya",
    ),
    "bengali": _names(
        "Nusrat Tahmina Shirin Rokeya",
        "Rahim Jamal Sohel",
        "Arif Tania Rafi Nabila Ayaan Sumaiya",
    ),
    "français": _names(
        "Camille Julie Sarah Laura Chloé Manon Pauline Aurélie Émilie Claire-Anne Sandrine Marion",
        "Julien Thomas Nicolas Maxime Guillaume Sébastien",
        "Louise Jules Gabriel Alice Léon Margaux Hugo Léna Arthur Inès Nina Raphaël Zoé Noé "
        "Lucie Mathis",
    ),
    "portugais": _names(
        "Inês Cátia Sofia Joana",
        "João Rui Tiago",
        "Tomás Beatriz Diogo Leonor Duarte Matilde",
    ),
}
# (languages written in the file, names, weight) for the families met in 93's social hotels.
HOTEL_LANGUAGES = (
    ("bambara, français", "mande", 12),
    ("soninké, français", "mande", 9),
    ("peul, français", "mande", 5),
    ("arabe", "arabe", 9),
    ("arabe, français", "arabe", 7),
    ("tamoul", "tamoul", 6),
    ("tamoul, anglais", "tamoul", 3),
    ("anglais", "anglais", 8),
    ("roumain", "roumain", 7),
    ("lingala, français", "lingala", 8),
    ("dari", "dari", 4),
    ("pachto, dari", "dari", 2),
    ("géorgien, russe", "géorgien", 3),
    ("tigrinya", "tigrinya", 3),
    ("bengali", "bengali", 3),
    ("français", "français", 2),
)
SURESNES_LANGUAGES = (
    ("français", "français", 30),
    ("arabe, français", "arabe", 8),
    ("portugais, français", "portugais", 5),
    ("anglais, français", "anglais", 3),
    ("tamoul, français", "tamoul", 2),
    ("roumain, français", "roumain", 2),
)
# Families the mobile team meets at each site at any time ("slots", each filled by one
# household after another as families are moved on).
ASMAE_SLOTS = {
    LA_COURNEUVE: 28,
    PANTIN: 22,
    BOBIGNY_CENTRE: 24,
    BOBIGNY_NORD: 20,
    ROSNY: 28,
    SAINT_DENIS: 22,
    BLANC_MESNIL: 26,
}
SIX_YEARS = 6 * 365


@dataclasses.dataclass(eq=False)
class Family:
    household: Household
    parents: list[Person]
    children: list[Person]
    arrives: datetime.date
    leaves: datetime.date  # first day away
    group: str  # the NAMES its first names come from
    regular: bool = False
    # La Clef d'Or's theatre workshop: the last six months of a pregnancy, up to three
    # weeks before the birth (or the due date, while the child is expected).
    pregnant_from: datetime.date | None = None
    pregnant_until: datetime.date | None = None
    born_on: datetime.date | None = None

    def is_here(self, day: datetime.date) -> bool:
        return self.arrives <= day < self.leaves

    def children_on(self, day: datetime.date) -> list[Person]:
        """Children already born and under 6 on ``day``: no visit before a birth."""
        return [
            child
            for child in self.children
            if child.role == Person.Role.CHILD
            and child.birth_date <= day
            and (day - child.birth_date).days < SIX_YEARS
        ]


def _weighted(rng: random.Random, table):
    return rng.choices(table, weights=[row[-1] for row in table])[0]


def _person(role: str, first_name: str = "", **dates) -> Person:
    # bulk_create skips save(), which keeps the folded name for accent-insensitive search.
    return Person(role=role, first_name=first_name, first_name_folded=fold(first_name), **dates)


def _new_family(
    rng: random.Random,
    *,
    organisation: Organisation,
    code: str,
    languages: tuple,
    site: Site,
    housing: str,
    housing_site: Site | None,
    arrives: datetime.date,
    leaves: datetime.date,
    known_since: datetime.date,
) -> Family:
    spoken, group, _ = languages
    mothers, fathers, _ = NAMES[group]
    household = Household(
        organisation=organisation,
        code=code,
        commune_code=site.commune_code,
        town=site.town,
        housing=housing,
        housing_site=housing_site,
        languages=spoken,
        created_at=timezone.make_aware(datetime.datetime.combine(known_since, _time("16:00"))),
    )
    parents = [_person(Person.Role.PARENT, rng.choice(mothers))]
    if rng.random() < 0.4:
        parents.append(_person(Person.Role.PARENT, rng.choice(fathers)))
    return Family(household, parents, [], arrives, leaves, group)


def _add_children(
    rng: random.Random, family: Family, *, youngest: datetime.date, today: datetime.date
) -> None:
    """The youngest child born on ``youngest``, or expected then when that is in the next
    eight months and the family is still followed; older siblings 1 to 4 years apart."""
    names = rng.sample(NAMES[family.group][2], k=3)
    count = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
    birth = youngest
    if youngest > today:
        if family.leaves > today and youngest <= today + datetime.timedelta(days=240):
            family.children.append(_person(Person.Role.EXPECTED_CHILD, due_date=youngest))
            count -= 1
            birth = youngest - datetime.timedelta(days=rng.randint(400, 1500))
        else:
            birth = today - datetime.timedelta(days=rng.randint(30, 400))
    for index in range(count):
        family.children.append(_person(Person.Role.CHILD, names[index], birth_date=birth))
        birth -= datetime.timedelta(days=rng.randint(400, 1500))


def _asmae_families(
    rng: random.Random, organisation: Organisation, sites: dict[str, Site], window: Window
) -> dict[str, list[Family]]:
    """Households met at each site: each slot holds one family after another, as families
    are moved from hotel to hotel (stays of 5 months to 3 years)."""
    by_site: dict[str, list[Family]] = {}
    number = 0
    for name in ASMAE_SITES:
        site = sites[name]
        families = []
        for _ in range(ASMAE_SLOTS[name]):
            stay = rng.randint(150, 1100)
            arrives = window.start - datetime.timedelta(days=rng.randint(0, stay - 30))
            while arrives <= window.today:
                leaves = arrives + datetime.timedelta(days=stay)
                number += 1
                hotel = site.kind == Site.Kind.SOCIAL_HOTEL
                family = _new_family(
                    rng,
                    organisation=organisation,
                    code=f"{CODE_PREFIX}EPP-{number:03d}",
                    languages=_weighted(rng, HOTEL_LANGUAGES),
                    site=site,
                    # Pantin's neighbourhood centre welcomes families of nearby hotels
                    # that the programme does not visit, and some hosted elsewhere.
                    housing=(
                        HousingSituation.SOCIAL_HOTEL
                        if hotel or rng.random() < 0.6
                        else rng.choice(
                            (HousingSituation.EMERGENCY_SHELTER, HousingSituation.HOSTED)
                        )
                    ),
                    housing_site=site if hotel else None,
                    arrives=arrives,
                    leaves=leaves,
                    # Files older than the window were opened before the demo's history.
                    known_since=max(arrives, window.start - datetime.timedelta(days=400)),
                )
                family.regular = rng.random() < 0.45
                youngest = max(arrives, window.start) + datetime.timedelta(
                    days=rng.randint(-3 * 365, 300)
                )
                _add_children(rng, family, youngest=youngest, today=window.today)
                families.append(family)
                stay = rng.randint(150, 1100)
                arrives = leaves + datetime.timedelta(days=rng.randint(7, 90))
        by_site[name] = families
    return by_site


def _suresnes_families(
    rng: random.Random, organisation: Organisation, site: Site, window: Window
) -> tuple[list[Family], list[Family]]:
    """Pregnant women for the theatre workshop (due dates spread over the window and the
    coming months) and parents of young children for the talk group."""
    pregnancies, parents = [], []
    span = (window.end + datetime.timedelta(days=120) - window.start).days
    for number in range(1, 61):
        due_on = window.start + datetime.timedelta(days=60 + rng.randint(0, span - 60))
        family = _new_family(
            rng,
            organisation=organisation,
            code=f"{CODE_PREFIX}CDO-{number:03d}",
            languages=_weighted(rng, SURESNES_LANGUAGES),
            site=site,
            housing=rng.choices(
                (HousingSituation.HOUSED, HousingSituation.HOSTED), weights=(85, 15)
            )[0],
            housing_site=None,
            arrives=due_on - datetime.timedelta(days=rng.randint(150, 220)),
            leaves=due_on + datetime.timedelta(days=3 * 365),
            known_since=due_on - datetime.timedelta(days=rng.randint(220, 260)),
        )
        if due_on > window.today:
            family.children.append(_person(Person.Role.EXPECTED_CHILD, due_date=due_on))
            birth = due_on
        else:
            birth = min(
                due_on + datetime.timedelta(days=rng.randint(-15, 7)),
                window.today - datetime.timedelta(days=1),
            )
            names = NAMES[family.group][2]
            family.children.append(_person(Person.Role.CHILD, rng.choice(names), birth_date=birth))
            family.born_on = birth
        family.pregnant_from = due_on - datetime.timedelta(days=180)
        family.pregnant_until = birth - datetime.timedelta(days=21)
        if rng.random() < 0.35:
            older = birth - datetime.timedelta(days=rng.randint(600, 1500))
            name = rng.choice(NAMES[family.group][2])
            if all(child.first_name != name for child in family.children):
                family.children.append(_person(Person.Role.CHILD, name, birth_date=older))
        pregnancies.append(family)
    for number in range(61, 96):
        arrives = window.start - datetime.timedelta(days=rng.randint(0, 300))
        arrives += datetime.timedelta(days=rng.randint(0, 600))
        family = _new_family(
            rng,
            organisation=organisation,
            code=f"{CODE_PREFIX}CDO-{number:03d}",
            languages=_weighted(rng, SURESNES_LANGUAGES),
            site=site,
            housing=HousingSituation.HOUSED,
            housing_site=None,
            arrives=arrives,
            leaves=arrives + datetime.timedelta(days=rng.randint(300, 900)),
            known_since=arrives,
        )
        family.regular = rng.random() < 0.4
        youngest = min(
            window.today - datetime.timedelta(days=30),
            arrives - datetime.timedelta(days=rng.randint(60, 900)),
        )
        _add_children(rng, family, youngest=youngest, today=window.today)
        parents.append(family)
    return pregnancies, parents


# --- Sessions -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Window:
    today: datetime.date
    start: datetime.date
    end: datetime.date


@dataclasses.dataclass(eq=False)
class Planned:
    session: Session
    spec: SeriesSpec
    staff: list[User]
    facilitators: list[Facilitator]

    @property
    def staff_id(self) -> int | None:
        """Who recorded the attendance and wrote the notes: the first staff member."""
        return self.staff[0].pk if self.staff else None


def _open_dates(spec: SeriesSpec, calendar: SiteCalendar, start, end) -> list[datetime.date]:
    times = {"start_time": spec.start_time, "end_time": spec.end_time, "calendar": calendar}
    try:
        return planned_dates(rrule=spec.rrule, starts_on=start, ends_on=end, **times)
    except SchoolCalendarUnavailable:
        # A demo loaded years from now may reach past the published school holidays: keep
        # the dates that are known rather than failing the whole load.
        dates = []
        for day in occurrences(rrule=spec.rrule, starts_on=start, ends_on=end):
            try:
                dates += filter_open_dates([day], **times)
            except SchoolCalendarUnavailable:
                continue
        return dates


# --- Attendance -----------------------------------------------------------------------------


class Recorder:
    """Collects the rows of the field screens for ``bulk_create``. Rows are built from
    ids: a related object per field would double the time of the load."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.registrations: list[Registration] = []
        self.attendances: list[Attendance] = []
        self.headcounts: list[Headcount] = []
        self.observations: list[Observation] = []
        self._moments: dict[tuple, datetime.datetime] = {}

    def moment(self, day: datetime.date, at: datetime.time) -> datetime.datetime:
        key = (day, at)
        if key not in self._moments:
            self._moments[key] = timezone.make_aware(datetime.datetime.combine(day, at))
        return self._moments[key]

    def register(self, planned: Planned, families: list[Family]) -> None:
        session = planned.session
        for family in families:
            days_before = datetime.timedelta(days=self.rng.randint(2, 25))
            self.registrations.append(
                Registration(
                    session_id=session.pk,
                    household_id=family.household.pk,
                    created_at=self.moment(session.date - days_before, _time("17:00")),
                )
            )

    def attend(
        self,
        planned: Planned,
        family: Family,
        status: str,
        *,
        walk_in: bool = False,
        parents_only: bool = False,
        mother_only: bool = False,
    ) -> None:
        session = planned.session
        people = family.parents[:1] if mother_only else list(family.parents)
        if status == Status.PRESENT and len(people) > 1 and self.rng.random() < 0.7:
            people = people[:1]  # the father came along one time in three or so
        if not (parents_only or mother_only):
            people += family.children_on(session.date)
        recorded_at = self.moment(session.date, session.end_time)
        for person in people:
            self.attendances.append(
                Attendance(
                    session_id=session.pk,
                    person_id=person.pk,
                    household_id=family.household.pk,
                    status=status,
                    is_walk_in=walk_in,
                    recorded_by_id=planned.staff_id,
                    recorded_at=recorded_at,
                )
            )

    def count(self, planned: Planned, **counters) -> None:
        session = planned.session
        self.headcounts.append(
            Headcount(
                session_id=session.pk,
                recorded_by_id=planned.staff_id,
                updated_at=self.moment(session.date, session.end_time),
                **counters,
            )
        )

    def observe(self, planned: Planned, text: str, themes) -> None:
        session = planned.session
        self.observations.append(
            Observation(
                session_id=session.pk,
                author_id=planned.staff_id,
                observed_on=session.date,
                text=text,
                themes=[str(theme) for theme in themes],
                created_at=self.moment(session.date, session.end_time),
            )
        )

    def maybe_observe(self, planned: Planned, rate: float, notes) -> None:
        if self.rng.random() < rate:
            text, themes = self.rng.choice(notes)
            self.observe(planned, text, themes)


def _draw_status(rng: random.Random, *, present: float, excused: float) -> str:
    draw = rng.random()
    if draw < present:
        return Status.PRESENT
    return Status.EXCUSED if draw < present + excused else Status.NO_SHOW


def _registered_attendance(
    recorder: Recorder,
    planned: Planned,
    registered: list[Family],
    walk_ins: list[Family],
    *,
    present: float,
    excused: float,
    **people,
) -> None:
    for family in registered:
        status = _draw_status(recorder.rng, present=present, excused=excused)
        recorder.attend(planned, family, status, **people)
    for family in walk_ins:
        recorder.attend(planned, family, Status.PRESENT, walk_in=True, **people)


def _asmae_attendance(
    recorder: Recorder, sessions: list[Planned], by_site: dict[str, list[Family]], window: Window
) -> None:
    """8 to 15 households at a free-play afternoon: the regulars (registered: the expected
    list) and families who drop in; 6 to 10 registered at a monthly workshop."""
    rng = recorder.rng
    registers_until = window.today + datetime.timedelta(days=14)
    for planned in sessions:
        session = planned.session
        here = [family for family in by_site[session.site.name] if family.is_here(session.date)]
        here = [family for family in here if family.arrives <= window.today]
        regulars = [family for family in here if family.regular]
        others = [family for family in here if not family.regular]
        past = session.date < window.today
        cancelled = session.status == Session.Status.CANCELLED
        kind = session.activity_type.kind
        if kind == Kind.FREE_PLAY:
            registered = regulars[: session.capacity]
            if past or session.date <= registers_until:
                recorder.register(planned, registered)
            if not past or cancelled:
                continue
            statuses = [_draw_status(rng, present=0.72, excused=0.1) for _ in registered]
            for family, status in zip(registered, statuses, strict=True):
                recorder.attend(planned, family, status)
            # 8 to 15 households an afternoon: the regulars who came, then drop-ins.
            drop_ins = rng.randint(8, 15) - statuses.count(Status.PRESENT)
            for family in rng.sample(others, k=max(0, min(len(others), drop_ins))):
                recorder.attend(planned, family, Status.PRESENT, walk_in=True)
            recorder.maybe_observe(planned, 0.25, HOTEL_NOTES)
            continue
        # Monthly workshops: registrations open a month ahead, regulars first.
        if not past and session.date > window.today + datetime.timedelta(days=30):
            continue
        wanted = rng.randint(6, 10)
        pool = rng.sample(regulars, k=len(regulars)) + rng.sample(others, k=len(others))
        registered = pool[: min(wanted, session.capacity or wanted)]
        recorder.register(planned, registered)
        if not past or cancelled:
            continue
        rest = pool[len(registered) :]
        walk_ins = rest[: rng.randint(0, 2)]
        _registered_attendance(
            recorder,
            planned,
            registered,
            walk_ins,
            present=0.75,
            excused=0.1,
            parents_only=kind == Kind.TALK_GROUP,
        )
        recorder.maybe_observe(planned, 0.5, ASMAE_WORKSHOP_NOTES[kind])


def _suresnes_attendance(
    recorder: Recorder,
    sessions: list[Planned],
    pregnancies: list[Family],
    parents: list[Family],
    window: Window,
) -> None:
    """The theatre workshop: women in their last six months of pregnancy, never after the
    birth. The talk group: parents of young children, and mothers back after the birth."""
    rng = recorder.rng
    for planned in sessions:
        session = planned.session
        name = session.activity_type.name
        past = session.date < window.today
        cancelled = session.status == Session.Status.CANCELLED
        if not past and session.date > window.today + datetime.timedelta(days=30):
            continue
        if name == THEATRE:
            expecting = [
                family
                for family in pregnancies
                if family.pregnant_from <= session.date <= family.pregnant_until
            ]
            registered = [family for family in expecting if rng.random() < 0.8]
            registered = registered[: session.capacity]
            recorder.register(planned, registered)
            if past and not cancelled:
                _registered_attendance(
                    recorder, planned, registered, [], present=0.85, excused=0.1, mother_only=True
                )
                recorder.maybe_observe(planned, 0.6, THEATRE_NOTES)
        elif name == CDO_TALK_GROUP:
            here = [family for family in parents if family.is_here(session.date)]
            # Mothers of the theatre workshop come back once the baby is born.
            here += [
                family
                for family in pregnancies
                if family.born_on and family.born_on < session.date and rng.random() < 0.15
            ]
            here = [family for family in here if family.arrives <= window.today]
            wanted = rng.randint(5, 11)
            others = [family for family in here if not family.regular]
            pool = [family for family in here if family.regular] + rng.sample(others, k=len(others))
            registered = pool[: min(wanted, session.capacity)]
            recorder.register(planned, registered)
            if past and not cancelled:
                _registered_attendance(
                    recorder,
                    planned,
                    registered,
                    pool[len(registered) : len(registered) + rng.randint(0, 1)],
                    present=0.8,
                    excused=0.12,
                    parents_only=True,
                )
                recorder.maybe_observe(planned, 0.7, CDO_TALK_GROUP_NOTES)


# --- Headcounts -----------------------------------------------------------------------------


def _between(rng: random.Random, low: int, high: int, factor: float = 1.0) -> int:
    return max(low, min(high, round(rng.randint(low, high) * factor)))


def _season(day: datetime.date) -> float:
    """Fewer families in August and around the end-of-year holidays."""
    if day.month == 8:
        return 0.6
    if day.month in (7, 12, 1):
        return 0.85
    return 1.0


def _cabane_count(rng: random.Random, day: datetime.date, started_on: datetime.date) -> dict:
    # The Cabanes grew known: more families in the second year (500 families since the
    # launch, seed 003).
    growth = min(1.25, 0.8 + (day - started_on).days / 900)
    factor = growth * _season(day)
    adults = _between(rng, 4, 15, factor)
    return {
        "adults": adults,
        "pregnant_women": min(adults - 1, _between(rng, 0, 3)),
        "children_under_1": _between(rng, 1, 5, factor),
        "children_1_3": _between(rng, 2, 8, factor),
        "children_3_6": _between(rng, 0, 2),
        "first_visits": min(adults, _between(rng, 0, 4)),
    }


def _laep_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    factor = _season(day)
    adults = _between(rng, 3, 10, factor)
    return {
        "adults": adults,
        "pregnant_women": min(adults - 1, _between(rng, 0, 1)),
        "children_under_1": _between(rng, 0, 3, factor),
        "children_1_3": _between(rng, 1, 6, factor),
        "children_3_6": _between(rng, 0, 4, factor),
        "first_visits": min(adults, _between(rng, 0, 2)),
    }


def _info_desk_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    adults = _between(rng, 2, 8)
    return {
        "adults": adults,
        "pregnant_women": _between(rng, 0, 1),
        "children_under_1": _between(rng, 0, 2),
        "children_1_3": _between(rng, 0, 2),
        "children_3_6": _between(rng, 0, 2),
        "first_visits": min(adults, _between(rng, 1, 5)),
    }


def _conference_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    adults = _between(rng, 10, 32)
    return {
        "adults": adults,
        "pregnant_women": _between(rng, 0, 2),
        "children_under_1": _between(rng, 0, 2),
        "first_visits": min(adults, _between(rng, 2, 9)),
    }


def _cafe_count(rng: random.Random, day: datetime.date, _started_on) -> dict:
    adults = _between(rng, 4, 12)
    return {
        "adults": adults,
        "pregnant_women": _between(rng, 0, 1),
        "children_under_1": _between(rng, 0, 2),
        "children_1_3": _between(rng, 0, 3),
        "first_visits": min(adults, _between(rng, 0, 3)),
    }


def _open_attendance(
    recorder: Recorder, sessions: list[Planned], started_on: datetime.date, window: Window
) -> None:
    for planned in sessions:
        session = planned.session
        if session.date >= window.today or session.status == Session.Status.CANCELLED:
            continue
        counter, rate, notes = HEADCOUNTS[session.activity_type.name]
        counts = counter(recorder.rng, session.date, started_on)
        recorder.count(planned, **counts)
        if session.activity_type.name == CONFERENCE:
            topic = session.notes.removeprefix("Thème : ").rstrip(".")
            theme = dict(CONFERENCE_TOPICS)[topic]
            recorder.observe(
                planned,
                f"Conférence « {topic} » : {counts['adults']} parents présents, dont "
                f"{counts['first_visits']} venus pour la première fois à la Clef d'Or. "
                "Beaucoup de questions à la fin ; plusieurs parents ont demandé un groupe de "
                "parole sur ce thème.",
                [theme],
            )
        else:
            recorder.maybe_observe(planned, rate, notes)


# --- Observation notes ----------------------------------------------------------------------
# Neutral professional notes: no name, no detail that would identify a family.

T = Theme
HOTEL_NOTES = (
    (
        "Une mère arrivée récemment à l'hôtel dit ne parler à personne en dehors de nos "
        "passages. Mise en lien avec une autre maman de la même langue.",
        [T.ISOLATION],
    ),
    (
        "Plusieurs parents laissent le téléphone aux enfants pour avoir un moment de calme "
        "dans la chambre. Échange sur des jeux possibles dans une seule pièce.",
        [T.SCREENS, T.HOUSING],
    ),
    (
        "Un enfant de deux ans et demi dit encore très peu de mots ; la mère s'inquiète. "
        "Comptines dans la langue familiale encouragées, orientation vers la PMI proposée.",
        [T.LANGUAGE],
    ),
    (
        "Parents épuisés : les enfants s'endorment tard à cause du bruit dans les couloirs. "
        "Échange sur les rituels du coucher.",
        [T.SLEEP, T.HOUSING],
    ),
    (
        "Deux pères présents pour la première fois, restés sur le tapis de jeu avec leurs "
        "enfants. Les inviter au prochain groupe de parole.",
        [T.FATHER],
    ),
    (
        "Une famille doit quitter l'hôtel pour un autre département : inquiétude pour la "
        "scolarité de l'aîné. Coordonnées de la PMI du futur secteur transmises.",
        [T.HOUSING],
    ),
    (
        "Pas de cuisine dans les chambres, repas souvent froids. Idées de repas simples pour "
        "les tout-petits échangées entre parents.",
        [T.FOOD, T.HOUSING],
    ),
    (
        "Une femme enceinte sans suivi de grossesse depuis son arrivée : orientation vers la "
        "PMI, rendez-vous pris avec son accord.",
        [T.PERINATALITY, T.ACCESS_TO_RIGHTS],
    ),
    (
        "Questions sur les colères des enfants de deux-trois ans ; les parents comparent leurs "
        "façons de faire, sans jugement.",
        [T.AUTHORITY],
    ),
    (
        "Plusieurs familles sans nouvelles de leur demande d'hébergement pérenne ; orientation "
        "vers le travailleur social référent.",
        [T.ACCESS_TO_RIGHTS, T.HOUSING],
    ),
    (
        "Les enfants ont investi le coin construction ; un enfant très réservé les semaines "
        "précédentes a joué avec les autres.",
        [T.PLAY],
    ),
    (
        "Un parent évoque un retard moteur chez son enfant. La psychomotricienne le verra au "
        "prochain atelier ; orientation CAMSP évoquée.",
        [T.DISABILITY],
    ),
    (
        "Beaucoup d'enfants, peu de place : la salle commune était aussi occupée par le "
        "personnel de l'hôtel. Séance écourtée dans le calme.",
        [T.HOUSING, T.PLAY],
    ),
    (
        "Une mère allaite dans la salle et pose des questions sur la diversification ; "
        "échange entre mères de cultures différentes.",
        [T.FOOD, T.PERINATALITY],
    ),
)
ASMAE_WORKSHOP_NOTES = {
    Kind.TALK_GROUP: (
        (
            "Groupe centré sur la vie à l'hôtel avec des enfants : promiscuité, bruit, "
            "impossibilité de recevoir. Les parents ont proposé un temps entre eux le soir.",
            [T.HOUSING, T.ISOLATION],
        ),
        (
            "Échange sur les limites : dire non sans crier quand on vit à quatre dans une "
            "chambre. Beaucoup de rires, une mère très émue.",
            [T.AUTHORITY],
        ),
        (
            "Les pères présents ont parlé de leur place auprès des enfants quand ils ne "
            "peuvent pas travailler.",
            [T.FATHER],
        ),
        (
            "Questions sur l'école maternelle et l'inscription sans adresse stable ; "
            "orientation vers le CCAS et la domiciliation.",
            [T.ACCESS_TO_RIGHTS],
        ),
    ),
    Kind.READING: (
        (
            "Lecture d'albums en français et imagiers ; les parents ont traduit les histoires "
            "dans leur langue pour les plus petits.",
            [T.LANGUAGE, T.PLAY],
        ),
        (
            "La bibliothécaire a présenté l'inscription gratuite ; trois familles veulent y "
            "aller ensemble avec l'équipe.",
            [T.ACCESS_TO_RIGHTS, T.PLAY],
        ),
        (
            "Enfants très attentifs aux comptines à gestes, reprises ensuite dans le couloir.",
            [T.LANGUAGE],
        ),
    ),
    Kind.PSYCHOMOTOR: (
        (
            "Parcours moteur dans la salle commune : les bébés habitués au lit ou à la "
            "poussette ont découvert le tapis au sol.",
            [T.PLAY, T.HOUSING],
        ),
        (
            "La psychomotricienne a repéré un enfant qui ne tient pas encore assis à dix mois ; "
            "orientation vers la PMI en accord avec la famille.",
            [T.DISABILITY],
        ),
        (
            "Échange sur le portage et le sommeil des tout-petits dans une chambre partagée.",
            [T.SLEEP],
        ),
    ),
}
CABANE_NOTES = (
    (
        "Première venue de plusieurs familles orientées par le centre social ; la puéricultrice "
        "de PMI a présenté les consultations du centre.",
        [T.ACCESS_TO_RIGHTS, T.PERINATALITY],
    ),
    (
        "Échange autour du sommeil des nourrissons avec trois mères ; questions sur le "
        "couchage partagé.",
        [T.SLEEP],
    ),
    (
        "Deux pères présents avec leurs bébés ; ils reviennent d'une semaine sur l'autre.",
        [T.FATHER],
    ),
    (
        "Une mère dit sortir de chez elle pour la première fois depuis la naissance ; elle "
        "compte revenir la semaine prochaine.",
        [T.ISOLATION, T.PERINATALITY],
    ),
    (
        "Éveil musical : plusieurs enfants de 18 mois à 2 ans très attentifs, des parents "
        "ont repris des comptines en arabe et en soninké.",
        [T.LANGUAGE, T.PLAY],
    ),
    (
        "Questions sur les écrans pendant les repas ; les repères de la PMI ont été remis "
        "aux parents.",
        [T.SCREENS, T.FOOD],
    ),
    (
        "Temps froid : installation à l'intérieur, fréquentation plus faible, échanges plus "
        "longs avec chaque parent.",
        [T.PLAY],
    ),
    (
        "Deux femmes enceintes sans déclaration de grossesse ; accompagnement vers la PMI "
        "pour un premier rendez-vous.",
        [T.PERINATALITY, T.ACCESS_TO_RIGHTS],
    ),
    (
        "Enfants de deux ans qui parlent peu ; les parents s'inquiètent des écrans à la "
        "maison. Lecture partagée proposée.",
        [T.LANGUAGE, T.SCREENS],
    ),
    (
        "Des parents du quartier passent voir sans entrer ; une association locale relaiera "
        "l'information en pied d'immeuble.",
        [T.ISOLATION],
    ),
    (
        "Échange entre mères sur la diversification alimentaire, avec les conseils de "
        "l'auxiliaire de puériculture.",
        [T.FOOD],
    ),
    (
        "Une famille mal logée (suroccupation) demande de l'aide ; orientation vers le "
        "service social départemental.",
        [T.HOUSING, T.ACCESS_TO_RIGHTS],
    ),
)
LAEP_NOTES = (
    (
        "Séparation difficile pour un enfant de deux ans avant l'entrée à la crèche ; "
        "l'accueillante a proposé de revenir plusieurs fois d'ici là.",
        [T.PLAY],
    ),
    (
        "Une grand-mère est venue avec son petit-fils ; échange sur la transmission entre "
        "générations.",
        [T.LANGUAGE],
    ),
    (
        "Un père seul avec sa fille de huit mois, première venue ; il cherche d'autres pères "
        "à rencontrer.",
        [T.FATHER, T.ISOLATION],
    ),
    (
        "Questions sur les colères et les morsures entre enfants ; les parents ont partagé "
        "leurs façons de faire.",
        [T.AUTHORITY],
    ),
    (
        "Parents isolés depuis un déménagement récent ; présentation des activités de la "
        "Maison des Familles.",
        [T.ISOLATION],
    ),
    (
        "Une mère évoque le handicap de son aîné et la fatigue ; orientation vers le Point "
        "Info Famille.",
        [T.DISABILITY],
    ),
)
THEATRE_NOTES = (
    (
        "Improvisations autour de l'attente de l'enfant ; plusieurs futures mères ont parlé "
        "de l'accouchement et de la sortie de maternité.",
        [T.PERINATALITY],
    ),
    (
        "Une participante dit se sentir seule en fin de grossesse ; le groupe a échangé ses "
        "contacts.",
        [T.ISOLATION, T.PERINATALITY],
    ),
    (
        "Travail sur la voix et le souffle ; les participantes ont demandé une séance ouverte "
        "aux futurs pères.",
        [T.FATHER, T.PERINATALITY],
    ),
    (
        "Jeux de rôle sur le retour à la maison avec le bébé et les aînés ; échanges sur le "
        "sommeil.",
        [T.SLEEP, T.PERINATALITY],
    ),
)
CDO_TALK_GROUP_NOTES = (
    (
        "Thème choisi par le groupe : les écrans. Les parents veulent des repères simples "
        "à afficher à la maison.",
        [T.SCREENS, T.AUTHORITY],
    ),
    (
        "Échanges sur la monoparentalité et la fatigue ; deux parents se retrouveront au LAEP.",
        [T.ISOLATION],
    ),
    (
        "Parents de jeunes enfants en situation de handicap : besoin d'information sur les "
        "démarches, orientation vers le Point Info Famille.",
        [T.DISABILITY, T.ACCESS_TO_RIGHTS],
    ),
    (
        "La place du père dans les premiers mois ; deux pères présents pour la première fois.",
        [T.FATHER],
    ),
    (
        "Difficultés d'endormissement et réveils nocturnes : les parents ont partagé leurs "
        "rituels.",
        [T.SLEEP],
    ),
)
INFO_DESK_NOTES = (
    (
        "Demandes surtout sur les modes de garde et les aides de la CAF ; orientations vers "
        "le relais petite enfance et le CCAS.",
        [T.ACCESS_TO_RIGHTS],
    ),
    (
        "Plusieurs parents venus pour les activités de loisirs des vacances ; guide "
        "parentalité remis.",
        [T.PLAY],
    ),
    (
        "Une famille hébergée chez un tiers cherche un logement ; orientation vers le service "
        "logement et l'ADIL.",
        [T.HOUSING, T.ACCESS_TO_RIGHTS],
    ),
    (
        "Questions sur la séparation et la résidence des enfants ; orientation vers la "
        "médiation familiale et le point d'accès au droit.",
        [T.ACCESS_TO_RIGHTS, T.FATHER],
    ),
)
CAFE_NOTES = (
    (
        "Parents nouveaux dans le quartier ; les habitants-relais ont présenté le kiosque et "
        "le centre social.",
        [T.ISOLATION, T.ACCESS_TO_RIGHTS],
    ),
    (
        "Discussion sur le temps d'écran le soir et le sommeil avant l'école.",
        [T.SCREENS, T.SLEEP],
    ),
    (
        "Les parents préparent la kermesse avec l'équipe enseignante.",
        [T.PLAY],
    ),
)

# Open sessions: how their headcount is drawn, and how often a note is written.
HEADCOUNTS: dict[str, tuple[Callable, float, tuple]] = {
    CABANE_WORKSHOP: (_cabane_count, 0.5, CABANE_NOTES),
    LAEP: (_laep_count, 0.2, LAEP_NOTES),
    INFO_DESK: (_info_desk_count, 0.5, INFO_DESK_NOTES),
    CONFERENCE: (_conference_count, 1.0, ()),
    CAFE: (_cafe_count, 0.4, CAFE_NOTES),
}


# --- Loading --------------------------------------------------------------------------------


def load_activity(*, today: datetime.date, result: DemoResult) -> None:
    """Create or restore the field work of the demo programmes, dated around ``today``.

    Called by ``loader.load_demo()`` inside its transaction, once the programmes, sites and
    accounts exist. Adds one line per kind of row to ``result.counts``."""
    window = Window(today=today, start=today - PAST, end=today + AHEAD)
    programmes = {
        spec.programme: Programme.objects.select_related("organisation").get(
            organisation__name=spec.organisation, name=spec.programme
        )
        for spec in PROGRAMMES
    }
    organisations = list({p.organisation_id: p.organisation for p in programmes.values()}.values())
    before = {label: rows.count() for label, rows in _demo_rows(programmes, organisations).items()}

    types = {
        (spec.programme, activity.name): _activity_type(programmes[spec.programme], activity)
        for spec in PROGRAMMES
        for activity in spec.activities
    }
    _purge([row.pk for row in types.values()], organisations)
    emails = {email for spec in PROGRAMMES for *_, email in spec.rounds}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}

    plans: dict[str, list[Planned]] = {}
    for spec in PROGRAMMES:
        programme = programmes[spec.programme]
        facilitators = {
            row.name: _facilitator(programme.organisation, row) for row in spec.facilitators
        }
        sites = {
            site.name: site
            for site in programme.sites.prefetch_related(
                "weekly_openings", "closures", "relocations"
            )
        }
        plans[spec.programme] = _plan(
            spec,
            random.Random(f"{SEED}:{spec.programme}:sessions"),
            programme=programme,
            types={name: row for (key, name), row in types.items() if key == spec.programme},
            sites=sites,
            facilitators=facilitators,
            users=users,
            window=window,
        )
    planned = [row for rows in plans.values() for row in rows]
    Session.objects.bulk_create([row.session for row in planned])
    Session.staff.through.objects.bulk_create(
        Session.staff.through(session_id=row.session.pk, user_id=user.pk)
        for row in planned
        for user in row.staff
    )
    Session.facilitators.through.objects.bulk_create(
        Session.facilitators.through(session_id=row.session.pk, facilitator_id=facilitator.pk)
        for row in planned
        for facilitator in row.facilitators
    )

    recorder = Recorder(random.Random(f"{SEED}:attendance"))
    asmae = programmes[ESPACE_PETITS_PAS.programme]
    rng = random.Random(f"{SEED}:{ESPACE_PETITS_PAS.programme}:families")
    hotel_families = _asmae_families(
        rng, asmae.organisation, {site.name: site for site in asmae.sites.all()}, window
    )
    clef = programmes[CLEF_D_OR_ACTIVITY.programme]
    rng = random.Random(f"{SEED}:{CLEF_D_OR_ACTIVITY.programme}:families")
    pregnancies, parents = _suresnes_families(
        rng, clef.organisation, clef.sites.get(name=CLEF_D_OR), window
    )
    _save_families(
        [family for families in hotel_families.values() for family in families]
        + pregnancies
        + parents
    )

    _asmae_attendance(recorder, plans[ESPACE_PETITS_PAS.programme], hotel_families, window)
    named = [row for row in plans[CLEF_D_OR_ACTIVITY.programme] if not _is_open(row)]
    _suresnes_attendance(recorder, named, pregnancies, parents, window)
    for spec in (CABANES, CLEF_D_OR_ACTIVITY, AGIR_ENSEMBLE):
        _open_attendance(
            recorder,
            [row for row in plans[spec.programme] if _is_open(row)],
            programmes[spec.programme].started_on,
            window,
        )
    Registration.objects.bulk_create(recorder.registrations)
    Attendance.objects.bulk_create(recorder.attendances)
    Headcount.objects.bulk_create(recorder.headcounts)
    Observation.objects.bulk_create(recorder.observations)

    for label, rows in _demo_rows(programmes, organisations).items():
        total = rows.count()
        result.counts[label] = [total, max(0, total - before[label])]


def _is_open(planned: Planned) -> bool:
    return planned.session.activity_type.registration_mode == RegistrationMode.OPEN


def _demo_rows(programmes: dict[str, Programme], organisations: list[Organisation]) -> dict:
    """The demo's rows, per label of the command's summary."""
    types = ActivityType.objects.filter(programme__in=programmes.values())
    sessions = Session.objects.filter(activity_type__in=types)
    households = Household.objects.filter(
        organisation__in=organisations, code__startswith=CODE_PREFIX
    )
    return {
        "types d'activité": types,
        "intervenants partenaires": Facilitator.objects.filter(organisation__in=organisations),
        "séries": Series.objects.filter(activity_type__in=types),
        "séances": sessions,
        "familles": households,
        "personnes": Person.objects.filter(household__in=households),
        "inscriptions": Registration.objects.filter(session__in=sessions),
        "présences": Attendance.objects.filter(session__in=sessions),
        "comptages anonymes": Headcount.objects.filter(session__in=sessions),
        "observations": Observation.objects.filter(session__in=sessions),
    }


def _purge(type_ids: list[int], organisations: list[Organisation]) -> None:
    """Remove what a previous load made: the series and sessions of the demo's activity
    types (with their registrations, attendance, headcounts and observations) and the
    ``DEMO-`` households (with their people). The big tables go first, in one statement
    each, rather than through the deletion collector."""
    sessions = Session.objects.filter(activity_type_id__in=type_ids)
    for model in (Attendance, Registration, Headcount, Observation):
        model.objects.filter(session__in=sessions).delete()
    sessions.delete()
    Series.objects.filter(activity_type_id__in=type_ids).delete()
    Household.objects.filter(organisation__in=organisations, code__startswith=CODE_PREFIX).delete()


def _activity_type(programme: Programme, spec: ActivitySpec) -> ActivityType:
    row = ActivityType.objects.filter(programme=programme, name__iexact=spec.name).first()
    if row is None:
        row = ActivityType(programme=programme)
    row.name = spec.name
    row.kind = spec.kind
    row.public = spec.public
    row.registration_mode = spec.registration_mode
    row.default_duration = spec.duration
    row.default_capacity = spec.capacity
    row.description = spec.description
    row.is_public = spec.is_public
    row.full_clean()
    row.save()
    return row


def _facilitator(organisation: Organisation, spec: FacilitatorSpec) -> Facilitator:
    row, _ = Facilitator.objects.update_or_create(
        organisation=organisation, name=spec.name, defaults={"role": spec.role}
    )
    return row


def _plan(
    spec: ProgrammeActivity,
    rng: random.Random,
    *,
    programme: Programme,
    types: dict[str, ActivityType],
    sites: dict[str, Site],
    facilitators: dict[str, Facilitator],
    users: dict[str, User],
    window: Window,
) -> list[Planned]:
    """The series of ``spec`` (saved) and their sessions (not yet saved) on every date the
    site's calendar opens for their hours; a few cancelled, never today's."""
    rounds = defaultdict(list)
    for site_name, weekday, email in spec.rounds:
        if email in users:
            rounds[site_name, weekday].append(users[email])
    planned = []
    for series_spec in spec.series:
        starts_on = window.today if series_spec.upcoming_only else window.start
        starts_on = max(starts_on, programme.started_on)
        series = Series(
            activity_type=types[series_spec.activity],
            rrule=series_spec.rrule,
            starts_on=starts_on,
            ends_on=window.end,
            start_time=series_spec.start_time,
            end_time=series_spec.end_time,
            capacity=series_spec.capacity,
        )
        series.full_clean()
        series.save()
        by_site = dict(series_spec.site_facilitators)
        series.sites.set([sites[name] for name in series_spec.sites])
        series.facilitators.set(
            [facilitators[name] for name in (*series_spec.facilitators, *by_site.values())]
        )
        staff = {}
        for site_name in series_spec.sites:
            site = sites[site_name]
            calendar = SiteCalendar.for_site(site)
            for day in _open_dates(series_spec, calendar, starts_on, window.end):
                session_staff = rounds.get((site_name, day.weekday()), [])
                staff.update((user.pk, user) for user in session_staff)
                topics = series_spec.topics
                session = Session(
                    series=series,
                    activity_type=series.activity_type,
                    site=site,
                    date=day,
                    start_time=series.start_time,
                    end_time=series.end_time,
                    capacity=series.capacity,
                    notes=topics[len(planned) % len(topics)] if topics else "",
                )
                names = (
                    *series_spec.facilitators,
                    *([by_site[site_name]] if site_name in by_site else []),
                )
                planned.append(
                    Planned(session, series_spec, session_staff, [facilitators[n] for n in names])
                )
        series.staff.set(staff.values())
    for row in planned:
        if row.session.date != window.today and rng.random() < spec.cancel_rate:
            row.session.status = Session.Status.CANCELLED
            row.session.cancel_reason = rng.choice(spec.cancel_reasons)
    if spec is ESPACE_PETITS_PAS:
        # A cancellation to show in the coming weeks: families registered are to be told.
        upcoming = sorted(
            (
                row
                for row in planned
                if row.session.activity_type.kind == Kind.PSYCHOMOTOR
                and row.session.date > window.today
            ),
            key=lambda row: (row.session.date, row.session.site.name),
        )
        if upcoming:
            upcoming[0].session.status = Session.Status.CANCELLED
            upcoming[
                0
            ].session.cancel_reason = "Psychomotricienne absente : atelier reporté au mois prochain"
    return planned


def _save_families(families: list[Family]) -> None:
    Household.objects.bulk_create([family.household for family in families])
    people = []
    for family in families:
        for person in (*family.parents, *family.children):
            person.household = family.household
            people.append(person)
    Person.objects.bulk_create(people)
