"""The widget a town hall frames on its website (framing allowed on that view only), and
the page that gives its iframe and its script-free HTML list."""

import re

import pytest
from django.urls import reverse

from petitspas.directory.tests.test_directory import make_service, make_structure, partner  # noqa: F401

WIDGET = reverse("public_directory:widget")
CODE = reverse("directory:widget-code")
GARDE = "famille--garde-denfants"
PARENT = "famille--soutien-a-la-parentalite-et-a-leducation"


@pytest.fixture
def services(partner):  # noqa: F811
    carnot = make_structure(
        partner, nom="Centre de PMI Carnot", adresse="12 rue Carnot", telephone="01 99 00 00 01"
    )
    nanterre = make_structure(
        partner,
        nom="Crèche de Nanterre",
        code_insee="92050",
        commune="Nanterre",
        code_postal="92000",
    )
    return [
        make_service(partner, carnot, nom="Accueil des tout-petits", thematiques=[GARDE]),
        make_service(partner, carnot, nom="Entretien prénatal", thematiques=[PARENT]),
        make_service(partner, nanterre, nom="Multi-accueil", thematiques=[GARDE]),
    ]


def test_a_theme_and_a_town(client, services):
    response = client.get(WIDGET, {"thematique": GARDE, "commune": "92073"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Services aux familles : Garde d’enfants · Suresnes" in body
    assert "Accueil des tout-petits" in body
    assert "Entretien prénatal" not in body and "Multi-accueil" not in body
    assert "12 rue Carnot, Suresnes" in body and "01 99 00 00 01" in body
    assert 'target="_blank" rel="noopener"' in body
    assert "<script" not in body


def test_a_town_by_name_lists_all_its_themes(client, services):
    body = client.get(WIDGET, {"commune": "Suresnes"}).content.decode()
    assert "Accueil des tout-petits" in body and "Entretien prénatal" in body
    assert "Multi-accueil" not in body


def test_the_limit_and_the_link_to_the_rest(client, services):
    body = client.get(WIDGET, {"thematique": GARDE, "limite": "1"}).content.decode()
    assert body.count('class="pp-widget__item"') == 1
    assert "Voir les 2 services" in body
    assert f"/services-familles/?thematique={GARDE}" in body


def test_see_them_all_keeps_the_town(client, services):
    body = client.get(WIDGET, {"thematique": GARDE, "commune": "Nanterre", "limite": "1"})
    assert "Voir les" not in body.content.decode()  # one service in Nanterre: all shown
    body = client.get(WIDGET, {"commune": "92073", "limite": "1"}).content.decode()
    link = f"{reverse('public_directory:search')}?commune=92073"
    assert link in body
    page = client.get(link).content.decode()
    assert "2 services trouvés" in page
    assert "Commune : <bdi>Suresnes</bdi>" in page
    assert 'type="hidden" name="commune" value="92073"' in page
    assert "Multi-accueil" not in page
    # An unknown town is left aside: the theme's services in every town.
    page = client.get(
        reverse("public_directory:search"), {"commune": "99999", "thematique": GARDE}
    ).content.decode()
    assert "2 services trouvés" in page
    assert "Commune :" not in page


def test_the_widget_may_be_framed_by_other_sites(client, services):
    response = client.get(WIDGET, {"thematique": GARDE})
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https:" in policy
    # Everything else keeps its policy: no framing.
    other = client.get(reverse("public_directory:search"))
    assert other["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Indiquez un thème (thematique=…) ou une commune (commune=…)"),
        ({"thematique": "garde"}, "Le thème « garde » n&#x27;existe pas"),
        ({"commune": "Atlantide"}, "La commune « Atlantide » est inconnue"),
        ({"commune": "99999"}, "La commune « 99999 » est inconnue"),
        ({"thematique": GARDE, "limite": "0"}, "doit être un nombre entier de 1 à 50"),
        ({"thematique": GARDE, "limite": "abc"}, "doit être un nombre entier de 1 à 50"),
        ({"thematique": GARDE, "limite": "5000"}, "doit être un nombre entier de 1 à 50"),
        ({"thematique": "\x00<script>"}, "n&#x27;existe pas"),
    ],
)
def test_bad_parameters_get_a_clear_message(client, db, params, message):
    response = client.get(WIDGET, params)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ce widget est mal configuré" in body
    assert message in body
    assert "<script>" not in body


def test_the_widget_in_arabic(client, services):
    client.cookies["django_language"] = "ar"
    body = client.get(WIDGET, {"thematique": GARDE}).content.decode()
    assert re.search(r'<html lang="ar"[^>]*dir="rtl"', body)
    assert "خدمات للعائلات: رعاية الأطفال" in body


def test_the_code_page_gives_an_iframe_and_a_script_free_list(client, services):
    response = client.get(CODE, {"thematique": GARDE, "commune": "Suresnes", "limite": "10"})

    body = response.content.decode()
    assert response.status_code == 200
    iframe = re.search(r'<textarea[^>]*id="code-iframe"[^>]*>(.*?)</textarea>', body, re.S).group(1)
    assert (
        "&lt;iframe src=&quot;http://testserver/services-familles/widget/"
        f"?thematique={GARDE}&amp;amp;commune=Suresnes&amp;amp;limite=10&quot;"
    ) in iframe
    html = re.search(r'<textarea[^>]*id="code-html"[^>]*>(.*?)</textarea>', body, re.S).group(1)
    assert "Accueil des tout-petits" in html
    assert "http://testserver/services-familles/services/" in html
    assert "script" not in html and "style" not in html
    assert "Multi-accueil" not in html
    # The preview frames our own widget.
    assert f'src="/services-familles/widget/?thematique={GARDE}&amp;commune=Suresnes' in body


def test_the_code_page_keeps_what_was_typed_when_refused(client, db):
    response = client.get(CODE, {"thematique": GARDE, "commune": "Atlantide"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "La commune « Atlantide » est inconnue" in body
    assert 'value="Atlantide"' in body
    assert f'<option value="{GARDE}" selected>' in body
    assert "code-iframe" not in body


def test_the_code_page_without_parameters_is_the_form(client, db):
    response = client.get(CODE)
    assert response.status_code == 200
    assert "Préparer le code" in response.content.decode()
