"""Every write of the qualitative diagnosis: keyword-only arguments, one transaction, the
permission check (through the door again) and an audit entry that never holds the text
typed."""

import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from petitspas.core.audit import audit_log
from petitspas.core.bounds import DAY_OUT_OF_BOUNDS, is_possible_day
from petitspas.diagnosis.booklet import build_snapshot, diff_snapshots, has_changes
from petitspas.diagnosis.models import (
    Area,
    Attachment,
    BookletEdition,
    BookletSection,
    Code,
    InquiryRecord,
    Passage,
)
from petitspas.diagnosis.models.inquiry import BookletPart, Method
from petitspas.diagnosis.permissions_inquiry import access_inquiry, access_record

NAME_WITHOUT_CONSENT = (
    "Un nom n'est gardé qu'avec le consentement de la personne : cochez la case du "
    "consentement, ou laissez le nom vide."
)
NOBODY = "Indiquez combien de personnes de chaque profil ont participé (au moins une)."
AREA_ELSEWHERE = "Ce quartier n'est pas l'un de ceux de l'organisation."
OUTSIDE = (
    "Ce passage sort du texte de l'enregistrement ({length} caractères) : sélectionnez-le à "
    "nouveau dans la transcription."
)
NOT_FOUND = (
    "Ce passage ne se trouve pas dans la transcription de cet enregistrement : copiez-le tel "
    "qu'il y est écrit (un passage d'un autre entretien ne peut pas y être codé)."
)
MISMATCH = (
    "Le texte sélectionné ne correspond plus à la transcription (elle a peut-être été "
    "modifiée entre-temps) : sélectionnez le passage à nouveau."
)
NO_TEXT = "Cet enregistrement n'a pas encore de transcription : il n'y a rien à coder."
NO_CODE = "Choisissez au moins un thème ou un code de la grille."
CODE_ELSEWHERE = "Un des codes choisis n'est pas dans la grille de cette organisation."
PASSAGE_LOST = (
    "Le passage codé {passage} n'est plus dans la nouvelle transcription : retirez d'abord "
    "son codage, ou gardez-le dans le texte."
)

