import pytest
from django import forms
from django.core.exceptions import ValidationError

from petitspas.core.forms import ModelChoiceField, ServiceFormMixin, add_service_errors
from petitspas.organisations.models import Organisation


class WalkInForm(ServiceFormMixin, forms.Form):
    new_first_name = forms.CharField()
    note = forms.CharField(required=False)

    service_fields = {"first_name": "new_first_name"}


def bound_form(**data):
    form = WalkInForm({"new_first_name": "Awa", "note": "", **data})
    assert form.is_valid()
    return form


def test_service_kwargs_use_the_service_names():
    assert bound_form(note="x").service_kwargs() == {"first_name": "Awa", "note": "x"}


def test_an_error_keyed_by_a_service_argument_lands_on_its_field():
    form = bound_form()
    add_service_errors(form, ValidationError({"first_name": "Trop long.", "note": ["Vide."]}))
    assert form.errors["new_first_name"] == ["Trop long."]
    assert form.errors["note"] == ["Vide."]
    assert not form.non_field_errors()


def test_an_error_about_no_field_of_the_form_goes_above_the_fields():
    form = bound_form()
    add_service_errors(form, ValidationError({"calendar": "Le lieu est fermé ce jour-là."}))
    assert form.non_field_errors() == ["Le lieu est fermé ce jour-là."]


def test_plain_messages_go_above_the_fields_and_keep_what_was_typed():
    form = bound_form()
    add_service_errors(form, ValidationError(["Un.", "Deux."]))
    assert form.non_field_errors() == ["Un.", "Deux."]
    assert form["new_first_name"].value() == "Awa"


@pytest.mark.django_db
def test_choices_named_from_values_read_rows_of_values_and_clean_to_the_whole_row(
    django_assert_num_queries,
):
    first = Organisation.objects.create(name="Relais Est", slug="relais-est", kind="association")
    second = Organisation.objects.create(
        name="Relais Ouest", slug="relais-ouest", kind="association"
    )
    field = ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        empty_label="Choisir",
        label_fields=("name", "pk"),
        label_from_values=lambda name, pk: f"{name} n° {pk}",
    )

    with django_assert_num_queries(1):
        choices = list(iter(field.choices))  # list(field.choices) would count them first

    assert choices == [
        ("", "Choisir"),
        (first.pk, f"Relais Est n° {first.pk}"),
        (second.pk, f"Relais Ouest n° {second.pk}"),
    ]
    assert field.clean(str(second.pk)) == second
    with pytest.raises(ValidationError):
        field.clean("999999")
