"""Writes of registrations: register a household to a session (or to every following
session of its series), unregister it, the waiting list and the freed place offered to the
first in line; the places families ask for from the public agenda.

Who: those who may record the session (its staff, the organisation's admins and
coordinators), the sheet's rule. Which households: those the sheet admits
(``households_admitted_at``: expected there, a file the user may open, or the whole code a
family gave); anything else is refused and logged as on the sheet. Each write locks the
session row, so two registrations never take the same last place."""

import dataclasses
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy

from petitspas.activities.models import RegistrationMode, Session
from petitspas.attendance.models import PlaceRequest, Registration
from petitspas.attendance.permissions import can_record_attendance
from petitspas.attendance.rules import takes_names
from petitspas.attendance.selectors import households_admitted_at
from petitspas.attendance.services import HouseholdsRefused, _lock_session, _log_refusal
from petitspas.core.audit import audit_log
from petitspas.core.db import is_possible_id
from petitspas.families.models import Household
from petitspas.families.services import household_quick_create
from petitspas.organisations.models import PLANNER_ROLES
from petitspas.organisations.permissions import role_in

NO_REGISTRATION = "Cette séance est en accès libre (anonyme) : on n'y inscrit pas de famille."
CANCELLED = "Cette séance est annulée : on ne peut plus s'y inscrire."
PAST = "Cette séance est passée : on ne peut plus s'y inscrire."
ALREADY = "La famille {code} est déjà {state} à cette séance."
ALREADY_STATES = {
    Registration.Status.CONFIRMED: "inscrite",
    Registration.Status.WAITING: "sur la liste d'attente",
    Registration.Status.OFFERED: "en attente de réponse pour une place proposée",
}
NOT_IN_SERIES = "Cette séance ne fait pas partie d'une série."
GONE = "Cette inscription n'existe plus : rechargez la page."
NOT_OFFERED = "Aucune place n'est proposée à cette famille : rechargez la page."
REQUEST_GONE = "Cette demande n'existe plus ou a déjà été traitée : rechargez la page."
REQUEST_CODE_UNKNOWN = (
    "Aucune famille de l'organisation n'a ce code : vérifiez-le, ou laissez le champ vide "
    "pour créer la famille."
)

# What the public form asks, in the page's language (the agenda is in French, English and
# Arabic).
FIRST_NAME_REQUIRED = gettext_lazy("Indiquez votre prénom.")
CONTACT_REQUIRED = gettext_lazy(
    "Indiquez un numéro de téléphone ou une adresse électronique, pour que l'équipe "
    "puisse vous répondre."
)
BAD_PHONE = gettext_lazy("Ce numéro de téléphone n'est pas valide : par exemple 06 12 34 56 78.")
MAX_CHILDREN = 12
BAD_CHILDREN = gettext_lazy("Indiquez un nombre d'enfants entre 0 et 12.")
CONSENT_REQUIRED = gettext_lazy("Cochez la case pour accepter que l'équipe garde ces informations.")
NOT_ON_REGISTRATION = gettext_lazy("On ne demande pas de place pour cette séance.")
REQUEST_PAST = gettext_lazy("Cette séance est passée : on ne peut plus y demander de place.")
PHONE = re.compile(r"^\+?\d{9,15}$")

REQUEST_SUBJECT = "Votre demande de place : {activity} du {date}"
REQUEST_BODY = """Bonjour {first_name},

Nous avons bien reçu votre demande de place pour « {activity} », le {date} à {time},
{place}.

L'équipe de {organisation} vous répondra au plus vite. Cette demande ne vaut pas encore
inscription.

{contact}
"""
DECISION_SUBJECT = "Votre demande de place : {activity} du {date}"
ACCEPTED_BODY = """Bonjour {first_name},

Bonne nouvelle : une place vous est réservée pour « {activity} », le {date} à {time},
{place}.

Si vous ne pouvez pas venir, prévenez l'équipe pour qu'une autre famille prenne la place.

{contact}
"""
WAITING_BODY = """Bonjour {first_name},

La séance « {activity} » du {date} est complète : vous êtes sur la liste d'attente. Si une
place se libère, l'équipe de {organisation} vous la proposera.

{contact}
"""
DECLINED_BODY = """Bonjour {first_name},

L'équipe de {organisation} ne peut pas vous proposer de place pour « {activity} » le {date}.
N'hésitez pas à consulter l'agenda pour d'autres séances.

{contact}
"""


