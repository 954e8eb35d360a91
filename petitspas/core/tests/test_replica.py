"""The read replica: which database each read and write goes to, and, when
``scripts/with-postgres.sh`` runs a real streaming replica (``PG_REPLICA=1``), that the
replica follows the primary, refuses writes and says how far behind it is."""

import os
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from petitspas.core import replica
from petitspas.organisations.models import Organisation
from petitspas.organisations.tests.factories import OrganisationFactory

ROUTER = replica.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def test_without_a_replica_every_read_stays_on_the_primary(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: False)
    with replica.from_replica():
        assert ROUTER.db_for_read(Organisation) is None
    assert replica.replica_lag() is None


def test_figures_read_the_replica_and_nothing_else_does(with_replica):
    assert ROUTER.db_for_read(Organisation) is None
    with replica.from_replica():
        assert ROUTER.db_for_read(Organisation) == replica.REPLICA
        with replica.from_replica():
            assert ROUTER.db_for_read(Organisation) == replica.REPLICA
        assert ROUTER.db_for_read(Organisation) == replica.REPLICA
    assert ROUTER.db_for_read(Organisation) is None


def test_writes_and_migrations_never_go_to_the_replica(with_replica):
    organisation = Organisation(name="Lue sur la réplique")
    organisation._state.db = replica.REPLICA
    with replica.from_replica():
        assert ROUTER.db_for_write(Organisation) == DEFAULT_DB_ALIAS
        assert ROUTER.db_for_write(Organisation, instance=organisation) == DEFAULT_DB_ALIAS
    assert ROUTER.allow_migrate(DEFAULT_DB_ALIAS, "organisations")
    assert not ROUTER.allow_migrate(replica.REPLICA, "organisations")


def test_a_view_and_its_streamed_content_read_the_replica(with_replica):
    seen = []

    def streamed():
        seen.append(ROUTER.db_for_read(Organisation))
        yield b"x"

    @replica.reads_replica
    def view(request):
        seen.append(ROUTER.db_for_read(Organisation))
        return StreamingHttpResponse(streamed())

    @replica.reads_replica
    def page(request):
        return HttpResponse("ok")

    response = view(None)
    assert seen == [replica.REPLICA]
    assert b"".join(response.streaming_content) == b"x"
    assert seen == [replica.REPLICA, replica.REPLICA]
    assert ROUTER.db_for_read(Organisation) is None
    assert page(None).content == b"ok"


real_replica = pytest.mark.skipif(
    not os.environ.get("DATABASE_REPLICA_URL"),
    reason="needs a streaming replica: PG_REPLICA=1 scripts/with-postgres.sh pytest …",
)
# Under the tests, the ``replica`` alias reads the real replica's copy of the test database
# (Django's test mirror renames the database, the server stays the replica).
BOTH = [DEFAULT_DB_ALIAS, replica.REPLICA]


def _caught_up(query, timeout=15.0):
    """Wait until ``query`` (read inside ``from_replica``) is true; the seconds it took."""
    written = time.monotonic()
    with replica.from_replica():
        while not query():
            if time.monotonic() - written > timeout:
                pytest.fail(f"the replica did not replay the write in {timeout:.0f} s")
            time.sleep(0.02)
    return time.monotonic() - written


@real_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_figure_read_sees_the_data_once_the_replica_caught_up():
    assert replica.replica_configured()
    organisation = OrganisationFactory(name="Maison des familles de Bondy")
    waited = _caught_up(lambda: Organisation.objects.filter(pk=organisation.pk).exists())
    lag = replica.replica_lag()
    print(f"replica caught up in {waited * 1000:.0f} ms; lag now {lag:.3f} s")
    assert lag is not None and lag >= 0
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)


@real_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_writes_made_while_reading_figures_go_to_the_primary():
    OrganisationFactory(name="CAF de la Seine-Saint-Denis")
    _caught_up(lambda: Organisation.objects.filter(name__startswith="CAF").exists())
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica, replica.from_replica():
        read = Organisation.objects.get(name__startswith="CAF")
        read_from = read._state.db
        read.name = "CAF de Seine-Saint-Denis"
        read.save()
        Organisation.objects.create(name="Écrite pendant une lecture de chiffres")
    assert read_from == replica.REPLICA
    assert read._state.db == DEFAULT_DB_ALIAS
    sql = [query["sql"].lstrip().upper() for query in on_replica.captured_queries]
    assert any(statement.startswith("SELECT") for statement in sql)
    assert not any(statement.startswith(("INSERT", "UPDATE", "DELETE")) for statement in sql)
    assert Organisation.objects.filter(name="CAF de Seine-Saint-Denis").exists()


@real_replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_replica_itself_refuses_writes():
    with (
        connections[replica.REPLICA].cursor() as cursor,
        pytest.raises(DatabaseError, match="read-only"),
    ):
        cursor.execute("UPDATE organisations_organisation SET name = 'x'")
