"""Rows of the qualitative diagnosis for tests: an area, a codebook, a record."""

import datetime

from petitspas.diagnosis.models import Area, Code, InquiryRecord
from petitspas.diagnosis.models.inquiry import PROFILES


def make_area(organisation, name="Quartier Flandre (19e)", commune="75119") -> Area:
    return Area.objects.get_or_create(
        organisation=organisation, name=name, defaults={"commune": commune}
    )[0]


def make_code(organisation, name, *, parent=None, position=0) -> Code:
    return Code.objects.create(
        organisation=organisation, parent=parent, name=name, position=position
    )


def make_record(
    area,
    *,
    transcript="",
    held_on=datetime.date(2025, 3, 4),
    method="interview",
    title="Entretien avec une mère",
    **fields,
) -> InquiryRecord:
    """A record of ``area``; one parent took part unless ``fields`` give other counts."""
    if not any(fields.get(profile) for profile in PROFILES):
        fields["parents"] = 1
    return InquiryRecord.objects.create(
        organisation=area.organisation,
        area=area,
        held_on=held_on,
        method=method,
        title=title,
        transcript=transcript,
        **fields,
    )


def inquiry_rows(alice) -> dict:
    """Organisation A's qualitative diagnosis for the isolation walk: an area, a record
    naming its participant (with consent) and its attachment, a coded passage, the
    codebook, a booklet section and edition."""
    from petitspas.diagnosis.models import Attachment, BookletEdition, BookletSection, Passage

    area = make_area(alice.organisation, name="Quartier Alice")
    record = make_record(
        area,
        transcript="Zéphyrine raconte le square fermé.",
        consent=True,
        participant_name="Zéphyrine",
        title="Entretien avec Zéphyrine",
    )
    attachment = Attachment.objects.create(
        record=record,
        file=f"diagnostic/{alice.organisation.pk}/alice.pdf",
        name="Zéphyrine.pdf",
        content_type="application/pdf",
        size=10,
    )
    theme = make_code(alice.organisation, "Usage de l'espace public")
    passage = Passage.objects.create(record=record, start=0, end=10, excerpt="Zéphyrine")
    passage.codes.add(theme)
    section = BookletSection.objects.create(
        organisation=alice.organisation, part="method", title="Étape 1", body="Zéphyrine"
    )
    edition = BookletEdition.objects.create(
        organisation=alice.organisation,
        number=1,
        published_on=datetime.date(2030, 1, 7),
        snapshot={
            "version": 1,
            "built_on": "2030-01-07",
            "organisation": alice.organisation.name,
            "sections": [],
            "codebook": [],
            "areas": [],
        },
    )
    return {
        "area_pk": area.pk,
        "record_pk": record.pk,
        "attachment_pk": attachment.pk,
        "passage_pk": passage.pk,
        "code_pk": theme.pk,
        "section_pk": section.pk,
        "booklet_edition_pk": edition.pk,
    }
