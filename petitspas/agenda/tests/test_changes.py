"""The log of writes to what the agenda and the feeds are made from: every column their
versions read moves its mark, however it is written; other columns do not; a late commit
still moves it; the log keeps a bounded tail; a version is computed again only when the
mark moves."""

import datetime
import decimal
import sqlite3

import pytest
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petitspas.activities.models import Session
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.agenda import changes, selectors, triggers
from petitspas.agenda.models import Change
from petitspas.agenda.tests.conftest import in_days, working_day
from petitspas.attendance.models import Registration
from petitspas.attendance.tests.factories import RegistrationFactory
from petitspas.diagnosis.models import SiteCohost
from petitspas.directory.models import Structure
from petitspas.organisations.models import Programme
from petitspas.organisations.tests.factories import ProgrammeFactory
from petitspas.places.models import Site, SiteRelocation
from petitspas.places.tests.factories import SiteFactory

WATCHED = {model: fields.split() for model, fields, _inserts in triggers.watched()}


def _field_of(model, path: str):
    """The model and field a column of the versions' rows comes from (``a__b`` follows
    the relation ``a``)."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    if name == "pk":
        return model, None
    return model, model._meta.get_field(name.removesuffix("_id"))


VERSION_COLUMNS = [
    (Session, selectors.AGENDA_COLUMNS),
    (Session, selectors.FEED_SESSION_COLUMNS),
    (Site, selectors.FEED_SITE_COLUMNS),
    (Site, selectors.AGENDA_SITE_COLUMNS),
    (selectors.ActivityType, selectors.AGENDA_ACTIVITY_COLUMNS),
    (SiteRelocation, selectors.AGENDA_RELOCATION_COLUMNS),
    (SiteCohost, selectors.AGENDA_COHOST_COLUMNS),
]


@pytest.mark.parametrize(
    ("model", "path"),
    [(model, path) for model, paths in VERSION_COLUMNS for path in paths],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_every_column_the_versions_read_is_watched(model, path):
    if path in {"taken_registered", "taken_offered"}:
        return  # counts of the registrations (the next test)
    owner, field = _field_of(model, path)
    if field is None:
        return  # an id never changes
    assert field.name in WATCHED.get(owner, []), (
        f"{owner.__name__}.{field.name} is read by the agenda's versions: add it to "
        "agenda.triggers.watched()"
    )


def test_the_registrations_the_counts_read_are_watched():
    assert {"session", "status"} <= set(WATCHED[Registration])


@pytest.fixture
def rows(make_session, pantin, free_play):
    """One row of each watched table, and a second of each they point to."""
    session = make_session(days=working_day(3), capacity=12)
    other = SessionFactory(date=in_days(working_day(5)))
    structure = Structure.objects.create(source_id="s-1", nom="Centre social Belliard")
    Structure.objects.create(source_id="s-2", nom="Maison des parents")
    return {
        Session: session,
        Registration: RegistrationFactory(session=session),
        selectors.ActivityType: free_play,
        Site: pantin,
        SiteRelocation: SiteRelocation.objects.create(
            site=pantin, starts_on=in_days(1), ends_on=in_days(9), place_name="Gymnase"
        ),
        SiteCohost: SiteCohost.objects.create(site=pantin, structure=structure, label="Belliard"),
        Structure: structure,
        Programme: session.activity_type.programme,
        "other": other,
    }


def _another(instance, field):
    """A value of ``field`` other than ``instance``'s, valid for the database."""
    value = getattr(instance, field.attname)
    if field.is_relation:
        return field.related_model._base_manager.exclude(pk=value).order_by("pk").first().pk
    if field.choices:
        return next(choice for choice, _label in field.choices if choice != value)
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DateField):
        return (value or in_days(2)) + datetime.timedelta(days=1)
    if isinstance(field, models.TimeField):
        return value.replace(minute=(value.minute + 1) % 60)
    if isinstance(field, models.DecimalField):
        return (value or decimal.Decimal(0)) + 1
    if isinstance(field, models.IntegerField | models.FloatField):
        return (value or 0) + 1
    return (value or "") + "z" if len(value or "") < (field.max_length or 100) else "z"


