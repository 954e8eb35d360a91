"""The error pages: DSFR, French, and in the visitor's language on the public side (English,
Arabic right to left), with a way out (home, back, contact)."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.template import loader
from django.test import RequestFactory
from django.urls import path
from django.utils import translation

from petitspas import urls as project_urls
from petitspas.core.bounds import InvalidInput
from petitspas.web import errors
from petitspas.web.templatetags.pp_errors import duration_in_words


def html_tag(body: str) -> str:
    return re.search(r"<html[^>]*>", body).group(0)


def in_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def test_404_is_a_french_dsfr_page_with_a_way_home(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    body = response.content.decode()
    assert html_tag(body) == '<html lang="fr" data-fr-scheme="system">'
    assert "<h1>Page non trouvée</h1>" in body
    assert "Erreur 404" in body
    assert 'class="fr-btn" href="/"' in body
    assert 'class="fr-header"' in body and 'class="fr-footer"' in body


def test_404_of_a_missing_session_in_the_agenda(client, db):
    response = client.get("/agenda/seances/99999999999999999999/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_404_in_english(client, db):
    body = in_language(client, "en").get("/agenda/seances/999/").content.decode()
    assert html_tag(body) == '<html lang="en" data-fr-scheme="system">'
    assert "<h1>Page not found</h1>" in body
    assert "Home page" in body
    assert "Page non trouvée" not in body


def test_404_in_arabic_reads_right_to_left(client, db):
    body = in_language(client, "ar").get("/agenda/seances/999/").content.decode()
    assert html_tag(body) == '<html lang="ar" data-fr-scheme="system" dir="rtl">'
    assert "<h1>الصفحة غير موجودة</h1>" in body
    assert "خطأ 404" in body


def test_403_says_who_to_ask(client, funder):
    client.force_login(funder)  # a funder staffs no session: "my week" is not for them
    response = client.get("/activites/ma-semaine/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "<h1>Accès refusé</h1>" in body
    assert "Erreur 403" in body
    assert "administrateur de votre organisation" in body


def test_back_link_only_to_our_own_pages(client, db):
    ours = client.get("/nulle-part/", headers={"Referer": "http://testserver/agenda/"})
    assert 'href="http://testserver/agenda/">Page précédente' in ours.content.decode()
    theirs = client.get("/nulle-part/", headers={"Referer": "https://ailleurs.example/"})
    assert "ailleurs.example" not in theirs.content.decode()
    assert "Page précédente" not in theirs.content.decode()


def test_contact_link_when_a_support_address_is_set(client, db, settings):
    assert "mailto:" not in client.get("/nulle-part/").content.decode()
    settings.SUPPORT_EMAIL = "aide@petitspas.example"
    body = client.get("/nulle-part/").content.decode()
    assert 'href="mailto:aide@petitspas.example">Nous contacter' in body


def test_csrf_failure_explains_how_to_go_on(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "<h1>Formulaire expiré</h1>" in body
    assert "cookies" in body


# A view that fails, and one that fails while the database is unreachable too.
def _broken(request):
    raise RuntimeError("boom")


def _out_of_range(request):
    raise InvalidInput("La date doit être comprise entre 2000 et 2100.")


def _suspicious(request):
    raise SuspiciousOperation("internal detail")


urlpatterns = [
    path("casse/", _broken),
    path("hors-bornes/", _out_of_range),
    path("suspect/", _suspicious),
    *project_urls.urlpatterns,
]
handler400 = "petitspas.web.errors.bad_request"
handler500 = "petitspas.web.errors.server_error"


@pytest.mark.urls("petitspas.web.tests.test_errors")
def test_400_shows_the_reason_in_french(client, db):
    response = client.get("/hors-bornes/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>Demande incorrecte</h1>" in body
    assert 'role="alert"><p>La date doit être comprise entre 2000 et 2100.</p>' in body


@pytest.mark.urls("petitspas.web.tests.test_errors")
def test_400_keeps_other_reasons_to_the_logs(client, db):
    response = client.get("/suspect/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>Demande incorrecte</h1>" in body
    assert "internal detail" not in body and 'role="alert"' not in body


@pytest.mark.urls("petitspas.web.tests.test_errors")
def test_500_renders_in_dsfr(client, db):
    client.raise_request_exception = False
    response = client.get("/casse/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "<h1>Erreur inattendue</h1>" in body
    assert 'class="fr-header"' in body


def test_500_renders_without_the_database(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Erreur 500" in response.content.decode()


def test_500_in_arabic(db):
    with translation.override("ar"):
        body = errors.server_error(RequestFactory().get("/")).content.decode()
    assert 'lang="ar"' in html_tag(body) and 'dir="rtl"' in html_tag(body)
    assert "خطأ غير متوقع" in body


def test_429_says_when_to_try_again(rf):
    template = loader.get_template("429.html")
    with translation.override("fr"):
        body = template.render({"retry_after": 90}, rf.get("/"))
        assert "<h1>Trop de demandes</h1>" in body
        assert "Vous pourrez réessayer dans 2 minutes." in body
        body = template.render({}, rf.get("/"))
    assert "Vous pourrez réessayer dans quelques minutes." in body


def test_429_in_english_and_arabic(rf):
    template = loader.get_template("429.html")
    with translation.override("en"):
        assert "You can try again in 1 hour." in template.render({"retry_after": 3600}, rf.get("/"))
    with translation.override("ar"):
        body = template.render({"retry_after": 30}, rf.get("/"))
    assert "يمكنك إعادة المحاولة بعد 30 ثانية." in body


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 seconde"),
        (45, "45 secondes"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (1800, "30 minutes"),
        (3600, "1 heure"),
        (3601, "2 heures"),
        (7 * 86400, "quelques jours"),
        ("abc", ""),
    ],
)
def test_duration_in_words(seconds, words):
    with translation.override("fr"):
        assert duration_in_words(seconds) == words
