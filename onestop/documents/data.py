"""Plain, frozen inputs for the document renderers.

Why: the renderers in :mod:`onestop.documents.pdf` must stay pure (no database,
no Reflex, no clock hidden in a model property), so the service layer copies
what a slip needs into these small value objects first. Keeping them frozen
means a document can be re-rendered later from exactly the same facts, e.g.
when a citizen asks for a duplicate slip.

Times are naive local wall-clock times (see :mod:`onestop.clock`); aware
datetimes are accepted too and shown in Asia/Ho_Chi_Minh time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Outcome = Literal["early", "on_time", "late", ""]
"""How a hand-over step finished against its own due time ("" = not judged yet)."""


@dataclass(frozen=True)
class Letterhead:
    """Who issues the document: printed top-left and in the page footer.

    `place` is the locality in the "<place>, ngày … tháng … năm …" line; when
    empty it is derived from `province_name` (e.g. "UBND TỈNH BẮC NINH" →
    "Bắc Ninh"), because most centers never need to set it.
    """

    province_name: str
    center_name: str
    center_address: str
    center_phone: str = ""
    place: str = ""


@dataclass(frozen=True)
class DossierSummary:
    """The facts about one dossier that every slip repeats.

    `tracking_url` goes into the QR code so the citizen can follow the dossier
    from the paper slip without typing the code.
    """

    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_address: str
    channel_label: str
    received_at: datetime | None
    due_at: datetime | None
    tracking_url: str


@dataclass(frozen=True)
class DocumentLine:
    """One paper in a dossier (received, or missing for a supplement request)."""

    name: str
    copies: int = 1
    note: str = ""


@dataclass(frozen=True)
class ControlEvent:
    """One hand-over, as recorded in the audit log: a row of the control sheet."""

    at: datetime
    from_unit: str
    to_unit: str
    actor: str
    action_label: str
    step_due_at: datetime | None
    outcome: Outcome
    note: str = ""
