"""Rows that hang off a family are visible exactly when their household is (issue 13):
every later export or indicator that starts from ``visible_to`` inherits need-to-know."""

import pytest

from petitspas.activities.tests.factories import SessionFactory
from petitspas.attendance.models import Attendance, Observation, Registration
from petitspas.attendance.tests.factories import AttendanceFactory, RegistrationFactory, family
from petitspas.families.models import Household, Person


@pytest.fixture
def rows(alice, named_session):
    """At the professional's session, one family recorded; at a colleague's session, not
    staffed by the professional, another family registered and recorded, and a note."""
    met = family(alice.organisation, "F-MET01")
    AttendanceFactory(session=named_session, person=met.people.get(role="parent"))
    elsewhere = SessionFactory(
        activity_type=named_session.activity_type, site=alice.site, date=named_session.date
    )
    unmet = family(alice.organisation, "F-UNMET")
    RegistrationFactory(session=elsewhere, household=unmet)
    AttendanceFactory(session=elsewhere, person=unmet.people.get(role="parent"))
    Observation.objects.create(
        session=elsewhere, author=alice.coordinator, observed_on=elsewhere.date, text="Note"
    )
    Observation.objects.create(
        session=named_session, author=alice.professional, observed_on=elsewhere.date, text="Ok"
    )
    return {"met": met, "unmet": unmet, "elsewhere": elsewhere}


def test_a_professional_sees_the_rows_of_the_families_she_met_only(alice, rows):
    user = alice.professional

    assert set(Attendance.objects.visible_to(user).values_list("household", flat=True)) == {
        rows["met"].pk
    }
    assert not Registration.objects.visible_to(user).exists()
    assert list(Observation.objects.visible_to(user).values_list("text", flat=True)) == ["Ok"]


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_admins_and_coordinators_see_every_row_of_their_organisation(alice, rows, role):
    user = getattr(alice, role)

    assert Attendance.objects.visible_to(user).count() == 2
    assert Registration.objects.visible_to(user).count() == 1
    assert Observation.objects.visible_to(user).count() == 2


def test_funders_and_the_other_organisation_see_no_row(alice, bob, funder, rows):
    for user in (funder, bob.admin, bob.professional):
        assert not Attendance.objects.visible_to(user).exists()
        assert not Registration.objects.visible_to(user).exists()
        assert not Observation.objects.visible_to(user).exists()


def test_an_anonymised_households_rows_are_nobodys(alice, rows):
    Household.objects.filter(pk=rows["met"].pk).update(anonymised_at="2026-01-01T00:00Z")

    assert not Attendance.objects.visible_to(alice.admin).filter(household=rows["met"]).exists()


@pytest.mark.parametrize("model", [Household, Person, Attendance, Registration, Observation])
def test_family_data_has_no_role_wide_scope(alice, model):
    with pytest.raises(TypeError, match="need-to-know"):
        model.objects.where_role(alice.professional, {"professional"})
