"""Sessions on shared phones: signed out after 30 idle minutes and 12 hours after signing
in; pages for someone signed in are never kept in a cache."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitspas.accounts.services import api_token_create
from petitspas.core.middleware import SESSION_EXPIRED
from petitspas.organisations.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock(time_machine):
    """The clock, standing still; ``clock.pass_(minutes)`` moves it on."""

    class Clock:
        now = timezone.now()

        def pass_(self, minutes):
            self.now += minutes * MINUTE
            time_machine.move_to(self.now, tick=False)

    clock = Clock()
    time_machine.move_to(clock.now, tick=False)
    return clock


def home():
    return reverse("web:home")


def login_url(next_=None):
    url = reverse("accounts:login")
    return f"{url}?next={next_}" if next_ else url


def test_a_session_idle_for_30_minutes_is_sent_to_the_sign_in_page(client, alice, clock):
    client.force_login(alice.professional)
    clock.pass_(31)

    response = client.get(reverse("attendance:today"))

    assert response.status_code == 302
    assert response["Location"] == login_url(reverse("attendance:today"))
    page = client.get(response["Location"])
    assert SESSION_EXPIRED in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated


def test_the_sign_in_page_after_expiry_tells_the_script_to_clear_drafts(client, alice, clock):
    client.force_login(alice.professional)
    clock.pass_(31)

    page = client.get(home(), follow=True)

    assert "data-pp-signed-out" in page.content.decode()


def test_activity_keeps_the_session_alive(client, alice, clock):
    client.force_login(alice.professional)
    for _ in range(4):
        clock.pass_(25)
        assert client.get(home()).wsgi_request.user.is_authenticated


def test_a_session_ends_12_hours_after_signing_in_however_busy(client, alice, clock):
    client.force_login(alice.professional)
    for _ in range(35):  # 11 h 40 of work, a request every 20 minutes
        clock.pass_(20)
        assert client.get(home()).status_code == 200
    clock.pass_(21)

    response = client.get(home())

    assert response.status_code == 302
    assert response["Location"].startswith(login_url())


def test_the_limits_are_settings(client, alice, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client.force_login(alice.professional)
    clock.pass_(4)
    assert client.get(home()).status_code == 200
    clock.pass_(6)

    assert client.get(home()).status_code == 302


def test_an_htmx_request_after_expiry_redirects_the_whole_page(client, alice, clock):
    client.force_login(alice.professional)
    clock.pass_(31)
    sheet = "http://testserver/terrain/seances/1/"

    response = client.get(
        reverse("places:commune-options"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=sheet
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == login_url("/terrain/seances/1/")
    assert response.content == b""


def test_the_api_after_expiry_answers_as_for_anyone_signed_out(client, alice, clock):
    client.force_login(alice.professional)
    clock.pass_(31)

    response = client.get(reverse("api:organisation_list"))

    assert response.status_code == 401


def test_signing_in_again_starts_fresh_clocks(client, alice, clock):
    client.force_login(alice.professional)
    clock.pass_(13 * 60)
    client.force_login(alice.professional)

    assert client.get(home()).status_code == 200


def test_pages_for_someone_signed_in_are_not_stored(client, alice):
    client.force_login(alice.professional)

    response = client.get(reverse("attendance:today"))

    assert response["Cache-Control"] == "no-store, private"


def test_the_sign_in_page_is_not_stored(client):
    directives = client.get(login_url())["Cache-Control"].split(", ")

    assert "no-store" in directives
    assert "private" in directives


def test_api_answers_to_a_token_are_not_stored(client, alice):
    raw = api_token_create(user=alice.professional, name="Script")[1]

    response = client.get(reverse("api:organisation_list"), HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_public_feeds_keep_their_caching_and_do_not_vary_on_cookies(client):
    programme = ProgrammeFactory()
    url = reverse("agenda:programme-ics", kwargs={"programme_pk": programme.pk})

    response = client.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=900"
    assert "Cookie" not in response.get("Vary", "")


def test_a_feed_opened_while_signed_in_is_not_stored(client, alice):
    client.force_login(alice.professional)
    programme = ProgrammeFactory()
    url = reverse("agenda:programme-ics", kwargs={"programme_pk": programme.pk})

    assert client.get(url)["Cache-Control"] == "no-store, private"


def test_the_public_agenda_is_not_marked_no_store(client):
    response = client.get(reverse("agenda:index"))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "data-pp-signed-out" in response.content.decode()
