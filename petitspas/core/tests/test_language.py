"""The public agenda follows the visitor's language; every other page stays French, whatever
the browser asks (a staff page in an English browser must not mix in "Password")."""

import pytest
from django.conf import settings


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "en-US,en;q=0.9", "ar"])
def test_staff_pages_stay_french_in_any_browser(client, language):
    body = client.get("/compte/connexion/", headers={"Accept-Language": language}).content
    body = body.decode()
    assert '<html lang="fr"' in body
    assert "Mot de passe" in body
    assert "Password" not in body


@pytest.mark.django_db
def test_the_language_cookie_does_not_translate_staff_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()
    assert response["Content-Language"] == "fr"


@pytest.mark.django_db
def test_the_agenda_follows_the_browser(client):
    response = client.get("/agenda/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()
