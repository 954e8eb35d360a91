"""A childcare referral holds the parent's first name and contact and the children's first
names: the family's rights and the retention rule reach it as they reach the file."""

import datetime
import io
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from petitspas.childcare import services as childcare
from petitspas.childcare.models import (
    Booking,
    ChildcareSlot,
    Referral,
    ReferralChild,
    RefusalReason,
    State,
    WaitingEntry,
)
from petitspas.childcare.tests.factories import ReferralFactory
from petitspas.core.models import AuditEntry
from petitspas.privacy.services import (
    household_anonymise,
    household_export,
    households_past_retention,
    referrals_anonymise_past_retention,
    referrals_past_retention,
)

MONDAY = datetime.date(2025, 3, 10)


@pytest.fixture
def accepted(bob, travel):
    """Amina, referred by France Travail to Les Petits Pas (organisation B) with Lina (14
    months) and Yanis (2 years), accepted on Monday 10 March 2025 with a note."""
    travel(MONDAY)
    referral = ReferralFactory(
        programme=bob.programme,
        parent_first_name="Amina",
        contact_phone="06 12 34 56 78",
        contact_email="amina@example.org",
        comment="Préfère être appelée le matin.",
        children=[
            ("Lina", MONDAY - relativedelta(months=14)),
            ("Yanis", datetime.date(2023, 1, 20)),
        ],
    )
    childcare.referral_start_review(referral=referral, note="Appeler Amina jeudi.", by=bob.admin)
    return childcare.referral_accept(
        referral=referral,
        starts_on=MONDAY + datetime.timedelta(days=7),
        settling_in_until=MONDAY + datetime.timedelta(days=11),
        note="Amina commence sa formation le 17.",
        by=bob.admin,
    )


def test_the_export_holds_the_referral_that_led_to_the_file(bob, accepted):
    data = household_export(household=accepted.household, by=bob.coordinator)

    [referral] = data["referrals"]
    assert referral["programme"] == bob.programme.name
    assert (referral["parent_first_name"], referral["phone"], referral["email"]) == (
        "Amina",
        "06 12 34 56 78",
        "amina@example.org",
    )
    assert referral["comment"] == "Préfère être appelée le matin."
    assert referral["state"] == "Acceptée"
    assert [c["first_name"] for c in referral["children"]] == ["Yanis", "Lina"]
    assert referral["children"][0]["birth_date"] == "2023-01-20"
    assert [step["to"] for step in referral["history"]] == [
        "Nouvelle",
        "En cours d'étude",
        "Acceptée",
    ]
    assert referral["history"][2]["note"] == "Amina commence sa formation le 17."
    assert [e["starts_on"] for e in referral["enrolments"]] == ["2025-03-17", "2025-03-17"]


def test_the_export_holds_the_childs_half_days_booked_and_asked(bob, accepted):
    enrolment = accepted.enrolments.get(child__first_name="Lina")
    tuesday = ChildcareSlot.objects.create(site=bob.site, day=MONDAY.replace(day=18), half_day="am")
    thursday = ChildcareSlot.objects.create(
        site=bob.site, day=MONDAY.replace(day=20), half_day="pm"
    )
    Booking.objects.create(slot=tuesday, enrolment=enrolment, kind="settling_in", reason="training")
    WaitingEntry.objects.create(slot=thursday, enrolment=enrolment, reason="job_interview")

    [referral] = household_export(household=accepted.household, by=bob.coordinator)["referrals"]
    lina = next(e for e in referral["enrolments"] if e["child"] == enrolment.child_id)
    assert [(b["day"], b["half_day"], b["site"]) for b in lina["bookings"]] == [
        ("2025-03-18", "matin", bob.site.name)
    ]
    assert lina["bookings"][0]["parent_appointment"] == "Formation"
    assert [(w["day"], w["half_day"]) for w in lina["waiting_list"]] == [
        ("2025-03-20", "après-midi")
    ]


