"""The demo programmes' activities as data: activity types, partner facilitators, series
(RRULEs, hours, sites), the rounds of the demo professional, cancellation rates. From the
seeds: see ``petitspas/demo/activity.py`` for what each programme does."""

import dataclasses
import datetime

from petitspas.activities.models import ActivityType, Public, RegistrationMode
from petitspas.attendance.models import Theme

# The demo professionals (``territory.ACCOUNTS``): Asmae's, La Clef d'Or's, the Cabanes'
# (a PMI professional) and Paris'.
FIELD_WORKER = "terrain@asmae.demo"
SURESNES_WORKER = "accueil@suresnes.demo"
PMI_WORKER = "pmi@seinesaintdenis.demo"
PARIS_WORKER = "terrain@paris.demo"

MON, TUE, WED, THU, FRI, SAT = range(6)
Kind = ActivityType.Kind


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
    # (site, facilitator): a partner who only comes to one site (a town's library); a site
    # may have several.
    site_facilitators: tuple[tuple[str, str], ...] = ()
    # Sessions from today only: childcare bookings are a later issue (no past to record).
    upcoming_only: bool = False
    # One topic per occurrence, in turn, written in the session's practical information.
    topics: tuple[str, ...] = ()
    # One site per date, in turn (``SitesMode.ROTATION``): a partner who cannot be in two
    # hotels at once.
    rotation: bool = False


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
    # The most recent past open sessions of the demo professional left without a sheet,
    # so that "À saisir" lists them (at most 30 days back, ``TO_RECORD_WINDOW``).
    left_to_record: int = 0


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
        # "1 fois par mois dans 4 hôtels", during the team's afternoon there. One consultant
        # or the psychomotor therapist goes to the two hotels of a weekday in turn (first
        # and second week, third and fourth): never in two hotels at once.
        SeriesSpec(
            ASMAE_TALK_GROUP,
            TUESDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+1TU,+2TU",
            *WORKSHOP_HOURS,
            10,
            facilitators=("Samia Haddad",),
            rotation=True,
        ),
        SeriesSpec(
            ASMAE_TALK_GROUP,
            THURSDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+1TH,+2TH",
            *WORKSHOP_HOURS,
            10,
            facilitators=("Olivier Lemaire",),
            rotation=True,
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
            "FREQ=MONTHLY;BYDAY=+3TU,+4TU",
            *WORKSHOP_HOURS,
            8,
            facilitators=("Hélène Moreau",),
            rotation=True,
        ),
        SeriesSpec(
            PSYCHOMOTOR,
            THURSDAY_HOTELS,
            "FREQ=MONTHLY;BYDAY=+3TH,+4TH",
            *WORKSHOP_HOURS,
            8,
            facilitators=("Hélène Moreau",),
            rotation=True,
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
            # The company plays at Les Lilas: it cannot be at both cabanes at once.
            site_facilitators=(*CABANE_PMI, (CABANE_LILAS, "Compagnie Pas de Loup")),
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
    # The demo PMI professional covers both Cabanes: each site's two half-days.
    rounds=(
        (CABANE_COURNEUVE, MON, PMI_WORKER),
        (CABANE_LILAS, WED, PMI_WORKER),
        (CABANE_COURNEUVE, THU, PMI_WORKER),
        (CABANE_LILAS, FRI, PMI_WORKER),
    ),
    left_to_record=2,
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
            "loisirs, accès aux droits. Aux heures d'ouverture de la Clef d'Or, et un samedi "
            "matin par mois pour faciliter l'accès de tous.",
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
        # "ouvert sur les heures d'ouverture de la structure et un samedi matin par mois":
        # the afternoons without the LAEP, and the first Saturday.
        SeriesSpec(
            INFO_DESK, (CLEF_D_OR,), "FREQ=WEEKLY;BYDAY=MO,TH", _time("14:00"), _time("17:00")
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
    # The demo professional welcomes families every day the Clef d'Or opens.
    rounds=tuple((CLEF_D_OR, day, SURESNES_WORKER) for day in (MON, TUE, WED, THU, FRI, SAT)),
    left_to_record=2,
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
KIOSQUE = "Permanence du kiosque des familles"
PARIS_WORKSHOP = "Atelier parents-enfants du centre social"
SCHOOL_12 = "École maternelle – micro-quartier du 12e"
KIOSQUE_14 = "Kiosque des familles – micro-quartier du 14e"
SCHOOL_18 = "École élémentaire – micro-quartier du 18e"
CENTRE_19 = "Centre social – micro-quartier du 19e"

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
            "découvrir les structures du quartier : l'école, point d'ancrage du quartier.",
        ),
        ActivitySpec(
            KIOSQUE,
            Kind.INFO_DESK,
            Public.PARENTS,
            RegistrationMode.OPEN,
            150,
            "Un kiosque coanimé par les structures et les habitants du quartier, là où il n'y "
            "a pas de centre social : information, orientation, carte des lieux ressources.",
        ),
        ActivitySpec(
            PARIS_WORKSHOP,
            Kind.WORKSHOP,
            Public.CHILDREN_0_6,
            RegistrationMode.OPEN,
            120,
            "Un atelier ludique parents-enfants préparé avec le groupe ressource du quartier "
            "(professionnels et habitants).",
        ),
    ),
    # One meeting time a week in each of the four micro-neighbourhoods (seed 004): the
    # schools' cafés in term time (their openings), the kiosque, the social centre.
    series=(
        SeriesSpec(CAFE, (SCHOOL_12,), "FREQ=WEEKLY;BYDAY=TU", _time("08:30"), _time("10:00")),
        SeriesSpec(CAFE, (SCHOOL_18,), "FREQ=WEEKLY;BYDAY=MO", _time("08:30"), _time("10:00")),
        SeriesSpec(KIOSQUE, (KIOSQUE_14,), "FREQ=WEEKLY;BYDAY=WE", _time("14:00"), _time("16:30")),
        SeriesSpec(
            KIOSQUE, (KIOSQUE_14,), "FREQ=MONTHLY;BYDAY=+1SA", _time("10:00"), _time("12:30")
        ),
        SeriesSpec(
            PARIS_WORKSHOP, (CENTRE_19,), "FREQ=WEEKLY;BYDAY=TH", _time("09:30"), _time("11:30")
        ),
    ),
    # The demo professional goes round the four micro-neighbourhoods.
    rounds=(
        (SCHOOL_18, MON, PARIS_WORKER),
        (SCHOOL_12, TUE, PARIS_WORKER),
        (KIOSQUE_14, WED, PARIS_WORKER),
        (CENTRE_19, THU, PARIS_WORKER),
        (KIOSQUE_14, SAT, PARIS_WORKER),
    ),
    left_to_record=2,
)

PROGRAMMES = (ESPACE_PETITS_PAS, CABANES, CLEF_D_OR_ACTIVITY, LES_PETITS_PAS, AGIR_ENSEMBLE)
