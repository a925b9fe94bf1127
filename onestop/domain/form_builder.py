"""The e-form builder's rules: rows an administrator fills in ↔ the `form_schema` the renderers read.

Why rows: administrators should build a procedure's form from plain inputs (a type from a
list, two labels, a "required" tick, options one per line, an auto-fill source from a list)
and never type JSON. This module turns those rows into a schema, names every problem by its
row in both languages, and has the schema judged by `domain.forms.FormSchema` — the same
judge the citizen form, the counter and the field app use — so a schema the renderers
cannot show is refused before it is saved. `rows_from_schema` is the inverse, for editing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from onestop.domain.errors import Bilingual
from onestop.domain.forms import AUTOFILL_SOURCES, FIELD_TYPES, DocumentBrief, FormSchema
from onestop.domain.text import fold

__all__ = [
    "BuilderError",
    "ConditionChoices",
    "DocumentRow",
    "FieldRow",
    "build_schema",
    "BOX_VALUES",
    "condition_choices",
    "renumber_conditions",
    "rows_from_schema",
]

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_ACCEPTED = ("application/pdf", "image/jpeg", "image/png")


class BuilderError(Bilingual, ValueError):
    """A row the builder refuses; `row` is 1-based within its list ("field" or "document")."""

    def __init__(self, kind: str, row: int, vi: str, en: str) -> None:
        super().__init__(en)
        self.kind, self.row, self.vi, self.en = kind, row, vi, en


def _field_error(i: int, vi: str, en: str) -> BuilderError:
    """Field row `i` refused; the message leads with the row as the administrator sees it ("Trường 2: …")."""
    return BuilderError("field", i, f"Trường {i}: {vi}", f"Field {i}: {en}")


def _document_error(i: int, vi: str, en: str) -> BuilderError:
    """Document row `i` refused ("Giấy tờ 2: …")."""
    return BuilderError("document", i, f"Giấy tờ {i}: {vi}", f"Document {i}: {en}")


@dataclass(frozen=True)
class FieldRow:
    label_vi: str
    label_en: str
    type: str = "text"
    required: bool = True
    options: str = ""  # one option per line: "Nam" or "male | Nam | Male"
    autofill: str = ""  # one of AUTOFILL_SOURCES, or ""
    registry_authoritative: bool = False
    section: str = "request"
    name: str = ""  # machine name; derived from the Vietnamese label when empty
    # Condition: shown only when the choice list in row `show_if_row` (1-based, earlier) holds one of
    # `show_if_values` (option values, one per line), or the optional yes/no box there is "true"
    # (ticked) / "false" (not). By row number, because that is what the administrator sees
    # ("Field 2") and a new row has no machine name until it is built.
    show_if_row: int = 0
    show_if_values: str = ""


@dataclass(frozen=True)
class DocumentRow(DocumentBrief):
    """A document row as the administrator edits it: the brief, and its machine code (derived when empty)."""

    code: str = ""


def _slug(text: str, taken: set[str], prefix: str) -> str:
    base = re.sub(r"[^a-z0-9_]", "", "_".join(fold(text).split()))[:40].strip("_") or prefix
    if not base[0].isalpha():
        base = f"{prefix}_{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _value(label: str) -> str:
    return re.sub(r"[^a-z0-9_]", "", "_".join(fold(label).split()))[:64]


def _options(row: FieldRow, i: int) -> list[dict[str, str]]:
    out, seen = [], set()
    for line in row.options.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 1:
            value, vi, en = _value(parts[0]), parts[0], parts[0]
        elif len(parts) == 2:
            value, vi, en = _value(parts[0]), parts[0], parts[1]
        else:
            value, vi, en = parts[0], parts[1], parts[2]
        if not value or value in seen:
            raise _field_error(
                i,
                f"lựa chọn «{line.strip()[:40]}» trùng hoặc trống.",
                f"option “{line.strip()[:40]}” is empty or repeated.",
            )
        seen.add(value)
        out.append({"value": value, "label_vi": vi, "label_en": en or vi})
    return out


def build_schema(
    fields: Sequence[FieldRow], documents: Sequence[DocumentRow], base: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The `form_schema` for these rows; raises BuilderError naming the first bad row.

    With `base` (the schema being edited), settings the builder does not show (patterns, limits,
    help texts, wallet kinds, accepted file types) are kept for fields and documents that keep
    their machine name / code.
    """
    base_fields = {f.get("name"): f for f in (base or {}).get("fields") or []}
    base_docs = {d.get("code"): d for d in (base or {}).get("documents") or []}
    builder_keys = {
        "name",
        "type",
        "label_vi",
        "label_en",
        "required",
        "section",
        "options",
        "autofill",
        "registry_authoritative",
        "show_if",
    }
    taken: set[str] = set()
    out_fields: list[dict[str, Any]] = []
    for i, row in enumerate(fields, 1):
        if not row.label_vi.strip() or not row.label_en.strip():
            raise _field_error(i, "cần nhãn tiếng Việt và tiếng Anh.", "needs a Vietnamese and an English label.")
        if row.type not in FIELD_TYPES:
            raise _field_error(i, f"kiểu «{row.type}» không có.", f"unknown type “{row.type}”.")
        if row.autofill and row.autofill not in AUTOFILL_SOURCES:
            raise _field_error(
                i, f"nguồn tự điền «{row.autofill}» không có.", f"unknown auto-fill source “{row.autofill}”."
            )
        if row.name:
            if not _NAME_RE.fullmatch(row.name) or row.name in taken:
                raise _field_error(
                    i,
                    f"tên máy «{row.name}» không hợp lệ hoặc trùng.",
                    f"machine name “{row.name}” is invalid or repeated.",
                )
            taken.add(row.name)
            name = row.name
        else:
            name = _slug(row.label_vi, taken, "field")
        kept = base_fields.get(name) or {}
        spec: dict[str, Any] = {k: v for k, v in kept.items() if k not in builder_keys and kept.get("type") == row.type}
        spec |= {
            "name": name,
            "type": row.type,
            "label_vi": row.label_vi.strip(),
            "label_en": row.label_en.strip(),
            "required": bool(row.required),
            "section": row.section,
        }
        if row.type == "select":
            spec["options"] = _options(row, i)
            if not spec["options"]:
                raise _field_error(
                    i, "danh sách chọn cần ít nhất một lựa chọn.", "a choice list needs at least one option."
                )
        elif row.options.strip():
            raise _field_error(i, "chỉ kiểu «danh sách chọn» mới có lựa chọn.", "only a choice list has options.")
        if row.autofill:
            spec["autofill"] = row.autofill
            spec["registry_authoritative"] = bool(row.registry_authoritative)
        elif row.registry_authoritative:
            raise _field_error(
                i,
                "«lấy từ CSDL dân cư» cần nguồn tự điền.",
                "“from the population registry” needs an auto-fill source.",
            )
        if row.show_if_row:
            spec["show_if"] = _condition(fields, out_fields, row, i)
        out_fields.append(spec)
    codes: set[str] = set()
    out_docs: list[dict[str, Any]] = []
    for i, doc in enumerate(documents, 1):
        if not doc.name_vi.strip() or not doc.name_en.strip():
            raise _document_error(i, "cần tên tiếng Việt và tiếng Anh.", "needs a Vietnamese and an English name.")
        code = doc.code or _slug(doc.name_vi, codes, "doc")
        if doc.code:
            if doc.code in codes:
                raise _document_error(i, f"mã «{doc.code}» trùng.", f"code “{doc.code}” repeated.")
            codes.add(doc.code)
        kept_doc = base_docs.get(code) or {"accepted_types": list(_ACCEPTED), "max_size_mb": 10}
        out_docs.append(
            {
                **kept_doc,
                "code": code,
                "name_vi": doc.name_vi.strip(),
                "name_en": doc.name_en.strip(),
                "required": bool(doc.required),
                "state_held": bool(doc.state_held),
            }
        )
    schema = {"fields": out_fields, "documents": out_docs}
    try:
        FormSchema.from_dict(schema)
    except (ValueError, TypeError) as exc:  # the renderers' judge refuses it: never save it
        raise BuilderError(
            "schema", 0, f"Biểu mẫu không hiển thị được: {exc}", f"The form cannot be rendered: {exc}"
        ) from exc
    return schema


