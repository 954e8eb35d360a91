"""A kept page sent compressed with gzip, although each visitor's copy differs from it by a
few bytes (the visitor's CSRF token, written where the kept page holds a marker).

The page is compressed once, when it is kept: each stretch between two markers becomes its
own run of deflate blocks, each from a fresh compressor (so none refers back to another's
text) and ended on a byte boundary (``Z_SYNC_FLUSH``), the last one ended as the stream's
end (``Z_FINISH``). A deflate stream is a sequence of blocks, so these runs, with each
visitor's value between them as a stored block (RFC 1951, 3.2.4), make one stream; the gzip
header and trailer (RFC 1952: the CRC-32 and the length of the visitor's whole text) close
it. A request then costs a copy and a CRC of the page, not its compression."""

from __future__ import annotations

import struct
import zlib

LEVEL = 6  # zlib's default, as Django's GZipMiddleware and the feeds use
# Magic, deflate, no flags, no time, no extra flags, unknown system.
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
STORED_MAX = 0xFFFF  # the bytes one stored block holds


def deflated_parts(body: bytes, marker: bytes) -> tuple[bytes, ...]:
    """The stretches of ``body`` between its ``marker``s, each compressed on its own."""
    parts = body.split(marker)
    compressed = []
    for index, part in enumerate(parts):
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        end = zlib.Z_FINISH if index == len(parts) - 1 else zlib.Z_SYNC_FLUSH
        compressed.append(compressor.compress(part) + compressor.flush(end))
    return tuple(compressed)


def gzipped(parts: tuple[bytes, ...], value: bytes, text: bytes) -> bytes:
    """The gzip file of ``text``: the page of ``parts`` (``deflated_parts``) with ``value``
    in place of each marker, which ``text`` is."""
    stored = b"".join(
        b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk
        for chunk in (value[i : i + STORED_MAX] for i in range(0, len(value), STORED_MAX))
    )
    trailer = struct.pack("<II", zlib.crc32(text) & 0xFFFFFFFF, len(text) & 0xFFFFFFFF)
    return HEADER + stored.join(parts) + trailer


__all__ = ["deflated_parts", "gzipped"]
