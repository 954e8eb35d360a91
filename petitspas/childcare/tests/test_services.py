import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from petitspas.childcare import services
from petitspas.childcare.models import (
    Enrolment,
    Referral,
    ReferralTransition,
    State,
    is_of_age,
)
from petitspas.childcare.tests.conftest import MONDAY
from petitspas.core.models import AuditEntry
from petitspas.families.models import Household, Person

pytestmark = pytest.mark.django_db


def refer(agency, programme, children, **overrides):
    values = {
        "programme": programme,
        "prescriber_organisation": agency.organisation,
        "parent_first_name": "Amina",
        "contact_phone": "06 12 34 56 78",
        "pathway": "france_travail",
        "adviser_name": "Julien Fabre",
        "needed_from": MONDAY,
        "needs": "Mardis matin : atelier PLIE.",
        "children": [{"first_name": n, "birth_date": b} for n, b in children],
        "by": agency.prescriber,
    }
    values.update(overrides)
    return services.referral_create(**values)


def test_age_rule_has_the_seeds_bounds():
    born = datetime.date(2024, 12, 10)
    assert not is_of_age(born, datetime.date(2025, 3, 9))  # 2 months and 27 days
    assert is_of_age(born, datetime.date(2025, 3, 10))  # 3 months exactly
    assert is_of_age(born, datetime.date(2027, 12, 9))  # the day before turning 3
    assert not is_of_age(born, datetime.date(2027, 12, 10))  # 3 years
    assert not is_of_age(born, datetime.date(2027, 12, 11))  # 3 years and 1 day


def test_a_prescriber_refers_a_parent_and_a_child(agency, lunel):
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(months=14))])
    assert referral.state == State.NEW
    assert [c.first_name for c in referral.children.all()] == ["Lina"]
    assert ReferralTransition.objects.get(referral=referral).to_state == State.NEW
    entry = AuditEntry.objects.get(action="referral.create")
    assert entry.organisation == lunel.organisation
    assert "Amina" not in str(entry.details)


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        (
            MONDAY - relativedelta(months=2),
            "aura 2 mois le 10 mars 2025 : Les Petits Pas "
            "accueillent les enfants à partir de 3 mois.",
        ),
        (
            MONDAY - relativedelta(years=3, days=1),
            "aura 3 ans le 10 mars 2025 : Les Petits "
            "Pas accueillent les enfants jusqu'à leurs 3 ans.",
        ),
        (MONDAY - relativedelta(years=3), "jusqu'à leurs 3 ans."),
    ],
)
def test_a_child_out_of_age_is_refused_and_nothing_is_saved(agency, lunel, birth_date, message):
    with pytest.raises(ValidationError) as error:
        refer(
            agency,
            lunel.programme,
            [("Noé", MONDAY - relativedelta(years=1)), ("Lina", birth_date)],
        )
    assert any(message in m for m in error.value.message_dict["children"])
    assert error.value.message_dict["children"][0].startswith("Lina aura")
    assert not Referral.objects.exists()


def test_the_youngest_and_oldest_children_accepted(agency, lunel):
    referral = refer(
        agency,
        lunel.programme,
        [
            ("Bébé", MONDAY - relativedelta(months=3)),
            ("Grand", MONDAY - relativedelta(years=3) + datetime.timedelta(days=1)),
        ],
    )
    assert referral.children.count() == 2


def test_a_referral_without_a_child_or_a_contact_is_refused(agency, lunel):
    with pytest.raises(ValidationError) as error:
        refer(agency, lunel.programme, [], contact_phone="", contact_email="")
    assert error.value.message_dict["children"] == [services.NO_CHILD]
    assert error.value.message_dict["contact_phone"] == [services.NO_CONTACT]
    assert not Referral.objects.exists()


def test_a_need_in_the_past_is_refused(agency, lunel):
    with pytest.raises(ValidationError) as error:
        refer(
            agency,
            lunel.programme,
            [("Lina", MONDAY - relativedelta(years=1))],
            needed_from=MONDAY - datetime.timedelta(days=1),
        )
    assert error.value.message_dict["needed_from"] == [services.PAST_NEED]


def test_only_a_prescriber_of_a_linked_organisation_refers(agency, lunel, alice, prescriber):
    child = [("Lina", MONDAY - relativedelta(years=1))]
    # The conftest's prescriber belongs to an agency not linked to Les Petits Pas.
    with pytest.raises(PermissionDenied):
        refer(agency, lunel.programme, child, by=prescriber)
    with pytest.raises(PermissionDenied):
        refer(agency, lunel.programme, child, by=lunel.coordinator)
    with pytest.raises(PermissionDenied):
        refer(agency, alice.programme, child)


