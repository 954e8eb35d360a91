"""The public agenda and its feeds are limited per address: past the rate, 429 with
Retry-After, and another address is not affected."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

# The agenda's conftest empties the cache (and so the counters) before each test.


@pytest.fixture(autouse=True)
def still_clock(time_machine):
    """Counters reset when their window ends: the clock stands still inside the test."""
    time_machine.move_to(timezone.now(), tick=False)


def test_agenda_answers_429_past_its_rate_and_not_to_another_address(client, settings):
    settings.RATELIMIT_AGENDA = "3/m"
    url = reverse("agenda:index")
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200

    response = client.get(url, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Trop de demandes" in response.content.decode()
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_session_pages_share_the_agenda_rate(client, settings, make_session):
    settings.RATELIMIT_AGENDA = "2/m"
    session = make_session()
    url = reverse("agenda:session", kwargs={"session_pk": session.pk})
    assert client.get(reverse("agenda:index")).status_code == 200
    assert client.get(url).status_code == 200

    assert client.get(url).status_code == 429


def test_feeds_answer_429_past_their_rate(client, settings, programme):
    settings.RATELIMIT_FEEDS = "2/m"
    url = reverse("agenda:programme-ics", kwargs={"programme_pk": programme.pk})
    assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200

    response = client.get(url, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_the_feed_limit_does_not_spend_the_agenda_one(client, settings, programme):
    settings.RATELIMIT_FEEDS = "1/m"
    settings.RATELIMIT_AGENDA = "1/m"
    feed = reverse("agenda:programme-ics", kwargs={"programme_pk": programme.pk})
    assert client.get(feed).status_code == 200

    assert client.get(reverse("agenda:index")).status_code == 200


def test_an_empty_rate_turns_the_limit_off(client, settings):
    settings.RATELIMIT_AGENDA = ""
    for _ in range(5):
        assert client.get(reverse("agenda:index")).status_code == 200
