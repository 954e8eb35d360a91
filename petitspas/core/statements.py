"""Statements the ORM writes once per process, which each request only runs.

Building and compiling a query of many expressions (subqueries, ``Exists``, functions)
costs the Django process a few milliseconds, ten times what the database takes to run it.
Where a statement's shape never changes and only some values do, it is compiled once, with
stand-ins no row holds in place of those values (a negative id, the first days of year 1),
and each run puts the request's values in their place (``bound``)."""

from collections.abc import Callable, Hashable, Mapping

from django.db import connections

_COMPILED: dict[tuple, tuple[str, list]] = {}


def compiled(
    key: Hashable, build: Callable[[], tuple[str, list]], *, using: str
) -> tuple[str, list]:
    """``build()``'s SQL and parameters for the database ``using``, built once per process
    and database under ``key``."""
    if (key, using) not in _COMPILED:
        sql, params = build()
        _COMPILED[key, using] = (sql, list(params))
    return _COMPILED[key, using]


def query_sql(queryset, *, using: str) -> tuple[str, list]:
    """A queryset's SQL and parameters as the database ``using`` runs them."""
    sql, params = queryset.query.get_compiler(using=using).as_sql()
    return sql, list(params)


def bound(params: list, values: Mapping) -> list:
    """``params`` with each stand-in in ``values`` replaced by its value."""
    return [values.get(p, p) if isinstance(p, Hashable) else p for p in params]


def run(statement: tuple[str, list], values: Mapping, *, using: str) -> list[tuple]:
    """The rows of a compiled statement, run with ``values`` in place of its stand-ins."""
    sql, params = statement
    with connections[using].cursor() as cursor:
        cursor.execute(sql, bound(params, values))
        return cursor.fetchall()
