from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from petitspas.activities.models import ActivityType, Facilitator, Session, SitesMode
from petitspas.activities.recurrence import (
    MONTH_POSITIONS,
    WEEKDAY_NAMES,
    build_monthly,
    build_weekly,
    normalize_rrule,
)
from petitspas.activities.services import ENDS_BEFORE_START, TIMES_OUT_OF_ORDER
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS, is_possible_day
from petitspas.core.forms import ModelChoiceField, ModelMultipleChoiceField, ServiceFormMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAY_CHOICES = [(str(number), name.capitalize()) for number, name in enumerate(WEEKDAY_NAMES)]
WEEKLY, MONTHLY, ADVANCED = "weekly", "monthly", "advanced"
ONLY_THIS, THIS_AND_FOLLOWING = "one", "following"


class PersonChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


def _possible_day(day):
    if not is_possible_day(day):
        raise ValidationError(DAY_OUT_OF_BOUNDS, code="day_out_of_bounds")


def _date_field(label, required_message):
    return forms.DateField(
        label=label,
        widget=DATE_WIDGET,
        validators=[_possible_day],
        error_messages={"required": required_message, "invalid": "Date invalide (JJ/MM/AAAA)."},
    )


def _confirmation_fields():
    """Check boxes shown only once the service has asked for them (``ask_confirmations``)."""
    return {
        "confirm_clashes": forms.BooleanField(
            label="Je confirme malgré le conflit",
            required=False,
            widget=forms.HiddenInput,
            help_text="La personne sera prévue à deux endroits en même temps (conflits "
            "décrits en haut du formulaire) ; ce sera noté sur les séances et au journal.",
        ),
        "confirm_far_dates": forms.BooleanField(
            label="Je confirme cette date",
            required=False,
            widget=forms.HiddenInput,
            help_text="La date est loin d'aujourd'hui : cochez si elle est bien voulue.",
        ),
    }


class ConfirmationsMixin:
    """What a service asks to confirm (its ``ValidationError`` codes ``clash`` and
    ``far_date``) becomes a check box on the form, next to the message; a box once ticked
    stays shown. Everything typed is kept."""

    confirmation_codes = {"clash": "confirm_clashes", "far_date": "confirm_far_dates"}

    def _show_ticked_confirmations(self):
        for name in self.confirmation_codes.values():
            if name in self.fields and self.data.get(self.add_prefix(name)) in ("on", "True"):
                self._show_confirmation(name)

    def _show_confirmation(self, name):
        field = self.fields[name]
        field.widget = forms.CheckboxInput()
        field.widget.is_required = False

    def ask_confirmations(self, error: ValidationError) -> None:
        errors = (
            [one for group in error.error_dict.values() for one in group]
            if hasattr(error, "error_dict")
            else error.error_list
        )
        for one in errors:
            name = self.confirmation_codes.get(one.code)
            if name in self.fields:
                self._show_confirmation(name)

    @property
    def confirmation_names(self) -> list[str]:
        return [name for name in self.confirmation_codes.values() if name in self.fields]

    @property
    def confirmation_fields(self) -> list:
        return [self[name] for name in self.confirmation_names]

    @property
    def asks_confirmation(self) -> bool:
        return any(
            name in self.fields and not self[name].is_hidden
            for name in self.confirmation_codes.values()
        )


def _time_field(label, required_message):
    return forms.TimeField(
        label=label,
        widget=TIME_WIDGET,
        error_messages={"required": required_message, "invalid": "Heure invalide (HH:MM)."},
    )


def _capacity_field():
    return forms.IntegerField(
        label="Places (familles)",
        required=False,
        min_value=1,
        help_text="Laissez vide pour reprendre les places habituelles de l'activité, ou si "
        "l'accueil est libre.",
        error_messages={"min_value": "Indiquez au moins une place, ou laissez vide."},
    )


class PeopleFieldsMixin:
    """Staff (the organisation's admins, coordinators, professionals) and its facilitators."""

    def _setup_people(self, *, staff, facilitators):
        self.fields["staff"].queryset = staff
        self.fields["facilitators"].queryset = facilitators


