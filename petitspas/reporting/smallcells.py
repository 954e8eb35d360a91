"""Small cells: the one function every output of figures goes through (page, CSV, XLSX,
API).

A count of 1 to 4 people is shown "< 5" (primary suppression). Then, for every sum that
holds between published cells (a total and its parts), a single hidden cell could be
recovered by subtracting the others from the total: another cell of that sum is hidden
too, the smallest visible part that is not 0 (else the total), until no sum has exactly one hidden
cell (secondary suppression). 0 stays 0: it names nobody. A figure computed from a hidden
one (a share) is hidden with it.
"""

from collections.abc import Iterable, Mapping

SMALL = "< 5"
THRESHOLD = 5


def is_small(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def protect(
    cells: Mapping,
    *,
    protected: Iterable,
    constraints: Iterable[tuple[object, list]] = (),
    derived: Mapping | None = None,
) -> dict:
    """``cells`` with the hidden ones replaced by ``SMALL``. ``protected``: the keys that
    count people; ``constraints``: ``(total, parts)`` where ``total`` = sum of ``parts``;
    ``derived``: key → the key it is computed from."""
    constraints = [(total, list(parts)) for total, parts in constraints]
    hidden = {key for key in protected if key in cells and is_small(cells[key])}
    changed = True
    while changed:
        changed = False
        for total, parts in constraints:
            members = [k for k in (total, *parts) if k in cells and cells[k] is not None]
            if sum(k in hidden for k in members) != 1:
                continue
            shown = [k for k in parts if k in members and k not in hidden]
            # Hiding a 0 would leave the hidden cells' sum to name the small one.
            visible = sorted((k for k in shown if cells[k] != 0), key=lambda k: cells[k])
            if not visible and total in members and total not in hidden:
                visible = [total]
            visible = visible or shown
            if visible:
                hidden.add(visible[0])
                changed = True
    for key, source in (derived or {}).items():
        if source in hidden and key in cells:
            hidden.add(key)
    return {key: SMALL if key in hidden else value for key, value in cells.items()}
