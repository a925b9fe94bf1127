"""PDF documents: every renderer yields a readable A4 PDF in Vietnamese that
stays inside its margins, the control sheet paginates, and local signing
verifies (and fails once tampered with).

Text checks use `pdftotext` (poppler-utils) because it reads the text the way
a citizen's viewer does; they are skipped when the tool is missing.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import stat
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from onestop.documents.data import ControlEvent, DocumentLine, DossierSummary, Letterhead
from onestop.documents.pdf import (
    RESULT_SIGNATURE_FIELD,
    apology_pdf,
    control_sheet_pdf,
    format_date_line,
    format_datetime,
    receipt_pdf,
    refusal_pdf,
    result_pdf,
    stop_notice_pdf,
    supplement_request_pdf,
)
from onestop.documents.signing import SigningIdentity, ensure_signing_identity, sign_pdf, verify_pdf_signature

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) not installed")

A4_PT = (595.28, 841.89)
MM = 72 / 25.4
ISSUED = datetime(2026, 11, 21, 9, 30)

LETTERHEAD = Letterhead(
    province_name="UBND TỈNH BẮC NINH",
    center_name="Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
    center_address="Số 10 đường Lý Thái Tổ, phường Suối Hoa, tỉnh Bắc Ninh",
    center_phone="0222 3 888 999",
)
DOSSIER = DossierSummary(
    code="000.00.00.H00-261121-0001",
    procedure_code="1.001612",
    procedure_name="Đăng ký thành lập hộ kinh doanh",
    applicant_name="Nguyễn Thị Hường",
    applicant_id_number="027198001234",
    applicant_phone="0912 345 678",
    applicant_address="Thôn Đông Xuyên, xã Yên Phụ, tỉnh Bắc Ninh",
    channel_label="Trực tiếp tại Bộ phận Một cửa",
    received_at=datetime(2026, 11, 21, 9, 15),
    due_at=datetime(2026, 11, 26, 16, 0),
    tracking_url="https://dichvucong.example.gov.vn/dossiers/000.00.00.H00-261121-0001",
)
DOCS = [
    DocumentLine("Giấy đề nghị đăng ký hộ kinh doanh", 1, "Bản chính"),
    DocumentLine("Bản sao hợp đồng thuê địa điểm kinh doanh", 2, "Bản sao có chứng thực"),
]
# Long text with an unbreakable token: must wrap, never run off the page.
LONG_REASON = (
    "Hồ sơ chưa đủ điều kiện theo quy định tại Nghị định số 01/2021/NĐ-CP; " * 12
    + "tham khảo https://vbpl.example.gov.vn/"
    + "a" * 150
)


def _events(n: int) -> list[ControlEvent]:
    outcomes = ("early", "on_time", "late", "")
    start = datetime(2026, 11, 21, 9, 15)
    return [
        ControlEvent(
            at=start + timedelta(hours=3 * i),
            from_unit="Bộ phận Một cửa" if i % 2 == 0 else "Phòng Tài chính - Kế hoạch",
            to_unit="Phòng Tài chính - Kế hoạch" if i % 2 == 0 else "Lãnh đạo UBND",
            actor="Nguyễn Văn Thành",
            action_label=f"Chuyển thẩm định lượt {i + 1}",
            step_due_at=start + timedelta(days=1),
            outcome=outcomes[i % 4],
            note="Ghi chú xử lý" if i % 5 == 0 else "",
        )
        for i in range(n)
    ]


RENDERERS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "receipt": (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        lambda: receipt_pdf(LETTERHEAD, DOSSIER, DOCS, "Trần Văn Đức", "Lệ phí: 100.000 đồng", issued_at=ISSUED),
    ),
    "supplement": (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        lambda: supplement_request_pdf(
            LETTERHEAD, DOSSIER, DOCS[1:], LONG_REASON, datetime(2026, 12, 5, 17, 0), "Lê Thị Ánh", issued_at=ISSUED
        ),
    ),
    "refusal": (
        "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
        lambda: refusal_pdf(LETTERHEAD, DOSSIER, LONG_REASON, "Phạm Quốc Việt", issued_at=ISSUED),
    ),
    "apology": (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        lambda: apology_pdf(
            LETTERHEAD, DOSSIER, "Cần xác minh thêm.", datetime(2026, 12, 2, 16, 0), "Đỗ Mạnh Hùng", issued_at=ISSUED
        ),
    ),
    "stop": (
        "THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ",
        lambda: stop_notice_pdf(LETTERHEAD, DOSSIER, "Người nộp đề nghị dừng.", "Vũ Thị Lan", issued_at=ISSUED),
    ),
    "control": (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        lambda: control_sheet_pdf(LETTERHEAD, DOSSIER, _events(5), issued_at=ISSUED),
    ),
    "result": (
        "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH",
        lambda: result_pdf(
            LETTERHEAD,
            DOSSIER,
            "Giấy chứng nhận đăng ký hộ kinh doanh",
            ["Căn cứ Nghị định số 01/2021/NĐ-CP;", LONG_REASON],
            "Hoàng Văn Nam",
            "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            issued_at=ISSUED,
        ),
    ),
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: render() for name, (_title, render) in RENDERERS.items()}


def _text(pdf: bytes, first: int | None = None, last: int | None = None) -> str:
    """Page text as a viewer extracts it, NFC-normalised, whitespace collapsed."""
    assert PDFTOTEXT is not None
    args = [PDFTOTEXT, "-enc", "UTF-8"]
    if first is not None:
        args += ["-f", str(first), "-l", str(last if last is not None else first)]
    out = subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
    return " ".join(unicodedata.normalize("NFC", out).split())


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')


def _word_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    assert PDFTOTEXT is not None
    out = subprocess.run([PDFTOTEXT, "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [tuple(float(v) for v in m.groups()) for m in _WORD.finditer(out.decode("utf-8"))]  # type: ignore[misc]


def _pages(pdf: bytes) -> list:
    reader = PdfFileReader(BytesIO(pdf))
    return [reader.root["/Pages"]["/Kids"][i].get_object() for i in range(int(reader.root["/Pages"]["/Count"]))]


def _media_box(page: generic.DictionaryObject) -> list[float]:
    """MediaBox is inheritable from the page-tree node."""
    node = page
    while "/MediaBox" not in node:
        node = node["/Parent"]
    return [float(v) for v in node["/MediaBox"]]


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


def test_format_datetime() -> None:
    assert format_datetime(datetime(2026, 2, 3, 7, 5)) == "07:05 ngày 03/02/2026"
    assert format_datetime(None) == "chưa xác định"


def test_format_date_line_follows_decree_30_zero_padding() -> None:
    assert format_date_line("Bắc Ninh", datetime(2026, 11, 21)) == "Bắc Ninh, ngày 21 tháng 11 năm 2026"
    assert format_date_line("Hà Nội", datetime(2026, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2026"
    assert format_date_line("Hà Nội", datetime(2026, 3, 9)) == "Hà Nội, ngày 09 tháng 3 năm 2026"


# ---------------------------------------------------------------------------
# Every renderer
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(RENDERERS))
def test_renders_a4_pdf_that_parses(name: str, rendered: dict[str, bytes]) -> None:
    pdf = rendered[name]
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-64:]
    pages = _pages(pdf)
    assert pages
    for page in pages:
        box = _media_box(page)
        assert box[2] == pytest.approx(A4_PT[0], abs=0.5)
        assert box[3] == pytest.approx(A4_PT[1], abs=0.5)
    # The QR code is an image on the first page.
    xobjects = pages[0]["/Resources"]["/XObject"]
    assert any(xobjects[key].get_object()["/Subtype"] == "/Image" for key in xobjects)


@needs_pdftotext
@pytest.mark.parametrize("name", list(RENDERERS))
def test_vietnamese_text_is_extractable(name: str, rendered: dict[str, bytes]) -> None:
    title, _render = RENDERERS[name]
    text = _text(rendered[name])
    assert title in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH BẮC NINH" in text
    assert "Bắc Ninh, ngày 21 tháng 11 năm 2026" in text
    assert "Số: " in text
    assert DOSSIER.code in text
    assert "Nguyễn Thị Hường" in text


@needs_pdftotext
@pytest.mark.parametrize("name", list(RENDERERS))
def test_nothing_leaves_the_printable_area(name: str, rendered: dict[str, bytes]) -> None:
    boxes = _word_boxes(rendered[name])
    assert boxes
    left, right = 20 * MM - 1, A4_PT[0] - 15 * MM + 1
    for x_min, y_min, x_max, y_max in boxes:
        assert left <= x_min and x_max <= right, (x_min, x_max)
        assert y_min >= 0 and y_max <= A4_PT[1] - 5 * MM


@needs_pdftotext
def test_receipt_content() -> None:
    text = _text(RENDERERS["receipt"][1]())
    assert "Thời gian nhận hồ sơ: 09:15 ngày 21/11/2026" in text
    assert "Thời gian hẹn trả kết quả: 16:00 ngày 26/11/2026" in text
    assert "Bản sao hợp đồng thuê địa điểm kinh doanh" in text
    assert "Lệ phí: 100.000 đồng" in text
    assert DOSSIER.tracking_url in text
    assert "Trần Văn Đức" in text
    assert len(_pages(RENDERERS["receipt"][1]())) == 1


@needs_pdftotext
def test_receipt_dated_at_reception_by_default() -> None:
    pdf = receipt_pdf(LETTERHEAD, DOSSIER, DOCS, "Trần Văn Đức")
    assert "Bắc Ninh, ngày 21 tháng 11 năm 2026" in _text(pdf)


@needs_pdftotext
def test_place_is_derived_from_the_province_unless_set() -> None:
    hcm = replace(LETTERHEAD, province_name="Ủy ban nhân dân Thành phố Hồ Chí Minh")
    assert "Hồ Chí Minh, ngày 21 tháng 11 năm 2026" in _text(refusal_pdf(hcm, DOSSIER, "x", "y", issued_at=ISSUED))
    set_place = replace(LETTERHEAD, place="Từ Sơn")
    assert "Từ Sơn, ngày 21 tháng 11 năm 2026" in _text(refusal_pdf(set_place, DOSSIER, "x", "y", issued_at=ISSUED))


def test_same_inputs_same_bytes() -> None:
    _title, render = RENDERERS["refusal"]
    assert render() == render()


@needs_pdftotext
def test_apology_shows_old_and_new_dates(rendered: dict[str, bytes]) -> None:
    text = _text(rendered["apology"])
    assert "16:00 ngày 26/11/2026" in text
    assert "16:00 ngày 02/12/2026" in text


def test_control_sheet_with_60_events_spans_pages() -> None:
    pdf = control_sheet_pdf(LETTERHEAD, DOSSIER, _events(60), issued_at=ISSUED)
    pages = _pages(pdf)
    assert len(pages) > 1
    if PDFTOTEXT is None:
        pytest.skip("pdftotext not installed")
    for number in range(1, len(pages) + 1):
        page_text = _text(pdf, number)
        assert "Bên giao" in page_text and "Hạn xử lý của bước" in page_text  # heading repeated
        assert f"Trang {number}/{len(pages)}" in page_text
    text = _text(pdf)
    for i in range(1, 61):
        assert f"Chuyển thẩm định lượt {i} " in text + " "
    assert "Sớm hạn" in text and "Đúng hạn" in text and "Quá hạn" in text
    assert "Tổng số lượt giao, nhận: 60; sớm hạn: 15; đúng hạn: 15; quá hạn: 15." in text


def test_result_reserves_a_visible_signature_field(rendered: dict[str, bytes]) -> None:
    reader = PdfFileReader(BytesIO(rendered["result"]))
    empty = list(fields.enumerate_sig_fields(reader, filled_status=False))
    assert [name for name, _value, _ref in empty] == [RESULT_SIGNATURE_FIELD]
    x1, y1, x2, y2 = (float(v) for v in empty[0][2].get_object()["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 40


# ---------------------------------------------------------------------------
# Signing
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> SigningIdentity:
    return ensure_signing_identity(tmp_path_factory.mktemp("signing"))


def test_identity_created_once_then_reused(tmp_path: Path) -> None:
    first = ensure_signing_identity(tmp_path / "keys")
    for path in (first.ca_cert_path, first.cert_path, first.key_path):
        assert path.is_file()
    assert stat.S_IMODE(os.stat(first.key_path).st_mode) == 0o600
    assert b"PRIVATE KEY" in first.key_path.read_bytes()
    assert b"PRIVATE KEY" not in first.ca_cert_path.read_bytes()
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (first.ca_cert_path, first.cert_path, first.key_path)}

    second = ensure_signing_identity(tmp_path / "keys")
    assert second == first
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before


def test_incomplete_identity_is_not_silently_replaced(tmp_path: Path) -> None:
    identity = ensure_signing_identity(tmp_path / "keys")
    identity.key_path.unlink()
    with pytest.raises(RuntimeError):
        ensure_signing_identity(tmp_path / "keys")


def test_sign_then_verify(identity: SigningIdentity, rendered: dict[str, bytes]) -> None:
    original = rendered["result"]
    signed = sign_pdf(original, identity, "Hoàng Văn Nam", location="Bắc Ninh")
    assert signed.startswith(original)  # incremental update: the result itself is untouched
    assert verify_pdf_signature(signed, identity) is True

    reader = PdfFileReader(BytesIO(signed))
    (sig,) = reader.embedded_signatures
    assert sig.field_name == RESULT_SIGNATURE_FIELD  # the visible field was filled
    assert sig.sig_object["/Reason"] == "Ký số kết quả giải quyết TTHC"
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_tampered_signed_pdf_fails(identity: SigningIdentity, rendered: dict[str, bytes]) -> None:
    signed = sign_pdf(rendered["result"], identity, "Hoàng Văn Nam")

    # A flipped byte that still parses: only the digest can catch it.
    at = signed.index(b"(OneStop)") + 1
    assert at < len(rendered["result"])  # inside the signed revision
    tampered = bytearray(signed)
    tampered[at] ^= 0x20  # "OneStop" -> "oneStop"
    assert PdfFileReader(BytesIO(bytes(tampered))).embedded_signatures  # still readable
    assert verify_pdf_signature(bytes(tampered), identity) is False

    # A flipped byte anywhere in the signed content, whatever it breaks.
    tampered = bytearray(signed)
    tampered[len(rendered["result"]) // 2] ^= 0x01
    assert verify_pdf_signature(bytes(tampered), identity) is False


def test_unsigned_or_foreign_signature_fails(
    identity: SigningIdentity, rendered: dict[str, bytes], tmp_path: Path
) -> None:
    assert verify_pdf_signature(rendered["result"], identity) is False
    assert verify_pdf_signature(b"not a pdf", identity) is False
    foreign = ensure_signing_identity(tmp_path / "foreign")
    signed_elsewhere = sign_pdf(rendered["result"], foreign, "Người lạ")
    assert verify_pdf_signature(signed_elsewhere, identity) is False


def test_invisible_signature_on_any_document_and_countersign(
    identity: SigningIdentity, rendered: dict[str, bytes]
) -> None:
    signed = sign_pdf(rendered["receipt"], identity, "Trần Văn Đức")
    assert verify_pdf_signature(signed, identity) is True
    twice = sign_pdf(signed, identity, "Lãnh đạo")
    assert len(PdfFileReader(BytesIO(twice)).embedded_signatures) == 2
    assert verify_pdf_signature(twice, identity) is True


def test_sign_and_verify_inside_a_running_event_loop(identity: SigningIdentity, rendered: dict[str, bytes]) -> None:
    async def handler() -> bool:  # as from a Reflex event handler or async route
        signed = sign_pdf(rendered["stop"], identity, "Vũ Thị Lan")
        return verify_pdf_signature(signed, identity)

    assert asyncio.run(handler()) is True
