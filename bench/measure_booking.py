"""The last childcare place (issue 16) under 50 concurrent requests, and the booking's save
against a bare insert of the same row.

The territory has no childcare on referral: ``prepare`` sets it up in the largest
organisation through the domain's services, as a prescriber and the coordinator would
(the programme and its site with the seed's hours, a France Travail agency linked to it,
one referral per child, reviewed and accepted, which files the family and enrols the
child), then fills a half-day through ``booking_create`` until exactly one place is left:
5 regular places and the 7th (an emergency) taken, one regular place free.

Then 50 enrolled children ask for that place at once: 50 threads, each with its own
signed-in session (the organisation's admin or coordinator, who book half-days) and its
CSRF token, released together by a barrier, each POSTing the half-day page's form to
gunicorn on 127.0.0.1 with ``http.client``. Exactly one must be booked (the view
redirects), 49 answered 409 with the view's French "Complet : les 7 places du … sont
prises", none a 5xx. Latency is the client's (from the barrier to the last byte, queueing
behind the workers included) and the server's (gunicorn's access log, ``%(D)s``).

The save: ``booking_create`` in this process, as the view calls it (the site, enrolment
and user loaded as the view loads them: the user's memberships read by the site's door,
which the view passes before it calls the service), against ``Booking.objects.create``
of the same row on the same half-day just before it, then deleted; 40 distinct
half-days after 3 warm-ups."""

from __future__ import annotations

import dataclasses
import datetime
import http.client
import random
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from bench.measure_pages import VAR, Gunicorn, _client
from bench.results import Recorder, percentile, timed
from bench.subjects import member
from bench.territory import CHILD_NAMES, EMAIL_DOMAIN, PARENT_NAMES
from petitspas.accounts.models import User
from petitspas.childcare import services as referrals
from petitspas.childcare.models import (
    CAPACITY,
    REGULAR_PLACES,
    Booking,
    BookingKind,
    ChildcareSlot,
    Enrolment,
    Pathway,
)
from petitspas.childcare.permissions import access_childcare_site
from petitspas.childcare.selectors_bookings import bookable_enrolments
from petitspas.childcare.services_bookings import booking_create, places_of, slot_label
from petitspas.organisations.models import (
    Membership,
    Organisation,
    PrescriberKind,
    Programme,
    Role,
)
from petitspas.organisations.services import programme_create
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import HalfDay, Site, WeeklyOpening
from petitspas.places.services import site_save

CONTENDERS = 50
WARMUP = 3
RUNS = 40
PROGRAMME = "Les Petits Pas"
SITE = "Accueil de loisirs du parc"
REASON = "job_interview"
# The seed's hours: "Ouvert de 8h30-12h15 et de 13h30-17h - Fermeture tous les Vendredis
# après-midi".
HOURS = {
    HalfDay.MORNING: (datetime.time(8, 30), datetime.time(12, 15)),
    HalfDay.AFTERNOON: (datetime.time(13, 30), datetime.time(17, 0)),
}
# The answer every refused request must carry (the service's MSG_FULL, as the page shows it).
FULL_ANSWER = "Complet : les {capacity} places du {label} sont prises"
# Children between 4 months and 2 years 8 months today: of age (3 months to 3 years) on
# every half-day of the next quarter, which is as far as the measurement books.
AGES_IN_DAYS = (122, 973)
HORIZON_DAYS = 92


@dataclasses.dataclass
class Childcare:
    programme: Programme
    site: Site
    planners: list[User]  # who books: the organisation's admin and coordinator
    enrolments: list[Enrolment]  # every child enrolled here, oldest first
    contested: ChildcareSlot  # the half-day with one place left
    filled_by: list[Enrolment]  # the six children already booked there
    contenders: list[Enrolment]  # the others, who ask for the last place
    spare_half_days: list[tuple[datetime.date, str]]  # open, nobody booked yet


