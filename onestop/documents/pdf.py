"""PDF slips and results a one-stop center hands to citizens.

Why these are pure functions from :mod:`onestop.documents.data` to ``bytes``:
the same slip must come out identical whether it is printed at the counter,
e-mailed after an online submission or regenerated months later for an
inspection, so nothing here reads the database, the request or (unless the
caller leaves ``issued_at`` empty) the clock.

Layout follows the administrative-document conventions citizens recognise
(Decree 30/2020/NĐ-CP and the one-stop forms of Circular 01/2018/TT-VPCP,
carried into Circular 03/2025/TT-VPCP): issuer top-left, national motto
top-right, "Số: …" and "<place>, ngày … tháng … năm …" under them, a bold
title, then the body and signature blocks. Every slip also carries a QR code
to the tracking page with the dossier code printed under it, because many
citizens (especially at commune level) will scan rather than type a URL.

Text is set in DejaVu Sans, bundled in ``fonts/``, since the PDF core fonts
cannot encode Vietnamese diacritics.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from qrcode.constants import ERROR_CORRECT_M

from onestop import clock
from onestop.documents.data import ControlEvent, DocumentLine, DossierSummary, Letterhead, Outcome

__all__ = [
    "RESULT_SIGNATURE_FIELD",
    "apology_pdf",
    "control_sheet_pdf",
    "fee_receipt_pdf",
    "format_date_line",
    "format_datetime",
    "receipt_pdf",
    "refusal_pdf",
    "result_pdf",
    "start_sheet",
    "stop_notice_pdf",
    "supplement_request_pdf",
    "tracking_sentence",
]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_FONT = "DejaVu"
_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

RESULT_SIGNATURE_FIELD = "ChuKySo"
"""Name of the empty signature field :func:`result_pdf` reserves over the
signer block; :func:`onestop.documents.signing.sign_pdf` fills it so the
visible signature lands where a wet signature would be."""

#: A table cell: its text, or its text and the font face that sets it apart (a late step in red).
_TableCell = str | tuple[str, FontFace | None]

OUTCOME_LABELS: dict[Outcome, str] = {"early": "Sớm hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "": ""}

# Geometry (millimetres). Margins are a little tighter than a ministry letter
# so a full receipt with a dozen documents still fits on one A4 page.
_LEFT = 20.0
_RIGHT = 15.0
_TOP = 14.0
_BOTTOM = 20.0
_LINE = 5.2  # body line height for 10.5 pt text
_BODY_PT = 10.5
_QR_PANEL_W = 38.0  # QR image plus the code printed under it
_QR_SIZE = 32.0
_GAP = 4.0

_MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
_MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
_NOT_SET = "chưa xác định"


# ---------------------------------------------------------------------------
# Formatting helpers (public: the UI and e-mails print dates the same way)
# ---------------------------------------------------------------------------


def _local(dt: datetime) -> datetime:
    """Stored times are naive local time; aware ones are shown in Vietnam time."""
    return dt.astimezone(_TZ).replace(tzinfo=None) if dt.tzinfo is not None else dt


def format_datetime(dt: datetime | None, missing: str = _NOT_SET) -> str:
    """``"HH:MM ngày DD/MM/YYYY"`` — the form appointment times are written in."""
    if dt is None:
        return missing
    dt = _local(dt)
    return f"{dt:%H:%M} ngày {dt:%d/%m/%Y}"


def format_date_line(place: str, dt: datetime) -> str:
    """``"<place>, ngày 05 tháng 3 năm 2026"``.

    Decree 30/2020 writes days below 10 and the months January and February
    with a leading zero (so "tháng 01" cannot be altered into "tháng 11"),
    and every other month without one.
    """
    dt = _local(dt)
    month = f"{dt.month:02d}" if dt.month <= 2 else str(dt.month)
    text = f"ngày {dt.day:02d} tháng {month} năm {dt.year}"
    return f"{place}, {text}" if place else text.capitalize()


_PROVINCE_PREFIX = re.compile(
    r"^\s*(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)?\s*"
    r"(?:TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU)?\s*",
    re.IGNORECASE,
)


def _place(letterhead: Letterhead) -> str:
    """The locality for the date line, derived from the province when not set."""
    if letterhead.place.strip():
        return letterhead.place.strip()
    name = _PROVINCE_PREFIX.sub("", letterhead.province_name.strip()).strip()
    return name.title() if name.isupper() else name


def _number(dossier: DossierSummary, suffix: str, number: str | None) -> str:
    if number is not None:
        return number
    return f"{dossier.code}/{suffix}" if suffix else dossier.code


def _qr_png(data: str) -> bytes:
    """QR code as PNG bytes; medium error correction survives a creased slip."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white")
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# The page class
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    """A rectangle in millimetres on a 0-based page index (top-left origin)."""

    page_index: int
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class _SignBlock:
    """One signature column: who signs, a hint, the printed name."""

    title: str
    name: str
    hint: str = "(Ký, ghi rõ họ tên)"


