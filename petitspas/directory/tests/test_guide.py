"""The printed "parentalité" guide: snapshot, editions and what changed, permissions, bad
input, hours in words, and the PDF read back with pypdf."""

import datetime
import io
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from petitspas.core.models import AuditEntry
from petitspas.demo.data import directory as demo_data
from petitspas.demo.data.territory import SURESNES as SURESNES_TOWN
from petitspas.demo.data.territory import SURESNES_PARTNER
from petitspas.demo.directory import load_directory
from petitspas.directory.guide import build_snapshot, diff_snapshots, guide_context, render_pdf
from petitspas.directory.hours import describe_hours
from petitspas.directory.models import GuideEdition, Service, Structure, Territory
from petitspas.directory.services import service_save, structure_save
from petitspas.directory.services_guide import guide_publish
from petitspas.directory.tests.test_directory import make_service, make_structure
from petitspas.directory.themes import SURESNES_GROUPS
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory, OrganisationFactory

SURESNES = "92073"


@pytest.fixture
def town(db):
    organisation = OrganisationFactory(
        name="Ville de Suresnes", kind="municipality", departement="92"
    )
    return Territory.objects.create(organisation=organisation, communes=[SURESNES])


def member(territory, role):
    return MembershipFactory(organisation=territory.organisation, role=role).user


@pytest.fixture
def coordinator(town):
    return member(town, Role.COORDINATOR)


@pytest.fixture
def partner(db):
    organisation = OrganisationFactory(name="Centre social test", kind="partner", departement="92")
    return MembershipFactory(organisation=organisation, role=Role.PARTNER).user


@pytest.fixture
def entries(partner):
    structure = make_structure(
        partner,
        nom="Maison des familles",
        adresse="12 rue des Bourets",
        telephone="01 99 00 00 01",
        horaires_accueil="Mo-Fr 09:00-12:00,14:00-17:30; Sa[1] 09:00-12:00; PH off",
    )
    cafe = make_service(partner, structure, nom="Café des parents")
    droit = make_service(
        partner,
        structure,
        nom="Permanence juridique",
        thematiques=[
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
        ],
    )
    return structure, cafe, droit


# Hours in words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off",
            [
                "Du lundi au vendredi : 9 h – 12 h et 14 h – 17 h 30",
                "Samedi : 9 h – 12 h",
                "Fermé les jours fériés",
            ],
        ),
        ("Tu,Th 14:00-18:00", ["Mardi et jeudi : 14 h – 18 h"]),
        ("Sa[1] 09:00-12:00", ["Le 1er samedi du mois : 9 h – 12 h"]),
        ("Sa[1,3] 10:00-12:00", ["Les 1er et 3e samedis du mois : 10 h – 12 h"]),
        ("Mo-Su 00:00-24:00", ["Tous les jours : 24 h sur 24"]),
        ('We 14:00-17:00 "sur rendez-vous"', ["Mercredi : 14 h – 17 h (sur rendez-vous)"]),
        (
            "Mo,Tu,Th,Fr 13:30-18:00; We 09:00-18:00",
            ["Lundi, mardi, jeudi et vendredi : 13 h 30 – 18 h", "Mercredi : 9 h – 18 h"],
        ),
        (
            "Jan-Jun Mo 10:00-12:00",
            [
                "Lundi : 10 h – 12 h",
                "D'autres horaires s'appliquent à certaines périodes : se renseigner",
            ],
        ),
        ("", []),
        ("lundi matin", []),
    ],
)
def test_hours_in_plain_french(text, words):
    assert describe_hours(text) == words


# Snapshot and what changed ----------------------------------------------------------------


