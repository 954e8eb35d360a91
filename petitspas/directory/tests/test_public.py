"""The families' directory pages: search "près de" with the map, a service's page (public
contact; the professionals' contact for staff and partners only), in French, English and
Arabic, rate-limited."""

import json
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from petitspas.directory import geo
from petitspas.directory.forms_public import GROUP_LABELS, PUBLIC_LABELS, THEME_LABELS
from petitspas.directory.tests.test_directory import (  # noqa: F401
    make_service,
    make_structure,
    other_partner,
    partner,
)
from petitspas.directory.themes import PUBLICS, SURESNES_GROUPS, THEMATIQUES
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory

SEARCH = reverse("public_directory:search")
PRO_SEARCH = reverse("directory:index")
GARDE = "famille--garde-denfants"


@pytest.fixture
def suresnes(partner):  # noqa: F811
    carnot = make_structure(
        partner,
        nom="Centre de PMI Carnot",
        adresse="12 rue Carnot",
        latitude=48.8715,
        longitude=2.2252,
        telephone="01 99 00 00 01",
        courriel="accueil@pmi.demo",
        horaires_accueil="Mo-Fr 09:00-12:30,13:30-17:30; PH off",
    )
    farandole = make_structure(
        partner, nom="Halte-garderie La Farandole", latitude=48.8778, longitude=2.2198
    )
    loin = make_structure(partner, nom="Crèche de Nanterre", latitude=48.8924, longitude=2.2069)
    return {
        "pmi": make_service(
            partner,
            carnot,
            nom="Accueil des tout-petits",
            description="Garde d'enfants occasionnelle pendant les consultations.",
            thematiques=[GARDE],
            contact_nom_prenom="Claire Martin",
            telephone="01 99 00 00 02",
            courriel="claire.martin@pmi.demo",
        ),
        "farandole": make_service(
            partner, farandole, nom="Halte-garderie", thematiques=[GARDE], frais="payant"
        ),
        "loin": make_service(partner, loin, nom="Multi-accueil", thematiques=[GARDE]),
    }


def in_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def markers(body: str) -> list:
    data = re.search(r'<script id="directory-markers" type="application/json">(.*?)</script>', body)
    return json.loads(data.group(1))


