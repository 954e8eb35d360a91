import datetime

import pytest
from django.core.exceptions import ValidationError

from petitspas.core.bounds import (
    DAY_MALFORMED,
    DAY_OUT_OF_BOUNDS,
    SEARCH_MAX_LENGTH,
    InvalidInput,
    is_possible_day,
    parse_day,
    search_text,
)
from petitspas.core.forms import ModelChoiceField, ModelMultipleChoiceField
from petitspas.organisations.models import Organisation


def test_parse_day_reads_iso_dates_and_defaults_when_empty():
    default = datetime.date(2025, 3, 10)
    assert parse_day("2025-09-22") == datetime.date(2025, 9, 22)
    assert parse_day("", default=default) == default
    assert parse_day(None) is None


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_parse_day_refuses_days_far_from_now(text):
    with pytest.raises(InvalidInput, match=DAY_OUT_OF_BOUNDS):
        parse_day(text)


@pytest.mark.parametrize("text", ["2025-02-30", "demain", "x" * 10_000])
def test_parse_day_refuses_malformed_days(text):
    with pytest.raises(InvalidInput, match=DAY_MALFORMED):
        parse_day(text)


def test_bounds_are_inclusive():
    assert is_possible_day(datetime.date(2000, 1, 1))
    assert is_possible_day(datetime.date(2100, 12, 31))
    assert not is_possible_day(None)


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["99999999999999999999", "-99999999999999999999"])
def test_model_choice_fields_refuse_ids_beyond_any_row(pk):
    queryset = Organisation.objects.all()
    with pytest.raises(ValidationError) as single:
        ModelChoiceField(queryset).clean(pk)
    with pytest.raises(ValidationError) as multiple:
        ModelMultipleChoiceField(queryset).clean([pk])
    assert single.value.code == multiple.value.code == "invalid_choice"


@pytest.mark.django_db
def test_model_choice_fields_still_find_real_rows(alice):
    queryset = Organisation.objects.all()
    pk = str(alice.organisation.pk)
    assert ModelChoiceField(queryset).clean(pk) == alice.organisation
    assert list(ModelMultipleChoiceField(queryset).clean([pk])) == [alice.organisation]


def test_search_text_is_bounded_and_safe_for_postgresql():
    assert search_text("  Zoé \t F-12 ") == "Zoé F-12"
    assert search_text("a\x00b") == "ab"
    assert search_text("x" * 10_000) == "x" * SEARCH_MAX_LENGTH
    assert search_text(None) == ""
