"""The main pages: p95 server time through Django's test client, then throughput with
concurrent clients (wrk) against gunicorn on 127.0.0.1, as a share of the throughput of a
bare Django view served the same way and measured just before each page."""

from __future__ import annotations

import dataclasses
import http.client
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bench.results import Recorder, percentile, timed
from bench.urls import BARE_URL
from petitspas.accounts.tests.mfa import SignInClient

WARMUP = 3
RUNS = 30
# A slow page stops sooner: at least MIN_RUNS, then no more than BUDGET seconds.
MIN_RUNS = 5
BUDGET = 20
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "6"))
WRK_CONNECTIONS = 6
# One sync worker per core plus one, the usual start for a 2-core app server.
WORKERS = (os.cpu_count() or 2) + 1
VAR = Path(settings.BASE_DIR) / "var" / "bench"


@dataclasses.dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    kwargs: dict
    as_user: str | None  # "professional", "coordinator", "prescriber" or None (public)
    headers: tuple = ()  # ("Name", "value") pairs sent with each request
    query: dict = dataclasses.field(default_factory=dict)  # the URL's query string
    # Served from the cache to anonymous visitors (the agenda and the feeds): the pages
    # asked to keep at least half the bare view's throughput. The others' is a baseline.
    kept: bool = False


def _pages(subjects, newer) -> list[Page]:
    today = subjects.today
    programme, site = subjects.programme.pk, subjects.site.pk
    month = {"programme_pk": programme, "year": today.year, "month": today.month}
    return [
        Page("today", "attendance:today", {}, "professional"),
        # Issue 15's field pages: the sheets left to fill in, the professional's week.
        Page("to_record", "attendance:to-record", {}, "professional"),
        Page("my_week", "activities:my-week", {}, "professional"),
        Page("programme_month", "activities:programme-month", month, "coordinator"),
        Page("agenda", "agenda:index", {}, None, kept=True),
        # As browsers ask for it: compressed when it was kept.
        Page(
            "agenda_gzip",
            "agenda:index",
            {},
            None,
            headers=(("Accept-Encoding", "gzip"),),
            kept=True,
        ),
        Page("site_8_weeks", "places:site-detail", {"site_pk": site}, "coordinator"),
        Page("programme_ics", "agenda:programme-ics", {"programme_pk": programme}, None, kept=True),
        # As calendar apps ask for it: the body sent as the cache keeps it.
        Page(
            "programme_ics_gzip",
            "agenda:programme-ics",
            {"programme_pk": programme},
            None,
            headers=(("Accept-Encoding", "gzip"),),
            kept=True,
        ),
        Page("family_list", "families:household-list", {}, "coordinator"),
        # Issue 18's figures: the programme's dashboard and its organisation's.
        Page("dashboard", "reporting:dashboard", {"programme_id": programme}, "coordinator"),
        Page(
            "organisation_dashboard",
            "reporting:organisation-dashboard",
            {"organisation_id": subjects.organisation.pk},
            "coordinator",
        ),
        # Issue 16's: the referrals accepted, as the coordinator who reviews them; those the
        # prescriber sent, as the adviser; the half-days' follow-up, and a half-day with one
        # place left, as the coordinator who books them.
        Page(
            "childcare_inbox",
            "childcare:referral-inbox",
            {},
            "coordinator",
            query={"onglet": "acceptees"},
        ),
        Page("childcare_my_referrals", "childcare:my-referrals", {}, "prescriber"),
        Page("childcare_follow_up", "childcare:follow-up", {}, "coordinator"),
        Page(
            "childcare_half_day",
            "childcare:half-day",
            {"site_pk": newer.childcare_site},
            "coordinator",
            query={"jour": newer.half_day[0].isoformat(), "demi": newer.half_day[1]},
        ),
        # Issue 17's: a family's search near the organisation's site (one of the bench's
        # questions), and the same search in the professionals' directory.
        Page("directory_search", "public_directory:search", {}, None, query=newer.search),
        Page("directory_index", "directory:index", {}, "professional", query=newer.search),
        # The Point Info Famille's desk, as its agent sees it.
        Page("desk", "directory:desk", {"desk_pk": newer.desk}, "professional"),
        # The partner network's working group, as the coordinator who runs it.
        Page("network_group", "directory:group", {"group_pk": newer.group}, "coordinator"),
        # The guide of the partners of the site's town, before its next edition.
        Page("guide", "directory:guide", {"territory_pk": newer.territory}, "coordinator"),
        # Issue 19's: the organisation's areas, and one area with its sites' reach.
        Page("diagnosis_areas", "diagnosis:areas", {}, "coordinator"),
        Page("diagnosis_area", "diagnosis:area", {"area_pk": newer.area}, "coordinator"),
        # The resource places of the area (the directory's structures and the sites in it).
        Page("area_places", "diagnosis:area-places", {"area_pk": newer.area}, "coordinator"),
    ]


