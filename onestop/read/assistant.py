"""The assistant over the current catalog: one in-memory `Assistant`, rebuilt when the catalog changes.

Why in memory: at 2,000 procedures the retrieval index and the facts fit in a few MB and
an answer takes milliseconds (bench/assistant_bench.py), with no outside service. The
snapshot is keyed by the catalog's stamp (rows, newest id, current rows), so a published
version, an import or a retirement shows up at the next question in every worker.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop.domain.assistant import Answer, Assistant, Contact, DocumentFact, ProcedureFacts
from onestop.domain.bilingual import BiText
from onestop.models import Center, Procedure, ProcedureField
from onestop.settings import get_settings

__all__ = ["answer", "assistant_for", "contact"]

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Assistant]] = {}


def _stamp(session: Session) -> tuple:
    current = sa.func.sum(sa.case((Procedure.is_current.is_(True), 1), else_=0))
    return tuple(session.exec(select(sa.func.count(Procedure.id), sa.func.max(Procedure.id), current)).one())


def _facts(p: Procedure, f: ProcedureField | None) -> ProcedureFacts:
    docs = tuple(
        DocumentFact(
            str(d.get("name_vi", "")),
            str(d.get("name_en") or d.get("name_vi", "")),
            bool(d.get("required", True)),
            bool(d.get("state_held", False)),
        )
        for d in (p.form_schema or {}).get("documents") or []
    )
    return ProcedureFacts(
        code=p.code, name=BiText(p.name_vi, p.name_en), field=BiText(f.name_vi, f.name_en) if f else BiText(),
        level=p.level, agency=p.agency, duration_counter=p.duration_counter,
        duration_online=p.duration_online, fee_amount=p.fee_amount, fee_online_amount=p.fee_online_amount,
        fee_text=p.fee_text, documents=docs, online_level=p.online_level, boundary_free=p.boundary_free,
        result_name_vi=p.result_name_vi, other_names=tuple(p.other_names or ()), popularity=float(p.popularity),
    )  # fmt: skip


def assistant_for(session: Session) -> Assistant:
    """The assistant over the current catalog (cached until the catalog changes)."""
    stamp = _stamp(session)
    with _lock:
        cached = _cache.get("current")
        if cached and cached[0] == stamp:
            return cached[1]
    fields = {f.id: f for f in session.exec(select(ProcedureField))}
    procs = session.exec(select(Procedure).where(Procedure.is_current.is_(True)))
    built = Assistant(_facts(p, fields.get(p.field_id)) for p in procs)
    with _lock:
        _cache["current"] = (stamp, built)
    return built


def _hours(office_hours: str) -> tuple[str, str]:
    spans = [s.strip().replace("-", "–") for s in office_hours.split(",") if s.strip()]
    return ", ".join(spans) + ", thứ Hai – thứ Sáu", " and ".join(spans) + ", Monday to Friday"


def contact(session: Session) -> Contact:
    """The hotline (setting ONESTOP_HOTLINE, else the provincial center's phone) and office hours."""
    settings = get_settings()
    hotline = settings.hotline
    if not hotline:
        row = session.exec(
            select(Center.phone).where(Center.active.is_(True), Center.phone != "").order_by(
                sa.case((Center.level == "province", 0), else_=1), Center.id)
        ).first()  # fmt: skip
        hotline = row or ""
    return Contact(hotline, BiText(*_hours(settings.office_hours)))


def answer(session: Session, question: str, lang: str = "vi") -> Answer:
    """Answer one question from the current catalog."""
    return assistant_for(session).answer(question, lang, contact(session))
