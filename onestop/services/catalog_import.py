"""Import a province's procedure list: preview (dry run) and apply, in one transaction, audited.

Why a plan first: an administrator must see what a 2,000-row file would add, re-version
and retire before anything changes, and the CLI, the admin page and the apply all
compute that plan the same way (`domain.catalog_sheet.plan_import`). Applying refuses
a file with row errors, publishes changed procedures through `catalog.stage_new_version`
(open dossiers keep the version they were received under), and writes one
`catalog_event` per touched procedure plus one summary row. The caller commits.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop import clock
from onestop.domain import catalog_sheet as sheet
from onestop.domain.errors import DomainError
from onestop.domain.text import fold
from onestop.models import CatalogEvent, Procedure, ProcedureField
from onestop.services import catalog
from onestop.services.actor import Actor
from onestop.services.permissions import require_role

__all__ = ["apply_import", "base_schema", "current_facts", "preview_import", "schema_with_documents"]

_ACCEPTED = ["application/pdf", "image/jpeg", "image/png"]
_APPLICANT_FIELDS: list[dict[str, Any]] = [
    {
        "name": "full_name",
        "type": "text",
        "label_vi": "Họ và tên người yêu cầu",
        "label_en": "Applicant's full name",
        "required": True,
        "autofill": "resident.full_name",
        "registry_authoritative": True,
        "section": "applicant",
    },
    {
        "name": "national_id",
        "type": "national_id",
        "label_vi": "Số định danh cá nhân",
        "label_en": "Personal ID number",
        "required": True,
        "autofill": "resident.national_id",
        "registry_authoritative": True,
        "section": "applicant",
    },
    {
        "name": "phone",
        "type": "phone",
        "label_vi": "Số điện thoại liên hệ",
        "label_en": "Contact phone",
        "required": True,
        "autofill": "resident.phone",
        "section": "applicant",
    },
    {
        "name": "address",
        "type": "address",
        "label_vi": "Nơi cư trú",
        "label_en": "Place of residence",
        "required": True,
        "autofill": "resident.address",
        "section": "applicant",
    },
    {
        "name": "request_details",
        "type": "textarea",
        "label_vi": "Nội dung yêu cầu",
        "label_en": "What you request",
        "required": True,
        "section": "request",
        "max_length": 2000,
    },
    {
        "name": "declaration",
        "type": "checkbox",
        "label_vi": "Tôi cam đoan nội dung khai trên là đúng sự thật",
        "label_en": "I declare that the information above is true",
        "required": True,
        "section": "request",
    },
]


def _doc_code(name: str, taken: set[str]) -> str:
    base = "_".join(fold(name).split()[:6])[:40] or "doc"
    base = re.sub(r"[^a-z0-9_]", "", base) or "doc"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    taken.add(code)
    return code


def schema_with_documents(schema: dict[str, Any] | None, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """`schema` with its document list set to `names`: documents already there (same name) keep their spec."""
    schema = dict(schema or {"fields": [dict(f) for f in _APPLICANT_FIELDS], "documents": []})
    existing = {d.get("name_vi"): d for d in schema.get("documents") or []}
    taken: set[str] = set()
    docs: list[dict[str, Any]] = []
    for name in names:
        if name in existing:
            docs.append(existing[name])
            taken.add(existing[name]["code"])
    for name in names:
        if name not in existing:
            required = "(nếu có)" not in name.lower() and "nếu có" not in name.lower()
            docs.append(
                {
                    "code": _doc_code(name, taken | {d["code"] for d in docs}),
                    "name_vi": name[:300],
                    "name_en": name[:300],
                    "required": required,
                    "accepted_types": list(_ACCEPTED),
                    "max_size_mb": 10,
                }
            )
    order = {n: i for i, n in enumerate(names)}
    docs.sort(key=lambda d: order.get(d["name_vi"], 0))
    schema["documents"] = docs
    return schema


def base_schema(documents: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The e-form an imported procedure starts with: applicant (registry auto-fill), request, declaration, documents."""
    return schema_with_documents(None, documents)


def _fields_by_name(session: Session) -> dict[str, ProcedureField]:
    return {sheet._plain(f.name_vi): f for f in session.exec(select(ProcedureField))}


def current_facts(session: Session) -> tuple[dict[str, dict[str, Any]], dict[str, Procedure]]:
    """The current catalog as `row_facts`-shaped dicts, and the current rows by code."""
    fields = {f.id: f for f in session.exec(select(ProcedureField))}
    procs = {p.code: p for p in session.exec(select(Procedure).where(Procedure.is_current.is_(True)))}
    facts: dict[str, dict[str, Any]] = {}
    for code, p in procs.items():
        f = fields.get(p.field_id)
        facts[code] = {
            "name_vi": p.name_vi,
            "name_en": p.name_en,
            "field": sheet._plain(f.name_vi) if f else "",
            "level": p.level,
            "duration_counter": p.duration_counter,
            "duration_online": p.duration_online or p.duration_counter,
            "fee_amount": p.fee_amount,
            "fee_text": p.fee_text,
            "legal_basis": p.legal_basis,
            "result_name_vi": p.result_name_vi,
            "agency": p.agency,
            "other_names": list(p.other_names or []),
            "documents": [d.get("name_vi", "") for d in (p.form_schema or {}).get("documents") or []],
        }
    return facts, procs


def _file_error(exc: sheet.SheetError) -> DomainError:
    return DomainError(f"import_{exc.code}", exc.vi, exc.en, field="file", status=422)


