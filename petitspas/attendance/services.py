"""Writes of the field screen: who came, how many came, what was observed.

A save is one call, in one transaction, identified by the id the phone generated for it:
a double tap or a resubmission after a lost connection is recognised and never counted
twice. Saves of one session are queued behind each other (the session row is locked), and
a save made on a sheet that a colleague saved since is refused rather than overwriting
her marks unseen."""

import dataclasses
import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from petitspas.activities.models import Session
from petitspas.attendance.models import Attendance, Headcount, Observation, Submission, Theme
from petitspas.attendance.permissions import can_record_attendance
from petitspas.attendance.rules import (
    attends,
    clean_headcount,
    takes_headcount,
    takes_names,
)
from petitspas.attendance.selectors import households_admitted_among, households_refused_at
from petitspas.attendance.signals import sheet_saved
from petitspas.core.audit import audit_log
from petitspas.core.db import analyze, is_possible_id
from petitspas.families.models import Household, Person
from petitspas.families.services import household_quick_create

CANCELLED = "Cette séance est annulée : rien ne peut y être enregistré."
FUTURE = "Cette séance n'a pas encore eu lieu : les présences s'enregistrent le jour même ou après."
ANONYMOUS = (
    "Cette séance est anonyme (accueil libre) : on y compte les personnes, sans nommer les "
    "familles."
)
UNKNOWN_STATUS = "Présence inconnue : « {status} ». Choisissez Présent, Excusé ou Absent."
# One answer for an unknown id, another organisation's household and one the user has
# never met: posting ids must not tell which households exist.
REFUSED_HOUSEHOLD = (
    "Une des familles n'existe pas, n'appartient pas à l'organisation de la séance, a été "
    "anonymisée ou ne vous est pas connue : rien n'a été enregistré. Pour ajouter une "
    "famille rencontrée par une collègue, cherchez-la par son code complet."
)
NAMED_HEADCOUNT = (
    "Cette séance est nominative : on y note la présence de chaque famille, sans comptage anonyme."
)
NOBODY_IN_HOUSEHOLD = (
    "La famille {code} n'a ni parent ni enfant enregistré : complétez sa fiche, puis "
    "enregistrez à nouveau."
)
UNKNOWN_THEME = "Thème inconnu : « {theme} »."
THEMES_WITHOUT_TEXT = "Écrivez l'observation avant de choisir ses thèmes."
NOTHING_TO_SAVE = (
    "Rien à enregistrer : touchez Présent, Excusé ou Absent pour au moins une famille, "
    "ou écrivez une observation."
)
OTHER_SESSION = (
    "Cet envoi appartient à une autre séance : rechargez la page, puis enregistrez à nouveau."
)
CHANGED_SINCE = (
    "Une collègue a enregistré cette feuille pendant votre saisie : vérifiez les présences "
    "(ce qui est enregistré maintenant est indiqué là où votre saisie diffère), puis appuyez "
    "à nouveau sur Enregistrer."
)


class SheetChanged(ValidationError):
    """The sheet was saved by someone else since the version the save was based on."""

    def __init__(self):
        super().__init__(CHANGED_SINCE, code="changed_since")


@dataclasses.dataclass(frozen=True)
class Recording:
    """What a save did. ``replayed``: the id was already received, nothing was written."""

    submission: Submission
    replayed: bool
    households: int = 0
    observation: Observation | None = None


