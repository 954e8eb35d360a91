import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from petitspas.activities.models import Session
from petitspas.attendance import services
from petitspas.attendance.models import (
    Attendance,
    Headcount,
    Observation,
    Submission,
    Theme,
)
from petitspas.attendance.services import SheetChanged, attendance_record
from petitspas.attendance.tests.factories import expect, family
from petitspas.core.models import AuditEntry
from petitspas.families.models import Household
from petitspas.privacy.services import household_anonymise

PRESENT, EXCUSED, NO_SHOW = Attendance.Status


def record(session, by, **kwargs):
    """Save as the field sheet does: the households marked are on the sheet (registered,
    as on a workshop's list), and walk-ins come with the code the family gave."""
    kwargs.setdefault("marks", {})
    kwargs.setdefault("client_id", uuid.uuid4())
    walk_ins = set(kwargs.get("walk_ins", ()))
    on_sheet = Household.objects.filter(
        pk__in=set(kwargs["marks"]) - walk_ins,
        organisation_id=session.organisation_id,
    ).exclude(registrations__session=session)
    expect(session, *on_sheet)
    codes = dict(Household.objects.filter(pk__in=walk_ins).values_list("pk", "code"))
    kwargs.setdefault("codes", codes)
    return attendance_record(session=session, by=by, **kwargs)


def nothing_saved(session):
    return (
        not Attendance.objects.filter(session=session).exists()
        and not Headcount.objects.filter(session=session).exists()
        and not Observation.objects.filter(session=session).exists()
        and not Submission.objects.filter(session=session).exists()
    )


def test_one_attendance_per_parent_and_child_never_the_expected_child(alice, named_session):
    household = family(
        alice.organisation, "F-0001", children=["Moussa"], under_1=["Inès"], expected=True
    )

    record(named_session, alice.professional, marks={household.pk: PRESENT})

    rows = Attendance.objects.filter(session=named_session)
    assert sorted(rows.values_list("person__first_name", flat=True)) == ["Awa", "Inès", "Moussa"]
    assert {(r.household_id, r.status, r.is_walk_in) for r in rows} == {
        (household.pk, PRESENT, False)
    }
    assert all(r.recorded_by == alice.professional for r in rows)


def test_a_child_born_after_a_session_recorded_late_is_not_named(alice, named_session):
    household = family(alice.organisation, "F-0001", children=["Moussa"])
    baby = household.people.create(
        role="child",
        first_name="Inès",
        birth_date=named_session.date + datetime.timedelta(days=1),
    )

    record(named_session, alice.professional, marks={household.pk: PRESENT})

    named = set(Attendance.objects.filter(session=named_session).values_list("person", flat=True))
    assert baby.pk not in named
    assert len(named) == 2


def test_same_client_id_twice_counts_once(alice, named_session):
    households = [family(alice.organisation, f"F-{n:04d}") for n in range(3)]
    client_id = uuid.uuid4()
    arguments = {
        "marks": {h.pk: PRESENT for h in households},
        "observation": ("Beaucoup de questions sur le sommeil.", [Theme.SLEEP]),
        "client_id": client_id,
    }

    first = record(named_session, alice.professional, **arguments)
    second = record(named_session, alice.professional, **arguments)

    assert not first.replayed
    assert second.replayed
    assert second.submission == first.submission
    assert Submission.objects.filter(client_id=client_id).count() == 1
    assert Attendance.objects.filter(session=named_session).count() == 6
    assert Observation.objects.filter(session=named_session).count() == 1
    assert AuditEntry.objects.filter(action="attendance.record").count() == 1


def test_a_racing_double_tap_is_recognised_by_the_unique_id(alice, named_session, monkeypatch):
    household = family(alice.organisation, "F-0001")
    client_id = uuid.uuid4()
    record(named_session, alice.professional, marks={household.pk: PRESENT}, client_id=client_id)
    # The second request checked before the first one committed.
    monkeypatch.setattr(services, "_previous_submission", lambda client_id: None)

    again = record(
        named_session, alice.professional, marks={household.pk: NO_SHOW}, client_id=client_id
    )

    assert again.replayed
    assert set(Attendance.objects.values_list("status", flat=True)) == {PRESENT}


