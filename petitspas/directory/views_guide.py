"""The printed "parentalité" guide: a territory's guide as it stands (HTML and PDF), its
published editions with what changed, and publishing one. Editions published are public
(the PDF is handed out to families); the rest goes through ``access_guide`` and
``access_edition``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from petitspas.directory.guide import (
    SNAPSHOT_VERSION,
    build_snapshot,
    count_in_words,
    diff_snapshots,
    guide_context,
    render_html,
    render_pdf,
)
from petitspas.directory.models import GuideEdition
from petitspas.directory.permissions import (
    access_edition,
    access_guide,
    can_publish_guide,
    can_read_guide,
    guide_territories,
)
from petitspas.directory.services import validation_messages
from petitspas.directory.services_guide import guide_publish as publish_edition
from petitspas.directory.services_guide import latest_edition

# A published edition never changes: its PDF is built once per process and day.
PDF_CACHE_SECONDS = 24 * 3600


def _previous(edition: GuideEdition) -> GuideEdition | None:
    return (
        GuideEdition.objects.filter(territory_id=edition.territory_id, number__lt=edition.number)
        .order_by("-number")
        .first()
    )


def _edition_context(edition: GuideEdition, *, pdf: bool = False) -> dict:
    previous = _previous(edition)
    return guide_context(
        edition.snapshot,
        number=edition.number,
        published_on=edition.published_on,
        changes=diff_snapshots(previous.snapshot, edition.snapshot) if previous else None,
        previous_number=previous.number if previous else None,
        pdf=pdf,
    )


def _draft_context(territory, *, pdf: bool = False) -> dict:
    latest = latest_edition(territory)
    snapshot = build_snapshot(territory, today=timezone.localdate())
    return guide_context(
        snapshot,
        number=None,
        published_on=None,
        changes=diff_snapshots(latest.snapshot, snapshot) if latest else None,
        previous_number=latest.number if latest else None,
        pdf=pdf,
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(context: dict, number: int | None) -> str:
    name = slugify(context["territory_name"]) or "territoire"
    suffix = f"edition-{number}" if number else f"apercu-{timezone.localdate():%Y-%m-%d}"
    return f"guide-parentalite-{name}-{suffix}.pdf"


@login_required
def guide_home(request):
    """The menu's "Guide parentalité": straight to the territory's guide when there is one."""
    territories = guide_territories(request.user)
    if not territories and not can_read_guide(request.user):
        raise PermissionDenied
    if len(territories) == 1:
        return redirect("directory:guide", territory_pk=territories[0].pk)
    return render(request, "directory/guide/home.html", {"territories": territories})


@login_required
def guide(request, territory_pk, *, error: list[str] | None = None):
    territory = access_guide(request.user, territory_pk, for_="read")
    editions = list(territory.editions.order_by("-number"))
    for edition in editions:
        edition.summary = (
            f"{count_in_words(len(edition.snapshot['structures']), 'partenaire')}, "
            f"{count_in_words(len(edition.snapshot['services']), 'service')}"
        )
    latest = editions[0] if editions else None
    snapshot = build_snapshot(territory, today=timezone.localdate())
    changes = diff_snapshots(latest.snapshot, snapshot) if latest else None
    context = guide_context(
        snapshot,
        number=None,
        published_on=None,
        changes=changes,
        previous_number=latest.number if latest else None,
    )
    return render(
        request,
        "directory/guide/territory.html",
        {
            **context,
            "territory": territory,
            "editions": editions,
            "latest": latest,
            "next_number": latest.number + 1 if latest else 1,
            "can_publish": can_publish_guide(request.user, territory),
            "errors": error or [],
        },
        status=400 if error else 200,
    )


@login_required
def guide_draft(request, territory_pk):
    territory = access_guide(request.user, territory_pk, for_="read")
    context = _draft_context(territory)
    context.update(
        back_url=reverse("directory:guide", args=[territory.pk]),
        back_label="Retour au guide",
        pdf_url=reverse("directory:guide-draft-pdf", args=[territory.pk]),
    )
    return HttpResponse(render_html(context, request=request))


@login_required
def guide_draft_pdf(request, territory_pk):
    territory = access_guide(request.user, territory_pk, for_="read")
    context = _draft_context(territory, pdf=True)
    return _pdf_response(render_pdf(context), _filename(context, None))


@login_required
@require_POST
def guide_publish(request, territory_pk):
    territory = access_guide(request.user, territory_pk, for_="publish")
    try:
        edition = publish_edition(by=request.user, territory=territory)
    except ValidationError as exc:
        return guide(request, territory_pk, error=validation_messages(exc))
    messages.success(request, f"L'édition n° {edition.number} du guide est publiée.")
    return redirect("directory:guide-edition", edition_pk=edition.pk)


@login_required
def guide_edition(request, edition_pk):
    edition = access_edition(request.user, edition_pk, for_="read")
    context = _edition_context(edition)
    return render(
        request,
        "directory/guide/edition.html",
        {**context, "edition": edition, "territory": edition.territory},
    )


def _published(edition_pk) -> GuideEdition:
    if not isinstance(edition_pk, int):
        raise Http404
    return get_object_or_404(GuideEdition.objects.select_related("territory"), pk=edition_pk)


def guide_edition_html(request, edition_pk):
    """A published edition, public: it prints again from its frozen content."""
    edition = _published(edition_pk)
    context = _edition_context(edition)
    context.update(
        back_url=reverse("directory:index"),
        back_label="Annuaire des partenaires",
        pdf_url=reverse("directory:guide-edition-pdf", args=[edition.pk]),
    )
    return HttpResponse(render_html(context, request=request))


def guide_edition_pdf(request, edition_pk):
    """A published edition's PDF, public, built once and kept in the cache a day."""
    edition = _published(edition_pk)
    key = f"directory.guide.pdf:{edition.pk}:{SNAPSHOT_VERSION}"
    content = cache.get(key)
    context = _edition_context(edition, pdf=True)
    if content is None:
        content = render_pdf(context)
        cache.set(key, content, PDF_CACHE_SECONDS)
    return _pdf_response(content, _filename(context, edition.number))
