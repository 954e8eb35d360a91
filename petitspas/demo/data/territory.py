"""The demo territory as data: the five programmes of the seeds, their organisations,
sites and opening rules, and one account per role.

Organisation, programme and town names, dates and rules come from the seeds. Street
addresses are invented except Lunel's two, which the seed gives; social hotels get neutral
names, never a real hotel's, because a demo must not point at where a family lives.
Coordinates are approximate; the loader checks every INSEE code against its postcode.
"""

import dataclasses
import datetime

from petitspas.organisations.models import Organisation, Role
from petitspas.places.models import HalfDay, SchoolHolidayRule, Site, Weekday

# unless forced, so that no server ends up with known passwords by accident.
DEMO_PASSWORD = "petitspas-demo"

PLATFORM_ADMIN_LABEL = "Administrateur de la plateforme"

MON, TUE, WED, THU, FRI, SAT = (
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
    Weekday.SATURDAY,
)
AM, PM = HalfDay.MORNING, HalfDay.AFTERNOON
ALWAYS = SchoolHolidayRule.ALWAYS
TERM = SchoolHolidayRule.TERM_ONLY
HOLIDAYS = SchoolHolidayRule.HOLIDAYS_ONLY


@dataclasses.dataclass(frozen=True)
class OpeningSpec:
    weekday: int
    half_day: str
    opens_at: datetime.time
    closes_at: datetime.time
    school_holidays: str


@dataclasses.dataclass(frozen=True)
class ClosureSpec:
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str
    half_day: str = ""


@dataclasses.dataclass(frozen=True)
class RelocationSpec:
    starts_on: datetime.date
    ends_on: datetime.date | None
    place_name: str
    address: str
    reason: str


@dataclasses.dataclass(frozen=True)
class SiteSpec:
    name: str
    kind: str
    address: str
    postcode: str
    commune_code: str
    latitude: str
    longitude: str
    openings: tuple[OpeningSpec, ...]
    is_qpv: bool = False
    access_notes: str = ""
    closures: tuple[ClosureSpec, ...] = ()
    relocations: tuple[RelocationSpec, ...] = ()


@dataclasses.dataclass(frozen=True)
class ProgrammeSpec:
    organisation: str
    name: str
    started_on: datetime.date
    public: str
    summary: str
    sites: tuple[SiteSpec, ...]


@dataclasses.dataclass(frozen=True)
class OrganisationSpec:
    name: str
    kind: str
    departement: str


@dataclasses.dataclass(frozen=True)
class AccountSpec:
    email: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str], ...]  # (organisation name, role)
    is_platform_admin: bool = False

    @property
    def role_label(self) -> str:
        if self.is_platform_admin:
            return PLATFORM_ADMIN_LABEL
        return Role(self.memberships[0][1]).label


def _weekly(days, half_day, opens_at, closes_at, rule=ALWAYS) -> tuple[OpeningSpec, ...]:
    """The same half-day, hours and school-holiday rule on several weekdays."""
    return tuple(OpeningSpec(day, half_day, opens_at, closes_at, rule) for day in days)


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


SURESNES = "Ville de Suresnes"
SEINE_SAINT_DENIS = "Département de la Seine-Saint-Denis"
PARIS = "Ville de Paris – DASES"
SURESNES_PARTNER = "Centre social de Suresnes"