@dataclasses.dataclass(frozen=True)
class Registered:
    """What a registration did at one session: ``status`` confirmed or waiting."""

    session: Session
    registration: Registration

    @property
    def is_waiting(self) -> bool:
        return self.registration.status == Registration.Status.WAITING


def _check_open_for_registration(session: Session) -> None:
    if not takes_names(session.activity_type):
        raise ValidationError(NO_REGISTRATION)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(CANCELLED)
    if session.date < timezone.localdate():
        raise ValidationError(PAST)


def _counts(session: Session) -> dict[str, int]:
    rows = (
        Registration.objects.filter(session=session)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(Registration.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def _offer_next(session: Session, *, by) -> list[Registration]:
    """Offer the places free (the limit less those registered and offered) to the first
    households of the waiting list, in order. Logged for each."""
    limit = session.place_limit
    counts = _counts(session)
    free = (
        counts[Registration.Status.WAITING]
        if limit is None
        else limit - counts[Registration.Status.CONFIRMED] - counts[Registration.Status.OFFERED]
    )
    if free <= 0:
        return []
    offered = list(Registration.objects.waiting().filter(session=session)[:free])
    now = timezone.now()
    for registration in offered:
        registration.status = Registration.Status.OFFERED
        registration.offered_at = now
        registration.save(update_fields=["status", "offered_at"])
        audit_log(by, "registration.offer", session, household=registration.household_id)
    return offered


def _register(session: Session, household: Household, *, by, strict: bool) -> Registered | None:
    """Register ``household`` at the locked ``session``: confirmed while a place is free
    and nobody waits, else on the waiting list. A household already there: an error when
    ``strict``, else None (registering to a series skips the sessions it is already at)."""
    existing = Registration.objects.filter(session=session, household=household).first()
    if existing is not None and existing.status != Registration.Status.DECLINED:
        if strict:
            raise ValidationError(
                ALREADY.format(code=household.code, state=ALREADY_STATES[existing.status])
            )
        return None
    limit = session.place_limit
    counts = _counts(session)
    queue = counts[Registration.Status.WAITING] + counts[Registration.Status.OFFERED]
    taken = counts[Registration.Status.CONFIRMED] + counts[Registration.Status.OFFERED]
    has_place = limit is None or (not queue and taken < limit)
    status = Registration.Status.CONFIRMED if has_place else Registration.Status.WAITING
    registration = existing or Registration(session=session, household=household)
    registration.status = status
    registration.created_at = timezone.now()  # a household coming back joins the line's end
    registration.offered_at = None
    registration.save()
    if has_place:
        audit_log(by, "registration.add", session, household=household.pk)
    else:
        audit_log(by, "registration.wait", session, household=household.pk)
    return Registered(session=session, registration=registration)


def _series_sessions(session: Session, *, by) -> list[Session]:
    """The planned sessions of ``session``'s series from its date on that ``by`` may
    record: every one for the organisation's admins and coordinators, those they staff
    for a professional."""
    if session.series_id is None:
        raise ValidationError(NOT_IN_SERIES)
    sessions = Session.objects.filter(
        series_id=session.series_id, date__gte=session.date, status=Session.Status.PLANNED
    ).select_related("activity_type__programme__organisation", "site")
    if role_in(by, session.organisation_id) not in PLANNER_ROLES:
        sessions = sessions.filter(staff=by)
    return list(sessions.order_by("date", "start_time", "pk"))


def _admitted(session: Session, household_id, code: str, *, by) -> Household:
    """The household, if the sheet admits it for ``by``; else refused and logged."""
    household = None
    if is_possible_id(household_id):
        codes = {int(household_id): code} if code else None
        household = (
            households_admitted_at(user=by, session=session, codes=codes)
            .filter(pk=household_id)
            .first()
        )
    if household is None:
        refusal = HouseholdsRefused([household_id])
        _log_refusal(session, refusal, by=by)
        raise refusal
    return household


def registration_add(
    *, session: Session, household_id: int, code: str = "", whole_series: bool = False, by
) -> list[Registered]:
    """Register a household at ``session`` or, ``whole_series``, at every planned session
    of its series from this one on (those ``by`` may record). Confirmed while places are
    free and nobody waits, else on the waiting list (``Registered.is_waiting``). The
    household must be one the sheet admits for ``by`` (``households_admitted_at``; ``code``
    is the whole code the family gave); refused and logged otherwise. Logged as
    ``registration.add`` or ``registration.wait`` for each session."""
    if not can_record_attendance(by, session):
        raise PermissionDenied
    household = _admitted(session, household_id, code, by=by)
    with transaction.atomic():
        _check_open_for_registration(session)
        sessions = _series_sessions(session, by=by) if whole_series else [session]
        done = []
        for target in sessions:
            _lock_session(target)
            result = _register(target, household, by=by, strict=not whole_series)
            if result is not None:
                done.append(result)
        if whole_series and not done:
            raise ValidationError(
                ALREADY.format(code=household.code, state="inscrite")
                + " Aucune séance suivante de la série n'était libre de son inscription."
            )
        return done


@transaction.atomic
def registration_add_new_family(
    *, session: Session, first_name: str, whole_series: bool = False, by
) -> list[Registered]:
    """A family the team has never met, registered by phone: its household is created
    with a first name (``household_quick_create``, logged) and registered as by
    ``registration_add``."""
    if not can_record_attendance(by, session):
        raise PermissionDenied
    _check_open_for_registration(session)
    household = household_quick_create(
        organisation=session.activity_type.programme.organisation, first_name=first_name, by=by
    )
    return registration_add(
        session=session, household_id=household.pk, whole_series=whole_series, by=by
    )


def _registration(session: Session, registration_id) -> Registration:
    """A registration of ``session`` (a posted id goes through the session's door)."""
    registration = None
    if is_possible_id(registration_id):
        registration = (
            Registration.objects.select_for_update()
            .select_related("household")
            .filter(session=session, pk=registration_id)
            .first()
        )
    if registration is None:
        raise ValidationError(GONE)
    return registration


@transaction.atomic
def registration_remove(
    *, session: Session, registration_id: int, whole_series: bool = False, by
) -> list[Registration]:
    """Unregister a household from ``session`` (or, ``whole_series``, from every planned
    session of its series from this one on that ``by`` may record). A place freed goes to
    the first household of the waiting list (offered). Logged as ``registration.remove``
    for each session. Returns the registrations removed."""
    if not can_record_attendance(by, session):
        raise PermissionDenied
    _lock_session(session)
    registration = _registration(session, registration_id)
    household_id = registration.household_id
    targets = _series_sessions(session, by=by) if whole_series else [session]
    removed = []
    for target in targets:
        _lock_session(target)
        row = Registration.objects.filter(session=target, household_id=household_id).first()
        if row is None:
            continue
        row.delete()
        removed.append(row)
        audit_log(by, "registration.remove", target, household=household_id, status=row.status)
        _offer_next(target, by=by)
    return removed


@transaction.atomic
def registration_answer(
    *, session: Session, registration_id: int, accept: bool, by
) -> Registration:
    """The family's answer to a place offered, given by the staff: it takes the place
    (confirmed), or not (declined, and the place goes to the next in line). Logged as
    ``registration.accept`` or ``registration.decline``."""
    if not can_record_attendance(by, session):
        raise PermissionDenied
    _lock_session(session)
    registration = _registration(session, registration_id)
    if registration.status != Registration.Status.OFFERED:
        raise ValidationError(NOT_OFFERED)
    registration.status = Registration.Status.CONFIRMED if accept else Registration.Status.DECLINED
    registration.save(update_fields=["status"])
    if accept:
        audit_log(by, "registration.accept", session, household=registration.household_id)
    else:
        audit_log(by, "registration.decline", session, household=registration.household_id)
    if not accept:
        _offer_next(session, by=by)
    return registration


# --- Places asked for from the public agenda ------------------------------------------------


def _clean_request(*, first_name, phone, email, children, consent) -> dict:
    errors = {}
    first_name = " ".join((first_name or "").split())
    phone = " ".join((phone or "").split())
    email = (email or "").strip()
    if not first_name:
        errors["first_name"] = FIRST_NAME_REQUIRED
    if phone and not PHONE.match(re.sub(r"[\s.\-()]", "", phone)):
        errors["phone"] = BAD_PHONE
    if not phone and not email:
        errors["phone"] = CONTACT_REQUIRED
    is_number = isinstance(children, int) and not isinstance(children, bool)
    if not is_number or not 0 <= children <= MAX_CHILDREN:
        errors["children"] = BAD_CHILDREN
    if consent is not True:
        errors["consent"] = CONSENT_REQUIRED
    if errors:
        raise ValidationError(errors)
    return {"first_name": first_name, "phone": phone, "email": email, "children": children}


def _mail_values(session: Session, first_name: str) -> dict:
    organisation = session.activity_type.programme.organisation
    contact = [
        f"Pour joindre l'équipe : {value}"
        for value in (organisation.contact_phone, organisation.contact_email)
        if value
    ]
    return {
        "first_name": first_name,
        "activity": session.activity_type.name,
        "date": f"{session.date:%d/%m/%Y}",
        "time": f"{session.start_time:%H:%M}",
        "place": session.site.name,
        "organisation": organisation.name,
        "contact": "\n".join([*contact, "", f"L'équipe de {organisation.name}"]).strip(),
    }


def _mail_after_commit(email: str, subject: str, body: str) -> None:
    """Sent once the request or the decision is saved: a mail server down must not lose
    what the family asked, nor the staff's decision."""
    if email:
        transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))


