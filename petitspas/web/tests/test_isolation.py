"""Cross-organisation isolation, for every URL of the project.

The URL resolver is walked when this module is imported, one test per URL pattern, so a
new view is covered the day it is added and pytest-xdist spreads the walk. URL keyword
arguments name the object they point to (``site_pk``, ``programme_id``…); each is filled
with an object of organisation A (``alice``), then the URL is requested:
- anonymously: sign-in redirect, 401, 403 or 404, never content;
- by each member of organisation B (``bob``): 403/404 (405 for POST-only URLs, which are
  then posted to and must answer 403/404), and list pages show none of A's names;
- by a funder of A: never a person (no member's name or e-mail).
A URL argument with no builder below fails the test: say how to build it.
"""

import dataclasses
import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path

from petitspas.accounts.models import ApiToken
from petitspas.activities.tests.factories import (
    ActivityTypeFactory,
    FacilitatorFactory,
    SeriesFactory,
    SessionFactory,
)
from petitspas.childcare.models import Booking, ChildcareSlot, StaffAssignment, StaffMember
from petitspas.childcare.tests.factories import ReferralFactory, enrol
from petitspas.diagnosis.models import (
    Area,
    PlaceProposal,
    UrbanWalk,
    WalkRegistration,
    WalkStop,
)
from petitspas.diagnosis.tests.inquiry_fixtures import inquiry_rows
from petitspas.directory.models import (
    Appointment,
    Desk,
    GuideEdition,
    Meeting,
    MeetingItem,
    Orientation,
    Participant,
    Service,
    Structure,
    Territory,
    Visit,
    WorkingGroup,
)
from petitspas.families.tests.factories import HouseholdFactory, PersonFactory
from petitspas.organisations.models import Membership
from petitspas.places.models import SiteClosure, SiteRelocation
from petitspas.reporting.models import AnnualReport, BudgetLine, Funder, Funding, SocialHotel

# URLs anyone may open without an account, by name (namespace:name). Adding one is a decision.
PUBLIC = {
    "web:home",
    # The installable app: its manifest and its service worker hold no data.
    "web:manifest",
    "web:service-worker",
    "healthz",
    "set_language",
    "accounts:login",
    "accounts:logout",
    # Forgotten password: the same answer for every address; the link is signed.
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "organisations:invitation-accept",
    "api:openapi-json",
    "api:openapi-view",
    # The public agenda shows public sessions of every organisation, never a person.
    "agenda:index",
    "agenda:session",
    "agenda:session-ics",
    "agenda:programme-ics",
    "agenda:site-ics",
    # A family asks for a place at a public session: no account, rate-limited per address.
    "agenda:session-place-request",
    # The partner directory is public (families, the Point Info Famille desk); the
    # "toujours exact" link is signed and shows one service.
    "directory:index",
    "directory:structure",
    "directory:service",
    "directory:confirm",
    # The families' directory (translated), its widget for town halls' websites and the
    # page that gives the widget's code: public entries only, rate-limited per address.
    "public_directory:search",
    "public_directory:service",
    "public_directory:widget",
    "directory:widget-code",
    # A published edition of the printed guide is handed out to families: public.
    "directory:guide-edition-html",
    "directory:guide-edition-pdf",
    # Residents and professionals propose a place for a diagnosis area's map: no account,
    # rate-limited per address; the page names the area only.
    "diagnosis:place-propose",
}
# Django's admin is for the platform's staff only and answers with its own sign-in page.
SKIPPED_NAMESPACES = {"admin"}


@dataclasses.dataclass
class Route:
    name: str
    route: str
    kwargs_names: tuple[str, ...]


def walk(patterns=None, prefix="", namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full_ns = f"{namespace}:{ns}".strip(":") if ns else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name or route}".strip(":")
            names = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route)) or tuple(
                pattern.pattern.regex.groupindex
            )
            yield Route(name=name, route=route, kwargs_names=names)


def url_for(route: Route, values: dict) -> str:
    url = route.route
    for name in route.kwargs_names:
        url = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), url)
    url = url.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + url


def alice_values(alice) -> dict:
    """One object of organisation A for each URL argument name used in the project."""
    site = alice.site
    closure = SiteClosure.objects.create(
        site=site,
        starts_on=datetime.date(2030, 1, 7),
        ends_on=datetime.date(2030, 1, 7),
        reason="Formation",
    )
    relocation = SiteRelocation.objects.create(
        site=site, starts_on=datetime.date(2030, 2, 1), place_name="Centre de PMI"
    )
    token = ApiToken.objects.create(user=alice.admin, name="t", key_hash="x" * 64, hint="pp_x")
    household = HouseholdFactory(organisation=alice.organisation, code="F-ALICE")
    person = PersonFactory(household=household, child=True, first_name="Zéphyrine")
    activity_type = ActivityTypeFactory(programme=alice.programme)
    series = SeriesFactory(activity_type=activity_type, sites=[site])
    session = SessionFactory(
        activity_type=activity_type, site=site, series=series, date=datetime.date(2030, 1, 8)
    )
    facilitator = FacilitatorFactory(organisation=alice.organisation, name="Bibliothèque Alice")
    membership = Membership.objects.get(user=alice.professional, organisation=alice.organisation)
    # A referral to A's programme, with the first name the walk looks for in pages.
    referral = ReferralFactory(programme=alice.programme, parent_first_name="Zéphyrine")
    structure = Structure.objects.create(
        organisation=alice.organisation, source_id="alice--1", nom="Maison des parents Alice"
    )
    service = Service.objects.create(structure=structure, source_id="alice--s1", nom="Écoute")
    territory = Territory.objects.create(organisation=alice.organisation, communes=["93055"])
    edition = GuideEdition.objects.create(
        territory=territory,
        number=1,
        published_on=datetime.date(2030, 1, 7),
        snapshot={
            "version": 1,
            "built_on": "2030-01-07",
            "territory": {"organisation": alice.organisation.name, "communes": ["Pantin"]},
            "structures": [],
            "services": [],
        },
    )
    enrolment = enrol(
        alice.programme,
        first_name="Zéphyrine",
        birth_date=datetime.date(2029, 1, 8),
        starts_on=datetime.date(2030, 1, 7),
    )
    booking = Booking.objects.create(
        slot=ChildcareSlot.objects.create(site=site, day=datetime.date(2030, 1, 8), half_day="am"),
        enrolment=enrolment,
        reason="training",
    )
    staff = StaffMember.objects.create(
        programme=alice.programme, user=alice.professional, qualification="eje"
    )
    assignment = StaffAssignment.objects.create(
        slot=booking.slot, staff=staff, day=booking.slot.day, half_day="am"
    )
    report = AnnualReport.objects.create(
        programme=alice.programme, year=2030, requested_by=alice.coordinator, status="done"
    )
    budget_line = BudgetLine.objects.create(
        programme=alice.programme, year=2030, category="staff", label="Coordination", amount=1
    )
    funding = Funding.objects.create(
        programme=alice.programme,
        year=2030,
        funder=Funder.objects.create(organisation=alice.organisation, name="Fondation Alice"),
    )
    # A social hotel on A's reference list, for the coverage pages.
    SocialHotel.objects.create(
        programme=alice.programme,
        departement="93",
        name="Hôtel Alice",
        commune_code="93055",
        town="Pantin",
        address="2 rue Alice",
        children=3,
        site=site,
    )
    return {
        "staff_pk": staff.pk,
        "assignment_pk": assignment.pk,
        "report_pk": report.pk,
        **desk_and_network_rows(alice, structure, service, household),
        **inquiry_rows(alice),
        **participation_rows(alice, structure),
        "budget_line_pk": budget_line.pk,
        "funding_pk": funding.pk,
        "structure_pk": structure.pk,
        "service_pk": service.pk,
        "territory_pk": territory.pk,
        "edition_pk": edition.pk,
        "organisation_pk": alice.organisation.pk,
        "organisation_id": alice.organisation.pk,
        "programme_pk": alice.programme.pk,
        "programme_id": alice.programme.pk,
        "site_pk": site.pk,
        "site_id": site.pk,
        "closure_pk": closure.pk,
        "relocation_pk": relocation.pk,
        "membership_pk": membership.pk,
        "token_pk": token.pk,
        "household_pk": household.pk,
        "activity_type_pk": activity_type.pk,
        "session_pk": session.pk,
        "series_pk": series.pk,
        "facilitator_pk": facilitator.pk,
        "year": 2030,
        "month": 1,
        "person_pk": person.pk,
        "referral_pk": referral.pk,
        "referral_id": referral.pk,
        "enrolment_pk": enrolment.pk,
        "booking_pk": booking.pk,
        # The invitation link is public and signed: a forged one must show nothing (the
        # referral link in a prescriber's e-mail too, after sign-in).
        "uidb64": "MQ",
        "token": "invalide-0000",
    }


