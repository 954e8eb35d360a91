"""The diagnosis of « Agir ensemble pour les enfants » (seed 004): the four Paris
micro-neighbourhoods from the sample IRIS contours, and the sample indicators (INSEE
« base infracommunale » shape, 2021), imported through the diagnosis' services as the
programme's coordinator would. The sample files are invented (see
``diagnosis/data/generate_samples.py``); loading twice changes nothing."""

from pathlib import Path

from petitspas.accounts.models import User
from petitspas.demo.data.territory import PARIS
from petitspas.diagnosis.models import Area
from petitspas.diagnosis.services_areas import (
    area_save,
    boundaries_import,
    csv_rows,
    indicators_import,
    suggested_mapping,
)
from petitspas.organisations.models import Organisation, Programme

DATA = Path(__file__).resolve().parent.parent / "diagnosis" / "data"
GEOJSON = DATA / "paris_iris.geojson"
CSV = DATA / "paris_indicateurs.csv"
COORDINATOR = "coordination@paris.demo"
PROGRAMME = "Agir ensemble pour les enfants"
SOURCE_IRIS = "Contours IRIS d'exemple (inventés, forme IGN)"
SOURCE_FIGURES = "Exemple au format INSEE, RP 2021 (chiffres inventés)"


def load_diagnosis_areas(*, result) -> None:
    organisation = Organisation.objects.get(name=PARIS)
    coordinator = User.objects.get(email=COORDINATOR)
    before = set(Area.objects.filter(organisation=organisation).values_list("name", flat=True))
    imported = boundaries_import(
        by=coordinator, organisation=organisation, content=GEOJSON.read_bytes(), source=SOURCE_IRIS
    )
    programme = Programme.objects.get(organisation=organisation, name=PROGRAMME)
    for area in Area.objects.filter(
        organisation=organisation, name__in=imported.areas_created + imported.areas_updated
    ):
        if area.programme_id != programme.pk:
            area_save(
                by=coordinator,
                organisation=organisation,
                area=area,
                name=area.name,
                commune=area.commune,
                iris_codes=area.iris_codes,
                description=area.description,
                programme=programme,
            )
        result.tally("quartiers du diagnostic", area.name not in before)
    text = CSV.read_text(encoding="utf-8")
    header, _ = csv_rows(text)
    place, columns = suggested_mapping(organisation, header)
    figures = indicators_import(
        by=coordinator,
        organisation=organisation,
        text=text,
        place_column=place,
        columns=columns,
        year=2021,
        source=SOURCE_FIGURES,
    )
    result.counts["valeurs d'indicateurs du diagnostic"] = [figures.values, 0]
