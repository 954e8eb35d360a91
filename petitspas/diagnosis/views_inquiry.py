"""The qualitative diagnosis' pages: records of interviews, focus groups and observations,
their coding, attachments, the codebook, the synthesis per area and the methodological
booklet. Every object comes through ``permissions_inquiry``'s doors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from petitspas.core.forms import add_service_errors
from petitspas.diagnosis import booklet as booklet_doc
from petitspas.diagnosis import services_inquiry as services
from petitspas.diagnosis.forms_inquiry import (
    AttachmentForm,
    CodeCreateForm,
    CodeEditForm,
    PassageForm,
    PublishForm,
    RecordForm,
    SectionForm,
)
from petitspas.diagnosis.models import Area, BookletEdition, BookletSection, Code, InquiryRecord
from petitspas.diagnosis.models.inquiry import PROFILES, BookletPart
from petitspas.diagnosis.permissions_inquiry import (
    access_area_synthesis,
    access_attachment,
    access_booklet_edition,
    access_booklet_section,
    access_code,
    access_inquiry,
    access_passage,
    access_record,
    can_manage_inquiry,
    inquiry_organisations,
)
from petitspas.diagnosis.synthesis import area_synthesis, synthesis_csv, synthesis_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def inquiry_home(request):
    """Straight to the organisation's qualitative diagnosis when there is one."""
    organisations = list(inquiry_organisations(request.user))
    if not organisations:
        raise PermissionDenied
    if len(organisations) == 1:
        return redirect("diagnosis:inquiry-index", organisation_pk=organisations[0].pk)
    return render(request, "diagnosis/inquiry/home.html", {"organisations": organisations})


@login_required
def inquiry_index(request, organisation_pk):
    organisation = access_inquiry(request.user, organisation_pk)
    areas = list(
        Area.objects.filter(organisation=organisation).annotate(
            record_count=Count("inquiry_records")
        )
    )
    records = (
        InquiryRecord.objects.filter(organisation=organisation)
        .select_related("area")
        .annotate(passage_count=Count("passages"))
    )
    area = None
    chosen = request.GET.get("quartier", "")
    if chosen:
        area = next((a for a in areas if str(a.pk) == chosen), None)
        if area is None:
            messages.warning(
                request, "Ce quartier n'existe pas : tous les enregistrements sont listés."
            )
        else:
            records = records.filter(area=area)
    return render(
        request,
        "diagnosis/inquiry/index.html",
        {
            "organisation": organisation,
            "areas": areas,
            "area": area,
            "records": records,
            "can_manage": can_manage_inquiry(request.user, organisation.pk),
        },
    )


def _record_form_page(request, form, *, organisation, record=None, status=200):
    return render(
        request,
        "diagnosis/inquiry/record_form.html",
        {"form": form, "organisation": organisation, "record": record},
        status=status,
    )


@login_required
def record_create(request, organisation_pk):
    organisation = access_inquiry(request.user, organisation_pk, for_="edit")
    if request.method == "POST":
        form = RecordForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                record = services.record_create(
                    by=request.user, organisation=organisation, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "L'enregistrement est créé : vous pouvez le coder.")
                return redirect("diagnosis:inquiry-record", record_pk=record.pk)
        return _record_form_page(request, form, organisation=organisation, status=400)
    initial = {"held_on": timezone.localdate()}
    if request.GET.get("quartier", "").isdigit():
        initial["area"] = request.GET["quartier"]
    form = RecordForm(organisation=organisation, initial=initial)
    return _record_form_page(request, form, organisation=organisation)


@login_required
def record_edit(request, record_pk):
    record = access_record(request.user, record_pk, for_="edit")
    if request.method == "POST":
        form = RecordForm(request.POST, organisation=record.organisation)
        if form.is_valid():
            try:
                services.record_update(by=request.user, record=record, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "L'enregistrement est modifié.")
                return redirect("diagnosis:inquiry-record", record_pk=record.pk)
        return _record_form_page(
            request, form, organisation=record.organisation, record=record, status=400
        )
    fields = [*RecordForm.base_fields]
    form = RecordForm(
        organisation=record.organisation,
        initial={name: getattr(record, name) for name in fields},
    )
    return _record_form_page(request, form, organisation=record.organisation, record=record)


