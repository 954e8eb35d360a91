"""GeoJSON boundaries and CSV indicators: bad features and rows refused with their number,
nothing imported half, the column mapping kept, the figures of an area beside its
arrondissement's and Paris' computed from the shipped samples."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from petitspas.core.models import AuditEntry
from petitspas.diagnosis.models import Area, ColumnMapping, IndicatorValue, Iris
from petitspas.diagnosis.selectors_areas import area_figures, choropleth, sites_in_area
from petitspas.diagnosis.services_areas import (
    area_save,
    boundaries_import,
    csv_rows,
    indicators_import,
    suggested_mapping,
)

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE_GEOJSON = (DATA / "paris_iris.geojson").read_bytes()
SAMPLE_CSV = (DATA / "paris_indicateurs.csv").read_text(encoding="utf-8")
RING = [[2.30, 48.80], [2.31, 48.80], [2.31, 48.81], [2.30, 48.81], [2.30, 48.80]]


def feature(code, ring=RING, kind="Polygon", **properties):
    coordinates = [ring] if kind == "Polygon" else ring
    return {
        "type": "Feature",
        "properties": {"CODE_IRIS": code, "NOM_IRIS": f"IRIS {code}", **properties},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def import_sample(user, organisation):
    boundaries_import(by=user, organisation=organisation, content=SAMPLE_GEOJSON, source="IGN")
    header, _ = csv_rows(SAMPLE_CSV)
    place, columns = suggested_mapping(organisation, header)
    return indicators_import(
        by=user,
        organisation=organisation,
        text=SAMPLE_CSV,
        place_column=place,
        columns=columns,
        year=2021,
        source="INSEE, RP 2021",
    )


# --- GeoJSON ------------------------------------------------------------------------------


def test_the_sample_makes_the_four_paris_neighbourhoods(alice):
    result = boundaries_import(
        by=alice.coordinator, organisation=alice.organisation, content=SAMPLE_GEOJSON
    )
    assert (result.iris_created, result.iris_updated) == (20, 0)
    areas = {a.name: a for a in Area.objects.filter(organisation=alice.organisation)}
    assert sorted(areas) == [
        "Quartier Didot – Porte de Vanves (14e)",
        "Quartier Flandre (19e)",
        "Quartier Porte Montmartre – Porte de Clignancourt (18e)",
        "Quartier Porte de Vincennes (12e)",
    ]
    assert areas["Quartier Flandre (19e)"].iris_codes == ["751194701", "751194702", "751194703"]
    assert areas["Quartier Flandre (19e)"].commune == "75119"
    entry = AuditEntry.objects.get(action="diagnosis_boundaries.import")
    assert entry.details["iris_created"] == 20
    # Twice: the same rows, updated.
    again = boundaries_import(
        by=alice.coordinator, organisation=alice.organisation, content=SAMPLE_GEOJSON
    )
    assert (again.iris_created, again.iris_updated, len(again.areas_updated)) == (0, 20, 4)
    assert Area.objects.filter(organisation=alice.organisation).count() == 4


def test_bad_features_refuse_the_whole_file_with_their_number(alice):
    content = collection(
        feature("751124801"),
        feature("751124802", ring=[2.35, 48.85], kind="Point"),
        feature(
            "751124803",
            ring=[[[[-73.98, 40.75], [-73.97, 40.75], [-73.97, 40.76], [-73.98, 40.75]]]],
            kind="MultiPolygon",
        ),  # fmt: skip
        feature("7511248"),
        feature("751124801"),
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [RING]},
        },
    )
    with pytest.raises(ValidationError) as caught:
        boundaries_import(by=alice.coordinator, organisation=alice.organisation, content=content)
    messages = caught.value.messages
    assert messages == [
        "Contour n° 2 (IRIS 751124802) : La géométrie est de type « Point » : seuls Polygon "
        "et MultiPolygon sont acceptés.",
        "Contour n° 3 (IRIS 751124803) : Le contour sort de France (point -73.98, 40.75) : "
        "vérifiez que le fichier est en WGS 84 (longitude, latitude) et non en Lambert 93.",
        "Contour n° 4 (IRIS 7511248) : le code IRIS « 7511248 » n'a pas 9 caractères (code "
        "INSEE de la commune + 4)",
        "Contour n° 5 (IRIS 751124801) : l'IRIS 751124801 figure deux fois dans le fichier",
        "Contour n° 6 : pas de propriété CODE_IRIS (code IRIS à 9 caractères)",
    ]
    assert not Iris.objects.exists()  # not even the good first feature
    assert not AuditEntry.objects.filter(action="diagnosis_boundaries.import").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{pas du json", "pas un GeoJSON lisible"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "aucun contour"),
        ("é".encode("latin-1"), "UTF-8"),
    ],
)
def test_unreadable_files(alice, content, message):
    with pytest.raises(ValidationError, match=message):
        boundaries_import(by=alice.coordinator, organisation=alice.organisation, content=content)


def test_a_commune_that_does_not_match_its_iris(alice):
    with pytest.raises(ValidationError, match="INSEE_COM 75113 ne correspond pas"):
        boundaries_import(
            by=alice.coordinator,
            organisation=alice.organisation,
            content=collection(feature("751124801", INSEE_COM="75113")),
        )


def test_only_admins_and_coordinators_import(alice):
    with pytest.raises(PermissionDenied):
        boundaries_import(
            by=alice.professional, organisation=alice.organisation, content=SAMPLE_GEOJSON
        )


# --- Areas --------------------------------------------------------------------------------


def test_an_area_drawn_or_made_of_iris(alice):
    boundaries_import(by=alice.coordinator, organisation=alice.organisation, content=SAMPLE_GEOJSON)
    drawn = area_save(
        by=alice.coordinator,
        organisation=alice.organisation,
        name="Autour de l'école Championnet",
        commune="75118",
        geometry={
            "type": "Polygon",
            "coordinates": [[[2.33, 48.893], [2.352, 48.893], [2.352, 48.901], [2.33, 48.893]]],
        },
    )
    assert drawn.iris_codes == []
    with pytest.raises(ValidationError) as caught:
        area_save(
            by=alice.coordinator,
            organisation=alice.organisation,
            name="autour de l'école championnet",
            commune="75999",
            iris_codes=["751124701", "751189999"],
        )
    assert caught.value.message_dict == {
        "name": ["Un quartier porte déjà ce nom dans l'organisation."],
        "commune": ["Le code INSEE 75999 n'est pas celui d'une commune ou d'un arrondissement."],
        "iris_codes": [
            "IRIS inconnus de l'organisation : 751189999. Importez d'abord leurs contours."
        ],
    }
    with pytest.raises(ValidationError) as caught:
        area_save(
            by=alice.coordinator,
            organisation=alice.organisation,
            name="Rien",
            commune="75118",
            geometry={"type": "Point", "coordinates": [2.34, 48.89]},
        )
    assert "« Point »" in caught.value.message_dict["geometry"][0]
    with pytest.raises(ValidationError, match="Dessinez le contour"):
        area_save(
            by=alice.coordinator, organisation=alice.organisation, name="Vide", commune="75118"
        )


def test_sites_are_placed_in_areas(alice):
    boundaries_import(by=alice.coordinator, organisation=alice.organisation, content=SAMPLE_GEOJSON)
    site = alice.site
    site.latitude, site.longitude = Decimal("48.88720"), Decimal("2.38010")  # rue de Crimée
    site.save()
    flandre = Area.objects.get(name="Quartier Flandre (19e)")
    vincennes = Area.objects.get(name="Quartier Porte de Vincennes (12e)")
    assert sites_in_area(flandre) == [site]
    assert sites_in_area(vincennes) == []


# --- CSV ------------------------------------------------------------------------------------


def test_the_sample_indicators_and_the_figures_beside_the_arrondissement_and_paris(alice):
    result = import_sample(alice.coordinator, alice.organisation)
    assert (result.rows, result.values, result.years) == (25, 200, [2021])
    value = IndicatorValue.objects.get(indicator__code="POP", code="751194701")
    assert (value.value, value.year, value.source) == (Decimal("2284"), 2021, "INSEE, RP 2021")
    flandre = Area.objects.get(name="Quartier Flandre (19e)")
    figures = area_figures(flandre)
    rows = {row.indicator.code: row for row in figures.rows}
    # The area: the sum of its three IRIS' rows in the sample file.
    lines = [r.split(";") for r in SAMPLE_CSV.splitlines()[1:]]
    by_code = {r[0]: r for r in lines}
    header = SAMPLE_CSV.splitlines()[0].split(";")
    pop, mono, fam = (header.index(c) for c in ("P21_POP", "C21_FAMMONO", "C21_FAM"))
    area_pop = sum(int(by_code[c][pop]) for c in flandre.iris_codes)
    assert rows["POP"].area.value == area_pop
    assert rows["POP"].area.how == "somme de 3 IRIS"
    # The arrondissement and Paris: imported at their level, given as they are.
    assert rows["POP"].commune.value == Decimal(by_code["75119"][pop]) == 181616
    assert rows["POP"].commune.how == "importé"
    assert rows["POP"].city.value == Decimal(by_code["75056"][pop]) == 2103778
    assert (figures.commune_name, figures.city_name) == ("Paris 19e Arrondissement", "Paris")
    # A share: single-parent families over families, in percent.
    area_mono = sum(int(by_code[c][mono]) for c in flandre.iris_codes)
    area_fam = sum(int(by_code[c][fam]) for c in flandre.iris_codes)
    assert rows["FAMMONO"].area.share == (Decimal(100 * area_mono) / area_fam).quantize(
        Decimal("0.1")
    )
    # The map: the five IRIS of the 19e, three in the area.
    chosen = rows["FAMMONO"].indicator
    data = choropleth(flandre, chosen, 2021)
    assert len(data["features"]["features"]) == 5
    assert sum(r["in_area"] for r in data["table"]) == 3
    assert data["unit"] == "%"


def test_unknown_iris_codes_and_bad_values_are_refused_with_their_line(alice):
    boundaries_import(by=alice.coordinator, organisation=alice.organisation, content=SAMPLE_GEOJSON)
    text = (
        "IRIS;P21_POP;C21_FAM\n"
        "751194701;2000;400\n"
        "751199999;1500;300\n"
        "751194702;deux mille;300\n"
        ";100;10\n"
        "75119;181616;-3\n"
        "Nulle part;1;1\n"
        "751194701;2000;400\n"
    )
    with pytest.raises(ValidationError) as caught:
        indicators_import(
            by=alice.coordinator,
            organisation=alice.organisation,
            text=text,
            place_column="IRIS",
            columns={"P21_POP": "POP", "C21_FAM": "FAM"},
            year=None,
            source="INSEE",
        )
    assert caught.value.message_dict["__all__"] == [
        "Ligne 3 : IRIS 751199999 inconnu (aucun contour importé pour ce code)",
        "Ligne 4 : « deux mille » n'est pas un nombre (colonne P21_POP)",
        "Ligne 5 : le lieu est vide",
        "Ligne 6 : valeur négative -3.00 (colonne C21_FAM)",
        "Ligne 7 : lieu « Nulle part » inconnu (ni un code IRIS, ni un code INSEE, ni un quartier)",
        "Ligne 8 : 751194701 figure déjà ligne 2",
    ]
    assert not IndicatorValue.objects.exists()
    assert not ColumnMapping.objects.exists()


def test_the_form_level_errors(alice):
    with pytest.raises(ValidationError) as caught:
        indicators_import(
            by=alice.coordinator,
            organisation=alice.organisation,
            text="LIEU;familles\n75119;12\n",
            place_column="IRIS",
            columns={"familles": "FAM", "absente": "POP", "LIEU": "INCONNU"},
            year=1850,
            source="",
        )
    errors = caught.value.message_dict
    assert errors["place_column"] == [
        "Choisissez la colonne qui donne le lieu (code IRIS, code INSEE ou quartier)."
    ]
    assert errors["year"] == ["Indiquez l'année des données, entre 2000 et 2100."]
    assert errors["source"] == ["Indiquez la source des données (par exemple « INSEE, RP 2021 »)."]
    assert errors["columns"] == [
        "La colonne « absente » n'est pas dans le fichier.",
        "L'indicateur « INCONNU » n'existe pas.",
    ]


def test_the_mapping_is_kept_and_proposed_again(alice):
    area_save(
        by=alice.coordinator,
        organisation=alice.organisation,
        name="Quartier Flandre (19e)",
        commune="75119",
        geometry={
            "type": "Polygon",
            "coordinates": [[[2.37, 48.883], [2.388, 48.883], [2.388, 48.893], [2.37, 48.883]]],
        },
    )
    text = (
        'Lieu,Nombre de familles,Familles monoparentales\nQuartier Flandre (19e),"1 234","401,5"\n'
    )
    header, _ = csv_rows(text)
    assert suggested_mapping(alice.organisation, header) == ("Lieu", {})
    indicators_import(
        by=alice.coordinator,
        organisation=alice.organisation,
        text=text,
        place_column="Lieu",
        columns={"Nombre de familles": "FAM", "Familles monoparentales": "FAMMONO"},
        year=2019,
        source="Observatoire social de la DASES",
    )
    assert suggested_mapping(alice.organisation, header) == (
        "Lieu",
        {"Nombre de familles": "FAM", "Familles monoparentales": "FAMMONO"},
    )
    value = IndicatorValue.objects.get(indicator__code="FAMMONO")
    assert (value.level, value.value, value.year) == ("area", Decimal("401.50"), 2019)
    figures = area_figures(Area.objects.get(name="Quartier Flandre (19e)"))
    rows = {r.indicator.code: r for r in figures.rows}
    assert rows["FAMMONO"].area.share == Decimal("32.5")  # 401.5 / 1234
    assert rows["FAMMONO"].area.how == "importé"


def test_files_too_big_are_refused_before_reading(alice):
    from petitspas.diagnosis.services_areas import decode_csv

    with pytest.raises(ValidationError, match="dépasse 2 Mo"):
        decode_csv(b"IRIS;P21_POP\n" + b"751194701;1\n" * 200_000)
    with pytest.raises(ValidationError, match="dépasse 5 Mo"):
        boundaries_import(
            by=alice.coordinator, organisation=alice.organisation, content=b" " * 6_000_000
        )
    assert decode_csv("IRIS;LIBIRIS\n751194701;Crimée\n".encode("cp1252")).endswith("Crimée\n")


def test_a_new_file_replaces_the_same_places_and_years_only(alice):
    boundaries_import(by=alice.coordinator, organisation=alice.organisation, content=SAMPLE_GEOJSON)
    import_sample(alice.coordinator, alice.organisation)
    text = "IRIS;P21_POP;P19_POP\n751194701;2500;2400\n"
    result = indicators_import(
        by=alice.coordinator,
        organisation=alice.organisation,
        text=text,
        place_column="IRIS",
        columns={"P21_POP": "POP", "P19_POP": "POP"},
        year=None,
        source="INSEE, RP 2021 révisé",
    )
    assert result.years == [2019, 2021]
    values = IndicatorValue.objects.filter(indicator__code="POP", code="751194701")
    assert sorted((v.year, v.value, v.source) for v in values) == [
        (2019, Decimal("2400.00"), "INSEE, RP 2021 révisé"),
        (2021, Decimal("2500.00"), "INSEE, RP 2021 révisé"),
    ]
    # The other IRIS and indicators of the first file stay.
    assert IndicatorValue.objects.count() == 201