def test_search_near_an_address_lists_by_distance_with_the_map(client, suresnes):
    response = client.get(SEARCH, {"q": "garde d'enfant", "pres_de": "12 rue Carnot, Suresnes"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "3 services trouvés" in body
    assert (
        "à moins de 5 km de <bdi>12 rue Carnot, 92150 Suresnes</bdi>, du plus proche au plus loin"
    ) in body
    order = [
        body.index(name) for name in ("Accueil des tout-petits", "Halte-garderie", "Multi-accueil")
    ]
    assert order == sorted(order)
    assert "à moins de 100 m" in body and "à 0,8 km" in body and "à 2,7 km" in body
    assert [(m["number"], m["name"]) for m in markers(body)] == [
        (1, "Accueil des tout-petits"),
        (2, "Halte-garderie"),
        (3, "Multi-accueil"),
    ]
    assert 'id="directory-map"' in body and 'dir="ltr"' in body
    assert f'data-tiles-url="{settings.DIRECTORY_MAP_TILES_URL}"' in body
    assert "leaflet/leaflet.js" in body and "directory/map.js" in body


def test_a_smaller_radius_keeps_the_nearest(client, suresnes):
    body = client.get(SEARCH, {"pres_de": "48.8715, 2.2252", "rayon": "1"}).content.decode()
    assert "2 services trouvés" in body
    assert "Multi-accueil" not in body


def test_an_unknown_address_is_said_and_the_other_filters_still_answer(client, suresnes):
    response = client.get(SEARCH, {"q": "garde", "pres_de": "Atlantide", "rayon": "2"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Nous ne trouvons pas l&#x27;adresse « Atlantide »" in body
    assert 'value="Atlantide"' in body  # what was typed stays
    assert "3 services trouvés" in body
    assert "fr-input-group--error" in body


def test_a_point_outside_france_is_refused(client, suresnes):
    body = client.get(SEARCH, {"pres_de": "2.2252, 48.8715"}).content.decode()
    assert "est hors de France" in body
    assert "services trouvés" not in body  # nothing else asked: the themes are shown


@pytest.mark.parametrize(
    "params",
    [
        {"rayon": "999"},
        {"thematique": "n-importe-quoi"},
        {"q": "x" * 500},
        {"page": "abc", "q": "garde"},
        {"pres_de": "\x00"},
        {"gratuit": "peut-etre", "ouvert": "%%"},
    ],
)
def test_bad_parameters_never_fail(client, suresnes, params):
    assert client.get(SEARCH, params).status_code == 200


def test_without_search_the_six_groups_are_offered(client, db):
    body = client.get(SEARCH).content.decode()
    for group in SURESNES_GROUPS:
        assert group in body
    assert f'href="?thematique={GARDE}"' in body


def test_theme_labels_say_what_the_standard_says_in_french():
    with translation.override("fr"):
        french_labels = {code: str(label) for code, label in THEME_LABELS.items()}
        groups = [str(label) for label in GROUP_LABELS.values()]
    assert french_labels == {
        code: THEMATIQUES[code] for codes in SURESNES_GROUPS.values() for code in codes
    }
    assert groups == list(SURESNES_GROUPS)


def test_the_service_page_shows_the_public_contact_only(client, suresnes):
    url = reverse("public_directory:service", kwargs={"service_pk": suresnes["pmi"].pk})

    body = client.get(url).content.decode()

    assert "Accueil des tout-petits" in body
    assert "01 99 00 00 01" in body and "accueil@pmi.demo" in body
    assert "12 rue Carnot, 92150 Suresnes" in body
    assert "Horaires des 7 prochains jours" in body
    assert "09:00–12:30, 13:30–17:30" in body
    for private in ("Claire Martin", "01 99 00 00 02", "claire.martin@pmi.demo"):
        assert private not in body
    assert len(markers(body)) == 1


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.PARTNER, Role.PRESCRIBER])
def test_staff_and_partners_see_the_professionals_contact(client, suresnes, role):
    client.force_login(MembershipFactory(role=role).user)
    url = reverse("public_directory:service", kwargs={"service_pk": suresnes["pmi"].pk})
    body = client.get(url).content.decode()
    assert "Contact pour les professionnels" in body
    for private in ("Claire Martin", "01 99 00 00 02", "claire.martin@pmi.demo"):
        assert private in body


def test_a_funder_does_not_see_the_professionals_contact(client, suresnes):
    client.force_login(MembershipFactory(role=Role.FUNDER).user)
    url = reverse("public_directory:service", kwargs={"service_pk": suresnes["pmi"].pk})
    assert "Claire Martin" not in client.get(url).content.decode()


def test_a_missing_service_is_a_404(client, db):
    assert (
        client.get(reverse("public_directory:service", kwargs={"service_pk": 999})).status_code
        == 404
    )


def test_english_page(client, suresnes):
    body = in_language(client, "en").get(SEARCH, {"q": "garde", "pres_de": "Suresnes"})
    body = body.content.decode()
    assert '<html lang="en"' in body
    assert "Find help near you" in body
    assert "3 services found" in body
    assert "Childcare" in body  # the theme's label


def test_arabic_page_reads_right_to_left(client, suresnes):
    body = in_language(client, "ar").get(SEARCH, {"q": "garde", "pres_de": "Suresnes"})
    body = body.content.decode()
    assert re.search(r'<html lang="ar"[^>]*dir="rtl"', body)
    assert "ابحث عن مساعدة بالقرب منك" in body
    # The map keeps its tiles left to right.
    assert 'id="directory-map" class="pp-dirmap__map" dir="ltr"' in body
    url = reverse("public_directory:service", kwargs={"service_pk": suresnes["pmi"].pk})
    body = in_language(client, "ar").get(url).content.decode()
    assert "هاتف الاستقبال" in body


def test_the_home_page_links_to_the_directory(client, db):
    body = client.get(reverse("web:home")).content.decode()
    assert f'href="{SEARCH}"' in body


@override_settings(RATELIMIT_DIRECTORY="2/m")
def test_the_public_pages_are_rate_limited(client, db):
    cache.clear()
    assert client.get(SEARCH).status_code == 200
    assert client.get(SEARCH).status_code == 200
    response = client.get(SEARCH)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    cache.clear()


@override_settings(DIRECTORY_MAP_TILES_URL="https://tuiles.example.fr/{z}/{x}/{y}.png")
def test_the_tile_server_is_a_setting(client, suresnes):
    body = client.get(SEARCH, {"q": "garde"}).content.decode()
    assert 'data-tiles-url="https://tuiles.example.fr/{z}/{x}/{y}.png"' in body


def test_the_content_security_policy_allows_the_tiles(client, db):
    policy = client.get(SEARCH)["Content-Security-Policy"]
    img = next(d for d in policy.split(";") if d.strip().startswith("img-src"))
    assert "https://tile.openstreetmap.org" in img
    assert "frame-ancestors 'none'" in policy


def test_the_french_directory_page_keeps_the_professionals_contact_too(client, suresnes):
    url = reverse("directory:service", kwargs={"service_pk": suresnes["pmi"].pk})
    body = client.get(url).content.decode()
    assert "01 99 00 00 02" not in body and "claire.martin@pmi.demo" not in body
    assert "01 99 00 00 01" in body  # the structure's reception
    client.force_login(MembershipFactory(role=Role.PROFESSIONAL).user)
    body = client.get(url).content.decode()
    assert "01 99 00 00 02" in body and "claire.martin@pmi.demo" in body


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.fr/{z}/{x}/{y}.png", "https://*.tile.example.fr"),
        ("https://tuiles.example.fr:8443/osm/{z}/{x}/{y}.png", "https://tuiles.example.fr:8443"),
    ],
)
def test_the_tile_host_the_policy_allows(url, origin):
    from petitspas.settings import _tile_origin

    assert _tile_origin(url) == origin