@transaction.atomic
def place_request_create(
    *,
    session: Session,
    first_name: str,
    phone: str = "",
    email: str = "",
    children: int,
    consent: bool,
) -> PlaceRequest:
    """A family asks for a place at a public session on registration, without an account:
    a first name, a telephone or an e-mail address (at least one), the number of children
    and its consent to what is kept. A pending request for the staff; the family gets an
    e-mail acknowledgement when it gave an address. Logged without an actor."""
    session = (
        Session.objects.public()
        .select_related("activity_type__programme__organisation", "site")
        .get(pk=session.pk)
    )
    if session.activity_type.registration_mode != RegistrationMode.REGISTRATION:
        raise ValidationError(NOT_ON_REGISTRATION)
    if session.date < timezone.localdate():
        raise ValidationError(REQUEST_PAST)
    values = _clean_request(
        first_name=first_name, phone=phone, email=email, children=children, consent=consent
    )
    request = PlaceRequest.objects.create(session=session, consent_at=timezone.now(), **values)
    audit_log(None, "place_request.create", request, children=values["children"])
    mail = _mail_values(session, values["first_name"])
    _mail_after_commit(values["email"], REQUEST_SUBJECT.format(**mail), REQUEST_BODY.format(**mail))
    return request


def pending_request(session: Session, place_request_id) -> PlaceRequest:
    """A pending request for ``session`` (a posted id goes through the session's door)."""
    request = None
    if is_possible_id(place_request_id):
        request = (
            PlaceRequest.objects.select_for_update()
            .pending()
            .filter(session=session, pk=place_request_id)
            .first()
        )
    if request is None:
        raise ValidationError(REQUEST_GONE)
    return request


