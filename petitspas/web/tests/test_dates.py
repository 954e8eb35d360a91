"""A date that does not parse is refused with a French message, never read as "no date":
every date and time field of the site's forms, the family forms' birth dates (required or
not), "Ma semaine"'s ``?semaine=``. The browser side is ``test_browser_dates.py``."""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

import petitspas
from petitspas.families.models import Household, Person
from petitspas.families.tests.factories import PersonFactory
from petitspas.families.tests.test_views import people_data

UNREADABLE_DATES = ("2024-02-31", "31/02/2024", "2024-13-01", "12/25/2024", "demain", "3112")
UNREADABLE_TIMES = ("25:00", "9h75", "midi")


def all_forms() -> list[type[forms.BaseForm]]:
    """Every form class of the project's ``forms`` modules."""
    for module in pkgutil.walk_packages(petitspas.__path__, "petitspas."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("petitspas."):
            found.append(cls)
    return found


def date_and_time_fields() -> list:
    return [
        pytest.param(field, id=f"{form.__module__}.{form.__name__}.{name}")
        for form in all_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | forms.TimeField | forms.DateTimeField)
    ]


def test_the_site_s_forms_have_date_fields_to_check():
    names = {param.id for param in date_and_time_fields()}
    assert "petitspas.families.forms.PersonForm.birth_date" in names
    assert "petitspas.families.forms.PersonForm.due_date" in names
    assert len(names) >= 8


@pytest.mark.parametrize("field", date_and_time_fields())
def test_every_date_or_time_field_refuses_what_does_not_parse_in_french(field):
    bad_values = UNREADABLE_TIMES if isinstance(field, forms.TimeField) else UNREADABLE_DATES
    for value in bad_values:
        with pytest.raises(ValidationError) as error:
            field.clean(value)
        message = " ".join(error.value.messages)
        assert message, value
        assert "Enter a valid" not in message, message
        assert any(word in message.lower() for word in ("date", "heure", "saisissez")), message
    if not field.required:
        # Only an empty field means "no date".
        assert field.clean("") is None


@pytest.mark.parametrize("typed", ["2024-02-31", "31/02/2024", "29/02/2023", "2024-02"])
def test_a_family_with_an_unreadable_optional_birth_date_is_not_saved(client, alice, typed):
    client.force_login(alice.professional)
    response = client.post(
        reverse("families:household-create"),
        {
            "code": "F-0200",
            "housing": "unknown",
            "languages": "wolof",
            **people_data(
                [
                    {"role": "parent", "first_name": "Aminata"},
                    {"role": "child", "first_name": "Lina", "birth_date": typed},
                ]
            ),
        },
    )
    assert response.status_code == 200
    assert not Household.objects.filter(code="F-0200").exists()
    body = response.content.decode()
    assert "pas enregistrée" in body
    assert "Date invalide." in body
    # What was typed comes back, the unreadable date included.
    for kept in ("F-0200", "Aminata", "Lina", escape(typed)):
        assert f'value="{kept}"' in body, kept


def test_editing_a_birth_date_into_an_unreadable_one_keeps_the_stored_date(client, alice):
    child = PersonFactory(
        household__organisation=alice.organisation,
        role=Person.Role.CHILD,
        first_name="Lina",
        birth_date=datetime.date(2024, 2, 28),
    )
    client.force_login(alice.coordinator)
    url = reverse(
        "families:person-edit",
        kwargs={"household_pk": child.household_id, "person_pk": child.pk},
    )
    response = client.post(
        url, {"role": "child", "first_name": "Lina", "birth_date": "30/02/2024", "due_date": ""}
    )
    assert response.status_code == 200
    assert "Date invalide." in response.content.decode()
    child.refresh_from_db()
    assert child.birth_date == datetime.date(2024, 2, 28)


def test_my_week_says_when_the_week_asked_for_is_unreadable(client, alice, travel):
    travel(datetime.date(2025, 9, 17))
    client.force_login(alice.professional)
    body = client.get(reverse("activities:my-week"), {"semaine": "2025-02-30"}).content.decode()
    assert "Du lundi 15 septembre au dimanche 21 septembre 2025" in body
    assert "La semaine demandée (« 2025-02-30 ») n&#x27;est pas une date lisible" in body
    assert "fr-alert--warning" in body
    # A readable week says nothing.
    body = client.get(reverse("activities:my-week"), {"semaine": "2025-09-22"}).content.decode()
    assert "n&#x27;est pas une date lisible" not in body