def desk_and_network_rows(alice, structure, service, household) -> dict:
    """A's Point Info Famille desk (an appointment, a named visit, an orientation) and its
    partners' network (a working group, a meeting, a registration, an action of its
    minutes)."""
    desk = Desk.objects.create(organisation=alice.organisation, site=alice.site, name="PIF Alice")
    appointment = Appointment.objects.create(
        desk=desk,
        starts_at=datetime.datetime(2030, 1, 8, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 1, 8, 9, 30, tzinfo=datetime.UTC),
        household=household,
        first_name="Zéphyrine",
    )
    visit = Visit.objects.create(
        desk=desk, themes=["Accès au droit"], consent=True, household=household
    )
    orientation = Orientation.objects.create(
        organisation=alice.organisation,
        desk=desk,
        visit=visit,
        household=household,
        service=service,
        note="Zéphyrine",
    )
    group = WorkingGroup.objects.create(
        organisation=alice.organisation, name="Groupe Alice", kind=WorkingGroup.Kind.INFO_SESSIONS
    )
    group.members.add(structure)
    meeting = Meeting.objects.create(
        group=group,
        title="Réunion Alice",
        starts_at=datetime.datetime(2030, 1, 8, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 1, 8, 11, tzinfo=datetime.UTC),
        place="Salle Alice",
    )
    participant = Participant.objects.create(
        meeting=meeting, structure=structure, person_name="Zéphyrine", registered=True
    )
    item = MeetingItem.objects.create(
        meeting=meeting, kind=MeetingItem.Kind.ACTION, text="Zéphyrine relit le guide"
    )
    return {
        "visit_pk": visit.pk,
        "item_pk": item.pk,
        "desk_pk": desk.pk,
        "appointment_pk": appointment.pk,
        "orientation_pk": orientation.pk,
        "group_pk": group.pk,
        "meeting_pk": meeting.pk,
        "participant_pk": participant.pk,
    }


def participation_rows(alice, structure) -> dict:
    """A's diagnosis area with a proposed place and an urban walk (a resident registered)."""
    area, _ = Area.objects.get_or_create(
        organisation=alice.organisation, name="Quartier Alice", defaults={"commune": "93055"}
    )
    proposal = PlaceProposal.objects.create(
        area=area, name="Square Zéphyrine", address="1 rue Alice", proposer="resident"
    )
    walk = UrbanWalk.objects.create(
        area=area,
        title="Parcours Alice",
        starts_at=datetime.datetime(2030, 1, 8, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 1, 8, 11, tzinfo=datetime.UTC),
        guide="Zéphyrine",
        capacity=10,
    )
    WalkStop.objects.create(walk=walk, position=1, structure=structure, label=structure.nom)
    WalkStop.objects.create(
        walk=walk, position=2, label="Square Alice", latitude=48.9, longitude=2.4
    )
    WalkRegistration.objects.create(walk=walk, kind="resident", first_name="Zéphyrine")
    return {"area_pk": area.pk, "proposal_pk": proposal.pk, "walk_pk": walk.pk}


# API operations that take their ids in a JSON body rather than in the URL: the walk posts
# organisation A's ids, which another organisation's members must get a 404 for.
POST_BODIES = {
    "api:booking_create": lambda values: {
        "enrolment_id": values["enrolment_pk"],
        "site_id": values["site_pk"],
        "day": "2030-01-08",
        "half_day": "am",
        "kind": "regular",
        "reason": "training",
    },
}


def alice_markers(alice) -> list[str]:
    return [alice.organisation.name, alice.programme.name, alice.site.name, "F-ALICE", "Zéphyrine"]


def person_markers(alice) -> list[str]:
    """What a funder must never read: staff identities, family codes and first names."""
    people = [alice.admin, alice.coordinator, alice.professional]
    return [p.email for p in people] + [p.last_name for p in people] + ["F-ALICE", "Zéphyrine"]


