"""Two refreshes of one household's figures at once, on PostgreSQL (SQLite runs one write
transaction at a time). Each deletes the rows it sees and inserts what it computed: run
side by side, the second one would miss the first one's new rows and insert its own too.
They take turns (``aggregates.REFRESH_LOCK``)."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.db.models import Count

from petitspas.activities.tests.factories import SessionFactory
from petitspas.attendance.models import Attendance
from petitspas.attendance.tests.test_concurrency import WAIT, a_save_waits_for_a_lock
from petitspas.reporting.aggregates import catch_up, refresh_households
from petitspas.reporting.models import FirstSeen, HouseholdMonth
from petitspas.reporting.tests.test_pending_refresh import save

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections with row locks"
    ),
]


COLUMNS = ("programme_id", "person_id", "subject", "span", "year", "month", "seen_on", "band")


def rows_of(household) -> list[tuple]:
    return list(
        FirstSeen.objects.filter(household=household).order_by(*COLUMNS).values_list(*COLUMNS)
    )


def test_two_refreshes_of_one_household_at_once_leave_each_row_once(built, alice, travel):
    travel(datetime.date(2025, 12, 31))
    session = SessionFactory(
        activity_type=built.named, site=built.site, date=datetime.date(2025, 11, 18)
    )
    household = built.h2
    save(session, {household.pk: Attendance.Status.PRESENT}, alice.coordinator)
    catch_up()
    before = rows_of(household)
    assert before
    first_holds, let_first_go = threading.Event(), threading.Event()
    errors = []

    def refresh(name):
        try:
            with transaction.atomic():
                refresh_households([household.pk])
                if name == "first":
                    first_holds.set()
                    let_first_go.wait(WAIT)
        except Exception as error:  # noqa: BLE001 - the test reports whatever happened
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=refresh, args=("first",))
    second = threading.Thread(target=refresh, args=("second",))
    try:
        first.start()
        assert first_holds.wait(WAIT)
        second.start()
        # The second one waits for the first one's turn to end.
        assert a_save_waits_for_a_lock()
    finally:
        let_first_go.set()
        first.join(WAIT)
        second.join(WAIT)

    assert errors == []
    assert rows_of(household) == before
    twice = (
        HouseholdMonth.objects.filter(household=household)
        .values("programme_id", "year", "month")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not twice.exists()