def _client(user) -> Client:
    """Signed in as ``user``, second factor given where the role owes one (coordinators):
    the tests' client, whose ``force_login`` stands for the whole sign-in."""
    client = SignInClient(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def _server_times(client: Client, url: str, headers: tuple = ()) -> tuple[list[float], int]:
    times = []
    deadline = time.monotonic() + BUDGET
    for index in range(WARMUP + RUNS):
        ms, response = timed(client.get, url, headers=dict(headers))
        if response.status_code != 200:
            return [], response.status_code
        if index >= WARMUP:
            times.append(ms)
        elif ms > 1000:  # a page this slow needs no warming up
            continue
        if len(times) >= MIN_RUNS and time.monotonic() > deadline:
            break
    return times, 200


# --- Throughput ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(port: int, path: str, cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        return connection.getresponse().status
    finally:
        connection.close()


class Gunicorn:
    """gunicorn serving the project (plus the bare view) on loopback, stopped on exit;
    ``options`` are added to its command line (an access log, say)."""

    def __init__(self, *options: str):
        self.port = _free_port()
        self.workers = WORKERS
        VAR.mkdir(parents=True, exist_ok=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "petitspas.wsgi:application",
                # As the README serves it: the application (and the communes' file it
                # reads) loaded once, before the workers fork.
                "--preload",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={WORKERS}",
                "--worker-class=sync",
                "--timeout=120",
                "--log-level=warning",
                f"--error-logfile={VAR / 'gunicorn.log'}",
                *options,
            ],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if _status(self.port, BARE_URL, "") == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("gunicorn did not start: see var/bench/gunicorn.log")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wrk(port: int, path: str, cookie: str, seconds: int, *, headers: tuple = ()) -> float:
    """Requests per second over ``seconds`` with ``WRK_CONNECTIONS`` clients, each request
    with ``headers`` ("Name: value"); any answer other than 200 voids the figure."""
    command = ["wrk", "-t1", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s"]
    for header in (f"Cookie: {cookie}",) * bool(cookie) + headers:
        command += ["-H", header]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors on {path}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _drain(port: int) -> None:
    """Wait until the workers are idle again (requests that wrk abandoned at its deadline
    still run to their end) so that the next figure is not theirs."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        began = time.perf_counter()
        _status(port, BARE_URL, "")
        if time.perf_counter() - began < 0.02:
            return
        time.sleep(0.5)


def _seconds_for(p95_ms: float) -> int:
    """Long enough for a slow page to complete a few rounds of every connection."""
    rounds = 4 * p95_ms / 1000 * WRK_CONNECTIONS / WORKERS
    return int(min(max(WRK_SECONDS, math.ceil(rounds)), 60))


def _throughput(recorder: Recorder, pages: list[tuple[Page, str, str, float]]) -> None:
    if os.environ.get("BENCH_PAGES_THROUGHPUT", "1") == "0":
        return  # a run that only compares server times across scales (bench/run.py)
    if shutil.which("wrk") is None:
        recorder.add("pages.throughput", None, "req/s", note="wrk is not installed")
        return
    server = Gunicorn()
    try:
        for page, url, cookie, p95_ms in pages:
            target = ">= 50" if page.kept else None
            status = _status(server.port, url, cookie)
            if status != 200:
                recorder.add(
                    f"pages.{page.name}.throughput_vs_bare",
                    None,
                    "%",
                    target,
                    note=f"gunicorn answered {status}",
                )
                continue
            _drain(server.port)
            _wrk(server.port, BARE_URL, "", 1)
            bare = _wrk(server.port, BARE_URL, "", WRK_SECONDS)
            headers = tuple(f"{name}: {value}" for name, value in page.headers)
            _wrk(server.port, url, cookie, 1, headers=headers)
            _drain(server.port)
            seconds = _seconds_for(p95_ms)
            rate = _wrk(server.port, url, cookie, seconds, headers=headers)
            _drain(server.port)
            recorder.add(
                f"pages.{page.name}.throughput",
                rate,
                "req/s",
                note=f"{seconds} s, {WRK_CONNECTIONS} clients, {WORKERS} gunicorn workers; "
                f"bare view just before: {bare:.0f} req/s",
            )
            recorder.add(f"pages.{page.name}.throughput_vs_bare", 100 * rate / bare, "%", target)
    finally:
        server.stop()


def measure(recorder: Recorder, subjects) -> None:
    # Imported here: the childcare's setup reuses this module's gunicorn and client.
    from bench import newer_pages

    newer = newer_pages.prepare(recorder, subjects)
    users = {
        "professional": subjects.professional,
        "coordinator": subjects.coordinator,
        "prescriber": newer.prescriber,
    }
    bare_times, _ = _server_times(_client(None), BARE_URL)
    recorder.add(
        "pages.bare_view.p95",
        percentile(bare_times, 95),
        "ms",
        note="reference: a view that returns 'ok' through the same middleware",
    )
    served = []
    for page in _pages(subjects, newer):
        try:
            url = reverse(page.url_name, kwargs=page.kwargs)
            if page.query:
                url += "?" + urlencode(page.query)
        except NoReverseMatch:
            recorder.add(
                f"pages.{page.name}.p95",
                None,
                "ms",
                "< 150",
                note=f"no URL named {page.url_name} yet",
            )
            continue
        client = _client(users.get(page.as_user))
        times, status = _server_times(client, url, page.headers)
        if not times:
            recorder.add(
                f"pages.{page.name}.p95", None, "ms", "< 150", note=f"{url} answered {status}"
            )
            continue
        note = f"{url} as {page.as_user or 'anonymous'}"
        if page.headers:
            note += ", with " + ", ".join(f"{name}: {value}" for name, value in page.headers)
        if page.name == "today":
            note += f" ({subjects.professional_sessions_today} sessions today)"
        p95 = percentile(times, 95)
        recorder.add(f"pages.{page.name}.p95", p95, "ms", "< 150", note=note)
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        session = f"{settings.SESSION_COOKIE_NAME}={cookie.value}" if cookie else ""
        served.append((page, url, session, p95))
    _throughput(recorder, served)
