"""What the Point Info Famille desk noted under a family's name (an appointment, a visit
it agreed to have named, an orientation) is in its export and leaves with its name."""

from petitspas.directory.models import Appointment, Orientation, Service, Structure, Visit
from petitspas.families.tests.factories import HouseholdFactory
from petitspas.privacy.services import household_anonymise, household_export
from petitspas.web.tests.test_isolation import desk_and_network_rows


def test_the_desk_rows_are_exported_then_unlinked(alice):
    household = HouseholdFactory(organisation=alice.organisation)
    structure = Structure.objects.create(
        organisation=alice.organisation, source_id="alice--privacy", nom="Maison Alice"
    )
    service = Service.objects.create(structure=structure, source_id="alice--p1", nom="Écoute")
    desk_and_network_rows(alice, structure, service, household)
    desk = household_export(household=household, by=alice.coordinator)["point_info_famille"]
    assert [a["first_name"] for a in desk["appointments"]] == ["Zéphyrine"]
    assert len(desk["visits"]) == 1
    assert [o["service"] for o in desk["orientations"]] == [service.nom]

    household_anonymise(household=household, by=alice.admin)
    assert not Appointment.objects.filter(household=household).exists()
    assert not Visit.objects.filter(household=household).exists()
    assert not Orientation.objects.filter(household=household).exists()
    # The rows stay for the desk's counts, naming no one.
    assert Orientation.objects.get(service=service).note == ""
    assert Appointment.objects.get().first_name == ""
    assert Visit.objects.get().consent is False
