"""A kept page compressed once, sent to each visitor with their own value in place of its
markers: what any gzip reader inflates is exactly the visitor's text."""

import gzip
import zlib

from hypothesis import given
from hypothesis import strategies as st

from petitspas.core.gzipped import STORED_MAX, deflated_parts, gzipped

MARKER = b"ppCsrfTokenOfTheVisitorPlaceholder"
stretch = st.binary(max_size=3000).map(lambda b: b.replace(MARKER, b""))


@given(stretches=st.lists(stretch, min_size=1, max_size=6), value=st.binary(max_size=200))
def test_any_page_and_value_inflate_to_the_visitors_text(stretches, value):
    page = MARKER.join(stretches)
    text = page.replace(MARKER, value)

    packed = gzipped(deflated_parts(page, MARKER), value, text)

    assert gzip.decompress(packed) == text
    assert zlib.decompress(packed, wbits=31) == text  # what a browser's inflater reads


def test_a_value_longer_than_a_stored_block_and_a_page_without_marker():
    page = b"<p>" + MARKER + b"</p>" + MARKER
    value = bytes(range(256)) * (STORED_MAX // 256 + 3)
    text = page.replace(MARKER, value)

    assert gzip.decompress(gzipped(deflated_parts(page, MARKER), value, text)) == text
    plain = b"<html>" + b"agenda " * 5000 + b"</html>"
    packed = gzipped(deflated_parts(plain, MARKER), b"unused", plain)
    assert gzip.decompress(packed) == plain
    assert len(packed) < len(plain) / 20
