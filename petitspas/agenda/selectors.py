"""Reads of the public agenda. Public data only: activities, dates, places. Never a
family, never a member of staff or a partner facilitator (they are people)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from petitspas.activities.models import ActivityType, RegistrationMode, Session
from petitspas.agenda import changes
from petitspas.attendance.selectors import with_registered
from petitspas.core.access import get_visible_or_404
from petitspas.core.statements import compiled, query_sql, run
from petitspas.diagnosis.models import SiteCohost
from petitspas.organisations.models import Programme
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site, SiteRelocation
from petitspas.places.permissions import SiteAddress, site_address

# The index shows eight weeks ahead unless a period is chosen.
DEFAULT_WEEKS = 8
# Feeds carry a year of history (so a subscriber's past entries stay) and six months ahead.
FEED_PAST = relativedelta(years=1)
FEED_AHEAD = relativedelta(months=6)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a session really is on its day: the site, or where the site is hosted."""

    name: str
    address: str
    relocated: bool
    # The site's coordinates, when it is there and they are public; None when hosted elsewhere.
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class Places:
    """The place of each of ``sessions`` on its day, from the calendar function (one
    calendar per site). One query: the relocations of their sites, the only rules
    ``SiteCalendar.place_on`` reads, fetched once per site. Prefetching them through each
    session instead cost a fifth of a second on a programme's feed (a copy of the rules per
    session, 1,337 of them), and the weekly openings and closures are not needed to say
    where a site is."""

    def __init__(self, sessions: Iterable[Session]):
        sites = {session.site_id: session.site for session in sessions}
        relocations: dict[int, list[SiteRelocation]] = {pk: [] for pk in sites}
        if sites:
            for relocation in SiteRelocation.objects.filter(site_id__in=sites).order_by(
                "starts_on", "pk"
            ):
                relocations[relocation.site_id].append(relocation)
        self._set(sites, relocations)

    @classmethod
    def of_sites(
        cls, sites: dict[int, Site], relocations: dict[int, list[SiteRelocation]]
    ) -> Places:
        """The places of sessions at ``sites`` (by id), whose relocations are already read."""
        places = cls.__new__(cls)
        places._set(sites, relocations)
        return places

    def _set(self, sites: dict[int, Site], relocations: dict[int, list[SiteRelocation]]):
        # The public's view of each address: published sessions are never where families
        # live, and should one be, the one rule gives its town only.
        self._addresses = {pk: site_address(None, site) for pk, site in sites.items()}
        self._calendars = {
            pk: SiteCalendar(
                departement=site.departement,
                weekly=(),
                relocations=relocations.get(pk, ()),
                site_name=site.name,
                site_address=self._addresses[pk].street,
            )
            for pk, site in sites.items()
        }
        self._relocates = {pk for pk, moves in relocations.items() if moves}
        # Where a site is when it is not hosted elsewhere: the same for each of its sessions.
        self._usual = {}
        for pk, site in sites.items():
            public = self._addresses[pk]
            self._usual[pk] = Place(
                site.name,
                _with_town(public.street, public),
                False,
                public.latitude,
                public.longitude,
            )

    def of(self, session: Session) -> Place:
        return self.on(session.site_id, session.date)

    def on(self, site_id: int, day: datetime.date) -> Place:
        """Where the site ``site_id`` is on ``day``."""
        if site_id not in self._relocates:
            return self._usual[site_id]
        name, address, relocated = self._calendars[site_id].place_on(day)
        if not relocated:
            return self._usual[site_id]
        return Place(name, _with_town(address, self._addresses[site_id]), relocated)


def _with_town(address: str, site: SiteAddress) -> str:
    if site.town and site.town.casefold() in address.casefold():
        return address
    return ", ".join(part for part in (address, f"{site.postcode} {site.town}".strip()) if part)


# --- Sessions ------------------------------------------------------------------------------


def sessions_public() -> QuerySet[Session]:
    """Planned public sessions, with what the agenda shows of them."""
    return Session.objects.public().select_related("activity_type__programme__organisation", "site")