def _programme_and_site(organisation, admin, coordinator, near: Site) -> tuple[Programme, Site]:
    programme = Programme.objects.filter(organisation=organisation, name=PROGRAMME).first()
    if programme is None:
        programme = programme_create(
            organisation=organisation,
            name=PROGRAMME,
            public="Enfants de 3 mois à 3 ans de parents en parcours d'insertion",
            summary="Accueil de jeunes enfants par demi-journées, sur orientation, pendant "
            "les rendez-vous professionnels des parents.",
            started_on=datetime.date(2024, 2, 26),
            by=admin,
        )
    site = Site.objects.filter(programme=programme, name=SITE).first()
    if site is None:
        weekly = [
            WeeklyOpening(weekday=weekday, half_day=half_day, opens_at=opens, closes_at=closes)
            for weekday in range(5)
            for half_day, (opens, closes) in HOURS.items()
            if (weekday, half_day) != (4, HalfDay.AFTERNOON)
        ]
        site = site_save(
            site=Site(
                programme=programme,
                name=SITE,
                kind=Site.Kind.LEISURE_CENTRE,
                address=near.address,
                postcode=near.postcode,
                commune_code=near.commune_code,
                town=near.town,
            ),
            weekly=weekly,
            by=coordinator,
        )
    return programme, site


def agency(programme: Programme, coordinator: User) -> User:
    """A France Travail agency linked to the programme, and its adviser (a prescriber)."""
    name = f"France Travail – Agence de {programme.organisation.name.split(' — ')[-1]}"
    agency, created = Organisation.objects.get_or_create(
        name=name,
        defaults={
            "slug": f"france-travail-{programme.organisation.slug}",
            "kind": Organisation.Kind.PRESCRIBER,
            "prescriber_kind": PrescriberKind.FRANCE_TRAVAIL,
            "departement": programme.organisation.departement,
        },
    )
    if created:
        adviser = User.objects.create_user(
            email=f"conseil.{agency.slug}@{EMAIL_DOMAIN}",
            password=None,
            first_name="Julien",
            last_name="Fabre",
        )
        Membership.objects.create(user=adviser, organisation=agency, role=Role.PRESCRIBER)
        referrals.prescriber_link(programme=programme, organisation=agency, by=coordinator)
    return Membership.objects.get(organisation=agency, role=Role.PRESCRIBER).user


def _enrol(programme, adviser, coordinator, *, children: int, today, rng) -> None:
    """``children`` referrals of one child each, accepted from today (the family's file and
    the enrolment are the acceptance's)."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for n in range(children):
            referral = referrals.referral_create(
                programme=programme,
                prescriber_organisation=Membership.objects.get(user=adviser).organisation,
                parent_first_name=rng.choice(PARENT_NAMES),
                pathway=rng.choice(Pathway.values),
                adviser_name="Julien Fabre",
                needed_from=today,
                needs="Entretiens d'embauche et ateliers, les matins surtout.",
                children=[
                    {
                        "first_name": rng.choice(CHILD_NAMES),
                        "birth_date": today - datetime.timedelta(days=rng.randint(*AGES_IN_DAYS)),
                    }
                ],
                contact_phone=f"06 12 34 {n // 100:02d} {n % 100:02d}",
                by=adviser,
            )
            referrals.referral_start_review(referral=referral, by=coordinator)
            referrals.referral_accept(
                referral=referral,
                starts_on=today,
                settling_in_until=today + datetime.timedelta(days=13),
                by=coordinator,
            )


def _open_half_days(site: Site, today: datetime.date) -> list[tuple[datetime.date, str]]:
    """The site's open half-days from tomorrow on that hold no booking yet."""
    calendar = SiteCalendar.for_site(site)
    used = set(ChildcareSlot.objects.filter(site=site).values_list("day", "half_day"))
    days = []
    for offset in range(1, HORIZON_DAYS):
        day = today + datetime.timedelta(days=offset)
        for half_day in (HalfDay.MORNING.value, HalfDay.AFTERNOON.value):
            if (day, half_day) not in used and calendar.status(day, half_day).opening:
                days.append((day, half_day))
    return days