def test_a_client_id_of_another_session_is_refused(alice, named_session, open_session):
    client_id = uuid.uuid4()
    record(open_session, alice.professional, headcount={"adults": 2}, client_id=client_id)
    household = family(alice.organisation, "F-0001")

    with pytest.raises(ValidationError, match="autre séance"):
        record(
            named_session, alice.professional, marks={household.pk: PRESENT}, client_id=client_id
        )


def test_walk_ins_are_flagged_and_present_unless_marked_otherwise(alice, named_session):
    registered = family(alice.organisation, "F-0001")
    walk_in = family(alice.organisation, "F-0002", parent="Zoé", children=[])
    record(
        named_session,
        alice.professional,
        marks={registered.pk: PRESENT},
        walk_ins=[walk_in.pk],
    )

    assert dict(
        Attendance.objects.filter(session=named_session).values_list(
            "household__code", "is_walk_in"
        )
    ) == {"F-0001": False, "F-0002": True}
    assert Attendance.objects.get(household=walk_in).status == PRESENT


def test_a_second_save_changes_the_marks_instead_of_adding_rows(alice, named_session):
    household = family(alice.organisation, "F-0001")
    record(named_session, alice.professional, marks={household.pk: PRESENT})

    record(named_session, alice.coordinator, marks={household.pk: EXCUSED})

    rows = Attendance.objects.filter(session=named_session)
    assert rows.count() == 2
    assert {(r.status, r.recorded_by) for r in rows} == {(EXCUSED, alice.coordinator)}


def test_headcount_is_set_not_added(alice, open_session):
    record(
        open_session,
        alice.professional,
        headcount={"adults": 5, "children_under_1": 2, "children_1_3": 3, "first_visits": 1},
    )
    record(open_session, alice.professional, headcount={"adults": 4, "children_1_3": 3})

    headcount = Headcount.objects.get(session=open_session)
    assert (headcount.adults, headcount.children_under_1, headcount.children_1_3) == (4, 0, 3)
    assert headcount.first_visits == 0
    assert headcount.people == 7
    assert Headcount.objects.count() == 1


@pytest.mark.parametrize(
    ("headcount", "message"),
    [
        ({"adults": -1}, "« Adultes » ne peut pas être négatif"),
        ({"children_3_6": 5000}, "semble trop grand"),
        ({"adults": "3"}, "doit être un nombre entier"),
        ({"grandparents": 2}, "Compteur inconnu"),
    ],
)
def test_bad_headcount_is_refused_and_nothing_is_saved(alice, open_session, headcount, message):
    with pytest.raises(ValidationError, match=message):
        record(open_session, alice.professional, headcount={"children_1_3": 3, **headcount})

    assert nothing_saved(open_session)


def test_unknown_status_is_refused(alice, named_session):
    household = family(alice.organisation, "F-0001")

    with pytest.raises(ValidationError, match="Présence inconnue : « late »"):
        record(named_session, alice.professional, marks={household.pk: "late"})

    assert nothing_saved(named_session)


def test_a_household_of_another_organisation_is_refused(alice, bob, named_session):
    ours = family(alice.organisation, "F-0001")
    theirs = family(bob.organisation, "L-0001")

    with pytest.raises(ValidationError, match="n'appartient pas à l'organisation"):
        record(named_session, alice.professional, marks={ours.pk: PRESENT, theirs.pk: PRESENT})

    assert nothing_saved(named_session)


def test_an_anonymised_household_is_refused_and_its_past_rows_stay(alice, named_session):
    ours = family(alice.organisation, "F-0001")
    gone = family(alice.organisation, "F-0002")
    household_anonymise(household=gone, by=alice.admin)

    with pytest.raises(ValidationError, match="a été anonymisée"):
        record(named_session, alice.professional, marks={ours.pk: PRESENT, gone.pk: PRESENT})

    assert nothing_saved(named_session)


def test_a_household_with_nobody_to_mark_is_refused(alice, named_session):
    empty = family(alice.organisation, "F-0001", parent="", children=[])
    empty.people.all().delete()

    with pytest.raises(ValidationError, match="F-0001 n'a ni parent ni enfant"):
        record(named_session, alice.professional, marks={empty.pk: PRESENT})


def test_an_open_session_takes_no_names(alice, open_session):
    household = family(alice.organisation, "F-0001")

    with pytest.raises(ValidationError, match="anonyme"):
        record(open_session, alice.professional, marks={household.pk: PRESENT})

    assert nothing_saved(open_session)


