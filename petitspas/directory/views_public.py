"""The families' directory: search "près de" an address with a map, a service's page, and
the widget a town hall frames on its website. No account; translated (fr, en, ar);
rate-limited per address like the agenda. Reading the directory is public: nothing here
goes through an access door, and the contacts meant for professionals (the service's own
contact person, e-mail and telephone) are shown to signed-in staff and partners only."""

import dataclasses
import datetime
from urllib.parse import urlencode

import opening_hours
from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from petitspas.core.ratelimit import rate_limited
from petitspas.core.text import fold
from petitspas.directory import geo
from petitspas.directory.forms_public import PublicSearchForm, public_label, theme_label
from petitspas.directory.hours import PARIS, hours_error, open_status
from petitspas.directory.models import Service
from petitspas.directory.permissions import editable_structure_ids, sees_professional_contacts
from petitspas.directory.search import PAGE_SIZE, Filters, has_filters, search_services
from petitspas.directory.themes import PUBLICS, SURESNES_GROUPS, THEMATIQUES
from petitspas.directory.views_map import map_markers, map_settings
from petitspas.places.communes import get_commune, search_communes

WIDGET_DEFAULT = 20
WIDGET_MAX = 50


def _with_status(services, now=None):
    for service in services:
        service.status = open_status(
            service.horaires_accueil or service.structure.horaires_accueil, now
        )
        service.theme_labels = [
            theme_label(t) or THEMATIQUES.get(t, t) for t in service.thematiques
        ]
        service.public_labels = [public_label(p) or PUBLICS.get(p, p) for p in service.publics]
    return services


def search_page(request, *, professional_view: bool = False):
    """The directory's one search page: words, theme, public, fee, "open now" and "près
    de" an address; the list first, the map beside it. An address the directory cannot
    place is said so, and the other filters still give their results. The families'
    ``/services-familles/`` and the professionals' ``/annuaire/`` render it alike; the
    professional view only adds, to those allowed, the contacts meant for professionals
    and the edit links."""
    form = PublicSearchForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = Filters(
        q=data.get("q") or "",
        thematique=data.get("thematique") or "",
        public=data.get("public") or "",
        gratuit=bool(data.get("gratuit")),
        open_now=bool(data.get("ouvert")),
        commune=data.get("commune") or "",
    )
    near_text = (data.get("pres_de") or "").strip()
    radius = geo.clean_radius(data.get("rayon") or geo.DEFAULT_RADIUS_KM)
    place, place_error = None, None
    if near_text:
        try:
            place = geo.geocode(near_text)
        except geo.GeocodingError as error:
            place_error = error.message
    professional = professional_view and sees_professional_contacts(request.user)
    page = markers = None
    if has_filters(filters) or place is not None:
        results = search_services(filters, near=place.point if place else None, radius_km=radius)
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        _with_status(page.object_list)
        if professional_view:
            editable = editable_structure_ids(
                request.user, {found.structure_id for found in page.object_list}
            )
            for found in page.object_list:
                found.can_edit = found.structure_id in editable
        detail = "directory:service" if professional_view else "public_directory:service"
        markers = map_markers(page.object_list, first_number=page.start_index(), url_name=detail)
    query = request.GET.copy()
    query.pop("page", None)
    without_town = query.copy()
    without_town.pop("commune", None)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "place": place,
            "place_error": place_error,
            "radius": radius,
            "markers": markers,
            "map": map_settings(),
            "query": query.urlencode(),
            "town": get_commune(filters.commune) if filters.commune else None,
            "without_town": without_town.urlencode(),
            "professional_view": professional_view,
            "professional": professional,
            "search_url": reverse(
                "directory:index" if professional_view else "public_directory:search"
            ),
        },
    )


@rate_limited("directory", rate="RATELIMIT_DIRECTORY")
@require_safe
def search(request):
    """The families' search (no account, translated)."""
    return search_page(request)


@dataclasses.dataclass
class DayHours:
    day: datetime.date
    intervals: list


def week_hours(text: str, today: datetime.date | None = None) -> list[DayHours]:
    """The next seven days' opening hours, read from OSM opening hours (public holidays
    included); empty without hours or with unreadable ones."""
    if not text or hours_error(text):
        return []
    hours = opening_hours.OpeningHours(text, timezone=PARIS, country="FR")
    start_day = today or timezone.localdate()
    start = datetime.datetime.combine(start_day, datetime.time(), tzinfo=PARIS)
    days = {start_day + datetime.timedelta(days=n): [] for n in range(7)}
    for begin, end, state, _comment in hours.intervals(start, start + datetime.timedelta(days=7)):
        if state == opening_hours.State.OPEN and begin.date() in days:
            days[begin.date()].append((begin.time(), end.time()))
    return [DayHours(day=day, intervals=intervals) for day, intervals in days.items()]


@rate_limited("directory", rate="RATELIMIT_DIRECTORY")
@require_safe
def service(request, service_pk):
    """A service's page: what, for whom, where, when, how; its public contact (the
    structure's reception). The service's own contact is for professionals."""
    service = get_object_or_404(Service.objects.select_related("structure"), pk=service_pk)
    structure = service.structure
    _with_status([service])
    markers = map_markers([service])
    return render(
        request,
        "directory/public_service.html",
        {
            "service": service,
            "structure": structure,
            "hours": week_hours(service.horaires_accueil or structure.horaires_accueil),
            "professional": sees_professional_contacts(request.user),
            "markers": markers,
            "map": map_settings(),
        },
    )


