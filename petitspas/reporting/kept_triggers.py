"""The triggers that mark the periods a write changes the kept figures of
(``models.FiguresChange``, read by ``reporting.kept``). They are written again after every
``migrate`` (``apps.py``): the columns watched are this code's, and SQLite drops a table's
triggers with it when a migration rebuilds the table.

Each watched table names, for one of its rows, the programme and the month it counts in.
PostgreSQL marks once per statement for inserts and deletes (a bulk load or a rebuild
marks each of its months once, from the statement's transition table) and once per row
whose watched columns really changed for updates; SQLite, whose triggers are per row,
skips a mark already there (its writers take turns, so a mark seen is never one being
deleted)."""

from __future__ import annotations

import dataclasses

from django.db import router

from petitspas.reporting.models import FiguresChange


@dataclasses.dataclass(frozen=True)
class Watched:
    """How one table's row names its programme and month.

    ``columns``: the row's columns the expressions read, as ``r.<column>``;
    ``programme``, ``year`` and ``month``: SQL over ``r`` and ``joins`` (``date`` instead
    of ``year`` and ``month`` when they are a day's); ``fields``: the model's fields whose
    update is marked."""

    model: type
    columns: tuple[str, ...]
    programme: str
    fields: tuple[str, ...]
    date: str = ""
    year: str = "0"
    month: str = "0"
    joins: str = ""
    inserts: bool = True


def watched() -> list[Watched]:
    """Every table the kept families read (``indicators.core_live``; a test captures its
    queries and fails on a table missing here)."""
    from petitspas.activities.models import ActivityType, Session
    from petitspas.attendance.models import Headcount
    from petitspas.reporting.models import FirstSeen, HouseholdMonth, SessionTally

    session = Session._meta.db_table
    activity_type = ActivityType._meta.db_table
    by_type = f"JOIN {activity_type} t ON t.id = r.activity_type_id"
    return [
        Watched(
            Session,
            ("activity_type_id", "date"),
            "t.programme_id",
            ("date", "start_time", "end_time", "status", "capacity", "activity_type"),
            date="r.date",
            joins=by_type,
        ),
        Watched(
            Headcount,
            ("session_id",),
            "t.programme_id",
            ("session", *Headcount.COUNTERS),
            date="s.date",
            joins=(
                f"JOIN {session} s ON s.id = r.session_id "
                f"JOIN {activity_type} t ON t.id = s.activity_type_id"
            ),
        ),
        Watched(
            SessionTally,
            ("programme_id", "date"),
            "r.programme_id",
            ("programme", "date", "households", "adults", "children"),
            date="r.date",
        ),
        Watched(
            FirstSeen,
            ("programme_id", "seen_on"),
            "r.programme_id",
            (
                "programme",
                "household",
                "person",
                "subject",
                "span",
                "year",
                "month",
                "seen_on",
                "band",
            ),
            date="r.seen_on",
        ),
        Watched(
            HouseholdMonth,
            ("programme_id", "year", "month"),
            "r.programme_id",
            ("programme", "household", "year", "month", "visits"),
            year="r.year",
            month="r.month",
        ),
        # A type's capacity, registration mode or programme: every period of its programme.
        Watched(
            ActivityType,
            ("programme_id",),
            "r.programme_id",
            ("programme", "default_capacity", "registration_mode"),
            inserts=False,
        ),
    ]


def install(connection) -> None:
    """(Re)create the triggers on ``connection``'s database, if the marks live there."""
    if not router.allow_migrate_model(connection.alias, FiguresChange):
        return
    write = _postgresql if connection.vendor == "postgresql" else _sqlite
    marks = connection.ops.quote_name(FiguresChange._meta.db_table)
    with connection.cursor() as cursor:
        for statement in write(connection, marks):
            cursor.execute(statement)


def uninstall(connection) -> None:
    """Drop the triggers (and PostgreSQL's functions): before the marks' table goes, when
    its migration is unapplied, or the watched tables could not be written to."""
    with connection.cursor() as cursor:
        for table in watched():
            name = table.model._meta.db_table
            quoted = connection.ops.quote_name(name)
            for event in ("insert", "delete", "update"):
                trigger = f"figures_{event}_{name}"
                if connection.vendor == "postgresql":
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}" ON {quoted}')
                    cursor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
                else:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')