# Attachments: what may be stored, recognised by the file's first bytes as well as its
# extension (a renamed executable is refused), and how large.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".txt": ("text/plain; charset=utf-8", ()),
    ".mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".m4a": ("audio/mp4", ()),
}
ATTACHMENT_MAX_BYTES = getattr(settings, "DIAGNOSIS_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
TYPE_REFUSED = (
    "Ce type de fichier n'est pas accepté : PDF, image (PNG, JPEG), texte (ODT, DOCX, TXT) "
    "ou enregistrement audio (MP3, M4A)."
)
CONTENT_REFUSED = "Le contenu de ce fichier ne correspond pas à son extension ({ext})."
TOO_LARGE = "Ce fichier pèse {size} Mo : la limite est de {limit} Mo par pièce jointe."
EMPTY_FILE = "Ce fichier est vide."


def normalise_text(text: str) -> str:
    """Line ends as the browser's page gives them (``\\n``), so that the offsets of a
    selection made on the page are offsets in the stored text."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _record_fields(
    *, organisation, area, held_on, consent, participant_name, counts, transcript, notes
) -> dict:
    errors = {}
    if not is_possible_day(held_on):
        errors["held_on"] = DAY_OUT_OF_BOUNDS
    if area.organisation_id != organisation.pk:
        errors["area"] = AREA_ELSEWHERE
    participant_name = (participant_name or "").strip()
    if participant_name and not consent:
        errors["participant_name"] = NAME_WITHOUT_CONSENT
    if sum(counts.values()) < 1:
        errors["residents"] = NOBODY
    if errors:
        raise ValidationError(errors)
    return {
        "participant_name": participant_name,
        "transcript": normalise_text(transcript),
        "notes": normalise_text(notes),
    }


@transaction.atomic
def record_create(
    *,
    by,
    organisation,
    area: Area,
    held_on: datetime.date,
    method: str,
    title: str,
    residents: int = 0,
    parents: int = 0,
    professionals: int = 0,
    associations: int = 0,
    consent: bool = False,
    participant_name: str = "",
    notes: str = "",
    transcript: str = "",
) -> InquiryRecord:
    organisation = access_inquiry(by, organisation.pk, for_="edit")
    if method not in Method.values:
        raise ValidationError({"method": "Choisissez la méthode."})
    counts = {
        "residents": residents,
        "parents": parents,
        "professionals": professionals,
        "associations": associations,
    }
    cleaned = _record_fields(
        organisation=organisation,
        area=area,
        held_on=held_on,
        consent=consent,
        participant_name=participant_name,
        counts=counts,
        transcript=transcript,
        notes=notes,
    )
    record = InquiryRecord.objects.create(
        organisation=organisation,
        area=area,
        held_on=held_on,
        method=method,
        title=title.strip(),
        consent=consent,
        created_by=by,
        **counts,
        **cleaned,
    )
    audit_log(by, "inquiry.record_create", record, area=area.pk, method=method)
    return record


def _relocate(passages, text: str) -> list[tuple[Passage, int]]:
    """Where each coded passage now starts in ``text``: at its offset if it is still
    there, else its first occurrence; refused when it is gone."""
    moved = []
    for passage in passages:
        if text[passage.start : passage.end] == passage.excerpt:
            continue
        start = text.find(passage.excerpt)
        if start < 0:
            raise ValidationError({"transcript": PASSAGE_LOST.format(passage=passage)})
        moved.append((passage, start))
    return moved


@transaction.atomic
def record_update(
    *,
    by,
    record: InquiryRecord,
    area: Area,
    held_on: datetime.date,
    method: str,
    title: str,
    residents: int = 0,
    parents: int = 0,
    professionals: int = 0,
    associations: int = 0,
    consent: bool = False,
    participant_name: str = "",
    notes: str = "",
    transcript: str = "",
) -> InquiryRecord:
    """Edit a record. A new transcript keeps its coded passages where they are found again;
    one that loses a coded passage is refused."""
    access_record(by, record.pk, for_="edit")
    record = InquiryRecord.objects.select_for_update().get(pk=record.pk)
    if method not in Method.values:
        raise ValidationError({"method": "Choisissez la méthode."})
    counts = {
        "residents": residents,
        "parents": parents,
        "professionals": professionals,
        "associations": associations,
    }
    cleaned = _record_fields(
        organisation=record.organisation,
        area=area,
        held_on=held_on,
        consent=consent,
        participant_name=participant_name,
        counts=counts,
        transcript=transcript,
        notes=notes,
    )
    moved = _relocate(record.passages.all(), cleaned["transcript"])
    values = {
        "area": area,
        "held_on": held_on,
        "method": method,
        "title": title.strip(),
        "consent": consent,
        **counts,
        **cleaned,
    }
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    for passage, start in moved:
        passage.end = start + len(passage.excerpt)
        passage.start = start
        passage.save(update_fields=["start", "end"])
    audit_log(by, "inquiry.record_update", record, fields=changed, passages_moved=len(moved))
    return record


def locate_passage(text: str, *, start: int | None, end: int | None, excerpt: str) -> tuple:
    """``(start, end)`` of the passage in ``text``: the offsets given (checked against the
    excerpt when both are posted), or the excerpt's first occurrence. A passage outside
    the text, or an excerpt that is not in it, is refused with a French message."""
    excerpt = normalise_text(excerpt)
    if not text:
        raise ValidationError(NO_TEXT, code="no_text")
    if start is not None or end is not None:
        if start is None or end is None or not 0 <= start < end <= len(text):
            raise ValidationError({"excerpt": OUTSIDE.format(length=len(text))}, code="outside")
        if excerpt and text[start:end] != excerpt:
            raise ValidationError({"excerpt": MISMATCH}, code="mismatch")
        return start, end
    stripped = excerpt.strip()
    position = text.find(stripped) if stripped else -1
    if position < 0:
        raise ValidationError({"excerpt": NOT_FOUND}, code="not_found")
    return position, position + len(stripped)


@transaction.atomic
def passage_code(
    *,
    by,
    record: InquiryRecord,
    codes,
    start: int | None = None,
    end: int | None = None,
    excerpt: str = "",
    comment: str = "",
) -> Passage:
    """Code a passage of the record's transcript with one or more codes of the
    organisation's codebook: by offsets (a selection on the page) or by its text (typed or
    pasted, without JavaScript)."""
    access_record(by, record.pk, for_="edit")
    record = InquiryRecord.objects.select_for_update().get(pk=record.pk)
    codes = list(codes or [])
    if not codes:
        raise ValidationError({"codes": NO_CODE})
    if any(code.organisation_id != record.organisation_id for code in codes):
        raise ValidationError({"codes": CODE_ELSEWHERE})
    start, end = locate_passage(record.transcript, start=start, end=end, excerpt=excerpt)
    passage = Passage.objects.create(
        record=record,
        start=start,
        end=end,
        excerpt=record.transcript[start:end],
        comment=(comment or "").strip(),
        created_by=by,
    )
    passage.codes.set(codes)
    audit_log(
        by,
        "inquiry.passage_code",
        record,
        passage=passage.pk,
        codes=sorted(code.pk for code in codes),
    )
    return passage


@transaction.atomic
def passage_delete(*, by, passage: Passage) -> None:
    record = access_record(by, passage.record_id, for_="edit")
    pk = passage.pk
    passage.delete()
    audit_log(by, "inquiry.passage_delete", record, passage=pk)


def check_attachment(upload) -> tuple[str, str]:
    """``(name, content type)`` of an upload that may be stored, or a ValidationError."""
    name = PurePosixPath(upload.name or "fichier").name[-150:]
    ext = PurePosixPath(name).suffix.lower()
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError({"file": TYPE_REFUSED}, code="type")
    if not upload.size:
        raise ValidationError({"file": EMPTY_FILE}, code="empty")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": TOO_LARGE.format(
                    size=f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                    limit=ATTACHMENT_MAX_BYTES // (1024 * 1024),
                )
            },
            code="size",
        )
    content_type, signatures = ATTACHMENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError({"file": CONTENT_REFUSED.format(ext=ext)}, code="content")
    if ext == ".m4a" and head[4:8] != b"ftyp":
        raise ValidationError({"file": CONTENT_REFUSED.format(ext=ext)}, code="content")
    if ext == ".txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A cut in the middle of a character at 2048 bytes is still text.
            if exc.start < len(head) - 3:
                raise ValidationError(
                    {"file": "Ce fichier texte n'est pas en UTF-8."}, code="content"
                ) from exc
    return name, content_type


@transaction.atomic
def attachment_add(*, by, record: InquiryRecord, file) -> Attachment:
    access_record(by, record.pk, for_="edit")
    name, content_type = check_attachment(file)
    attachment = Attachment(
        record=record, name=name, content_type=content_type, size=file.size, uploaded_by=by
    )
    # Saved through the storage API: the path is random, never served from MEDIA_URL.
    attachment.file.save(name, file, save=False)
    attachment.save()
    audit_log(by, "inquiry.attachment_add", record, attachment=attachment.pk, size=file.size)
    return attachment


@transaction.atomic
def attachment_delete(*, by, attachment: Attachment) -> None:
    record = access_record(by, attachment.record_id, for_="edit")
    storage, path, pk = attachment.file.storage, attachment.file.name, attachment.pk
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
    audit_log(by, "inquiry.attachment_delete", record, attachment=pk)


def attachment_download_logged(*, by, attachment: Attachment) -> None:
    """A file of a record was opened: logged, as a family file's opening is."""
    audit_log(by, "inquiry.attachment_download", attachment.record, attachment=attachment.pk)