def test_anonymising_the_family_erases_its_referral(client, bob, accepted):
    household_anonymise(household=accepted.household, by=bob.admin)

    referral = Referral.objects.get(pk=accepted.pk)
    assert referral.anonymised_at is not None
    assert (
        referral.parent_first_name,
        referral.contact_phone,
        referral.contact_email,
        referral.needs,
        referral.comment,
    ) == ("", "", "", "", "")
    children = ReferralChild.objects.filter(referral=referral).order_by("birth_date")
    assert [(c.first_name, c.birth_date) for c in children] == [
        ("", datetime.date(2023, 1, 1)),
        ("", datetime.date(2024, 1, 1)),
    ]
    assert set(referral.transitions.values_list("note", flat=True)) == {""}
    # What the figures count stays: state, pathway, enrolments.
    assert (referral.state, referral.enrolments.count()) == (State.ACCEPTED, 2)
    entry = AuditEntry.objects.get(action="household.anonymise")
    assert entry.details["referrals"] == 1
    # No audit entry names the parent any longer, even those written before.
    log = json.dumps(list(AuditEntry.objects.values("target_repr", "details")))
    assert "Amina" not in log and "Lina" not in log
    # The coordinator's page says the family is anonymised.
    client.force_login(bob.coordinator)
    page = client.get(reverse("childcare:referral-detail", kwargs={"referral_pk": referral.pk}))
    assert "Orientation de Famille anonymisée" in page.content.decode()


def test_an_enrolled_child_keeps_the_file_past_the_retention_period(bob, accepted, settings):
    # Nothing recorded at a session for three years, but Yanis is still enrolled.
    later = MONDAY + relativedelta(years=3)
    assert accepted.household not in households_past_retention(today=later)
    accepted.enrolments.update(ends_on=MONDAY + relativedelta(months=6))
    assert accepted.household in households_past_retention(today=later)


def _refused(bob, on, **values):
    referral = ReferralFactory(programme=bob.programme, **values)
    childcare.referral_start_review(referral=referral, by=bob.coordinator)
    childcare.referral_refuse(
        referral=referral, reason=RefusalReason.NO_PLACE, note="Rappeler en juin.", by=bob.admin
    )
    Referral.objects.filter(pk=referral.pk).update(
        state_changed_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    )
    return referral


def test_referrals_without_a_file_are_anonymised_a_year_after_the_refusal(bob, travel, settings):
    assert settings.REFERRAL_RETENTION_MONTHS == 12
    travel(MONDAY)
    today = datetime.date(2026, 3, 10)
    gone = _refused(bob, datetime.date(2025, 3, 9), parent_first_name="Nadia")  # a year + a day
    kept = _refused(bob, datetime.date(2025, 3, 11), parent_first_name="Sofia")
    waiting = ReferralFactory(programme=bob.programme, parent_first_name="Inès")
    Referral.objects.filter(pk=waiting.pk).update(
        state_changed_at=timezone.make_aware(datetime.datetime(2024, 1, 1, 10))
    )

    assert list(referrals_past_retention(today=today)) == [gone]
    assert referrals_anonymise_past_retention(today=today) == 1

    names = dict(Referral.objects.values_list("pk", "parent_first_name"))
    assert names == {gone.pk: "", kept.pk: "Sofia", waiting.pk: "Inès"}
    assert list(
        ReferralChild.objects.filter(referral=gone).values_list("first_name", flat=True)
    ) == [""]
    assert Referral.objects.get(pk=gone.pk).state == State.REFUSED  # still counted
    entry = AuditEntry.objects.get(action="referral.anonymise")
    assert (entry.actor, entry.details, entry.organisation) == (
        None,
        {"reason": "retention"},
        bob.organisation,
    )
    assert "Nadia" not in json.dumps(list(AuditEntry.objects.values("target_repr")))
    assert referrals_anonymise_past_retention(today=today) == 0


def test_the_daily_command_anonymises_old_refused_referrals(bob, travel):
    travel(MONDAY)
    _refused(bob, datetime.date(2023, 1, 5))
    out = io.StringIO()
    call_command("anonymise_expired_families", "--dry-run", stdout=out)
    assert "1 orientation(s) refusée(s) ou terminée(s) à anonymiser." in out.getvalue()
    call_command("anonymise_expired_families", stdout=out)
    assert "1 orientation(s) refusée(s) ou terminée(s) anonymisée(s)." in out.getvalue()
    assert Referral.objects.get().parent_first_name == ""
