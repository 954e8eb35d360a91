"""A synthetic territory for benchmarks: ``manage.py generate_territory --scale departement``.

Seine-Saint-Denis at full size (issue 10): 300 sites across the département's towns, 60
programmes in 20 organisations, 50,000 households with about 80,000 children and their
parents, three years of sessions from real series (about 150,000), about 2 million named
attendance rows, anonymous headcounts and observations. ``town`` is about 1/50 of that,
``test`` runs in seconds.

The data obeys the project's rules, not just its schema:
- sessions come from RRULE series through the recurrence module, so a session never falls
  on a half-day where its site is closed (the places calendar function is the judge:
  public holidays, school-holiday rules, dated closures) nor outside the site's hours;
- a child is named at a session only from its birth on; an expected child never attends;
- named attendance only on sessions with registration or referral; open sessions (LAEP,
  free play) only get an anonymous headcount; nothing is recorded on a cancelled or a
  future session.

Deterministic: one ``random.Random(seed)`` drives every choice, in a fixed order, and the
dates hang on ``today``; the same seed and the same ``today`` give the same rows (their
ids too, in an empty database). Everything is written with ``bulk_create`` in batches, the
big tables in chunks with their progress printed. Names, codes and addresses are invented;
accounts get an unusable password (the benchmark signs in with ``force_login``).
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
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
from petitspas.activities.services import series_dates, series_sessions
from petitspas.attendance.models import Attendance, Headcount, Observation, Registration, Theme
from petitspas.attendance.rules import attends, takes_headcount, takes_names
from petitspas.attendance.services import families_present_write
from petitspas.core.db import analyze
from petitspas.directory.towns import town_centre
from petitspas.families.models import Household, HousingSituation, Person
from petitspas.families.services import draw_household_code, people_bulk_create
from petitspas.organisations.models import Membership, Organisation, Programme, Role
from petitspas.places.calendar import SiteCalendar
from petitspas.places.communes import Commune, get_commune
from petitspas.places.models import (
    HalfDay,
    SchoolHolidayRule,
    Site,
    SiteClosure,
    SiteRelocation,
    WeeklyOpening,
)
from petitspas.reporting.aggregates import rebuild_all
from petitspas.reporting.indicators import keep_closed

DEPARTEMENT = "93"  # Seine-Saint-Denis: 127 social hotels and 100 PMI centres (issue 10)
PARIS_CENTRE = (48.8566, 2.3522)  # for a commune the town file does not place
# Île-de-France, for the region scale (issue 20): Paris, the inner and the outer suburbs.
REGION = ("75", "77", "78", "91", "92", "93", "94", "95")
EMAIL_DOMAIN = "territoire.petitspas.example"

NOT_EMPTY = (
    "La base contient déjà des organisations : le territoire synthétique se génère dans une "
    "base vide (créez-en une, puis `migrate`)."
)


@dataclasses.dataclass(frozen=True)
class Scale:
    name: str
    organisations: int
    programmes_per_organisation: int
    sites: int
    households: int
    months_past: int
    months_ahead: int
    # Named attendance rows to aim at; households per session follow from it.
    attendance_rows: int
    chunk: int = 50_000  # rows per transaction for the big tables
    # Where the organisations are: each one in a town of one of these départements, its
    # sites in its own département.
    departements: tuple[str, ...] = (DEPARTEMENT,)


SCALES = {
    "test": Scale("test", 2, 1, 4, 80, 4, 1, 1_500, chunk=5_000),
    "town": Scale("town", 2, 2, 6, 1_000, 33, 3, 40_000),
    "departement": Scale("departement", 20, 3, 300, 50_000, 33, 3, 2_000_000),
    # Eight départements of the département's size: about 16 M attendance rows, for
    # PostgreSQL (``make bench BENCH_SCALE=region``).
    "region": Scale(
        "region", 160, 3, 2_400, 400_000, 33, 3, 16_000_000, chunk=100_000, departements=REGION
    ),
}

# --- Reference lists (invented names) --------------------------------------------------------

ORGANISATION_PATTERNS = (
    ("Association Grandir ensemble — {town}", Organisation.Kind.ASSOCIATION),
    ("Service petite enfance de {town}", Organisation.Kind.MUNICIPALITY),
    ("Maison des parents de {town}", Organisation.Kind.ASSOCIATION),
    ("Centre social Les Pousses — {town}", Organisation.Kind.ASSOCIATION),
    ("Protection maternelle et infantile, secteur {town}", Organisation.Kind.DEPARTEMENT),
)
PROGRAMME_NAMES = (
    "Premiers pas",
    "Cabanes des tout-petits",
    "Espace parents-enfants",
    "Lire avec bébé",
    "Aller vers les familles",
    "Bouger avec son enfant",
)
STREETS = (
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Gabriel-Péri",
    "boulevard Paul-Vaillant-Couturier",
    "rue Victor-Hugo",
    "avenue de la Division-Leclerc",
    "rue Pasteur",
    "allée des Tilleuls",
    "rue du Moulin",
    "place du Marché",
)
PARENT_NAMES = (
    "Aïcha", "Fatou", "Mariam", "Samira", "Nadia", "Inès", "Leïla", "Awa", "Sofia", "Yasmine",
    "Marie", "Julie", "Hawa", "Kadiatou", "Amina", "Mohamed", "Karim", "Moussa", "Youssef",
    "Ibrahima", "Jean", "Thomas", "Mamadou", "Ali", "Ahmed", "Élodie", "Chloé", "Zeynep",
    "Oumou", "Rokia",
)  # fmt: skip
CHILD_NAMES = (
    "Adam", "Lina", "Noé", "Jade", "Ismaël", "Zoé", "Rayan", "Inaya", "Sacha", "Maëlys",
    "Ayoub", "Nour", "Gabriel", "Aya", "Imran", "Louise", "Issa", "Lou", "Yanis", "Assia",
    "Malik", "Eden", "Hugo", "Kenza", "Liam", "Sarah", "Moussa", "Anaïs", "Bilal", "Célia",
)  # fmt: skip
LANGUAGES = (
    "français", "arabe", "bambara", "soninké", "tamoul", "roumain", "anglais", "turc",
    "portugais", "lingala", "peul", "dari",
)  # fmt: skip
OBSERVATIONS = (
    "Beaucoup d'échanges entre parents autour du sommeil des petits.",
    "Une maman isolée depuis son arrivée à l'hôtel : proposer le groupe de parole.",
    "Les enfants ont investi les livres ; un papa a lu à voix haute pour la première fois.",
    "Questions sur les écrans à la maison ; à reprendre à la prochaine séance.",
    "Famille en attente d'un relogement, fatigue visible ; orientée vers le CCAS.",
    "Premier accueil d'un papa seul avec ses deux enfants, très à l'aise.",
    "Jeux moteurs très appréciés ; prévoir plus de tapis la prochaine fois.",
    "Difficultés de langue : une interprète serait utile pour la prochaine séance.",
)
CANCEL_REASONS = ("Intervenante malade", "Salle indisponible", "Grève des transports")
CLOSURE_REASONS = ("Réunion d'équipe", "Formation", "Travaux", "Inventaire")

AM, PM = HalfDay.MORNING.value, HalfDay.AFTERNOON.value
T = datetime.time
ALWAYS = SchoolHolidayRule.ALWAYS.value
TERM = SchoolHolidayRule.TERM_ONLY.value
HOLIDAYS = SchoolHolidayRule.HOLIDAYS_ONLY.value
OPENING_HOURS = {AM: (T(9, 0), T(12, 30)), PM: (T(13, 30), T(17, 30))}
SESSION_HOURS = {AM: (T(9, 30), T(11, 30)), PM: (T(14, 0), T(16, 0))}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Weekly patterns by kind of site: (weekdays, half-days, school-holiday rule).
_WEEKDAYS = (0, 1, 2, 3, 4)
OPENING_PATTERNS: dict[str, tuple[tuple[tuple[int, ...], tuple[str, ...], str], ...]] = {
    Site.Kind.SOCIAL_HOTEL: ((_WEEKDAYS, (AM, PM), ALWAYS),),
    Site.Kind.PMI_CENTRE: (((0, 1, 3, 4), (AM, PM), ALWAYS), ((2,), (AM,), ALWAYS)),
    Site.Kind.NEIGHBOURHOOD_CENTRE: ((_WEEKDAYS, (AM, PM), ALWAYS), ((5,), (AM,), ALWAYS)),
    Site.Kind.LIBRARY: (((1, 3, 4), (PM,), ALWAYS), ((2, 5), (AM, PM), ALWAYS)),
    Site.Kind.LAEP: (((0, 1, 3, 4), (PM,), TERM), ((2, 5), (AM,), ALWAYS)),
    Site.Kind.SCHOOL: (((2,), (AM, PM), ALWAYS), ((0, 1, 3, 4), (AM, PM), HOLIDAYS)),
    Site.Kind.PUBLIC_SPACE: (((2,), (PM,), ALWAYS), ((5,), (AM,), ALWAYS), ((1, 3), (PM,), TERM)),
    Site.Kind.FAMILY_CENTRE: ((_WEEKDAYS, (AM, PM), ALWAYS),),
}
# Seine-Saint-Denis' mix: social hotels and PMI centres first.
SITE_KINDS = (
    (Site.Kind.SOCIAL_HOTEL, 40),
    (Site.Kind.PMI_CENTRE, 25),
    (Site.Kind.NEIGHBOURHOOD_CENTRE, 10),
    (Site.Kind.LIBRARY, 7),
    (Site.Kind.LAEP, 6),
    (Site.Kind.SCHOOL, 4),
    (Site.Kind.PUBLIC_SPACE, 4),
    (Site.Kind.FAMILY_CENTRE, 4),
)
SITE_NAMES = {
    Site.Kind.SOCIAL_HOTEL: "Hôtel social n° {n}",
    Site.Kind.PMI_CENTRE: "Centre de PMI n° {n}, {street}",
    Site.Kind.NEIGHBOURHOOD_CENTRE: "Maison de quartier n° {n}, {street}",
    Site.Kind.LIBRARY: "Médiathèque n° {n}, {street}",
    Site.Kind.LAEP: "LAEP Les Petites Bulles n° {n}",
    Site.Kind.SCHOOL: "École maternelle n° {n}, {street}",
    Site.Kind.PUBLIC_SPACE: "Cabane du square n° {n}",
    Site.Kind.FAMILY_CENTRE: "Maison des familles n° {n}",
}
# Activity types of every programme: (kind, name, public, registration mode, capacity).
ACTIVITY_TYPES = (
    (ActivityType.Kind.FREE_PLAY, "Temps de jeu libre", Public.CHILDREN_0_3, "open", None),
    (ActivityType.Kind.READING, "Atelier lecture", Public.CHILDREN_0_6, "registration", 12),
    (ActivityType.Kind.PSYCHOMOTOR, "Atelier motricité", Public.CHILDREN_0_3, "registration", 10),
    (ActivityType.Kind.TALK_GROUP, "Groupe de parole", Public.PARENTS, "referral", 15),
)
OPEN, READING, PSYCHOMOTOR, TALK = range(len(ACTIVITY_TYPES))

# Columns of the rows streamed into the big tables, in order.
ATTENDANCE_FIELDS = (
    "session", "person", "household", "status", "is_walk_in", "recorded_by", "recorded_at",
)  # fmt: skip
REGISTRATION_FIELDS = ("session", "household", "created_at")
HEADCOUNT_FIELDS = ("session", *Headcount.COUNTERS, "recorded_by", "updated_at")


@dataclasses.dataclass
class _Family:
    """What the attendance sweep needs of a household, kept in memory."""

    pk: int
    site: int  # index in the sites list
    joined: date
    left: date
    weight: float
    parents: list[int]
    children: list[tuple[int, date]]  # (person pk, birth date)
    due_date: date | None


@dataclasses.dataclass
class Result:
    counts: dict[str, int]
    seconds: float


class Generator:
    def __init__(self, *, scale: Scale, seed: int, today: date, out: Callable[[str], None]):
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today
        self.out = out
        self.start = today - relativedelta(months=scale.months_past)
        self.end = today + relativedelta(months=scale.months_ahead)
        self.counts: dict[str, int] = {}
        self._clock = time.monotonic()

    # --- Helpers -------------------------------------------------------------------------------

    def _say(self, message: str) -> None:
        self.out(f"[{time.monotonic() - self._clock:7.1f} s] {message}")

    def _bulk(self, model, objects: list, label: str | None = None) -> list:
        objects = model.objects.bulk_create(objects, batch_size=self._batch_size(model))
        if label:
            self.counts[label] = self.counts.get(label, 0) + len(objects)
        return objects

    def _stream(
        self,
        model,
        fields: tuple[str, ...],
        rows: Iterable[tuple],
        label: str,
        expected: int | None = None,
    ) -> None:
        """Insert a long stream of rows, in transactions of ``scale.chunk`` rows.

        The millions of attendance rows go as plain tuples through one INSERT built from the
        model's own table and columns: the ORM's per-object work (about 100 µs a row) would
        turn minutes into a quarter of an hour. Values arrive ready for the database
        (``_db_datetime``…); nothing here bypasses a rule, the generator applies them all.
        """
        meta = model._meta
        quote = connection.ops.quote_name
        columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
        chunk: list[tuple] = []
        self.counts.setdefault(label, 0)

        def flush():
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # COPY: PostgreSQL's bulk path, ten times an INSERT's pace.
                    copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
                    with cursor.cursor.copy(copy_sql) as copy:
                        for row in chunk:
                            copy.write_row(row)
                else:
                    cursor.executemany(sql, chunk)
            self.counts[label] += len(chunk)
            total = f"/≈{expected:,}" if expected else ""
            self._say(f"  {label}: {self.counts[label]:,}{total}")

        for row in rows:
            chunk.append(row)
            if len(chunk) >= self.scale.chunk:
                flush()
                chunk = []
        if chunk:
            flush()

    def _adapted(self, model, fields: tuple[str, ...], values: Iterable[tuple]) -> Iterator:
        """Rows with dates, times and datetimes written the way the database stores them."""
        ops = connection.ops
        by_type = {
            "DateTimeField": ops.adapt_datetimefield_value,
            "DateField": ops.adapt_datefield_value,
            "TimeField": ops.adapt_timefield_value,
        }
        adapters = [by_type.get(model._meta.get_field(name).get_internal_type()) for name in fields]
        for row in values:
            yield tuple(
                adapt(value) if adapt else value for adapt, value in zip(adapters, row, strict=True)
            )

    def _db_datetime(self, day: date, moment: datetime.time):
        return connection.ops.adapt_datetimefield_value(self._aware(day, moment))

    @staticmethod
    def _batch_size(model) -> int | None:
        # SQLite caps the parameters of one statement; Django computes the batch there.
        return None if connection.vendor == "sqlite" else 5_000

    def _aware(self, day: date, moment: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, moment))

    def _between(self, first: date, last: date) -> date:
        return first + datetime.timedelta(days=self.rng.randint(0, max((last - first).days, 0)))

    # --- Steps ---------------------------------------------------------------------------------

    def run(self) -> Result:
        if Organisation.objects.exists():
            raise ValueError(NOT_EMPTY)
        scale = self.scale
        self._say(
            f"Territoire « {scale.name} » du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y} "
            f"(aujourd'hui : {self.today:%d/%m/%Y})"
        )
        with transaction.atomic():
            self._organisations()
            self._sites()
            self._activity_types()
            self._staff()
        self._say(f"{len(self.sites)} lieux, {len(self.programmes)} programmes")
        with transaction.atomic():
            self._households()
        self._say(f"{self.counts['households']:,} familles, {self.counts['people']:,} personnes")
        with transaction.atomic():
            self._series_and_sessions()
        self._say(f"{self.counts['sessions']:,} séances de {self.counts['series']:,} séries")
        self._records()
        # The figures' aggregates, rebuilt from the rows written in bulk above: on tables
        # with statistics, or PostgreSQL plans their first queries for empty tables.
        analyze()
        rebuild_all()
        analyze()
        # The closed months' and years' figures, kept as an operator's rebuild keeps them.
        periods = keep_closed(today=self.today)
        self._say(f"{periods:,} périodes closes gardées")
        return Result(self.counts, time.monotonic() - self._clock)

    def _communes(self) -> dict[str, list[Commune]]:
        """The communes of each of the scale's départements (Paris by its arrondissements)."""
        found = {}
        for departement in self.scale.departements:
            codes = (f"{departement}{n:03d}" for n in range(1, 1000))
            if departement == "75":
                codes = (f"751{n:02d}" for n in range(1, 21))
            communes = (get_commune(code) for code in codes)
            found[departement] = [
                c for c in communes if c is not None and c.departement == departement
            ]
        return found

    def _organisations(self) -> None:
        rng, scale = self.rng, self.scale
        self.communes_by_departement = self._communes()
        # As many organisations in each département, in towns of their own.
        towns = []
        per_departement = -(-scale.organisations // len(scale.departements))
        for departement in scale.departements:
            pool = self.communes_by_departement[departement]
            towns += rng.sample(pool, min(per_departement, len(pool)))
        towns = towns[: scale.organisations]
        organisations = []
        for i, commune in enumerate(towns):
            pattern, kind = ORGANISATION_PATTERNS[i % len(ORGANISATION_PATTERNS)]
            organisations.append(
                Organisation(
                    name=pattern.format(town=commune.name),
                    slug=f"territoire-{i + 1:02d}",
                    kind=kind,
                    departement=commune.departement,
                )
            )
        self.organisations = self._bulk(Organisation, organisations, "organisations")
        self.org_towns = towns
        self.programmes = self._bulk(
            Programme,
            [
                Programme(
                    organisation=organisation,
                    name=PROGRAMME_NAMES[(i + j) % len(PROGRAMME_NAMES)],
                    slug=f"territoire-{i + 1:02d}-{j + 1}",
                    public="Familles avec enfants de 0 à 6 ans",
                    started_on=self.start - relativedelta(years=rng.randint(1, 8)),
                )
                for i, organisation in enumerate(self.organisations)
                for j in range(scale.programmes_per_organisation)
            ],
            "programmes",
        )
        self.facilitators = {
            organisation.pk: self._bulk(
                Facilitator,
                [
                    Facilitator(organisation=organisation, name=name, role=role)
                    for name, role in (
                        ("Intervenante psychomotricienne", "Libérale"),
                        ("Consultante parentalité", "Association partenaire"),
                        ("Bibliothécaire jeunesse", "Médiathèque municipale"),
                    )
                ],
                "facilitators",
            )
            for organisation in self.organisations
        }

    def _sites(self) -> None:
        rng, scale = self.rng, self.scale
        kinds = [kind for kind, _weight in SITE_KINDS]
        weights = [weight for _kind, weight in SITE_KINDS]
        # Every programme gets a site first, the rest go by chance: some programmes are big.
        owners = list(self.programmes) + rng.choices(
            self.programmes, k=max(scale.sites - len(self.programmes), 0)
        )
        owners = owners[: scale.sites]
        numbers: dict[str, int] = {}
        sites = []
        for programme in owners:
            kind = rng.choices(kinds, weights)[0]
            org_index = self.organisations.index(programme.organisation)
            # Mostly in the organisation's town, sometimes in a neighbouring one.
            town = self.org_towns[org_index]
            neighbours = self.communes_by_departement[town.departement]
            commune = town if rng.random() < 0.6 else rng.choice(neighbours)
            centre = town_centre(commune.code) or PARIS_CENTRE
            numbers[kind] = numbers.get(kind, 0) + 1
            street = rng.choice(STREETS)
            name = SITE_NAMES[kind].format(n=numbers[kind], street=street)
            sites.append(
                Site(
                    programme=programme,
                    name=name,
                    kind=kind,
                    address=f"{rng.randint(1, 180)} {street}",
                    postcode=commune.postcodes[0],
                    commune_code=commune.code,
                    town=commune.name,
                    departement=commune.departement,
                    # Within a kilometre or so of the town hall.
                    latitude=round(centre[0] + (rng.random() - 0.5) * 0.02, 5),
                    longitude=round(centre[1] + (rng.random() - 0.5) * 0.03, 5),
                    is_qpv=rng.random() < 0.6,
                )
            )
        self.sites = self._bulk(Site, sites, "sites")

        weekly, closures, relocations = [], [], []
        self.weekly: dict[int, list[WeeklyOpening]] = {}
        self.closures: dict[int, list[SiteClosure]] = {}
        self.relocations: dict[int, list[SiteRelocation]] = {}
        for site in self.sites:
            rows = [
                WeeklyOpening(
                    site=site,
                    weekday=weekday,
                    half_day=half_day,
                    opens_at=OPENING_HOURS[half_day][0],
                    closes_at=OPENING_HOURS[half_day][1],
                    school_holidays=rule,
                )
                for weekdays, half_days, rule in OPENING_PATTERNS[site.kind]
                for weekday in weekdays
                for half_day in half_days
            ]
            self.weekly[site.pk] = rows
            weekly += rows
            self.closures[site.pk] = site_closures = self._closures_of(site)
            closures += site_closures
            if rng.random() < 0.05:
                starts_on = self._between(self.start, self.end)
                relocation = SiteRelocation(
                    site=site,
                    starts_on=starts_on,
                    ends_on=starts_on + datetime.timedelta(days=rng.randint(60, 200)),
                    place_name="Salle polyvalente de la mairie",
                    address=f"{rng.randint(1, 60)} {rng.choice(STREETS)}",
                    reason="Travaux",
                )
                self.relocations[site.pk] = [relocation]
                relocations.append(relocation)
        self._bulk(WeeklyOpening, weekly, "weekly openings")
        self._bulk(SiteClosure, closures, "closures")
        self._bulk(SiteRelocation, relocations, "relocations")
        self.calendars = {
            site.pk: SiteCalendar(
                departement=site.departement,
                weekly=self.weekly[site.pk],
                closures=self.closures[site.pk],
                relocations=self.relocations.get(site.pk, ()),
                site_name=site.name,
                site_address=site.address,
            )
            for site in self.sites
        }

    def _closures_of(self, site: Site) -> list[SiteClosure]:
        """Three weeks in August, often the Christmas week, a few half-days a year."""
        rng, closures = self.rng, []
        for year in range(self.start.year, self.end.year + 1):
            august = date(year, 8, rng.randint(1, 10))
            closures.append(
                SiteClosure(
                    site=site,
                    starts_on=august,
                    ends_on=august + datetime.timedelta(days=20),
                    reason="Fermeture estivale",
                )
            )
            if rng.random() < 0.5:
                closures.append(
                    SiteClosure(
                        site=site,
                        starts_on=date(year, 12, 24),
                        ends_on=date(year, 12, 31),
                        reason="Fêtes de fin d'année",
                    )
                )
            for _ in range(rng.randint(1, 3)):
                day = self._between(date(year, 1, 1), date(year, 12, 31))
                closures.append(
                    SiteClosure(
                        site=site,
                        starts_on=day,
                        ends_on=day,
                        half_day=rng.choice((AM, PM)),
                        reason=rng.choice(CLOSURE_REASONS),
                    )
                )
        return closures

    def _activity_types(self) -> None:
        self.activity_types: dict[int, list[ActivityType]] = {}
        rows = []
        for programme in self.programmes:
            types = [
                ActivityType(
                    programme=programme,
                    name=name,
                    kind=kind,
                    public=public,
                    registration_mode=mode,
                    default_capacity=capacity,
                    default_duration=120,
                    is_public=mode != RegistrationMode.REFERRAL,
                )
                for kind, name, public, mode, capacity in ACTIVITY_TYPES
            ]
            self.activity_types[programme.pk] = types
            rows += types
        self._bulk(ActivityType, rows, "activity types")

    def _staff(self) -> None:
        """An admin and a coordinator per organisation, a professional per two sites; each
        site's team is one or two of them."""
        password = make_password(None)  # unusable: the benchmark uses force_login
        users, memberships = [], []
        self.professionals: dict[int, list[User]] = {}
        self.coordinators: dict[int, User] = {}
        sites_per_org: dict[int, int] = {}
        for site in self.sites:
            org_id = site.programme.organisation_id
            sites_per_org[org_id] = sites_per_org.get(org_id, 0) + 1
        for i, organisation in enumerate(self.organisations):
            staff = [(Role.ADMIN, 1), (Role.COORDINATOR, 1)]
            staff.append(
                (Role.PROFESSIONAL, max(1, math.ceil(sites_per_org.get(organisation.pk, 1) / 2)))
            )
            for role, number in staff:
                for n in range(number):
                    user = User(
                        email=f"{role}{n + 1}.org{i + 1:02d}@{EMAIL_DOMAIN}",
                        first_name=self.rng.choice(PARENT_NAMES),
                        last_name=f"{role.label} {n + 1}",
                        password=password,
                    )
                    users.append(user)
                    memberships.append((user, organisation, role))
        users = self._bulk(User, users, "users")
        self._bulk(
            Membership,
            [Membership(user=user, organisation=org, role=role) for user, org, role in memberships],
            "memberships",
        )
        for user, organisation, role in memberships:
            if role == Role.PROFESSIONAL:
                self.professionals.setdefault(organisation.pk, []).append(user)
            elif role == Role.COORDINATOR:
                self.coordinators[organisation.pk] = user
        self.teams: dict[int, list[User]] = {}
        for site in self.sites:
            pros = self.professionals[site.programme.organisation_id]
            self.teams[site.pk] = self.rng.sample(pros, min(len(pros), self.rng.choice((1, 2))))

    def _households(self) -> None:
        rng, scale = self.rng, self.scale
        # Bigger sites hold more families: hotels and PMI centres first.
        site_weight = {
            Site.Kind.SOCIAL_HOTEL: 1.2,
            Site.Kind.PMI_CENTRE: 1.4,
            Site.Kind.LAEP: 0.8,
            Site.Kind.PUBLIC_SPACE: 0.8,
        }
        weights = [site_weight.get(site.kind, 1.0) for site in self.sites]
        homes = rng.choices(range(len(self.sites)), weights, k=scale.households)
        codes: dict[int, set[str]] = {}
        households, plans = [], []
        for index in homes:
            site = self.sites[index]
            org_id = site.programme.organisation_id
            taken = codes.setdefault(org_id, set())
            code = ""
            while not code or code in taken:
                # The families app's codes (F-K7QMA), drawn from the seeded generator.
                code = draw_household_code(choice=rng.choice)
            taken.add(code)
            joined = self._between(self.start - relativedelta(months=12), self.today)
            left = joined + datetime.timedelta(days=rng.randint(120, 900))
            in_hotel = site.kind == Site.Kind.SOCIAL_HOTEL and rng.random() < 0.8
            languages = ["français"] + rng.sample(LANGUAGES[1:], rng.choice((0, 1, 1, 2)))
            households.append(
                Household(
                    organisation_id=org_id,
                    code=code,
                    commune_code=site.commune_code,
                    town=site.town,
                    housing=HousingSituation.SOCIAL_HOTEL
                    if in_hotel
                    else rng.choice(
                        (
                            HousingSituation.HOUSED,
                            HousingSituation.HOSTED,
                            HousingSituation.EMERGENCY_SHELTER,
                            HousingSituation.UNKNOWN,
                        )
                    ),
                    housing_site=site if in_hotel else None,
                    languages=", ".join(languages),
                    created_at=self._aware(joined, T(10, 0)),
                )
            )
            plans.append((index, joined, left))
        households = self._bulk(Household, households, "households")

        people, members = [], []
        for household, (_index, joined, _left) in zip(households, plans, strict=True):
            parents = [rng.choice(PARENT_NAMES) for _ in range(rng.choice((1, 1, 2, 2, 2)))]
            children_count = rng.choices((0, 1, 2, 3, 4), (5, 45, 33, 14, 3))[0]
            births = []
            for _ in range(children_count):
                # Mostly young children; some are born while the family is followed.
                birth = joined + datetime.timedelta(days=rng.randint(-5 * 365, 400))
                if birth > self.today:
                    birth = self.today - datetime.timedelta(days=rng.randint(0, 3 * 365))
                births.append(birth)
            expecting = children_count == 0 or rng.random() < 0.05
            due = self.today + datetime.timedelta(days=rng.randint(7, 250)) if expecting else None
            rows = [
                Person(household=household, role=Person.Role.PARENT, first_name=name)
                for name in parents
            ] + [
                Person(
                    household=household,
                    role=Person.Role.CHILD,
                    first_name=rng.choice(CHILD_NAMES),
                    birth_date=birth,
                )
                for birth in sorted(births)
            ]
            if due is not None:
                rows.append(
                    Person(household=household, role=Person.Role.EXPECTED_CHILD, due_date=due)
                )
            people += rows
            members.append((rows, due))
        people = people_bulk_create(people, batch_size=self._batch_size(Person))
        self.counts["people"] = len(people)
        self.counts["children"] = sum(1 for p in people if p.role == Person.Role.CHILD)

        self.families: list[_Family] = []
        for household, (index, joined, left), (rows, due) in zip(
            households, plans, members, strict=True
        ):
            self.families.append(
                _Family(
                    pk=household.pk,
                    site=index,
                    joined=joined,
                    left=left,
                    weight=0.2 + 0.8 * rng.random(),
                    parents=[p.pk for p in rows if p.role == Person.Role.PARENT],
                    children=[(p.pk, p.birth_date) for p in rows if p.role == Person.Role.CHILD],
                    due_date=due,
                )
            )

    # --- Series and sessions ---------------------------------------------------------------

    def _periods(self) -> list[tuple[date, date]]:
        """Series run by school year (September to August), clipped to the window."""
        periods, first = [], self.start
        while first <= self.end:
            september = date(first.year if first.month < 9 else first.year + 1, 9, 1)
            last = min(september - datetime.timedelta(days=1), self.end)
            periods.append((first, last))
            first = last + datetime.timedelta(days=1)
        return periods

    def _slots(self, site: Site, half_day: str) -> list[int]:
        return sorted(
            {int(row.weekday) for row in self.weekly[site.pk] if row.half_day == half_day}
        )

    def _series_specs(self) -> Iterator[tuple]:
        """(activity type, sites, rrule, start, end, half-day, staff, facilitators)."""
        rng = self.rng
        sites_of: dict[int, list[Site]] = {}
        for site in self.sites:
            sites_of.setdefault(site.programme_id, []).append(site)
        for first, last in self._periods():
            for programme in self.programmes:
                types = self.activity_types[programme.pk]
                org_id = programme.organisation_id
                for site in sites_of.get(programme.pk, []):
                    team = self.teams[site.pk]
                    for type_index, days in (
                        (OPEN, rng.choice((1, 2, 2))),
                        (rng.choice((READING, PSYCHOMOTOR)), rng.choice((1, 2, 2, 3))),
                    ):
                        half_day = rng.choice((AM, PM))
                        weekdays = self._slots(site, half_day)
                        if not weekdays:
                            half_day = PM if half_day == AM else AM
                            weekdays = self._slots(site, half_day)
                        chosen = sorted(rng.sample(weekdays, min(days, len(weekdays))))
                        rule = "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in chosen)
                        yield (types[type_index], [site], rule, first, last, half_day, team, [])
                # "First Tuesday of each month in these hotels": a talk group on several sites.
                programme_sites = sites_of.get(programme.pk, [])
                if programme_sites:
                    half_day = rng.choice((AM, PM))
                    weekday = rng.choice(self._slots(programme_sites[0], half_day) or [1])
                    hosts = [s for s in programme_sites if weekday in self._slots(s, half_day)][:4]
                    if hosts:
                        rule = f"FREQ=MONTHLY;BYDAY=+{rng.randint(1, 3)}{WEEKDAY_CODES[weekday]}"
                        facilitator = rng.choice(self.facilitators[org_id])
                        yield (
                            types[TALK],
                            hosts,
                            rule,
                            first,
                            last,
                            half_day,
                            self.teams[hosts[0].pk],
                            [facilitator],
                        )

    def _series_and_sessions(self) -> None:
        rng = self.rng
        specs = list(self._series_specs())
        series = self._bulk(
            Series,
            [
                Series(
                    activity_type=activity_type,
                    rrule=rule,
                    starts_on=first,
                    ends_on=last,
                    start_time=SESSION_HOURS[half_day][0],
                    end_time=SESSION_HOURS[half_day][1],
                    capacity=activity_type.default_capacity,
                )
                for activity_type, _sites, rule, first, last, half_day, _staff, _f in specs
            ],
            "series",
        )
        site_links, staff_links, facilitator_links = [], [], []
        sessions, session_people = [], []
        for one, (_type, sites, *_rule, staff, facilitators) in zip(series, specs, strict=True):
            site_links += [Series.sites.through(series_id=one.pk, site_id=s.pk) for s in sites]
            staff_links += [Series.staff.through(series_id=one.pk, user_id=u.pk) for u in staff]
            facilitator_links += [
                Series.facilitators.through(series_id=one.pk, facilitator_id=f.pk)
                for f in facilitators
            ]
            for site in sites:
                dates = series_dates(one, self.calendars[site.pk])
                for session in series_sessions(one, site, dates):
                    if rng.random() < 0.02:
                        session.status = Session.Status.CANCELLED
                        session.cancel_reason = rng.choice(CANCEL_REASONS)
                    sessions.append(session)
                    session_people.append((staff, facilitators))
        self._bulk(Series.sites.through, site_links)
        self._bulk(Series.staff.through, staff_links)
        self._bulk(Series.facilitators.through, facilitator_links)
        self._say(f"  {len(sessions):,} séances calculées, écriture…")
        fields = (
            "series", "activity_type", "site", "date", "start_time", "end_time", "capacity",
            "status", "cancel_reason", "is_detached", "notes",
        )  # fmt: skip
        values = (
            (
                s.series_id, s.activity_type_id, s.site_id, s.date, s.start_time, s.end_time,
                s.capacity, s.status, s.cancel_reason, False, "",
            )
            for s in sessions
        )  # fmt: skip
        self._stream(Session, fields, self._adapted(Session, fields, values), "sessions")
        # A series has one session per site and day: that finds each session's id again.
        ids = {
            (series_id, site_id, day): pk
            for pk, series_id, site_id, day in Session.objects.values_list(
                "pk", "series_id", "site_id", "date"
            ).iterator(chunk_size=10_000)
        }
        for session in sessions:
            session.pk = session.id = ids[(session.series_id, session.site_id, session.date)]
        self.sessions = sessions
        self._stream(
            Session.staff.through,
            ("session", "user"),
            (
                (session.pk, user.pk)
                for session, (staff, _f) in zip(self.sessions, session_people, strict=True)
                for user in staff
            ),
            "session staff",
        )
        self._stream(
            Session.facilitators.through,
            ("session", "facilitator"),
            (
                (session.pk, f.pk)
                for session, (_s, facilitators) in zip(self.sessions, session_people, strict=True)
                for f in facilitators
            ),
            "session facilitators",
        )
        self.session_staff = {
            session.pk: staff[0].pk if staff else None
            for session, (staff, _f) in zip(self.sessions, session_people, strict=True)
        }

    # --- What happened at the sessions -------------------------------------------------------

    def _records(self) -> None:
        today = self.today
        site_index = {site.pk: i for i, site in enumerate(self.sites)}
        by_site: dict[int, list[Session]] = {}
        for session in sorted(self.sessions, key=lambda s: (s.date, s.start_time, s.pk)):
            by_site.setdefault(site_index[session.site_id], []).append(session)
        families_of: dict[int, list[_Family]] = {}
        for family in self.families:
            families_of.setdefault(family.site, []).append(family)

        # Households per named session, from the rows aimed at.
        recorded_named = sum(
            1
            for s in self.sessions
            if s.date < today and s.status == Session.Status.PLANNED
            and takes_names(s.activity_type)
        )  # fmt: skip
        persons = sum(len(f.parents) + 0.8 * len(f.children) for f in self.families)
        per_visit = persons / max(len(self.families), 1)
        self.per_session = self.scale.attendance_rows / max(recorded_named, 1) / per_visit
        self._say(f"  ≈{self.per_session:.1f} familles par séance nommée")

        self.headcounts: list[tuple] = []
        self.observations: list[Observation] = []
        self.registrations: list[tuple] = []
        self._stream(
            Attendance,
            ATTENDANCE_FIELDS,
            self._attendance(by_site, families_of),
            "attendance",
            self.scale.attendance_rows,
        )
        # What each sheet's save writes on its session: the households present.
        with transaction.atomic():
            families_present_write(sessions=Session.objects.all())
        self._stream(Registration, REGISTRATION_FIELDS, self.registrations, "registrations")
        self._stream(Headcount, HEADCOUNT_FIELDS, self.headcounts, "headcounts")
        for start in range(0, len(self.observations), self.scale.chunk):
            with transaction.atomic():
                self._bulk(
                    Observation, self.observations[start : start + self.scale.chunk], "observations"
                )
        self._say(f"  observations: {self.counts.get('observations', 0):,}")

    def _attendance(self, by_site, families_of) -> Iterator[tuple]:
        """Attendance rows (``ATTENDANCE_FIELDS``), site by site in date order; registrations,
        headcounts and observations are collected on the way."""
        rng, today = self.rng, self.today
        present, excused, no_show = Attendance.Status.values
        # Families register for the next three weeks; later sessions have nobody yet.
        horizon = today + datetime.timedelta(days=21)
        for index in range(len(self.sites)):
            families = sorted(families_of.get(index, []), key=lambda f: (f.joined, f.pk))
            pointer, active = 0, []
            for session in by_site.get(index, []):
                if session.status != Session.Status.PLANNED or session.date > horizon:
                    continue
                day = session.date
                while pointer < len(families) and families[pointer].joined <= day:
                    active.append(families[pointer])
                    pointer += 1
                active = [f for f in active if f.left >= day]
                is_named = takes_names(session.activity_type)
                if day >= today or (is_named and rng.random() < 0.04):
                    # Not recorded yet (today, coming weeks), or a sheet never filled in: only
                    # the expected list.
                    if is_named:
                        for family in self._pick(active, session):
                            self.registrations.append(
                                (session.pk, family.pk, self._db_datetime(min(day, today), T(8)))
                            )
                    continue
                by = self.session_staff[session.pk]
                recorded_at = self._db_datetime(day, session.end_time)
                if takes_headcount(session.activity_type):
                    # Counted, never named; a named session gets no headcount, which would
                    # count its named people a second time in the sheet's totals.
                    self.headcounts.append(self._open_headcount(session, by, recorded_at))
                    self._maybe_observe(session, by)
                    continue
                registered_at = self._db_datetime(day - datetime.timedelta(days=7), T(9))
                for family in self._pick(active, session):
                    walk_in = rng.random() < 0.1
                    status = (
                        present
                        if walk_in
                        else rng.choices((present, excused, no_show), (82, 7, 11))[0]
                    )
                    if not walk_in:
                        self.registrations.append((session.pk, family.pk, registered_at))
                    # Parents, and the children already born that day.
                    people = family.parents + [
                        pk
                        for pk, born in family.children
                        if attends(role=Person.Role.CHILD, birth_date=born, on=day)
                    ]
                    for person in people:
                        yield (session.pk, person, family.pk, status, walk_in, by, recorded_at)
                self._maybe_observe(session, by)

    def _pick(self, active: list[_Family], session: Session) -> list[_Family]:
        """The households that come: weighted by how regular each family is, without
        repeats (Efraimidis–Spirakis keys)."""
        rng = self.rng
        wanted = max(1, round(rng.gauss(self.per_session, self.per_session * 0.3)))
        wanted = min(wanted, session.capacity or wanted, len(active))
        if wanted <= 0:
            return []
        keyed = sorted(active, key=lambda f: rng.random() ** (1 / f.weight), reverse=True)
        return keyed[:wanted]

    def _open_headcount(self, session, by, recorded_at) -> tuple:
        """An open session's anonymous count (``HEADCOUNT_FIELDS``)."""
        rng = self.rng
        adults = max(1, round(rng.gauss(8, 3)))
        return (
            session.pk,
            adults,
            rng.randint(0, 2) if rng.random() < 0.3 else 0,  # pregnant women
            rng.randint(0, adults // 2),  # under 1
            rng.randint(1, adults),  # 1-3
            rng.randint(0, adults // 2),  # 3-6
            rng.randint(0, max(adults // 3, 1)),  # first visits
            by,
            recorded_at,
        )

    def _maybe_observe(self, session, by) -> None:
        rng = self.rng
        if rng.random() < 0.33:
            self.observations.append(
                Observation(
                    session=session,
                    author_id=by,
                    observed_on=session.date,
                    text=rng.choice(OBSERVATIONS),
                    themes=sorted(rng.sample(Theme.values, rng.randint(1, 2))),
                    created_at=self._aware(session.date, session.end_time),
                )
            )


def generate_territory(
    *,
    scale: str,
    seed: int = 1,
    today: date | None = None,
    out: Callable[[str], None] = print,
) -> Result:
    """Fill an empty database with the synthetic territory of ``scale`` (see ``SCALES``)."""
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}: choose among {', '.join(SCALES)}")
    generator = Generator(
        scale=SCALES[scale], seed=seed, today=today or timezone.localdate(), out=out
    )
    return generator.run()