def test_snapshot_holds_the_territory_structures_and_services_in_words(town, entries):
    structure, cafe, droit = entries
    elsewhere = make_structure(
        entries[0].organisation.memberships.get().user,
        nom="Maison de Nanterre",
        code_insee="92050",
        commune="Nanterre",
        code_postal="92000",
    )
    make_service(elsewhere.organisation.memberships.get().user, elsewhere, nom="Hors territoire")
    snapshot = build_snapshot(town, today=datetime.date(2026, 3, 2))
    assert [s["nom"] for s in snapshot["structures"]] == ["Maison des familles"]
    assert [s["nom"] for s in snapshot["services"]] == ["Café des parents", "Permanence juridique"]
    sheet = snapshot["structures"][0]
    assert sheet["horaires"] == [
        "Du lundi au vendredi : 9 h – 12 h et 14 h – 17 h 30",
        "Le 1er samedi du mois : 9 h – 12 h",
        "Fermé les jours fériés",
    ]
    assert snapshot["services"][0]["themes"] == ["Accompagnement psychosocial"]
    assert snapshot["services"][1]["themes"] == ["Accès au droit"]
    assert snapshot["services"][0]["publics"] == ["Familles"]
    assert snapshot["territory"] == {"organisation": "Ville de Suresnes", "communes": ["Suresnes"]}


def test_diff_names_added_removed_and_modified_with_fields(town, partner, entries):
    structure, cafe, droit = entries
    old = build_snapshot(town, today=datetime.date(2026, 3, 2))
    structure.telephone = "01 99 00 00 02"
    structure.horaires_accueil = "Mo-Fr 09:00-12:00"
    structure_save(by=partner, structure=structure)
    cafe.frais = "payant"
    service_save(by=partner, service=cafe)
    droit.delete()
    make_service(partner, structure, nom="Atelier couture parents-enfants")
    changes = diff_snapshots(old, build_snapshot(town, today=datetime.date(2026, 9, 1)))
    assert [(i["kind"], i["nom"]) for i in changes["added"]] == [
        ("service", "Atelier couture parents-enfants")
    ]
    assert [(i["kind"], i["nom"]) for i in changes["removed"]] == [
        ("service", "Permanence juridique")
    ]
    modified = {i["nom"]: i["fields"] for i in changes["modified"]}
    assert set(modified) == {"Maison des familles", "Café des parents"}
    assert {f["label"] for f in modified["Maison des familles"]} == {"téléphone", "horaires"}
    phone = next(f for f in modified["Maison des familles"] if f["label"] == "téléphone")
    assert (phone["before"], phone["after"]) == ("01 99 00 00 01", "01 99 00 00 02")
    assert modified["Café des parents"] == [
        {"label": "frais", "before": "Gratuit", "after": "Payant"}
    ]


def test_date_maj_alone_is_no_change(town, partner, entries):
    old = build_snapshot(town, today=datetime.date(2026, 3, 2))
    Service.objects.update(date_maj=datetime.date(2026, 4, 1))
    changes = diff_snapshots(old, build_snapshot(town, today=datetime.date(2026, 4, 2)))
    assert changes == {"added": [], "removed": [], "modified": []}


# Publishing -------------------------------------------------------------------------------


def test_publishing_numbers_editions_keeps_each_and_logs(town, coordinator, partner, entries):
    first = guide_publish(by=coordinator, territory=town)
    assert (first.number, len(first.snapshot["services"])) == (1, 2)
    make_service(partner, entries[0], nom="Atelier couture parents-enfants")
    second = guide_publish(by=coordinator, territory=town)
    assert second.number == 2
    assert GuideEdition.objects.filter(territory=town).count() == 2
    assert len(GuideEdition.objects.get(pk=first.pk).snapshot["services"]) == 2
    entry = AuditEntry.objects.filter(action="directory.guide_publish").latest("pk")
    assert entry.organisation == town.organisation
    assert entry.details == {"structures": 1, "services": 3}


def test_an_edition_prints_again_identically_after_the_directory_changes(
    client, town, coordinator, partner, entries
):
    edition = guide_publish(by=coordinator, territory=town)
    url = reverse("directory:guide-edition-html", args=[edition.pk])
    before = client.get(url).content
    structure, cafe, _ = entries
    cafe.nom = "Café des parents rénové"
    service_save(by=partner, service=cafe)
    structure.horaires_accueil = "Tu 09:00-12:00"
    structure_save(by=partner, structure=structure)
    after = client.get(url).content
    assert after == before
    assert "Café des parents rénové".encode() not in after
    text = pdf_text(client.get(reverse("directory:guide-edition-pdf", args=[edition.pk])))
    assert "Café des parents" in text and "rénové" not in text


def test_publishing_refuses_an_empty_guide(town, coordinator):
    with pytest.raises(ValidationError) as refused:
        guide_publish(by=coordinator, territory=town)
    assert "aucun service" in refused.value.messages[0]
    assert not GuideEdition.objects.exists()


