"""Writes on family files. Views, the API, the attendance screen and commands call these.

Every function checks that ``by`` is staff (admin, coordinator, professional) of the
household's organisation, validates everything before writing, runs in one transaction
and writes its audit entry inside it.

Audit entries always target the household, so that the log shows the pseudonymous code
and can be filtered by family; details hold field names and ids, never the values typed
(a first name copied into the log would outlive the file's erasure).
"""

import datetime
import re
import secrets
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from petitspas.core.audit import audit_log
from petitspas.core.references import is_referenced
from petitspas.core.text import fold
from petitspas.families.models import Household, HousingSituation, Person
from petitspas.families.permissions import (
    can_manage_families,
)
from petitspas.organisations.models import Organisation
from petitspas.places.communes import get_commune
from petitspas.places.models import Site

# Read aloud or copied from a phone: no 0/O, 1/I/L, no 5/S, 2/Z or 8/B look-alikes.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_PREFIX = "F-"
CODE_LENGTH = 5
CODE_ATTEMPTS = 20
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9 ._-]*$")


def _messages():
    # Built at call time so that gettext follows the active language.
    return {
        "duplicate_code": _("Une famille a déjà le code « {code} » dans l'organisation."),
        "bad_code": _(
            "Le code « {code} » ne convient pas : lettres, chiffres et tirets seulement, "
            "sans nom de famille."
        ),
        "not_a_hotel": _(
            "Ce lieu n'est pas un hôtel social suivi par l'organisation de la famille."
        ),
        "hotel_needs_housing": _(
            "Choisissez « Hôtel social » comme situation de logement pour indiquer l'hôtel."
        ),
        "unknown_commune": _("« {code} » n'est pas un code INSEE de commune connu."),
        "future_birth": _("La date de naissance ne peut pas être dans le futur."),
        "past_due_date": _(
            "Cette date prévue d'accouchement est passée : enregistrez plutôt l'enfant né, "
            "avec sa date de naissance."
        ),
        "first_name_required": _("Indiquez le prénom."),
        "no_code_left": _("Aucun code libre n'a été trouvé : saisissez un code."),
    }


class _Unchanged:
    def __repr__(self):
        return "UNCHANGED"


UNCHANGED = _Unchanged()


def _require_staff(by, organisation) -> None:
    if not can_manage_families(by, organisation):
        raise PermissionDenied


def _normalise_code(code: str | None) -> str:
    return " ".join((code or "").split()).upper()


def _check_code(*, organisation, code: str, household: Household | None = None) -> None:
    if not is_valid_code(code):
        raise ValidationError({"code": _messages()["bad_code"].format(code=code)})
    others = Household.objects.filter(organisation=organisation, code__iexact=code)
    if household is not None and household.pk:
        others = others.exclude(pk=household.pk)
    if others.exists():
        raise ValidationError({"code": _messages()["duplicate_code"].format(code=code)})


