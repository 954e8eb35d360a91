"""Peak memory of the largest export (a year of a programme's attendance as CSV, which must
stream). Issue 4 ships no export; reporting (CSV/XLSX/PDF) will. Until one exists this says
so instead of measuring something made up for the occasion."""

from __future__ import annotations

from django.urls import get_resolver

from bench.results import Recorder


def _export_url_names() -> list[str]:
    names = []
    for key in get_resolver().reverse_dict:
        if isinstance(key, str) and ("export" in key or "csv" in key):
            names.append(key)
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        for key in resolver.reverse_dict:
            if isinstance(key, str) and ("export" in key or "csv" in key):
                names.append(f"{namespace}:{key}")
    return sorted(names)


def measure(recorder: Recorder, subjects) -> None:
    names = _export_url_names()
    note = (
        f"export URLs found but not measured yet: {', '.join(names)}"
        if names
        else "no export exists yet: nothing to measure"
    )
    recorder.add("export.largest.peak_memory", None, "MB", "< 300", note=note)
