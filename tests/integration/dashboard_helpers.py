"""Dossier rows in chosen states for the dashboard's read tests (the read side only reads columns)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, select

from onestop.models import Center, Dossier, Procedure

_REFS: dict[tuple[int, str, str], tuple[int, int, str]] = {}


def make_dossier(
    session: Session,
    *,
    status: int,
    channel: str = "online",
    center: str = "X01",
    procedure: str = "1.001612",
    submitted_at: datetime | None = None,
    received_at: datetime | None = None,
    due_at: datetime | None = None,
    finished_at: datetime | None = None,
    on_time: bool | None = None,
    applicant_national_id: str = "",
    fee_amount: int = 0,
    fee_status: str = "none",
    result_attachment_id: int | None = None,
    apology: datetime | None = None,
    commit: bool = True,
) -> Dossier:
    key = (id(session), center, procedure)
    if key not in _REFS:
        c = session.exec(select(Center).where(Center.code == center)).one()
        p = session.exec(select(Procedure).where(Procedure.code == procedure, Procedure.is_current.is_(True))).one()
        _REFS[key] = (c.id, p.id, p.code)
    center_id, procedure_id, procedure_code = _REFS[key]
    d = Dossier(
        code=f"{center}-{secrets.token_hex(4)}",
        tracking_token=secrets.token_hex(16),
        procedure_id=procedure_id,
        procedure_code=procedure_code,
        applicant_name="Nguyễn Văn A",
        applicant_national_id=applicant_national_id,
        channel=channel,
        receiving_center_id=center_id,
        handling_center_id=center_id,
        status=status,
        submitted_at=submitted_at or received_at,
        received_at=received_at,
        due_at=due_at,
        finished_at=finished_at,
        on_time=on_time,
        fee_amount=fee_amount,
        fee_status=fee_status,
        result_attachment_id=result_attachment_id,
        apology_issued_at=apology,
    )
    session.add(d)
    if commit:
        session.commit()
        session.refresh(d)
    return d