def test_observation_is_dated_by_the_session_with_its_themes(alice, named_session):
    record(
        named_session,
        alice.professional,
        observation=("  Un papa isolé, beaucoup d'écrans.  ", [Theme.FATHER, Theme.SCREENS]),
    )

    observation = Observation.objects.get(session=named_session)
    assert observation.text == "Un papa isolé, beaucoup d'écrans."
    assert observation.observed_on == named_session.date
    assert observation.theme_labels() == ["Place du père", "Écrans"]
    assert observation.author == alice.professional


@pytest.mark.parametrize(
    ("observation", "message"),
    [
        (("Texte", ["astrology"]), "Thème inconnu : « astrology »"),
        (("", [Theme.SLEEP]), "Écrivez l'observation avant de choisir ses thèmes"),
    ],
)
def test_bad_observation_is_refused(alice, named_session, observation, message):
    with pytest.raises(ValidationError, match=message):
        record(named_session, alice.professional, observation=observation)

    assert nothing_saved(named_session)


def test_nothing_to_save_is_said(alice, named_session):
    with pytest.raises(ValidationError, match="Rien à enregistrer"):
        record(named_session, alice.professional)


def test_cancelled_and_future_sessions_are_refused(alice, named_session):
    household = family(alice.organisation, "F-0001")
    Session.objects.filter(pk=named_session.pk).update(
        date=timezone.localdate() + datetime.timedelta(days=1)
    )
    named_session.refresh_from_db()
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        record(named_session, alice.professional, marks={household.pk: PRESENT})

    named_session.date = timezone.localdate()
    named_session.status = Session.Status.CANCELLED
    with pytest.raises(ValidationError, match="annulée"):
        record(named_session, alice.professional, marks={household.pk: PRESENT})


@pytest.mark.parametrize("role", ["professional", "coordinator", "admin"])
def test_staff_admin_and_coordinator_may_record(alice, named_session, role):
    """The professional staffs the session; the admin and the coordinator do not."""
    user = getattr(alice, role)
    household = family(alice.organisation, "F-0001")

    record(named_session, user, marks={household.pk: PRESENT})

    rows = Attendance.objects.filter(session=named_session)
    assert {(r.household_id, r.status, r.recorded_by) for r in rows} == {
        (household.pk, PRESENT, user)
    }
    assert Submission.objects.filter(session=named_session).count() == 1


def test_professional_not_staffing_funder_and_other_organisation_may_not(
    alice, bob, funder, named_session
):
    household = family(alice.organisation, "F-0001")
    named_session.staff.clear()

    for user in (alice.professional, funder, bob.admin, bob.coordinator, bob.professional):
        with pytest.raises(PermissionDenied):
            record(named_session, user, marks={household.pk: PRESENT})
    assert nothing_saved(named_session)


def test_the_save_is_logged_without_names(alice, named_session):
    present = family(alice.organisation, "F-0001")
    excused = family(alice.organisation, "F-0002")
    client_id = uuid.uuid4()

    record(
        named_session,
        alice.professional,
        marks={present.pk: PRESENT, excused.pk: EXCUSED},
        client_id=client_id,
    )

    entry = AuditEntry.objects.get(action="attendance.record")
    assert entry.actor == alice.professional
    assert entry.organisation == alice.organisation
    assert entry.target_id == str(named_session.pk)
    assert entry.details["client_id"] == str(client_id)
    assert entry.details["households"] == {"present": 1, "excused": 1, "no_show": 0}
    assert "Awa" not in str(entry.details)


def test_walk_in_creation_with_the_same_client_id_gives_back_the_same_family(alice, named_session):
    client_id = uuid.uuid4()

    first = services.walk_in_household_create(
        session=named_session, first_name="Yanis", client_id=client_id, by=alice.professional
    )
    again = services.walk_in_household_create(
        session=named_session, first_name="Yanis", client_id=client_id, by=alice.professional
    )

    assert again == first
    assert first.people.get().first_name == "Yanis"
    assert Submission.objects.get(client_id=client_id).household == first


def test_walk_in_creation_needs_the_right_to_record(alice, named_session, funder):
    with pytest.raises(PermissionDenied):
        services.walk_in_household_create(
            session=named_session, first_name="Yanis", client_id=uuid.uuid4(), by=funder
        )