# --- The codebook ---------------------------------------------------------------------
THEME_TAKEN = "Un thème porte déjà ce nom dans la grille."
CODE_TAKEN = "Ce thème a déjà un code de ce nom."
NESTED_TOO_DEEP = "Un code se range sous un thème, pas sous un autre code."


def _save_code(code: Code) -> None:
    try:
        with transaction.atomic():
            code.save()
    except IntegrityError as exc:
        raise ValidationError({"name": CODE_TAKEN if code.parent_id else THEME_TAKEN}) from exc


@transaction.atomic
def code_create(
    *, by, organisation, name: str, parent: Code | None = None, description: str = ""
) -> Code:
    organisation = access_inquiry(by, organisation.pk, for_="manage")
    if parent is not None:
        if parent.organisation_id != organisation.pk:
            raise ValidationError({"parent": CODE_ELSEWHERE})
        if not parent.is_theme:
            raise ValidationError({"parent": NESTED_TOO_DEEP})
    siblings = Code.objects.filter(organisation=organisation, parent=parent)
    last = siblings.order_by("-position").values_list("position", flat=True).first()
    code = Code(
        organisation=organisation,
        parent=parent,
        name=name.strip(),
        description=(description or "").strip(),
        position=(last or 0) + 1,
    )
    _save_code(code)
    audit_log(by, "inquiry.code_create", code, parent=parent.pk if parent else None)
    return code


