"""The public agenda from the cache: anonymous visitors get the page kept for the same
rows, day, language, host and query; whatever changes what it shows (however it is
written: an UPDATE, a registration, a move, a co-host) shows on the next request."""

import datetime
import gzip
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.urls import reverse

from petitspas.accounts.tests.factories import UserFactory
from petitspas.activities.models import ActivityType, Session
from petitspas.activities.tests.factories import ActivityTypeFactory
from petitspas.agenda import views
from petitspas.agenda.tests.conftest import in_days, working_day
from petitspas.attendance.models import Registration
from petitspas.diagnosis.models import SiteCohost
from petitspas.families.tests.factories import HouseholdFactory
from petitspas.places.models import Site, SiteRelocation

INDEX = reverse("agenda:index")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Builds:
    """Counts the pages rendered rather than served from the cache."""

    def __init__(self, monkeypatch):
        self.count = 0
        render = views._index

        def counted(*args, **kwargs):
            self.count += 1
            return render(*args, **kwargs)

        monkeypatch.setattr(views, "_index", counted)


@pytest.fixture
def builds(monkeypatch):
    return Builds(monkeypatch)


def without_token(body: bytes) -> bytes:
    return re.sub(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', rb"\1", body)


def test_a_second_visitor_gets_the_kept_page_with_their_own_token(make_session, builds):
    make_session(days=2)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    one = first.get(INDEX)
    two = second.get(INDEX)

    assert builds.count == 1
    assert one.status_code == two.status_code == 200
    assert without_token(one.content) == without_token(two.content)
    assert views.CSRF_PLACEHOLDER not in two.content.decode()
    token = TOKEN.search(two.content.decode()).group(1)
    assert f'"X-CSRFToken": "{token}"' in two.content.decode()
    # The language switch works with the token of the kept page (not the first visitor's).
    response = second.post(
        reverse("set_language"), {"language": "en", "next": INDEX, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_browser_asking_for_gzip_gets_the_kept_page_compressed_with_its_token(
    make_session, builds
):
    make_session(days=2)
    Client().get(INDEX)  # kept
    visitor = Client(enforce_csrf_checks=True)

    plain = visitor.get(INDEX)
    packed = visitor.get(INDEX, headers={"Accept-Encoding": "gzip, deflate, br"})
    htmx = visitor.get(INDEX, headers={"Accept-Encoding": "gzip", "HX-Request": "true"})

    assert builds.count == 2  # the page, and htmx's part of it
    assert packed["Content-Encoding"] == htmx["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    for response in (plain, packed, htmx):
        assert "Accept-Encoding" in response["Vary"]
    text = gzip.decompress(packed.content)
    assert len(packed.content) < len(text) / 2
    assert without_token(text) == without_token(plain.content)  # a token is masked anew
    token = TOKEN.search(text.decode()).group(1)
    assert f'"X-CSRFToken": "{token}"'.encode() in text
    assert views.CSRF_PLACEHOLDER_BYTES not in text + gzip.decompress(htmx.content)
    # The token of the compressed page is the visitor's: the language switch takes it.
    response = visitor.post(
        reverse("set_language"), {"language": "en", "next": INDEX, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_cancelled_session_shows_on_the_next_request(client, make_session, builds):
    session = make_session(days=2)
    assert "Annulée" not in client.get(INDEX).content.decode()

    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.CANCELLED, cancel_reason="Grève des transports"
    )
    body = client.get(INDEX).content.decode()

    assert builds.count == 2
    assert "Annulée" in body
    assert "Grève des transports" in body


def test_a_moved_session_shows_on_the_next_request(client, make_session):
    session = make_session(days=2)
    assert "14:00 – 16:00" in client.get(INDEX).content.decode()

    # As a series' "this one and the following" edit does it: an UPDATE, no signal.
    Session.objects.filter(pk=session.pk).update(
        start_time=datetime.time(10), end_time=datetime.time(12)
    )

    body = client.get(INDEX).content.decode()
    assert "10:00 – 12:00" in body
    assert "14:00 – 16:00" not in body


@pytest.mark.parametrize(
    "change",
    ["registration", "activity renamed", "site address", "relocation", "co-host", "new session"],
)
def test_any_change_to_what_the_page_shows_renders_it_again(
    client, make_session, programme, pantin, change
):
    workshop = ActivityTypeFactory(programme=programme, on_registration=True, name="Éveil")
    session = make_session(days=working_day(3), activity_type=workshop, capacity=5)
    before = client.get(INDEX).content.decode()
    assert "5 places restantes" in before

    if change == "registration":
        Registration.objects.create(
            session=session, household=HouseholdFactory(organisation=programme.organisation)
        )
    elif change == "activity renamed":
        ActivityType.objects.filter(pk=workshop.pk).update(name="Éveil musical")
    elif change == "site address":
        Site.objects.filter(pk=pantin.pk).update(address="2 avenue Jean Lolive")
    elif change == "relocation":
        SiteRelocation.objects.create(
            site=pantin, starts_on=in_days(0), place_name="Centre de PMI", address="3 rue Hoche"
        )
    elif change == "co-host":
        SiteCohost.objects.create(site=pantin, label="Les habitants du quartier")
    else:
        make_session(days=4)
    after = client.get(INDEX).content.decode()

    assert {
        "registration": "4 places restantes" in after,
        "activity renamed": "Éveil musical" in after,
        "site address": "2 avenue Jean Lolive" in after,
        "relocation": "Centre de PMI, 3 rue Hoche" in after,
        "co-host": "Les habitants du quartier" in after,
        "new session": after.count("pp-session ") + after.count('pp-session"') == 2,
    }[change]


def test_a_site_that_becomes_a_social_hotel_leaves_the_kept_page(client, make_session, pantin):
    make_session(days=2)
    assert "Square Stalingrad" in client.get(INDEX).content.decode()

    Site.objects.filter(pk=pantin.pk).update(kind="social_hotel")

    assert "Square Stalingrad" not in client.get(INDEX).content.decode()


def test_each_query_language_host_and_kind_has_its_page(client, make_session, lunel, settings):
    settings.ALLOWED_HOSTS = ["agenda.exemple.fr", "testserver"]
    make_session(days=1)
    make_session(days=1, site=lunel)

    everything = client.get(INDEX).content.decode()
    lunel_only = client.get(INDEX, {"commune": "Lunel"}).content.decode()
    part = client.get(INDEX, {"commune": "Lunel"}, headers={"HX-Request": "true"})
    elsewhere = client.get(INDEX, HTTP_HOST="agenda.exemple.fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(INDEX).content.decode()

    assert everything.count('class="pp-where"') == 2
    assert lunel_only.count('class="pp-where"') == 1
    assert "<html" not in part.content.decode() and "hx-swap-oob" in part.content.decode()
    assert elsewhere.status_code == 200
    assert "Agenda des familles" in everything and "What's on for families" in english


def test_the_next_day_renders_the_page_again(client, make_session, builds, time_machine):
    time_machine.move_to(datetime.datetime.combine(in_days(0), datetime.time(12)), tick=False)
    make_session(days=1)
    client.get(INDEX)
    client.get(INDEX)
    assert builds.count == 1

    time_machine.move_to(datetime.datetime.combine(in_days(1), datetime.time(12)), tick=False)
    client.get(INDEX)

    assert builds.count == 2


def test_signed_in_people_never_get_nor_leave_a_kept_page(client, make_session, builds):
    make_session(days=2)
    user = UserFactory(first_name="Awa", last_name="Diallo")
    signed_in = Client()
    signed_in.force_login(user)

    mine = signed_in.get(INDEX).content.decode()
    public = client.get(INDEX).content.decode()
    mine_again = signed_in.get(INDEX).content.decode()

    assert "Awa Diallo" in mine and "Awa Diallo" in mine_again
    assert "Awa Diallo" not in public
    assert "Se connecter" in public
    assert builds.count == 3


def test_a_session_cookie_of_no_one_gets_the_kept_page(client, make_session, builds, settings):
    """Without a session cookie the visitor is anonymous and their user is not looked up;
    with one, the session says (here an expired one: anonymous)."""
    make_session(days=2)
    user = UserFactory()
    signed_in = Client()
    signed_in.force_login(user)
    client.get(INDEX)
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-forged"

    body = client.get(INDEX).content.decode()
    signed_in.logout()
    signed_in.get(INDEX)

    assert builds.count == 1
    assert "Se connecter" in body


def test_a_waiting_message_is_shown_on_a_page_rendered_for_it(client, make_session, builds):
    make_session(days=2)
    client.get(INDEX)
    request = type("Request", (), {"COOKIES": {}})()
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Vous êtes déconnecté.")
    encoded = storage._encode(storage._queued_messages)
    client.cookies[CookieStorage.cookie_name] = encoded

    body = client.get(INDEX).content.decode()

    assert "Vous êtes déconnecté." in body
    assert builds.count == 2


def test_an_unknown_parameter_is_rendered_and_not_kept(client, make_session, builds):
    make_session(days=2)

    for _ in range(2):
        assert client.get(INDEX, {"utm_source": "affiche"}).status_code == 200

    assert builds.count == 2
