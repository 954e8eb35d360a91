"""The suite's guards against a planner without statistics (issue 13)."""

import pytest
from django.conf import settings
from django.db import connection

from petitspas.core.db import analyze
from petitspas.organisations.models import Organisation
from petitspas.organisations.tests.factories import OrganisationFactory


def _estimated_rows(model) -> int:
    """What the planner believes a full scan of the table returns."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT * FROM {table}")
            return cursor.fetchone()[0][0]["Plan"]["Plan Rows"]
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [model._meta.db_table])
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else 0


@pytest.mark.django_db
@pytest.mark.parametrize("models", [(Organisation,), ()], ids=["named", "every-table"])
def test_analyze_gives_the_planner_the_rows_just_loaded(models):
    OrganisationFactory.create_batch(300)
    analyze(*models)
    assert 250 <= _estimated_rows(Organisation) <= 400


@pytest.mark.django_db
def test_a_statement_of_the_suite_cannot_run_for_ever():
    assert settings.DATABASE_STATEMENT_TIMEOUT_MS == 60000
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no statement timeout; the suite's hang was on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "1min"