def _condition(rows: Sequence[FieldRow], built: list[dict[str, Any]], row: FieldRow, i: int) -> dict[str, Any]:
    """Row `i`'s `show_if`, naming in both languages what is wrong with it (before the judge would)."""
    k = row.show_if_row
    if not 0 < k < i:
        raise _field_error(
            i, "điều kiện phải dựa vào một trường phía trên.", "a condition must depend on a field above it."
        )
    ctl, ctl_row = built[k - 1], rows[k - 1]
    if not _controls(ctl_row):
        raise _field_error(
            i,
            f"điều kiện chỉ dựa vào một danh sách chọn hoặc một ô đánh dấu không bắt buộc (trường {k} không phải).",
            f"a condition can only depend on a choice list or an optional yes/no box (field {k} is neither).",
        )
    if ctl_row.section == "request" and row.section == "applicant":
        raise _field_error(
            i,
            f"trường {k} được hỏi ở bước sau nên không làm điều kiện được.",
            f"field {k} is asked in a later step, so it cannot be the condition.",
        )
    box = ctl["type"] == "checkbox"
    options = set(BOX_VALUES) if box else {o["value"] for o in ctl["options"]}
    picked = [v.strip() for v in row.show_if_values.splitlines() if v.strip()]
    values: list[str | bool] = [BOX_VALUES[v] for v in picked if v in BOX_VALUES] if box else list(picked)
    if not picked or any(v not in options for v in picked):
        raise _field_error(
            i,
            f"chọn giá trị của «{ctl['label_vi']}» để hiện trường này.",
            f"choose the value of “{ctl['label_en']}” that shows this field.",
        )
    return {"field": ctl["name"], "equals": values[0]} if len(values) == 1 else {"field": ctl["name"], "in": values}


