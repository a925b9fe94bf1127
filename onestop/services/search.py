"""Procedure search: one in-memory index of the current catalog, rebuilt when it changes.

Why in memory: 2,000 procedures fold into a few hundred KB; a query answers in a few
milliseconds (bench/search_bench.py), far faster than LIKE over folded columns, and
typo tolerance needs the vocabulary anyway. The index is keyed by the catalog's
version stamp, so a published edit shows up at the next query in every worker.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop.domain.text import SearchDoc, SearchIndex
from onestop.models import Procedure, ProcedureField

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, SearchIndex]] = {}


@dataclass(frozen=True)
class ProcedureHit:
    code: str
    name_vi: str
    name_en: str
    field_code: str
    field_vi: str
    field_en: str
    fee_amount: int
    fee_text: str
    duration: dict
    score: float


def _stamp(session: Session) -> tuple:
    return tuple(session.exec(select(sa.func.count(Procedure.id), sa.func.max(Procedure.id))).one())


def _index(session: Session) -> SearchIndex:
    stamp = _stamp(session)
    with _lock:
        cached = _cache.get("current")
        if cached and cached[0] == stamp:
            return cached[1]
    rows = session.exec(select(Procedure, ProcedureField).join(ProcedureField, Procedure.field_id == ProcedureField.id)
                        .where(Procedure.is_current.is_(True))).all()
    docs = [SearchDoc(key=p.code, title=p.name_vi, extra=f"{p.name_en} {f.name_vi} {p.description_vi} {p.code}",
                      popularity=float(p.popularity), aliases=tuple(p.other_names or ())) for p, f in rows]
    index = SearchIndex(docs)
    with _lock:
        _cache["current"] = (stamp, index)
    return index


def search_procedures(session: Session, query: str, limit: int = 20) -> list[ProcedureHit]:
    """Best matches first; an empty query lists the most used procedures."""
    query = (query or "").strip()[:200]
    if query:
        ranked = _index(session).search(query, limit=limit)
        codes = [code for code, _ in ranked]
        scores = dict(ranked)
    else:
        codes, scores = [], {}
    stmt = select(Procedure, ProcedureField).join(ProcedureField, Procedure.field_id == ProcedureField.id).where(
        Procedure.is_current.is_(True))
    stmt = stmt.where(Procedure.code.in_(codes)) if query else stmt.order_by(Procedure.popularity.desc()).limit(limit)
    rows = {p.code: (p, f) for p, f in session.exec(stmt)}
    order = codes if query else list(rows)
    return [ProcedureHit(p.code, p.name_vi, p.name_en, f.code, f.name_vi, f.name_en, p.fee_amount, p.fee_text,
                         p.duration_online or p.duration_counter or {}, scores.get(p.code, 0.0))
            for p, f in (rows[c] for c in order if c in rows)]