ORGANISATIONS = (
    OrganisationSpec("Asmae", Organisation.Kind.ASSOCIATION, "93"),
    OrganisationSpec("Ville de Lunel", Organisation.Kind.MUNICIPALITY, "34"),
    OrganisationSpec(SURESNES, Organisation.Kind.MUNICIPALITY, "92"),
    OrganisationSpec(SEINE_SAINT_DENIS, Organisation.Kind.DEPARTEMENT, "93"),
    OrganisationSpec(PARIS, Organisation.Kind.MUNICIPALITY, "75"),
    # Les Petits Pas takes children on referral by these three (seed 001).
    OrganisationSpec("France Travail – Agence de Lunel", Organisation.Kind.PRESCRIBER, "34"),
    OrganisationSpec("PLIE Est Héraultais", Organisation.Kind.PRESCRIBER, "34"),
    OrganisationSpec("APIJE", Organisation.Kind.PRESCRIBER, "34"),
    # The Caf de l'Hérault funds Les Petits Pas through the Fonds d'innovation (seed 001).
    OrganisationSpec("CAF de l'Hérault", Organisation.Kind.FUNDER, "34"),
    OrganisationSpec("Médiathèque de Lunel", Organisation.Kind.PARTNER, "34"),
    # A partner structure of the Point Info Famille (seed 002: "le centre social à travers
    # ses Maisons de Quartier"), in the working group "Soutien à la parentalité".
    OrganisationSpec(SURESNES_PARTNER, Organisation.Kind.PARTNER, "92"),
)


# Espace Petits Pas (seed 000): a mobile team visits families in social hotels, 6 towns,
# 7 sites. Two field teams, one or two afternoons a week per site, all year round.
def _asmae_afternoons(*days) -> tuple[OpeningSpec, ...]:
    return _weekly(days, PM, _time("14:00"), _time("17:00"))


ASMAE_CLOSURES = (
    ClosureSpec(_date("2026-12-24"), _date("2027-01-01"), "Fermeture de fin d'année de l'équipe"),
)
HOTEL_NOTES = "Salle commune du rez-de-chaussée ; se présenter à l'accueil de l'hôtel."

ESPACE_PETITS_PAS = ProgrammeSpec(
    organisation="Asmae",
    name="Espace Petits Pas",
    # The seed gives the year only ("depuis le lancement du projet en 2018").
    started_on=_date("2018-01-01"),
    public="Familles hébergées en hôtel social et leurs enfants de 0 à 6 ans",
    summary=(
        "Une équipe mobile va à la rencontre des familles hébergées dans les hôtels sociaux "
        "de Seine-Saint-Denis : un lieu d'écoute, d'échanges et de jeux libres pour les "
        "enfants et leurs parents, sur 7 sites dans 6 villes. Deux sites ont été investis "
        "récemment : la Maison de quartier de Pantin et un hôtel social à Saint-Denis. "
        "Une fois par mois dans 4 hôtels : groupes de parole pour les parents, ateliers "
        "lecture avec les bibliothèques municipales et ateliers de psychomotricité."
    ),
    sites=(
        SiteSpec(
            name="Hôtel social – La Courneuve",
            kind=Site.Kind.SOCIAL_HOTEL,
            address="18 rue de la Convention",
            postcode="93120",
            commune_code="93027",
            latitude="48.92810",
            longitude="2.39620",
            openings=_asmae_afternoons(MON, THU),
            access_notes=HOTEL_NOTES,
            closures=ASMAE_CLOSURES,
        ),
        SiteSpec(
            name="Maison de quartier de Pantin",
            kind=Site.Kind.NEIGHBOURHOOD_CENTRE,
            address="42 avenue Jean-Lolive",
            postcode="93500",
            commune_code="93055",
            latitude="48.89420",
            longitude="2.40980",
            openings=_asmae_afternoons(WED),
            access_notes="Grande salle au rez-de-chaussée, de plain-pied pour les poussettes.",
            closures=ASMAE_CLOSURES,
        ),
        SiteSpec(
            name="Hôtel social – Bobigny centre",
            kind=Site.Kind.SOCIAL_HOTEL,
            address="7 rue de la République",
            postcode="93000",
            commune_code="93008",
            latitude="48.90790",
            longitude="2.43940",
            openings=_asmae_afternoons(TUE),
            access_notes=HOTEL_NOTES,
            closures=ASMAE_CLOSURES,
        ),
        SiteSpec(
            name="Hôtel social – Bobigny nord",
            kind=Site.Kind.SOCIAL_HOTEL,
            address="120 avenue Henri-Barbusse",
            postcode="93000",
            commune_code="93008",
            latitude="48.91650",
            longitude="2.43120",
            openings=_asmae_afternoons(FRI),
            access_notes=HOTEL_NOTES,
            closures=ASMAE_CLOSURES,
        ),
        SiteSpec(
            name="Hôtel social – Rosny-sous-Bois",
            kind=Site.Kind.SOCIAL_HOTEL,
            address="25 rue du Général-Leclerc",
            postcode="93110",
            commune_code="93064",
            latitude="48.87410",
            longitude="2.48620",
            openings=_asmae_afternoons(TUE, FRI),
            access_notes=HOTEL_NOTES,
            closures=ASMAE_CLOSURES,
        ),
        SiteSpec(
            name="Hôtel social – Saint-Denis",
            kind=Site.Kind.SOCIAL_HOTEL,
            address="64 avenue du Président-Wilson",
            postcode="93200",
            commune_code="93066",
            latitude="48.92340",
            longitude="2.35790",
            openings=_asmae_afternoons(WED),
            access_notes=HOTEL_NOTES,
            closures=ASMAE_CLOSURES,
        ),
        SiteSpec(
            name="Hôtel social – Le Blanc-Mesnil",
            kind=Site.Kind.SOCIAL_HOTEL,
            address="3 avenue Aristide-Briand",
            postcode="93150",
            commune_code="93007",
            latitude="48.93870",
            longitude="2.46140",
            openings=_asmae_afternoons(MON, THU),
            access_notes=HOTEL_NOTES,
            closures=ASMAE_CLOSURES,
        ),
    ),
)


