"""Every table that holds something about a family is covered by the rights of access and
erasure and by the retention rule: a table added by any app must be declared in
``privacy.services.FAMILY_DATA`` (with what happens to it), or this test fails."""

import re

from django.apps import apps

from petitspas.families.models import Household, Person
from petitspas.privacy.services import FAMILY_DATA

# Field names that hold what names, reaches or dates a person of a family.
PERSONAL = re.compile(r"(^|_)(first_name|last_name|phone|email|birth_date|due_date)$")
# Tables with such fields that are not a family's: the platform's accounts, an
# organisation's public contact and a partner's staff registered to a network meeting.
NOT_A_FAMILY = {"accounts.User", "organisations.Organisation", "directory.Participant"}


def _family_tables() -> set[str]:
    models = [m for m in apps.get_models() if m.__module__.startswith("petitspas.")]
    found = {Household, Person}
    found |= {
        model
        for model in models
        if model._meta.label not in NOT_A_FAMILY
        and any(PERSONAL.search(field.name) for field in model._meta.concrete_fields)
    }
    # Rows that hang off one of those (a referral's children, its history) are too.
    while True:
        more = {
            model
            for model in models
            if model not in found
            and any(
                field.is_relation and field.related_model in found
                for field in model._meta.concrete_fields
            )
        }
        if not more:
            return {model._meta.label for model in found}
        found |= more


def test_every_table_about_a_family_is_declared_to_privacy():
    tables = _family_tables()
    assert tables - set(FAMILY_DATA) == set(), (
        "Tables holding a family's data that export, anonymisation and retention ignore: "
        "declare them in privacy.services.FAMILY_DATA and handle them there."
    )
    assert set(FAMILY_DATA) - tables == set()


def test_the_walk_finds_the_referral_and_what_hangs_off_it():
    # The case that went unnoticed: the referral names the parent without a link to the
    # file before it is accepted.
    assert {"childcare.Referral", "childcare.ReferralChild", "childcare.ReferralTransition"} <= (
        _family_tables()
    )