def _people_fields():
    return {
        "staff": PersonChoiceField(
            label="Professionnels",
            queryset=None,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
        "facilitators": ModelMultipleChoiceField(
            label="Intervenants partenaires",
            queryset=None,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
    }


class ActivityTypeForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = ActivityType
        fields = [
            "name",
            "kind",
            "public",
            "registration_mode",
            "default_duration",
            "default_capacity",
            "description",
            "is_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": "Donnez un nom à l'activité."},
            "kind": {"required": "Choisissez le genre d'activité."},
            "public": {"required": "Choisissez le public."},
            "registration_mode": {"required": "Choisissez le mode d'inscription."},
        }


class FacilitatorForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Facilitator
        fields = ["name", "role"]
        error_messages = {"name": {"required": "Indiquez le nom de l'intervenant."}}


class SeriesForm(ServiceFormMixin, ConfirmationsMixin, PeopleFieldsMixin, DsfrBaseForm):
    """A series: the activity, its sites, the recurrence (simple builder or a raw RRULE), its
    dates and hours, staff, facilitators and places. ``rrule_text`` holds the rule built."""

    activity_type = ModelChoiceField(
        label="Activité",
        queryset=None,
        empty_label="Choisir une activité",
        error_messages={"required": "Choisissez l'activité."},
    )
    sites = ModelMultipleChoiceField(
        label="Lieux",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un lieu."},
    )
    sites_mode = forms.ChoiceField(
        label="Avec plusieurs lieux",
        choices=SitesMode.choices,
        initial=SitesMode.EACH,
        widget=forms.RadioSelect,
        help_text="À tour de rôle : la première date dans le premier lieu (par ordre "
        "alphabétique), la suivante dans le deuxième, et ainsi de suite. Un lieu fermé le "
        "jour de son tour n'a pas de séance cette fois-là ; les autres gardent leur rythme.",
        error_messages={"required": "Choisissez comment répartir les séances entre les lieux."},
    )
    frequency = forms.ChoiceField(
        label="Récurrence",
        choices=[
            (WEEKLY, "Chaque semaine, ou toutes les N semaines"),
            (MONTHLY, "Un jour par mois (par exemple le premier mardi)"),
            (ADVANCED, "Règle avancée (RRULE)"),
        ],
        initial=WEEKLY,
        widget=forms.RadioSelect,
    )
    weekdays = forms.MultipleChoiceField(
        label="Jours de la semaine",
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pour une récurrence chaque semaine : « 2 demi-journées par semaine », "
        "cochez les deux jours.",
    )
    interval = forms.IntegerField(
        label="Toutes les … semaines ou mois",
        required=False,
        initial=1,
        min_value=1,
        max_value=52,
        help_text="1 : chaque semaine ou chaque mois ; 2 : une semaine ou un mois sur deux.",
        error_messages={
            "required": "Indiquez l'intervalle (1 pour chaque semaine ou chaque mois).",
            "min_value": "L'intervalle doit être au moins 1.",
            "max_value": "L'intervalle doit être au plus 52.",
        },
    )
    month_position = forms.TypedChoiceField(
        label="Semaine du mois",
        choices=[(str(k), v.capitalize()) for k, v in MONTH_POSITIONS.items()],
        coerce=int,
        initial="1",
        required=False,
    )
    month_weekday = forms.TypedChoiceField(
        label="Jour du mois",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        initial="1",
        required=False,
    )
    rrule = forms.CharField(
        label="Règle avancée (RRULE, RFC 5545)",
        required=False,
        max_length=500,
        help_text="Par exemple FREQ=MONTHLY;BYDAY=+1TU (premier mardi du mois) ou "
        "FREQ=WEEKLY;BYDAY=TU,TH. Sans COUNT ni UNTIL : les dates ci-dessous bornent la série.",
    )
    starts_on = _date_field("À partir du", "Indiquez la date de début.")
    ends_on = _date_field("Jusqu'au (inclus)", "Indiquez la date de fin.")
    start_time = _time_field("Début", "Indiquez l'heure de début.")
    end_time = _time_field("Fin", "Indiquez l'heure de fin.")
    capacity = _capacity_field()
    staff = _people_fields()["staff"]
    facilitators = _people_fields()["facilitators"]
    confirm_clashes = _confirmation_fields()["confirm_clashes"]
    confirm_far_dates = _confirmation_fields()["confirm_far_dates"]

    def __init__(self, *args, activity_types, sites, staff, facilitators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = activity_types
        self.fields["sites"].queryset = sites
        self._setup_people(staff=staff, facilitators=facilitators)
        self._show_ticked_confirmations()

    def clean(self):
        cleaned = super().clean()
        frequency = cleaned.get("frequency")
        field = {WEEKLY: "weekdays", MONTHLY: "month_position", ADVANCED: "rrule"}.get(frequency)
        try:
            if frequency == WEEKLY:
                cleaned["rrule_text"] = build_weekly(
                    weekdays=cleaned.get("weekdays") or (), interval=cleaned.get("interval") or 1
                )
            elif frequency == MONTHLY:
                cleaned["rrule_text"] = build_monthly(
                    position=cleaned.get("month_position") or 1,
                    weekday=cleaned.get("month_weekday") or 0,
                    interval=cleaned.get("interval") or 1,
                )
            elif frequency == ADVANCED:
                cleaned["rrule_text"] = normalize_rrule(cleaned.get("rrule", ""))
        except ValidationError as error:
            self.add_error(field, error)
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", ENDS_BEFORE_START)
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if start_time and end_time and end_time <= start_time:
            self.add_error("end_time", TIMES_OUT_OF_ORDER)
        return cleaned

    def plan_args(self) -> dict:
        """What both the preview and ``series_create`` take, once the form is valid."""
        keys = ("starts_on", "ends_on", "start_time", "end_time", "sites")
        return {"rrule": self.cleaned_data["rrule_text"]} | {k: self.cleaned_data[k] for k in keys}

    def service_kwargs(self) -> dict:
        keys = (
            "activity_type",
            "capacity",
            "staff",
            "facilitators",
            "sites_mode",
            "confirm_clashes",
            "confirm_far_dates",
        )
        return self.plan_args() | {k: self.cleaned_data[k] for k in keys}


class SessionForm(ServiceFormMixin, ConfirmationsMixin, PeopleFieldsMixin, DsfrBaseForm):
    """One session: a one-off session to create, or one to change."""

    activity_type = ModelChoiceField(
        label="Activité",
        queryset=None,
        empty_label="Choisir une activité",
        error_messages={"required": "Choisissez l'activité."},
    )
    site = ModelChoiceField(
        label="Lieu",
        queryset=None,
        empty_label="Choisir un lieu",
        error_messages={"required": "Choisissez le lieu."},
    )
    date = _date_field("Date", "Indiquez la date.")
    start_time = _time_field("Début", "Indiquez l'heure de début.")
    end_time = _time_field("Fin", "Indiquez l'heure de fin.")
    capacity = _capacity_field()
    staff = _people_fields()["staff"]
    facilitators = _people_fields()["facilitators"]
    notes = forms.CharField(
        label="Informations pratiques",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        # Shown on the public agenda page and in the .ics feeds (agenda app): no place for
        # anything about a family.
        help_text="Par exemple la salle, l'étage, ce qu'il faut apporter. Visible du public "
        "sur l'agenda et dans les calendriers : n'y écrivez rien sur les familles.",
    )
    confirm_clashes = _confirmation_fields()["confirm_clashes"]
    confirm_far_dates = _confirmation_fields()["confirm_far_dates"]

    def __init__(self, *args, activity_types=None, sites, staff, facilitators, **kwargs):
        super().__init__(*args, **kwargs)
        if activity_types is None:
            del self.fields["activity_type"]
        else:
            self.fields["activity_type"].queryset = activity_types
        self.fields["site"].queryset = sites
        self._setup_people(staff=staff, facilitators=facilitators)
        self._show_ticked_confirmations()

    def clean(self):
        cleaned = super().clean()
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if start_time and end_time and end_time <= start_time:
            self.add_error("end_time", TIMES_OUT_OF_ORDER)
        return cleaned


class SessionEditForm(SessionForm):
    """A session's changes, for this session only or for it and the following ones of its
    series (then only the hours, people, places and notes may change)."""

    scope = forms.ChoiceField(
        label="Appliquer la modification à",
        choices=[
            (ONLY_THIS, "Cette séance seulement"),
            (THIS_AND_FOLLOWING, "Cette séance et les suivantes de la série"),
        ],
        initial=ONLY_THIS,
        widget=forms.RadioSelect,
    )
    field_order = ["scope"]

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if session.series_id is None:
            del self.fields["scope"]

    @property
    def applies_to_following(self) -> bool:
        return self.cleaned_data.get("scope") == THIS_AND_FOLLOWING

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data.pop("scope", None)
        if self.applies_to_following:
            # The series keeps its dates and places: only the rest changes.
            del data["date"], data["site"], data["confirm_far_dates"]
        return data

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == THIS_AND_FOLLOWING:
            if cleaned.get("date") and cleaned["date"] != self.session.date:
                self.add_error(
                    "date",
                    "Pour changer la date, choisissez « Cette séance seulement » : la série "
                    "garde sa récurrence.",
                )
            if cleaned.get("site") and cleaned["site"].pk != self.session.site_id:
                self.add_error(
                    "site",
                    "Pour changer de lieu, choisissez « Cette séance seulement » ou déplacez "
                    "la séance.",
                )
        return cleaned


class SessionCancelForm(ServiceFormMixin, DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=250,
        help_text="Il est donné aux familles inscrites, par exemple « intervenante malade ».",
        error_messages={
            "required": "Indiquez le motif de l'annulation : il sera donné aux familles inscrites."
        },
    )


class SessionMoveForm(ServiceFormMixin, DsfrBaseForm):
    site = ModelChoiceField(
        label="Nouveau lieu",
        queryset=None,
        empty_label="Choisir un lieu",
        error_messages={"required": "Choisissez le lieu où déplacer la séance."},
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


CANCEL, MOVE, KEEP = "annuler", "deplacer", "maintenir"


class CalendarActionForm(ServiceFormMixin, DsfrBaseForm):
    """The sessions a closure, a new weekly rule or a move hits, and what to do with the
    ticked ones: cancel them with a reason, move them to another site, or (a move) keep
    them at the host place. The page lists the sessions itself, ticked; the buttons post
    ``action``."""

    sessions = ModelMultipleChoiceField(
        label="Séances",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins une séance.",
            "invalid_choice": (
                "Une des séances cochées n'est plus dans la liste (déjà annulée ou "
                "déplacée) : vérifiez la liste ci-dessous et recommencez."
            ),
        },
    )
    action = forms.ChoiceField(
        choices=[(CANCEL, "Annuler"), (MOVE, "Déplacer"), (KEEP, "Maintenir")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choisissez d'annuler ou de déplacer les séances cochées."},
    )
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=250,
        help_text=(
            "Il est donné aux familles inscrites et affiché dans l'agenda public et ses "
            "calendriers."
        ),
        error_messages={
            "required": "Indiquez le motif de l'annulation : il sera donné aux familles inscrites."
        },
    )
    site = ModelChoiceField(
        label="Nouveau lieu",
        queryset=None,
        empty_label="Choisir un lieu",
        help_text="Même date et mêmes horaires : le lieu doit être ouvert à ce moment-là.",
        error_messages={"required": "Choisissez le lieu où déplacer les séances cochées."},
    )

    def __init__(self, *args, session_ids, sites, can_keep=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = Session.objects.filter(pk__in=list(session_ids))
        self.fields["site"].queryset = sites
        self.can_keep = can_keep
        if self.is_bound:
            # Each button needs its own field only: the reason to cancel, the site to move.
            action = self.data.get("action")
            self.fields["reason"].required = action == CANCEL
            self.fields["site"].required = action == MOVE

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == KEEP and not self.can_keep:
            self.add_error(None, "Choisissez d'annuler ou de déplacer les séances cochées.")
        # Shown again as they are on the page: each is needed by its button.
        self.fields["reason"].required = self.fields["site"].required = True
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        if data["action"] == CANCEL:
            return {"sessions": list(data["sessions"]), "reason": data["reason"]}
        if data["action"] == MOVE:
            return {"sessions": list(data["sessions"]), "site": data["site"]}
        return {"sessions": list(data["sessions"])}