@transaction.atomic
def place_request_decide(
    *, session: Session, place_request_id: int, accept: bool, code: str = "", by
) -> PlaceRequest:
    """Accept or decline a family's request for a place. Accepted: the family's household
    (the one whose whole ``code`` it gave, or a new one with its first name) is registered,
    confirmed or on the waiting list as any registration. The family is told by e-mail
    when it gave an address. Those who may record the session; logged."""
    if not can_record_attendance(by, session):
        raise PermissionDenied
    _lock_session(session)
    request = pending_request(session, place_request_id)
    mail = _mail_values(session, request.first_name)
    if accept:
        _check_open_for_registration(session)
        code = " ".join((code or "").split())
        if code:
            household = (
                Household.objects.of_organisation(session.organisation_id)
                .with_whole_code(code)
                .first()
            )
            if household is None:
                raise ValidationError({"code": REQUEST_CODE_UNKNOWN})
        else:
            household = household_quick_create(
                organisation=session.activity_type.programme.organisation,
                first_name=request.first_name,
                by=by,
            )
        registered = _register(session, household, by=by, strict=True)
        request.household = household
        body = WAITING_BODY if registered.is_waiting else ACCEPTED_BODY
    else:
        body = DECLINED_BODY
    request.status = PlaceRequest.Status.ACCEPTED if accept else PlaceRequest.Status.DECLINED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "household", "decided_by", "decided_at"])
    if accept:
        audit_log(by, "place_request.accept", request, household=request.household_id)
    else:
        audit_log(by, "place_request.decline", request)
    _mail_after_commit(request.email, DECISION_SUBJECT.format(**mail), body.format(**mail))
    return request
