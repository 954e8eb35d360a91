"""Database helpers shared by the bulk loaders and the aggregates."""

import zlib

from django.db import connection


def analyze(*models) -> None:
    """Refresh the planner's statistics of ``models``' tables (every table when none is
    given) after a bulk load.

    A table filled in one go has no statistics until autovacuum passes (PostgreSQL) or
    forever (SQLite): the planner then takes it for a row or two and chooses nested loops
    over joins of hundreds of thousands of rows. The demo's five-table read of attendance
    ran for 46 minutes that way, and in seconds once analysed. Safe inside a transaction:
    both databases count the rows the transaction itself wrote.
    """
    tables = sorted({connection.ops.quote_name(model._meta.db_table) for model in models})
    with connection.cursor() as cursor:
        for table in tables or [""]:
            cursor.execute(f"ANALYZE {table}".strip())


# The largest value a (big) auto field holds: an id posted or put in a URL beyond it cannot
# name a row, and SQLite fails on it rather than finding nothing.
MAX_ID = 2**63 - 1


def is_possible_id(pk) -> bool:
    """Whether ``pk`` could be a row's id."""
    return isinstance(pk, int) and 0 < pk <= MAX_ID


def serialize(name: str) -> None:
    """Wait until no other transaction holds ``name``, and hold it until this one ends
    (PostgreSQL: a transaction-level advisory lock keyed by ``name``). For writes that
    recompute rows from others and replace them, which two transactions must not do at
    once: each would miss the other's rows and both insert theirs. SQLite runs one write
    transaction at a time: nothing to do there. Call it inside the transaction."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])
