"""The demo's childcare on referral: the three prescribers linked to Les Petits Pas, and
referrals in every state, loaded through the services (so every rule holds)."""

import pytest

from petitspas.childcare.models import Enrolment, Referral, State
from petitspas.demo.tests.test_load_demo import load, loaded, loaded_once  # noqa: F401
from petitspas.organisations.models import ProgrammePrescriber

pytestmark = pytest.mark.django_db


def test_referrals_in_every_state_and_prescribers_linked(loaded):  # noqa: F811
    assert set(Referral.objects.values_list("state", flat=True)) == set(State.values)
    assert Referral.objects.overdue().count() == 1
    assert ProgrammePrescriber.objects.filter(programme__name="Les Petits Pas").count() == 3
    assert Enrolment.objects.filter(referral__state=State.ACCEPTED).count() == 1
    assert Enrolment.objects.filter(referral__state=State.ENDED, ends_on__isnull=False).count() == 1


def test_loading_twice_adds_no_referral(loaded):  # noqa: F811
    before = Referral.objects.count()
    load()
    assert Referral.objects.count() == before
