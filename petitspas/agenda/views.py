"""The public agenda: no account, family-facing, translated (French, English, Arabic).

Every page here is public on purpose (see ``PUBLIC`` in web's isolation test): it shows
public sessions only (``Session.objects.public()``), and never a person."""

from __future__ import annotations

import functools
import hashlib
import itertools
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from petitspas.activities.models import RegistrationMode, Session
from petitspas.agenda import feeds
from petitspas.agenda.forms import AgendaFilterForm
from petitspas.agenda.labels import is_open, kind_label, public_label
from petitspas.agenda.selectors import (
    Place,
    Places,
    agenda_markers,
    agenda_offers,
    agenda_sessions,
    agenda_version,
    feed_rows,
    feed_state,
    session_public,
    session_published,
)
from petitspas.attendance.forms_registrations import PlaceRequestForm
from petitspas.attendance.selectors import with_registered
from petitspas.attendance.services_registrations import place_request_create
from petitspas.core.db import is_possible_id
from petitspas.core.forms import add_service_errors
from petitspas.core.gzipped import deflated_parts, gzipped
from petitspas.core.ratelimit import rate_limited
from petitspas.places.hooks import site_cohosts

PAGE_SIZE = 30


@dataclass(frozen=True, slots=True)
class Entry:
    """A session as the agenda shows it."""

    session: Session
    kind: str
    public: str
    place: Place
    is_open: bool
    places_left: int | None  # None: no limit, or open without registration
    cancelled: bool = False
    cohosts: tuple[str, ...] = ()  # who runs the site with the programme (a kiosque)


def _entry(session: Session, places: Places, cohosts=None) -> Entry:
    activity = session.activity_type
    open_ = is_open(activity.registration_mode)
    return Entry(
        session=session,
        kind=kind_label(activity.kind),
        public=public_label(activity.public),
        place=places.of(session),
        is_open=open_,
        places_left=None if open_ else session.places_left,
        cancelled=session.status == Session.Status.CANCELLED,
        cohosts=tuple((cohosts or {}).get(session.site_id, ())),
    )


@rate_limited("agenda", rate="RATELIMIT_AGENDA")
@require_safe
def index(request):
    """The agenda; to anonymous visitors, from the cache while what it shows is unchanged
    (``_cached_page``)."""
    today = timezone.localdate()
    if not _may_cache(request):
        return _index(request, today=today, csrf_token=None)
    version = _page_version(request, today=today)
    key = "|".join(
        [
            "agenda:index",
            get_language(),
            request.get_host(),
            "htmx" if request.htmx else "page",
            urlencode(sorted(request.GET.lists()), doseq=True),
        ]
    )
    kept = _cached_page(
        key=key,
        version=version,
        build=lambda: _index(request, today=today, csrf_token=CSRF_PLACEHOLDER),
    )
    if kept is None:  # not a page to keep (never, so far: every answer is a 200)
        return _index(request, today=today, csrf_token=None)
    body, deflated = kept
    # The visitor's own token, where the page was written with a placeholder (the language
    # switch's form, htmx's header): a token is never shared between visitors.
    token = get_token(request).encode()
    text = body.replace(CSRF_PLACEHOLDER_BYTES, token)
    # A browser asking for gzip gets the page compressed when it was kept, with its token
    # in place (``core.gzipped``).
    if not _accepts_gzip(request):
        response = HttpResponse(text)
    else:
        response = HttpResponse(gzipped(deflated, token, text))
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _index(request, *, today, csrf_token: str | None):
    offers = agenda_offers(today=today)
    form = AgendaFilterForm(request.GET or None, offers=offers)
    filters = form.filters(today=today)
    page = Paginator(with_registered(agenda_sessions(**filters)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sessions = list(page.object_list)
    places = Places(sessions)
    cohosts = site_cohosts(s.site_id for s in sessions)
    entries = [_entry(session, places, cohosts) for session in sessions]
    days = [
        (day, list(group)) for day, group in itertools.groupby(entries, lambda e: e.session.date)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "days": days,
        "markers": agenda_markers(offers, today=today, **filters),
        "query": query.urlencode(),
        "is_filtered": form.is_filtered,
        "today": today,
    }
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    if request.htmx:
        return render(request, "agenda/_results.html", {**context, "oob": True})
    return render(request, "agenda/index.html", context)


def _accepts_gzip(request) -> bool:
    """Whether the client asks for gzip, read as Django's GZipMiddleware reads it."""
    return bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))


# --- The agenda's cache -------------------------------------------------------------------

