"""The methodological booklet: sections written by the coordinators, the codebook and the
areas' themes assembled into a PDF, numbered editions with what changed."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from petitspas.diagnosis import services_inquiry as services
from petitspas.diagnosis.booklet import booklet_context, build_snapshot, render_pdf
from petitspas.diagnosis.models import BookletEdition, Passage
from petitspas.diagnosis.tests.inquiry_fixtures import make_area, make_code, make_record


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def booklet(alice):
    organisation = alice.organisation
    isolement = make_code(organisation, "Isolement des parents", position=1)
    make_code(organisation, "Solitude au quotidien", parent=isolement)
    make_code(organisation, "Accès aux modes de garde", position=2)
    for part, position, title, body in (
        ("method", 1, "Constituer le groupe d'ingénierie", "Réunir les coordinateurs."),
        ("method", 2, "Mener les entretiens", "Vingt entretiens par quartier.\n\nPuis coder."),
        ("tools", 1, "Guide d'entretien", "Depuis quand habitez-vous le quartier ?"),
        ("lessons", 1, "L'école, point d'ancrage", "Le café des parents a pris."),
    ):
        services.section_save(
            by=alice.coordinator,
            organisation=organisation,
            part=part,
            position=position,
            title=title,
            body=body,
        )
    area = make_area(organisation)
    record = make_record(area, transcript="Je reste seule avec les enfants.")
    passage = Passage.objects.create(record=record, start=0, end=15, excerpt="Je reste seule.")
    passage.codes.add(isolement)
    return organisation


def test_the_pdf_reads_back_with_the_codebook_and_the_sections(alice, booklet):
    snapshot = build_snapshot(booklet, today=datetime.date(2025, 6, 2))
    context = booklet_context(snapshot, number=None, published_on=None, changes=None)
    text = pdf_text(render_pdf(context))
    for expected in (
        "Livret méthodologique",
        "Version de travail du 2 juin 2025",
        "Les étapes de la démarche",
        "Constituer le groupe d'ingénierie",
        "Guide d'entretien",
        "La grille de codage",
        "Isolement des parents",
        "Solitude au quotidien",
        "Accès aux modes de garde",
        "L'école, point d'ancrage",
        "Quartier Flandre (19e)",
    ):
        assert expected in text, expected
    # The booklet leaves the organisation: no passage is quoted in it.
    assert "Je reste seule" not in text
    # Steps in their order, parts in the booklet's order.
    assert text.index("Constituer le groupe") < text.index("Mener les entretiens")
    assert text.rindex("Mener les entretiens") < text.rindex("Guide d'entretien")


def test_editions_are_numbered_kept_and_say_what_changed(alice, booklet):
    first = services.booklet_publish(
        by=alice.coordinator,
        organisation=booklet,
        changes_note="Première version partagée avec le 14e.",
        published_on=datetime.date(2025, 6, 2),
    )
    assert first.number == 1
    with pytest.raises(ValidationError) as error:
        services.booklet_publish(by=alice.coordinator, organisation=booklet)
    assert "Rien n'a changé depuis l'édition n° 1" in error.value.messages[0]
    make_code(booklet, "Langue et interprétariat", position=3)
    section = booklet_section(booklet, "Guide d'entretien")
    services.section_save(
        by=alice.admin,
        organisation=booklet,
        section=section,
        part="tools",
        position=1,
        title="Guide d'entretien",
        body="Question ajoutée : où faites-vous garder vos enfants ?",
    )
    with pytest.raises(ValidationError) as error:
        services.booklet_publish(
            by=alice.coordinator, organisation=booklet, published_on=datetime.date(2025, 6, 1)
        )
    assert "d'avant l'édition n° 1" in error.value.messages[0]
    second = services.booklet_publish(by=alice.coordinator, organisation=booklet)
    assert second.number == 2
    # The first edition is kept as it was.
    first.refresh_from_db()
    assert "Langue et interprétariat" not in str(first.snapshot)
    assert "Langue et interprétariat" in str(second.snapshot)


def booklet_section(organisation, title):
    from petitspas.diagnosis.models import BookletSection

    return BookletSection.objects.get(organisation=organisation, title=title)


def test_only_admins_and_coordinators_write_and_publish(client, alice, booklet):
    with pytest.raises(PermissionDenied):
        services.booklet_publish(by=alice.professional, organisation=booklet)
    client.force_login(alice.professional)
    assert client.get(reverse("diagnosis:inquiry-booklet", args=[booklet.pk])).status_code == 200
    url = reverse("diagnosis:inquiry-section-create", args=[booklet.pk])
    assert client.get(url).status_code == 403
    url = reverse("diagnosis:inquiry-booklet-publish", args=[booklet.pk])
    assert client.post(url).status_code == 403


def test_an_empty_booklet_is_not_published(client, bob):
    client.force_login(bob.coordinator)
    url = reverse("diagnosis:inquiry-booklet-publish", args=[bob.organisation.pk])
    response = client.post(url, {"changes_note": "Premier jet"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "aucune section" in body
    assert "Premier jet" in body
    assert not BookletEdition.objects.exists()


def test_publishing_from_the_page_and_the_editions_pdf(client, alice, booklet):
    client.force_login(alice.coordinator)
    url = reverse("diagnosis:inquiry-section-create", args=[booklet.pk])
    response = client.post(url, {"part": "roles", "position": "1", "title": "", "body": "Texte"})
    assert response.status_code == 400
    assert "Donnez un titre" in response.content.decode()
    response = client.post(
        url,
        {
            "part": "roles",
            "position": "1",
            "title": "Le groupe-ressource",
            "body": "Professionnels et habitants.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("diagnosis:inquiry-booklet-publish", args=[booklet.pk]),
        {"changes_note": "Ajout des rôles des groupes."},
    )
    edition = BookletEdition.objects.get()
    assert response["Location"] == reverse("diagnosis:inquiry-booklet-edition", args=[edition.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Ajout des rôles des groupes." in page
    response = client.get(reverse("diagnosis:inquiry-booklet-edition-pdf", args=[edition.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Édition n° 1" in text
    assert "Le groupe-ressource" in text
    assert "Isolement des parents" in text


def test_every_page_opens_for_the_organisation_s_staff(client, alice, booklet):
    from petitspas.diagnosis.tests.inquiry_fixtures import inquiry_rows

    rows = inquiry_rows(alice)
    organisation = alice.organisation.pk
    pages = [
        reverse("diagnosis:inquiry-home"),
        reverse("diagnosis:inquiry-index", args=[organisation]),
        reverse("diagnosis:inquiry-index", args=[organisation]) + f"?quartier={rows['area_pk']}",
        reverse("diagnosis:inquiry-index", args=[organisation]) + "?quartier=999999",
        reverse("diagnosis:inquiry-record-create", args=[organisation]),
        reverse("diagnosis:inquiry-record", args=[rows["record_pk"]]),
        reverse("diagnosis:inquiry-record-edit", args=[rows["record_pk"]]),
        reverse("diagnosis:inquiry-codebook", args=[organisation]),
        reverse("diagnosis:inquiry-code-edit", args=[rows["code_pk"]]),
        reverse("diagnosis:inquiry-synthesis", args=[rows["area_pk"]]),
        reverse("diagnosis:inquiry-booklet", args=[organisation]),
        reverse("diagnosis:inquiry-section-create", args=[organisation]) + "?partie=lessons",
        reverse("diagnosis:inquiry-section-edit", args=[rows["section_pk"]]),
        reverse("diagnosis:inquiry-booklet-draft", args=[organisation]),
        reverse("diagnosis:inquiry-booklet-edition", args=[rows["booklet_edition_pk"]]),
    ]
    client.force_login(alice.coordinator)
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    draft = client.get(reverse("diagnosis:inquiry-booklet-draft", args=[organisation]))
    body = draft.content.decode()
    assert "Version de travail du" in body and "Isolement des parents" in body
    assert "Télécharger le PDF" in body