def sessions_published() -> QuerySet[Session]:
    """Public sessions and the cancelled ones that would be public (``published``)."""
    return Session.objects.published().select_related(
        "activity_type__programme__organisation", "site"
    )


def feed_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - FEED_PAST, today + FEED_AHEAD


def agenda_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today, today + datetime.timedelta(weeks=DEFAULT_WEEKS) - datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Offer:
    """What the agenda's weeks hold at one site for one activity kind and one public: the
    first date of its public sessions."""

    site_pk: int
    site_name: str
    town: str
    latitude: Decimal | None
    longitude: Decimal | None
    kind: str
    public: str
    first_date: datetime.date


def agenda_offers(*, today: datetime.date) -> list[Offer]:
    """The public sessions of the agenda's window (``agenda_window``), grouped by site,
    activity kind and public: the choices of the filters (so that none leads to an empty
    page) and the map's markers (``agenda_markers``) both come from these few hundred rows,
    read in one query, rather than from each of the thousands of sessions, twice. Ordered by
    site name, as the markers are."""
    start, end = agenda_window(today)
    rows = (
        Session.objects.public()
        .filter(date__range=(start, end))
        .values_list(
            "site_id",
            "site__name",
            "site__town",
            "site__latitude",
            "site__longitude",
            "activity_type__kind",
            "activity_type__public",
        )
        .annotate(first_date=Min("date"))
        .order_by("site__name", "site_id", "activity_type__kind", "activity_type__public")
    )
    return [Offer(*row) for row in rows]


def agenda_sessions(
    *,
    start: datetime.date,
    end: datetime.date,
    town: str = "",
    site_pk: int | None = None,
    kind: str = "",
    publics: tuple[str, ...] = (),
) -> QuerySet[Session]:
    """The window's public sessions, and the cancelled ones that would be public with their
    reason (a family who saw one should learn it will not take place). The filters' choices
    and the map come from planned sessions only (``agenda_offers``)."""
    sessions = sessions_published().filter(date__range=(start, end))
    if town:
        sessions = sessions.filter(site__town=town)
    if site_pk:
        sessions = sessions.filter(site_id=site_pk)
    if kind:
        sessions = sessions.filter(activity_type__kind=kind)
    if publics:
        sessions = sessions.filter(activity_type__public__in=publics)
    return sessions.order_by("date", "start_time", "site__town", "pk")


def agenda_markers(
    offers: Iterable[Offer],
    *,
    today: datetime.date,
    start: datetime.date,
    end: datetime.date,
    town: str = "",
    site_pk: int | None = None,
    kind: str = "",
    publics: tuple[str, ...] = (),
) -> list[dict]:
    """One marker per site with coordinates where ``agenda_sessions`` finds a session with
    the same filters, by site name, from the ``offers`` of ``today``'s window: no query.
    Every period offered starts on the window's first day, so an offer has a session in the
    period exactly when its first one falls before the period's end."""
    window_start, window_end = agenda_window(today)
    if start != window_start or end > window_end:
        raise ValueError("The markers come from the agenda's window: a period starts today.")
    markers = {}
    for offer in offers:
        if (
            offer.site_pk in markers
            or offer.latitude is None
            or offer.longitude is None
            or offer.first_date > end
            or (town and offer.town != town)
            or (site_pk and offer.site_pk != site_pk)
            or (kind and offer.kind != kind)
            or (publics and offer.public not in publics)
        ):
            continue
        markers[offer.site_pk] = {
            "site": offer.site_pk,
            "name": offer.site_name,
            "town": offer.town,
            "lat": float(offer.latitude),
            "lng": float(offer.longitude),
        }
    return list(markers.values())


# --- The agenda's version -------------------------------------------------------------------

