import uuid

from django import forms
from django.core.exceptions import ValidationError

from petitspas.attendance.models import Attendance, Headcount, Theme
from petitspas.attendance.rules import MAX_COUNT
from petitspas.attendance.services import UNKNOWN_STATUS
from petitspas.core.forms import ServiceFormMixin

STATUS_PREFIX = "status-"
# A walk-in's row carries the household's code back (``code-<id>``): the whole code a
# family gave is what lets a user who never met it put it on the sheet.
CODE_PREFIX = "code-"
ADD_PREFIX = "add-"
RELOAD = (
    "Le formulaire est incomplet : rechargez la page, votre saisie est gardée sur ce téléphone."
)
UNKNOWN_HOUSEHOLD = "Famille inconnue : rechargez la page, puis enregistrez à nouveau."


def _counter_field(name: str) -> forms.IntegerField:
    label = Headcount._meta.get_field(name).verbose_name.capitalize()
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        error_messages={
            "min_value": f"« {label} » ne peut pas être négatif.",
            "max_value": f"« {label} » : {MAX_COUNT} au plus.",
            "invalid": f"« {label} » doit être un nombre entier.",
        },
        widget=forms.NumberInput(
            attrs={"class": "fr-input pp-counter__input", "inputmode": "numeric", "step": 1}
        ),
    )


class RecordForm(ServiceFormMixin, forms.Form):
    """The whole field sheet, saved at once. Household statuses come as ``status-<id>``
    radios (their number depends on who came), walk-ins as repeated ``walk_in`` ids; the
    anonymous counters exist only on open sessions."""

    client_id = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"required": RELOAD, "invalid": RELOAD}
    )
    observation = forms.CharField(
        label="Observation",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "fr-input", "rows": 4}),
    )
    themes = forms.MultipleChoiceField(
        label="Thèmes",
        required=False,
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Thème inconnu : « %(value)s »."},
    )
    action = forms.CharField(required=False)
    # The sheet's version this copy was shown at (the template writes it, see the view).
    # A page from before this field existed sends none and is not checked.
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, session):
        # A new id for each form shown: the phone sends it back with the save, and keeps it
        # for a retry after a lost connection.
        super().__init__(data, initial={"client_id": uuid.uuid4()})
        self.is_anonymous = session.activity_type.is_anonymous
        if self.is_anonymous:
            for name in Headcount.COUNTERS:
                self.fields[name] = _counter_field(name)

    def show_headcount(self, headcount: Headcount | None) -> None:
        """Start the counters from what is stored (a save sets them, it does not add)."""
        self.initial |= {name: getattr(headcount, name, 0) for name in Headcount.COUNTERS}

    def counters(self):
        return [self[name] for name in Headcount.COUNTERS] if self.is_anonymous else []

    def posted_marks(self) -> dict[int, str]:
        """The statuses ticked, as posted (for showing them again)."""
        if not self.is_bound:
            return {}
        return {
            int(key.removeprefix(STATUS_PREFIX)): value
            for key, value in self.data.items()
            if key.startswith(STATUS_PREFIX) and key.removeprefix(STATUS_PREFIX).isdigit() and value
        }

    def posted_walk_ins(self) -> list[int]:
        if not self.is_bound:
            return []
        return [int(pk) for pk in self.data.getlist("walk_in") if pk.isdigit()]

    def posted_codes(self) -> dict[int, str]:
        """The household codes the rows (and the button adding one) carry back, by id."""
        if not self.is_bound:
            return {}
        codes = {
            int(key.removeprefix(CODE_PREFIX)): value
            for key, value in self.data.items()
            if key.startswith(CODE_PREFIX) and key.removeprefix(CODE_PREFIX).isdigit()
        }
        added = self.posted_add()
        return codes | dict([added]) if added else codes

    def posted_add(self) -> tuple[int, str] | None:
        """The household a search result's button adds without JavaScript
        (``add-<id>-<code>``), or None."""
        action = self.data.get("action", "") if self.is_bound else ""
        pk, _, code = action.removeprefix(ADD_PREFIX).partition("-")
        if not action.startswith(ADD_PREFIX) or not pk.isdigit():
            return None
        return int(pk), code

    def posted_household_ids(self) -> set[int]:
        """Every household id the request names: marks, walk-ins, the one to add."""
        added = self.posted_add()
        return {*self.posted_marks(), *self.posted_walk_ins(), *([added[0]] if added else [])}

    def clean(self):
        data = super().clean()
        for key in self.data:
            if key.startswith(STATUS_PREFIX) and not key.removeprefix(STATUS_PREFIX).isdigit():
                raise ValidationError(UNKNOWN_HOUSEHOLD)
        if not all(pk.isdigit() for pk in self.data.getlist("walk_in")):
            raise ValidationError(UNKNOWN_HOUSEHOLD)
        data["marks"] = self.posted_marks()
        for status in data["marks"].values():
            if status not in Attendance.Status.values:
                raise ValidationError(UNKNOWN_STATUS.format(status=status))
        data["walk_ins"] = self.posted_walk_ins()
        return data

    def service_kwargs(self) -> dict:
        """The keyword arguments of ``attendance_record``, but the session and the user."""
        data = self.cleaned_data
        headcount = (
            {name: data.get(name) or 0 for name in Headcount.COUNTERS}
            if self.is_anonymous
            else None
        )
        text, themes = data["observation"], data["themes"]
        return {
            "marks": data["marks"],
            "walk_ins": data["walk_ins"],
            "codes": self.posted_codes(),
            "headcount": headcount,
            "observation": (text, themes) if text or themes else None,
            "client_id": data["client_id"],
            "based_on": data["based_on"] if "based_on" in self.data else None,
        }


class QuickCreateForm(ServiceFormMixin, forms.Form):
    """A walk-in family the team has never met: a first name, a code if they have one."""

    new_first_name = forms.CharField(
        label="Prénom",
        max_length=80,
        error_messages={"required": "Indiquez le prénom."},
        widget=forms.TextInput(attrs={"class": "fr-input", "autocomplete": "off"}),
    )
    new_code = forms.CharField(
        label="Code famille (facultatif)",
        help_text="Laissé vide, un code est créé.",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "fr-input", "autocomplete": "off"}),
    )

    # Renewed with each emptied form: the same id twice is a double tap, not a new family.
    # A page without it (an old copy) still works, only without that protection.
    new_client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def clean_new_client_id(self):
        return self.cleaned_data["new_client_id"] or uuid.uuid4()

    service_fields = {
        "first_name": "new_first_name",
        "code": "new_code",
        "client_id": "new_client_id",
    }

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        return {**data, "code": data["code"] or None}
