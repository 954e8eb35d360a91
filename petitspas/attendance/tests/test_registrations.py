"""Registrations with places left, the waiting list and the freed place offered to the
first in line; over capacity at the sheet. The issue's numbers: a session of 15 places,
"14 sur 15 places", 17 families present."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from petitspas.activities.models import Session
from petitspas.activities.tests.factories import (
    ActivityTypeFactory,
    SeriesFactory,
    SessionFactory,
)
from petitspas.attendance.models import Attendance, Registration
from petitspas.attendance.selectors import households_expected_at, places_of
from petitspas.attendance.services import HouseholdsRefused, attendance_record
from petitspas.attendance.services_registrations import (
    registration_add,
    registration_add_new_family,
    registration_answer,
    registration_remove,
)
from petitspas.attendance.tests.factories import RegistrationFactory, family
from petitspas.core.models import AuditEntry
from petitspas.families.models import Household
from petitspas.families.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(alice):
    """A psychomotor workshop on registration, 15 places (seed 000's monthly workshops)."""
    return ActivityTypeFactory(
        programme=alice.programme,
        name="Atelier psychomotricité",
        kind="psychomotor",
        on_registration=True,
        default_capacity=15,
    )


@pytest.fixture
def session(alice, workshop):
    """Next week's workshop, 15 places, staffed by organisation A's professional."""
    return SessionFactory(
        activity_type=workshop,
        site=alice.site,
        date=timezone.localdate() + datetime.timedelta(days=7),
        capacity=15,
        staff=[alice.professional],
    )


def families(organisation, count, prefix="R"):
    return [family(organisation, f"{prefix}{n:04d}", parent=f"Parent{n}") for n in range(count)]


def register_all(session, households, by):
    return [
        registration_add(session=session, household_id=h.pk, by=by)[0].registration
        for h in households
    ]


def statuses(session):
    return dict(
        Registration.objects.filter(session=session).values_list("household__code", "status")
    )


# --- Places left ---------------------------------------------------------------------------


def test_fourteen_registered_for_fifteen_places_leaves_one(alice, session, client):
    register_all(session, families(alice.organisation, 14), alice.coordinator)

    places = places_of(session)
    assert (places.limit, places.registered, places.left, places.waiting) == (15, 14, 1, 0)

    client.force_login(alice.professional)
    body = client.get(reverse("activities:session-detail", args=[session.pk])).content.decode()
    assert "14 sur 15 places · 1 place restante" in body
    week = client.get(reverse("activities:my-week"), {"semaine": session.date.isoformat()})
    assert "14 familles inscrites sur 15 · 1 place restante" in week.content.decode()
    month = client.get(
        reverse(
            "activities:programme-month",
            args=[alice.programme.pk, session.date.year, session.date.month],
        )
    )
    assert "Atelier psychomotricité · Maison de quartier de Pantin (1 place)" in (
        month.content.decode()
    )


def test_the_sixteenth_goes_to_the_waiting_list(alice, session):
    households = families(alice.organisation, 17)
    rows = register_all(session, households, alice.coordinator)

    assert [r.status for r in rows[:15]] == [Registration.Status.CONFIRMED] * 15
    assert [r.status for r in rows[15:]] == [Registration.Status.WAITING] * 2
    places = places_of(session)
    assert (places.registered, places.left, places.waiting) == (15, 0, 2)
    # Waiting families are not expected on the sheet.
    expected = set(households_expected_at(session).values_list("code", flat=True))
    assert expected == {h.code for h in households[:15]}
    assert AuditEntry.objects.filter(action="registration.wait").count() == 2


def test_registering_twice_says_so(alice, session):
    household = family(alice.organisation, "DEUX1")
    registration_add(session=session, household_id=household.pk, by=alice.coordinator)
    with pytest.raises(ValidationError, match="DEUX1 est déjà inscrite"):
        registration_add(session=session, household_id=household.pk, by=alice.coordinator)


def test_unregistering_offers_the_place_to_the_first_waiting(alice, session):
    households = families(alice.organisation, 17)
    rows = register_all(session, households, alice.coordinator)
    first_waiting, second_waiting = rows[15], rows[16]

    registration_remove(session=session, registration_id=rows[3].pk, by=alice.professional)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == Registration.Status.OFFERED
    assert first_waiting.offered_at is not None
    assert second_waiting.status == Registration.Status.WAITING
    places = places_of(session)
    # The offered place is held: nobody else takes it meanwhile.
    assert (places.registered, places.offered, places.left, places.waiting) == (14, 1, 0, 1)
    # A newcomer queues behind, even with the place not yet confirmed.
    late = family(alice.organisation, "TARD1")
    [done] = registration_add(session=session, household_id=late.pk, by=alice.coordinator)
    assert done.is_waiting

    # The family takes the place.
    registration_answer(
        session=session, registration_id=first_waiting.pk, accept=True, by=alice.professional
    )
    first_waiting.refresh_from_db()
    assert first_waiting.status == Registration.Status.CONFIRMED
    assert places_of(session).registered == 15
    assert households[15] in households_expected_at(session)


def test_a_declined_place_goes_to_the_next_in_line(alice, session):
    rows = register_all(session, families(alice.organisation, 17), alice.coordinator)
    registration_remove(session=session, registration_id=rows[0].pk, by=alice.coordinator)

    registration_answer(
        session=session, registration_id=rows[15].pk, accept=False, by=alice.coordinator
    )

    rows[15].refresh_from_db()
    rows[16].refresh_from_db()
    assert rows[15].status == Registration.Status.DECLINED
    assert rows[16].status == Registration.Status.OFFERED
    assert {e.action for e in AuditEntry.objects.filter(target_id=str(session.pk))} >= {
        "registration.add",
        "registration.wait",
        "registration.remove",
        "registration.offer",
        "registration.decline",
    }
    # Answering again is refused: the place is no longer offered to it.
    with pytest.raises(ValidationError, match="Aucune place n'est proposée"):
        registration_answer(
            session=session, registration_id=rows[15].pk, accept=True, by=alice.coordinator
        )


def test_removing_someone_waiting_offers_nothing(alice, session):
    rows = register_all(session, families(alice.organisation, 17), alice.coordinator)
    registration_remove(session=session, registration_id=rows[15].pk, by=alice.coordinator)
    rows[16].refresh_from_db()
    assert rows[16].status == Registration.Status.WAITING
    assert not AuditEntry.objects.filter(action="registration.offer").exists()


def test_a_waiting_family_is_not_met_by_the_professional(alice, session):
    """Only confirmed registrations open a family's file to the session's staff."""
    full = register_all(session, families(alice.organisation, 15), alice.coordinator)
    waiting = family(alice.organisation, "ATT01")
    registration_add(session=session, household_id=waiting.pk, by=alice.coordinator)
    visible = Household.objects.visible_to(alice.professional)
    assert waiting not in visible
    assert full[0].household in visible


def test_the_session_cancellation_lists_only_registered_families(alice, session):
    rows = register_all(session, families(alice.organisation, 16), alice.coordinator)
    from petitspas.activities.hooks import registered_households

    assert rows[15].household not in registered_households(session)
    assert len(registered_households(session)) == 15


# --- A series from a date ------------------------------------------------------------------


@pytest.fixture
def series_sessions(alice, workshop, travel):
    travel(datetime.date(2025, 9, 1))
    series = SeriesFactory(activity_type=workshop, sites=[alice.site], capacity=15)
    days = [datetime.date(2025, 9, 2) + datetime.timedelta(weeks=n) for n in range(5)]
    sessions = [
        SessionFactory(
            activity_type=workshop, site=alice.site, series=series, date=day, capacity=15
        )
        for day in days
    ]
    sessions[1].staff.set([alice.professional])
    sessions[3].staff.set([alice.professional])
    return sessions


def test_registering_to_the_series_from_a_date(alice, series_sessions):
    household = family(alice.organisation, "SERIE")
    third = series_sessions[2]
    Session.objects.filter(pk=series_sessions[4].pk).update(status="cancelled")

    done = registration_add(
        session=third, household_id=household.pk, whole_series=True, by=alice.coordinator
    )

    assert [r.session.date for r in done] == [
        datetime.date(2025, 9, 16),
        datetime.date(2025, 9, 23),
    ]
    registered = Registration.objects.filter(household=household)
    assert set(registered.values_list("session_id", flat=True)) == {
        series_sessions[2].pk,
        series_sessions[3].pk,
    }


def test_a_professional_registers_to_the_sessions_of_the_series_they_staff(alice, series_sessions):
    household = family(alice.organisation, "PRO01")
    household.created_by = alice.professional
    household.save()

    done = registration_add(
        session=series_sessions[1],
        household_id=household.pk,
        whole_series=True,
        by=alice.professional,
    )

    assert [r.session.pk for r in done] == [series_sessions[1].pk, series_sessions[3].pk]


def test_unregistering_from_the_series_from_a_date(alice, series_sessions):
    household = family(alice.organisation, "SORT1")
    registration_add(
        session=series_sessions[0],
        household_id=household.pk,
        whole_series=True,
        by=alice.coordinator,
    )
    row = Registration.objects.get(household=household, session=series_sessions[2])

    removed = registration_remove(
        session=series_sessions[2], registration_id=row.pk, whole_series=True, by=alice.admin
    )

    assert len(removed) == 3
    left = Registration.objects.filter(household=household).values_list("session_id", flat=True)
    assert set(left) == {series_sessions[0].pk, series_sessions[1].pk}


# --- Need-to-know --------------------------------------------------------------------------


def test_another_organisations_household_is_refused_and_logged(alice, bob, session):
    stranger = family(bob.organisation, "BOB01")
    with pytest.raises(HouseholdsRefused):
        registration_add(session=session, household_id=stranger.pk, by=alice.coordinator)
    assert not Registration.objects.exists()
    refusal = AuditEntry.objects.get(action="attendance.household_refused")
    assert refusal.details == {"households": [stranger.pk]}


def test_a_family_never_met_needs_its_whole_code(alice, session):
    unmet = family(alice.organisation, "KQ7ZD")
    with pytest.raises(HouseholdsRefused):
        registration_add(session=session, household_id=unmet.pk, by=alice.professional)
    with pytest.raises(HouseholdsRefused):
        registration_add(session=session, household_id=unmet.pk, code="KQ7", by=alice.professional)

    registration_add(session=session, household_id=unmet.pk, code="kq7zd", by=alice.professional)

    assert statuses(session) == {"KQ7ZD": Registration.Status.CONFIRMED}


def test_a_professional_not_staffing_the_session_may_not_register(alice, session):
    session.staff.clear()
    household = family(alice.organisation, "NOPE1")
    with pytest.raises(PermissionDenied):
        registration_add(session=session, household_id=household.pk, by=alice.professional)


def test_open_past_and_cancelled_sessions_take_no_registration(alice, session, open_session):
    household = family(alice.organisation, "OPEN1")
    with pytest.raises(ValidationError, match="accès libre"):
        registration_add(session=open_session, household_id=household.pk, by=alice.admin)
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate() - datetime.timedelta(1))
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="passée"):
        registration_add(session=session, household_id=household.pk, by=alice.admin)