def _check_session(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(CANCELLED)
    if session.date > timezone.localdate():
        raise ValidationError(FUTURE)


def _clean_marks(marks: Mapping, walk_ins: Iterable) -> tuple[dict[int, str], set[int]]:
    walk_ins = {int(pk) for pk in walk_ins}
    cleaned = {int(pk): status for pk, status in marks.items()}
    for status in cleaned.values():
        if status not in Attendance.Status.values:
            raise ValidationError(UNKNOWN_STATUS.format(status=status))
    for pk in walk_ins:
        # A walk-in tapped in is present unless marked otherwise.
        cleaned.setdefault(pk, Attendance.Status.PRESENT)
    return cleaned, walk_ins


def _clean_headcount(headcount: Mapping | None) -> dict[str, int] | None:
    return clean_headcount(headcount)


def _clean_observation(observation) -> tuple[str, list[str]]:
    if observation is None:
        return "", []
    text, themes = observation
    text = (text or "").strip()
    themes = list(dict.fromkeys(themes or ()))
    for theme in themes:
        if theme not in Theme.values:
            raise ValidationError(UNKNOWN_THEME.format(theme=theme))
    if themes and not text:
        raise ValidationError(THEMES_WITHOUT_TEXT)
    return text, themes


class HouseholdsRefused(ValidationError):
    """Households the user may not put on the sheet (``households_admitted_at``)."""

    def __init__(self, household_ids):
        super().__init__(REFUSED_HOUSEHOLD, code="refused_household")
        self.household_ids = sorted(household_ids)


def _people_by_household(
    session: Session, household_ids, *, codes: Mapping[int, str] | None, by
) -> dict[int, list[int]]:
    """The ids of the parents and children of each household, which must all be
    households ``by`` may put on the session's sheet (``households_admitted_among``: of the
    session's organisation, not anonymised, expected there, met or whose whole code is in
    ``codes``); raises ``HouseholdsRefused`` otherwise. A child born after the session
    (recorded late) was not there. Plain rows: two queries, no model instance."""
    wanted = set(household_ids)
    possible = {pk for pk in wanted if is_possible_id(pk)}
    households = dict(
        Household.objects.of_organisation(session.organisation_id)
        .filter(pk__in=possible)
        .values_list("pk", "code")
    )
    admitted = households_admitted_among(
        user=by, session=session, households=households, codes=codes
    )
    if len(admitted) != len(wanted):
        raise HouseholdsRefused(wanted - admitted)
    members: dict[int, list[int]] = {pk: [] for pk in admitted}
    people = (
        Person.objects.filter(household_id__in=admitted)
        .order_by("pk")
        .values_list("household_id", "pk", "role", "birth_date")
    )
    for household_id, pk, role, birth_date in people:
        if attends(role=role, birth_date=birth_date, on=session.date):
            members[household_id].append(pk)
    for pk in sorted(admitted, key=households.__getitem__):
        if not members[pk]:
            raise ValidationError(NOBODY_IN_HOUSEHOLD.format(code=households[pk]))
    return members


def _log_refusal(session: Session, refusal: HouseholdsRefused, *, by) -> None:
    """The refusal stays in the log when the save around it is rolled back."""
    with transaction.atomic():
        audit_log(by, "attendance.household_refused", session, households=refusal.household_ids)


def _lock_session(session: Session) -> None:
    """Queue the saves of one session: on PostgreSQL a second saver waits here until the
    first one commits, then sees its submission (replays, the ``based_on`` check) and its
    rows, and two savers never upsert the same attendance rows at once (which could
    deadlock). SQLite ignores the lock: it runs one write transaction at a time already
    (``transaction_mode`` IMMEDIATE in the settings), so no query is sent there."""
    if not connection.features.has_select_for_update:
        return
    Session.objects.select_for_update().filter(pk=session.pk).values_list("pk").get()


def _previous_submission(client_id: uuid.UUID) -> Submission | None:
    return Submission.objects.filter(client_id=client_id).first()


def _check_same_form(submission: Submission, session: Session, kind: str) -> None:
    """A client id received before must come back from the same form of the same session."""
    if submission.session_id != session.pk or submission.kind != kind:
        raise ValidationError(OTHER_SESSION)


def _replay(submission: Submission, session: Session) -> Recording:
    _check_same_form(submission, session, Submission.RECORD)
    return Recording(submission=submission, replayed=True)


def households_refusal_check(
    *, session: Session, household_ids: Iterable[int], codes: Mapping[int, str] | None, by
) -> None:
    """Need-to-know on the sheet, before showing households on it: raise
    ``HouseholdsRefused`` when one of ``household_ids`` is not one ``by`` may put on the
    session's sheet (``households_admitted_at``). Logged as
    ``attendance.household_refused`` with the ids; one message for every case, so that
    posting ids cannot tell which households exist."""
    refused = households_refused_at(
        user=by, session=session, household_ids=household_ids, codes=codes
    )
    if refused:
        refusal = HouseholdsRefused(refused)
        _log_refusal(session, refusal, by=by)
        raise refusal


def attendance_record(
    *,
    session: Session,
    marks: Mapping[int, str],
    walk_ins: Iterable[int] = (),
    codes: Mapping[int, str] | None = None,
    headcount: Mapping[str, int] | None = None,
    observation: tuple[str, Iterable[str]] | None = None,
    client_id: uuid.UUID,
    based_on: str | None = None,
    by,
) -> Recording:
    """Save the field sheet of a session at once: a status per household (one Attendance
    per parent and child, walk-ins flagged), the anonymous headcount (set, not added; open
    sessions only) and an observation.

    The staff of the session and the organisation's admins and coordinators only. A
    household marked must be one they may put on the sheet (``households_refusal_check``:
    expected there, a file they may open, or whose whole code is in ``codes``); anything
    else is refused and logged. If ``client_id`` was already received, nothing is written
    and the first save is returned (``replayed=True``). ``based_on`` is the
    ``Submission.objects.sheet_version`` the sheet was shown at: if another save came
    since, ``SheetChanged`` is raised and nothing is written (``None`` skips the check).
    Everything is checked before the first write; logged as ``attendance.record``
    (household ids and counts, never a name)."""
    try:
        return _attendance_record(
            session=session,
            marks=marks,
            walk_ins=walk_ins,
            codes=codes,
            headcount=headcount,
            observation=observation,
            client_id=client_id,
            based_on=based_on,
            by=by,
        )
    except HouseholdsRefused as refusal:
        _log_refusal(session, refusal, by=by)
        raise


@transaction.atomic
def _attendance_record(
    *, session, marks, walk_ins, codes, headcount, observation, client_id, based_on, by
) -> Recording:
    if not can_record_attendance(by, session):
        raise PermissionDenied
    _lock_session(session)
    previous = _previous_submission(client_id)
    if previous is not None:
        return _replay(previous, session)
    _check_session(session)
    if based_on is not None and based_on != Submission.objects.sheet_version(session):
        raise SheetChanged
    marks, walk_ins = _clean_marks(marks, walk_ins)
    if marks and not takes_names(session.activity_type):
        raise ValidationError(ANONYMOUS)
    counters = _clean_headcount(headcount)
    if counters is not None and not takes_headcount(session.activity_type):
        raise ValidationError(NAMED_HEADCOUNT)
    text, themes = _clean_observation(observation)
    if not marks and counters is None and not text:
        raise ValidationError(NOTHING_TO_SAVE)
    people = _people_by_household(session, marks, codes=codes, by=by) if marks else {}

    try:
        # Two taps racing (possible on a backend without row locks): the second insert
        # waits for the first and fails on the unique id.
        with transaction.atomic():
            submission = Submission.objects.create(
                client_id=client_id, session=session, kind=Submission.RECORD, user=by
            )
    except IntegrityError:
        return _replay(Submission.objects.get(client_id=client_id), session)

    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                person_id=person,
                household_id=household_id,
                status=marks[household_id],
                is_walk_in=household_id in walk_ins,
                recorded_by=by,
                recorded_at=now,
            )
            for household_id, members in people.items()
            for person in members
        ],
        update_conflicts=True,
        unique_fields=["session", "person"],
        update_fields=["household", "status", "is_walk_in", "recorded_by", "recorded_at"],
    )
    if counters is not None:
        # One statement, like the attendance rows: set whether or not a row exists, with
        # no gap between a lookup and an insert for another writer to fall into.
        Headcount.objects.bulk_create(
            [Headcount(session=session, **counters, recorded_by=by, updated_at=now)],
            update_conflicts=True,
            unique_fields=["session"],
            update_fields=[*Headcount.COUNTERS, "recorded_by", "updated_at"],
        )
    note = None
    if text:
        note = Observation.objects.create(
            session=session, author=by, observed_on=session.date, text=text, themes=themes
        )
    present = _record_families_present(session)
    # Listeners (the figures) write in this same transaction.
    sheet_saved.send(sender=Session, session=session, household_ids=sorted(people))
    by_status = dict.fromkeys(Attendance.Status.values, 0)
    for status in marks.values():
        by_status[status] += 1
    audit_log(
        by,
        "attendance.record",
        session,
        client_id=str(client_id),
        households=by_status,
        walk_ins=sorted(walk_ins),
        headcount=counters,
        observation=note.pk if note else None,
        families_present=present,
        places=session.place_limit,
    )
    return Recording(submission=submission, replayed=False, households=len(marks), observation=note)


