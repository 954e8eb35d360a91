"""The 93's social hotels for Espace Petits Pas (``demo.data.coverage``): the reference
figures and the list, loaded through the CSV import and its service, as a coordinator would
(loading twice changes nothing)."""

from petitspas.demo.data import coverage as data
from petitspas.organisations.models import Programme
from petitspas.reporting.hotels import read_hotels
from petitspas.reporting.services_coverage import hotels_import, reference_save


class CoverageDataError(ValueError):
    """The demo's hotel list has a row the import refuses."""


def load_coverage(*, result) -> None:
    organisation, name = data.PROGRAMME
    programme = Programme.objects.get(organisation__name=organisation, name=name)
    reference_save(by=None, programme=programme, **data.REFERENCE)
    rows, errors = read_hotels(data.HOTELS_CSV.read_bytes(), programme=programme)
    if errors:
        raise CoverageDataError("; ".join(str(error) for error in errors))
    report = hotels_import(by=None, programme=programme, rows=rows)
    result.counts["hôtels sociaux (liste de référence)"] = [report.kept, report.created]