def test_a_registration_of_another_session_is_not_found(alice, session, named_session):
    other = RegistrationFactory(
        session=named_session, household=family(alice.organisation, "AUTRE")
    )
    with pytest.raises(ValidationError, match="n'existe plus"):
        registration_remove(session=session, registration_id=other.pk, by=alice.admin)
    assert Registration.objects.filter(pk=other.pk).exists()


# --- Over capacity at the sheet ------------------------------------------------------------


def test_seventeen_present_for_fifteen_places_is_allowed_and_recorded(alice, session, client):
    today_session = session
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate())
    today_session.refresh_from_db()
    households = families(alice.organisation, 17)
    register_all(today_session, households[:15], alice.coordinator)
    for household in households[15:]:  # two walk-ins, files the coordinator may open
        assert household in Household.objects.visible_to(alice.coordinator)

    attendance_record(
        session=today_session,
        marks={h.pk: "present" for h in households},
        walk_ins=[h.pk for h in households[15:]],
        client_id=uuid.uuid4(),
        by=alice.coordinator,
    )

    today_session.refresh_from_db()
    assert today_session.families_present == 17
    assert today_session.is_over_capacity
    entry = AuditEntry.objects.get(action="attendance.record")
    assert entry.details["families_present"] == 17 and entry.details["places"] == 15

    client.force_login(alice.professional)
    sheet = client.get(reverse("attendance:session-record", args=[session.pk])).content.decode()
    assert "17 familles présentes pour 15 places" in sheet
    page = client.get(reverse("activities:session-detail", args=[session.pk])).content.decode()
    assert "17 familles présentes pour 15 places" in page


