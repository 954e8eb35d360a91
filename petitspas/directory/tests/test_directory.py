# ruff: noqa: E501  (CSV rows are kept whole to read as a file)
import datetime
import json

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from petitspas.directory.freshness import confirm_token, freshness_by_theme
from petitspas.directory.interop import export_records, find_files, import_records, read_records
from petitspas.directory.models import Change, Service, Structure, Territory
from petitspas.directory.schema import check_service, check_structure
from petitspas.directory.search import Filters, search_services
from petitspas.directory.services import service_save, structure_save
from petitspas.directory.text import stems
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory

SURESNES = "92073"


@pytest.fixture
def partner(db):
    organisation = OrganisationFactory(name="Centre social test", kind="partner", departement="92")
    return MembershipFactory(organisation=organisation, role=Role.PARTNER).user


@pytest.fixture
def other_partner(db):
    organisation = OrganisationFactory(name="Autre partenaire", kind="partner", departement="92")
    return MembershipFactory(organisation=organisation, role=Role.PARTNER).user


def make_structure(user, **values):
    organisation = user.memberships.get().organisation
    data = {
        "nom": "Maison des familles",
        "code_insee": SURESNES,
        "commune": "Suresnes",
        "code_postal": "92150",
    }
    data.update(values)
    return structure_save(by=user, structure=Structure(organisation=organisation, **data))


def make_service(user, structure, **values):
    data = {
        "nom": "Groupe de parole des parents",
        "description": "Soutien à la parentalité, échanges entre parents.",
        "thematiques": ["famille--soutien-a-la-parentalite-et-a-leducation"],
        "publics": ["familles"],
        "frais": "gratuit",
    }
    data.update(values)
    return service_save(by=user, service=Service(structure=structure, **data))


def test_stemmer_folds_accents_and_endings():
    assert stems("Parentalité PARENTS parentale") == ["parent"] * 3
    assert stems("Crèche crèches") == ["crech", "crech"]


def test_search_finds_parentalite_from_parent_accent_and_case_insensitive(partner):
    structure = make_structure(partner)
    wanted = make_service(partner, structure, nom="Café des familles", description="Accueil")
    wanted.description = "Un temps de Parentalité partagée."
    service_save(by=partner, service=wanted)
    named = make_service(partner, structure, nom="Atelier parents-enfants")
    make_service(
        partner,
        structure,
        nom="Permanence juridique",
        description="Accès au droit",
        thematiques=[
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
        ],
    )
    results = list(search_services(Filters(q="parent")))
    # Named hits first (weight 3), description hits after.
    assert results[0] == named
    assert wanted in results
    assert [s.nom for s in search_services(Filters(q="PARENTALITE"))] == [s.nom for s in results]
    assert [s.nom for s in search_services(Filters(q="juridique"))] == ["Permanence juridique"]
    assert list(search_services(Filters(q="juridique", public="femmes"))) == []
    droit = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
    assert [s.nom for s in search_services(Filters(thematique=droit))] == ["Permanence juridique"]
    assert len(search_services(Filters(commune=SURESNES, gratuit=True))) == 3
    assert list(search_services(Filters(commune="75056"))) == []


def test_a_partner_cannot_edit_another_partners_entry(partner, other_partner):
    structure = make_structure(partner)
    service = make_service(partner, structure)
    structure.nom = "Piratée"
    with pytest.raises(PermissionDenied, match="appartient à une autre structure"):
        structure_save(by=other_partner, structure=structure)
    with pytest.raises(PermissionDenied):
        service_save(by=other_partner, service=service)
    assert Structure.objects.get().nom == "Maison des familles"


def test_territory_coordinator_edits_its_communes(partner, db):
    structure = make_structure(partner)
    town = OrganisationFactory(name="Ville test", kind="municipality", departement="92")
    coordinator = MembershipFactory(organisation=town, role=Role.COORDINATOR).user
    structure.nom = "Maison des familles de Suresnes"
    with pytest.raises(PermissionDenied):
        structure_save(by=coordinator, structure=structure)
    Territory.objects.create(organisation=town, communes=[SURESNES])
    structure_save(by=coordinator, structure=structure)
    change = Change.objects.filter(structure=structure).first()
    assert change.by == coordinator and change.fields["nom"][1] == "Maison des familles de Suresnes"


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"horaires_accueil": "Lundi 9h-12h"}, "horaires_accueil", "ne sont pas lisibles"),
        ({"latitude": 2.22, "longitude": 48.87}, "latitude", "hors de France"),
        ({"thematiques": ["famille--inconnue"]}, "thematiques", "valeur inconnue"),
        ({"publics": ["tous-publics", "familles"]}, "publics", ""),
    ],
)
def test_bad_entries_are_refused_in_french(partner, values, field, text):
    structure = make_structure(partner)
    with pytest.raises(ValidationError) as error:
        make_service(partner, structure, **values)
    assert field in error.value.message_dict
    assert text in " ".join(error.value.message_dict[field])
    assert Service.objects.count() == 0


