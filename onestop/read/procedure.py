"""Procedures for the public pages: the catalog grouped by field, home-page tiles, the most used,
one procedure's page (documents, fees, durations, centers) and the ranked search hits.

Why here: the read side (see onestop/read/__init__.py). The ranked, typo-tolerant
search itself is `read.search`; the catalog narrows with it so pages and
`GET /api/v1/procedures` agree on what matches.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from onestop.domain.deadlines import Duration
from onestop.domain.forms import SNIFFABLE_TYPES, DocumentSpec
from onestop.domain.text import fold, tokens
from onestop.models import Procedure, ProcedureField
from onestop.read import reference
from onestop.read.bilingual import BiText
from onestop.read.centers import CenterInfo
from onestop.read.format import fee_texts
from onestop.read.schemas import schema_of
from onestop.read.search import ProcedureHit, current_catalog, search_procedures
from onestop.services.dossiers import current_procedure, duration_for, fee_for, fee_schedule_of
from onestop.settings import get_settings

# --------------------------------------------------------------------------- public catalog


@dataclass
class ProcedureHead:
    """What every list entry of a procedure shows (catalog row, search hit, apply page, admin list):
    its code and name, how long it takes and what it costs, each in both languages."""

    code: str = ""
    name: BiText = BiText()
    duration: BiText = BiText()
    fee: BiText = BiText()


def procedure_head(proc: Procedure | ProcedureHit, duration: Duration, fee: BiText) -> dict[str, Any]:
    """The `ProcedureHead` fields of a procedure (a row or a search hit), as keywords for any shape built on it."""
    return {
        "code": proc.code,
        "name": BiText(proc.name_vi, proc.name_en),
        "duration": BiText.by(duration.label),
        "fee": fee,
    }


@dataclass
class ProcedureRow(ProcedureHead):
    level: str = ""


@dataclass
class FieldGroup:
    code: str = ""
    name: BiText = BiText()
    icon: str = "file-text"
    count: int = 0
    procedures: list[ProcedureRow] = field(default_factory=list)


def _procedure_row(proc: Procedure) -> ProcedureRow:
    duration = duration_for(proc, "direct")
    fee = BiText(*fee_texts(proc.fee_amount))
    if proc.fee_text:
        # The verbatim text is the legal one (exemptions live there): show it as written.
        fee = BiText(proc.fee_text, f"{fee.en} — {proc.fee_text}")
    return ProcedureRow(**procedure_head(proc, duration, fee), level=proc.level)


def _matches(proc: Procedure, words: list[str]) -> bool:
    """Every folded query word appears in the folded names or the code ("dang ky khai sinh" finds
    "Đăng ký khai sinh"). The ranked search (domain/text.SearchIndex) replaces this when it is wired."""
    haystack = f"{fold(proc.name_vi)} {fold(proc.name_en)} {proc.code}"
    return all(word in haystack for word in words)


def procedure_catalog(session: Session, query: str = "") -> list[FieldGroup]:
    """Current procedures grouped by field (fields in catalog order, procedures most used first),
    narrowed to those matching `query` when one is given."""
    catalog = current_catalog(session)
    procs = list(catalog.procedures)
    words = tokens(query)
    fields = list(catalog.fields)
    if words:
        # Every word present wins; with none, the typo-tolerant ranked search answers ("khai sihn").
        # Either way the best match comes first, and its field's group leads.
        rank = _search_rank(session, query)
        exact = [p for p in procs if _matches(p, words)]
        procs = exact or [p for p in procs if p.code in rank]
        procs = sorted(procs, key=lambda p: rank.get(p.code, len(rank)))
        first: dict[int, int] = {}
        for i, proc in enumerate(procs):
            first.setdefault(proc.field_id, i)
        fields = sorted((f for f in fields if f.id in first), key=lambda f: first[f.id])
    by_field: dict[int, list[ProcedureRow]] = {}
    for proc in procs:
        by_field.setdefault(proc.field_id, []).append(_procedure_row(proc))
    return [
        FieldGroup(
            code=f.code,
            name=BiText(f.name_vi, f.name_en),
            icon=f.icon or "file-text",
            count=len(by_field[f.id]),
            procedures=by_field[f.id],
        )
        for f in fields
        if f.id in by_field
    ]


def _search_rank(session: Session, query: str) -> dict[str, int]:
    """Procedure code → rank from the one procedure search (weak tail already dropped)."""
    return {h.code: i for i, h in enumerate(search_procedures(session, query, limit=50))}


def field_summaries(session: Session) -> list[FieldGroup]:
    """Fields with how many current procedures each has (home page tiles), without the rows."""
    catalog = current_catalog(session)
    counts = Counter(p.field_id for p in catalog.procedures)
    return [
        FieldGroup(
            code=f.code, name=BiText(f.name_vi, f.name_en), icon=f.icon or "file-text", count=counts.get(f.id, 0)
        )
        for f in catalog.fields
        if counts.get(f.id)
    ]


def popular_procedures(session: Session, limit: int = 6) -> list[ProcedureRow]:
    return [_procedure_row(p) for p in current_catalog(session).procedures[:limit]]


# --------------------------------------------------------------------------- one procedure's page


@dataclass
class DocumentInfo:
    """One document of a procedure, as the procedure page and the apply flow show it."""

    code: str = ""
    name: BiText = BiText()
    note: BiText = BiText()
    required: bool = True
    state_held: bool = False
    reusable: bool = False
    copies: int = 1
    types: str = ""  # "PDF, JPEG, PNG"
    accept: str = ""  # for the file input: "application/pdf,image/jpeg,…"
    max_mb: int = 10
    images_only: bool = False


@dataclass
class ProcedureDetail:
    """One procedure's public page (and `GET /api/v1/procedures/{code}`, which spells each text `x_vi`/`x_en`)."""

    code: str = ""
    name: BiText = BiText()
    field: BiText = BiText()
    description: BiText = BiText()
    who: BiText = BiText()
    level: str = ""
    boundary_free: bool = True
    online: bool = True
    duration: BiText = BiText()
    duration_online: BiText = BiText()
    fee_text: str = ""
    fee_counter: BiText = BiText()
    fee_online: BiText = BiText()
    online_cheaper: bool = False
    legal_basis: str = ""
    result_vi: str = ""
    # `field` above is the procedure's field (of government): the dataclass helper is spelt in full here.
    documents: list[DocumentInfo] = dataclasses.field(default_factory=list)
    held: list[DocumentInfo] = dataclasses.field(default_factory=list)
    centers: list[CenterInfo] = dataclasses.field(default_factory=list)


