"""Whether anything the public agenda and the feeds are made from changed, in a constant
time: the database logs each write to those rows (``models.Change``, by triggers), and a
version computed from the rows is kept with the log's mark of the moment. While the mark
is the same, the version is; when it moves, the version is computed again from the rows,
so a write that changes nothing they show (a session's notes for the agenda, a series
saved unchanged) costs one computation and no rebuilt page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

from petitspas.agenda.models import Change

# On PostgreSQL the mark also counts the last ids: a transaction that logged a change and
# commits after later ones (ids are handed out before commit) still moves it, by the
# count. The triggers keep ``KEPT`` ids, well beyond it.
RECENT = 1000
KEPT = 5000
PRUNE_EVERY = 500
# Versions are kept per day (their key holds it): the timeout only bounds an unread one.
TIMEOUT = 24 * 60 * 60

T = TypeVar("T")

_MARK = {
    "postgresql": (
        "SELECT MAX(id), COUNT(*) FROM {table} "
        "WHERE id > (SELECT COALESCE(MAX(id), 0) FROM {table}) - {recent}"
    ),
    # SQLite has one writer at a time, holding the lock from its first write to its
    # commit: ids are committed in the order they are handed out, so the latest says it
    # all (and counting a thousand entries was most of the statement's time).
    "sqlite": "SELECT MAX(id) FROM {table}",
}


def mark() -> tuple:
    """Where the log stands: its latest id, and on PostgreSQL how many of the last
    ``RECENT`` ids are there. One index read, whatever the size of the territory."""
    with connection.cursor() as cursor:
        cursor.execute(_MARK[connection.vendor].format(table=Change._meta.db_table, recent=RECENT))
        return tuple(cursor.fetchone())


def remembered(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, a version read from the rows (any value the cache can keep), or the
    one it gave under the same ``key`` when the log's mark was the same. The mark is read
    before ``compute()`` runs: a change committed in between is in the version and moves
    the mark, so the next call computes again, and a version is never older than its
    mark."""
    now = mark()
    cache_key = "agenda:version:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    kept = cache.get(cache_key)
    if kept is not None and kept[0] == now:
        return kept[1]
    version = compute()
    cache.set(cache_key, (now, version), TIMEOUT)
    return version