def prepare(subjects, *, contenders: int = CONTENDERS, seed: int = 16) -> Childcare:
    """Childcare on referral in the largest organisation and a half-day with exactly one
    place left, everything written through the domain's services. Run again on the same
    database, it takes the next free half-day."""
    rng = random.Random(seed)
    organisation, today = subjects.organisation, subjects.today
    admin = member(organisation, Role.ADMIN)
    coordinator = member(organisation, Role.COORDINATOR)
    programme, site = _programme_and_site(organisation, admin, coordinator, subjects.site)
    adviser = agency(programme, coordinator)
    wanted = REGULAR_PLACES + contenders  # 5 regular, 1 emergency, then the contenders
    have = Enrolment.objects.filter(programme=programme).count()
    if have < wanted:
        _enrol(programme, adviser, coordinator, children=wanted - have, today=today, rng=rng)
    enrolments = list(
        Enrolment.objects.filter(programme=programme)
        .select_related("child", "referral", "programme")
        .order_by("pk")[:wanted]
    )
    half_days = _open_half_days(site, today)
    if not half_days:
        raise RuntimeError(
            f"{site.name} has no open half-day left without bookings in the next "
            f"{HORIZON_DAYS} days: measure on a new database (as make bench does)"
        )
    day, half_day = half_days[0]
    filled_by = enrolments[:REGULAR_PLACES]
    for n, enrolment in enumerate(filled_by):
        booking_create(
            enrolment=enrolment,
            site=site,
            day=day,
            half_day=half_day,
            kind=BookingKind.EMERGENCY if n == 0 else BookingKind.REGULAR,
            reason=REASON,
            by=coordinator,
        )
    slot = ChildcareSlot.objects.get(site=site, day=day, half_day=half_day)
    return Childcare(
        programme=programme,
        site=site,
        planners=[coordinator, admin],
        enrolments=enrolments,
        contested=slot,
        filled_by=filled_by,
        contenders=enrolments[REGULAR_PLACES:],
        spare_half_days=half_days[1:],
    )


# --- 50 requests at once, through gunicorn -------------------------------------------------


