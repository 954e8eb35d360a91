from unittest import mock

from django.db import DatabaseError


def test_healthz_answers_200_when_database_is_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_database_is_down(client, db):
    with mock.patch("petitspas.web.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_home_page_is_public_and_in_french(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
    assert "Se connecter" in response.content.decode()
