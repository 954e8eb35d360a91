"""One results format for every measured capability, and the few statistics they share.

A measurement is ``{"name", "database", "scale", "value", "unit", "target",
"meets_target"}`` (plus ``"note"`` when something needs saying). ``target`` reads
``"< 50"``, ``">= 50"`` or ``"= 1"`` in the measurement's unit, ``None`` for figures
recorded as a baseline; ``meets_target`` is ``None`` when there is no target or no value.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterable


@dataclasses.dataclass
class Measurement:
    name: str
    database: str
    scale: str
    value: float | None
    unit: str
    target: str | None = None
    note: str = ""

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        operator, _, bound = self.target.partition(" ")
        bound = float(bound)
        return {
            "<": self.value < bound,
            "<=": self.value <= bound,
            ">": self.value > bound,
            ">=": self.value >= bound,
            "=": self.value == bound,
        }[operator]

    def as_dict(self) -> dict:
        data = {
            "name": self.name,
            "database": self.database,
            "scale": self.scale,
            "value": None if self.value is None else round(self.value, 3),
            "unit": self.unit,
            "target": self.target,
            "meets_target": self.meets_target,
        }
        if self.note:
            data["note"] = self.note
        return data


class Recorder:
    """Collects the measurements of one database and scale, and says each as it comes."""

    def __init__(self, *, database: str, scale: str, out: Callable[[str], None] = print):
        self.database = database
        self.scale = scale
        self.out = out
        self.measurements: list[Measurement] = []

    def add(self, name: str, value, unit: str, target: str | None = None, note: str = ""):
        measurement = Measurement(name, self.database, self.scale, value, unit, target, note)
        self.measurements.append(measurement)
        shown = "—" if value is None else f"{value:,.3f}".rstrip("0").rstrip(".")
        verdict = {True: "  ✔", False: "  ✘ missed", None: ""}[measurement.meets_target]
        wanted = f" (target {target} {unit})" if target else ""
        self.out(f"    {name}: {shown} {unit}{wanted}{verdict}")
        return measurement


def percentile(values: Iterable[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..100) of at least one value."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


def timed(function: Callable, *args, **kwargs) -> tuple[float, object]:
    """(milliseconds, result) of one call."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def markdown_table(measurements: list[dict], databases: list[str]) -> str:
    """One row per measurement, one column per database, the verdict beside each value."""
    names: list[tuple[str, str, str | None]] = []
    cells: dict[tuple[str, str], str] = {}
    for m in measurements:
        key = (m["name"], m["unit"], m["target"])
        if key not in names:
            names.append(key)
        if m["value"] is None:
            cell = "not measurable yet"
        else:
            cell = f"{m['value']:,.2f}".rstrip("0").rstrip(".")
            cell += {True: " ✔", False: " ✘", None: ""}[m["meets_target"]]
        cells[(m["name"], m["database"])] = cell
    header = ["measurement", "unit", "target", *databases]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, unit, target in names:
        row = [name, unit, target or "baseline", *(cells.get((name, d), "") for d in databases)]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def growth(smaller: list[dict], larger: list[dict]) -> list[dict]:
    """For each page's p95 measured at both scales (``pages.<page>.p95``), the larger
    territory's over the smaller's, the same page for the same kind of user (issue 20:
    at most 1.5 x from town to département)."""
    at_smaller = {m["name"]: m for m in smaller}
    found = []
    for big in larger:
        name = big["name"]
        # Only what the smaller run measured too (it runs measure_pages alone).
        if not (name.startswith("pages.") and name.endswith(".p95")) or name not in at_smaller:
            continue
        small = at_smaller[name]
        value = note = None
        if small["value"] is None or big["value"] is None:
            note = "not measured at both scales"
        elif small["value"] > 0:
            value = big["value"] / small["value"]
            note = (
                f"p95 {big['value']:.1f} ms at {big['scale']} ÷ "
                f"{small['value']:.1f} ms at {small['scale']}"
            )
        # The bare view is the reference: it does not depend on the territory.
        target = None if name == "pages.bare_view.p95" else "<= 1.5"
        found.append(
            Measurement(
                name.removesuffix(".p95") + ".p95_growth",
                big["database"],
                big["scale"],
                value,
                "x",
                target,
                note or "",
            ).as_dict()
        )
    return found