def test_no_family_is_named_at_an_anonymous_session(alice, open_session):
    with pytest.raises(ValidationError, match="anonyme"):
        services.walk_in_household_create(
            session=open_session, first_name="Noé", client_id=uuid.uuid4(), by=alice.professional
        )
    assert not Household.objects.exists()


def test_a_walk_in_id_cannot_be_replayed_as_a_sheet_save(alice, named_session):
    client_id = uuid.uuid4()
    services.walk_in_household_create(
        session=named_session, first_name="Yanis", client_id=client_id, by=alice.professional
    )
    household = family(alice.organisation, "F-0001")

    with pytest.raises(ValidationError, match="autre séance"):
        record(
            named_session, alice.professional, marks={household.pk: PRESENT}, client_id=client_id
        )


def test_rows_a_colleague_wrote_after_the_checks_are_overwritten_not_a_failure(
    alice, named_session, monkeypatch
):
    """Her save lands between this one's checks and its writes (impossible on PostgreSQL
    once the session is locked, but the writes must not depend on it): both succeed, and
    this save, the last one, stands."""
    households = [family(alice.organisation, f"F-{n:04d}") for n in range(2)]
    people_by_household = services._people_by_household
    landed = []

    def colleague_saves_first(session, household_ids, **kwargs):
        if not landed:
            landed.append("her save")  # before it: her save passes here too
            record(
                session,
                alice.coordinator,
                marks={h.pk: EXCUSED for h in households},
            )
        return people_by_household(session, household_ids, **kwargs)

    monkeypatch.setattr(services, "_people_by_household", colleague_saves_first)

    mine = record(
        named_session,
        alice.professional,
        marks={h.pk: PRESENT for h in households},
    )

    assert landed and not mine.replayed
    rows = Attendance.objects.filter(session=named_session)
    assert rows.count() == 4
    assert {(r.status, r.recorded_by) for r in rows} == {(PRESENT, alice.professional)}
    assert Submission.objects.filter(session=named_session).count() == 2


def test_the_sheet_version_is_its_last_save_and_a_walk_in_does_not_change_it(alice, named_session):
    household = family(alice.organisation, "F-0001")
    assert Submission.objects.sheet_version(named_session) == ""

    first = record(named_session, alice.professional, marks={household.pk: PRESENT})
    services.walk_in_household_create(
        session=named_session, first_name="Yanis", client_id=uuid.uuid4(), by=alice.professional
    )

    assert Submission.objects.sheet_version(named_session) == str(first.submission.client_id)
    second = record(named_session, alice.coordinator, marks={household.pk: EXCUSED})
    assert Submission.objects.sheet_version(named_session) == str(second.submission.client_id)


def test_a_save_based_on_a_version_saved_over_since_is_refused(alice, named_session):
    household = family(alice.organisation, "F-0001")
    hers = record(named_session, alice.coordinator, marks={household.pk: EXCUSED}, based_on="")

    with pytest.raises(SheetChanged, match="Une collègue a enregistré cette feuille"):
        record(named_session, alice.professional, marks={household.pk: PRESENT}, based_on="")

    assert set(Attendance.objects.values_list("status", flat=True)) == {EXCUSED}
    assert Submission.objects.count() == 1
    version = str(hers.submission.client_id)
    record(named_session, alice.professional, marks={household.pk: PRESENT}, based_on=version)
    assert set(Attendance.objects.values_list("status", flat=True)) == {PRESENT}


def test_a_resent_save_is_a_replay_whatever_version_it_was_based_on(alice, named_session):
    household = family(alice.organisation, "F-0001")
    arguments = {"marks": {household.pk: PRESENT}, "client_id": uuid.uuid4(), "based_on": ""}
    record(named_session, alice.professional, **arguments)

    again = record(named_session, alice.professional, **arguments)

    assert again.replayed


def test_a_save_without_a_version_is_not_checked(alice, named_session):
    household = family(alice.organisation, "F-0001")
    record(named_session, alice.coordinator, marks={household.pk: EXCUSED})

    record(named_session, alice.professional, marks={household.pk: PRESENT}, based_on=None)

    assert set(Attendance.objects.values_list("status", flat=True)) == {PRESENT}