# Les Petits Pas (seed 001): "ouvert de 8h30-12h15 et de 13h30-17h, fermeture tous les
# vendredis après-midi"; the park's leisure centre on Mon/Tue/Thu/Fri outside school
# holidays, the Arc-en-Ciel school on Wednesdays and during school holidays.
LUNEL_AM = (_time("08:30"), _time("12:15"))
LUNEL_PM = (_time("13:30"), _time("17:00"))

LES_PETITS_PAS = ProgrammeSpec(
    organisation="Ville de Lunel",
    name="Les Petits Pas",
    # Launched "fin février" 2024; inaugurated on Wednesday 27 March 2024.
    started_on=_date("2024-02-26"),
    public=(
        "Enfants de 3 mois à 3 ans dont les parents sont en parcours d'insertion "
        "professionnelle, sur orientation (France Travail, PLIE Est Héraultais, APIJE)"
    ),
    summary=(
        "Accueil gratuit des jeunes enfants de 3 mois à 3 ans, par demi-journées, pour que "
        "leurs parents en parcours d'insertion professionnelle puissent se rendre à leurs "
        "rendez-vous. Sur orientation par France Travail, le PLIE Est Héraultais ou l'APIJE. "
        "7 places : 6 enfants en accueil régulier et 1 enfant en adaptation ou en accueil "
        "d'urgence, au minimum deux demi-journées par mois. Ouvert de 8 h 30 à 12 h 15 et de "
        "13 h 30 à 17 h, fermé tous les vendredis après-midi. Une équipe de deux "
        "professionnelles de la petite enfance et d'une éducatrice de jeunes enfants. "
        "Inauguré le mercredi 27 mars 2024 à l'école maternelle Arc-en-Ciel."
    ),
    sites=(
        SiteSpec(
            name="Accueil de loisirs maternel du parc",
            kind=Site.Kind.LEISURE_CENTRE,
            address="73 rue de l'École du Parc",
            postcode="34400",
            commune_code="34145",
            latitude="43.67290",
            longitude="4.13150",
            openings=(
                _weekly((MON, TUE, THU, FRI), AM, *LUNEL_AM, TERM)
                + _weekly((MON, TUE, THU), PM, *LUNEL_PM, TERM)
            ),
            closures=(
                ClosureSpec(_date("2027-01-12"), _date("2027-01-12"), "Réunion d'équipe", PM),
                ClosureSpec(_date("2027-01-15"), _date("2027-01-15"), "Formation de l'équipe"),
            ),
        ),
        SiteSpec(
            name="École maternelle Arc-en-Ciel",
            kind=Site.Kind.SCHOOL,
            address="149 rue des 4 Vents",
            postcode="34400",
            commune_code="34145",
            latitude="43.68120",
            longitude="4.12580",
            openings=(
                _weekly((WED,), AM, *LUNEL_AM, ALWAYS)
                + _weekly((WED,), PM, *LUNEL_PM, ALWAYS)
                + _weekly((MON, TUE, THU, FRI), AM, *LUNEL_AM, HOLIDAYS)
                + _weekly((MON, TUE, THU), PM, *LUNEL_PM, HOLIDAYS)
            ),
        ),
    ),
)


