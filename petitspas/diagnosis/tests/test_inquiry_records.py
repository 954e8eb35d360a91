"""Records of the qualitative diagnosis: participants without names, coding passages by
selection or by text, a passage outside its record refused, attachments stored through
the storage API and served only through the door."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from petitspas.accounts.tests.factories import UserFactory
from petitspas.core.models import AuditEntry
from petitspas.diagnosis import services_inquiry as services
from petitspas.diagnosis.models import Attachment, InquiryRecord, Passage
from petitspas.diagnosis.tests.inquiry_fixtures import make_area, make_code, make_record
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory

TRANSCRIPT = (
    "Je suis arrivée dans le quartier il y a deux ans.\n"
    "Je ne connais personne, je reste seule avec les enfants.\n"
    "La crèche ? Il n'y a pas de place avant deux ans."
)


@pytest.fixture
def area(alice):
    return make_area(alice.organisation)


@pytest.fixture
def codes(alice):
    isolement = make_code(alice.organisation, "Isolement des parents")
    garde = make_code(alice.organisation, "Accès aux modes de garde")
    return {
        "isolement": isolement,
        "solitude": make_code(alice.organisation, "Solitude au quotidien", parent=isolement),
        "garde": garde,
        "creche": make_code(alice.organisation, "Places en crèche", parent=garde),
    }


@pytest.fixture
def record(area):
    return make_record(area, transcript=TRANSCRIPT)


def test_a_record_keeps_profiles_and_no_name_without_consent(alice, area):
    kwargs = {
        "by": alice.professional,
        "organisation": alice.organisation,
        "area": area,
        "held_on": datetime.date(2025, 3, 4),
        "method": "focus_group",
        "title": "Focus group au centre social",
        "parents": 5,
        "professionals": 2,
    }
    with pytest.raises(ValidationError) as error:
        services.record_create(**kwargs, participant_name="Fatou Diallo")
    assert "consentement" in error.value.message_dict["participant_name"][0]
    record = services.record_create(**kwargs, transcript="Ligne 1\r\nLigne 2\rLigne 3")
    assert (record.parents, record.professionals, record.participants) == (5, 2, 7)
    assert record.participant_name == ""
    # Line ends as the page gives them, so that a selection's offsets match.
    assert record.transcript == "Ligne 1\nLigne 2\nLigne 3"
    named = services.record_create(**kwargs, consent=True, participant_name=" Fatou Diallo ")
    assert named.participant_name == "Fatou Diallo"
    entry = AuditEntry.objects.filter(action="inquiry.record_create").latest("pk")
    assert "Fatou" not in str(entry.details)


def test_a_record_needs_someone_and_an_area_of_its_organisation(alice, bob, area):
    kwargs = {
        "by": alice.coordinator,
        "organisation": alice.organisation,
        "held_on": datetime.date(2025, 3, 4),
        "method": "interview",
        "title": "Entretien",
    }
    with pytest.raises(ValidationError) as error:
        services.record_create(**kwargs, area=area)
    assert "au moins une" in error.value.message_dict["residents"][0]
    with pytest.raises(ValidationError) as error:
        services.record_create(
            **{**kwargs, "held_on": datetime.date(1999, 12, 31)}, area=area, parents=1
        )
    assert "comprises entre le 01/01/2000" in error.value.message_dict["held_on"][0]
    other = make_area(bob.organisation)
    with pytest.raises(ValidationError) as error:
        services.record_create(**kwargs, area=other, parents=1)
    assert "area" in error.value.message_dict


def test_funders_and_partners_cannot_write_records(alice, funder, area):
    partner = MembershipFactory(organisation=alice.organisation, role=Role.PARTNER).user
    for user in (funder, partner):
        with pytest.raises(Exception) as error:
            services.record_create(
                by=user,
                organisation=alice.organisation,
                area=area,
                held_on=datetime.date(2025, 3, 4),
                method="interview",
                title="Entretien",
                parents=1,
            )
        assert error.type.__name__ == "Http404"


def test_coding_by_offsets_and_by_text(alice, record, codes):
    start = TRANSCRIPT.index("Je ne connais")
    end = TRANSCRIPT.index("enfants.") + len("enfants.")
    by_selection = services.passage_code(
        by=alice.professional,
        record=record,
        codes=[codes["solitude"]],
        start=start,
        end=end,
        excerpt=TRANSCRIPT[start:end],
    )
    assert by_selection.excerpt == "Je ne connais personne, je reste seule avec les enfants."
    # Without JavaScript: the passage typed (blanks around it do not count).
    by_text = services.passage_code(
        by=alice.professional,
        record=record,
        codes=[codes["creche"], codes["garde"]],
        excerpt="  Il n'y a pas de place avant deux ans. ",
    )
    assert TRANSCRIPT[by_text.start : by_text.end] == "Il n'y a pas de place avant deux ans."
    assert set(by_text.codes.all()) == {codes["creche"], codes["garde"]}
    entry = AuditEntry.objects.filter(action="inquiry.passage_code").latest("pk")
    assert "place" not in str(entry.details)


def test_a_passage_outside_its_record_is_refused(alice, area, record, codes):
    other = make_record(area, transcript="Le parc est fermé le soir, on ne sort plus.")
    cases = [
        # Beyond the end of the transcript.
        {"start": 10, "end": len(TRANSCRIPT) + 5},
        # Backwards.
        {"start": 20, "end": 10},
        # A passage of another record.
        {"excerpt": "Le parc est fermé le soir"},
        # Offsets that no longer match the text selected.
        {"start": 0, "end": 5, "excerpt": "Autre"},
    ]
    messages = []
    for case in cases:
        with pytest.raises(ValidationError) as error:
            services.passage_code(
                by=alice.coordinator, record=record, codes=[codes["garde"]], **case
            )
        messages.append(error.value.message_dict["excerpt"][0])
    assert "sort du texte" in messages[0] and f"({len(TRANSCRIPT)} caractères)" in messages[0]
    assert "sort du texte" in messages[1]
    assert "ne se trouve pas dans la transcription" in messages[2]
    assert "ne correspond plus" in messages[3]
    assert Passage.objects.count() == 0
    assert other.passages.count() == 0


def test_codes_must_come_from_the_records_organisation(alice, bob, record):
    foreign = make_code(bob.organisation, "Thème de Lunel")
    with pytest.raises(ValidationError) as error:
        services.passage_code(
            by=alice.coordinator, record=record, codes=[foreign], excerpt="crèche"
        )
    assert "grille" in error.value.message_dict["codes"][0]
    with pytest.raises(ValidationError):
        services.passage_code(by=alice.coordinator, record=record, codes=[], excerpt="crèche")


def test_a_new_transcript_keeps_its_passages_or_is_refused(alice, area, record, codes):
    passage = services.passage_code(
        by=alice.coordinator, record=record, codes=[codes["creche"]], excerpt="pas de place"
    )
    kwargs = {
        "by": alice.coordinator,
        "record": record,
        "area": area,
        "held_on": record.held_on,
        "method": record.method,
        "title": record.title,
        "parents": 1,
    }
    services.record_update(**kwargs, transcript="Préambule ajouté.\n" + TRANSCRIPT)
    passage.refresh_from_db()
    assert passage.start == TRANSCRIPT.index("pas de place") + len("Préambule ajouté.\n")
    with pytest.raises(ValidationError) as error:
        services.record_update(**kwargs, transcript="Tout autre chose.")
    assert "n'est plus dans la nouvelle transcription" in error.value.message_dict["transcript"][0]
    record.refresh_from_db()
    assert record.transcript.startswith("Préambule")


def test_coding_page_without_javascript_keeps_what_was_typed(client, alice, record, codes):
    client.force_login(alice.professional)
    url = reverse("diagnosis:inquiry-passage-create", args=[record.pk])
    response = client.post(url, {"excerpt": "Un passage d'ailleurs", "codes": [codes["garde"].pk]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "ne se trouve pas dans la transcription" in body
    assert "Un passage d&#x27;ailleurs" in body
    response = client.post(
        url, {"excerpt": "seule avec les enfants", "codes": [codes["solitude"].pk]}
    )
    assert response.status_code == 302
    page = client.get(reverse("diagnosis:inquiry-record", args=[record.pk])).content.decode()
    assert '<mark class="coded" title="Solitude au quotidien"' in page
    assert "seule avec les enfants</mark>" in page


def test_record_form_refuses_a_name_without_consent_and_keeps_the_text(client, alice, area):
    client.force_login(alice.coordinator)
    url = reverse("diagnosis:inquiry-record-create", args=[alice.organisation.pk])
    data = {
        "held_on": "2025-03-04",
        "area": area.pk,
        "method": "interview",
        "title": "Entretien au square",
        "residents": "0",
        "parents": "1",
        "professionals": "0",
        "associations": "0",
        "participant_name": "Awa",
        "transcript": "Ce que la mère a dit, à ne pas perdre.",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "consentement" in body
    assert "Ce que la mère a dit, à ne pas perdre." in body
    assert InquiryRecord.objects.count() == 0
    response = client.post(url, {**data, "parents": "-1", "participant_name": ""})
    assert "ne peut pas être négatif" in response.content.decode()
    response = client.post(url, {**data, "participant_name": ""})
    record = InquiryRecord.objects.get()
    assert response["Location"] == reverse("diagnosis:inquiry-record", args=[record.pk])


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_attachment_is_stored_and_served_only_through_the_door(
    client, settings, tmp_path, alice, bob, funder, record
):
    settings.MEDIA_ROOT = tmp_path
    partner = MembershipFactory(organisation=alice.organisation, role=Role.PARTNER).user
    upload = SimpleUploadedFile("compte-rendu Awa.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = services.attachment_add(by=alice.professional, record=record, file=upload)
    # A random path in storage: the original name (which may name someone) is not in it.
    assert "Awa" not in attachment.file.name
    assert attachment.file.name.startswith(f"diagnostic/{alice.organisation.pk}/")
    assert (tmp_path / attachment.file.name).read_bytes() == PDF_BYTES
    url = reverse("diagnosis:inquiry-attachment", args=[attachment.pk])
    client.force_login(alice.coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="inquiry.attachment_download").count() == 1
    for user in (bob.admin, bob.coordinator, funder, partner):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(alice.professional)
    response = client.post(reverse("diagnosis:inquiry-attachment-delete", args=[attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_deleted_attachment_leaves_storage(settings, tmp_path, alice):
    settings.MEDIA_ROOT = tmp_path
    record = make_record(make_area(alice.organisation), transcript="x")
    upload = SimpleUploadedFile("note.txt", "Notes d'observation, café.".encode())
    attachment = services.attachment_add(by=alice.coordinator, record=record, file=upload)
    path = tmp_path / attachment.file.name
    assert path.exists()
    services.attachment_delete(by=alice.coordinator, attachment=attachment)
    assert not path.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "type de fichier n'est pas accepté"),
        ("faux.pdf", b"<html>hello</html>", "ne correspond pas à son extension"),
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg", "ne correspond pas à son extension"),
        ("vide.txt", b"", "vide"),
        ("latin1.txt", "Café crème à emporter".encode("latin-1") * 200, "UTF-8"),
    ],
)
def test_bad_attachments_are_refused(settings, tmp_path, alice, record, name, content, message):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            by=alice.coordinator, record=record, file=SimpleUploadedFile(name, content)
        )
    assert message in error.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_an_attachment_over_the_limit_is_refused_with_its_size(
    client, settings, tmp_path, alice, record, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 1024 * 1024)
    client.force_login(alice.coordinator)
    big = SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * (3 * 1024 * 1024))
    response = client.post(
        reverse("diagnosis:inquiry-attachment-add", args=[record.pk]), {"file": big}
    )
    assert response.status_code == 400
    assert "Ce fichier pèse 3,0 Mo : la limite est de 1 Mo" in response.content.decode()


def test_only_admins_and_coordinators_edit_the_codebook(client, alice):
    client.force_login(alice.professional)
    url = reverse("diagnosis:inquiry-codebook", args=[alice.organisation.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Nouveau thème"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.code_create(by=alice.professional, organisation=alice.organisation, name="X")
    client.force_login(alice.coordinator)
    assert client.post(url, {"name": "Usage de l'espace public"}).status_code == 302
    theme = services.Code.objects.get(name="Usage de l'espace public")
    response = client.post(url, {"parent": theme.pk, "name": "Squares et parcs"})
    assert response.status_code == 302
    response = client.post(url, {"name": "Usage de l'espace public"})
    assert response.status_code == 400
    assert "Un thème porte déjà ce nom" in response.content.decode()
    # A code is filed under a theme, never under another code.
    response = client.post(url, {"parent": theme.children.get().pk, "name": "Trop profond"})
    assert "pas dans la grille" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        services.code_create(
            by=alice.coordinator,
            organisation=alice.organisation,
            parent=theme.children.get(),
            name="Trop profond",
        )
    assert "pas sous un autre code" in error.value.message_dict["parent"][0]


def test_funders_partners_and_other_organisations_read_no_record(
    client, alice, bob, funder, record
):
    partner = MembershipFactory(organisation=alice.organisation, role=Role.PARTNER).user
    prescriber_here = MembershipFactory(
        organisation=alice.organisation, role=Role.PRESCRIBER, user=UserFactory()
    ).user
    urls = [
        reverse("diagnosis:inquiry-record", args=[record.pk]),
        reverse("diagnosis:inquiry-index", args=[alice.organisation.pk]),
        reverse("diagnosis:inquiry-synthesis", args=[record.area_id]),
        reverse("diagnosis:inquiry-synthesis-csv", args=[record.area_id]),
        reverse("diagnosis:inquiry-booklet", args=[alice.organisation.pk]),
    ]
    for user in (funder, partner, prescriber_here, bob.admin):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(alice.professional)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_editing_a_record_and_the_codebook_through_their_pages(client, alice, area, record, codes):
    client.force_login(alice.professional)
    url = reverse("diagnosis:inquiry-record-edit", args=[record.pk])
    page = client.get(url).content.decode()
    assert "Je suis arrivée dans le quartier" in page
    response = client.post(
        url,
        {
            "held_on": "2025-03-05",
            "area": area.pk,
            "method": "interview",
            "title": "Entretien avec une mère arrivée en 2023",
            "residents": "0",
            "parents": "1",
            "professionals": "0",
            "associations": "0",
            "transcript": TRANSCRIPT,
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.title, record.held_on) == (
        "Entretien avec une mère arrivée en 2023",
        datetime.date(2025, 3, 5),
    )
    # The codebook is the coordinators': a professional may not rename a code.
    url = reverse("diagnosis:inquiry-code-edit", args=[codes["garde"].pk])
    assert client.get(url).status_code == 403
    client.force_login(alice.coordinator)
    response = client.post(url, {"name": "Accès aux modes d'accueil", "position": "-2"})
    assert response.status_code == 400
    assert "0 au moins" in response.content.decode()
    response = client.post(url, {"name": "Accès aux modes d'accueil", "position": "2"})
    assert response.status_code == 302
    codes["garde"].refresh_from_db()
    assert codes["garde"].name == "Accès aux modes d'accueil"
    # A theme renamed like another is refused on its name.
    response = client.post(url, {"name": "Isolement des parents", "position": "2"})
    assert "Un thème porte déjà ce nom" in response.content.decode()


def test_a_booklet_section_is_edited_and_removed(client, alice):
    section = services.section_save(
        by=alice.coordinator,
        organisation=alice.organisation,
        part="tools",
        position=1,
        title="Guide d'entretien",
        body="Question 1",
    )
    client.force_login(alice.coordinator)
    url = reverse("diagnosis:inquiry-section-edit", args=[section.pk])
    response = client.post(
        url,
        {"part": "tools", "position": "1", "title": "Guide d'entretien", "body": "Q1\r\n\r\nQ2"},
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == "Q1\n\nQ2"
    response = client.post(reverse("diagnosis:inquiry-section-delete", args=[section.pk]))
    assert response.status_code == 302
    assert not type(section).objects.exists()
    assert AuditEntry.objects.filter(action="inquiry.booklet_section_delete").exists()