@transaction.atomic
def code_update(*, by, code: Code, name: str, description: str = "", position: int) -> Code:
    organisation = access_inquiry(by, code.organisation_id, for_="manage")
    code = Code.objects.select_for_update().get(pk=code.pk, organisation=organisation)
    code.name, code.description, code.position = name.strip(), description.strip(), position
    _save_code(code)
    audit_log(by, "inquiry.code_update", code)
    return code


# --- The methodological booklet ---------------------------------------------------------
@transaction.atomic
def section_save(
    *,
    by,
    organisation,
    part: str,
    title: str,
    body: str,
    position: int,
    section: BookletSection | None = None,
) -> BookletSection:
    organisation = access_inquiry(by, organisation.pk, for_="manage")
    if part not in BookletPart.values:
        raise ValidationError({"part": "Choisissez la partie du livret."})
    if section is None:
        section = BookletSection(organisation=organisation)
    elif section.organisation_id != organisation.pk:
        raise PermissionDenied
    section.part, section.title, section.position = part, title.strip(), position
    section.body = normalise_text(body).strip()
    section.updated_by, section.updated_at = by, timezone.now()
    section.save()
    audit_log(by, "inquiry.booklet_section_save", section, part=part)
    return section


@transaction.atomic
def section_delete(*, by, section: BookletSection) -> None:
    access_inquiry(by, section.organisation_id, for_="manage")
    audit_log(by, "inquiry.booklet_section_delete", section)
    section.delete()


NO_SECTION = (
    "Le livret n'a encore aucune section : écrivez d'abord les étapes de la démarche, les "
    "outils et les enseignements."
)
NOTHING_CHANGED = (
    "Rien n'a changé depuis l'édition n° {number} : il n'y a pas de nouvelle édition à publier."
)
DATE_BEFORE_LAST = "Une édition ne peut pas être datée d'avant l'édition n° {number} ({day})."


@transaction.atomic
def booklet_publish(
    *, by, organisation, changes_note: str = "", published_on: datetime.date | None = None
) -> BookletEdition:
    """Freeze the booklet as it stands into a new edition numbered after the last one,
    with the coordinators' note of what changed. Refused without a section, or when
    nothing changed since the last edition."""
    organisation = access_inquiry(by, organisation.pk, for_="manage")
    # The organisation's row is the lock: two coordinators publishing get two numbers.
    type(organisation).objects.select_for_update().filter(pk=organisation.pk).first()
    day = published_on or timezone.localdate()
    snapshot = build_snapshot(organisation, today=day)
    if not snapshot["sections"]:
        raise ValidationError(NO_SECTION, code="empty")
    previous = BookletEdition.objects.filter(organisation=organisation).order_by("-number").first()
    if previous is not None:
        if day < previous.published_on:
            raise ValidationError(
                DATE_BEFORE_LAST.format(
                    number=previous.number, day=previous.published_on.strftime("%d/%m/%Y")
                ),
                code="date",
            )
        if not has_changes(diff_snapshots(previous.snapshot, snapshot)):
            raise ValidationError(NOTHING_CHANGED.format(number=previous.number), code="unchanged")
    edition = BookletEdition.objects.create(
        organisation=organisation,
        number=previous.number + 1 if previous else 1,
        published_on=day,
        published_by=by,
        changes_note=normalise_text(changes_note).strip(),
        snapshot=snapshot,
    )
    audit_log(by, "inquiry.booklet_publish", edition, sections=len(snapshot["sections"]))
    return edition