class _Sheet(FPDF):
    """A4 portrait page with the shared header, footer, QR panel and blocks.

    The QR panel floats on the right of the first lines of the body; while the
    cursor is beside it the right margin is widened so text wraps around it
    instead of running underneath.
    """

    def __init__(self, letterhead: Letterhead, dossier: DossierSummary, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.letterhead = letterhead
        self.dossier = dossier
        self._qr_bottom = 0.0
        self._qr_page = 0
        self.add_font(_FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(_FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(_LEFT, _TOP, _RIGHT)
        self.set_auto_page_break(True, margin=_BOTTOM)
        self.set_title(title)
        self.set_subject(dossier.code)
        self.set_author(letterhead.center_name)
        self.set_creator("OneStop")
        self.set_lang("vi")
        self.c_margin = 0.6
        self.add_page()

    # -- fpdf hooks -------------------------------------------------------

    def footer(self) -> None:
        """Center contact and page count on every page: a slip may be photocopied
        page by page, and the citizen needs to know where to ask."""
        self.set_y(-_BOTTOM + 5)
        self.set_draw_color(150, 150, 150)
        self.set_line_width(0.2)
        self.line(_LEFT, self.get_y(), self.w - _RIGHT, self.get_y())
        self.set_y(self.get_y() + 1)
        self.set_text_color(90, 90, 90)
        self.set_font(_FONT, "", 7)
        parts = [self.letterhead.center_name]
        if self.letterhead.center_address:
            parts.append(f"Địa chỉ: {self.letterhead.center_address}")
        if self.letterhead.center_phone:
            parts.append(f"Điện thoại: {self.letterhead.center_phone}")
        page_w = 22.0
        top = self.get_y()
        text = " · ".join(parts)
        # At most two lines: the footer lives in the bottom margin and must not
        # run off the sheet however long the address is.
        while len(self.multi_cell(self.epw - page_w, 3.2, text, dry_run=True, output="LINES")) > 2:
            text = text[: int(len(text) * 0.9)].rstrip() + "…"
        self.multi_cell(self.epw - page_w, 3.2, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_xy(self.w - _RIGHT - page_w, top)
        self.cell(page_w, 3.2, f"Trang {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)
        self.set_draw_color(0, 0, 0)

    # -- small helpers ------------------------------------------------------

    def font(self, size: float = _BODY_PT, bold: bool = False) -> None:
        self.set_font(_FONT, "B" if bold else "", size)

    def _fit_size(self, text: str, width: float, size: float, bold: bool, minimum: float = 7.0) -> float:
        """Largest size ≤ `size` at which `text` fits on one line of `width`."""
        self.font(size, bold)
        while size > minimum and self.get_string_width(text) > width:
            size -= 0.25
            self.font(size, bold)
        return size

    def _sync_margin(self) -> None:
        """Narrow the text column while the cursor is beside the QR panel."""
        beside_qr = self.page == self._qr_page and self.get_y() < self._qr_bottom
        self.set_right_margin(_RIGHT + _QR_PANEL_W + _GAP if beside_qr else _RIGHT)
        self.set_x(_LEFT)

    def below_qr(self) -> None:
        """Move under the QR panel (for full-width blocks such as tables)."""
        if self.page == self._qr_page and self.get_y() < self._qr_bottom:
            self.set_y(self._qr_bottom)
        self.set_right_margin(_RIGHT)
        self.set_x(_LEFT)

    def space(self, mm: float) -> None:
        self.set_y(self.get_y() + mm)
        self._sync_margin()

    # -- header blocks --------------------------------------------------------

    def letterhead_block(self, number: str, issued_at: datetime) -> None:
        """Issuer (left) and national motto (right), then number and date line."""
        lh = self.letterhead
        left_w, right_x = 72.0, _LEFT + 72.0
        right_w = self.w - _RIGHT - right_x
        top = self.get_y()

        # Left: the parent authority, then the center in bold, then a short rule.
        self.set_xy(_LEFT, top)
        self.font(10.5)
        if lh.province_name:
            self.multi_cell(left_w, 5, lh.province_name.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.font(10.5, bold=True)
        self.set_x(_LEFT)
        self.multi_cell(left_w, 5, lh.center_name.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        rule_y = self.get_y() + 0.8
        self.set_line_width(0.3)
        self.line(_LEFT + left_w / 2 - 14, rule_y, _LEFT + left_w / 2 + 14, rule_y)
        left_bottom = rule_y

        # Right: the motto, each line shrunk to fit, the second underlined
        # over exactly its own width as in the official template.
        self.set_xy(right_x, top)
        size = self._fit_size(_MOTTO_1, right_w, 10.5, bold=True)
        self.cell(right_w, 5, _MOTTO_1, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._fit_size(_MOTTO_2, right_w, min(size + 0.5, 11.5), bold=True)
        self.cell(right_w, 5.5, _MOTTO_2, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        motto_w = self.get_string_width(_MOTTO_2)
        rule2_y = self.get_y() + 0.3
        self.line(right_x + (right_w - motto_w) / 2, rule2_y, right_x + (right_w + motto_w) / 2, rule2_y)
        right_bottom = rule2_y

        row_y = max(left_bottom, right_bottom) + 3
        self.set_xy(_LEFT, row_y)
        self.font(10)
        self.multi_cell(left_w, 5, f"Số: {number}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        after_left = self.get_y()
        self.set_xy(right_x, row_y)
        self.font(10.5)
        self.multi_cell(
            right_w, 5, format_date_line(_place(lh), issued_at), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_y(max(after_left, self.get_y()) + 5)

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_right_margin(_RIGHT)
        self.set_x(_LEFT)
        self.font(13.5, bold=True)
        self.multi_cell(0, 7, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.font(10.5)
            self.multi_cell(0, 5.5, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(self.get_y() + 3)

    def qr_panel(self) -> None:
        """QR to the tracking page at the top right of the body, code under it."""
        dossier = self.dossier
        x = self.w - _RIGHT - _QR_PANEL_W
        y = self.get_y()
        image_x = x + (_QR_PANEL_W - _QR_SIZE) / 2
        if dossier.tracking_url:
            self.image(BytesIO(_qr_png(dossier.tracking_url)), x=image_x, y=y, w=_QR_SIZE, h=_QR_SIZE)
            bottom = y + _QR_SIZE
        else:
            bottom = y
        self.set_xy(x, bottom + 0.5)
        self._fit_size(dossier.code, _QR_PANEL_W, 8.5, bold=True, minimum=5.5)
        self.multi_cell(_QR_PANEL_W, 4, dossier.code, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        if dossier.tracking_url:
            self.font(7)
            self.multi_cell(_QR_PANEL_W, 3.2, "Quét mã để tra cứu hồ sơ", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._qr_bottom = self.get_y() + 2
        self._qr_page = self.page
        self.set_xy(_LEFT, y)
        self._sync_margin()

    # -- body blocks ----------------------------------------------------------

    def field(self, label: str, value: str, bold: bool = False) -> None:
        """``Label: value`` flowing on one or more lines, value optionally bold."""
        self._sync_margin()
        self.font()
        self.write(_LINE, f"{label}: " if label else "")
        self.font(bold=bold)
        self.write(_LINE, value)
        self.ln(_LINE)
        self.set_y(self.get_y() + 0.6)

    def paragraph(self, text: str, bold: bool = False, align: str = "J", size: float = _BODY_PT) -> None:
        self._sync_margin()
        self.font(size, bold)
        self.multi_cell(0, _LINE, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(self.get_y() + 0.8)

    def addressee(self, name: str) -> None:
        """``Kính gửi: Ông/Bà …`` — notices are letters to the applicant."""
        self._sync_margin()
        self.font()
        self.write(_LINE, "Kính gửi: ")
        self.font(bold=True)
        self.write(_LINE, f"Ông/Bà {name}")
        self.ln(_LINE + 2)

    def documents_table(self, lines: Sequence[DocumentLine], empty_text: str) -> None:
        """Numbered table of papers; the heading row repeats on every page."""
        self.below_qr()
        if not lines:
            self.paragraph(empty_text)
            return
        columns = [
            ("TT", 10, "CENTER"),
            ("Tên giấy tờ", 110, "LEFT"),
            ("Số bản", 18, "CENTER"),
            ("Ghi chú", 37, "LEFT"),
        ]
        rows = [
            [line.name, f"{line.copies:02d}" if line.copies < 10 else str(line.copies), line.note] for line in lines
        ]
        self.numbered_table(columns, rows, size=9.5, line_height=4.8, padding=(1, 1.2))

    def numbered_table(
        self,
        columns: Sequence[tuple[str, float, str]],
        rows: Iterable[Sequence[_TableCell]],
        *,
        size: float,
        line_height: float,
        padding: tuple[float, float],
    ) -> None:
        """A full-width table of (heading, width, alignment) columns whose grey heading row repeats on every
        page, its rows numbered in the first column ("TT") and a little space after it.

        Why one place: the papers list and the control sheet are the two tables that may
        run over a page, and a page read alone must still say what its columns are.
        """
        self.font(size)
        with self.table(
            col_widths=tuple(width for _, width, _ in columns),
            width=self.epw,
            align="LEFT",
            text_align=tuple(align for _, _, align in columns),
            line_height=line_height,
            padding=padding,
            headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 232), size_pt=size),
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text, _, _ in columns:
                heading.cell(text, align="CENTER")
            for index, cells in enumerate(rows, start=1):
                row = table.row()
                row.cell(str(index))
                for cell in cells:
                    text, style = (cell, None) if isinstance(cell, str) else cell
                    row.cell(text, style=style)
        self.set_y(self.get_y() + 3)

    def _height(self, width: float, line_h: float, text: str, size: float, bold: bool = False) -> float:
        """Height `text` will take in a multi_cell of `width` (nothing drawn)."""
        self.font(size, bold)
        return float(self.multi_cell(width, line_h, text, dry_run=True, output="HEIGHT"))

    def signature_blocks(self, blocks: Sequence[_SignBlock], left_note: Sequence[str] = ()) -> _Box:
        """Signature columns at the end, kept together on one page.

        With one block it sits on the right half (where Vietnamese documents
        are signed) and `left_note` (e.g. "Nơi nhận") may fill the left half.
        Returns the blank signing area of the right-most block, where a
        digital signature's visible stamp belongs.
        """
        self.below_qr()
        col_w = self.epw / 2
        text_w = col_w - 4  # a little air so two long names never touch
        sign_space = 22.0
        heights = [
            self._height(text_w, 5.5, b.title.upper(), 10.5, True)
            + self._height(text_w, 5, b.hint, 9)
            + sign_space
            + self._height(text_w, 5.5, b.name, 10.5, True)
            for b in blocks
        ]
        notes_h = sum(self._height(text_w - 4, 4.6, note, 9, i == 0) for i, note in enumerate(left_note))
        height = 4 + max([*heights, notes_h])
        if self.will_page_break(height) and self.get_y() > self.t_margin + 1:
            self.add_page()
        top = self.get_y() + 4
        xs = [_LEFT, _LEFT + col_w] if len(blocks) > 1 else [_LEFT + col_w]
        space = _Box(0, 0, 0, 0, 0)
        bottom = top
        for x, block in zip(xs, blocks, strict=False):
            self.set_xy(x + 2, top)
            self.font(10.5, bold=True)
            self.multi_cell(text_w, 5.5, block.title.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.font(9)
            self.multi_cell(text_w, 5, block.hint, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            space = _Box(self.page - 1, x + 4, self.get_y() + 1, col_w - 8, sign_space - 2)
            self.set_xy(x + 2, self.get_y() + sign_space)
            self.font(10.5, bold=True)
            self.multi_cell(text_w, 5.5, block.name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottom = max(bottom, self.get_y())
        if left_note and len(blocks) == 1:
            self.set_xy(_LEFT, top)
            for i, note in enumerate(left_note):
                self.font(9, bold=i == 0)
                self.multi_cell(text_w - 4, 4.6, note, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottom = max(bottom, self.get_y())
        self.set_xy(_LEFT, bottom + 2)
        return space

    def dossier_fields(self, *, with_contact: bool = True) -> None:
        """The applicant and procedure lines every slip repeats."""
        d = self.dossier
        self.field("Mã hồ sơ", d.code, bold=True)
        self.field("Người nộp", f"Ông/Bà {d.applicant_name}", bold=True)
        if d.applicant_id_number:
            self.field("Số định danh cá nhân/CCCD", d.applicant_id_number)
        if with_contact:
            if d.applicant_phone:
                self.field("Số điện thoại", d.applicant_phone)
            if d.applicant_address:
                self.field("Địa chỉ", d.applicant_address)
        procedure = f"{d.procedure_name} (mã thủ tục: {d.procedure_code})" if d.procedure_code else d.procedure_name
        self.field("Nội dung yêu cầu giải quyết", procedure)

    def render(self) -> bytes:
        self.set_right_margin(_RIGHT)
        return bytes(self.output())


def start_sheet(
    letterhead: Letterhead,
    dossier: DossierSummary,
    title: str,
    number: str,
    issued_at: datetime | None,
    subtitle: str = "",
) -> _Sheet:
    """Common opening: letterhead, title, QR panel."""
    when = issued_at if issued_at is not None else clock.now()
    sheet = _Sheet(letterhead, dossier, title)
    aware = when if when.tzinfo is not None else when.replace(tzinfo=_TZ)
    sheet.set_creation_date(aware)  # reproducible bytes for the same inputs
    sheet.letterhead_block(number, when)
    sheet.title_block(title, subtitle)
    sheet.qr_panel()
    return sheet


def tracking_sentence(dossier: DossierSummary) -> str:
    if dossier.tracking_url:
        return (
            f"Ông/Bà theo dõi tình trạng giải quyết hồ sơ bằng cách quét mã QR trên phiếu này "
            f"hoặc truy cập {dossier.tracking_url} và nhập mã hồ sơ {dossier.code}."
        )
    return f"Ông/Bà theo dõi tình trạng giải quyết hồ sơ bằng mã hồ sơ {dossier.code}."


@dataclass(frozen=True)
class _Notice:
    """What sets one notice about a dossier apart from the others that share its layout: the title and the
    number's suffix, who signs it, and how the opening reads: addressed ("Kính gửi") to the applicant or not,
    with the applicant's phone and address or not, naming the receiving unit (a refusal says who refuses), and
    whether the reception time is printed even when there is none yet (a refusal may come before reception)."""

    title: str
    suffix: str
    signer: str = ""
    addressee: bool = True
    with_contact: bool = True
    receiving_unit: bool = False
    received_when_unknown: bool = True


def _notice_sheet(
    letterhead: Letterhead, dossier: DossierSummary, notice: _Notice, number: str | None, issued_at: datetime | None
) -> _Sheet:
    """The opening the slips about one dossier share: letterhead, title and QR, "Kính gửi" the applicant,
    the dossier's particulars and when it was received (the date every later step counts from)."""
    sheet = start_sheet(letterhead, dossier, notice.title, _number(dossier, notice.suffix, number), issued_at)
    if notice.addressee:
        sheet.addressee(dossier.applicant_name)
    if notice.receiving_unit:
        sheet.field("Bộ phận tiếp nhận và trả kết quả", letterhead.center_name)
    sheet.dossier_fields(with_contact=notice.with_contact)
    if dossier.received_at is not None or notice.received_when_unknown:
        sheet.field("Thời gian nhận hồ sơ", format_datetime(dossier.received_at))
    return sheet


def _notice_pdf(
    notice: _Notice,
    letterhead: Letterhead,
    dossier: DossierSummary,
    officer_name: str,
    number: str | None,
    issued_at: datetime | None,
    body: Callable[[_Sheet], None],
) -> bytes:
    """The one layout of a signed notice about a dossier: its opening, the notice's own body, then the
    officer's signature on the right. Each notice only writes its body."""
    sheet = _notice_sheet(letterhead, dossier, notice, number, issued_at)
    body(sheet)
    sheet.signature_blocks([_SignBlock(notice.signer, officer_name)])
    return sheet.render()


def _contact(letterhead: Letterhead) -> str:
    """Whom to call: the center, with its phone number when it has one."""
    phone = f", điện thoại {letterhead.center_phone}" if letterhead.center_phone else ""
    return f"{letterhead.center_name}{phone}"


# ---------------------------------------------------------------------------
# Public renderers
# ---------------------------------------------------------------------------


def receipt_pdf(
    letterhead: Letterhead,
    dossier: DossierSummary,
    documents: Sequence[DocumentLine],
    receiver_name: str,
    fee_text: str = "",
    *,
    number: str | None = None,
    issued_at: datetime | None = None,
) -> bytes:
    """Receipt and appointment slip (status 2: the clock starts here).

    It proves what the center took and when the result is promised, so it
    lists every paper with its copies, the reception time, the due time in
    bold, the fee text verbatim (exemptions live in that text) and how to
    track the dossier. Dated at reception unless `issued_at` says otherwise,
    so a duplicate printed later still shows the original date.
    """
    when = issued_at or dossier.received_at
    sheet = start_sheet(
        letterhead, dossier, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", _number(dossier, "", number), when
    )
    sheet.dossier_fields()
    if dossier.channel_label:
        sheet.field("Hình thức nộp", dossier.channel_label)
    sheet.space(1)
    sheet.below_qr()
    sheet.paragraph("1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ:", bold=True)
    sheet.documents_table(documents, "(Không có giấy tờ kèm theo.)")
    sheet.paragraph("2. Thời gian:", bold=True)
    sheet.field("Thời gian nhận hồ sơ", format_datetime(dossier.received_at))
    sheet.field("Thời gian hẹn trả kết quả", format_datetime(dossier.due_at), bold=True)
    place = letterhead.center_name + (f", {letterhead.center_address}" if letterhead.center_address else "")
    sheet.field("Nơi trả kết quả", place)
    item = 3
    if fee_text:
        sheet.paragraph(f"{item}. Phí, lệ phí:", bold=True)
        sheet.paragraph(fee_text)
        item += 1
    sheet.paragraph(f"{item}. Theo dõi hồ sơ:", bold=True)
    sheet.paragraph(tracking_sentence(dossier), align="L")
    sheet.paragraph(
        "Khi đến nhận kết quả, Ông/Bà vui lòng mang theo giấy này và giấy tờ tùy thân. "
        "Nếu kết quả giải quyết có sai sót, Ông/Bà có quyền yêu cầu sửa đổi.",
        size=10,
    )
    sheet.signature_blocks(
        [_SignBlock("Người nộp hồ sơ", dossier.applicant_name), _SignBlock("Người tiếp nhận hồ sơ", receiver_name)]
    )
    return sheet.render()


_SUPPLEMENT = _Notice("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "YCBS", "Người hướng dẫn", with_contact=False)
_APOLOGY = _Notice("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "XL", "Đại diện cơ quan giải quyết", with_contact=False)
_CONTROL = _Notice("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "KS", addressee=False, with_contact=False)


def supplement_request_pdf(
    letterhead: Letterhead,
    dossier: DossierSummary,
    missing: Sequence[DocumentLine],
    reason: str,
    supplement_deadline: datetime | None,
    officer_name: str,
    *,
    number: str | None = None,
    issued_at: datetime | None = None,
) -> bytes:
    """One request listing everything missing (status 5: the clock pauses).

    The law allows a single request per dossier, so the slip must be
    complete: the list, the reason, the deadline, and the consequence of
    missing it (the dossier may be refused), plus who to call for help.
    """

    def body(sheet: _Sheet) -> None:
        sheet.space(1)
        sheet.paragraph(
            f"Sau khi xem xét, đối chiếu thành phần hồ sơ, {letterhead.center_name} đề nghị Ông/Bà bổ sung, "
            "hoàn thiện hồ sơ gồm những nội dung sau:"
        )
        sheet.documents_table(missing, "(Xem nội dung tại phần lý do.)")
        if reason:
            sheet.field("Lý do", reason)
        sheet.field(
            "Thời hạn bổ sung",
            format_datetime(supplement_deadline, missing="trong thời hạn theo quy định"),
            bold=True,
        )
        sheet.paragraph(
            "Thời gian giải quyết hồ sơ tạm dừng trong thời gian chờ bổ sung. Quá thời hạn trên mà hồ sơ "
            "chưa được bổ sung, hoàn thiện thì hồ sơ có thể bị từ chối tiếp nhận, giải quyết."
        )
        sheet.paragraph(
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ "
            f"{_contact(letterhead)} để được hướng dẫn."
        )
        sheet.paragraph(tracking_sentence(dossier), align="L")

    return _notice_pdf(_SUPPLEMENT, letterhead, dossier, officer_name, number, issued_at, body)


@dataclass(frozen=True)
class _ReasonNotice(_Notice):
    """A notice whose heart is a reason printed in full and in bold, between an opening sentence and a
    closing one (``{center}``: the center's name; ``{contact}``: the center and its phone number)."""

    intro: str = ""
    closing: str = ""


def _reason_notice_pdf(
    notice: _ReasonNotice,
    letterhead: Letterhead,
    dossier: DossierSummary,
    reason: str,
    officer_name: str,
    *,
    number: str | None = None,
    issued_at: datetime | None = None,
) -> bytes:
    """A refusal or a stop notice: the layout of :func:`_notice_pdf` with the reason as its body."""
    words = {"center": letterhead.center_name, "contact": _contact(letterhead)}

    def body(sheet: _Sheet) -> None:
        sheet.space(1)
        sheet.paragraph(notice.intro.format(**words))
        sheet.paragraph(reason or "(không ghi lý do)", bold=True)
        sheet.paragraph(notice.closing.format(**words))

    return _notice_pdf(notice, letterhead, dossier, officer_name, number, issued_at, body)


#: Refusal with a specific reason (status 3, terminal). A refusal without a written reason is not lawful,
#: so the reason is the heart of the slip and is printed in full, however long.
refusal_pdf = partial(
    _reason_notice_pdf,
    _ReasonNotice(
        "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
        "TC",
        "Người tiếp nhận, xử lý hồ sơ",
        receiving_unit=True,
        received_when_unknown=False,
        intro="Qua xem xét, cơ quan có thẩm quyền từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        closing="Xin thông báo để Ông/Bà được biết và thực hiện./.",
    ),
)
#: Notice that processing stopped (status 8, terminal), with the reason.
stop_notice_pdf = partial(
    _reason_notice_pdf,
    _ReasonNotice(
        "THÔNG BÁO DỪNG XỬ LÝ HỒ SƠ",
        "DXL",
        "Người xử lý hồ sơ",
        intro="{center} thông báo dừng xử lý hồ sơ nêu trên với lý do như sau:",
        closing="Mọi thắc mắc, Ông/Bà vui lòng liên hệ {contact} để được hướng dẫn. "
        "Xin thông báo để Ông/Bà được biết./.",
    ),
)


def apology_pdf(
    letterhead: Letterhead,
    dossier: DossierSummary,
    reason: str,
    new_due_at: datetime,
    officer_name: str,
    *,
    number: str | None = None,
    issued_at: datetime | None = None,
) -> bytes:
    """Apology and new appointment, issued (once) before a dossier goes overdue.

    It states the original promise, why it cannot be kept and the new date,
    because the citizen's trust, and the service-quality index, depend on
    the center owning the delay in writing.
    """

    def body(sheet: _Sheet) -> None:
        sheet.field("Thời gian hẹn trả kết quả theo quy định", format_datetime(dossier.due_at))
        sheet.space(1)
        sheet.paragraph(
            f"Tuy nhiên đến nay, {letterhead.center_name} chưa thể trả kết quả giải quyết hồ sơ của Ông/Bà đúng hẹn."
        )
        sheet.field("Lý do", reason)
        sheet.paragraph(
            "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. "
            f"{letterhead.center_name} xin lỗi Ông/Bà và xin hẹn trả kết quả giải quyết hồ sơ vào:"
        )
        sheet.paragraph(format_datetime(new_due_at), bold=True, align="C", size=12)
        sheet.paragraph("Kính mong Ông/Bà thông cảm. " + tracking_sentence(dossier), align="L")

    return _notice_pdf(_APOLOGY, letterhead, dossier, officer_name, number, issued_at, body)


def control_sheet_pdf(
    letterhead: Letterhead,
    dossier: DossierSummary,
    events: Sequence[ControlEvent],
    *,
    number: str | None = None,
    issued_at: datetime | None = None,
) -> bytes:
    """Process control sheet: every hand-over with its step deadline and outcome.

    It travels with the paper file and shows inspectors which unit held the
    dossier when it went late, so the table must never drop a row: it wraps
    across pages and repeats its heading on each one.
    """
    sheet = _notice_sheet(letterhead, dossier, _CONTROL, number, issued_at)
    sheet.field("Thời gian hẹn trả kết quả", format_datetime(dossier.due_at), bold=True)
    sheet.below_qr()
    sheet.space(1)
    if not events:
        sheet.paragraph("(Chưa có lượt giao, nhận hồ sơ nào.)")
        return sheet.render()

    late = FontFace(emphasis="BOLD", color=(170, 0, 0))
    columns = [
        ("TT", 7, "CENTER"),
        ("Thời gian giao, nhận", 20, "LEFT"),
        ("Bên giao", 26, "LEFT"),
        ("Bên nhận", 26, "LEFT"),
        ("Nội dung, người thực hiện", 37, "LEFT"),
        ("Hạn xử lý của bước", 20, "LEFT"),
        ("Kết quả", 17, "CENTER"),
        ("Ghi chú", 22, "LEFT"),
    ]
    rows = [
        [
            format_datetime(event.at),
            event.from_unit,
            event.to_unit,
            event.action_label + (f"\n({event.actor})" if event.actor else ""),
            format_datetime(event.step_due_at, missing=""),
            (OUTCOME_LABELS.get(event.outcome, ""), late if event.outcome == "late" else None),
            event.note,
        ]
        for event in events
    ]
    sheet.numbered_table(columns, rows, size=8, line_height=3.8, padding=(1, 0.8))
    counts = {key: sum(1 for e in events if e.outcome == key) for key in ("early", "on_time", "late")}
    sheet.paragraph(
        f"Tổng số lượt giao, nhận: {len(events)}; sớm hạn: {counts['early']}; "
        f"đúng hạn: {counts['on_time']}; quá hạn: {counts['late']}.",
        size=9.5,
    )
    return sheet.render()


def fee_receipt_pdf(
    letterhead: Letterhead,
    dossier: DossierSummary,
    *,
    number: str,
    paid_at: datetime,
    payer_name: str,
    method_label: str,
    transaction_ref: str,
    breakdown: Sequence[str],
    total: int,
    legal_text: str = "",
) -> bytes:
    """E-receipt of a fee payment (biên lai thu phí, lệ phí điện tử), one per payment.

    It states who paid what, for which dossier, how (gateway/counter, transaction
    reference), the computed lines and the total in figures and in words, and the
    verbatim legal fee text the amount comes from. Dated at the payment, so a copy
    printed later is the same document.
    """
    from onestop.documents.words import amount_in_words

    sheet = start_sheet(letterhead, dossier, "BIÊN LAI THU PHÍ, LỆ PHÍ", number, paid_at, subtitle="(Biên lai điện tử)")
    sheet.field("Số biên lai", number, bold=True)
    sheet.field("Người nộp", f"Ông/Bà {payer_name}", bold=True)
    if dossier.applicant_id_number:
        sheet.field("Số định danh cá nhân", dossier.applicant_id_number)
    sheet.field("Mã hồ sơ", dossier.code)
    sheet.field("Nội dung thu", f"Phí, lệ phí thủ tục {dossier.procedure_name} (mã {dossier.procedure_code})")
    sheet.below_qr()
    sheet.space(1)
    sheet.paragraph("Cách tính:", bold=True)
    for line in breakdown:
        sheet.paragraph(f"- {line}", align="L")
    money = f"{total:,}".replace(",", ".")
    sheet.field("Số tiền", f"{money} đồng", bold=True)
    sheet.field("Bằng chữ", amount_in_words(total))
    sheet.field("Hình thức thanh toán", method_label)
    sheet.field("Mã giao dịch", transaction_ref)
    sheet.field("Thời điểm thanh toán", format_datetime(paid_at))
    if legal_text:
        sheet.paragraph("Quy định về mức thu:", bold=True)
        sheet.paragraph(legal_text)
    sheet.signature_blocks([_SignBlock("Đơn vị thu", letterhead.center_name, hint="(Biên lai điện tử)")])
    return sheet.render()


def result_pdf(
    letterhead: Letterhead,
    dossier: DossierSummary,
    title: str,
    body_lines: Sequence[str],
    signer_name: str,
    signer_title: str,
    *,
    number: str | None = None,
    issued_at: datetime | None = None,
    particulars: Sequence[tuple[str, str]] = (),
    register_book: str = "",
    draft: bool = False,
) -> bytes:
    """The electronic result, unsigned, with an empty signature field reserved.

    `particulars` are the result's content (domain/results: the child's name, date and
    place of birth, parents…), printed as label: value; `number` is the registration
    number in `register_book`. A `draft` is marked as such and has no signature field
    (the leader's preview before signing).

    The field (:data:`RESULT_SIGNATURE_FIELD`) covers the blank space between
    the signer's title and name, so :func:`onestop.documents.signing.sign_pdf`
    places the visible signature exactly where a wet signature would go.
    `signer_title` may contain "\\n" (e.g. "KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH").
    """
    sheet = start_sheet(
        letterhead,
        dossier,
        title.upper(),
        _number(dossier, "KQ", number),
        issued_at,
        subtitle="(DỰ THẢO — chưa ký, chưa có giá trị)" if draft else "",
    )
    if particulars:
        for label, value in particulars:
            sheet.field(label, value or "…", bold=True)
        if register_book:
            sheet.field("Số đăng ký", number or "(cấp khi ký)")
            sheet.field("Quyển số", f"{register_book} năm {(issued_at or clock.now()).year}")
        sheet.space(1)
    sheet.field("Mã hồ sơ", dossier.code, bold=not particulars)
    if not particulars:
        sheet.field("Người yêu cầu", f"Ông/Bà {dossier.applicant_name}", bold=True)
        if dossier.applicant_id_number:
            sheet.field("Số định danh cá nhân/CCCD", dossier.applicant_id_number)
    procedure = (
        f"{dossier.procedure_name} (mã thủ tục: {dossier.procedure_code})"
        if dossier.procedure_code
        else dossier.procedure_name
    )
    sheet.field("Thủ tục", procedure)
    sheet.below_qr()
    sheet.space(2)
    for line in body_lines:
        sheet.paragraph(line)
    space = sheet.signature_blocks(
        [_SignBlock(signer_title, signer_name, hint="(Ký số)")],
        left_note=["Nơi nhận:", f"- Ông/Bà {dossier.applicant_name};", "- Lưu: hồ sơ điện tử."],
    )
    if draft:
        return sheet.render()
    return _reserve_signature_field(sheet.render(), space, sheet.h)


def _reserve_signature_field(pdf: bytes, box: _Box, page_height: float) -> bytes:
    """Append an empty signature field over `box` (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    k = 72 / 25.4
    rect = (
        round(box.x * k),
        round((page_height - box.y - box.h) * k),
        round((box.x + box.w) * k),
        round((page_height - box.y) * k),
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    append_signature_field(writer, SigFieldSpec(RESULT_SIGNATURE_FIELD, on_page=box.page_index, box=rect))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
