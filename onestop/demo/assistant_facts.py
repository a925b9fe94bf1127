"""Assistant facts straight from the demo catalog and the generated procedure file (no database).

Why: the assistant's quality test and its bench must run at a province's size (2,000
procedures, the generated ones being realistic distractors) without building a database.
"""

from __future__ import annotations

from onestop.demo.catalog import FIELDS, PROCEDURES
from onestop.demo.catalog_file import catalog_rows
from onestop.domain.assistant import DocumentFact, ProcedureFacts
from onestop.domain.bilingual import BiText
from onestop.domain.catalog_sheet import parse_sheet

__all__ = ["demo_facts", "province_facts"]


def demo_facts() -> list[ProcedureFacts]:
    fields = {f["code"]: f for f in FIELDS}
    out = []
    for p in PROCEDURES:
        f = fields[p["field"]]
        docs = tuple(
            DocumentFact(d["name_vi"], d["name_en"], bool(d.get("required", True)), bool(d.get("state_held", False)))
            for d in p["form_schema"].get("documents", [])
        )
        out.append(
            ProcedureFacts(
                code=p["code"],
                name=BiText(p["name_vi"], p["name_en"]),
                field=BiText(f["name_vi"], f["name_en"]),
                level=p.get("level", "commune"),
                agency=p.get("agency", ""),
                duration_counter=p["duration_counter"],
                duration_online=p.get("duration_online"),
                fee_amount=p["fee_amount"],
                fee_online_amount=p.get("fee_online_amount"),
                fee_text=p["fee_text"],
                documents=docs,
                online_level=p.get("online_level", "full"),
                boundary_free=p.get("boundary_free", True),
                result_name_vi=p["result_name_vi"],
                other_names=tuple(p.get("other_names") or ()),
                popularity=float(p.get("popularity", 0)),
            )
        )
    return out


def province_facts(total: int = 2000) -> list[ProcedureFacts]:
    """The 13 demo procedures plus generated ones (SIM-… codes), `total` in all."""
    rows, errors = parse_sheet(catalog_rows(total))
    assert not errors
    demo = demo_facts()
    real = {p.code for p in demo}
    generated = [
        ProcedureFacts(
            code=r.code,
            name=BiText(r.name_vi, r.name_en or r.name_vi),
            field=BiText(r.field),
            level=r.level,
            agency=r.agency,
            duration_counter=r.duration_counter,
            duration_online=r.duration_online,
            fee_amount=r.fee_amount,
            fee_text=r.fee_text,
            documents=tuple(DocumentFact(d, d, "(nếu có)" not in d) for d in r.documents),
            result_name_vi=r.result,
            other_names=r.other_names,
        )
        for r in rows
        if r.code not in real
    ]
    return demo + generated