# What the agenda's pages show of a session, and the numbers behind its places left
# (``with_registered``, read for the sessions on registration only: no other shows them).
AGENDA_COLUMNS = (
    "pk",
    "date",
    "start_time",
    "end_time",
    "status",
    "cancel_reason",
    "capacity",
    "activity_type_id",
    "site_id",
    "taken_registered",
    "taken_offered",
)
# What they show of the activities and sites, read once each rather than once per session
# (all of them: a few hundred rows, where the window holds thousands of sessions).
AGENDA_ACTIVITY_COLUMNS = (
    "pk",
    "name",
    "kind",
    "public",
    "registration_mode",
    "default_capacity",
    "is_public",
)
AGENDA_SITE_COLUMNS = (
    "pk",
    "name",
    "address",
    "postcode",
    "town",
    "latitude",
    "longitude",
    "kind",
)
AGENDA_RELOCATION_COLUMNS = ("pk", "site_id", "starts_on", "ends_on", "place_name", "address")
# What the agenda says of a site's co-hosts (``places.hooks.site_cohosts``, which the
# diagnosis answers from these rows).
AGENDA_COHOST_COLUMNS = ("pk", "site_id", "position", "label", "structure__nom")


class RowText(Func):
    """A row's columns as one text, ``|`` between them (a null is empty): flat, where
    ``Concat`` nests one pair of parentheses per column."""

    arg_joiner = " || '|' || "
    template = "(%(expressions)s)"
    output_field = TextField()

    def __init__(self, *columns: str):
        super().__init__(*(Coalesce(Cast(F(c), TextField()), Value("")) for c in columns))


# --- Versions read from the rows, hashed by the database -----------------------------------

# The md5 of the rows' texts joined, computed by the database (SQLite: Django's ``MD5``
# function; PostgreSQL: ``md5``), in the order it reads them: another order gives another
# digest, which only rebuilds what was kept.
_DIGEST = {
    "sqlite": "MD5(GROUP_CONCAT(row, ';'))",
    "postgresql": "MD5(STRING_AGG(row, ';'))",
}
# What a statement is compiled with, replaced by each request's own day and id: values no
# query holds otherwise (a negative id, the first days of year 1).
_FIRST, _LAST = datetime.date(1, 1, 1), datetime.date(1, 1, 2)
_ID = -987_654_321


def _digest_statement(name: str, compile_rows) -> tuple[str, list]:
    """The statement ``name`` for the current database, compiled once per process
    (``core.statements``): ``compile_rows()`` gives the querysets of a ``row`` text
    (``RowText``), the first the main rows, counted and hashed, each other hashed in a
    subquery. Django's expressions cost ten times what the statement does (a few
    milliseconds against a few tenths), so the ORM writes it once and each request only
    runs it."""

    def build():
        digest = _DIGEST[connection.vendor]
        (main_sql, main_params), *others = (
            query_sql(rows, using=connection.alias) for rows in compile_rows()
        )
        columns = ", ".join(
            [f"COUNT(*), {digest}"]
            + [f"(SELECT {digest} FROM ({sql}) other{n})" for n, (sql, _) in enumerate(others)]
        )
        params = [p for _, other_params in others for p in other_params] + main_params
        return f"SELECT {columns} FROM ({main_sql}) main", params

    return compiled(name, build, using=connection.alias)


def _run_digest(statement: tuple[str, list], *, start=None, end=None, pk=None) -> str:
    first, last = (connection.ops.adapt_datefield_value(day) for day in (_FIRST, _LAST))
    (row,) = run(statement, {first: start, last: end, _ID: pk}, using=connection.alias)
    return hashlib.blake2b(repr(row).encode(), digest_size=16).hexdigest()


def _agenda_rows():
    on_registration = Q(activity_type__registration_mode=RegistrationMode.REGISTRATION)
    sessions = (
        with_registered(sessions_published().filter(date__range=(_FIRST, _LAST)))
        .annotate(
            taken_registered=Case(When(on_registration, then=F("registered"))),
            taken_offered=Case(When(on_registration, then=F("offered"))),
        )
        .order_by()
    )

    def every(model, columns):
        return model.objects.order_by().annotate(row=RowText(*columns)).values("row")

    return [
        sessions.annotate(row=RowText(*AGENDA_COLUMNS)).values("row"),
        every(ActivityType, AGENDA_ACTIVITY_COLUMNS),
        every(Site, AGENDA_SITE_COLUMNS),
        # Relocations and co-hosts: a few dozen rows in a département, all of them.
        every(SiteRelocation, AGENDA_RELOCATION_COLUMNS),
        every(SiteCohost, AGENDA_COHOST_COLUMNS),
    ]


