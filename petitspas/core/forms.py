from django import forms
from django.core.exceptions import ValidationError

from petitspas.core.db import MAX_ID


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form, above its fields: the service is the
    judge of rules that span several objects (a calendar, a series, other rows)."""
    for message in error.messages:
        form.add_error(None, message)


def _beyond_any_id(value) -> bool:
    """Whether ``value`` reads as an integer no id column holds (SQLite cannot even compare
    it: ``pk__in`` with it fails instead of finding nothing)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return not -MAX_ID <= number <= MAX_ID


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with a posted id beyond any row refused as an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and _beyond_any_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with posted ids beyond any row refused as invalid choices."""

    def _check_values(self, value):
        for pk in value:
            if _beyond_any_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:20]},
                )
        return super()._check_values(value)