def test_publishing_refuses_an_edition_with_nothing_changed(town, coordinator, entries):
    guide_publish(by=coordinator, territory=town)
    with pytest.raises(ValidationError) as refused:
        guide_publish(by=coordinator, territory=town)
    assert "Rien n'a changé" in refused.value.messages[0]
    assert GuideEdition.objects.count() == 1


def test_publishing_refuses_a_date_before_the_last_edition(town, coordinator, partner, entries):
    guide_publish(by=coordinator, territory=town, published_on=datetime.date(2026, 6, 1))
    make_service(partner, entries[0], nom="Nouveau")
    with pytest.raises(ValidationError) as refused:
        guide_publish(by=coordinator, territory=town, published_on=datetime.date(2026, 5, 1))
    assert "d'avant l'édition n° 1" in refused.value.messages[0]


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.FUNDER, Role.PARTNER])
def test_only_admins_and_coordinators_of_the_territory_publish(town, entries, role):
    with pytest.raises(PermissionDenied):
        guide_publish(by=member(town, role), territory=town)
    assert guide_publish(by=member(town, Role.ADMIN), territory=town).number == 1


def test_a_partner_of_the_territory_publishes_nothing(town, partner, entries):
    with pytest.raises(PermissionDenied):
        guide_publish(by=partner, territory=town)


# Pages and permissions ------------------------------------------------------------------------


def test_coordinator_publishes_from_the_page_and_sees_the_changes(
    client, town, coordinator, partner, entries
):
    client.force_login(coordinator)
    response = client.get(reverse("directory:guide-home"))
    assert response.url == reverse("directory:guide", args=[town.pk])
    page = client.get(response.url).content.decode()
    assert "Publier l'édition n° 1" in page
    response = client.post(reverse("directory:guide-publish", args=[town.pk]))
    first = GuideEdition.objects.get()
    assert response.url == reverse("directory:guide-edition", args=[first.pk])
    make_service(partner, entries[0], nom="Atelier couture parents-enfants")
    page = client.get(reverse("directory:guide", args=[town.pk])).content.decode()
    assert "1 ajout, 0 retrait et 0 modification" in page
    client.post(reverse("directory:guide-publish", args=[town.pk]))
    second = GuideEdition.objects.get(number=2)
    page = client.get(reverse("directory:guide-edition", args=[second.pk])).content.decode()
    assert "Ce qui a changé depuis l'édition n° 1" in page
    assert "Atelier couture parents-enfants" in page


def test_publishing_nothing_new_says_so_on_the_page(client, town, coordinator, entries):
    client.force_login(coordinator)
    client.post(reverse("directory:guide-publish", args=[town.pk]))
    response = client.post(reverse("directory:guide-publish", args=[town.pk]))
    assert response.status_code == 400
    assert "Rien n&#x27;a changé dans l&#x27;annuaire depuis l&#x27;édition n° 1" in (
        response.content.decode()
    )
    assert GuideEdition.objects.count() == 1


def test_members_and_partners_read_but_do_not_publish(client, town, partner, entries):
    for reader in (member(town, Role.PROFESSIONAL), partner):
        client.force_login(reader)
        page = client.get(reverse("directory:guide", args=[town.pk]))
        assert page.status_code == 200
        assert "Publier l'édition" not in page.content.decode()
        assert client.get(reverse("directory:guide-draft", args=[town.pk])).status_code == 200
        assert client.post(reverse("directory:guide-publish", args=[town.pk])).status_code == 403
    assert not GuideEdition.objects.exists()


def test_a_partner_of_another_territory_and_a_stranger_get_404(client, town, coordinator, entries):
    edition = guide_publish(by=coordinator, territory=town)
    elsewhere = OrganisationFactory(name="Centre de Nanterre", kind="partner", departement="92")
    stranger = MembershipFactory(organisation=elsewhere, role=Role.PARTNER).user
    client.force_login(stranger)
    assert client.get(reverse("directory:guide-home")).status_code == 403
    assert client.get(reverse("directory:guide", args=[town.pk])).status_code == 404
    assert client.get(reverse("directory:guide-edition", args=[edition.pk])).status_code == 404
    # The published edition itself is public.
    client.logout()
    assert client.get(reverse("directory:guide-edition-html", args=[edition.pk])).status_code == 200
    assert client.get(reverse("directory:guide-edition-pdf", args=[edition.pk])).status_code == 200


