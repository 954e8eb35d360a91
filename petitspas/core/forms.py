"""The one seam between forms and services.

A view hands a form's data to a service as keyword arguments, ``form.service_kwargs()``, next
to the objects it fetched through the access layer and ``by=request.user``. The service is
the judge of every rule: it raises a ``ValidationError``, either keyed by its own argument
names or as plain messages. The view gives that error back to the form with
``add_service_errors(form, error)``, which puts each message on the field it is about, so the
person sees it where they typed, and keeps everything they typed.

Where a form field and the service argument are named differently, the form says so once, in
``service_fields``; both directions use that map. A ModelForm that edits a single row whose
model has its own ``clean`` (a site, a closure, an activity) hands the service the unsaved
instance, ``form.save(commit=False)``, instead: the service then validates the row as a whole.
"""

from django import forms
from django.core.exceptions import ValidationError

from petitspas.core.db import MAX_ID


class ServiceFormMixin:
    """For forms whose cleaned data a service receives."""

    #: service argument name → form field name, where the two differ
    service_fields: dict[str, str] = {}

    def service_kwargs(self) -> dict:
        """The cleaned data under the service's argument names."""
        field_to_argument = {field: argument for argument, field in self.service_fields.items()}
        return {
            field_to_argument.get(name, name): value for name, value in self.cleaned_data.items()
        }


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message keyed by an argument goes on
    the field of that argument (through the form's ``service_fields``), the others above the
    fields (rules that span several objects: a calendar, a series, other rows)."""
    mapping = getattr(form, "service_fields", {})
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for argument, errors in error.error_dict.items():
        field = mapping.get(argument, argument)
        target = field if field in form.fields else None
        for message in ValidationError(errors).messages:
            form.add_error(target, message)


def _beyond_any_id(value) -> bool:
    """Whether ``value`` reads as an integer no id column holds (SQLite cannot even compare
    it: ``pk__in`` with it fails instead of finding nothing)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return not -MAX_ID <= number <= MAX_ID


class ValuesChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices as rows of values (``values_list``) instead of model instances: a list
    of some dozens of people or children is read without building two or three objects
    per row. Each label comes from the field's ``label_from_values(*values)``."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *self.field.label_fields):
            yield (pk, self.field.label_from_values(*values))


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with a posted id beyond any row refused as an invalid choice.

    ``label_fields`` and ``label_from_values`` name a choice from those columns alone
    (``ValuesChoiceIterator``); the chosen row is still read whole, through the queryset,
    when the form is cleaned."""

    def __init__(self, *args, label_fields=(), label_from_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label_fields:
            self.label_fields = tuple(label_fields)
            self.label_from_values = label_from_values
            self.iterator = ValuesChoiceIterator

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