def document_info(spec: DocumentSpec) -> DocumentInfo:
    return DocumentInfo(
        code=spec.code,
        name=BiText(spec.name_vi, spec.name_en),
        note=BiText(spec.note_vi, spec.note_en),
        required=spec.required,
        state_held=spec.state_held,
        reusable=bool(spec.wallet_kinds),
        copies=spec.copies,
        types=", ".join(SNIFFABLE_TYPES[m] for m in spec.accepted_types),
        accept=",".join(spec.accepted_types),
        max_mb=int(min(spec.max_size_mb, get_settings().max_upload_mb)),
        images_only=all(m.startswith("image/") for m in spec.accepted_types),
    )


def centers_for(session: Session, proc: Procedure) -> list[CenterInfo]:
    """Where the procedure can be filed: any active center when it is boundary-free, else its level's (the active
    centers from memory, read.reference: at most `reference.TTL` seconds old when another worker changed one)."""
    rows = reference.active_centers(session)
    if not proc.boundary_free:
        rows = [c for c in rows if (c.level == "province") == (proc.level == "province")] or list(rows)
    return [CenterInfo.of(c) for c in rows]


def public_name(session: Session, code: str) -> tuple[str, str]:
    """A current procedure's name (vi, en), as public as its page; ("", "") when there is none.

    From the in-memory catalog: the apply page shows it to a visitor it asks to sign in (one stamp query)."""
    proc = current_catalog(session).by_code.get(code) if code else None
    return (proc.name_vi, proc.name_en or proc.name_vi) if proc is not None else ("", "")


def procedure_detail(session: Session, code: str) -> ProcedureDetail:
    """Everything a person needs before filing, public (no login)."""
    proc = current_procedure(session, (code or "").strip()[:30])
    pfield = session.get(ProcedureField, proc.field_id)
    schema = schema_of(proc)
    counter, online = duration_for(proc, "direct"), duration_for(proc, "online")
    fee_counter, fee_online = fee_for(proc, "direct"), fee_for(proc, "online")
    schedule = fee_schedule_of(proc)
    # per copy / per page: the rule, not the one-page amount
    fee_online_text = BiText(*fee_texts(fee_online)) if schedule.basis == "per_dossier" else BiText.by(schedule.summary)
    docs = [document_info(d) for d in schema.documents]
    return ProcedureDetail(
        code=proc.code,
        name=BiText(proc.name_vi, proc.name_en),
        field=BiText(pfield.name_vi, pfield.name_en) if pfield else BiText(),
        description=BiText(proc.description_vi, proc.description_en or proc.description_vi),
        who=BiText(proc.who_vi, proc.who_en or proc.who_vi),
        level=proc.level,
        boundary_free=proc.boundary_free,
        online=proc.online_level == "full",
        duration=BiText.by(counter.label),
        duration_online=BiText.by(online.label),
        fee_text=proc.fee_text,
        fee_counter=BiText(*fee_texts(fee_counter)),
        fee_online=fee_online_text,
        online_cheaper=fee_online < fee_counter,
        legal_basis=proc.legal_basis,
        result_vi=proc.result_name_vi,
        documents=[d for d in docs if not d.state_held],
        held=[d for d in docs if d.state_held],
        centers=centers_for(session, proc),
    )


@dataclass
class SearchHit(ProcedureHead):
    """One ranked hit (`GET /api/v1/procedures` spells each text `x_vi`/`x_en`)."""

    field: BiText = BiText()
    score: float = 0.0


def search(session: Session, query: str, limit: int = 20) -> list[SearchHit]:
    """Ranked, accent-insensitive, typo-tolerant search; weak tail matches are dropped."""
    from onestop.read.search import search_procedures

    limit = max(1, min(int(limit), 50))
    hits = search_procedures(session, query, limit=limit)
    out = []
    for h in hits:
        duration = Duration.from_dict(h.duration or {"value": 0, "unit": "same_day"})
        head = procedure_head(h, duration, BiText(*fee_texts(h.fee_amount)))
        out.append(SearchHit(**head, field=BiText(h.field_vi, h.field_en), score=round(h.score, 3)))
    return out


def form_source(session: Session, code: str) -> tuple[str, str, dict[str, Any]]:
    """(name vi, name en, a copy of the stored form_schema) of the current version, for the form builder."""
    proc = current_procedure(session, code)
    return proc.name_vi, proc.name_en, dict(proc.form_schema or {})
