"""Where families are not reached (seed 000): "En Seine-Saint-Denis, ce sont 5 261 enfants,
dont 4 635 âgés de 0 et 6 ans, qui vivent dans 127 hôtels sociaux."

The reference list of the 93's social hotels is ``social_hotels_93.csv``, the sample file of
the CSV import: an invented list that totals the seed's 127 hotels and 5,261 children. Its
six hotels the team visits are the demo's hotel sites (column ``lieu``), with their
addresses; the others have neutral numbered names, no address and their town's centre as
coordinates, because a demo must not point at where a family lives."""

from pathlib import Path

HOTELS_CSV = Path(__file__).with_name("social_hotels_93.csv")

PROGRAMME = ("Asmae", "Espace Petits Pas")

# The seed's figures. It gives no year: it compares the year's reach with 2021, so its
# figures are of 2022 at the earliest.
REFERENCE = {
    "departement": "93",
    "hotels": 127,
    "children": 5261,
    "children_0_6": 4635,
    "source": "Asmae, présentation du projet Espace Petits Pas",
    "year": 2022,
}