def agenda_version(*, today: datetime.date) -> str:
    """A digest of every row the agenda's pages are made from, whatever their filters and
    page: the published sessions of ``today``'s window with what the pages show of them
    (``AGENDA_COLUMNS``) and the households registered or offered a place, then every
    activity, site, relocation and co-host (a change to one the window does not hold only
    renders the pages again). One statement, hashed by the database: the pages' cache
    (``views.index``) is checked against it on every request.

    Read from the rows, as the feeds' version is (``feed_version``): whatever writes
    them, the next request sees the change. While the database's log of writes to them
    has not moved, the digest it gave is kept (``changes.remembered``): its cost no longer
    grows with the territory."""
    start, end = agenda_window(today)
    return changes.remembered(
        f"agenda {start} {end}",
        lambda: _run_digest(_digest_statement("agenda", _agenda_rows), start=start, end=end),
    )


def session_public(*, session_pk: int) -> Session:
    """A public session, or 404: on referral, cancelled or hidden ones are not public (what
    takes a request for a place or goes into a calendar)."""
    return get_visible_or_404(with_registered(sessions_public()), session_pk)


def session_published(*, session_pk: int) -> Session:
    """A session whose page the public may open, or 404: a public one, or a cancelled one
    that would be public, whose page says so (the agenda and the feeds link to it)."""
    return get_visible_or_404(with_registered(sessions_published()), session_pk)


def feed_sessions(*, today: datetime.date | None, **filters) -> QuerySet[Session]:
    """The published sessions of a feed, in its order; ``today`` None: with no window (the
    one-session file)."""
    sessions = sessions_published().filter(**filters)
    if today is not None:
        sessions = sessions.filter(date__range=feed_period(today))
    return sessions.order_by("date", "start_time", "pk")


# Every column a feed's events are written from (``feeds.build_calendar`` and ``Places``):
# the sessions' with their activity's, then once per site its own and its relocations'.
FEED_SESSION_COLUMNS = (
    "pk",
    "date",
    "start_time",
    "end_time",
    "status",
    "cancel_reason",
    "notes",
    "activity_type__name",
    "activity_type__kind",
    "activity_type__public",
    "activity_type__registration_mode",
    "site_id",
)
SITE_ID = FEED_SESSION_COLUMNS.index("site_id")
FEED_SITE_FIELDS = ("name", "address", "postcode", "town", "latitude", "longitude", "kind")
FEED_RELOCATION_FIELDS = ("starts_on", "ends_on", "place_name", "address")
FEED_SITE_COLUMNS = (
    "pk",
    "departement",
    *FEED_SITE_FIELDS,
    "relocations__pk",
    *(f"relocations__{field}" for field in FEED_RELOCATION_FIELDS),
)


@dataclass(frozen=True, slots=True)
class FeedRows:
    """What a feed is written from, read in two plain queries: its sessions' rows
    (``FEED_SESSION_COLUMNS``, in the feed's order) and their sites' with their relocations
    (``FEED_SITE_COLUMNS``, one row per site and relocation), the same rows as its version
    (``feed_digest``)."""

    sessions: list[tuple]
    sites: list[tuple]

    def places(self) -> Places:
        """The places of the sessions, from the site rows: no query."""
        sites: dict[int, Site] = {}
        relocations: dict[int, list[SiteRelocation]] = {}
        fields = len(FEED_SITE_FIELDS)
        for row in self.sites:
            pk, departement = row[0], row[1]
            if pk not in sites:
                sites[pk] = Site(
                    pk=pk,
                    departement=departement,
                    **dict(zip(FEED_SITE_FIELDS, row[2 : 2 + fields], strict=True)),
                )
                relocations[pk] = []
            if row[2 + fields] is not None:
                relocations[pk].append(
                    SiteRelocation(
                        pk=row[2 + fields],
                        site_id=pk,
                        **dict(zip(FEED_RELOCATION_FIELDS, row[3 + fields :], strict=True)),
                    )
                )
        return Places.of_sites(sites, relocations)