def test_fifteen_present_for_fifteen_places_is_no_warning(alice, session, client):
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate())
    session.refresh_from_db()
    households = families(alice.organisation, 15)
    register_all(session, households, alice.coordinator)
    attendance_record(
        session=session,
        marks={h.pk: "present" for h in households},
        client_id=uuid.uuid4(),
        by=alice.professional,
    )
    session.refresh_from_db()
    assert session.families_present == 15 and not session.is_over_capacity
    client.force_login(alice.professional)
    sheet = client.get(reverse("attendance:session-record", args=[session.pk])).content.decode()
    assert "familles présentes pour" not in sheet


# --- The page ------------------------------------------------------------------------------


def page_url(session):
    return reverse("attendance:session-registrations", args=[session.pk])


def test_the_page_registers_a_family_found_by_its_code(alice, session, client):
    household = HouseholdFactory(organisation=alice.organisation, code="PAGE1")
    client.force_login(alice.coordinator)

    found = client.get(page_url(session), {"q": "PAGE1"}).content.decode()
    assert "PAGE1" in found and "Inscrire" in found

    response = client.post(
        page_url(session),
        {"action": "register", "household": household.pk, "code": "PAGE1", "scope": "session"},
        follow=True,
    )
    body = response.content.decode()
    assert "La famille PAGE1 est inscrite." in body
    assert "1 inscrite sur 15 places" in body and "14 places restantes" in body


