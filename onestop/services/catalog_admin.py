"""Add a procedure, rebuild its form from builder rows, retire it — the administrator's catalog use cases.

Why here and not in `catalog.py`: these are the catalog area's additions (issue 14); an edit
of an existing procedure still goes through `catalog.stage_new_version` (a new version, open
dossiers keep theirs). Every change writes a `catalog_event`; the caller commits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.domain.deadlines import Duration
from onestop.domain.errors import DomainError
from onestop.domain.form_builder import BuilderError, DocumentRow, FieldRow, build_schema
from onestop.models import Procedure, ProcedureField
from onestop.services import catalog, catalog_import
from onestop.services.actor import Actor
from onestop.services.permissions import require_role

__all__ = ["add_procedure", "retire_procedure", "save_form"]

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")


def _bad(code: str, vi: str, en: str, field: str) -> DomainError:
    return DomainError(code, vi, en, field=field, status=422)


def _builder(err: BuilderError) -> DomainError:
    return DomainError(f"form_{err.kind}", err.vi, err.en, field="form_schema", status=422)


def add_procedure(
    session: Session, actor: Actor, data: dict[str, Any], fields: Sequence[FieldRow], documents: Sequence[DocumentRow]
) -> Procedure:
    """A new procedure (or a retired code put back, as its next version) with a form built from rows."""
    require_role(actor, ["admin"])
    code = str(data.get("code") or "").strip()
    if not _CODE_RE.fullmatch(code):
        raise _bad(
            "code_invalid",
            "Mã thủ tục không hợp lệ (chữ, số, dấu chấm, gạch; tối đa 30 ký tự).",
            "Invalid procedure code (letters, digits, dot, dash; 30 characters at most).",
            "code",
        )
    if session.exec(select(Procedure.id).where(Procedure.code == code, Procedure.is_current.is_(True))).first():
        raise _bad("code_taken", f"Mã {code} đã có trong danh mục.", f"Code {code} is already in the catalog.", "code")
    for key, limit in (("name_vi", 300), ("name_en", 300)):
        value = " ".join(str(data.get(key) or "").split())
        if not value or len(value) > limit:
            raise _bad(
                f"{key}_invalid",
                f"Tên thủ tục cần có và tối đa {limit} ký tự.",
                f"The name is required, {limit} characters at most.",
                key,
            )
    field = session.exec(select(ProcedureField).where(ProcedureField.code == str(data.get("field") or ""))).first()
    if field is None:
        raise _bad("field_unknown", "Chọn một lĩnh vực.", "Choose a field.", "field")
    durations = {}
    for key in ("duration_counter", "duration_online"):
        raw = data.get(key)
        if raw is None and key == "duration_online":
            continue
        try:
            durations[key] = Duration.from_dict(raw).to_dict()
        except (ValueError, TypeError, KeyError) as exc:
            raise _bad("bad_duration", "Thời hạn giải quyết không hợp lệ.", "Invalid processing time.", key) from exc
    fee = data.get("fee_amount", 0)
    if not isinstance(fee, int) or fee < 0 or fee > 1_000_000_000:
        raise _bad("bad_fee", "Mức phí không hợp lệ.", "Invalid fee.", "fee_amount")
    try:
        schema = build_schema(fields, documents)
    except BuilderError as err:
        raise _builder(err) from err
    last = session.exec(select(sa.func.max(Procedure.version)).where(Procedure.code == code)).one() or 0
    proc = Procedure(
        code=code, version=int(last) + 1, is_current=True, name_vi=" ".join(str(data["name_vi"]).split()),
        name_en=" ".join(str(data["name_en"]).split()), field_id=field.id, level=str(data.get("level") or "commune"),
        duration_counter=durations["duration_counter"], duration_online=durations.get("duration_online"),
        fee_amount=fee, fee_text=str(data.get("fee_text") or "")[:1000], legal_basis=str(data.get("legal_basis") or "")[:1000],
        agency=str(data.get("agency") or "")[:500], other_names=list(data.get("other_names") or []),
        result_name_vi=str(data.get("result_name_vi") or "")[:300], form_schema=schema, created_at=clock.now(),
    )  # fmt: skip
    if proc.level not in ("commune", "province"):
        raise _bad("level_invalid", "Cấp thực hiện không hợp lệ.", "Invalid level.", "level")
    session.add(proc)
    session.flush()
    detail = {"fields": len(schema["fields"]), "documents": len(schema["documents"])}
    catalog_import.record_event(session, actor, "add", proc.code, proc.version, "admin", detail)
    return proc


def save_form(
    session: Session, actor: Actor, code: str, fields: Sequence[FieldRow], documents: Sequence[DocumentRow]
) -> Procedure:
    """Publish the builder's form as the procedure's next version (settings the builder hides are kept)."""
    require_role(actor, ["admin"])
    current = catalog.current_procedure(session, code)
    try:
        schema = build_schema(fields, documents, current.form_schema)
    except BuilderError as err:
        raise _builder(err) from err
    if schema == current.form_schema:
        raise DomainError("nothing_changed", "Không có thay đổi nào để lưu.", "Nothing was changed.", status=409)
    new = catalog.stage_new_version(session, actor, code, {"form_schema": schema}, old=current)
    catalog_import.record_event(session, actor, "version", new.code, new.version, "admin", {"fields": ["form_schema"]})
    return new


def retire_procedure(session: Session, actor: Actor, code: str) -> Procedure:
    """Withdraw a procedure from the catalog; dossiers already filed keep their version."""
    return catalog_import.retire(session, actor, code, source="admin")
