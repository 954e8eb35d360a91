import datetime

from petitspas.demo.data.territory import PARIS
from petitspas.demo.diagnosis_inquiry import COORDINATOR, PROFESSIONAL, load_inquiry
from petitspas.diagnosis.booklet import diff_snapshots
from petitspas.diagnosis.models import Area, BookletEdition, Code, InquiryRecord, Passage
from petitspas.diagnosis.synthesis import area_synthesis
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


def test_demo_codes_interviews_and_a_focus_group_on_the_four_paris_areas(db):
    paris = OrganisationFactory(name=PARIS)
    MembershipFactory(
        organisation=paris, role=Role.COORDINATOR, user=UserFactory(email=COORDINATOR)
    )
    MembershipFactory(
        organisation=paris, role=Role.PROFESSIONAL, user=UserFactory(email=PROFESSIONAL)
    )
    load_inquiry(today=datetime.date(2026, 12, 5))
    assert Area.objects.filter(organisation=paris).count() == 4
    assert set(Code.objects.filter(parent=None).values_list("name", flat=True)) == {
        "Isolement des parents",
        "Accès aux modes de garde",
        "Usage de l'espace public",
        "Langue et interprétariat",
    }
    assert Code.objects.exclude(parent=None).count() == 10
    records = InquiryRecord.objects.all()
    assert sorted(records.values_list("method", flat=True)) == [
        "focus_group",
        "interview",
        "interview",
        "interview",
        "observation",
    ]
    assert not records.exclude(participant_name="").exists()
    assert {r.area.commune for r in records} == {"75112", "75114", "75118", "75119"}
    assert Passage.objects.count() == 17
    focus = records.get(method="focus_group")
    synthesis = area_synthesis(focus.area)
    top = synthesis["themes"][0]
    assert (top.code.name, top.passages) == ("Accès aux modes de garde", 3)
    first, second = BookletEdition.objects.order_by("number")
    assert (first.published_on, second.published_on) == (
        datetime.date(2026, 10, 21),
        datetime.date(2026, 11, 30),
    )
    changes = diff_snapshots(first.snapshot, second.snapshot)
    assert changes["added"] == ["Les enseignements : « La durée de la démarche »"]
    # Loading again adds nothing.
    load_inquiry(today=datetime.date(2026, 12, 6))
    assert InquiryRecord.objects.count() == 5
    assert BookletEdition.objects.count() == 2
