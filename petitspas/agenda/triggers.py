"""The triggers that log each write to a row the agenda or a feed is made from
(``models.Change``). They are written again after every ``migrate`` (``apps.py``): the
columns watched are this code's, and SQLite drops a table's triggers with it when a
migration rebuilds the table."""

from __future__ import annotations

from django.db import router

from petitspas.agenda.changes import KEPT, PRUNE_EVERY
from petitspas.agenda.models import Change


def watched() -> list[tuple]:
    """(model, the fields whose change is logged, whether an insert is): each column the
    versions read (``selectors.AGENDA_*_COLUMNS``, ``FEED_*_COLUMNS`` and their filters).
    A new structure is logged once a co-host names it, a new programme once it has a
    session (a feed's name, ``selectors.FeedState``)."""
    from petitspas.activities.models import ActivityType, Session
    from petitspas.attendance.models import Registration
    from petitspas.diagnosis.models import SiteCohost
    from petitspas.directory.models import Structure
    from petitspas.organisations.models import Programme
    from petitspas.places.models import Site, SiteRelocation

    return [
        (
            Session,
            "date start_time end_time status cancel_reason notes capacity activity_type site",
            True,
        ),
        (Registration, "session status", True),
        (
            ActivityType,
            "name kind public registration_mode default_capacity is_public programme",
            True,
        ),
        (Site, "name address postcode town latitude longitude kind departement", True),
        (SiteRelocation, "site starts_on ends_on place_name address", True),
        (SiteCohost, "site position label structure", True),
        (Structure, "nom", False),
        (Programme, "name", False),
    ]


def install(connection) -> None:
    """(Re)create the triggers on ``connection``'s database, if ``Change`` lives there."""
    if not router.allow_migrate_model(connection.alias, Change):
        return
    write = _POSTGRESQL if connection.vendor == "postgresql" else _SQLITE
    log = connection.ops.quote_name(Change._meta.db_table)
    with connection.cursor() as cursor:
        for statement in write(connection, log):
            cursor.execute(statement)


def _tables(connection):
    for model, fields, inserts in watched():
        columns = [model._meta.get_field(name).column for name in fields.split()]
        table = model._meta.db_table
        yield (
            table,
            connection.ops.quote_name(table),
            list(map(connection.ops.quote_name, columns)),
            inserts,
        )


def _changed(columns, *, differ: str) -> str:
    return " OR ".join(f"OLD.{c} {differ} NEW.{c}" for c in columns)


def _POSTGRESQL(connection, log):
    yield f"""
        CREATE OR REPLACE FUNCTION agenda_change_log() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE latest bigint;
        BEGIN
            INSERT INTO {log} DEFAULT VALUES RETURNING id INTO latest;
            IF latest % {PRUNE_EVERY} = 0 THEN
                -- Old ids another pruning holds are left to the next one: no waiting.
                DELETE FROM {log} WHERE id IN (
                    SELECT id FROM {log} WHERE id <= latest - {KEPT}
                    FOR UPDATE SKIP LOCKED
                );
            END IF;
            RETURN NULL;
        END $$"""
    for name, table, columns, inserts in _tables(connection):
        events = "INSERT OR DELETE OR TRUNCATE" if inserts else "DELETE OR TRUNCATE"
        # One row per statement for inserts and deletes (a bulk load logs once); one per
        # row whose watched columns really changed for updates.
        yield f'DROP TRIGGER IF EXISTS "agenda_rows_{name}" ON {table}'
        yield (
            f'CREATE TRIGGER "agenda_rows_{name}" AFTER {events} ON {table} '
            "FOR EACH STATEMENT EXECUTE FUNCTION agenda_change_log()"
        )
        yield f'DROP TRIGGER IF EXISTS "agenda_columns_{name}" ON {table}'
        yield (
            f'CREATE TRIGGER "agenda_columns_{name}" AFTER UPDATE OF {", ".join(columns)} '
            f"ON {table} FOR EACH ROW WHEN ({_changed(columns, differ='IS DISTINCT FROM')}) "
            "EXECUTE FUNCTION agenda_change_log()"
        )


def _SQLITE(connection, log):
    # SQLite's triggers are per row, and take no ``DEFAULT VALUES``.
    insert = f"INSERT INTO {log} (id) VALUES (NULL);"
    yield 'DROP TRIGGER IF EXISTS "agenda_change_prune"'
    yield (
        f'CREATE TRIGGER "agenda_change_prune" AFTER INSERT ON {log} '
        f"WHEN NEW.id % {PRUNE_EVERY} = 0 "
        f"BEGIN DELETE FROM {log} WHERE id <= NEW.id - {KEPT}; END"
    )
    for name, table, columns, inserts in _tables(connection):
        for event in ("INSERT", "DELETE") if inserts else ("DELETE",):
            yield f'DROP TRIGGER IF EXISTS "agenda_{event.lower()}_{name}"'
            yield (
                f'CREATE TRIGGER "agenda_{event.lower()}_{name}" AFTER {event} ON {table} '
                f"BEGIN {insert} END"
            )
        yield f'DROP TRIGGER IF EXISTS "agenda_update_{name}"'
        yield (
            f'CREATE TRIGGER "agenda_update_{name}" AFTER UPDATE OF {", ".join(columns)} '
            f"ON {table} FOR EACH ROW WHEN {_changed(columns, differ='IS NOT')} "
            f"BEGIN {insert} END"
        )
