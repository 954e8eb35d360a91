"""Reads that may lag go to a PostgreSQL streaming replica, when one is configured.

``DATABASE_REPLICA_URL`` adds the ``replica`` database; ``ReplicaRouter`` then sends the
reads made inside ``from_replica()`` (the figures: reports, dashboards and exports, marked
by the ``reads_replica`` view decorator) to it, and everything else, every write included,
to ``default``. Without a replica everything goes to ``default``, as before.

A replica is a copy of the whole primary kept by PostgreSQL itself (streaming
replication); nothing here copies data. It may be a little behind: ``replica_lag`` says by
how much, and the figures' pages show it.
"""

import contextlib
import contextvars
import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import StreamingHttpResponse

REPLICA = "replica"

_reading = contextvars.ContextVar("petitspas_reads_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def from_replica():
    """Within this block, reads go to the replica (when there is one)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


@contextlib.contextmanager
def from_primary():
    """Within this block, reads go to the primary even inside ``from_replica()``: for work
    that reads what it is about to write (the figures catching up with the last saves)."""
    token = _reading.set(False)
    try:
        yield
    finally:
        _reading.reset(token)


def _streamed_from_replica(content):
    with from_replica():
        yield from content


def reads_replica(view):
    """A view whose reads may lag (figures, exports): run it on the replica. A streamed
    response reads while it is sent, after the view returned: its iterator reads there too."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with from_replica():
            response = view(request, *args, **kwargs)
        if isinstance(response, StreamingHttpResponse) and replica_configured():
            response.streaming_content = _streamed_from_replica(response.streaming_content)
        return response

    return wrapped


class ReplicaRouter:
    """Reads inside ``from_replica()`` to the replica; writes, migrations and every other
    read to ``default``. ``QuerySet.select_for_update`` and ``get_or_create`` read for a
    write, so they stay on ``default``."""

    def db_for_read(self, model, **hints):
        if _reading.get() and replica_configured():
            return REPLICA
        return None  # Django's own choice: the database of the instance at hand, or default

    def db_for_write(self, model, **hints):
        # Never the replica, even for a row read from it.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# Seconds the replica is behind: 0 when it has replayed all it received (or is no standby),
# else the age of the last transaction it replayed. Read on the replica, PostgreSQL's clocks.
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() "
    "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_lag() -> float | None:
    """How far behind the primary the replica is, in seconds; None without a replica."""
    if not replica_configured():
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])