def draw_household_code(*, choice: Callable[[str], str] = secrets.choice) -> str:
    """A code such as ``F-K7QMA``, each letter drawn by ``choice`` (the system's randomness;
    a loader that must repeat itself passes a seeded ``random.Random().choice``). Unique in
    nothing: the caller checks it against the organisation's codes."""
    return CODE_PREFIX + "".join(choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def is_drawn_code(code: str) -> bool:
    """Whether ``code`` has the shape ``draw_household_code`` gives."""
    letters = code.removeprefix(CODE_PREFIX)
    return (
        code.startswith(CODE_PREFIX)
        and len(letters) == CODE_LENGTH
        and all(letter in CODE_ALPHABET for letter in letters)
    )


def is_valid_code(code: str) -> bool:
    """Whether a typed code is acceptable: letters, digits, dashes, dots and spaces, upper
    case (``_normalise_code`` puts it so)."""
    return CODE_PATTERN.match(code) is not None


def people_bulk_create(people: list[Person], *, batch_size: int | None = None) -> list[Person]:
    """Insert many people at once, for loaders (the demo, the benchmark's generator): no
    permission check and no audit entry, but what ``Person.save()`` adds is added (the
    folded first name the search reads), which ``bulk_create`` alone would skip."""
    for person in people:
        person.first_name_folded = fold(person.first_name)
    return Person.objects.bulk_create(people, batch_size=batch_size)


def generate_household_code(*, organisation: Organisation) -> str:
    """A random code such as ``F-K7QMA``, unique in the organisation. Never derived from a
    name: it is what replaces the surname on every screen."""
    for _attempt in range(CODE_ATTEMPTS):
        code = draw_household_code()
        if not Household.objects.filter(organisation=organisation, code__iexact=code).exists():
            return code
    raise ValidationError(_messages()["no_code_left"])


def _normalise_languages(languages: str) -> str:
    seen: list[str] = []
    for language in (languages or "").split(","):
        language = " ".join(language.split())
        if language and language.lower() not in (s.lower() for s in seen):
            seen.append(language)
    return ", ".join(seen)


def _apply_commune(household: Household, commune_code: str, town: str) -> None:
    commune_code = (commune_code or "").strip()
    if commune_code:
        commune = get_commune(commune_code)
        if commune is None:
            raise ValidationError(
                {"commune_code": _messages()["unknown_commune"].format(code=commune_code)}
            )
        household.commune_code, household.town = commune.code, commune.name
    else:
        household.commune_code, household.town = "", " ".join((town or "").split())


def _check_housing(household: Household) -> None:
    site = household.housing_site
    if site is None:
        return
    if household.housing != HousingSituation.SOCIAL_HOTEL:
        raise ValidationError({"housing_site": _messages()["hotel_needs_housing"]})
    is_own_hotel = (
        Site.objects.filter(
            pk=site.pk,
            kind=Site.Kind.SOCIAL_HOTEL,
            programme__organisation_id=household.organisation_id,
        ).exists()
        if site.pk
        else False
    )
    if not is_own_hotel:
        raise ValidationError({"housing_site": _messages()["not_a_hotel"]})


def _check_person(person: Person, *, previous: Person | None = None) -> None:
    """The model's rules (``Person.clean``) plus those that hold on every change: no birth
    date in the future whatever the role, no due date moved into the past."""
    today = timezone.localdate()
    messages = _messages()
    if person.birth_date and person.birth_date > today:
        raise ValidationError({"birth_date": messages["future_birth"]})
    if (
        person.role == Person.Role.EXPECTED_CHILD
        and person.due_date
        and person.due_date < today
        and (
            previous is None or previous.due_date != person.due_date or previous.role != person.role
        )
    ):
        raise ValidationError({"due_date": messages["past_due_date"]})
    person.full_clean(exclude=["household"])


def _save_code(household: Household) -> None:
    """Save, turning a concurrent duplicate code into the same message as the check."""
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"code": _messages()["duplicate_code"].format(code=household.code)}
        ) from exc


@transaction.atomic
def household_create(
    *,
    organisation: Organisation,
    by,
    code: str | None = None,
    commune_code: str = "",
    town: str = "",
    housing: str = HousingSituation.UNKNOWN,
    housing_site: Site | None = None,
    languages: str = "",
    people: Iterable[Person] = (),
    quick: bool = False,
) -> Household:
    """Create a family file with its people (unsaved ``Person`` rows, household unset).
    Staff of the organisation only. A pseudonymous code is generated when none is given.
    Everything is checked before the first write; logged as ``household.create`` (with
    ``quick=True`` for the field's quick form, ``household_quick_create``)."""
    _require_staff(by, organisation)
    code = _normalise_code(code)
    if code:
        _check_code(organisation=organisation, code=code)
    else:
        code = generate_household_code(organisation=organisation)
    household = Household(
        organisation=organisation,
        code=code,
        housing=housing or HousingSituation.UNKNOWN,
        housing_site=housing_site,
        languages=_normalise_languages(languages),
        created_by=by,
    )
    _apply_commune(household, commune_code, town)
    _check_housing(household)
    household.full_clean(exclude=["organisation"], validate_constraints=False)
    people = list(people)
    for person in people:
        _check_person(person)
    _save_code(household)
    for person in people:
        person.pk = None
        person.household = household
        person.save()
    audit_log(
        by,
        "household.create",
        household,
        people=[{"id": p.pk, "role": p.role} for p in people],
        **({"quick": True} if quick else {}),
    )
    return household


def household_quick_create(
    *,
    organisation: Organisation,
    first_name: str,
    code: str | None = None,
    role: str = Person.Role.PARENT,
    by,
) -> Household:
    """In the field (attendance screen, walk-ins): a first name and, if the team has one,
    a household code; the rest is completed later. Staff of the organisation only; logged
    as ``household.create`` with ``quick=True``."""
    _require_staff(by, organisation)
    first_name = " ".join((first_name or "").split())
    if not first_name:
        raise ValidationError({"first_name": _messages()["first_name_required"]})
    # One transaction: household_create's, which writes everything.
    return household_create(
        organisation=organisation,
        code=code,
        people=[Person(role=role, first_name=first_name)],
        by=by,
        quick=True,
    )


