"""The demo catalog: real national procedures (codes, durations, fees, legal basis) with e-forms.

The catalog is data, so it lives in ``catalog.json`` beside this module and is read once at import into
the plain dicts the seed, the generated procedure file and the tests use. Fee texts are kept verbatim
beside the parsed amounts, because exemptions live in the text.

What every procedure shares is written once in the file and added here: the applicant fields, the
declaration and the ID card open and close each e-form; a field is required and a document is required,
takes PDF or pictures up to 10 MB unless it says otherwise; a field's ``options`` is a list of
``[value, label_vi, label_en]`` or the name of a shared list (``fee_exemptions``: the procedure's own fee
exemptions, so the choice list and the fee schedule never disagree); filing online takes as long as at
the counter and the fee is one amount per dossier unless the procedure says otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_FILE = Path(__file__).with_name("catalog.json")


def _field(spec: dict[str, Any], option_lists: dict[str, list[list[str]]], fee: dict[str, Any]) -> dict[str, Any]:
    """One e-form field as the schema reads it: required unless it says not, options as value/label dicts."""
    field = {"required": True, "section": "request", **spec}
    options = field.get("options")
    if options == "fee_exemptions":
        options = [[e["code"], e["label_vi"], e["label_en"]] for e in fee["exemptions"]]
    elif isinstance(options, str):
        options = option_lists[options]
    if options is not None:
        field["options"] = [{"value": v, "label_vi": vi, "label_en": en} for v, vi, en in options]
    return field


def _document(spec: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """One required document of the e-form, with the file's default accepted types and size limit."""
    return {"required": True, **defaults, **spec}


def _procedure(spec: dict[str, Any], catalog: dict[str, Any]) -> dict[str, Any]:
    """One demo procedure as the seed reads it: the file's facts with the shared defaults and e-form parts."""
    procedure = {k: v for k, v in spec.items() if k not in ("request_fields", "documents")}
    procedure.setdefault("duration_online", procedure["duration_counter"])
    procedure.setdefault("fee_amount", 0)
    procedure.setdefault("fee_schedule", {"basis": "per_dossier", "amount": procedure["fee_amount"]})
    options, fee = catalog["option_lists"], procedure["fee_schedule"]
    fields = [*catalog["applicant_fields"], *spec["request_fields"], catalog["declaration"]]
    documents = [catalog["id_card"], *spec["documents"]]
    procedure["form_schema"] = {
        "fields": [_field(f, options, fee) for f in fields],
        "documents": [_document(d, catalog["document_defaults"]) for d in documents],
    }
    return procedure


def _centers(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Centers with their counters as (number, name, field codes), the way the seed unpacks them."""
    return [{**c, "counters": [(k["number"], k["name"], k["fields"]) for k in c["counters"]]} for c in specs]


_CATALOG: dict[str, Any] = json.loads(_FILE.read_text(encoding="utf-8"))
FIELDS: list[dict[str, str]] = _CATALOG["fields"]
PROCEDURES: list[dict[str, Any]] = [_procedure(p, _CATALOG) for p in _CATALOG["procedures"]]
CENTERS: list[dict[str, Any]] = _centers(_CATALOG["centers"])

DEMO_PASSWORD = "Demo@2026"
#: One account per role (phone, role, name, center code, title).
DEMO_USERS: list[tuple[str, str, str, str | None, str]] = [
    ("0901000001", "citizen", "Nguyễn Thị Lan", None, ""),
    ("0901000002", "supporter", "Trần Văn Minh", "X01", "Tổ công nghệ số cộng đồng thôn Đông"),
    ("0901000003", "receiver", "Lê Thị Hoa", "X01", "Công chức một cửa"),
    ("0901000004", "specialist", "Phạm Quốc Tuấn", "X01", "Công chức Tư pháp - Hộ tịch"),
    ("0901000005", "leader", "Hoàng Văn Nam", "X01", "Phó Chủ tịch UBND xã"),
    ("0901000006", "admin", "Đỗ Thị Mai", None, "Quản trị hệ thống tỉnh"),
]
#: Extra officers so other centers have staff too (not needed to sign in for the demo).
EXTRA_OFFICERS: list[tuple[str, str, str, str, str]] = [
    ("0901000013", "receiver", "Vũ Thị Thu", "P01", "Công chức một cửa"),
    ("0901000014", "specialist", "Bùi Văn Long", "P01", "Công chức Văn hóa - Xã hội"),
    ("0901000015", "leader", "Ngô Thị Hằng", "P01", "Chủ tịch UBND phường"),
    ("0901000023", "receiver", "Đặng Văn Khoa", "T01", "Chuyên viên một cửa"),
    ("0901000024", "specialist", "Trịnh Thị Yến", "T01", "Chuyên viên Sở Tư pháp"),
    ("0901000025", "leader", "Lý Văn Sơn", "T01", "Giám đốc Trung tâm"),
    ("0901000033", "receiver", "Phan Thị Nga", "D01", "Công chức một cửa"),
    ("0901000034", "specialist", "Mai Văn Tài", "D01", "Công chức Địa chính"),
    ("0901000035", "leader", "Hồ Văn Phúc", "D01", "Chủ tịch UBND đặc khu"),
    ("0901000044", "specialist", "Cao Thị Linh", "X01", "Công chức Địa chính - Xây dựng"),
]