def _key(table: Watched, source: str, *, year_of, month_of) -> str:
    """SELECT the programme, year and month (``p``, ``y``, ``m``) of ``source``'s rows
    (aliased ``r``), through the table's joins."""
    year = year_of(table.date) if table.date else table.year
    month = month_of(table.date) if table.date else table.month
    return (
        f"SELECT DISTINCT {table.programme} AS p, {year} AS y, {month} AS m "
        f"FROM {source} {table.joins}"
    )


def _row(table: Watched, side: str) -> str:
    """The trigger's ``OLD`` or ``NEW`` row as a one-row source aliased ``r``."""
    return f"(SELECT {', '.join(f'{side}.{c} AS {c}' for c in table.columns)}) r"


def _update_columns(connection, table: Watched) -> list[str]:
    quote = connection.ops.quote_name
    return [quote(table.model._meta.get_field(name).column) for name in table.fields]


def _events(table: Watched) -> list[tuple[str, str]]:
    return ([("insert", "NEW")] if table.inserts else []) + [("delete", "OLD")]


def _postgresql(connection, marks):
    def key(table, source):
        return _key(
            table,
            source,
            year_of=lambda d: f"EXTRACT(YEAR FROM {d})::int",
            month_of=lambda d: f"EXTRACT(MONTH FROM {d})::int",
        )

    def function(name, select):
        return f"""
            CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {marks} (programme_id, year, month) SELECT p, y, m FROM ({select}) k;
                RETURN NULL;
            END $$"""

    for table in watched():
        name = table.model._meta.db_table
        quoted = connection.ops.quote_name(name)
        # Inserts and deletes: once per statement, over its transition table.
        for event, side in _events(table):
            trigger = f"figures_{event}_{name}"
            yield function(trigger, key(table, "changed r"))
            yield f'DROP TRIGGER IF EXISTS "{trigger}" ON {quoted}'
            yield (
                f'CREATE TRIGGER "{trigger}" AFTER {event.upper()} ON {quoted} '
                f"REFERENCING {side} TABLE AS changed "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {trigger}()"
            )
        # Updates: per row whose watched columns changed, in the month the row left and
        # in the one it came to.
        trigger = f"figures_update_{name}"
        both = " UNION ".join(key(table, _row(table, side)) for side in ("OLD", "NEW"))
        yield function(trigger, both)
        columns = _update_columns(connection, table)
        differ = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        yield f'DROP TRIGGER IF EXISTS "{trigger}" ON {quoted}'
        yield (
            f'CREATE TRIGGER "{trigger}" AFTER UPDATE OF {", ".join(columns)} ON {quoted} '
            f"FOR EACH ROW WHEN ({differ}) EXECUTE FUNCTION {trigger}()"
        )


def _sqlite(connection, marks):
    def mark(table, side):
        """A mark for the row's period, unless one is there already."""
        select = _key(
            table,
            _row(table, side),
            year_of=lambda d: f"CAST(strftime('%Y', {d}) AS INTEGER)",
            month_of=lambda d: f"CAST(strftime('%m', {d}) AS INTEGER)",
        )
        return (
            f"INSERT INTO {marks} (programme_id, year, month) "
            f"SELECT p, y, m FROM ({select}) k WHERE NOT EXISTS ("
            f"SELECT 1 FROM {marks} x WHERE x.programme_id = k.p AND x.year = k.y "
            "AND x.month = k.m);"
        )

    for table in watched():
        name = table.model._meta.db_table
        quoted = connection.ops.quote_name(name)
        for event, side in _events(table):
            yield f'DROP TRIGGER IF EXISTS "figures_{event}_{name}"'
            yield (
                f'CREATE TRIGGER "figures_{event}_{name}" AFTER {event.upper()} ON {quoted} '
                f"BEGIN {mark(table, side)} END"
            )
        columns = _update_columns(connection, table)
        differ = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        yield f'DROP TRIGGER IF EXISTS "figures_update_{name}"'
        yield (
            f'CREATE TRIGGER "figures_update_{name}" AFTER UPDATE OF {", ".join(columns)} '
            f"ON {quoted} FOR EACH ROW WHEN {differ} "
            f"BEGIN {mark(table, 'OLD')} {mark(table, 'NEW')} END"
        )