def feed_rows(*, today: datetime.date | None, **filters) -> FeedRows:
    """The rows of the feed of ``feed_sessions`` (see ``FeedRows``)."""
    sessions = list(feed_sessions(today=today, **filters).values_list(*FEED_SESSION_COLUMNS))
    site_ids = {session[SITE_ID] for session in sessions}
    sites = (
        list(
            Site.objects.filter(pk__in=site_ids)
            .order_by("pk", "relocations__starts_on", "relocations__pk")
            .values_list(*FEED_SITE_COLUMNS)
        )
        if site_ids
        else []
    )
    return FeedRows(sessions, sites)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What a feed's version is made of: the name of its programme or site, "" while it
    has never published a session, and the digest of its rows (``feed_digest``)."""

    name: str
    digest: str


# The filter a feed is asked by, and whose name it takes.
FEED_OWNERS = {
    "activity_type__programme_id": (Programme, "activity_type__programme"),
    "site_id": (Site, "site"),
}


def feed_state(*, today: datetime.date, **filters) -> FeedState:
    """The feed's name and digest, kept while the database's log of writes to their rows
    has not moved (``changes.remembered``): a request for a kept feed reads the log's
    mark and nothing else. ``filters``: one id, the programme's or the site's
    (``FEED_OWNERS``).

    A missing programme or site and one that publishes nothing (a social hotel's, one on
    referral) get the same name, "", and the same empty feed, so that the public pages do
    not tell which ids exist."""
    ((name, pk),) = filters.items()
    model, lookup = FEED_OWNERS[name]
    start, end = feed_period(today)
    return changes.remembered(
        f"feed state {name} {pk} {start} {end}",
        lambda: FeedState(
            name=_published_name(model, lookup, pk),
            digest=feed_digest(name, pk, start=start, end=end),
        ),
    )


def feed_digest(name: str, pk: int, *, start, end) -> str:
    """A digest of the rows the feed of ``feed_sessions`` is written from (``feed_rows``):
    which sessions it publishes (so a session cancelled, moved out of the window, put on
    referral or into a social hotel changes it), the columns of them and of their activity
    that the events show, and their sites with their relocations. One statement, hashed by
    the database, a fraction of a millisecond for a few hundred events: the feed's cache is
    checked against it (``feed_state``, ``feeds.feed_version``, ``feeds.cached_calendar``).
    ``name`` and ``pk``: the filter, the programme's or the site's id, and its value;
    ``start`` and ``end``: the feed's window (``feed_period``).

    Read from the rows rather than kept up to date by signals: series are planned and edited
    with ``bulk_create`` and ``QuerySet.update`` (no ``post_save``), the territory generator
    writes plain rows, and sessions carry no modification time; whatever writes them, the
    next request sees the change."""

    def rows():
        sessions = sessions_published().filter(date__range=(_FIRST, _LAST), **{name: _ID})
        return [
            sessions.order_by().annotate(row=RowText(*FEED_SESSION_COLUMNS)).values("row"),
            Site.objects.filter(pk__in=sessions.order_by().values("site_id"))
            .order_by()
            .annotate(row=RowText(*FEED_SITE_COLUMNS))
            .values("row"),
        ]

    return _run_digest(_digest_statement(f"feed {name}", rows), start=start, end=end, pk=pk)


def _published_name(model, lookup: str, pk: int) -> str:
    """The name of the programme or site ``pk`` if it has ever published a session, else
    "": one statement compiled once per process (``core.statements``), which the ORM took
    ten times longer to write than the database takes to run."""

    def build():
        published = Session.objects.published().filter(**{lookup: OuterRef("pk")})
        names = model.objects.filter(Exists(published), pk=_ID).order_by().values("name")
        return query_sql(names, using=connection.alias)

    statement = compiled(f"published name {model._meta.label}", build, using=connection.alias)
    rows = run(statement, {_ID: pk}, using=connection.alias)
    return rows[0][0] if rows else ""