def test_public_labels_say_what_the_standard_says_in_french():
    with translation.override("fr"):
        assert {code: str(label) for code, label in PUBLIC_LABELS.items()} == PUBLICS


def test_search_by_public_in_english(client, suresnes, partner):  # noqa: F811
    seniors = make_service(
        partner,
        suresnes["pmi"].structure,
        nom="Atelier mémoire",
        description="Garde la mémoire en forme.",
        publics=["seniors"],
    )
    client = in_language(client, "en")

    body = client.get(SEARCH, {"q": "garde", "public": "seniors"}).content.decode()
    assert "1 service found" in body and "Atelier mémoire" in body
    assert '<option value="seniors" selected>Older people</option>' in body
    assert '<option value="familles">Families</option>' in body
    body = client.get(SEARCH, {"q": "garde", "public": "familles"}).content.decode()
    assert "3 services found" in body and "Atelier mémoire" not in body

    url = reverse("public_directory:service", kwargs={"service_pk": seniors.pk})
    assert "<dd>Older people</dd>" in client.get(url).content.decode()
    url = reverse("public_directory:service", kwargs={"service_pk": suresnes["pmi"].pk})
    assert "<dd>العائلات</dd>" in in_language(client, "ar").get(url).content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"q": "garde", "thematique": "n-importe-quoi"},
            "Le thème « n-importe-quoi » n&#x27;existe pas : choisissez-en un dans la liste.",
        ),
        (
            {"q": "garde", "public": "martiens"},
            "Le public « martiens » n&#x27;existe pas : choisissez-en un dans la liste.",
        ),
    ],
)
def test_an_unknown_theme_or_public_is_said_and_the_words_still_answer(
    client, suresnes, params, message
):
    body = client.get(SEARCH, params).content.decode()
    assert message in body
    assert 'value="garde"' in body
    assert "3 services trouvés" in body


