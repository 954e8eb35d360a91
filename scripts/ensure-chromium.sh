#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  "$(dirname "$0")/debian-install.sh" "the browser tests" chromium
fi
