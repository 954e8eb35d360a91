#!/usr/bin/env bash
# WeasyPrint (the report, the guide and the booklets as PDF) needs Pango, and HarfBuzz's
# subsetter to embed only the glyphs a document uses; without the latter it warns that a
# future version will require it, and the tests treat that warning as an error.
set -euo pipefail
missing=()
ldconfig -p | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
if [ ${#missing[@]} -gt 0 ]; then
  "$(dirname "$0")/debian-install.sh" WeasyPrint "${missing[@]}"
fi
