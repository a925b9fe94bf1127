"""Registry search cannot be listed by a pattern; image bombs are refused by their header (findings 7 and 8)."""

from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from onestop.adapters.population import registry
from onestop.domain import images
from onestop.domain.forms import DocumentSpec, validate_upload
from onestop.models import Resident


@pytest.mark.parametrize(
    "q",
    [
        "%%%",
        "___",
        "%_%",
        "% % %",
        "a%",
        "%a",
        "..%",
        "---",
        "  %%%  ",
        "0%",
        "09%",
        "%%%%%%%%%%%%",
        "\\%\\%\\%",
        "*",
        "''%",
    ],
)
def test_wildcards_and_short_queries_list_nobody(session, q):
    assert registry(session).search(q) == []


def test_wildcards_are_letters_not_patterns(session):
    one = session.exec(select(Resident).order_by(Resident.id)).first()
    words = one.full_name_folded.split()
    pattern = "%".join(w[:3] for w in words[:2])  # would match as LIKE, never as text
    from onestop.domain.text import fold

    found = registry(session).search(pattern)
    assert all(fold(pattern) in r.full_name_folded for r in found)  # never a LIKE match across letters
    assert len(found) < 20
    assert one.id in [r.id for r in registry(session).search(" ".join(words[-2:]))]
    assert one.id in [r.id for r in registry(session).search(one.national_id[:9])]
    assert registry(session).search(one.national_id[:3]) == []  # too short a prefix to list people


# --------------------------------------------------------------------------- image headers


def png(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))


def jpeg(width: int, height: int, exif: int = 70_000) -> bytes:
    app1 = b"\xff\xe1" + struct.pack(">H", 2 + min(exif, 65_000)) + b"\0" * min(exif, 65_000)
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\0" * 9
    return b"\xff\xd8" + app1 + b"\xff\xfe\x00\x04ok" + sof + b"\xff\xda\x00\x02"


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\0" * 8


def webp_vp8x(width: int, height: int) -> bytes:
    body = (
        b"VP8X"
        + struct.pack("<I", 10)
        + b"\0" * 4
        + (width - 1).to_bytes(3, "little")
        + (height - 1).to_bytes(3, "little")
    )
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


@pytest.mark.parametrize("make", [png, jpeg, gif, webp_vp8x])
def test_dimensions_are_read_from_the_header(make):
    assert images.dimensions(make(4000, 3000)) == (4000, 3000)
    assert not images.too_large(make(4000, 3000))
    assert images.too_large(make(9000, 9000))  # 81 MP
    assert images.too_large(make(30_000, 10))  # one side too long


def test_a_100000_square_png_is_refused_with_a_clear_message():
    spec = DocumentSpec("scan", "Bản chụp", "Scan", accepted_types=("image/png", "image/jpeg"))
    bomb = png(100_000, 100_000) + b"\0" * 1000
    problem = validate_upload(spec, "bomb.png", len(bomb), bomb)
    assert problem is not None and problem.code == "upload_image_size" and problem.vi and problem.en
    fine = png(3000, 4000)
    assert validate_upload(spec, "ok.png", len(fine), fine) is None
    late_frame = jpeg(50_000, 50_000)  # the frame header after 65 KB of EXIF
    assert validate_upload(spec, "late.jpg", len(late_frame), late_frame).code == "upload_image_size"


@given(st.binary(max_size=200))
def test_header_parsing_never_raises(junk):
    for prefix in (b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8", b"GIF89a", b"RIFF\0\0\0\0WEBPVP8X", b"RIFF\0\0\0\0WEBPVP8L"):
        images.too_large(prefix + junk)