def test_the_api_refuses_an_unknown_theme_or_public(client, suresnes, partner):  # noqa: F811
    client.force_login(partner)
    answer = client.get("/api/annuaire/services", {"thematique": "famille--rien", "public": "x"})
    assert answer.status_code == 422
    messages = [error["msg"] for error in answer.json()["detail"]]
    assert messages[0].startswith("Thématique inconnue « famille--rien »")
    assert messages[1].startswith("Public inconnu « x »")
    assert client.get("/api/annuaire/services", {"public": "familles"}).json()["count"] == 3


def names_in_list(body: str) -> list[str]:
    return re.findall(r'<h3 class="fr-h6 fr-mb-1v"><a href="[^"]+">([^<]+)</a></h3>', body)


def test_the_professional_directory_is_the_same_search(client, suresnes):
    params = {"q": "garde d'enfant", "pres_de": "12 rue Carnot, Suresnes"}
    public = client.get(SEARCH, params).content.decode()
    professional = client.get(PRO_SEARCH, params).content.decode()

    assert (
        names_in_list(professional)
        == names_in_list(public)
        == [
            "Accueil des tout-petits",
            "Halte-garderie",
            "Multi-accueil",
        ]
    )
    assert f'action="{PRO_SEARCH}"' in professional
    assert f'href="/annuaire/services/{suresnes["pmi"].pk}/"' in professional
    assert [m["url"] for m in markers(professional)][
        0
    ] == f"/annuaire/services/{suresnes['pmi'].pk}/"
    # Nobody signed in: no contact meant for professionals, no edit link.
    assert "claire.martin@pmi.demo" not in professional
    assert "/modifier/" not in professional


def test_the_professional_view_adds_contacts_and_the_owners_edit_links(
    client,
    suresnes,
    other_partner,  # noqa: F811
):
    params = {"q": "garde"}
    edit = reverse("directory:service-edit", args=[suresnes["pmi"].pk])

    client.force_login(other_partner)
    body = client.get(PRO_SEARCH, params).content.decode()
    assert "Contact pour les professionnels : Claire Martin" in body
    assert "claire.martin@pmi.demo" in body
    assert edit not in body  # another partner's entry

    owner = suresnes["pmi"].structure.organisation.memberships.get().user
    client.force_login(owner)
    body = client.get(PRO_SEARCH, params).content.decode()
    assert f'href="{edit}"' in body
    # The families' page shows neither, even to the owner.
    public = client.get(SEARCH, params).content.decode()
    assert edit not in public and "claire.martin@pmi.demo" not in public


def test_the_professional_view_reads_who_may_edit_once_for_the_whole_page(client, suresnes):
    client.force_login(suresnes["pmi"].structure.organisation.memberships.get().user)
    shown = []
    for words in ("garde", "halte"):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(PRO_SEARCH, {"q": words}).content.decode()
        shown.append((len(names_in_list(body)), body.count("/modifier/"), len(queries)))
    (many, edits, queries_for_many), (few, _, queries_for_few) = shown
    assert many > few >= 1 and edits >= 1
    assert queries_for_many == queries_for_few


def test_the_professional_view_is_in_french_without_the_language_switch(client, suresnes):
    body = in_language(client, "en").get(PRO_SEARCH, {"q": "garde"}).content.decode()
    assert "Annuaire des partenaires" in body and "3 services trouvés" in body
    assert "public_language" not in body and 'name="language"' not in body


def test_near_a_town_with_no_structure(client, suresnes):
    """Puteaux has no structure in the directory: its town hall places it."""
    body = client.get(SEARCH, {"q": "garde", "pres_de": "puteaux"}).content.decode()

    assert "à moins de 5 km de <bdi>Puteaux</bdi>, du plus proche au plus loin" in body
    puteaux = geo.geocode("Puteaux").point
    by_distance = sorted(
        suresnes.values(), key=lambda s: geo.distance_km(puteaux, geo.service_point(s))
    )
    assert names_in_list(body) == [s.nom for s in by_distance]
    assert names_in_list(body) == ["Halte-garderie", "Accueil des tout-petits", "Multi-accueil"]