# Bump when the same rows would give another page (a template, a wording) or a kept entry
# changes its shape: the pages kept by the previous code are then never served again, even
# from a cache shared by app servers that outlives a release.
PAGE_LAYOUT = 2
PAGE_CACHE_TIMEOUT = 24 * 60 * 60
# What a kept page holds in place of the visitor's CSRF token: letters only, so that no
# escaping changes it, and never text the agenda could show.
CSRF_PLACEHOLDER = "ppCsrfTokenOfTheVisitorPlaceholder"
CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
# The query string's names the agenda reads: another one is not kept (any text would
# otherwise take room in the cache).
PAGE_PARAMETERS = frozenset({"commune", "lieu", "activite", "age", "periode", "page"})


def _may_cache(request) -> bool:
    """Anonymous visitors, with no message waiting (a message is shown once, on the page
    rendered for them), asking with the agenda's own parameters. A visitor who sends no
    session cookie is anonymous: their user is not looked up (a few hundredths of a
    millisecond, on every kept page)."""
    return (
        set(request.GET) <= PAGE_PARAMETERS
        and (
            settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated
        )
        and not len(get_messages(request))
    )


def _page_version(request, *, today) -> str:
    """Everything the page depends on but its query string, language, host and kind
    (full page or htmx's part), which are its key: the rows it is made from
    (``selectors.agenda_version``), the day, and the code that writes it."""
    parts = (_page_code(), agenda_version(today=today), today)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@functools.cache
def _page_code() -> str:
    """The code that writes the page, read once per process: ``PAGE_LAYOUT``, the
    templates' text and the addresses of its static files (which change with their
    content), so that a release never serves a page kept by the one before."""
    templates = [
        get_template(name).template.source
        for name in (
            "base.html",
            "agenda/base_public.html",
            "agenda/_language.html",
            "agenda/index.html",
            "agenda/_results.html",
            "agenda/_count.html",
        )
    ]
    assets = [
        static(name) for name in ("web/petitspas.css", "agenda/agenda.css", "agenda/agenda.js")
    ]
    parts = (PAGE_LAYOUT, templates, assets)
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _cached_page(*, key: str, version: str, build) -> tuple[bytes, tuple] | None:
    """The body ``build()`` rendered for the same ``version``, or a new one, kept under
    ``key`` (one entry per key: a new version replaces it), with its stretches between
    placeholders compressed (``core.gzipped.deflated_parts``). A change to the rows shows
    in the next request, whichever app server answers and whatever cache ``CACHES`` names,
    as for the feeds (``feeds.cached_calendar``). None when ``build()`` answers anything
    but a 200."""
    cache_key = "agenda:page:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    cached = cache.get(cache_key)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    response = build()
    if response.status_code != 200:
        return None
    body = response.content
    deflated = deflated_parts(body, CSRF_PLACEHOLDER_BYTES)
    cache.set(cache_key, (version, body, deflated), PAGE_CACHE_TIMEOUT)
    return body, deflated


def _osm_url(place: Place) -> str:
    """OpenStreetMap at the site's coordinates; a search for the address of the day when the
    site is hosted elsewhere or has no public coordinates."""
    if place.latitude is not None and place.longitude is not None:
        lat, lon = place.latitude, place.longitude
        query = urlencode({"mlat": lat, "mlon": lon})
        return f"https://www.openstreetmap.org/?{query}#map=18/{lat}/{lon}"
    return f"https://www.openstreetmap.org/search?query={quote(place.address)}"


def _session_page(request, session, *, form=None, status=200):
    entry = _entry(session, Places([session]), site_cohosts([session.site_id]))
    is_past = session.date < timezone.localdate()
    takes_requests = (
        session.activity_type.registration_mode == RegistrationMode.REGISTRATION
        and not is_past
        and not entry.cancelled
    )
    return render(
        request,
        "agenda/session_detail.html",
        {
            "entry": entry,
            "session": session,
            "osm_url": _osm_url(entry.place),
            "is_past": is_past,
            "organisation": session.activity_type.programme.organisation,
            "request_form": (form or PlaceRequestForm()) if takes_requests else None,
            "request_sent": request.GET.get("demande") == "envoyee",
            "retention_days": settings.PLACE_REQUEST_RETENTION_DAYS,
        },
        status=status,
    )


@rate_limited("agenda", rate="RATELIMIT_AGENDA")
@require_safe
def session_detail(request, session_pk):
    """A public session's page; a cancelled one says so, with its reason and whom to ask,
    and takes no request for a place."""
    return _session_page(request, session_published(session_pk=session_pk))


