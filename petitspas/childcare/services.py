"""Writes on referrals and enrolments.

Each service takes keyword arguments, checks who calls it, runs in one transaction and
writes its audit entry there. A decision (accepted, waiting list, refused, ended) e-mails
the prescriber once the transaction is committed.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from petitspas.childcare import emails
from petitspas.childcare.models import (
    MIN_AGE,
    EndReason,
    Enrolment,
    Pathway,
    Referral,
    ReferralChild,
    ReferralTransition,
    RefusalReason,
    State,
    age_label,
    is_of_age,
)
from petitspas.childcare.permissions import can_decide_referral, can_link_prescribers, can_refer_to
from petitspas.childcare.selectors import reference_half_days
from petitspas.childcare.transitions import illegal_message, is_allowed
from petitspas.core.audit import audit_log
from petitspas.families.models import Person
from petitspas.families.services import household_create
from petitspas.organisations.models import Organisation, Programme, ProgrammePrescriber

MAX_CHILDREN = 6

NO_CHILD = "Indiquez au moins un enfant, avec sa date de naissance."
TOO_MANY_CHILDREN = f"Une orientation compte {MAX_CHILDREN} enfants au plus."
NO_CONTACT = "Indiquez un téléphone ou une adresse électronique pour joindre le parent."
UNKNOWN_PATHWAY = "Choisissez le parcours du parent : France Travail, PLIE ou APIJE."
PAST_NEED = "Le besoin d'accueil ne peut pas commencer avant aujourd'hui."
TOO_YOUNG = (
    "{name} aura {age} le {day} : Les Petits Pas accueillent les enfants à partir de 3 mois."
)
TOO_OLD = "{name} aura {age} le {day} : Les Petits Pas accueillent les enfants jusqu'à leurs 3 ans."
UNKNOWN_REFUSAL = "Choisissez le motif du refus."
UNKNOWN_END = "Choisissez le motif de fin : fin du parcours, enfant de 3 ans ou déménagement."
SETTLING_BEFORE_START = "L'adaptation se termine au plus tôt le jour du début de l'accueil."
END_BEFORE_START = "La fin de l'accueil ne peut pas précéder son début."
UNKNOWN_HALF_DAY = "Choisissez des demi-journées où un lieu du programme est ouvert."
ALREADY_LINKED = "Cette organisation oriente déjà vers ce programme."
NOT_A_PRESCRIBER = "Choisissez une organisation prescriptrice."


def _age_errors(children: Iterable[tuple[str, datetime.date]], on: datetime.date) -> list[str]:
    errors = []
    day = date_format(on, "j F Y")
    for name, birth_date in children:
        if is_of_age(birth_date, on):
            continue
        template = TOO_YOUNG if on < birth_date + MIN_AGE else TOO_OLD
        errors.append(template.format(name=name, age=age_label(birth_date, on), day=day))
    return errors


@transaction.atomic
def referral_create(
    *,
    programme: Programme,
    prescriber_organisation: Organisation,
    parent_first_name: str,
    pathway: str,
    adviser_name: str,
    needed_from: datetime.date,
    needs: str,
    children: Iterable[dict],
    contact_phone: str = "",
    contact_email: str = "",
    comment: str = "",
    by,
) -> Referral:
    """A prescriber of ``prescriber_organisation``, which refers families to ``programme``,
    refers a parent and their children. Every child must be at least 3 months and under 3
    years old on ``needed_from``. Nothing is saved unless everything is right. Logged."""
    if not can_refer_to(by, programme, prescriber_organisation):
        raise PermissionDenied
    children = [
        {"first_name": " ".join(c["first_name"].split()), "birth_date": c["birth_date"]}
        for c in children
    ]
    errors: dict[str, list[str]] = {}
    if not children:
        errors["children"] = [NO_CHILD]
    elif len(children) > MAX_CHILDREN:
        errors["children"] = [TOO_MANY_CHILDREN]
    elif needed_from is not None:
        ages = _age_errors(((c["first_name"], c["birth_date"]) for c in children), needed_from)
        if ages:
            errors["children"] = ages
    if not contact_phone.strip() and not contact_email.strip():
        errors["contact_phone"] = [NO_CONTACT]
    if pathway not in Pathway.values:
        errors["pathway"] = [UNKNOWN_PATHWAY]
    if needed_from is not None and needed_from < timezone.localdate():
        errors["needed_from"] = [PAST_NEED]
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        programme=programme,
        prescriber_organisation=prescriber_organisation,
        created_by=by,
        parent_first_name=" ".join(parent_first_name.split()),
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip().lower(),
        pathway=pathway,
        adviser_name=" ".join(adviser_name.split()),
        needed_from=needed_from,
        needs=needs.strip(),
        comment=comment.strip(),
    )
    referral.full_clean(exclude=["household"])
    referral.save()
    ReferralChild.objects.bulk_create(
        [ReferralChild(referral=referral, **child) for child in children]
    )
    ReferralTransition.objects.create(referral=referral, from_state="", to_state=State.NEW, by=by)
    # The audit entry says what was done, never the family's details.
    audit_log(by, "referral.create", referral, children=len(children))
    return referral


def _move(
    referral: Referral, to: str, *, by, reason: str = "", reason_shared: bool = False, note=""
) -> tuple[Referral, str]:
    """Check and apply one row of the transition table, on the locked row; returns the
    referral and the state it left."""
    if not can_decide_referral(by, referral):
        raise PermissionDenied
    locked = Referral.objects.select_for_update().select_related("programme").get(pk=referral.pk)
    source = locked.state
    if not is_allowed(source, to):
        raise ValidationError(illegal_message(source, to))
    now = timezone.now()
    locked.state = to
    locked.state_changed_at = now
    ReferralTransition.objects.create(
        referral=locked,
        from_state=source,
        to_state=to,
        at=now,
        by=by,
        reason=reason,
        reason_shared=reason_shared,
        note=note.strip(),
    )
    return locked, source


def _notify(referral: Referral, *, site_url: str) -> None:
    transaction.on_commit(lambda: emails.send_decision(referral, site_url=site_url))


@transaction.atomic
def referral_start_review(*, referral: Referral, note: str = "", by) -> Referral:
    """The coordinator takes a new referral up. Logged."""
    referral, source = _move(referral, State.UNDER_REVIEW, by=by, note=note)
    referral.save(update_fields=["state", "state_changed_at"])
    audit_log(by, "referral.review", referral, before=source)
    return referral


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    starts_on: datetime.date,
    settling_in_until: datetime.date,
    ends_on: datetime.date | None = None,
    reference_week: Iterable[str] = (),
    note: str = "",
    by,
    site_url: str = "",
) -> Referral:
    """Accept: the family's file is created in the programme's organisation (the parent's
    and the children's first names, the birth dates) and each child is enrolled from
    ``starts_on``, with its settling-in period and reference week. Every child must still
    be of age on ``starts_on``. Logged; the prescriber is e-mailed."""
    referral, source = _move(referral, State.ACCEPTED, by=by, note=note)
    children = list(referral.children.all())
    errors: dict[str, list[str]] = {}
    ages = _age_errors(((c.first_name, c.birth_date) for c in children), starts_on)
    if ages:
        errors["starts_on"] = ages
    if settling_in_until < starts_on:
        errors["settling_in_until"] = [SETTLING_BEFORE_START]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [END_BEFORE_START]
    offered = {value for value, _label in reference_half_days(referral.programme)}
    week = sorted(set(reference_week))
    if any(half_day not in offered for half_day in week):
        errors["reference_week"] = [UNKNOWN_HALF_DAY]
    if errors:
        raise ValidationError(errors)
    household = referral.household
    if household is None:
        people = [Person(role=Person.Role.PARENT, first_name=referral.parent_first_name)] + [
            Person(role=Person.Role.CHILD, first_name=c.first_name, birth_date=c.birth_date)
            for c in children
        ]
        household = household_create(
            organisation=referral.programme.organisation, people=people, by=by
        )
        referral.household = household
        persons = [p for p in household.people.all() if p.role == Person.Role.CHILD]
        for child, person in zip(children, sorted(persons, key=lambda p: p.pk), strict=True):
            child.person = person
        ReferralChild.objects.bulk_update(children, ["person"])
    referral.save(update_fields=["state", "state_changed_at", "household"])
    audit_log(by, "referral.accept", referral, before=source)
    for child in children:
        enrolment = Enrolment.objects.create(
            programme=referral.programme,
            referral=referral,
            child=child.person,
            starts_on=starts_on,
            ends_on=ends_on,
            settling_in_until=settling_in_until,
            reference_week=week,
        )
        audit_log(by, "enrolment.create", enrolment)
    _notify(referral, site_url=site_url)
    return referral


@transaction.atomic
def referral_wait(*, referral: Referral, note: str = "", by, site_url: str = "") -> Referral:
    """Put on the waiting list. Logged; the prescriber is e-mailed."""
    referral, source = _move(referral, State.WAITING_LIST, by=by, note=note)
    referral.save(update_fields=["state", "state_changed_at"])
    audit_log(by, "referral.wait", referral, before=source)
    _notify(referral, site_url=site_url)
    return referral


@transaction.atomic
def referral_refuse(
    *,
    referral: Referral,
    reason: str,
    reason_shared: bool = False,
    note: str = "",
    by,
    site_url: str = "",
) -> Referral:
    """Refuse, with a coded reason, shared with the prescriber or not. Logged; the
    prescriber is e-mailed (with the reason when shared)."""
    if reason not in RefusalReason.values:
        # Checked before the move: a wrong reason is the form's, not the transition's.
        if not can_decide_referral(by, referral):
            raise PermissionDenied
        raise ValidationError({"reason": UNKNOWN_REFUSAL})
    referral, source = _move(
        referral, State.REFUSED, by=by, reason=reason, reason_shared=reason_shared, note=note
    )
    referral.refusal_reason = reason
    referral.refusal_reason_shared = reason_shared
    referral.save(
        update_fields=["state", "state_changed_at", "refusal_reason", "refusal_reason_shared"]
    )
    audit_log(by, "referral.refuse", referral, before=source, reason=reason, shared=reason_shared)
    _notify(referral, site_url=site_url)
    return referral


@transaction.atomic
def referral_end(
    *, referral: Referral, reason: str, note: str = "", by, site_url: str = ""
) -> Referral:
    """End an accepted referral (or one on the waiting list): end of the pathway, the
    child turned 3, the family moved away. Its enrolments end today at the latest.
    Logged; the prescriber is e-mailed."""
    if reason not in EndReason.values:
        if not can_decide_referral(by, referral):
            raise PermissionDenied
        raise ValidationError({"reason": UNKNOWN_END})
    referral, source = _move(referral, State.ENDED, by=by, reason=reason, note=note)
    referral.end_reason = reason
    referral.save(update_fields=["state", "state_changed_at", "end_reason"])
    today = timezone.localdate()
    for enrolment in Enrolment.objects.select_for_update().filter(referral=referral):
        if enrolment.ends_on is None or enrolment.ends_on > today:
            enrolment.ends_on = max(today, enrolment.starts_on)
            enrolment.save(update_fields=["ends_on"])
    audit_log(by, "referral.end", referral, before=source, reason=reason)
    _notify(referral, site_url=site_url)
    return referral


@transaction.atomic
def prescriber_link(*, programme: Programme, organisation: Organisation, by) -> ProgrammePrescriber:
    """The programme's admins and coordinators say that a prescriber organisation refers
    families to it: its prescribers may then refer, and be invited by them. Logged."""
    if not can_link_prescribers(by, programme):
        raise PermissionDenied
    if organisation.kind != Organisation.Kind.PRESCRIBER:
        raise ValidationError({"organisation": NOT_A_PRESCRIBER})
    if ProgrammePrescriber.objects.filter(programme=programme, organisation=organisation).exists():
        raise ValidationError({"organisation": ALREADY_LINKED})
    link = ProgrammePrescriber.objects.create(programme=programme, organisation=organisation)
    audit_log(by, "programme.prescriber_link", link)
    return link
