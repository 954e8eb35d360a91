import datetime

from petitspas.demo.data.territory import SURESNES, SURESNES_PARTNER
from petitspas.demo.directory import load_directory
from petitspas.demo.guide import COORDINATOR, load_guide
from petitspas.directory.guide import diff_snapshots
from petitspas.directory.models import GuideEdition
from petitspas.organisations.models import Role
from petitspas.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


def test_demo_has_two_guide_editions_with_changes_between_them(db):
    town = OrganisationFactory(name=SURESNES, kind="municipality", departement="92")
    OrganisationFactory(name=SURESNES_PARTNER, kind="partner", departement="92")
    MembershipFactory(organisation=town, role=Role.COORDINATOR, user=UserFactory(email=COORDINATOR))
    load_directory()
    load_guide(today=datetime.date(2026, 12, 5))
    first, second = GuideEdition.objects.order_by("number")
    assert (first.number, first.published_on) == (1, datetime.date(2026, 8, 5))
    assert (second.number, second.published_on) == (2, datetime.date(2026, 11, 25))
    assert len(first.snapshot["structures"]) == 40
    assert len(second.snapshot["structures"]) == 39
    changes = diff_snapshots(first.snapshot, second.snapshot)
    assert [i["nom"] for i in changes["added"]] == ["Permanence du samedi matin"]
    removed = [(i["kind"], i["nom"]) for i in changes["removed"]]
    assert removed[0] == ("structure", "Atelier bien-être des mamans")
    assert {kind for kind, _ in removed[1:]} == {"service"}
    modified = {i["nom"]: {f["label"] for f in i["fields"]} for i in changes["modified"]}
    assert modified == {
        "Ludothèque La Toupie": {"téléphone", "horaires"},
        "Consultations des nourrissons": {"description"},
    }
    added = next(s for s in second.snapshot["services"] if s["nom"] == "Permanence du samedi matin")
    assert added["horaires"] == ["Le 1er samedi du mois : 9 h 30 – 12 h"]
    # Loading again adds nothing.
    load_guide(today=datetime.date(2026, 12, 6))
    assert GuideEdition.objects.count() == 2