def preview_import(session: Session, data: bytes, filename: str, *, retire_missing: bool = True) -> sheet.ImportPlan:
    """What importing the file would change; writes nothing."""
    started = time.perf_counter()
    try:
        rows, errors = sheet.parse_sheet(sheet.read_table(data, filename))
    except sheet.SheetError as exc:
        raise _file_error(exc) from exc
    facts, procs = current_facts(session)
    plan = sheet.plan_import(
        rows, errors, facts, {c: p.name_vi for c, p in procs.items()}, retire_missing=retire_missing
    )
    known = _fields_by_name(session)
    plan.new_fields = sorted({r.field for r in rows if sheet._plain(r.field) not in known})
    plan.seconds = time.perf_counter() - started
    return plan


def _field_code(name: str, taken: set[str]) -> str:
    base = ("imp_" + "_".join(fold(name).split()))[:36]
    code, n = base, 2
    while code in taken:
        code, n = f"{base[:34]}_{n}", n + 1
    return code


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    code: str,
    version: int | None,
    source: str,
    detail: dict[str, Any] | None,
) -> None:
    """One line of the catalog's history (who added, versioned or retired which procedure, from where).

    Shared with the admin's form builder (services/catalog_admin, source "admin"), so both
    paths that change the catalog leave the same trail.
    """
    session.add(
        CatalogEvent(
            at=clock.now(),
            action=action,
            procedure_code=code,
            version=version,
            actor_user_id=actor.user_id,
            actor_name=actor.full_name,
            source=source[:300],
            detail=detail,
        )
    )


def apply_import(
    session: Session, actor: Actor, data: bytes, filename: str, *, retire_missing: bool = True
) -> sheet.ImportPlan:
    """Apply the file's plan (admin only). Refuses a file with row errors. Does not commit."""
    require_role(actor, ["admin"])
    started = time.perf_counter()
    plan = preview_import(session, data, filename, retire_missing=retire_missing)
    if plan.errors:
        raise DomainError(
            "import_has_errors",
            f"Tệp còn {len(plan.errors)} lỗi dòng: hãy sửa rồi nhập lại (chưa thay đổi gì).",
            f"The file has {len(plan.errors)} row errors: fix them and import again (nothing changed).",
            field="file",
            status=422,
        )
    digest = hashlib.sha256(data).hexdigest()[:16]
    source = f"import:{(filename or 'file')[-200:]} sha256:{digest}"
    now = clock.now()
    fields = _fields_by_name(session)
    taken = {f.code for f in fields.values()}
    for name in plan.new_fields:
        code = _field_code(name, taken)
        taken.add(code)
        pf = ProcedureField(code=code, name_vi=name[:200], name_en=name[:200])
        session.add(pf)
        fields[sheet._plain(name)] = pf
    session.flush()
    by_code = {r.code: r for r in plan.rows}
    _, procs = current_facts(session)
    added_codes = [c.code for c in plan.added]
    last_version = (
        dict(
            session.exec(
                select(Procedure.code, sa.func.max(Procedure.version))
                .where(Procedure.code.in_(added_codes))
                .group_by(Procedure.code)
            ).all()
        )
        if added_codes
        else {}
    )
    for change in plan.added:
        r = by_code[change.code]
        version = int(last_version.get(r.code) or 0) + 1
        columns = _columns(r, sheet.row_facts(r), fields, base_schema)
        columns.setdefault(
            "name_en", r.name_vi
        )  # a file without English names: a new procedure reuses its Vietnamese one
        session.add(Procedure(code=r.code, version=version, is_current=True, created_at=now, **columns))
        record_event(session, actor, "add", r.code, version, source, {"row": r.row})
    for change in plan.changed:
        r = by_code[change.code]
        old = procs[r.code]
        changes = _columns(r, change.fields, fields, partial(schema_with_documents, old.form_schema))
        new = catalog.stage_new_version(session, actor, r.code, changes, old=old)
        record_event(
            session, actor, "version", r.code, new.version, source, {"row": r.row, "fields": list(change.fields)}
        )
    for change in plan.retired:
        retire(session, actor, change.code, source=source, procedure=procs[change.code])
    record_event(
        session,
        actor,
        "import",
        "",
        None,
        source,
        {
            "added": len(plan.added),
            "changed": len(plan.changed),
            "retired": len(plan.retired),
            "unchanged": plan.unchanged,
            "new_fields": plan.new_fields,
        },
    )
    session.flush()
    plan.applied = True
    plan.seconds = time.perf_counter() - started
    return plan


def _columns(
    r: sheet.SheetRow,
    keys: Iterable[str],
    fields: dict[str, ProcedureField],
    schema_of: Callable[[list[str]], dict[str, Any]],
) -> dict[str, Any]:
    """The procedure columns for the facts `keys` of row `r` (`sheet.row_facts` names): what the row says, but the
    field as its id and the documents as a form schema (`schema_of` builds it anew or merges it into the old).
    Why one place: a new procedure and a new version of a changed one store a row's facts the same way."""
    facts = sheet.row_facts(r)
    columns: dict[str, Any] = {}
    for key in keys:
        if key == "field":
            columns["field_id"] = fields[facts["field"]].id
        elif key == "documents":
            columns["form_schema"] = schema_of(facts["documents"])
        else:
            columns[key] = facts[key]
    return columns


def retire(
    session: Session, actor: Actor, code: str, *, source: str = "admin", procedure: Procedure | None = None
) -> Procedure:
    """Withdraw a procedure from the catalog (no version stays current); dossiers keep theirs. Admin only."""
    require_role(actor, ["admin"])
    proc = procedure or catalog.current_procedure(session, code)
    proc.is_current = False
    session.add(proc)
    record_event(session, actor, "retire", code, proc.version, source, None)
    session.flush()
    return proc