def accepted(referral, coordinator, **overrides):
    services.referral_start_review(referral=referral, by=coordinator)
    values = {
        "referral": referral,
        "starts_on": MONDAY + datetime.timedelta(days=7),
        "settling_in_until": MONDAY + datetime.timedelta(days=11),
        "reference_week": ["1am", "3am"],
        "by": coordinator,
    }
    values.update(overrides)
    return services.referral_accept(**values)


def test_acceptance_creates_the_family_file_and_the_enrolment(
    agency, lunel, django_capture_on_commit_callbacks
):
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(months=14))])
    with django_capture_on_commit_callbacks(execute=True):
        referral = accepted(referral, lunel.coordinator)
    assert referral.state == State.ACCEPTED
    household = Household.objects.get(pk=referral.household_id)
    assert household.organisation == lunel.organisation
    people = {(p.role, p.first_name) for p in Person.objects.filter(household=household)}
    assert people == {("parent", "Amina"), ("child", "Lina")}
    enrolment = Enrolment.objects.get(referral=referral)
    assert enrolment.child.first_name == "Lina"
    assert enrolment.starts_on == datetime.date(2025, 3, 17)
    assert enrolment.settling_in_until == datetime.date(2025, 3, 21)
    assert enrolment.reference_week == ["1am", "3am"]
    assert [t.to_state for t in referral.transitions.all()] == ["new", "under_review", "accepted"]
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "referral.review",
        "referral.accept",
        "enrolment.create",
        "household.create",
    }
    [message] = mail.outbox
    assert message.to == ["conseil@ft-lunel.fr"]
    assert message.subject == "Orientation acceptée : Amina et son enfant sont inscrits"
    assert "Lina est inscrit(e) à partir du 17 mars 2025" in message.body
    assert "/accueil-enfants/lien/" in message.body


def test_acceptance_checks_the_age_on_the_start_date(agency, lunel):
    # 2 years 11 months on the referral's day, 3 years by the start chosen.
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(years=3, days=-20))])
    with pytest.raises(ValidationError) as error:
        accepted(
            referral,
            lunel.coordinator,
            starts_on=MONDAY + datetime.timedelta(days=30),
            settling_in_until=MONDAY + datetime.timedelta(days=30),
        )
    assert "jusqu'à leurs 3 ans" in error.value.message_dict["starts_on"][0]
    referral.refresh_from_db()
    assert referral.state == State.UNDER_REVIEW
    assert not Enrolment.objects.exists() and not Household.objects.exists()


def test_friday_afternoon_is_not_a_reference_half_day(agency, lunel):
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(years=1))])
    with pytest.raises(ValidationError) as error:
        accepted(referral, lunel.coordinator, reference_week=["4pm"])
    assert error.value.message_dict["reference_week"] == [services.UNKNOWN_HALF_DAY]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ((), State.ACCEPTED),
        ((), State.REFUSED),
        ((), State.ENDED),
        (("review", "refuse"), State.ACCEPTED),
        (("review", "refuse"), State.ENDED),
        (("review", "wait"), State.UNDER_REVIEW),
    ],
)
def test_illegal_transitions_are_refused_in_french(agency, lunel, path, target):
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(years=1))])
    by = lunel.coordinator
    steps = {
        "review": lambda r: services.referral_start_review(referral=r, by=by),
        "refuse": lambda r: services.referral_refuse(referral=r, reason="no_place", by=by),
        "wait": lambda r: services.referral_wait(referral=r, by=by),
    }
    for step in path:
        referral = steps[step](referral)
    before = referral.transitions.count()
    calls = {
        State.ACCEPTED: lambda: accepted_only(referral, by),
        State.REFUSED: lambda: services.referral_refuse(referral=referral, reason="other", by=by),
        State.ENDED: lambda: services.referral_end(referral=referral, reason="moved_away", by=by),
        State.UNDER_REVIEW: lambda: services.referral_start_review(referral=referral, by=by),
    }
    with pytest.raises(ValidationError) as error:
        calls[target]()
    assert "ne peut pas passer à l'état" in error.value.messages[0]
    assert referral.transitions.count() == before


def accepted_only(referral, by):
    return services.referral_accept(
        referral=referral, starts_on=MONDAY, settling_in_until=MONDAY, by=by
    )