def test_edit_page_keeps_what_was_typed_on_bad_hours(client, partner):
    structure = make_structure(partner)
    service = make_service(partner, structure)
    client.force_login(partner)
    url = reverse("directory:service-edit", args=[service.pk])
    response = client.post(
        url,
        {"nom": "Nouveau nom", "description": "Une description", "horaires_accueil": "Lu-Ve 9h"},
    )
    assert response.status_code == 200
    assert "ne sont pas lisibles" in response.content.decode()
    assert "Nouveau nom" in response.content.decode()
    assert Service.objects.get().nom == "Groupe de parole des parents"


def test_other_partner_gets_404_on_edit_pages(client, partner, other_partner):
    structure = make_structure(partner)
    service = make_service(partner, structure)
    client.force_login(other_partner)
    assert client.get(reverse("directory:service-edit", args=[service.pk])).status_code == 404
    assert client.post(reverse("directory:service-confirm", args=[service.pk])).status_code == 404
    structure_edit = reverse("directory:structure-edit", args=[structure.pk])
    assert client.get(structure_edit).status_code == 404
    assert client.post(structure_edit, {"nom": "Piratée"}).status_code == 404
    create = reverse("directory:service-create", args=[structure.pk])
    assert client.post(create, {"nom": "Intrus", "description": "x"}).status_code == 404
    assert Structure.objects.get().nom == "Maison des familles"
    assert list(Service.objects.values_list("nom", flat=True)) == [service.nom]


def test_a_partner_cannot_move_its_service_into_another_partners_structure(partner, other_partner):
    service = make_service(partner, make_structure(partner))
    theirs = make_structure(other_partner, nom="Leur structure")
    service.structure = theirs
    with pytest.raises(PermissionDenied) as refused:
        service_save(by=partner, service=service)
    assert "appartient à une autre structure" in str(refused.value)
    assert Service.objects.get().structure.nom == "Maison des familles"


def test_stale_marking_and_freshness_rate(partner, travel):
    travel(datetime.date(2025, 1, 10))
    structure = make_structure(partner)
    old = make_service(partner, structure, nom="Ancien service")
    travel(datetime.date(2025, 7, 9))
    fresh = make_service(partner, structure, nom="Nouveau service")
    assert not Service.objects.get(pk=old.pk).is_stale  # 5 months 29 days
    travel(datetime.date(2025, 7, 11))
    assert list(Service.objects.stale()) == [old]
    assert Service.objects.get(pk=old.pk).is_stale and not fresh.is_stale
    (rate,) = freshness_by_theme(Service.objects.all())
    assert (rate.total, rate.fresh, rate.rate) == (2, 1, 50)


def test_monthly_email_and_signed_link(client, partner, travel):
    travel(datetime.date(2025, 1, 10))
    service = make_service(partner, make_structure(partner))
    travel(datetime.date(2025, 8, 1))
    call_command("send_directory_reminders", base_url="https://pp.example")
    (message,) = mail.outbox
    assert message.to == [partner.email]
    assert "Groupe de parole des parents" in message.body
    link = next(w for w in message.body.split() if "/annuaire/confirmer/" in w)
    path = link.removeprefix("https://pp.example")
    assert client.get(path).status_code == 200
    assert Service.objects.get().confirmed_on == datetime.date(2025, 1, 10)  # GET changes nothing
    response = client.post(path)
    assert "toujours exacte" in response.content.decode()
    service.refresh_from_db()
    assert service.confirmed_on == datetime.date(2025, 8, 1)
    assert service.changes.first().kind == Change.Kind.CONFIRM


def test_tampered_and_expired_links_are_refused(client, partner, travel):
    travel(datetime.date(2025, 1, 10))
    service = make_service(partner, make_structure(partner))
    token = confirm_token(service)
    forged = signing.dumps({"s": service.pk}, salt="autre")
    for bad in (token[:-2] + "xx", forged):
        response = client.post(reverse("directory:confirm", args=[bad]))
        assert response.status_code == 400
        assert "a été modifié" in response.content.decode()
    travel(datetime.date(2025, 3, 1))
    response = client.post(reverse("directory:confirm", args=[token]))
    assert response.status_code == 400 and "a expiré" in response.content.decode()
    assert Service.objects.get().confirmed_on == datetime.date(2025, 1, 10)


