"""Small demo 'scans' for seeded dossiers: real PDFs that say plainly they are demo material."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fpdf import FPDF

_FONT = Path(__file__).resolve().parent.parent / "documents" / "fonts" / "DejaVuSans.ttf"


@lru_cache(maxsize=64)
def demo_scan_pdf(document_code: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(_FONT))
    pdf.set_font("DejaVu", size=14)
    pdf.multi_cell(0, 8, f"Tài liệu mẫu (dữ liệu demo)\nThành phần hồ sơ: {document_code}")
    return bytes(pdf.output())
