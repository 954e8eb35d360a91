"""The data·inclusion import at the size of a real dump: read and written by batches, the
same answers as one record at a time (every record checked, bad rows reported, good rows
kept, local edits never overwritten)."""

import pytest

from petitspas.directory.interop import import_records
from petitspas.directory.models import Change, Service, Structure
from petitspas.directory.schema import SERVICE_FIELDS, STRUCTURE_FIELDS
from petitspas.directory.search import Filters, search_services

SURESNES = "92073"
GARDE = "famille--garde-denfants"


def structure(number, **values):
    """A record as ``read_records`` gives it: every field of the layout, None if empty."""
    record = dict.fromkeys(STRUCTURE_FIELDS) | {
        "source": "cd92",
        "id": f"cd92--{number}",
        "nom": f"Maison des familles {number}",
        "date_maj": "2025-01-02",
        "code_insee": SURESNES,
        "latitude": 48.87,
        "longitude": 2.22,
    }
    record.update(values)
    return record


def service(number, structure_number, **values):
    record = dict.fromkeys(SERVICE_FIELDS) | {
        "source": "cd92",
        "structure_id": f"cd92--{structure_number}",
        "id": f"cd92--s{number}",
        "nom": f"Halte-garderie {number}",
        "description": "Accueil occasionnel des tout-petits.",
        "date_maj": "2025-01-02",
        "thematiques": [GARDE],
    }
    record.update(values)
    return record


def rows(records):
    return list(enumerate(records, 1))


def test_a_large_import_takes_a_few_queries_whatever_its_size(db, django_assert_max_num_queries):
    structures = [structure(n) for n in range(600)]
    services = [service(n, n // 2) for n in range(1200)]
    # Reading what exists, then inserting by batches (up to 500 rows a statement; SQLite's
    # 999 parameters make Django cut them smaller there), the search's index (about ten
    # rows a service), the changes, the audit entry: 163 statements on SQLite for 1,800
    # records, where one at a time took 5 a record.
    with django_assert_max_num_queries(170):
        report = import_records(structures=rows(structures), services=rows(services))
    assert (report.created, report.updated, report.unchanged, report.errors) == (1800, 0, 0, [])
    assert Structure.objects.count() == 600 and Service.objects.count() == 1200
    assert Change.objects.filter(kind=Change.Kind.CREATE).count() == 1800
    last = Service.objects.get(source_id="cd92--s1199")
    assert last.structure.source_id == "cd92--599"
    assert last.tags == f"|{GARDE}|insee:{SURESNES}|"
    assert " garderi" in last.search_index and " famill" in last.search_name
    # Again: nothing changes, and it is as cheap.
    with django_assert_max_num_queries(10):
        again = import_records(structures=rows(structures), services=rows(services))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1800)


def test_bad_rows_are_reported_and_the_good_ones_kept(db):
    structures = [structure(1), structure(2, latitude=2.2, longitude=48.8)]
    services = [
        service(1, 1),
        service(2, 1, thematiques=["famille--rien"]),
        service(3, 2),  # its structure was refused
        service(4, 9),  # no such structure anywhere
    ]
    report = import_records(structures=rows(structures), services=rows(services))
    assert report.created == 2
    refused = {(e.kind, e.row): " ".join(e.messages) for e in report.errors}
    assert "hors de France" in refused[("structure", 2)]
    assert "valeur inconnue « famille--rien »" in refused[("service", 2)]
    assert "aucune structure « cd92--2 »" in refused[("service", 3)]
    assert "aucune structure « cd92--9 »" in refused[("service", 4)]
    assert list(Service.objects.values_list("source_id", flat=True)) == ["cd92--s1"]


def test_a_service_may_belong_to_a_structure_imported_before(db):
    import_records(structures=rows([structure(1)]), services=[])
    report = import_records(structures=[], services=rows([service(1, 1)]))
    assert (report.created, report.errors) == (1, [])
    assert Service.objects.get().structure.source_id == "cd92--1"


def test_the_same_id_twice_in_a_file_is_created_then_updated(db):
    report = import_records(
        structures=rows([structure(1), structure(1, nom="Maison des familles (nouveau nom)")]),
        services=rows([service(1, 1), service(1, 1), service(1, 1, nom="Crèche parentale")]),
    )
    assert (report.created, report.updated, report.unchanged) == (2, 2, 1)
    assert Structure.objects.get().nom == "Maison des familles (nouveau nom)"
    found = Service.objects.get()
    assert found.nom == "Crèche parentale"
    assert " crech" in found.search_name and " nouveau" in found.search_name


def test_a_structure_renamed_by_an_import_renames_its_services_in_the_search(db):
    import_records(structures=rows([structure(1)]), services=rows([service(1, 1)]))
    assert [s.nom for s in search_services(Filters(q="toupie"))] == []
    report = import_records(
        structures=rows([structure(1, nom="Ludothèque La Toupie", code_insee="92063")]),
        services=rows([service(1, 1)]),
    )
    assert (report.updated, report.unchanged) == (1, 1)
    assert [s.nom for s in search_services(Filters(q="toupie"))] == ["Halte-garderie 1"]
    assert [s.nom for s in search_services(Filters(commune="92063"))] == ["Halte-garderie 1"]


@pytest.mark.parametrize("kind", ["structure", "service"])
def test_a_local_edit_is_kept_and_reported_in_a_large_import(db, kind):
    import_records(structures=rows([structure(1)]), services=rows([service(1, 1)]))
    entry = (Structure if kind == "structure" else Service).objects.get()
    entry.nom = "Corrigé ici"
    entry.save()
    changed_structure = structure(1, nom="Nouveau nom source")
    changed_service = service(1, 1, nom="Nouveau nom source")
    report = import_records(structures=rows([changed_structure]), services=rows([changed_service]))
    assert f"{kind} cd92--{'1' if kind == 'structure' else 's1'}" in report.kept_local
    entry.refresh_from_db()
    assert entry.nom == "Corrigé ici"