# La Clef d'Or / Maison des Familles (seed 002). The Saturday morning is open for the Point
# Info Famille ("un samedi matin par mois"): its monthly session needs an open half-day.
CLEF_D_OR = ProgrammeSpec(
    organisation=SURESNES,
    name="La Clef d'Or / Maison des Familles",
    started_on=_date("2009-01-01"),
    public=(
        "Femmes enceintes, parents et enfants de 0 à 6 ans ; professionnels du soutien "
        "à la parentalité"
    ),
    summary=(
        "Espace de soutien à la parentalité de la Ville de Suresnes, porté par le service "
        "Prévention en santé publique et soutien aux habitants : LAEP « la Parenthèse », "
        "ateliers parents-enfants, groupes de parole, conférences thématiques et Point Info "
        "Famille (accueil, information et orientation des familles, partenaires regroupés par "
        "thème, guide parentalité). Un groupe de travail « Soutien à la parentalité » réunit "
        "une quarantaine de partenaires trois fois par an."
    ),
    sites=(
        SiteSpec(
            name="La Clef d'Or",
            kind=Site.Kind.FAMILY_CENTRE,
            address="28 boulevard Henri-Sellier",
            postcode="92150",
            commune_code="92073",
            latitude="48.86930",
            longitude="2.22410",
            openings=(
                _weekly((TUE, WED, FRI), AM, _time("09:00"), _time("12:00"))
                + _weekly((MON, TUE, WED, THU), PM, _time("13:30"), _time("17:30"))
                + _weekly((FRI,), PM, _time("13:30"), _time("17:00"))
                + _weekly((SAT,), AM, _time("09:00"), _time("12:30"))
            ),
            access_notes="LAEP « la Parenthèse » au rez-de-chaussée, Point Info Famille à l'étage.",
            closures=(
                ClosureSpec(_date("2026-08-03"), _date("2026-08-21"), "Fermeture estivale"),
                ClosureSpec(_date("2026-12-10"), _date("2026-12-10"), "Réunion d'équipe", PM),
                ClosureSpec(_date("2026-12-24"), _date("2027-01-01"), "Fermeture de fin d'année"),
            ),
        ),
    ),
)


# Cabanes des 1000 premiers jours (seed 003): PMI staff two half-days a week per site, in
# public space from summer 2024, indoors with the PMI from the autumn, then in fitted-out
# containers for two years from the end of summer 2025.
def _cabane_relocations(pmi_name: str, pmi_address: str, container_address: str):
    return (
        RelocationSpec(
            _date("2024-10-01"),
            _date("2025-08-31"),
            pmi_name,
            pmi_address,
            "Accueil à l'intérieur par la PMI",
        ),
        RelocationSpec(
            _date("2025-09-01"),
            _date("2027-08-31"),
            "Container aménagé",
            container_address,
            "Container aménagé dans l'espace extérieur, pour deux ans",
        ),
    )


CABANE_NOTES = "Ateliers gratuits et sans inscription, au pied des immeubles."