def transcript_html(text: str, passages) -> str:
    """The transcript cut at every passage's bounds, coded segments marked. One line of
    HTML: the page's script counts characters in it, so nothing may be added between the
    segments."""
    bounds = sorted({0, len(text), *(p.start for p in passages), *(p.end for p in passages)})
    pieces = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering = [p for p in passages if p.start <= start and end <= p.end]
        if covering:
            label = " ; ".join(", ".join(c.name for c in p.codes.all()) for p in covering)
            pieces.append(
                format_html(
                    '<mark class="coded" title="{}" data-passages="{}">{}</mark>',
                    label,
                    " ".join(str(p.pk) for p in covering),
                    text[start:end],
                )
            )
        else:
            pieces.append(format_html("{}", text[start:end]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _record_page(request, record, *, passage_form=None, attachment_form=None, status=200):
    passages = list(record.passages.prefetch_related("codes__parent").order_by("start", "pk"))
    return render(
        request,
        "diagnosis/inquiry/record.html",
        {
            "record": record,
            "organisation": record.organisation,
            "profiles": [(label, getattr(record, field)) for field, label in PROFILES.items()],
            "passages": passages,
            "transcript": transcript_html(record.transcript, passages),
            "attachments": record.attachments.all(),
            "passage_form": passage_form or PassageForm(organisation=record.organisation),
            "attachment_form": attachment_form or AttachmentForm(),
            "has_codebook": Code.objects.filter(organisation=record.organisation).exists(),
            "can_manage": can_manage_inquiry(request.user, record.organisation_id),
        },
        status=status,
    )


@login_required
def record_detail(request, record_pk):
    record = access_record(request.user, record_pk)
    return _record_page(request, record)


@login_required
@require_POST
def passage_create(request, record_pk):
    record = access_record(request.user, record_pk, for_="edit")
    form = PassageForm(request.POST, organisation=record.organisation)
    if form.is_valid():
        try:
            services.passage_code(by=request.user, record=record, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Le passage est codé.")
            return redirect(reverse("diagnosis:inquiry-record", args=[record.pk]) + "#codage")
    return _record_page(request, record, passage_form=form, status=400)


@login_required
@require_POST
def passage_delete(request, passage_pk):
    passage = access_passage(request.user, passage_pk, for_="edit")
    record_pk = passage.record_id
    services.passage_delete(by=request.user, passage=passage)
    messages.success(request, "Le codage de ce passage est retiré.")
    return redirect(reverse("diagnosis:inquiry-record", args=[record_pk]) + "#passages")


@login_required
@require_POST
def attachment_add(request, record_pk):
    record = access_record(request.user, record_pk, for_="edit")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(by=request.user, record=record, file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "La pièce jointe est ajoutée.")
            return redirect(reverse("diagnosis:inquiry-record", args=[record.pk]) + "#pieces")
    return _record_page(request, record, attachment_form=form, status=400)


@login_required
def attachment_download(request, attachment_pk):
    """A record's file, through the door: never from MEDIA_URL, always as a download."""
    attachment = access_attachment(request.user, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.attachment_download_logged(by=request.user, attachment=attachment)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, attachment_pk):
    attachment = access_attachment(request.user, attachment_pk, for_="edit")
    record_pk = attachment.record_id
    services.attachment_delete(by=request.user, attachment=attachment)
    messages.success(request, "La pièce jointe est supprimée.")
    return redirect(reverse("diagnosis:inquiry-record", args=[record_pk]) + "#pieces")


# --- Codebook ------------------------------------------------------------------------
@login_required
def codebook(request, organisation_pk):
    organisation = access_inquiry(request.user, organisation_pk)
    can_manage = can_manage_inquiry(request.user, organisation.pk)
    form = CodeCreateForm(organisation=organisation)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = CodeCreateForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                code = services.code_create(
                    by=request.user, organisation=organisation, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                kind = "Le code" if code.parent_id else "Le thème"
                messages.success(request, f"{kind} « {code.name} » est ajouté à la grille.")
                return redirect("diagnosis:inquiry-codebook", organisation_pk=organisation.pk)
        status = 400
    codes = list(
        Code.objects.filter(organisation=organisation).annotate(passage_count=Count("passages"))
    )
    themes = [code for code in codes if code.is_theme]
    for theme in themes:
        theme.codes = [code for code in codes if code.parent_id == theme.pk]
    return render(
        request,
        "diagnosis/inquiry/codebook.html",
        {"organisation": organisation, "themes": themes, "form": form, "can_manage": can_manage},
        status=status,
    )


@login_required
def code_edit(request, code_pk):
    code = access_code(request.user, code_pk, for_="manage")
    if request.method == "POST":
        form = CodeEditForm(request.POST)
        if form.is_valid():
            try:
                services.code_update(by=request.user, code=code, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"« {code.name} » est modifié.")
                return redirect("diagnosis:inquiry-codebook", organisation_pk=code.organisation_id)
        status = 400
    else:
        form = CodeEditForm(
            initial={"name": code.name, "description": code.description, "position": code.position}
        )
        status = 200
    return render(
        request,
        "diagnosis/inquiry/code_form.html",
        {"form": form, "code": code, "organisation": code.organisation},
        status=status,
    )


# --- Synthesis -------------------------------------------------------------------------
@login_required
def synthesis(request, area_pk):
    area = access_area_synthesis(request.user, area_pk)
    return render(
        request,
        "diagnosis/inquiry/synthesis.html",
        {**area_synthesis(area), "organisation": area.organisation},
    )


def _export_name(area, extension: str) -> str:
    return (
        f"synthese-{slugify(area.name) or 'quartier'}-{timezone.localdate():%Y-%m-%d}.{extension}"
    )


@login_required
def synthesis_csv_view(request, area_pk):
    area = access_area_synthesis(request.user, area_pk)
    response = HttpResponse(
        "\ufeff" + synthesis_csv(area_synthesis(area)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(area, "csv")}"'
    return response


@login_required
def synthesis_xlsx_view(request, area_pk):
    area = access_area_synthesis(request.user, area_pk)
    response = HttpResponse(synthesis_xlsx(area_synthesis(area)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_export_name(area, "xlsx")}"'
    return response


# --- The methodological booklet ----------------------------------------------------------
def _latest_edition(organisation):
    return BookletEdition.objects.filter(organisation=organisation).order_by("-number").first()


@login_required
def booklet(request, organisation_pk, *, publish_form=None, errors=None):
    organisation = access_inquiry(request.user, organisation_pk)
    sections = list(BookletSection.objects.filter(organisation=organisation))
    parts = [
        (label, [s for s in sections if s.part == value]) for value, label in BookletPart.choices
    ]
    editions = list(BookletEdition.objects.filter(organisation=organisation).order_by("-number"))
    latest = editions[0] if editions else None
    snapshot = booklet_doc.build_snapshot(organisation, today=timezone.localdate())
    changes = booklet_doc.diff_snapshots(latest.snapshot, snapshot) if latest else None
    return render(
        request,
        "diagnosis/inquiry/booklet.html",
        {
            "organisation": organisation,
            "parts": parts,
            "editions": editions,
            "latest": latest,
            "changes": changes,
            "has_changes": bool(changes) and booklet_doc.has_changes(changes),
            "next_number": latest.number + 1 if latest else 1,
            "publish_form": publish_form or PublishForm(),
            "errors": errors or [],
            "can_manage": can_manage_inquiry(request.user, organisation.pk),
        },
        status=400 if errors or publish_form else 200,
    )


def _section_page(request, form, *, organisation, section=None, status=200):
    return render(
        request,
        "diagnosis/inquiry/section_form.html",
        {"form": form, "organisation": organisation, "section": section},
        status=status,
    )


@login_required
def section_create(request, organisation_pk):
    organisation = access_inquiry(request.user, organisation_pk, for_="manage")
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                services.section_save(
                    by=request.user, organisation=organisation, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "La section est ajoutée au livret.")
                return redirect("diagnosis:inquiry-booklet", organisation_pk=organisation.pk)
        return _section_page(request, form, organisation=organisation, status=400)
    part = request.GET.get("partie")
    initial = {"part": part} if part in BookletPart.values else {}
    return _section_page(request, SectionForm(initial=initial), organisation=organisation)


@login_required
def section_edit(request, section_pk):
    section = access_booklet_section(request.user, section_pk)
    organisation = section.organisation
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                services.section_save(
                    by=request.user,
                    organisation=organisation,
                    section=section,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "La section est modifiée.")
                return redirect("diagnosis:inquiry-booklet", organisation_pk=organisation.pk)
        return _section_page(request, form, organisation=organisation, section=section, status=400)
    form = SectionForm(
        initial={
            "part": section.part,
            "position": section.position,
            "title": section.title,
            "body": section.body,
        }
    )
    return _section_page(request, form, organisation=organisation, section=section)


@login_required
@require_POST
def section_delete(request, section_pk):
    section = access_booklet_section(request.user, section_pk)
    organisation_pk = section.organisation_id
    services.section_delete(by=request.user, section=section)
    messages.success(request, f"La section « {section.title} » est retirée du livret.")
    return redirect("diagnosis:inquiry-booklet", organisation_pk=organisation_pk)


@login_required
@require_POST
def booklet_publish(request, organisation_pk):
    organisation = access_inquiry(request.user, organisation_pk, for_="manage")
    form = PublishForm(request.POST)
    if not form.is_valid():
        return booklet(request, organisation_pk, publish_form=form)
    try:
        edition = services.booklet_publish(
            by=request.user, organisation=organisation, **form.service_kwargs()
        )
    except ValidationError as exc:
        return booklet(request, organisation_pk, publish_form=form, errors=exc.messages)
    messages.success(request, f"L'édition n° {edition.number} du livret est publiée.")
    return redirect("diagnosis:inquiry-booklet-edition", booklet_edition_pk=edition.pk)


def _draft_context(organisation, *, pdf: bool = False) -> dict:
    latest = _latest_edition(organisation)
    snapshot = booklet_doc.build_snapshot(organisation, today=timezone.localdate())
    return booklet_doc.booklet_context(
        snapshot,
        number=None,
        published_on=None,
        changes=booklet_doc.diff_snapshots(latest.snapshot, snapshot) if latest else None,
        previous_number=latest.number if latest else None,
        pdf=pdf,
    )


def _edition_context(edition, *, pdf: bool = False) -> dict:
    previous = (
        BookletEdition.objects.filter(
            organisation_id=edition.organisation_id, number__lt=edition.number
        )
        .order_by("-number")
        .first()
    )
    return booklet_doc.booklet_context(
        edition.snapshot,
        number=edition.number,
        published_on=edition.published_on,
        changes=booklet_doc.diff_snapshots(previous.snapshot, edition.snapshot)
        if previous
        else None,
        changes_note=edition.changes_note,
        previous_number=previous.number if previous else None,
        pdf=pdf,
    )


def _pdf(content: bytes, organisation, number: int | None) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    suffix = f"edition-{number}" if number else f"apercu-{timezone.localdate():%Y-%m-%d}"
    name = f"livret-methodologique-{slugify(organisation.name) or 'organisation'}-{suffix}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def booklet_draft(request, organisation_pk):
    organisation = access_inquiry(request.user, organisation_pk)
    context = _draft_context(organisation)
    context.update(
        back_url=reverse("diagnosis:inquiry-booklet", args=[organisation.pk]),
        pdf_url=reverse("diagnosis:inquiry-booklet-draft-pdf", args=[organisation.pk]),
    )
    return HttpResponse(booklet_doc.render_html(context, request=request))


@login_required
def booklet_draft_pdf(request, organisation_pk):
    organisation = access_inquiry(request.user, organisation_pk)
    return _pdf(booklet_doc.render_pdf(_draft_context(organisation, pdf=True)), organisation, None)


@login_required
def booklet_edition(request, booklet_edition_pk):
    edition = access_booklet_edition(request.user, booklet_edition_pk)
    context = _edition_context(edition)
    return render(
        request,
        "diagnosis/inquiry/booklet_edition.html",
        {**context, "edition": edition, "organisation": edition.organisation},
    )


@login_required
def booklet_edition_pdf(request, booklet_edition_pk):
    edition = access_booklet_edition(request.user, booklet_edition_pk)
    content = booklet_doc.render_pdf(_edition_context(edition, pdf=True))
    return _pdf(content, edition.organisation, edition.number)