@rate_limited("place_requests", rate="RATELIMIT_PLACE_REQUESTS")
@require_POST
def session_place_request(request, session_pk):
    """A family asks for a place, without an account (rate-limited per address, CSRF
    kept). The form comes back with what was typed when something is missing."""
    session = session_public(session_pk=session_pk)
    form = PlaceRequestForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, form=form, status=400)
    data = form.service_kwargs()
    if not data.pop("website"):  # a robot fills the hidden field: it is told nothing else
        try:
            place_request_create(session=session, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            return _session_page(request, session, form=form, status=400)
    url = reverse("agenda:session", kwargs={"session_pk": session.pk})
    return redirect(f"{url}?demande=envoyee#demande")


def _session_urls(request):
    """A session's absolute link from its id: the URL is reversed once, for a feed's
    thousand events, and the id written into it."""
    marker = "987654321"
    url = request.build_absolute_uri(reverse("agenda:session", kwargs={"session_pk": marker}))
    before, _, after = url.rpartition(marker)
    return lambda session_pk: f"{before}{session_pk}{after}"


FEED_MAX_AGE = 15 * 60


def _ics_response(body: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=feeds.CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    _may_keep(response)
    return response


def _may_keep(response: HttpResponse) -> None:
    # Calendar apps poll feeds: let them and any proxy keep a copy for a quarter of an hour
    # (building a year and a half of a programme takes most of a second when it is not in
    # the cache).
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)


@rate_limited("feeds", rate="RATELIMIT_FEEDS")
@require_safe
def session_ics(request, session_pk):
    """ "Add to my calendar": the one session, as an .ics file."""
    session = session_public(session_pk=session_pk)
    body = feeds.build_calendar(
        feed_rows(today=None, pk=session.pk),
        name=session.activity_type.name,
        uid=f"session-{session.pk}-file@petitspas",
        today=timezone.localdate(),
        url_for=_session_urls(request),
    )
    return _ics_response(body, f"seance-{session.pk}.ics", attachment=True)


def _feed(request, *, uid: str, filename: str, **filters) -> HttpResponse:
    """The feed from the cache while what it publishes is unchanged (``feeds.feed_version``),
    and "304 Not Modified" to a calendar app that already has this version. Its ETag is
    weak: two builds of one version differ by their DTSTAMP."""
    today = timezone.localdate()
    language = get_language()
    links = request.build_absolute_uri(reverse("agenda:index"))
    state = feed_state(today=today, **filters)
    version = feeds.feed_version(
        data=state.digest,
        uid=uid,
        name=state.name,
        today=today,
        language=language,
        links=links,
    )
    etag = f'W/"{version}"'
    response = get_conditional_response(request, etag=etag)
    if response is not None:  # 304, or 412 to a failed If-Match
        if response.status_code == 304:  # with the headers its 200 would have carried
            _may_keep(response)
            patch_vary_headers(response, ("Accept-Encoding",))
            response["ETag"] = etag
        return response
    # A calendar app asking for gzip gets the body as the cache keeps it.
    compressed = _accepts_gzip(request)
    body = feeds.cached_calendar(
        key=f"{uid} {language} {links}",
        version=version,
        build=lambda: _build_feed(
            request, feed_rows(today=today, **filters), name=state.name, uid=uid, today=today
        ),
        gzipped=compressed,
    )
    response = _ics_response(body, filename)
    if compressed:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    response["ETag"] = etag  # weak: the same for both encodings of one version
    return response


def _build_feed(request, rows, *, name: str, uid: str, today) -> bytes:
    """The feed's text, from its rows."""
    # A programme or site with nothing public keeps its name to itself: only a feed that
    # publishes sessions names where it comes from.
    return feeds.build_calendar(
        rows,
        name=f"{name} — Petits Pas" if rows.sessions else "Petits Pas",
        uid=uid,
        today=today,
        url_for=_session_urls(request),
    )


@rate_limited("feeds", rate="RATELIMIT_FEEDS")
@require_safe
def programme_ics(request, programme_pk):
    if not is_possible_id(programme_pk):
        raise Http404
    return _feed(
        request,
        uid=f"programme-{programme_pk}@petitspas",
        filename=f"programme-{programme_pk}.ics",
        activity_type__programme_id=programme_pk,
    )


@rate_limited("feeds", rate="RATELIMIT_FEEDS")
@require_safe
def site_ics(request, site_pk):
    if not is_possible_id(site_pk):
        raise Http404
    return _feed(
        request,
        uid=f"site-{site_pk}@petitspas",
        filename=f"lieu-{site_pk}.ics",
        site_id=site_pk,
    )