@dataclasses.dataclass
class Answer:
    status: int | None = None
    body: str = ""
    ms: float | None = None
    error: str = ""


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def _form_ticket(port: int, url: str, session: str) -> tuple[str, str]:
    """GET the half-day page as the signed-in user: the Cookie header (session and CSRF
    cookie) and the form's CSRF token to post with it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", url, headers={"Cookie": session})
        response = connection.getresponse()
        body = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"GET {url} answered {response.status}")
        csrf = _cookies(response)[settings.CSRF_COOKIE_NAME]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        return f"{session}; {settings.CSRF_COOKIE_NAME}={csrf}", token
    finally:
        connection.close()


def _post(port: int, url: str, cookie: str, body: str, barrier, answer: Answer) -> None:
    try:
        barrier.wait(60)
        began = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            connection.request(
                "POST",
                url,
                body=body,
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = connection.getresponse()
            answer.body = response.read().decode()
            answer.status = response.status
            answer.ms = (time.perf_counter() - began) * 1000
        finally:
            connection.close()
    except Exception as error:  # noqa: BLE001 - a broken request is a figure, not a crash
        answer.error = repr(error)


def _server_ms(log: Path, path: str, method: str, start: int = 0, end: int | None = None):
    """The times of ``method`` on ``path`` in gunicorn's access log (``%(D)s``, in
    microseconds), between the byte offsets ``start`` and ``end``."""
    with open(log, encoding="utf-8") as file:
        file.seek(start)
        text = file.read() if end is None else file.read(end - start)
    times = []
    for line in text.splitlines():
        verb, url, _status, micros = line.split()
        if verb == method and url == path:
            times.append(int(micros) / 1000)
    return times


def _last_place(recorder: Recorder, childcare: Childcare) -> None:
    slot = childcare.contested
    path = reverse("childcare:half-day", kwargs={"site_pk": childcare.site.pk})
    url = f"{path}?jour={slot.day:%Y-%m-%d}&demi={slot.half_day}"
    log = VAR / "gunicorn-access.log"
    log.unlink(missing_ok=True)
    server = Gunicorn(
        f"--access-logfile={log}",
        "--access-logformat=%(m)s %(U)s %(s)s %(D)s",
    )
    try:
        tickets = []
        for index, enrolment in enumerate(childcare.contenders):
            client = _client(childcare.planners[index % len(childcare.planners)])
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookie, token = _form_ticket(
                server.port, url, f"{settings.SESSION_COOKIE_NAME}={session}"
            )
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "enrolment": enrolment.pk,
                    "kind": BookingKind.REGULAR,
                    "reason": REASON,
                }
            )
            tickets.append((cookie, body))
        time.sleep(0.5)  # the access log's last lines
        offset = log.stat().st_size
        # The page's cost alone: the GETs above came one at a time.
        alone = _server_ms(log, path, "GET", end=offset)
        barrier = threading.Barrier(len(tickets))
        answers = [Answer() for _ in tickets]
        threads = [
            threading.Thread(target=_post, args=(server.port, url, cookie, body, barrier, answer))
            for (cookie, body), answer in zip(tickets, answers, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        time.sleep(0.5)  # the access log's last lines
        server_ms = _server_ms(log, path, "POST", start=offset)
    finally:
        server.stop()

    label = slot_label(slot.day, slot.half_day)
    full = FULL_ANSWER.format(capacity=CAPACITY, label=label)
    booked_here = Booking.objects.filter(slot=slot).active()
    booked = booked_here.filter(enrolment__in=childcare.contenders).count()
    redirected = sum(a.status == 302 for a in answers)
    complet = sum(a.status == 409 and full in a.body for a in answers)
    server_errors = sum(a.status is not None and a.status >= 500 for a in answers)
    broken = [a.error for a in answers if a.error]
    others = sorted(
        a.status
        for a in answers
        if a.status not in (302, 409) and not (a.status is not None and a.status >= 500)
    )
    other_409 = sum(a.status == 409 and full not in a.body for a in answers)
    who = f"{len(answers)} requests for the last place of {label} at {childcare.site.name}"
    recorder.add(
        "booking.last_place.booked",
        booked,
        "bookings",
        "= 1",
        note=f"{who}; {redirected} answered 302 (booked); the half-day holds "
        f"{booked_here.count()} active bookings (capacity {CAPACITY})",
    )
    recorder.add(
        "booking.last_place.full_answers",
        complet,
        "answers",
        f"= {len(answers) - 1}",
        note=f"409 with « {full} »"
        + (f"; {other_409} other 409s" if other_409 else "")
        + (f"; other statuses {others}" if others else ""),
    )
    recorder.add(
        "booking.last_place.server_errors",
        server_errors + len(broken),
        "answers",
        "= 0",
        note="5xx answers and broken connections" + (f": {broken[:3]}" if broken else ""),
    )
    latencies = [a.ms for a in answers if a.ms is not None]
    if latencies:
        recorder.add(
            "booking.last_place.latency.p95",
            percentile(latencies, 95),
            "ms",
            "<= 30",
            note=f"client side, from the barrier to the answer's last byte, queueing "
            f"included: {len(latencies)} requests at once on {server.workers} gunicorn "
            f"sync workers (p50 {percentile(latencies, 50):.0f} ms, "
            f"max {max(latencies):.0f} ms)",
        )
    if alone:
        recorder.add(
            "booking.last_place.page_alone.p50",
            percentile(alone, 50),
            "ms",
            note=f"the half-day page (GET, the same page a refusal answers with), one request "
            f"at a time, in its gunicorn worker: {len(alone)} requests "
            f"(p95 {percentile(alone, 95):.1f} ms)",
        )
    if server_ms:
        recorder.add(
            "booking.last_place.server_time.p95",
            percentile(server_ms, 95),
            "ms",
            "<= 30",
            note=f"each POST's time in its gunicorn worker (access log), "
            f"{len(server_ms)} requests (p50 {percentile(server_ms, 50):.1f} ms)",
        )


# --- The save against a bare insert ---------------------------------------------------------


def _bare_insert(slot, enrolment, by) -> Booking:
    with transaction.atomic():
        return Booking.objects.create(
            slot=slot, enrolment=enrolment, kind=BookingKind.REGULAR, reason=REASON, created_by=by
        )


def _save_vs_bare(recorder: Recorder, childcare: Childcare) -> None:
    half_days = childcare.spare_half_days[: WARMUP + RUNS]
    if len(half_days) < WARMUP + 5:
        recorder.add("booking.save.p95", None, "ms", "<= 30", note="too few open half-days")
        return
    planner_pk = childcare.planners[0].pk
    saves, bares = [], []
    made, opened = [], []
    for index, (day, half_day) in enumerate(half_days):
        # Loaded as the view loads them: the user by its session, the site through its
        # door, the enrolment from the form's choices.
        by = User.objects.get(pk=planner_pk)
        site = access_childcare_site(by, childcare.site.pk)
        enrolment = bookable_enrolments(childcare.programme, day).get(
            pk=childcare.enrolments[index % len(childcare.enrolments)].pk
        )
        slot, created = ChildcareSlot.objects.get_or_create(site=site, day=day, half_day=half_day)
        if created:
            opened.append(slot.pk)
        bare_ms, bare = timed(_bare_insert, slot, enrolment, by)
        bare.delete()
        # ``by`` is the view's request.user: its memberships read by the site's door above.
        save_ms, booking = timed(
            booking_create,
            enrolment=enrolment,
            site=site,
            day=day,
            half_day=half_day,
            kind=BookingKind.REGULAR,
            reason=REASON,
            by=by,
        )
        made.append(booking.pk)
        if index >= WARMUP:
            saves.append(save_ms)
            bares.append(bare_ms)
    # Its half-days free again, so that the measurement can run again on this database.
    Booking.objects.filter(pk__in=made).delete()
    ChildcareSlot.objects.filter(pk__in=opened).delete()
    note = f"{len(saves)} distinct half-days, one regular booking each"
    recorder.add("booking.save.p50", percentile(saves, 50), "ms", note=note)
    recorder.add("booking.save.p95", percentile(saves, 95), "ms", "<= 30")
    recorder.add("booking.bare_insert.p50", percentile(bares, 50), "ms")
    recorder.add("booking.bare_insert.p95", percentile(bares, 95), "ms")
    recorder.add(
        "booking.save_vs_bare_insert.p50",
        percentile(saves, 50) / percentile(bares, 50),
        "x",
        note="the same at p50: less swayed by the machine's other work",
    )
    recorder.add(
        "booking.save_vs_bare_insert.p95",
        percentile(saves, 95) / percentile(bares, 95),
        "x",
        "<= 3",
        note="booking_create p95 / Booking.objects.create p95 (in a transaction), "
        "same row, same half-day, run just before",
    )


def measure(recorder: Recorder, subjects) -> None:
    began = time.monotonic()
    childcare = prepare(subjects)
    left = places_of(childcare.contested).left
    assert left == 1, f"the contested half-day has {left} places left, not 1"
    recorder.add(
        "booking.setup.seconds",
        time.monotonic() - began,
        "s",
        note=f"{len(childcare.enrolments)} children referred, accepted and enrolled through "
        "the services; 6 of them booked on one half-day (5 regular, 1 emergency)",
    )
    _last_place(recorder, childcare)
    _save_vs_bare(recorder, childcare)
