"""Procedures for the public pages: the catalog grouped by field, home-page tiles, the most used.

Why here: the read side (see onestop/read/__init__.py). The ranked, typo-tolerant
search itself is `read.search`; the catalog narrows with it so pages and
`GET /api/v1/procedures` agree on what matches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session

from onestop.domain.text import fold, tokens
from onestop.i18n import t
from onestop.models import Procedure
from onestop.read.format import fmt_money
from onestop.read.search import current_catalog, search_procedures
from onestop.services.dossiers import duration_for

# --------------------------------------------------------------------------- public catalog


@dataclass
class ProcedureRow:
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    duration_vi: str = ""
    duration_en: str = ""
    fee_vi: str = ""
    fee_en: str = ""
    level: str = ""


@dataclass
class FieldGroup:
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    icon: str = "file-text"
    count: int = 0
    procedures: list[ProcedureRow] = field(default_factory=list)


def _procedure_row(proc: Procedure) -> ProcedureRow:
    duration = duration_for(proc, "direct")
    if proc.fee_amount or proc.fee_text:
        amount_vi = fmt_money(proc.fee_amount, "vi") if proc.fee_amount else t("fee.free", "vi")
        amount_en = fmt_money(proc.fee_amount, "en") if proc.fee_amount else t("fee.free", "en")
        # The verbatim text is the legal one (exemptions live there): show it as written.
        fee_vi = proc.fee_text or amount_vi
        fee_en = f"{amount_en} — {proc.fee_text}" if proc.fee_text else amount_en
    else:
        fee_vi, fee_en = t("fee.free", "vi"), t("fee.free", "en")
    return ProcedureRow(
        code=proc.code,
        name_vi=proc.name_vi,
        name_en=proc.name_en,
        duration_vi=duration.label("vi"),
        duration_en=duration.label("en"),
        fee_vi=fee_vi,
        fee_en=fee_en,
        level=proc.level,
    )


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
            name_vi=f.name_vi,
            name_en=f.name_en,
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
            code=f.code, name_vi=f.name_vi, name_en=f.name_en, icon=f.icon or "file-text", count=counts.get(f.id, 0)
        )
        for f in catalog.fields
        if counts.get(f.id)
    ]


def popular_procedures(session: Session, limit: int = 6) -> list[ProcedureRow]:
    return [_procedure_row(p) for p in current_catalog(session).procedures[:limit]]
