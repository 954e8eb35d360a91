"""Where the demo's Cabanes can be copied (seed 003: "une extension à d'autres PMI après
l'expérimentation sur deux sites"; in Seine-Saint-Denis several towns run PMI centres of
their own under an agreement with the Département). The Ville de Saint-Denis has no
programme yet; the Département's demo coordinator also coordinates it, so that she can try
"Copier vers un autre territoire" with the Cabanes. Nothing is copied in advance."""

from petitspas.accounts.models import User
from petitspas.demo.data.territory import SEINE_SAINT_DENIS
from petitspas.organisations.models import Membership, Organisation, Role

TARGET = "Ville de Saint-Denis"
COORDINATOR = "coordination@seinesaintdenis.demo"


def load_replication_target(*, result) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        name=TARGET,
        defaults={"kind": Organisation.Kind.MUNICIPALITY, "departement": "93"},
    )
    result.tally("organisations", created)
    coordinator = User.objects.get(
        email=COORDINATOR, memberships__organisation__name=SEINE_SAINT_DENIS
    )
    _, created = Membership.objects.update_or_create(
        user=coordinator,
        organisation=organisation,
        defaults={"role": Role.COORDINATOR, "is_active": True},
    )
    result.tally("adhésions", created)
    return organisation
