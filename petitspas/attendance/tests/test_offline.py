"""What a phone may keep for offline use: the sheets of the user's sessions of the coming
week, under the user's key; never a family file, never another person's pages; and the
counts behind the sheet's live totals."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from petitspas.activities.models import Session
from petitspas.activities.tests.factories import ActivityTypeFactory, SessionFactory
from petitspas.attendance.selectors import record_sheet, sessions_offline
from petitspas.attendance.tests.factories import RegistrationFactory, family
from petitspas.core.offline import OFFLINE_HEADER, offline_key
from petitspas.families.tests.factories import PersonFactory

MONDAY = datetime.date(2025, 3, 10)


def record_url(session):
    return reverse("attendance:session-record", kwargs={"session_pk": session.pk})


@pytest.fixture
def week(alice, travel):
    """The professional's sessions around Monday 10 March 2025: one each day from the day
    before to 8 days after, one cancelled on Wednesday, and a colleague's on Tuesday."""
    travel(MONDAY)
    activity = ActivityTypeFactory(
        programme=alice.programme, name="Atelier lecture", on_registration=True
    )
    sessions = {
        offset: SessionFactory(
            activity_type=activity,
            site=alice.site,
            date=MONDAY + datetime.timedelta(days=offset),
            staff=[alice.professional],
        )
        for offset in (-1, 0, 1, 3, 6, 7, 8)
    }
    cancelled = SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=MONDAY + datetime.timedelta(days=2),
        staff=[alice.professional],
        status=Session.Status.CANCELLED,
    )
    colleagues = SessionFactory(
        activity_type=activity,
        site=alice.site,
        date=MONDAY + datetime.timedelta(days=1),
        staff=[alice.coordinator],
    )
    return sessions, cancelled, colleagues


def test_the_coming_week_is_today_and_the_six_days_after(alice, week):
    sessions, _cancelled, _colleagues = week

    kept = list(sessions_offline(user=alice.professional))

    assert kept == [sessions[0], sessions[1], sessions[3], sessions[6]]


def test_an_admin_keeps_only_the_sessions_they_staff(alice, week):
    sessions, _cancelled, colleagues = week

    assert list(sessions_offline(user=alice.coordinator)) == [colleagues]
    assert list(sessions_offline(user=alice.admin)) == []


def test_the_list_names_the_pages_to_keep_and_the_user_s_key(client, alice, week):
    sessions, _cancelled, _colleagues = week
    client.force_login(alice.professional)

    response = client.get(reverse("attendance:offline-sheets"))

    assert response.status_code == 200
    assert response.json() == {
        "key": offline_key(alice.professional),
        "days": 7,
        "urls": [reverse("attendance:today")] + [record_url(sessions[n]) for n in (0, 1, 3, 6)],
    }
    assert "no-store" in response["Cache-Control"]


def test_the_list_is_for_signed_in_people_only(client):
    response = client.get(reverse("attendance:offline-sheets"))

    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_keys_differ_between_people_and_name_nobody(alice, bob):
    keys = {offline_key(u) for u in (alice.professional, alice.coordinator, bob.professional)}

    assert len(keys) == 3
    assert offline_key(alice.professional) == offline_key(alice.professional)
    # A keyed digest: nothing in it reads as an id or an address.
    assert re.fullmatch(r"[0-9a-f]{24}", offline_key(alice.professional))
    assert offline_key(AnonymousUser()) == ""


def test_today_and_the_week_s_sheets_may_be_kept_under_the_user_s_key(client, alice, week):
    sessions, _cancelled, _colleagues = week
    client.force_login(alice.professional)
    key = offline_key(alice.professional)

    today = client.get(reverse("attendance:today"))
    sheet = client.get(record_url(sessions[6]))

    assert today[OFFLINE_HEADER] == key
    assert sheet[OFFLINE_HEADER] == key
    # The browser's own cache still keeps nothing.
    assert "no-store" in sheet["Cache-Control"]


def test_a_sheet_outside_the_coming_week_is_not_kept(client, alice, week):
    sessions, _cancelled, _colleagues = week
    client.force_login(alice.professional)

    assert OFFLINE_HEADER not in client.get(record_url(sessions[-1]))
    assert OFFLINE_HEADER not in client.get(record_url(sessions[7]))


def test_a_sheet_s_fragment_and_a_save_s_answer_are_not_kept(client, alice, week):
    sessions, _cancelled, _colleagues = week
    client.force_login(alice.professional)

    fragment = client.get(record_url(sessions[0]), headers={"HX-Request": "true"})
    saved = client.post(record_url(sessions[0]), {"client_id": "nonsense"})

    assert OFFLINE_HEADER not in fragment
    assert OFFLINE_HEADER not in saved


def test_a_family_file_is_never_kept(client, alice, week):
    household = family(alice.organisation, "F-0001")
    client.force_login(alice.coordinator)

    response = client.get(reverse("families:household-detail", args=[household.pk]))

    assert response.status_code == 200
    assert OFFLINE_HEADER not in response


def test_every_signed_in_page_carries_the_user_s_key_and_signed_out_ones_none(client, alice):
    assert 'data-pp-offline-key="' not in client.get(reverse("web:home")).content.decode()

    client.force_login(alice.professional)
    page = client.get(reverse("web:home")).content.decode()

    assert f'data-pp-offline-key="{offline_key(alice.professional)}"' in page


def test_each_family_row_says_whom_it_counts_on_the_session_s_day(alice, travel):
    """Awa's household: Awa and Moussa (about 18 months); Fatou's: Fatou, a baby of about 6
    months and a child born after the session (recorded later), who was not there."""
    travel(MONDAY)
    session = SessionFactory(
        activity_type=ActivityTypeFactory(programme=alice.programme, on_registration=True),
        site=alice.site,
        date=MONDAY,
        staff=[alice.professional],
    )
    awa = family(alice.organisation, "F-0001", parent="Awa")
    fatou = family(alice.organisation, "F-0002", parent="Fatou", children=(), under_1=["Lou"])
    PersonFactory(household=fatou, child=True, birth_date=MONDAY + datetime.timedelta(days=1))
    for household in (awa, fatou):
        RegistrationFactory(session=session, household=household)

    rows = {row.code: row for row in record_sheet(user=alice.professional, session=session).rows}

    assert rows["F-0001"].counts_data == "adults:1 children_1_3:1"
    assert rows["F-0002"].counts_data == "adults:1 children_under_1:1"


def test_the_sheet_carries_the_counts_and_the_all_present_button(client, alice, travel):
    travel(MONDAY)
    session = SessionFactory(
        activity_type=ActivityTypeFactory(programme=alice.programme, on_registration=True),
        site=alice.site,
        date=MONDAY,
        staff=[alice.professional],
    )
    RegistrationFactory(session=session, household=family(alice.organisation, "F-0001"))
    client.force_login(alice.professional)

    page = client.get(record_url(session)).content.decode()

    assert 'data-pp-counts="adults:1 children_1_3:1"' in page
    assert "Tous présents" in page
    assert 'data-pp-count aria-live="polite"' in page