CABANES = ProgrammeSpec(
    organisation=SEINE_SAINT_DENIS,
    name="Cabanes des 1000 premiers jours",
    started_on=_date("2024-07-01"),
    public="Parents dès la grossesse et enfants de 0 à 3 ans",
    summary=(
        "Présence du service public au pied des immeubles en quartiers prioritaires, aux "
        "Lilas et à La Courneuve : ateliers ludiques gratuits et sans inscription, coanimés "
        "avec les professionnelles de PMI (2 demi-journées par semaine et par site) et les "
        "associations locales, pour soutenir la parentalité dès la grossesse et l'éveil des "
        "tout-petits. Accueil à l'intérieur par la PMI depuis l'automne 2024, puis dans des "
        "containers aménagés pour deux ans."
    ),
    sites=(
        SiteSpec(
            name="Cabane des Lilas",
            kind=Site.Kind.PUBLIC_SPACE,
            address="Rue des Bruyères, au pied des immeubles",
            postcode="93260",
            commune_code="93045",
            latitude="48.87960",
            longitude="2.42310",
            is_qpv=True,
            openings=(
                _weekly((WED,), PM, _time("14:00"), _time("17:00"))
                + _weekly((FRI,), AM, _time("09:30"), _time("12:00"))
            ),
            access_notes=CABANE_NOTES,
            relocations=_cabane_relocations(
                "Centre de PMI des Lilas", "10 rue de Paris", "Rue des Bruyères"
            ),
        ),
        SiteSpec(
            name="Cabane de La Courneuve",
            kind=Site.Kind.PUBLIC_SPACE,
            address="Mail de la Tour, au pied des immeubles",
            postcode="93120",
            commune_code="93027",
            latitude="48.92470",
            longitude="2.38460",
            is_qpv=True,
            openings=(
                _weekly((MON,), PM, _time("14:00"), _time("17:00"))
                + _weekly((THU,), AM, _time("09:30"), _time("12:00"))
            ),
            access_notes=CABANE_NOTES,
            relocations=_cabane_relocations(
                "Centre de PMI de La Courneuve", "5 rue Édouard-Vaillant", "Mail de la Tour"
            ),
        ),
    ),
)


# Agir ensemble pour les enfants (seed 004): four micro-neighbourhoods; the school became
# the neighbourhood's anchor (parents' café at drop-off, so term time only), and a "kiosque"
# co-run by local structures and residents where there is no social centre.
AGIR_ENSEMBLE = ProgrammeSpec(
    organisation=PARIS,
    name="Agir ensemble pour les enfants",
    started_on=_date("2017-11-01"),
    public="Familles des quatre micro-quartiers, habitants et acteurs locaux",
    summary=(
        "Recherche-action conduite depuis fin 2017 dans quatre micro-quartiers des 12e, 14e, "
        "18e et 19e arrondissements par les coordinatrices sociales de territoire, avec "
        "l'Observatoire social de la DASES : diagnostic socio-démographique fin, entretiens "
        "et focus groups, cartographie des lieux ressources, parcours urbains, groupes "
        "ressources mêlant professionnels et habitants, habitants-relais."
    ),
    sites=(
        SiteSpec(
            name="École maternelle – micro-quartier du 12e",
            kind=Site.Kind.SCHOOL,
            address="150 rue de Charenton",
            postcode="75012",
            commune_code="75112",
            latitude="48.84310",
            longitude="2.38560",
            openings=(
                _weekly((TUE,), AM, _time("08:30"), _time("10:00"), TERM)
                + _weekly((THU,), PM, _time("16:30"), _time("18:00"), TERM)
            ),
            access_notes="Café des parents dans le préau, à l'heure de l'entrée des classes.",
        ),
        SiteSpec(
            name="Kiosque des familles – micro-quartier du 14e",
            kind=Site.Kind.PUBLIC_SPACE,
            address="Avenue de la Porte-de-Vanves",
            postcode="75014",
            commune_code="75114",
            latitude="48.82740",
            longitude="2.30530",
            is_qpv=True,
            openings=(
                _weekly((WED,), PM, _time("14:00"), _time("17:30"))
                + _weekly((SAT,), AM, _time("10:00"), _time("12:30"))
            ),
            access_notes="Kiosque coanimé par les structures et les habitants du quartier.",
        ),
        SiteSpec(
            name="École élémentaire – micro-quartier du 18e",
            kind=Site.Kind.SCHOOL,
            address="60 rue Championnet",
            postcode="75018",
            commune_code="75118",
            latitude="48.89570",
            longitude="2.34520",
            is_qpv=True,
            openings=(
                _weekly((MON,), AM, _time("08:30"), _time("10:00"), TERM)
                + _weekly((FRI,), PM, _time("16:30"), _time("18:00"), TERM)
            ),
        ),
        SiteSpec(
            name="Centre social – micro-quartier du 19e",
            kind=Site.Kind.NEIGHBOURHOOD_CENTRE,
            address="120 rue de Crimée",
            postcode="75019",
            commune_code="75119",
            latitude="48.88720",
            longitude="2.38010",
            is_qpv=True,
            openings=(
                _weekly((THU,), AM, _time("09:30"), _time("12:00"))
                + _weekly((TUE,), PM, _time("14:00"), _time("17:00"))
            ),
        ),
    ),
)

