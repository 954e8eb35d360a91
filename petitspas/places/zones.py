"""School-holiday zones (A, B, C) of metropolitan France, from each département's académie.

This table is the only place that knows it. Corsica and overseas départements have their
own calendars, which ``vacances-scolaires-france`` does not carry: they get ``None``.
"""

ACADEMIES = {
    # Zone A
    "Besançon": ("A", ["25", "39", "70", "90"]),
    "Bordeaux": ("A", ["24", "33", "40", "47", "64"]),
    "Clermont-Ferrand": ("A", ["03", "15", "43", "63"]),
    "Dijon": ("A", ["21", "58", "71", "89"]),
    "Grenoble": ("A", ["07", "26", "38", "73", "74"]),
    "Limoges": ("A", ["19", "23", "87"]),
    "Lyon": ("A", ["01", "42", "69"]),
    "Poitiers": ("A", ["16", "17", "79", "86"]),
    # Zone B
    "Aix-Marseille": ("B", ["04", "05", "13", "84"]),
    "Amiens": ("B", ["02", "60", "80"]),
    "Lille": ("B", ["59", "62"]),
    "Nancy-Metz": ("B", ["54", "55", "57", "88"]),
    "Nantes": ("B", ["44", "49", "53", "72", "85"]),
    "Nice": ("B", ["06", "83"]),
    "Normandie": ("B", ["14", "27", "50", "61", "76"]),
    "Orléans-Tours": ("B", ["18", "28", "36", "37", "41", "45"]),
    "Reims": ("B", ["08", "10", "51", "52"]),
    "Rennes": ("B", ["22", "29", "35", "56"]),
    "Strasbourg": ("B", ["67", "68"]),
    # Zone C
    "Créteil": ("C", ["77", "93", "94"]),
    "Montpellier": ("C", ["11", "30", "34", "48", "66"]),
    "Paris": ("C", ["75"]),
    "Toulouse": ("C", ["09", "12", "31", "32", "46", "65", "81", "82"]),
    "Versailles": ("C", ["78", "91", "92", "95"]),
}

ZONE_BY_DEPARTEMENT = {
    departement: zone for zone, departements in ACADEMIES.values() for departement in departements
}


def school_zone_for_departement(departement: str) -> str | None:
    return ZONE_BY_DEPARTEMENT.get(departement)