HOUSEHOLD_FIELDS = ("code", "commune_code", "town", "housing", "housing_site", "languages")


@transaction.atomic
def household_update(
    *,
    household: Household,
    by,
    code=UNCHANGED,
    commune_code=UNCHANGED,
    town=UNCHANGED,
    housing=UNCHANGED,
    housing_site=UNCHANGED,
    languages=UNCHANGED,
) -> Household:
    """Change what is given, leave the rest. Staff of the organisation only; the field names
    changed are logged as ``household.update``."""
    before = Household.objects.select_for_update().get(pk=household.pk)
    _require_staff(by, before.organisation_id)
    household.organisation_id = before.organisation_id
    if code is not UNCHANGED:
        code = _normalise_code(code)
        if code:
            _check_code(organisation=before.organisation_id, code=code, household=household)
        else:
            code = before.code
        household.code = code
    if commune_code is not UNCHANGED or town is not UNCHANGED:
        _apply_commune(
            household,
            before.commune_code if commune_code is UNCHANGED else commune_code,
            before.town if town is UNCHANGED else town,
        )
    if housing is not UNCHANGED:
        household.housing = housing or HousingSituation.UNKNOWN
    if housing_site is not UNCHANGED:
        household.housing_site = housing_site
    if languages is not UNCHANGED:
        household.languages = _normalise_languages(languages)
    _check_housing(household)
    household.full_clean(exclude=["organisation"], validate_constraints=False)
    changed = [
        name
        for name in HOUSEHOLD_FIELDS
        if getattr(before, name if name != "housing_site" else "housing_site_id")
        != getattr(household, name if name != "housing_site" else "housing_site_id")
    ]
    _save_code(household)
    audit_log(by, "household.update", household, fields=changed)
    return household


@transaction.atomic
def person_add(
    *,
    household: Household,
    role: str,
    first_name: str = "",
    birth_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
    by,
) -> Person:
    """Add a parent, a child or an expected child. Staff of the household's organisation
    only; logged as ``person.create`` on the household."""
    _require_staff(by, household.organisation_id)
    person = Person(
        household=household,
        role=role,
        first_name=" ".join((first_name or "").split()),
        birth_date=birth_date,
        due_date=due_date,
    )
    _check_person(person)
    person.save()
    audit_log(by, "person.create", household, person=person.pk, role=person.role)
    return person


PERSON_FIELDS = ("role", "first_name", "birth_date", "due_date")


@transaction.atomic
def person_update(
    *,
    person: Person,
    by,
    role=UNCHANGED,
    first_name=UNCHANGED,
    birth_date=UNCHANGED,
    due_date=UNCHANGED,
) -> Person:
    """Change what is given (a birth: role ``child``, its birth date, no due date). Staff of
    the household's organisation only; the field names changed are logged as
    ``person.update`` on the household."""
    before = Person.objects.select_related("household").get(pk=person.pk)
    household = before.household
    _require_staff(by, household.organisation_id)
    person.household = household
    if role is not UNCHANGED:
        person.role = role
    if first_name is not UNCHANGED:
        person.first_name = " ".join((first_name or "").split())
    if birth_date is not UNCHANGED:
        person.birth_date = birth_date
    if due_date is not UNCHANGED:
        person.due_date = due_date
    _check_person(person, previous=before)
    changed = [name for name in PERSON_FIELDS if getattr(before, name) != getattr(person, name)]
    person.save()
    audit_log(by, "person.update", household, person=person.pk, fields=changed)
    return person


PERSON_HAS_ATTENDED = (
    "Cette personne a déjà été comptée à des séances : la retirer changerait les chiffres "
    "passés. Corrigez plutôt sa fiche, ou, si la famille demande l'effacement de ses "
    "données, anonymisez la famille."
)


@transaction.atomic
def person_remove(*, person: Person, by) -> None:
    """Remove someone from the household (entered by mistake, left the family). Staff of the
    household's organisation only; logged as ``person.delete`` on the household."""
    household = Household.objects.get(pk=person.household_id)
    _require_staff(by, household.organisation_id)
    # Past attendance feeds the figures funders receive: removing the person would
    # silently rewrite them (erasure with anonymisation is a separate procedure). Attendance
    # sits above families and says so through the references registry.
    if is_referenced(person):
        raise ValidationError(PERSON_HAS_ATTENDED)
    audit_log(by, "person.delete", household, person=person.pk, role=person.role)
    person.delete()
