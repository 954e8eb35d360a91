"""The diagnosis method (codebook, method, tools and groups' sections of the booklet) is a
part of a programme's copy: it goes to the new programme's organisation, without the
source's records, passages or lessons, and without doubling what the target has."""

import pytest
from django.core.exceptions import PermissionDenied

from petitspas.core.models import AuditEntry
from petitspas.diagnosis import replication_method, services_replication
from petitspas.diagnosis.models.inquiry import BookletPart, BookletSection, Code, Passage
from petitspas.diagnosis.services_replication import programme_copy
from petitspas.diagnosis.tests.inquiry_fixtures import make_area, make_code, make_record
from petitspas.diagnosis.tests.test_replication_services import _choices, cabanes  # noqa: F401
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import MembershipFactory


@pytest.fixture
def method(cabanes):  # noqa: F811
    """The Département's codebook (2 themes, 3 codes) and booklet (one section per part),
    with a coded interview."""
    organisation = cabanes.organisation
    isolation = make_code(organisation, "Isolement des parents", position=1)
    make_code(organisation, "Arrivée récente", parent=isolation)
    make_code(organisation, "Pas de famille proche", parent=isolation, position=1)
    care = make_code(organisation, "Accès aux modes de garde", position=2)
    make_code(organisation, "Liste d'attente", parent=care)
    for part, title in (
        (BookletPart.METHOD, "1. Constituer le groupe d'ingénierie"),
        (BookletPart.TOOLS, "Guide d'entretien avec les parents"),
        (BookletPart.ROLES, "Les habitants-relais"),
        (BookletPart.LESSONS, "Ce que nous avons appris à La Courneuve"),
    ):
        BookletSection.objects.create(organisation=organisation, part=part, title=title, body="…")
    record = make_record(make_area(organisation), transcript="Je ne connais personne ici.")
    passage = Passage.objects.create(record=record, start=0, end=27, excerpt=record.transcript)
    passage.codes.add(isolation)
    return organisation


def test_the_method_is_offered_and_copied_with_the_programme(cabanes, method):  # noqa: F811
    assert replication_method.PART in services_replication.parts_available(
        cabanes.programme, cabanes.coordinator
    )
    programme = programme_copy(by=cabanes.coordinator, **_choices(cabanes, parts=["method"]))
    target = programme.organisation
    themes = Code.objects.filter(organisation=target, parent=None).order_by("position")
    assert [t.name for t in themes] == ["Isolement des parents", "Accès aux modes de garde"]
    assert sorted(
        Code.objects.filter(organisation=target, parent__name="Isolement des parents").values_list(
            "name", flat=True
        )
    ) == ["Arrivée récente", "Pas de famille proche"]
    assert Code.objects.filter(organisation=target).count() == 5
    parts = dict(BookletSection.objects.filter(organisation=target).values_list("part", "title"))
    assert parts == {
        BookletPart.METHOD: "1. Constituer le groupe d'ingénierie",
        BookletPart.TOOLS: "Guide d'entretien avec les parents",
        BookletPart.ROLES: "Les habitants-relais",
    }  # the lessons are the source territory's own
    assert not Passage.objects.filter(record__organisation=target).exists()
    entry = AuditEntry.objects.get(action="replication.copy")
    assert entry.details["method"] == {"codes": 5, "sections": 3}
    assert AuditEntry.objects.filter(action="inquiry.method_copy").count() == 1


def test_a_second_copy_does_not_double_the_target_method(cabanes, method):  # noqa: F811
    programme_copy(by=cabanes.coordinator, **_choices(cabanes, parts=["method"]))
    second = programme_copy(
        by=cabanes.coordinator,
        **_choices(cabanes, parts=["method"], name="Cabane des 1000 premiers jours – Franc-Moisin"),
    )
    assert Code.objects.filter(organisation=second.organisation).count() == 5
    assert BookletSection.objects.filter(organisation=second.organisation).count() == 3


def test_without_a_method_nothing_is_offered(cabanes):  # noqa: F811
    assert replication_method.PART not in services_replication.parts_available(
        cabanes.programme, cabanes.coordinator
    )


def test_a_funder_of_the_source_cannot_carry_its_method(cabanes, method):  # noqa: F811
    funder = MembershipFactory(organisation=cabanes.organisation, role=Role.FUNDER).user
    assert not replication_method.available(cabanes.programme, funder)
    with pytest.raises(PermissionDenied):
        replication_method.copy(source=cabanes.programme, programme=cabanes.programme, by=funder)