def _record_families_present(session: Session) -> int:
    """Write on the session how many households its sheet marks present: more than its
    places is allowed (nobody is turned away at the door), and the session's page and
    sheet say so ("17 familles présentes pour 15 places")."""
    present = families_present_counts(Session.objects.filter(pk=session.pk)).get(session.pk, 0)
    if session.families_present != present:
        session.families_present = present
        Session.objects.filter(pk=session.pk).update(families_present=present)
    return present


def families_present_counts(
    sessions: QuerySet[Session], *, recorded: bool = False
) -> dict[int, int]:
    """The one computation of ``Session.families_present``: per session, the households
    its attendance rows mark present (a household counts once, however many of its people
    came). Sessions where nobody is marked present are missing, or 0 with ``recorded``
    for those that have attendance rows all the same (a sheet was recorded). One query."""
    rows = Attendance.objects.filter(session__in=sessions)
    if not recorded:
        rows = rows.filter(status=Attendance.Status.PRESENT)
    rows = (
        rows.order_by()
        .values("session_id")
        .annotate(
            households=Count(
                "household_id", distinct=True, filter=Q(status=Attendance.Status.PRESENT)
            )
        )
    )
    return {row["session_id"]: row["households"] for row in rows}


def families_present_write(*, sessions: QuerySet[Session], batch_size: int = 1000) -> int:
    """What the sheet's save writes, for loaders that write attendance rows in bulk (the
    demo, the benchmark's territory): ``families_present`` of every session of
    ``sessions`` that has attendance rows, 0 when none of them is present. Sessions without
    rows keep theirs (none: no sheet was recorded). Returns the number of sessions written.

    The rows were just written in bulk: the planner's statistics are refreshed first, and
    one grouped pass over them gives both the sessions and their counts (16 M rows: 12 s;
    a separate DISTINCT over them had not ended after 17 minutes)."""
    analyze(Attendance, Session)
    counts = families_present_counts(sessions, recorded=True)
    rows = [Session(pk=pk, families_present=present) for pk, present in counts.items()]
    Session.objects.bulk_update(rows, ["families_present"], batch_size=batch_size)
    return len(rows)


@transaction.atomic
def walk_in_household_create(
    *, session: Session, first_name: str, code: str | None = None, client_id: uuid.UUID, by
) -> Household:
    """Those who may record the session create a family met there for the first time (a
    first name, a code if they have one). The same client id again gives back the family it
    created, so a double tap or a retry after a lost answer never makes two. The creation
    is logged by ``household_quick_create``."""
    if not can_record_attendance(by, session):
        raise PermissionDenied
    if session.activity_type.is_anonymous:
        raise ValidationError(ANONYMOUS)
    _check_session(session)
    previous = _previous_submission(client_id)
    if previous is None:
        try:
            with transaction.atomic():
                household = household_quick_create(
                    organisation=session.activity_type.programme.organisation,
                    first_name=first_name,
                    code=code,
                    by=by,
                )
                Submission.objects.create(
                    client_id=client_id,
                    session=session,
                    kind=Submission.WALK_IN,
                    user=by,
                    household=household,
                )
                return household
        except IntegrityError:
            # Two taps racing: the first one's family stands, the second is rolled back.
            previous = _previous_submission(client_id)
            if previous is None:
                raise
    _check_same_form(previous, session, Submission.WALK_IN)
    return previous.household
