import datetime

import factory
from django.utils import timezone

from petitspas.childcare.models import Pathway, Referral, ReferralChild, ReferralTransition, State
from petitspas.organisations.models import Organisation, PrescriberKind, ProgrammePrescriber
from petitspas.organisations.tests.factories import OrganisationFactory, ProgrammeFactory


class PrescriberOrganisationFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"France Travail agence {n}")
    kind = Organisation.Kind.PRESCRIBER
    prescriber_kind = PrescriberKind.FRANCE_TRAVAIL
    departement = "34"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A new referral with one child of 1 year; the prescriber organisation is linked to
    the programme."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    prescriber_organisation = factory.SubFactory(PrescriberOrganisationFactory)
    parent_first_name = "Amina"
    contact_phone = "06 12 34 56 78"
    pathway = Pathway.FRANCE_TRAVAIL
    adviser_name = "Julien Fabre"
    needed_from = factory.LazyFunction(timezone.localdate)
    needs = "Mardis matin : formation."

    @factory.post_generation
    def link(obj, create, extracted, **kwargs):
        ProgrammePrescriber.objects.get_or_create(
            programme=obj.programme, organisation=obj.prescriber_organisation
        )
        ReferralTransition.objects.create(referral=obj, from_state="", to_state=State.NEW)

    @factory.post_generation
    def children(obj, create, extracted, **kwargs):
        for first_name, birth_date in extracted or [
            ("Lina", obj.needed_from - datetime.timedelta(days=365))
        ]:
            ReferralChild.objects.create(referral=obj, first_name=first_name, birth_date=birth_date)


def enrol(
    programme,
    *,
    first_name="Lina",
    birth_date,
    starts_on,
    ends_on=None,
    settling_in_until=None,
    reference_week=("1am", "3am"),
):
    """An accepted referral to ``programme`` with one enrolled child, its file in the
    programme's organisation."""
    from petitspas.childcare.models import Enrolment
    from petitspas.families.tests.factories import HouseholdFactory, PersonFactory

    household = HouseholdFactory(organisation=programme.organisation)
    person = PersonFactory(
        household=household, role="child", first_name=first_name, birth_date=birth_date
    )
    referral = ReferralFactory(
        programme=programme,
        state=State.ACCEPTED,
        household=household,
        needed_from=starts_on,
        children=[(first_name, birth_date)],
    )
    return Enrolment.objects.create(
        programme=programme,
        referral=referral,
        child=person,
        starts_on=starts_on,
        ends_on=ends_on,
        settling_in_until=settling_in_until or starts_on,
        reference_week=list(reference_week),
    )
