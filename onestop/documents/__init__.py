"""Documents a one-stop center issues: slips, control sheet, signed result.

Pure renderers (plain dataclasses in, PDF bytes out) live in :mod:`.pdf`;
local signing and verification with pyHanko in :mod:`.signing`, which is not
imported here so that rendering a slip does not load the crypto stack.
"""

from onestop.documents.data import ControlEvent, DocumentLine, DossierSummary, Letterhead
from onestop.documents.pdf import (
    apology_pdf,
    control_sheet_pdf,
    receipt_pdf,
    refusal_pdf,
    result_pdf,
    stop_notice_pdf,
    supplement_request_pdf,
)

__all__ = [
    "ControlEvent",
    "DocumentLine",
    "DossierSummary",
    "Letterhead",
    "apology_pdf",
    "control_sheet_pdf",
    "receipt_pdf",
    "refusal_pdf",
    "result_pdf",
    "stop_notice_pdf",
    "supplement_request_pdf",
]