def test_round_trip_export_validate_import_identical(partner, tmp_path):
    structure = make_structure(
        partner, horaires_accueil="Mo-Fr 09:00-12:00; PH off", latitude=48.871, longitude=2.225
    )
    make_service(
        partner, structure, zone_eligibilite=["92073", "92"], modes_accueil=["en-presentiel"]
    )
    for fmt in ("json", "csv"):
        out = tmp_path / fmt
        call_command("directory_export", str(out), format=fmt)
        before = export_records()
        for record in before[0]:
            check_structure(record)
        for record in before[1]:
            check_service(record)
        structures_file, services_file = find_files(out)
        Service.objects.all().delete()
        Structure.objects.all().delete()
        report = import_records(
            structures=read_records(structures_file, "structures"),
            services=read_records(services_file, "services"),
        )
        assert (report.created, report.errors) == (2, [])
        assert export_records() == before
        again = import_records(
            structures=read_records(structures_file, "structures"),
            services=read_records(services_file, "services"),
        )
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_reimport_never_overwrites_a_local_edit(partner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    structures = [
        {
            "source": "cd92",
            "id": "cd92--1",
            "nom": "PMI des Chênes",
            "date_maj": "2025-01-02",
            "code_insee": SURESNES,
        }
    ]
    services = [
        {
            "source": "cd92",
            "structure_id": "cd92--1",
            "id": "cd92--s1",
            "nom": "Consultations nourrissons",
            "description": "Suivi des bébés",
            "date_maj": "2025-01-02",
            "thematiques": ["sante--acces-aux-soins"],
        }
    ]
    (folder / "structures.json").write_text(json.dumps(structures))
    (folder / "services.json").write_text(json.dumps(services))
    call_command(
        "directory_import", str(folder), organisation=partner.memberships.get().organisation.slug
    )
    service = Service.objects.get()
    service.nom = "Consultations des nourrissons"
    service_save(by=partner, service=service)
    services[0]["description"] = "Suivi des bébés et pesées"
    (folder / "services.json").write_text(json.dumps(services))
    out = __import__("io").StringIO()
    call_command("directory_import", str(folder), stdout=out)
    assert "Non écrasé — service cd92--s1" in out.getvalue()
    assert Service.objects.get().nom == "Consultations des nourrissons"


def test_import_reports_bad_rows_and_imports_the_good_ones(tmp_path, db):
    path = tmp_path / "services.csv"
    path.write_text(
        "source,structure_id,id,nom,description,date_maj,thematiques,horaires_accueil,latitude,longitude\n"
        "x,x--1,x--a,Bon service,Une description,2025-01-01,famille--garde-denfants,Mo 09:00-12:00,,\n"
        "x,x--1,x--b,Mauvais,Une description,2025-01-01,famille--rien,,,\n"
        "x,x--1,x--c,Heures,Une description,2025-01-01,,Lundi matin,,\n"
        "x,x--1,x--d,Ailleurs,Une description,2025-01-01,,,2.2,48.8\n",
        encoding="utf-8",
    )
    Structure.objects.create(source="x", source_id="x--1", nom="Structure X")
    out = __import__("io").StringIO()
    call_command("directory_import", str(path), stdout=out)
    text = out.getvalue()
    assert "1 créé(s)" in text and "3 refusé(s)" in text
    assert "ligne 3 (x--b) : thématique : valeur inconnue « famille--rien »" in text
    assert "ligne 4 (x--c)" in text and "ne sont pas lisibles" in text
    assert "ligne 5 (x--d)" in text and "hors de France" in text
    assert list(Service.objects.values_list("source_id", flat=True)) == ["x--a"]


def test_bad_files_are_refused_whole(tmp_path, db):
    latin = tmp_path / "services.csv"
    latin.write_bytes(
        "source,structure_id,id,nom,description,date_maj\nx,x,x,Crèche,é,2025-01-01\n".encode(
            "latin-1"
        )
    )
    with pytest.raises(CommandError, match="n'est pas en UTF-8"):
        call_command("directory_import", str(latin))
    missing = tmp_path / "m" / "services.csv"
    missing.parent.mkdir()
    missing.write_text("source,id,nom\nx,x,Crèche\n")
    with pytest.raises(
        CommandError, match="colonnes manquantes structure_id, description, date_maj"
    ):
        call_command("directory_import", str(missing))
    assert Service.objects.count() == 0


def test_public_pages_and_api(client, partner):
    structure = make_structure(partner, horaires_accueil="Mo-Su 00:00-24:00")
    service = make_service(partner, structure)
    page = client.get(reverse("directory:index"), {"q": "parentalite"})
    assert "Groupe de parole des parents" in page.content.decode()
    detail = client.get(reverse("directory:service", args=[service.pk])).content.decode()
    assert "Ouvert maintenant" in detail
    assert client.get("/api/annuaire/services").status_code == 401
    client.force_login(partner)
    data = client.get("/api/annuaire/services", {"q": "parent"}).json()["items"]
    assert [r["id"] for r in data] == [service.source_id]
    check_service(data[0])


def test_edit_page_refuses_a_point_outside_france_and_keeps_what_was_typed(client, partner):
    structure = make_structure(partner, latitude=48.8715, longitude=2.2252)
    client.force_login(partner)
    response = client.post(
        reverse("directory:structure-edit", args=[structure.pk]),
        {
            "nom": "Maison des familles du Centre",
            "code_postal": "92150",
            "commune": "Suresnes",
            "code_insee": SURESNES,
            "latitude": "2.2252",
            "longitude": "48.8715",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "hors de France" in body
    assert 'value="Maison des familles du Centre"' in body and 'value="48.8715"' in body
    structure.refresh_from_db()
    assert (structure.nom, structure.latitude) == ("Maison des familles", 48.8715)
