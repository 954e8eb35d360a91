"""The public agenda and the programme's iCal feed as anonymous visitors and calendar apps
get them: a feed built cold (the cache cleared before each run), and the throughput of
both once kept in the cache, against the bare view measured just before each, served by
the same gunicorn (``measure_pages``).

The cold build is timed through Django's test client, the whole request: the version read
from the rows, the build, the response. The plain ``icalendar`` writer (one ``Event.new``
per session, what the feed did before, kept by the tests as their reference) is timed on
the same sessions in the same process, so that the gain reads as a ratio."""

from __future__ import annotations

import shutil

from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from bench.measure_pages import Gunicorn, _drain, _seconds_for, _status, _wrk
from bench.results import Recorder, percentile, timed
from bench.urls import BARE_URL
from petitspas.agenda import views
from petitspas.agenda.selectors import agenda_version, feed_sessions, feed_state
from petitspas.agenda.tests.test_feed_text import library_calendar

WARMUP = 3
RUNS = 20
PLAIN_RUNS = 5
WRK_SECONDS = 6
GZIP = ("Accept-Encoding: gzip",)


def _times(call, runs: int, *, before=None) -> list[float]:
    times = []
    for index in range(WARMUP + runs):
        if before is not None:
            before()
        ms, _ = timed(call)
        if index >= WARMUP:
            times.append(ms)
    return times


def _cold_build(recorder: Recorder, subjects, client: Client) -> str:
    programme = subjects.programme
    url = reverse("agenda:programme-ics", kwargs={"programme_pk": programme.pk})
    response = client.get(url)
    if response.status_code != 200:
        recorder.add(
            "pages.programme_ics.cold_build", None, "ms", "< 200", note=f"{url}: {response}"
        )
        return url
    events = response.content.count(b"BEGIN:VEVENT")
    times = _times(lambda: client.get(url), RUNS, before=cache.clear)
    p95 = percentile(times, 95)
    recorder.add(
        "pages.programme_ics.cold_build",
        p95,
        "ms",
        "< 200",
        note=f"{url}, {events} events, {len(response.content) // 1024} KB; the whole request "
        "through the test client, the cache cleared before each",
    )
    recorder.add("pages.programme_ics.cold_build.per_event", p95 / max(events, 1), "ms")

    # The plain writer on the same sessions and places, same process.
    today = timezone.localdate()
    request = RequestFactory().get(url, HTTP_HOST="127.0.0.1")
    url_for = views._session_urls(request)
    filters = {"activity_type__programme_id": programme.pk}

    def plain():
        sessions = list(
            feed_sessions(today=today, **filters).select_related("activity_type", "site")
        )
        return library_calendar(
            sessions, name=programme.name, uid="bench", today=today, url_for=url_for
        )

    plain_p95 = percentile(_times(plain, PLAIN_RUNS), 95)
    recorder.add(
        "pages.programme_ics.cold_build.plain_icalendar",
        plain_p95,
        "ms",
        note="reference: one icalendar Event.new per session and to_ical, the same rows "
        "read with select_related (what the feed did before)",
    )
    recorder.add("pages.programme_ics.cold_build.vs_plain_icalendar", p95 / plain_p95, "x")
    return url


def _versions(recorder: Recorder, subjects) -> None:
    """What every request pays before a kept page is served: the version of its rows, kept
    while the database's log of changes has not moved (``agenda.changes``), and what it
    costs to read again from the rows once something changed."""
    today = subjects.today
    programme = subjects.programme.pk

    def agenda():
        return agenda_version(today=today)

    def feed():
        return feed_state(today=today, activity_type__programme_id=programme)

    for name, version, what in (
        ("agenda", agenda, "selectors.agenda_version"),
        ("programme_ics", feed, "selectors.feed_state (its name and digest)"),
    ):
        recorder.add(
            f"pages.{name}.version.p95",
            percentile(_times(version, RUNS), 95),
            "ms",
            note=f"{what}, nothing changed: the log's mark and the version kept with it",
        )
        recorder.add(
            f"pages.{name}.version.from_rows_p95",
            percentile(_times(lambda version=version: (cache.clear(), version()), RUNS), 95),
            "ms",
            note=f"{what} after a change: read again from the rows, hashed by the database",
        )


def _cached_throughput(recorder: Recorder, pages: list[tuple[str, str]], client) -> None:
    if shutil.which("wrk") is None:
        recorder.add("pages.cached.throughput", None, "req/s", note="wrk is not installed")
        return
    server = Gunicorn()
    try:
        for name, url in pages:
            status = _status(server.port, url, "")
            if status != 200:
                recorder.add(
                    f"pages.{name}.cached.throughput_vs_bare",
                    None,
                    "%",
                    ">= 50",
                    note=f"gunicorn answered {status}",
                )
                continue
            # Warm every worker's cache (one per process with the default LocMemCache).
            _wrk(server.port, url, "", 2)
            _drain(server.port)
            _wrk(server.port, BARE_URL, "", 1)
            bare = _wrk(server.port, BARE_URL, "", WRK_SECONDS)
            _drain(server.port)
            ms, _ = timed(client.get, url)
            seconds = _seconds_for(ms)
            rate = _wrk(server.port, url, "", seconds)
            _drain(server.port)
            recorder.add(
                f"pages.{name}.cached.throughput",
                rate,
                "req/s",
                note=f"{url}, anonymous, kept in the cache; {seconds} s; bare view just "
                f"before: {bare:.0f} req/s",
            )
            recorder.add(f"pages.{name}.cached.throughput_vs_bare", 100 * rate / bare, "%", ">= 50")
            # As browsers and calendar apps ask: the body compressed when it was kept.
            _wrk(server.port, url, "", 1, headers=GZIP)
            _drain(server.port)
            gzipped = _wrk(server.port, url, "", seconds, headers=GZIP)
            _drain(server.port)
            recorder.add(
                f"pages.{name}.cached_gzip.throughput",
                gzipped,
                "req/s",
                note=f"{url}, as above with '{GZIP[0]}', as browsers and calendar apps ask "
                "for it: the body compressed when it was kept",
            )
            recorder.add(
                f"pages.{name}.cached_gzip.throughput_vs_bare", 100 * gzipped / bare, "%", ">= 50"
            )
            if name == "agenda":
                # The same page rendered for each request: a parameter it does not read is
                # never kept (views.PAGE_PARAMETERS).
                rendered_url = f"{url}?utm_source=bench"
                _wrk(server.port, rendered_url, "", 1)
                _drain(server.port)
                rendered = _wrk(server.port, rendered_url, "", seconds)
                _drain(server.port)
                recorder.add(
                    "pages.agenda.rendered.throughput",
                    rendered,
                    "req/s",
                    note=f"{rendered_url}: the same page, rendered for each request",
                )
                recorder.add("pages.agenda.cached.vs_rendered", rate / rendered, "x")
    finally:
        server.stop()


def measure(recorder: Recorder, subjects) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    feed_url = _cold_build(recorder, subjects, client)
    _versions(recorder, subjects)
    agenda_url = reverse("agenda:index")
    for name, url in (("agenda", agenda_url), ("programme_ics", feed_url)):
        client.get(url)  # kept
        times = _times(lambda url=url: client.get(url), RUNS)
        recorder.add(
            f"pages.{name}.cached.p95",
            percentile(times, 95),
            "ms",
            note=f"{url}, anonymous, from the cache (the version checked each request)",
        )
    _cached_throughput(recorder, [("agenda", agenda_url), ("programme_ics", feed_url)], client)