def test_the_page_creates_and_registers_a_new_family(alice, session, client):
    client.force_login(alice.professional)
    response = client.post(
        page_url(session), {"action": "create", "first_name": "  Aminata ", "scope": "session"}
    )
    assert response.status_code == 302
    household = Registration.objects.get(session=session).household
    assert household.people.get().first_name == "Aminata"


def test_the_page_keeps_a_missing_first_name_error(alice, session, client):
    client.force_login(alice.professional)
    response = client.post(page_url(session), {"action": "create", "first_name": ""})
    assert "Indiquez le prénom du parent" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_page_refuses_a_posted_household_of_another_organisation(alice, bob, session, client):
    stranger = family(bob.organisation, "BOB02")
    client.force_login(alice.professional)
    response = client.post(
        page_url(session), {"action": "register", "household": stranger.pk, "scope": "session"}
    )
    body = response.content.decode()
    assert "ne vous est pas connue" in body and "BOB02" not in body
    assert not Registration.objects.exists()


def test_the_page_shows_the_waiting_list_and_the_offer(alice, session, client):
    rows = register_all(session, families(alice.organisation, 17), alice.coordinator)
    client.force_login(alice.professional)
    response = client.post(
        page_url(session),
        {"action": "remove", "registration": rows[0].pk, "scope": "session"},
        follow=True,
    )
    body = response.content.decode()
    assert "La place libérée est proposée au premier de la liste." in body
    assert "Places proposées (1)" in body and "Liste d'attente (1)" in body

    response = client.post(
        page_url(session), {"action": "accept", "registration": rows[15].pk}, follow=True
    )
    assert "prend la place : elle est inscrite" in response.content.decode()


def test_a_garbled_post_changes_nothing(alice, session, client):
    client.force_login(alice.professional)
    response = client.post(page_url(session), {"action": "register", "household": "x"})
    assert response.status_code == 400
    assert "rechargez la page" in response.content.decode()


def test_anonymous_sessions_have_no_registrations_page(alice, open_session, client):
    client.force_login(alice.professional)
    assert client.get(page_url(open_session)).status_code == 404


def test_registering_a_new_family_in_a_full_session_puts_it_on_the_list(alice, session):
    register_all(session, families(alice.organisation, 15), alice.coordinator)
    [done] = registration_add_new_family(session=session, first_name="Fatou", by=alice.admin)
    assert done.is_waiting


def test_a_row_written_without_a_state_is_confirmed(alice, session):
    """Rows from before the waiting list, or inserted plainly (the benchmark's generator),
    are registrations: the column's database default."""
    from django.db import connection

    household = family(alice.organisation, "BRUT1")
    table = connection.ops.quote_name(Registration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (session_id, household_id, created_at) VALUES (%s, %s, %s)",
            [session.pk, household.pk, timezone.now()],
        )
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert places_of(session).registered == 1


def test_a_bulk_loader_writes_the_families_present_of_every_recorded_session(alice, session):
    """``families_present_write``: what each sheet's save writes, for rows written in bulk."""
    from petitspas.attendance.services import families_present_write

    households = families(alice.organisation, 3)
    no_show_only = SessionFactory(activity_type=session.activity_type, site=session.site)
    untouched = SessionFactory(activity_type=session.activity_type, site=session.site)
    Session.objects.filter(pk=untouched.pk).update(families_present=4)
    rows = []
    for household in households:
        for person in household.people.all():
            rows.append(
                Attendance(
                    session=session,
                    person=person,
                    household=household,
                    status="present" if household != households[2] else "no_show",
                )
            )
            rows.append(Attendance(session=no_show_only, person=person, household=household,
                                   status="no_show"))  # fmt: skip
    Attendance.objects.bulk_create(rows)

    assert families_present_write(sessions=Session.objects.all()) == 2
    present = dict(Session.objects.values_list("pk", "families_present"))
    # Two households present (each counted once, whatever its people), none, and a session
    # without rows keeps what it had.
    assert (present[session.pk], present[no_show_only.pk], present[untouched.pk]) == (2, 0, 4)
