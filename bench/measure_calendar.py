"""The opening function: every site's openings over one year, per site and in total, with
the rules read from the database once (prefetched) as a page would."""

from __future__ import annotations

import datetime
import time

from bench.results import Recorder, percentile
from petitspas.places.calendar import SiteCalendar
from petitspas.places.models import Site

RUNS = 3


def _sites() -> list[Site]:
    return list(
        Site.objects.prefetch_related("weekly_openings", "closures", "relocations").order_by("pk")
    )


def measure(recorder: Recorder, subjects) -> None:
    # The past year: its school holidays are always published, whatever the day of the run.
    end = subjects.today - datetime.timedelta(days=1)
    start = end - datetime.timedelta(days=364)
    best_total, per_site, openings = None, [], 0
    for _ in range(RUNS):
        began = time.perf_counter()
        sites = _sites()
        loaded = time.perf_counter()
        times, found = [], 0
        for site in sites:
            site_began = time.perf_counter()
            found += len(SiteCalendar.for_site(site).openings(start, end))
            times.append((time.perf_counter() - site_began) * 1000)
        total = (time.perf_counter() - began) * 1000
        if best_total is None or total < best_total[0]:
            best_total = (total, (loaded - began) * 1000, times)
        openings = found
    total, load_ms, per_site = best_total
    compute = sum(per_site)
    count = len(per_site)
    recorder.add(
        "calendar.all_sites_one_year.total",
        total,
        "ms",
        note=f"{count} sites, {openings:,} openings; reading their rules: {load_ms:.0f} ms",
    )
    recorder.add("calendar.per_site_year.mean", compute / count, "ms")
    recorder.add("calendar.per_site_year.p95", percentile(per_site, 95), "ms")
    recorder.add("calendar.per_site_month", compute / count / 12, "ms", "< 1")