#: A yes/no box's two answers as the builder writes them (one per line in `show_if_values`).
BOX_VALUES: dict[str, bool] = {"true": True, "false": False}


def _controls(row: FieldRow) -> bool:
    """Whether a row can control a condition: a choice list, or a yes/no box that is not required
    (a required box is a declaration, always ticked once the form is accepted)."""
    return row.type == "select" or (row.type == "checkbox" and not row.required)


@dataclass(frozen=True)
class ConditionChoices:
    """What row i's condition pickers offer: the choice lists (and optional yes/no boxes) above it,
    and the options of the chosen one; for a box (`box`), "true" and "false" with empty labels
    (the page words them)."""

    fields: list[tuple[int, str, str]]  # (row, label_vi, label_en)
    values: list[tuple[str, str, str]]  # (value, label_vi, label_en)
    box: bool = False


def condition_choices(rows: Sequence[FieldRow]) -> list[ConditionChoices]:
    """Per row, the pickers' choices — computed from the rows as typed, even while another row is wrong,
    so the administrator is never left with an empty list to pick from."""
    out: list[ConditionChoices] = []
    parsed: list[list[dict[str, str]]] = []
    for i, row in enumerate(rows, 1):
        try:
            parsed.append(_options(row, i) if row.type == "select" else [])
        except BuilderError:
            parsed.append([])
    for i, row in enumerate(rows, 1):
        above = [(k, r.label_vi, r.label_en) for k, r in enumerate(rows[: i - 1], 1) if _controls(r)]
        k = row.show_if_row
        box = 0 < k < i and rows[k - 1].type == "checkbox"
        if box:
            values = [(v, "", "") for v in BOX_VALUES]
        else:
            values = [(o["value"], o["label_vi"], o["label_en"]) for o in parsed[k - 1]] if 0 < k < i else []
        out.append(ConditionChoices(above, values, box))
    return out


def renumber_conditions(rows: Sequence[FieldRow], removed: int) -> list[FieldRow]:
    """The rows left after removing row `removed` (1-based): conditions on it are cleared and
    conditions on later rows follow them up one place, so no condition silently changes target."""
    out = []
    for i, row in enumerate(rows, 1):
        if i == removed:
            continue
        k = row.show_if_row
        if k == removed:
            row = replace(row, show_if_row=0, show_if_values="")
        elif k > removed:
            row = replace(row, show_if_row=k - 1)
        out.append(row)
    return out


def rows_from_schema(schema: Mapping[str, Any] | None) -> tuple[list[FieldRow], list[DocumentRow]]:
    """The builder rows of an existing schema (what the admin edits)."""
    fields = []
    raw_fields = (schema or {}).get("fields") or []
    row_of = {f.get("name"): k for k, f in enumerate(raw_fields, 1)}
    for f in raw_fields:
        cond = f.get("show_if") or {}
        values = cond.get("in") or ([cond["equals"]] if "equals" in cond else [])
        options = "\n".join(f"{o['value']} | {o['label_vi']} | {o['label_en']}" for o in f.get("options") or [])
        fields.append(
            FieldRow(
                label_vi=f.get("label_vi", ""),
                label_en=f.get("label_en", ""),
                type=f.get("type", "text"),
                required=bool(f.get("required", False)),
                options=options,
                autofill=f.get("autofill") or "",
                registry_authoritative=bool(f.get("registry_authoritative")),
                section=f.get("section", "applicant"),
                name=f.get("name", ""),
                show_if_row=row_of.get(cond.get("field"), 0),
                show_if_values="\n".join(("true" if v else "false") if isinstance(v, bool) else str(v) for v in values),
            )
        )
    docs = [
        DocumentRow(
            name_vi=d.get("name_vi", ""),
            name_en=d.get("name_en", ""),
            required=bool(d.get("required", True)),
            state_held=bool(d.get("state_held", False)),
            code=d.get("code", ""),
        )
        for d in (schema or {}).get("documents") or []
    ]
    return fields, docs