# --- The widget --------------------------------------------------------------------------


@dataclasses.dataclass
class WidgetRequest:
    filters: Filters | None
    title: str
    errors: list[str]
    limit: int


UNKNOWN_THEME = _(
    "Le thème « %(theme)s » n'existe pas : utilisez un code de thématique data·inclusion, "
    "par exemple « famille--garde-denfants »."
)
UNKNOWN_TOWN = _(
    "La commune « %(town)s » est inconnue : donnez son code INSEE (92073 pour Suresnes) ou "
    "son nom exact."
)
NOTHING_ASKED = _(
    "Indiquez un thème (thematique=…) ou une commune (commune=…) dans l'adresse du widget."
)
BAD_LIMIT = _("Le nombre de services (limite) doit être un nombre entier de 1 à %(max)s.")


def _commune(text: str):
    text = " ".join((text or "").split())
    if not text:
        return None
    commune = get_commune(text)
    if commune is None:
        exact = [c for c in search_communes(text, limit=5) if fold(c.name) == fold(text)]
        commune = exact[0] if exact else None
    return commune


def widget_request(params) -> WidgetRequest:
    """What a widget's URL asks (``thematique``, ``commune``, ``limite``), checked: each bad
    parameter gets a sentence saying what to write instead."""
    errors = []
    thematique = (params.get("thematique") or "").strip()
    commune_text = (params.get("commune") or "").strip()
    if thematique and thematique not in THEMATIQUES:
        errors.append(UNKNOWN_THEME % {"theme": thematique[:80]})
    commune = _commune(commune_text)
    if commune_text and commune is None:
        errors.append(UNKNOWN_TOWN % {"town": commune_text[:80]})
    if not thematique and not commune_text:
        errors.append(str(NOTHING_ASKED))
    limit = WIDGET_DEFAULT
    raw_limit = (params.get("limite") or "").strip()
    if raw_limit:
        if raw_limit.isdigit() and 1 <= int(raw_limit) <= WIDGET_MAX:
            limit = int(raw_limit)
        else:
            errors.append(BAD_LIMIT % {"max": WIDGET_MAX})
    if errors:
        return WidgetRequest(filters=None, title="", errors=errors, limit=limit)
    parts = []
    if thematique:
        parts.append(str(theme_label(thematique) or THEMATIQUES[thematique]))
    if commune:
        parts.append(commune.name)
    filters = Filters(thematique=thematique, commune=commune.code if commune else "")
    return WidgetRequest(
        filters=filters,
        title=" · ".join(parts),
        errors=[],
        limit=limit,
    )


@rate_limited("directory", rate="RATELIMIT_DIRECTORY")
@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["'self'", *settings.DIRECTORY_WIDGET_FRAME_ANCESTORS]})
def widget(request):
    """The page a town hall's website frames: the services of a theme or a town, each
    linking to its page here (in a new tab). Framing is allowed on this view only."""
    asked = widget_request(request.GET)
    services, total = [], 0
    if asked.filters is not None:
        results = search_services(asked.filters)
        total = results.count()
        services = _with_status(list(results[: asked.limit]))
    see_all = {}
    if asked.filters is not None:
        see_all = {"thematique": asked.filters.thematique, "commune": asked.filters.commune}
    return render(
        request,
        "directory/widget.html",
        {
            "asked": asked,
            "services": services,
            "total": total,
            "see_all": urlencode({k: v for k, v in see_all.items() if v}),
        },
        status=400 if asked.errors else 200,
    )


@rate_limited("directory", rate="RATELIMIT_DIRECTORY")
@require_safe
def widget_code(request):
    """For a town hall's webmaster (in French): choose a theme or a town, copy the iframe or
    the script-free HTML list, see a preview."""
    values = {
        k: (request.GET.get(k) or "").strip()[:80] for k in ("thematique", "commune", "limite")
    }
    asked = widget_request(request.GET) if request.GET else None
    context = {
        "values": values,
        "asked": asked,
        "max": WIDGET_MAX,
        "themes": [
            (group, [(code, THEMATIQUES[code]) for code in codes])
            for group, codes in SURESNES_GROUPS.items()
        ],
    }
    if asked is not None and not asked.errors:
        params = urlencode({k: v for k, v in values.items() if v})
        widget_url = f"{reverse('public_directory:widget')}?{params}"
        services = search_services(asked.filters)[: asked.limit]
        base = request.build_absolute_uri("/").rstrip("/")
        context.update(
            widget_url=widget_url,
            services=services,
            iframe_code=(
                f'<iframe src="{escape(base + widget_url)}" title="Services aux familles : '
                f'{escape(asked.title)}" width="100%" height="600" loading="lazy" '
                'style="border:0"></iframe>'
            ),
            html_code=render_to_string(
                "directory/widget_snippet.html",
                {"asked": asked, "services": services, "base": base},
            ).strip(),
        )
    status = 400 if asked is not None and asked.errors else 200
    return render(request, "directory/widget_code.html", context, status=status)
