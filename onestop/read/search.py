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

#: Weak tail matches (< CUTOFF × the best score) are dropped: the one cut-off pages and the API share.
CUTOFF = 0.35

_lock = threading.Lock()
_cache: dict[str, Catalog] = {}


@dataclass(frozen=True)
class Catalog:
    """The current catalog held in memory: every current procedure version, the fields, the index.

    Procedure versions never change once published (an edit publishes version N+1 and
    retires N), so the snapshot is valid until the (count, max id) stamp moves; each
    worker rebuilds it at its next query after a publish. The rows are detached copies:
    read them, never change them.
    """

    stamp: tuple
    procedures: tuple[Procedure, ...]  # most used first, then by Vietnamese name
    fields: tuple[ProcedureField, ...]  # catalog order
    by_code: dict[str, Procedure]
    field_of: dict[int, ProcedureField]
    index: SearchIndex


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


def current_catalog(session: Session) -> Catalog:
    """The in-memory catalog; one small stamp query per call, a reload only after a publish."""
    stamp = _stamp(session)
    with _lock:
        cached = _cache.get("current")
    if cached is not None and cached.stamp == stamp:
        return cached
    procs = list(
        session.exec(
            select(Procedure)
            .where(Procedure.is_current.is_(True))
            .order_by(Procedure.popularity.desc(), Procedure.name_vi)
        ).all()
    )
    fields = list(session.exec(select(ProcedureField).order_by(ProcedureField.id)).all())
    for row in (*procs, *fields):
        session.expunge(row)  # the cache owns these copies; the session may load its own
    field_of = {f.id: f for f in fields if f.id is not None}
    docs = [
        SearchDoc(
            key=p.code,
            title=p.name_vi,
            extra=f"{p.name_en} {field_of[p.field_id].name_vi if p.field_id in field_of else ''} "
            f"{p.description_vi} {p.code}",
            popularity=float(p.popularity),
            aliases=tuple(p.other_names or ()),
        )
        for p in procs
    ]
    catalog = Catalog(stamp, tuple(procs), tuple(fields), {p.code: p for p in procs}, field_of, SearchIndex(docs))
    with _lock:
        _cache["current"] = catalog
    return catalog


def search_procedures(session: Session, query: str, limit: int = 20) -> list[ProcedureHit]:
    """Best matches first, weak tail dropped (CUTOFF); an empty query lists the most used procedures.

    The one procedure search: the catalog pages and `GET /api/v1/procedures` both ask it.
    """
    query = (query or "").strip()[:200]
    catalog = current_catalog(session)
    if query:
        ranked = catalog.index.search(query, limit=limit)
        best = ranked[0][1] if ranked else 0.0
        pairs = [
            (catalog.by_code[code], score)
            for code, score in ranked
            if code in catalog.by_code and score >= best * CUTOFF
        ]
    else:
        pairs = [(p, 0.0) for p in catalog.procedures[:limit]]
    out = []
    for p, score in pairs:
        f = catalog.field_of.get(p.field_id)
        out.append(
            ProcedureHit(
                p.code,
                p.name_vi,
                p.name_en,
                f.code if f else "",
                f.name_vi if f else "",
                f.name_en if f else "",
                p.fee_amount,
                p.fee_text,
                p.duration_online or p.duration_counter or {},
                score,
            )
        )
    return out