PROGRAMMES = (ESPACE_PETITS_PAS, LES_PETITS_PAS, CLEF_D_OR, CABANES, AGIR_ENSEMBLE)

ACCOUNTS = (
    AccountSpec("admin@petitspas.demo", "Thomas", "Garnier", (), is_platform_admin=True),
    AccountSpec("admin@asmae.demo", "Nadia", "Benali", (("Asmae", Role.ADMIN),)),
    AccountSpec(
        "coordination@lunel.demo", "Sophie", "Marchand", (("Ville de Lunel", Role.COORDINATOR),)
    ),
    AccountSpec("terrain@asmae.demo", "Awa", "Diallo", (("Asmae", Role.PROFESSIONAL),)),
    AccountSpec(
        "conseil@francetravail-lunel.demo",
        "Julien",
        "Fabre",
        (("France Travail – Agence de Lunel", Role.PRESCRIBER),),
    ),
    AccountSpec(
        "partenaire@mediatheque-lunel.demo",
        "Claire",
        "Vidal",
        (("Médiathèque de Lunel", Role.PARTNER),),
    ),
    # A CAF officer: member of her own funder organisation, and observer of the figures of
    # the three organisations whose programmes the CAF co-funds in the seeds.
    AccountSpec(
        "financeur@caf.demo",
        "Isabelle",
        "Roux",
        (
            ("CAF de l'Hérault", Role.FUNDER),
            ("Ville de Lunel", Role.FUNDER),
            ("Ville de Suresnes", Role.FUNDER),
            ("Asmae", Role.FUNDER),
        ),
    ),
    # Every programme can be tried: a coordinator (who plans) and a professional (who
    # records on the day) for Suresnes, the Département and Paris.
    AccountSpec(
        "coordination@suresnes.demo", "Camille", "Lefèvre", ((SURESNES, Role.COORDINATOR),)
    ),
    AccountSpec("accueil@suresnes.demo", "Leïla", "Mansouri", ((SURESNES, Role.PROFESSIONAL),)),
    AccountSpec(
        "partenaire@centresocial-suresnes.demo",
        "Karim",
        "Belkacem",
        ((SURESNES_PARTNER, Role.PARTNER),),
    ),
    AccountSpec(
        "coordination@seinesaintdenis.demo",
        "Fatou",
        "Traoré",
        ((SEINE_SAINT_DENIS, Role.COORDINATOR),),
    ),
    AccountSpec(
        "pmi@seinesaintdenis.demo", "Élodie", "Martin", ((SEINE_SAINT_DENIS, Role.PROFESSIONAL),)
    ),
    AccountSpec("coordination@paris.demo", "Hélène", "Dubois", ((PARIS, Role.COORDINATOR),)),
    AccountSpec("terrain@paris.demo", "Mamadou", "Sow", ((PARIS, Role.PROFESSIONAL),)),
)
