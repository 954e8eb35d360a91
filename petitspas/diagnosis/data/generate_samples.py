"""Writes the diagnosis' sample files: ``paris_iris.geojson`` (IGN « Contours IRIS » shape)
and ``paris_indicateurs.csv`` (INSEE « base infracommunale » shape) for the demo's four
Paris micro-neighbourhoods (seed 004) and the tests.

The contours and the figures are INVENTED: plausible places and orders of magnitude
(each neighbourhood as three IRIS around the programme's site, two more IRIS of its
arrondissement beside it), not IGN's or INSEE's data, which the project cannot download.
The arrondissements' and Paris' rows use their real population (the official commune
list) and plausible shares. Run ``python -m petitspas.diagnosis.data.generate_samples``.
"""

import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
# name, commune, (west, south, east, north) of the neighbourhood, neighbours' box, how
# hard-pressed it is (share of households under the poverty line)
AREAS = (
    (
        "Quartier Porte de Vincennes (12e)",
        "75112",
        (2.3830, 48.8380, 2.4120, 48.8500),
        (2.3830, 48.8300, 2.4120, 48.8380),
        0.19,
    ),
    (
        "Quartier Didot – Porte de Vanves (14e)",
        "75114",
        (2.3000, 48.8240, 2.3180, 48.8330),
        (2.3000, 48.8330, 2.3180, 48.8400),
        0.24,
    ),
    (
        "Quartier Porte Montmartre – Porte de Clignancourt (18e)",
        "75118",
        (2.3300, 48.8930, 2.3520, 48.9010),
        (2.3300, 48.8860, 2.3520, 48.8930),
        0.33,
    ),
    (
        "Quartier Flandre (19e)",
        "75119",
        (2.3700, 48.8830, 2.3880, 48.8930),
        (2.3880, 48.8830, 2.3980, 48.8930),
        0.31,
    ),
)
STREETS = {
    "75112": ("Bel-Air Sud", "Picpus Est", "Porte de Vincennes", "Daumesnil", "Wattignies"),
    "75114": ("Didot", "Porte de Vanves", "Plaisance Sud", "Pernety", "Raymond Losserand"),
    "75118": ("Porte Montmartre", "Championnet", "Clignancourt", "Amiraux", "Simplon"),
    "75119": ("Flandre Nord", "Crimée", "Riquet", "Curial", "Ourcq"),
}
# The arrondissements' and Paris' population (official commune list) and poverty share.
COMMUNES = (
    ("75112", 138024, 0.14),
    ("75114", 134382, 0.14),
    ("75118", 188446, 0.23),
    ("75119", 181616, 0.25),
    ("75056", 2103778, 0.15),
)


def strip_polygons(box, count, rng):
    """``count`` vertical strips of ``box``; the edge between two strips is bent a little
    at mid-height, the same bend for both, so that neighbours share their edge."""
    west, south, east, north = box
    step = (east - west) / count
    mid = (south + north) / 2
    bends = [0.0] + [rng.uniform(-0.0008, 0.0008) for _ in range(count - 1)] + [0.0]
    rings = []
    for i in range(count):
        x0, x1 = west + i * step, west + (i + 1) * step
        ring = [
            [x0, south],
            [x1, south],
            [x1 + bends[i + 1], mid],
            [x1, north],
            [x0, north],
            [x0 + bends[i], mid],
            [x0, south],
        ]
        rings.append([[round(x, 5), round(y, 5)] for x, y in ring])
    return rings


def figures(population, poverty, rng):
    households = round(population * rng.uniform(0.50, 0.56))
    families = round(population * rng.uniform(0.19, 0.24))
    return {
        "P21_POP": population,
        "P21_POP0002": round(population * rng.uniform(0.027, 0.036)),
        "P21_POP0305": round(population * rng.uniform(0.028, 0.037)),
        "P21_POP0610": round(population * rng.uniform(0.045, 0.058)),
        "C21_MEN": households,
        "C21_FAM": families,
        "C21_FAMMONO": round(families * rng.uniform(0.24, 0.36)),
        "MEN_PAUV": round(households * poverty * rng.uniform(0.9, 1.1)),
    }


def main():
    rng = random.Random(4)  # seed 004
    features, rows = [], []
    for name, commune, box, neighbours, poverty in AREAS:
        streets = STREETS[commune]
        polygons = strip_polygons(box, 3, rng) + strip_polygons(neighbours, 2, rng)
        for index, ring in enumerate(polygons):
            code = f"{commune}{4701 + index:04d}"
            properties = {
                "CODE_IRIS": code,
                "NOM_IRIS": streets[index],
                "INSEE_COM": commune,
                "TYP_IRIS": "H",
            }
            if index < 3:
                properties["QUARTIER"] = name
            features.append(
                {
                    "type": "Feature",
                    "properties": properties,
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            )
            population = rng.randint(1900, 3200)
            share = poverty * (1.25 if index < 3 else 0.85)
            rows.append(
                {"IRIS": code, "LIBIRIS": streets[index], **figures(population, share, rng)}
            )
    for commune, population, poverty in COMMUNES:
        rows.append({"IRIS": commune, "LIBIRIS": "", **figures(population, poverty, rng)})
    (HERE / "paris_iris.geojson").write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1
        )
        + "\n",
        encoding="utf-8",
    )
    with open(HERE / "paris_indicateurs.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
