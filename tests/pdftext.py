"""Text of a PDF for assertions (pypdf), whitespace-collapsed and NFC-normalised."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())
