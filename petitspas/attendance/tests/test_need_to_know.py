"""Need-to-know on the field sheet (issue 13): a household reaches a session's sheet only
when it is expected there, when the user may open its file, or when the request carries
its whole code. Anything else is refused alike, logged, and lists nothing."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from petitspas.attendance.models import Attendance, Headcount, Submission
from petitspas.attendance.selectors import (
    households_admitted_among,
    households_admitted_at,
    households_expected_at,
)
from petitspas.attendance.services import REFUSED_HOUSEHOLD, attendance_record
from petitspas.attendance.tests.factories import AttendanceFactory, expect, family
from petitspas.core.models import AuditEntry
from petitspas.families.models import Household

PRESENT = Attendance.Status.PRESENT


def record_url(session):
    return reverse("attendance:session-record", kwargs={"session_pk": session.pk})


@pytest.fixture
def town(alice, bob):
    """Organisation A's households: one registered at the session, one met by the
    professional elsewhere (created by her), one never met; and one of organisation B."""
    registered = family(alice.organisation, "F-REG01", parent="Régine")
    met = family(alice.organisation, "F-MET01", parent="Mériem")
    Household.objects.filter(pk=met.pk).update(created_by=alice.professional)
    unmet = family(alice.organisation, "F-UNMET", parent="Ursule")
    foreign = family(bob.organisation, "L-FOR01", parent="Fatou")
    return {"registered": registered, "met": met, "unmet": unmet, "foreign": foreign}


def refusals():
    return AuditEntry.objects.filter(action="attendance.household_refused")


def test_posting_every_id_as_walk_ins_lists_no_household_the_user_may_not_open(
    client, alice, named_session, town
):
    expect(named_session, town["registered"])
    client.force_login(alice.professional)
    ids = [str(pk) for pk in range(1, max(Household.objects.values_list("pk", flat=True)) + 50)]

    for action in ("search", "add-1", "save"):
        response = client.post(
            record_url(named_session),
            {"client_id": str(uuid.uuid4()), "walk_in": ids, "action": action, "q": "x"},
        )
        body = response.content.decode()
        assert response.status_code == 200, action
        assert "F-UNMET" not in body and "Ursule" not in body, action
        assert "L-FOR01" not in body and "Fatou" not in body, action
        assert "F-REG01" in body  # the sheet's own list is still there
        assert "ne vous est pas connue" in body, action

    assert not Attendance.objects.exists()
    assert refusals().count() == 3
    logged = refusals().first()
    assert town["unmet"].pk in logged.details["households"]
    assert town["met"].pk not in logged.details["households"]
    assert "Ursule" not in str(logged.details)


def test_an_unknown_id_and_an_unmet_household_get_the_same_answer(
    client, alice, named_session, town
):
    client.force_login(alice.professional)

    def save_walk_in(pk):
        data = {"client_id": str(uuid.uuid4()), "walk_in": [str(pk)], f"status-{pk}": PRESENT}
        response = client.post(record_url(named_session), data | {"action": "save"})
        body = response.content.decode()
        # What a reader of the answer learns: the rows listed and the message given.
        rows = re.findall(r'data-household="(\d+)"', body)
        return response.status_code, rows, REFUSED_HOUSEHOLD.replace("'", "&#x27;") in body

    unmet = save_walk_in(town["unmet"].pk)
    unknown = save_walk_in(999_999)
    foreign = save_walk_in(town["foreign"].pk)
    huge = save_walk_in(2**70)

    assert unmet == unknown == foreign == huge == (200, [], True)
    assert not Attendance.objects.exists()
    assert refusals().count() == 4


def test_a_walk_in_with_its_whole_code_is_added_and_saved_then_met(
    client, alice, named_session, town
):
    unmet = town["unmet"]
    client.force_login(alice.professional)
    sheet = {"client_id": str(uuid.uuid4())}

    searched = client.post(record_url(named_session), sheet | {"action": "search", "q": "f-unmet"})
    added = client.post(record_url(named_session), sheet | {"action": f"add-{unmet.pk}-F-UNMET"})
    saved = client.post(
        record_url(named_session),
        sheet
        | {
            "action": "save",
            "walk_in": [str(unmet.pk)],
            f"code-{unmet.pk}": "F-UNMET",
            f"status-{unmet.pk}": PRESENT,
        },
    )

    assert f'value="add-{unmet.pk}-F-UNMET"' in searched.content.decode()
    assert f'name="code-{unmet.pk}" value="F-UNMET"' in added.content.decode()
    assert saved.status_code == 302
    assert Attendance.objects.filter(household=unmet, is_walk_in=True).count() == 2
    assert Household.objects.visible_to(alice.professional).filter(pk=unmet.pk).exists()
    assert not refusals().exists()


@pytest.mark.parametrize("code", ["", "F-UNME", "F-UNMETX", "F-MET01"])
def test_a_walk_in_with_a_wrong_or_partial_code_is_refused(
    client, alice, named_session, town, code
):
    unmet = town["unmet"]
    client.force_login(alice.professional)

    response = client.post(
        record_url(named_session),
        {"client_id": str(uuid.uuid4()), "action": f"add-{unmet.pk}-{code}"},
    )

    assert "F-UNMET" not in response.content.decode()
    assert refusals().get().details["households"] == [unmet.pk]


def test_a_prefix_search_never_finds_a_household_never_met(client, alice, named_session, town):
    client.force_login(alice.professional)
    url = reverse("attendance:household-search", kwargs={"session_pk": named_session.pk})

    partial = client.get(url, {"q": "F-UNM"}).content.decode()
    whole = client.get(url, {"q": "f-unmet"}).content.decode()
    by_name = client.get(url, {"q": "Ursule"}).content.decode()

    assert "F-UNMET" not in partial and "F-UNMET" not in by_name
    assert "F-UNMET" in whole


def test_a_coordinator_may_add_any_household_of_her_organisation(alice, named_session, town):
    attendance_record(
        session=named_session,
        marks={town["unmet"].pk: PRESENT},
        walk_ins=[town["unmet"].pk],
        client_id=uuid.uuid4(),
        by=alice.coordinator,
    )

    assert Attendance.objects.filter(household=town["unmet"]).exists()


def test_the_service_refuses_an_unmet_household_and_logs_it(alice, named_session, town):
    expect(named_session, town["registered"])

    with pytest.raises(ValidationError) as refused:
        attendance_record(
            session=named_session,
            marks={town["registered"].pk: PRESENT, town["unmet"].pk: PRESENT},
            client_id=uuid.uuid4(),
            by=alice.professional,
        )

    assert refused.value.messages == [REFUSED_HOUSEHOLD]
    assert not Attendance.objects.exists() and not Submission.objects.exists()
    assert refusals().get().details["households"] == [town["unmet"].pk]


def test_expected_households_are_the_registered_the_regulars_and_the_recorded(
    alice, named_session, town
):
    expect(named_session, town["registered"])
    parent = town["unmet"].people.get(role="parent")
    AttendanceFactory(session=named_session, person=parent)

    expected = set(households_expected_at(named_session))

    assert expected == {town["registered"], town["unmet"]}


def test_admitted_households_never_cross_organisations(alice, bob, named_session, town):
    codes = {town["foreign"].pk: "L-FOR01"}

    admitted = households_admitted_at(user=alice.admin, session=named_session, codes=codes)

    assert town["foreign"] not in admitted
    assert town["unmet"] in admitted  # an admin may open every file of her organisation


def test_a_named_session_takes_no_anonymous_headcount(alice, named_session, town):
    expect(named_session, town["registered"])

    with pytest.raises(ValidationError, match="nominative"):
        attendance_record(
            session=named_session,
            marks={town["registered"].pk: PRESENT},
            headcount={"adults": 9},
            client_id=uuid.uuid4(),
            by=alice.professional,
        )

    assert not Headcount.objects.exists() and not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["professional", "coordinator", "admin"])
def test_admitting_the_cheapest_rule_first_admits_what_the_whole_rule_admits(
    alice, bob, named_session, town, who
):
    """``households_admitted_among`` (the save's and the sheet's check) answers a whole code
    typed without a query and asks the expected households before the user's files: the
    same households as ``households_admitted_at``, code by code, whatever the case and
    spacing typed, a wrong code or another organisation's household."""
    expect(named_session, town["registered"])
    user = getattr(alice, who)
    other = family(alice.organisation, "F-ÉTÉ01", parent="Estelle")
    households = {h.pk: h.code for h in Household.objects.of_organisation(alice.organisation.pk)}
    typings = [
        {},
        {town["unmet"].pk: "f-unmet"},
        {town["unmet"].pk: "  F-UN MET "},
        {town["unmet"].pk: " F-UNMET  "},
        {town["unmet"].pk: "F-UNME"},
        {town["unmet"].pk: "F-REG01", town["registered"].pk: "F-UNMET"},
        {other.pk: "f-été01"},
        {other.pk: "F-ÉTÉ01"},
        {town["foreign"].pk: "L-FOR01"},
    ]
    for codes in typings:
        whole_rule = set(
            households_admitted_at(user=user, session=named_session, codes=codes)
            .filter(pk__in=list(households))
            .values_list("pk", flat=True)
        )

        admitted = households_admitted_among(
            user=user, session=named_session, households=households, codes=codes
        )

        assert admitted == whole_rule, codes
    if who == "professional":
        assert town["unmet"].pk not in admitted
        assert households_admitted_among(
            user=user,
            session=named_session,
            households=households,
            codes={town["unmet"].pk: " f-unmet"},
        ) == {town["registered"].pk, town["met"].pk, town["unmet"].pk}


def test_a_whole_code_typed_is_answered_without_asking_the_database(
    alice, named_session, town, django_assert_num_queries
):
    households = {town["unmet"].pk: "F-UNMET"}

    with django_assert_num_queries(0):
        admitted = households_admitted_among(
            user=alice.professional,
            session=named_session,
            households=households,
            codes={town["unmet"].pk: "f-unmet"},
        )

    assert admitted == {town["unmet"].pk}
