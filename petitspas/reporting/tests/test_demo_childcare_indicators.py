"""The demo's Les Petits Pas over its last twelve months: every referral and childcare
indicator has a value, and the funder's sums still hold."""

import datetime

import pytest
from django.utils import timezone

from petitspas.demo.tests.test_load_demo import load, loaded, loaded_once  # noqa: F401
from petitspas.organisations.models import Programme
from petitspas.reporting import indicators
from petitspas.reporting.indicators import Scope, compute

pytestmark = pytest.mark.django_db


def test_the_demo_gives_every_childcare_figure_a_value(loaded):  # noqa: F811
    today = timezone.localdate()
    programme = Programme.objects.get(name="Les Petits Pas")
    scope = Scope(programme=programme, start=today - datetime.timedelta(days=365), end=today)
    figures = compute(scope, today=today)
    for name in (*indicators.REFERRAL_NAMES, *indicators.CHILDCARE_NAMES):
        assert figures[name] is not None, name
    assert figures["referrals_received"] > 0
    assert figures["childcare_half_days_booked"] > 0
    assert figures["childcare_half_days_used"] > 0
    assert 0 < figures["childcare_occupancy"] <= 100
    assert (
        figures["childcare_half_days_used"]
        + figures["childcare_absences"]
        + figures["childcare_no_shows"]
        <= figures["childcare_half_days_booked"]
    )
    assert (
        sum(indicators.appointments_by_reason(scope).values())
        == (figures["childcare_half_days_booked"])
    )
    print(
        {name: figures[name] for name in (*indicators.REFERRAL_NAMES, *indicators.CHILDCARE_NAMES)}
    )
