import datetime

from django.utils import timezone

from petitspas.activities.models import Session
from petitspas.activities.tests.factories import SeriesFactory, SessionFactory
from petitspas.attendance.models import Attendance, Headcount
from petitspas.attendance.selectors import (
    FamilyRow,
    SessionTotals,
    record_sheet,
    sessions_today,
    walk_in_candidates,
)
from petitspas.attendance.tests.factories import AttendanceFactory, RegistrationFactory, family
from petitspas.families.tests.factories import PersonFactory


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def came(household, session, status=Attendance.Status.PRESENT):
    for person in household.people.all():
        AttendanceFactory(session=session, person=person, status=status)


def test_expected_list_is_registered_regulars_and_those_already_recorded(alice, named_session):
    series = SeriesFactory(activity_type=named_session.activity_type, sites=[alice.site])
    Session.objects.filter(pk=named_session.pk).update(series=series)
    named_session.refresh_from_db()
    earlier = [
        SessionFactory(
            activity_type=named_session.activity_type, site=alice.site, series=series, date=d
        )
        for d in (days_ago(7), days_ago(14), days_ago(120), days_ago(130))
    ]
    other_series = SessionFactory(activity_type=named_session.activity_type, site=alice.site)
    registered = family(alice.organisation, "F-0001")
    RegistrationFactory(session=named_session, household=registered)
    regular = family(alice.organisation, "F-0002")
    came(regular, earlier[0])
    came(regular, earlier[1])
    once = family(alice.organisation, "F-0003")
    came(once, earlier[0])
    long_ago = family(alice.organisation, "F-0004")
    came(long_ago, earlier[2])
    came(long_ago, earlier[3])
    excused_twice = family(alice.organisation, "F-0005")
    came(excused_twice, earlier[0], Attendance.Status.EXCUSED)
    came(excused_twice, earlier[1], Attendance.Status.EXCUSED)
    elsewhere = family(alice.organisation, "F-0006")
    came(elsewhere, other_series)
    came(elsewhere, earlier[0])
    walk_in = family(alice.organisation, "F-0007")
    came(walk_in, named_session)

    sheet = record_sheet(user=alice.professional, session=named_session)

    assert [(row.code, row.origin, row.status) for row in sheet.rows] == [
        ("F-0001", FamilyRow.REGISTERED, ""),
        ("F-0002", FamilyRow.REGULAR, ""),
        ("F-0007", FamilyRow.WALK_IN, Attendance.Status.PRESENT),
    ]


def test_a_row_shows_first_names_of_parents_and_children_only(alice, named_session):
    household = family(alice.organisation, "F-0001", children=["Moussa"], expected=True)
    RegistrationFactory(session=named_session, household=household)

    (row,) = record_sheet(user=alice.professional, session=named_session).rows

    assert row.first_names == "Awa, Moussa"
    assert row.origin_label == "Inscrite"


def test_totals_count_present_people_by_age_band_plus_the_headcount(alice, named_session):
    household = family(alice.organisation, "F-0001", children=["Moussa"], under_1=["Inès"])
    PersonFactory(household=household, child=True, first_name="Lina", birth_date=days_ago(4 * 365))
    PersonFactory(household=household, child=True, first_name="Sami", birth_date=None)
    came(household, named_session)
    absent = family(alice.organisation, "F-0002")
    came(absent, named_session, Attendance.Status.NO_SHOW)
    Headcount.objects.create(session=named_session, adults=2, children_1_3=1, pregnant_women=1)

    totals = record_sheet(user=alice.professional, session=named_session).totals

    assert totals == SessionTotals(
        families=1,
        adults=3,
        pregnant_women=1,
        children_under_1=1,
        children_1_3=2,
        children_3_6=1,
        children_other=1,
        first_visits=0,
    )
    assert (totals.children, totals.people) == (5, 8)


def test_today_lists_the_sessions_a_professional_staffs(alice, named_session, open_session):
    open_session.staff.clear()
    SessionFactory(
        activity_type=named_session.activity_type,
        site=alice.site,
        date=days_ago(1),
        staff=[alice.professional],
    )

    assert list(sessions_today(user=alice.professional)) == [named_session]


def test_coordinators_see_all_of_todays_sessions_of_their_organisation(
    alice, bob, named_session, open_session
):
    open_session.staff.clear()
    assert set(sessions_today(user=alice.coordinator)) == {named_session, open_session}
    assert set(sessions_today(user=alice.admin)) == {named_session, open_session}
    assert list(sessions_today(user=bob.coordinator)) == []


def test_today_says_whether_a_session_is_already_recorded(alice, named_session, open_session):
    Headcount.objects.create(session=open_session, adults=1)

    recorded = {s.pk: s.is_recorded for s in sessions_today(user=alice.professional)}

    assert recorded == {named_session.pk: False, open_session.pk: True}


def test_walk_in_search_is_accent_insensitive_and_stays_in_the_organisation(
    alice, bob, named_session
):
    family(alice.organisation, "F-0001", parent="Zoé")
    family(alice.organisation, "K-0002", parent="Awa")
    family(bob.organisation, "F-0003", parent="Zoe")

    def codes(query):
        found = walk_in_candidates(user=alice.coordinator, session=named_session, query=query)
        return [row.code for row in found]

    assert codes("zoe") == ["F-0001"]
    assert codes("ZOÉ") == ["F-0001"]
    assert codes("k-0") == ["K-0002"]
    assert codes("  ") == []


def test_a_professional_finds_a_family_first_met_by_a_colleague_by_its_whole_code_only(
    alice, named_session
):
    family(alice.organisation, "F-0001", parent="Zoé")

    def codes(query):
        found = walk_in_candidates(user=alice.professional, session=named_session, query=query)
        return [row.code for row in found]

    # Not met yet: no browsing by first name or code prefix...
    assert codes("zoe") == []
    assert codes("F-00") == []
    # ...but the family's own code finds it, first names shown to check.
    [row] = walk_in_candidates(user=alice.professional, session=named_session, query="f-0001")
    assert row.code == "F-0001"
    assert "Zoé" in row.first_names