def test_the_menu_shows_the_guide_to_its_readers_only(client, town, coordinator, partner, entries):
    client.force_login(coordinator)
    assert "Guide parentalité" in client.get(reverse("directory:index")).content.decode()
    client.force_login(MembershipFactory(role=Role.PROFESSIONAL).user)
    assert "Guide parentalité" not in client.get(reverse("directory:index")).content.decode()


# The PDF of the demo guide --------------------------------------------------------------------


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def demo_guide(db):
    for name, kind in ((SURESNES_TOWN, "municipality"), (SURESNES_PARTNER, "partner")):
        OrganisationFactory(name=name, kind=kind, departement="92")
    load_directory()
    territory = Territory.objects.get(organisation__name=SURESNES_TOWN)
    return territory, member(territory, Role.COORDINATOR)


def test_the_demo_guide_pdf_reads_back_with_every_theme_sheets_and_index(client, demo_guide):
    territory, coordinator = demo_guide
    edition = guide_publish(by=coordinator, territory=territory)
    # CPU time of this process: other work on the machine does not count against it.
    started = time.process_time()
    response = client.get(reverse("directory:guide-edition-pdf", args=[edition.pk]))
    elapsed = time.process_time() - started
    assert elapsed < 10, f"the demo guide's PDF took {elapsed:.1f} s"
    assert response["Content-Disposition"] == (
        'attachment; filename="guide-parentalite-suresnes-edition-1.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Édition n° 1 du" in text
    assert "Suresnes" in text
    for theme in SURESNES_GROUPS:
        assert theme in text, theme
    assert "Fiches des partenaires" in text
    assert "Index par commune" in text
    assert Structure.objects.count() == len(demo_data.STRUCTURES) == 40
    for name, *_ in demo_data.STRUCTURES:
        assert name.replace("'", "’") in text.replace("'", "’"), name
    assert "Du lundi au vendredi" in text
    # Page numbers in the footer, and the index points to pages.
    pages = len(reader.pages)
    assert f"2 / {pages}" in reader.pages[1].extract_text()
    assert "Première édition" in text


def test_the_second_edition_prints_what_changed(demo_guide):
    territory, coordinator = demo_guide
    guide_publish(by=coordinator, territory=territory, published_on=datetime.date(2026, 1, 5))
    ludotheque = Structure.objects.get(nom="Ludothèque La Toupie")
    ludotheque.telephone = "01 99 00 00 42"
    structure_save(by=coordinator, structure=ludotheque)
    second = guide_publish(by=coordinator, territory=territory)
    context = guide_context(
        second.snapshot,
        number=2,
        published_on=second.published_on,
        changes=diff_snapshots(GuideEdition.objects.get(number=1).snapshot, second.snapshot),
        previous_number=1,
    )
    reader = PdfReader(io.BytesIO(render_pdf(context)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Ce qui a changé depuis l’édition n° 1" in text.replace("'", "’")
    assert "Ludothèque La Toupie" in text
    assert "01 99 00 00 42" in text


def test_the_draft_pdf_is_for_readers(client, demo_guide):
    territory, coordinator = demo_guide
    url = reverse("directory:guide-draft-pdf", args=[territory.pk])
    assert client.get(url).status_code == 302
    client.force_login(coordinator)
    text = pdf_text(client.get(url))
    assert "Version de travail du" in text
    assert "non publiée" in text


def test_the_public_directory_links_each_territory_latest_edition(
    client, town, coordinator, partner, entries
):
    assert (
        "guide parentalité à imprimer"
        not in client.get(reverse("directory:index")).content.decode()
    )
    guide_publish(by=coordinator, territory=town, published_on=datetime.date(2026, 6, 1))
    make_service(partner, entries[0], nom="Atelier couture parents-enfants")
    second = guide_publish(by=coordinator, territory=town, published_on=datetime.date(2026, 9, 1))
    page = client.get(reverse("directory:index")).content.decode()
    assert "Ville de Suresnes : édition n° 2 du 1 septembre 2026" in page
    assert reverse("directory:guide-edition-pdf", args=[second.pk]) in page
    assert "édition n° 1 du" not in page
