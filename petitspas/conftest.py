"""The fixed cast: two organisations, each with an admin, a coordinator and a professional,
plus a prescriber and a funder of the first one. Every isolation test uses them."""

import copy
import dataclasses
import datetime

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone, translation

from petitspas.accounts.tests.factories import UserFactory
from petitspas.accounts.tests.mfa import SignInClient
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
)
from petitspas.places.tests.factories import SiteFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast's accounts are hashed before each test: PBKDF2's cost is for attackers,
    not for the suite (it made each test take about a second)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client():
    """pytest-django's client, whose ``force_login`` also passes the second factor
    (``accounts/tests/mfa.py``); ``force_login(user, verified=False)`` does not."""
    return SignInClient()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language. A request to a translated page (the agenda
    in Arabic, say) leaves its language active in the thread, as Django does; a later test
    of the same worker that calls a service directly would write its e-mails in it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_rate_limits():
    """Rate-limit counters live in the process's cache: each test starts from zero."""
    cache.clear()


# django-dsfr's input_snippet.html reads an optional widget attribute that ours never set,
# through ``|default:'fr-input-group'``. Django skips the filters of an invalid variable
# when ``string_if_invalid`` is set, so answer what the default gives in production (or
# every field in error would render as class=" --error" in tests and screenshots).
DSFR_OPTIONAL_VARIABLES = {"field.field.widget.group_class": "fr-input-group"}


class UndefinedVariable(str):
    """``string_if_invalid`` that fails the test on an undefined variable in our templates."""

    def __mod__(self, name):
        if str(name) in DSFR_OPTIONAL_VARIABLES:
            return DSFR_OPTIONAL_VARIABLES[str(name)]
        raise AssertionError(f"undefined template variable: {name}")


@pytest.fixture(autouse=True)
def fail_on_undefined_template_variables(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = UndefinedVariable("%s")
    settings.TEMPLATES = templates


# A date alone means this hour of that day: inside opening hours, far from midnight, so
# that the day is the same in UTC and in Paris.
TRAVEL_HOUR = datetime.time(10)


@pytest.fixture
def travel(time_machine):
    """Move every clock (``timezone.now``, ``localdate``, ``date.today``, ``time.time``) to
    a local date or time of the platform's zone, for the rest of the test; returns the date.

    ``travel(date(2025, 3, 10))`` is 10:00 that day in Paris; a naive datetime is Paris
    time. The clock stands still (``tick=False``) so that every "today" of the test agrees;
    ``tick=True`` lets it run on from there. The one way to set time in tests: never patch
    ``timezone``."""

    def move(moment: datetime.date | datetime.datetime, *, tick: bool = False):
        if not isinstance(moment, datetime.datetime):
            moment = datetime.datetime.combine(moment, TRAVEL_HOUR)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        time_machine.move_to(moment, tick=tick)
        return timezone.localdate()

    return move


@dataclasses.dataclass
class Side:
    organisation: object
    programme: object
    site: object
    admin: object
    coordinator: object
    professional: object


def _side(name, programme_name, site_name, prefix):
    organisation = OrganisationFactory(name=name)
    programme = ProgrammeFactory(organisation=organisation, name=programme_name)
    site = SiteFactory(programme=programme, name=site_name)
    members = {
        role: MembershipFactory(
            organisation=organisation,
            role=role,
            # Fixed, distinctive names: the isolation test looks for them in pages, so a
            # random surname must never collide with a town or with another cast member.
            user=UserFactory(
                email=f"{prefix}-{role}@exemple.fr",
                first_name=prefix.title(),
                last_name=f"{prefix.title()}{role.title()}",
            ),
        ).user
        for role in (Role.ADMIN, Role.COORDINATOR, Role.PROFESSIONAL)
    }
    return Side(
        organisation,
        programme,
        site,
        members[Role.ADMIN],
        members[Role.COORDINATOR],
        members[Role.PROFESSIONAL],
    )


@pytest.fixture
def alice(db):
    """Organisation A: Asmae and its Espace Petits Pas."""
    return _side("Asmae", "Espace Petits Pas", "Maison de quartier de Pantin", "alice")


@pytest.fixture
def bob(db):
    """Organisation B: Ville de Lunel and Les Petits Pas."""
    return _side("Ville de Lunel", "Les Petits Pas", "Accueil de loisirs du parc", "bob")


@pytest.fixture
def prescriber(db, alice):
    organisation = OrganisationFactory(name="France Travail Lunel", kind="prescriber")
    return MembershipFactory(
        organisation=organisation,
        role=Role.PRESCRIBER,
        user=UserFactory(email="presc@exemple.fr", first_name="Prescriptrice", last_name="Conseil"),
    ).user


@pytest.fixture
def funder(db, alice):
    """A CAF officer observing organisation A's figures."""
    return MembershipFactory(
        organisation=alice.organisation,
        role=Role.FUNDER,
        user=UserFactory(email="caf@exemple.fr", first_name="Chargée", last_name="Financement"),
    ).user


# Browser tests drive Debian's Chromium: Playwright cannot download its own browser here.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}


# An htmx swap or a page load can take several seconds when the suite shares two cores
# with the server thread and Chromium: assertions wait up to 15 s (Playwright's default is
# 5 s) before they fail.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}
