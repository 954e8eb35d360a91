"""One export, in a process of its own so that its peak memory is its own:

    python -m bench.export_probe --format csv

Signs in as the largest programme's coordinator, downloads that programme's attendance
rows over the whole territory (at most the five years a period may span) and prints one
JSON line: rows, seconds, the process's resident memory before the request and its peak.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import django


def _memory_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=("csv", "xlsx"), required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from bench.measure_pages import _client
    from bench.subjects import largest_programme

    largest = largest_programme()
    client = _client(largest.planner)
    url = (
        f"/indicateurs/{largest.programme.pk}/presences.{args.format}"
        f"?start={largest.first:%Y-%m-%d}&end={largest.last:%Y-%m-%d}"
    )
    before = _memory_mb("VmRSS")
    began = time.perf_counter()
    response = client.get(url)
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - began
    print(
        json.dumps(
            {
                "status": response.status_code,
                "rows": largest.rows,
                "bytes": size,
                "lines": lines,
                "seconds": seconds,
                "rss_before_mb": before,
                "peak_mb": _memory_mb("VmHWM"),
            }
        )
    )


if __name__ == "__main__":
    main()
