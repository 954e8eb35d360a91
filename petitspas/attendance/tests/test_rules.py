"""The attendance rules, without the database: the services, the demo and the generator
all ask these."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from petitspas.activities.models import RegistrationMode, Session
from petitspas.attendance.rules import (
    MAX_COUNT,
    age_band,
    attending_people,
    attends,
    clean_headcount,
    is_recordable,
    takes_headcount,
    takes_names,
)
from petitspas.families.models import Person

DAY = datetime.date(2026, 3, 11)


def test_parents_and_children_born_by_the_day_attend_an_expected_child_never():
    born = Person(role=Person.Role.CHILD, birth_date=DAY)
    later = Person(role=Person.Role.CHILD, birth_date=DAY + datetime.timedelta(days=1))
    parent = Person(role=Person.Role.PARENT)
    expected = Person(role=Person.Role.EXPECTED_CHILD, due_date=DAY)

    assert attending_people([parent, born, later, expected], on=DAY) == [parent, born]
    assert not attends(role=Person.Role.EXPECTED_CHILD, birth_date=None, on=DAY)


@pytest.mark.parametrize(
    ("months", "band"),
    [
        (0, "children_under_1"),
        (11, "children_under_1"),
        (12, "children_1_3"),
        (35, "children_1_3"),
        (36, "children_3_6"),
        (71, "children_3_6"),
        (72, "children_other"),
        (None, "children_other"),
    ],
)
def test_age_bands_of_the_headcount(months, band):
    assert age_band(months) == band


def test_open_sessions_take_a_headcount_and_the_others_names():
    for mode in RegistrationMode.values:
        activity = SimpleNamespace(is_anonymous=mode == RegistrationMode.OPEN)
        assert takes_headcount(activity) is (mode == RegistrationMode.OPEN)
        assert takes_names(activity) is not takes_headcount(activity)


def test_a_session_is_recorded_from_its_day_and_never_once_cancelled():
    planned, cancelled = Session.Status.PLANNED, Session.Status.CANCELLED
    assert is_recordable(status=planned, date=DAY, today=DAY)
    assert not is_recordable(status=planned, date=DAY + datetime.timedelta(days=1), today=DAY)
    assert not is_recordable(status=cancelled, date=DAY, today=DAY)


def test_headcount_counters_are_whole_numbers_up_to_the_maximum():
    assert clean_headcount({"adults": MAX_COUNT})["adults"] == MAX_COUNT
    assert clean_headcount({"adults": 2})["children_1_3"] == 0
    for wrong in ({"adults": MAX_COUNT + 1}, {"adults": -1}, {"adults": "3"}, {"cats": 1}):
        with pytest.raises(ValidationError):
            clean_headcount(wrong)