def response_text(response) -> str:
    """The body, streamed (a CSV export) or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def routes_to_check(patterns=None) -> list[Route]:
    return [
        r
        for r in walk(patterns)
        if r.name.split(":")[0] not in SKIPPED_NAMESPACES
        and "<path:" not in r.route
        and not r.route.endswith("(?P<path>.*)$")
    ]


def route_id(route: Route, routes: list[Route]) -> str:
    """The URL name; its arguments too when several patterns share the name."""
    if sum(r.name == route.name for r in routes) > 1:
        return f"{route.name}({','.join(route.kwargs_names)})"
    return route.name


@pytest.fixture
def values(alice) -> dict:
    return alice_values(alice)


def check_route(client, route: Route, values: dict, alice, bob, funder) -> list[str]:
    """Every problem found on one URL, as readable lines; empty when isolation holds."""
    missing = [n for n in route.kwargs_names if n not in values]
    if missing:
        return [f"{route.name}: no builder for URL argument(s) {missing}"]
    problems = []
    markers = alice_markers(alice)
    url = url_for(route, values)
    public = route.name in PUBLIC

    client.logout()
    response = client.get(url)
    if not public and response.status_code not in (302, 401, 403, 404, 405):
        problems.append(f"{route.name} {url}: anonymous got {response.status_code}")
    if (
        response.status_code == 302
        and not public
        and "/compte/connexion/" not in response["Location"]
    ):
        problems.append(f"{route.name}: anonymous redirected to {response['Location']}")

    for user in (bob.admin, bob.coordinator, bob.professional):
        client.force_login(user)
        response = client.get(url)
        status = response.status_code
        if status == 405 and not public:
            body = POST_BODIES.get(route.name)
            response = (
                client.post(url, body(values), content_type="application/json")
                if body
                else client.post(url)
            )
            status = response.status_code
            if status not in (403, 404):
                problems.append(f"{route.name} {url}: other organisation POST got {status}")
            continue
        if route.kwargs_names and not public and status not in (403, 404):
            problems.append(f"{route.name} {url}: other organisation got {status}")
        if status == 200 and not public:
            body = response_text(response)
            leaked = [m for m in markers if m in body]
            if leaked:
                problems.append(f"{route.name} {url}: other organisation sees {leaked}")

    client.force_login(funder)
    response = client.get(url)
    if response.status_code == 200:
        body = response_text(response)
        leaked = [m for m in person_markers(alice) if m in body]
        if leaked:
            problems.append(f"{route.name} {url}: funder sees people {leaked}")
    return problems


# Collected at import, one test per URL pattern, so that pytest-xdist spreads the walk.
ROUTES = routes_to_check()


@pytest.mark.parametrize("route", ROUTES, ids=[route_id(r, ROUTES) for r in ROUTES])
def test_url_is_isolated_between_organisations(client, values, alice, bob, funder, route):
    assert check_route(client, route, values, alice, bob, funder) == []


def test_every_url_argument_has_a_builder(values):
    unknown = {n for r in ROUTES for n in r.kwargs_names if n not in values}
    assert unknown == set()


# Deliberately unscoped views, to prove the walk catches a view that forgets visible_to and
# a URL argument it cannot build.
def _leaky_site_view(request, site_pk):
    from django.http import HttpResponse

    from petitspas.places.models import Site

    return HttpResponse(Site.objects.get(pk=site_pk).name)


def _unbuildable_view(request, mystery_pk):
    raise AssertionError("never requested: the walk cannot build its URL")


urlpatterns = [
    path("fuite/<int:site_pk>/", _leaky_site_view, name="leaky"),
    path("fuite/<int:mystery_pk>/mystere/", _unbuildable_view, name="unbuildable"),
]
PROOF_ROUTES = {r.name: r for r in routes_to_check(urlpatterns)}


@pytest.mark.urls("petitspas.web.tests.test_isolation")
def test_a_view_that_forgets_scoping_is_caught(client, values, alice, bob, funder):
    problems = check_route(client, PROOF_ROUTES["leaky"], values, alice, bob, funder)
    assert any(p.startswith("leaky") and "other organisation got 200" in p for p in problems)
    assert any(p.startswith("leaky") and "anonymous got 200" in p for p in problems)


@pytest.mark.urls("petitspas.web.tests.test_isolation")
def test_a_url_argument_without_a_builder_fails(client, values, alice, bob, funder):
    problems = check_route(client, PROOF_ROUTES["unbuildable"], values, alice, bob, funder)
    assert problems == ["unbuildable: no builder for URL argument(s) ['mystery_pk']"]
