from petitspas.demo.data import directory as data
from petitspas.demo.diagnosis_participation import SOURCE as PARIS_SOURCE
from petitspas.demo.directory import load_directory
from petitspas.demo.loader import load_demo
from petitspas.directory.models import Service, Structure
from petitspas.directory.schema import check_service, service_record
from petitspas.directory.search import Filters, search_services
from petitspas.directory.themes import SURESNES_GROUPS, group_of


def test_demo_directory_is_valid_grouped_and_idempotent(db):
    load_demo()
    # The Paris diagnosis adds its own structures (demo.diagnosis_participation), apart.
    suresnes = Structure.objects.exclude(source=PARIS_SOURCE)
    assert suresnes.count() == len(data.STRUCTURES) == 40
    services = list(Service.objects.select_related("structure__organisation"))
    for service in services:
        check_service(service_record(service))
    groups = {group_of(t) for s in services for t in s.thematiques}
    assert set(SURESNES_GROUPS) <= groups
    stale = {s.structure.nom for s in services if s.is_stale}
    assert stale == data.STALE
    owned = {
        s.nom for s in Structure.objects.filter(organisation__name="Centre social de Suresnes")
    }
    assert owned == data.OWNED_BY_PARTNER
    assert search_services(Filters(q="parent")).count() > 5
    (first, second) = load_directory()
    assert (first.created, first.updated, second.created, second.updated) == (0, 0, 0, 0)