def test_a_refusal_carries_its_reason_and_says_if_it_is_shared(
    agency, lunel, django_capture_on_commit_callbacks
):
    first = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(years=1))])
    second = refer(agency, lunel.programme, [("Noé", MONDAY - relativedelta(years=2))])
    by = lunel.coordinator
    with django_capture_on_commit_callbacks(execute=True):
        for referral, shared in ((first, True), (second, False)):
            services.referral_start_review(referral=referral, by=by, note="Appel mardi")
            services.referral_refuse(
                referral=referral, reason="no_place", reason_shared=shared, note="Interne", by=by
            )
    shared_mail, private_mail = mail.outbox
    assert "Motif : Plus de place sur les demi-journées demandées." in shared_mail.body
    assert "Plus de place" not in private_mail.body
    assert "pas indiqué de motif partagé" in private_mail.body
    assert "Interne" not in shared_mail.body + private_mail.body
    transition = second.transitions.get(to_state=State.REFUSED)
    assert (transition.by, transition.reason, transition.reason_shared) == (by, "no_place", False)


def test_a_refusal_needs_a_known_reason(agency, lunel):
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(years=1))])
    services.referral_start_review(referral=referral, by=lunel.coordinator)
    with pytest.raises(ValidationError) as error:
        services.referral_refuse(referral=referral, reason="", by=lunel.coordinator)
    assert error.value.message_dict["reason"] == [services.UNKNOWN_REFUSAL]


def test_ending_closes_the_enrolment_with_its_reason(agency, lunel, travel):
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(years=1))])
    referral = accepted(referral, lunel.coordinator)
    travel(datetime.date(2025, 6, 2))
    services.referral_end(referral=referral, reason="end_of_pathway", by=lunel.coordinator)
    referral.refresh_from_db()
    assert (referral.state, referral.end_reason) == (State.ENDED, "end_of_pathway")
    assert Enrolment.objects.get().ends_on == datetime.date(2025, 6, 2)
    with pytest.raises(ValidationError):
        services.referral_end(referral=referral, reason="nope", by=lunel.coordinator)


def test_only_the_programmes_coordinators_decide(agency, lunel, alice):
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(years=1))])
    for user in (agency.prescriber, lunel.professional, alice.coordinator):
        with pytest.raises(PermissionDenied):
            services.referral_start_review(referral=referral, by=user)
    services.referral_start_review(referral=referral, by=lunel.admin)


def test_overdue_after_30_days(agency, lunel, travel):
    referral = refer(agency, lunel.programme, [("Lina", MONDAY - relativedelta(years=1))])
    travel(MONDAY + datetime.timedelta(days=29))
    assert not Referral.objects.overdue().exists()
    travel(MONDAY + datetime.timedelta(days=30))
    assert list(Referral.objects.overdue()) == [referral]
    services.referral_start_review(referral=referral, by=lunel.coordinator)
    # Under review is not a decision: still flagged.
    assert Referral.objects.overdue().count() == 1
    services.referral_wait(referral=referral, by=lunel.coordinator)
    assert not Referral.objects.overdue().exists()


def test_a_coordinator_links_and_invites_a_prescriber(lunel, alice):
    from petitspas.childcare.tests.factories import PrescriberOrganisationFactory
    from petitspas.organisations.services import member_invite

    apije = PrescriberOrganisationFactory(name="APIJE", prescriber_kind="apije")
    kwargs = {"organisation": apije, "email": "c@apije.fr", "first_name": "C", "last_name": "D"}
    with pytest.raises(PermissionDenied):
        member_invite(**kwargs, role="prescriber", by=lunel.coordinator)
    services.prescriber_link(programme=lunel.programme, organisation=apije, by=lunel.coordinator)
    with pytest.raises(ValidationError):
        services.prescriber_link(
            programme=lunel.programme, organisation=apije, by=lunel.coordinator
        )
    with pytest.raises(PermissionDenied):
        services.prescriber_link(
            programme=lunel.programme, organisation=apije, by=alice.coordinator
        )
    # Only the prescriber role, and only by the programme's planners.
    with pytest.raises(PermissionDenied):
        member_invite(**kwargs, role="admin", by=lunel.coordinator)
    with pytest.raises(PermissionDenied):
        member_invite(**kwargs, role="prescriber", by=lunel.professional)
    membership = member_invite(**kwargs, role="prescriber", by=lunel.coordinator)
    assert membership.role == "prescriber" and membership.organisation == apije
    with pytest.raises(ValidationError):
        services.prescriber_link(
            programme=lunel.programme, organisation=alice.organisation, by=lunel.coordinator
        )