@pytest.mark.parametrize(
    ("model", "name"),
    [(model, name) for model, names in WATCHED.items() for name in names],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_an_update_of_a_watched_column_moves_the_mark(rows, model, name):
    instance = rows[model]
    field = model._meta.get_field(name)
    before = changes.mark()

    model._base_manager.filter(pk=instance.pk).update(**{field.attname: _another(instance, field)})

    assert changes.mark() != before


def test_a_column_no_version_reads_does_not_move_the_mark(rows):
    session = rows[Session]
    before = changes.mark()

    Session.objects.filter(pk=session.pk).update(families_present=7, clash_note="vu")
    Session.objects.filter(pk=session.pk).update(notes=session.notes)  # the same value

    assert changes.mark() == before


@pytest.mark.parametrize("model", [m for m, *_ in triggers.watched()], ids=lambda m: m.__name__)
def test_a_delete_moves_the_mark(rows, model):
    # An activity or a site no session holds on to (theirs are protected).
    unused = {
        selectors.ActivityType: ActivityTypeFactory,
        Site: SiteFactory,
        Programme: ProgrammeFactory,
    }
    target = unused[model]() if model in unused else rows[model]
    before = changes.mark()

    model._base_manager.filter(pk=target.pk).delete()

    assert changes.mark() != before


def test_an_insert_moves_the_mark_but_a_structure_alone_does_not(rows, pantin):
    before = changes.mark()
    Structure.objects.create(source_id="s-3", nom="PMI Hoche")
    assert changes.mark() == before

    SiteRelocation.objects.create(site=pantin, starts_on=in_days(20), place_name="Mairie")
    assert changes.mark() != before


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite commits its one writer's ids in order (see the next test)",
)
def test_a_change_committed_after_later_ones_still_moves_the_mark(db):
    """PostgreSQL hands ids out before commit: id 7 may appear after 8 to 10 did."""
    Change.objects.bulk_create(Change(id=i) for i in (1, 2, 3, 4, 5, 6, 8, 9, 10))
    before = changes.mark()

    Change.objects.create(id=7)

    assert changes.mark() != before
    assert changes.mark()[0] == before[0] == 10


def test_sqlite_commits_a_log_s_ids_in_the_order_they_are_handed_out(tmp_path):
    """Why SQLite's mark is the latest id alone: while one connection's transaction has
    logged a change, no other can log one (in WAL mode too), so no id commits after a
    later one."""
    path = tmp_path / "log.sqlite3"
    first = sqlite3.connect(path, timeout=0, isolation_level=None)
    second = sqlite3.connect(path, timeout=0, isolation_level=None)
    first.execute("PRAGMA journal_mode=WAL")
    first.execute("CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT)")
    first.execute("BEGIN")
    first.execute("INSERT INTO log DEFAULT VALUES")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        second.execute("INSERT INTO log DEFAULT VALUES")
    assert second.execute("SELECT MAX(id) FROM log").fetchone() == (None,)

    first.execute("COMMIT")
    second.execute("INSERT INTO log DEFAULT VALUES")
    assert second.execute("SELECT id FROM log ORDER BY id").fetchall() == [(1,), (2,)]
    first.close()
    second.close()


def test_the_log_keeps_a_bounded_tail(rows):
    """Every ``PRUNE_EVERY`` ids, the triggers delete those more than ``KEPT`` behind."""
    Change.objects.all().delete()
    Change.objects.bulk_create(Change(id=i) for i in range(1, 6001))
    latest = 2 * changes.KEPT - 1  # the next id, a multiple of PRUNE_EVERY, prunes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [Change._meta.db_table, latest],
            )
    else:
        Change.objects.create(id=latest)

    Session.objects.filter(pk=rows[Session].pk).update(status=Session.Status.CANCELLED)

    kept = Change.objects.aggregate(first=models.Min("id"), last=models.Max("id"))
    assert kept == {"first": latest + 2 - changes.KEPT, "last": latest + 1}


def test_a_version_is_computed_again_only_when_the_mark_moves(rows):
    computed = []

    def compute():
        computed.append(1)
        return f"v{len(computed)}"

    assert changes.remembered("k", compute) == "v1"
    assert changes.remembered("k", compute) == "v1"
    Session.objects.filter(pk=rows[Session].pk).update(clash_note="vu")
    assert changes.remembered("k", compute) == "v1"

    Session.objects.filter(pk=rows[Session].pk).update(capacity=14)

    assert changes.remembered("k", compute) == "v2"
    assert changes.remembered("other", compute) == "v3"
    assert len(computed) == 3


def test_the_kept_agenda_reads_no_row_while_nothing_changed(make_session):
    make_session(days=working_day(2))
    client = Client()
    client.get(reverse("agenda:index"))

    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("agenda:index"))

    assert again.status_code == 200
    statements = " ".join(q["sql"] for q in queries.captured_queries)
    assert "activities_session" not in statements


def test_a_version_kept_across_a_change_that_shows_is_not_served(make_session):
    session = make_session(days=working_day(2))
    client = Client()
    first = client.get(reverse("agenda:index"))

    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.CANCELLED, cancel_reason="Intempéries"
    )

    assert client.get(reverse("agenda:index")).content != first.content
