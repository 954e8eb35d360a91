"""Scoping overhead: the family list as a member of one organisation (``visible_to``, what
the page runs) against the same query unscoped, the reference timed just before each run.

Two references: the same query over every household of the territory (literally unscoped),
and the same query filtered by the organisation's id written by hand, open files only as
the page lists them (the cost of resolving the user's memberships alone)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch

from bench.results import Recorder, percentile, timed
from petitspas.families.models import Household
from petitspas.families.selectors import households_search, people_in_order

WARMUP = 3
RUNS = 30
PAGE_SIZE = 25


def _first_page(households) -> int:
    """What the list page evaluates: the count and the first page with its people."""
    page = Paginator(households, PAGE_SIZE).get_page(1)
    return len(list(page.object_list)) + page.paginator.count


def _same_query(households):
    # households_search's chain without visible_to: same joins, prefetch and order.
    return (
        households.select_related("housing_site")
        .prefetch_related(Prefetch("people", queryset=people_in_order()))
        .order_by("code", "pk")
    )


def measure(recorder: Recorder, subjects) -> None:
    member = subjects.coordinator
    organisation = subjects.organisation
    runs = {"scoped": [], "unscoped": [], "by_id": []}
    for index in range(WARMUP + RUNS):
        unscoped, _ = timed(_first_page, _same_query(Household.objects.all()))
        by_id, _ = timed(
            _first_page,
            _same_query(
                Household.objects.filter(
                    organisation_id=organisation.pk, anonymised_at__isnull=True
                )
            ),
        )
        scoped, _ = timed(_first_page, households_search(user=member))
        if index >= WARMUP:
            runs["scoped"].append(scoped)
            runs["unscoped"].append(unscoped)
            runs["by_id"].append(by_id)
    scoped, unscoped, by_id = (percentile(runs[k], 50) for k in ("scoped", "unscoped", "by_id"))
    families = Household.objects.filter(organisation_id=organisation.pk).count()
    recorder.add(
        "scoping.family_list.scoped.p50",
        scoped,
        "ms",
        note=f"{member.email}, {families:,} of {Household.objects.count():,} households",
    )
    recorder.add("scoping.family_list.unscoped.p50", unscoped, "ms")
    recorder.add("scoping.overhead_vs_unscoped", 100 * (scoped - unscoped) / unscoped, "%", "< 20")
    recorder.add(
        "scoping.overhead_vs_organisation_id",
        100 * (scoped - by_id) / by_id,
        "%",
        "< 20",
        note=f"same query filtered by organisation id by hand: {by_id:.2f} ms",
    )
