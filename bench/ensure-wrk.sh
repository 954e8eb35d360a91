#!/usr/bin/env bash
# wrk drives the concurrent clients of the throughput measurements (Debian's package).
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
"$(dirname "$0")/../scripts/debian-install.sh" "the throughput measurements" wrk
