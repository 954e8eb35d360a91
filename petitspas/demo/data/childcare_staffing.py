"""Les Petits Pas' team and the itinerant micro-crèche the Ville de Lunel plans for 2026
(seed 001). The round's places and addresses are invented."""

from petitspas.childcare.models import Qualification
from petitspas.demo.data.territory import (
    AM,
    FRI,
    LUNEL_AM,
    LUNEL_PM,
    MON,
    PM,
    THU,
    TUE,
    SiteSpec,
    _weekly,
)
from petitspas.places.models import Site

# The seed's team: "2 professionnelles de la petite enfance soutenues par une éducatrice
# de jeunes enfants" (e-mail → qualification; the accounts are in childcare.py).
TEAM = {
    "eje@lunel.demo": Qualification.EJE,
    "auxiliaire@lunel.demo": Qualification.AUXILIARY,
    "aepe@lunel.demo": Qualification.AUXILIARY,
}
# The team is planned on the open half-days of the four weeks from this week's Monday (the
# bookings go three weeks ahead); the EJE is left off one booked half-day next week.
PLANNED_DAYS = 28

ITINERANT = SiteSpec(
    name="Micro-crèche itinérante",
    kind=Site.Kind.MOBILE_UNIT,
    address="Centre technique municipal, avenue des Abrivados",
    postcode="34400",
    commune_code="34145",
    latitude="43.67560",
    longitude="4.13510",
    openings=(
        _weekly((MON, TUE, THU, FRI), AM, *LUNEL_AM) + _weekly((MON, TUE, THU), PM, *LUNEL_PM)
    ),
    access_notes="Le véhicule s'installe chaque jour dans un quartier : voir le lieu du jour.",
)
# Its weekly round (Monday = 0): one place a day, laid out over ROUND_DAYS days.
ROUND = {
    0: ("Salle du Mas de Chambon", "Chemin du Mas de Chambon, 34400 Lunel"),
    1: ("Maison de quartier Gros Cayla", "Rue du Gros Cayla, 34400 Lunel"),
    3: ("Espace Castel", "Place des Martyrs de la Résistance, 34400 Lunel"),
    4: ("Salle des Abrivados", "Avenue des Abrivados, 34400 Lunel"),
}
ROUND_DAYS = 42
