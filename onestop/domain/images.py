"""Image dimensions read from the file header, without decoding a pixel (decompression bombs).

Why (issue 17, finding 8): a 100000×100000 PNG is a few kilobytes on the wire and
10 GB once a browser or a PDF renderer decodes it; it was stored and shown to
officers. The width and height are in the first bytes of every format we accept
(PNG IHDR, JPEG SOFn, GIF logical screen, WebP VP8/VP8L/VP8X), so they can be
checked before anything is stored. Pure functions: bytes in, numbers out.
"""

from __future__ import annotations

import struct

#: The largest image accepted: a 50-megapixel phone photo fits, a bomb does not.
MAX_PIXELS = 64_000_000
MAX_SIDE = 20_000

_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> tuple[int, int] | None:
    i = 2
    n = len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        if marker == 0xD9 or marker == 0xDA:  # end of image / start of scan before any frame header
            return None
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            return None
        if marker in _SOF:
            if i + 9 > n:
                return None
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def dimensions(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header, or None when the header cannot be read."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    if data.startswith((b"GIF87a", b"GIF89a")) and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if len(data) >= 16 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    return None


def too_large(data: bytes) -> bool:
    """An image whose header declares more pixels than the caps allow.

    A header that cannot be read is not refused here: no decoder can expand it into a
    bomb either (it fails at once), and the type check already ran.
    """
    dims = dimensions(data)
    if dims is None:
        return False
    width, height = dims
    return width <= 0 or height <= 0 or width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS
