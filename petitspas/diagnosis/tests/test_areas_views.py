"""The diagnosis' pages: who reaches them, the two-step indicator import, drawing an area,
the area's page and its impact report, the menu entry."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from petitspas.diagnosis.models import Area, ColumnMapping, IndicatorValue
from petitspas.diagnosis.services_areas import boundaries_import

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE_GEOJSON = (DATA / "paris_iris.geojson").read_bytes()
SAMPLE_CSV = (DATA / "paris_indicateurs.csv").read_bytes()


@pytest.fixture
def paris(alice):
    boundaries_import(by=alice.coordinator, organisation=alice.organisation, content=SAMPLE_GEOJSON)
    return Area.objects.get(name="Quartier Flandre (19e)")


def upload(client, organisation, content=SAMPLE_CSV, **extra):
    return client.post(
        reverse("diagnosis:indicators-import"),
        {
            "organisation": organisation.pk,
            "file": SimpleUploadedFile("indicateurs.csv", content, content_type="text/csv"),
            "source": "INSEE, RP 2021",
            "year": "2021",
            **extra,
        },
    )


def mapping_post(response, **changes) -> dict:
    """What the mapping form posts as proposed, with ``changes``."""
    form = response.context["mapping_form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(changes)
    return data


def test_the_coordinator_imports_indicators_in_two_steps(client, alice, paris):
    client.force_login(alice.coordinator)
    response = upload(client, alice.organisation)
    assert response.status_code == 200
    form = response.context["mapping_form"]
    assert form["place_column"].value() == "IRIS"
    header = form.header
    assert form[f"col_{header.index('P21_POP0002')}"].value() == "POP0002"
    assert form[f"col_{header.index('LIBIRIS')}"].value() == ""
    response = client.post(reverse("diagnosis:indicators-import"), mapping_post(response))
    assert response.status_code == 200
    assert "200 valeurs de 25 lignes" in response.content.decode()
    assert IndicatorValue.objects.filter(source="INSEE, RP 2021", year=2021).count() == 200
    assert ColumnMapping.objects.get(organisation=alice.organisation).place_column == "IRIS"


def test_a_file_with_unknown_iris_lists_its_lines_and_keeps_the_mapping_form(client, alice, paris):
    client.force_login(alice.coordinator)
    bad = SAMPLE_CSV + b"751199999;Inconnu;10;1;1;1;5;2;1;1\n"
    response = upload(client, alice.organisation, content=bad)
    response = client.post(reverse("diagnosis:indicators-import"), mapping_post(response))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Rien n'a été importé" in body
    assert "Ligne 27 : IRIS 751199999 inconnu" in body
    assert response.context["mapping_form"] is not None  # the choices are still there
    assert not IndicatorValue.objects.exists()


def test_an_unreadable_csv_is_refused_on_the_first_step(client, alice):
    client.force_login(alice.coordinator)
    response = upload(client, alice.organisation, content=b"")
    assert response.status_code == 400
    assert response.context["mapping_form"] is None
    assert response.context["upload"].errors == {"file": ["Le fichier soumis est vide."]}


def test_professionals_read_but_do_not_import_or_draw(client, alice, paris):
    client.force_login(alice.professional)
    assert client.get(reverse("diagnosis:area", args=[paris.pk])).status_code == 200
    assert client.get(reverse("diagnosis:areas")).status_code == 200
    for name in (
        "diagnosis:indicators-import",
        "diagnosis:boundaries-import",
        "diagnosis:area-create",
    ):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("diagnosis:area-edit", args=[paris.pk])).status_code == 403


def test_boundaries_import_page_lists_refused_features(client, alice):
    client.force_login(alice.coordinator)
    content = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"CODE_IRIS": "751124801"},
                    "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
                }
            ],
        }
    ).encode()
    response = client.post(
        reverse("diagnosis:boundaries-import"),
        {
            "organisation": alice.organisation.pk,
            "file": SimpleUploadedFile("iris.geojson", content),
            "source": "IGN",
        },
    )
    assert response.status_code == 400
    assert "Contour n° 1 (751124801)" in response.content.decode()
    response = client.post(
        reverse("diagnosis:boundaries-import"),
        {
            "organisation": alice.organisation.pk,
            "file": SimpleUploadedFile("iris.geojson", SAMPLE_GEOJSON),
            "source": "IGN",
        },
    )
    assert response.status_code == 200
    assert "20 IRIS ajoutés" in response.content.decode()


def test_drawing_an_area_keeps_what_was_typed_on_error(client, alice):
    client.force_login(alice.coordinator)
    polygon = {
        "type": "Polygon",
        "coordinates": [[[2.37, 48.883], [2.388, 48.883], [2.388, 48.893], [2.37, 48.883]]],
    }
    data = {
        "organisation": alice.organisation.pk,
        "name": "Autour de Crimée",
        "commune": "75999",
        "geometry": json.dumps(polygon),
        "description": "Entre le canal et la rue de Flandre",
    }
    response = client.post(reverse("diagnosis:area-create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Le code INSEE 75999 n&#x27;est pas celui" in body
    assert "Entre le canal et la rue de Flandre" in body
    assert "2.388" in body
    response = client.post(reverse("diagnosis:area-create"), {**data, "commune": "75119"})
    area = Area.objects.get(name="Autour de Crimée")
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnosis:area", args=[area.pk])
    assert area.geometry == polygon
    response = client.post(
        reverse("diagnosis:area-create"), {**data, "name": "Autre", "geometry": "{pas du json"}
    )
    assert "pas du GeoJSON lisible" in response.content.decode()


def test_the_area_page_shows_its_figures_map_and_reach(client, alice, paris):
    site = alice.site
    site.latitude, site.longitude = 48.88720, 2.38010
    site.save()
    client.force_login(alice.coordinator)
    response = upload(client, alice.organisation)
    client.post(reverse("diagnosis:indicators-import"), mapping_post(response))
    response = client.get(reverse("diagnosis:area", args=[paris.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    figures = response.context["figures"]
    pop = next(r for r in figures.rows if r.indicator.code == "POP")
    assert pop.commune.value == 181616
    assert "181\u202f616" in body and "2\u202f103\u202f778" in body
    assert 'id="choropleth-features"' in body and 'id="choropleth-table"' in body
    assert response.context["reach"].sites[0].site == site
    assert alice.site.name in body


def test_the_impact_report(client, alice, paris):
    client.force_login(alice.coordinator)
    response = upload(client, alice.organisation)
    client.post(reverse("diagnosis:indicators-import"), mapping_post(response))
    fammono = IndicatorValue.objects.filter(indicator__code="FAMMONO").first().indicator
    response = client.get(
        reverse("diagnosis:area-impact", args=[paris.pk]),
        {"on": "2022-09-01", "months": "12", "indicators": [fammono.pk]},
    )
    assert response.status_code == 200
    rows = response.context["report"]["rows"]
    assert rows[0].label == "Familles monoparentales (%)"
    assert rows[0].before is not None and rows[0].after is None  # 2021 is before 2022
    assert [r.label for r in rows[1:3]] == ["Familles touchées", "Enfants touchés"]
    response = client.get(reverse("diagnosis:area-impact", args=[paris.pk]), {"on": "demain"})
    assert response.status_code == 400


def test_the_menu_shows_the_diagnosis_to_staff_of_organisations_with_areas(client, alice, bob):
    client.force_login(alice.professional)
    assert "Diagnostic territorial" not in client.get(reverse("web:home")).content.decode()
    Area.objects.create(
        organisation=alice.organisation, name="Quartier", commune="93055", iris_codes=["x"]
    )
    assert "Diagnostic territorial" in client.get(reverse("web:home")).content.decode()
    client.force_login(bob.coordinator)
    assert "Diagnostic territorial" not in client.get(reverse("web:home")).content.decode()


def test_a_date_in_the_past_for_the_impact_reach():
    from petitspas.diagnosis.selectors_areas import _months_back

    assert _months_back(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)
    assert _months_back(datetime.date(2024, 1, 15), 12) == datetime.date(2023, 1, 15)
    assert _months_back(datetime.date(2024, 11, 30), -3) == datetime.date(2025, 2, 28)
