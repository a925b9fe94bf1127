"""Reading a province's procedure list (xlsx or CSV) and planning what an import would change.

Why pure: the dry run, the CLI and the admin page must show exactly what the apply
will do, so parsing, validation and the diff against the current catalog live here,
with no database; the service only loads the current facts and writes the plan.

The layout is the one provinces publish (one procedure per row, Vietnamese headers,
often a title row above them): code, name, field, level, processing time per channel,
fee text, legal basis, documents, result, implementing agency, and "other names"
(colloquial, older names, English). English headers are accepted too. Texts are kept
verbatim; amounts and durations are parsed beside them, and a row whose duration or
fee cannot be read is refused with a message in both languages rather than guessed.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from onestop.domain.errors import Bilingual

__all__ = [
    "COLUMNS",
    "Column",
    "MAX_BYTES",
    "MAX_ROWS",
    "OTHER_NAMES_TOO_LONG",
    "ImportPlan",
    "PlannedChange",
    "RowError",
    "SheetRow",
    "SheetError",
    "parse_duration",
    "parse_fee",
    "parse_sheet",
    "plan_import",
    "read_table",
    "row_facts",
    "other_names_too_long",
    "split_list",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000
#: How many other names a procedure may carry and how long each may be, whether imported or typed by the admin.
MAX_OTHER_NAMES, MAX_OTHER_NAME_CHARS = 30, 120
OTHER_NAMES_TOO_LONG = (
    f"Tên gọi khác: tối đa {MAX_OTHER_NAMES} tên, mỗi tên {MAX_OTHER_NAME_CHARS} ký tự.",
    f"Other names: {MAX_OTHER_NAMES} names at most, {MAX_OTHER_NAME_CHARS} characters each.",
)


@dataclass(frozen=True)
class Column:
    """One column of the catalog sheet: its name in both languages (messages name a column so), the headers that
    mean it (compared after `_plain`, i.e. lower-case without accents), whether a sheet must have it, and the
    longest text its cell may hold (0: no limit). Why one row per column: a column is added or renamed in one
    place, not in four parallel tables."""

    vi: str
    en: str
    headers: tuple[str, ...]
    required: bool = False
    limit: int = 0


#: canonical column → what it is, in the order the columns are described and required.
COLUMNS: dict[str, Column] = {
    "code": Column(
        "Mã thủ tục",
        "Code",
        ("ma thu tuc", "ma tthc", "ma thu tuc hanh chinh", "ma so", "ma", "code", "procedure code"),
        required=True,
        limit=30,
    ),
    "name_vi": Column(
        "Tên thủ tục",
        "Name",
        ("ten thu tuc", "ten thu tuc hanh chinh", "ten tthc", "ten", "name", "name vi"),
        required=True,
        limit=300,
    ),
    "name_en": Column(
        "Tên tiếng Anh",
        "English name",
        ("ten tieng anh", "ten thu tuc tieng anh", "name en", "english name"),
        limit=300,
    ),
    "field": Column("Lĩnh vực", "Field", ("linh vuc", "field"), required=True, limit=200),
    "level": Column("Cấp thực hiện", "Level", ("cap thuc hien", "cap", "level")),
    "duration_counter": Column(
        "Thời hạn giải quyết trực tiếp",
        "Processing time at the counter",
        (
            "thoi han giai quyet truc tiep",
            "thoi han giai quyet",
            "thoi gian giai quyet",
            "thoi gian giai quyet truc tiep",
            "processing time",
            "processing time counter",
        ),
        required=True,
    ),
    "duration_online": Column(
        "Thời hạn giải quyết trực tuyến",
        "Processing time online",
        ("thoi han giai quyet truc tuyen", "thoi gian giai quyet truc tuyen", "processing time online"),
    ),
    "fee_text": Column(
        "Phí, lệ phí", "Fees", ("phi, le phi", "phi le phi", "phi", "le phi", "fee", "fees"), limit=1000
    ),
    "legal_basis": Column("Căn cứ pháp lý", "Legal basis", ("can cu phap ly", "legal basis"), limit=1000),
    "documents": Column("Thành phần hồ sơ", "Documents", ("thanh phan ho so", "ho so", "documents")),
    "result": Column("Kết quả thực hiện", "Result", ("ket qua thuc hien", "ket qua", "result"), limit=300),
    "agency": Column(
        "Cơ quan thực hiện",
        "Implementing agency",
        ("co quan thuc hien", "co quan giai quyet", "agency", "implementing agency"),
        limit=500,
    ),
    "other_names": Column("Tên gọi khác", "Other names", ("ten goi khac", "ten khac", "other names", "aliases")),
}
REQUIRED_COLUMNS = tuple(key for key, column in COLUMNS.items() if column.required)
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")
_TRUNCATED_NATIONAL_CODE = re.compile(r"^[1-3]\.\d{1,5}$")  # 1.001190 read from a number cell as 1.00119


def _plain(s: str) -> str:
    """Lower case without accents, punctuation kept (``"50.000 đ"`` → ``"50.000 d"``)."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).lower().split())


def _header_key(cell: str) -> str:
    return " ".join(re.sub(r"[^\w,]+", " ", _plain(cell)).replace("_", " ").split()).strip(" ,")


_HEADER_INDEX = {header: key for key, column in COLUMNS.items() for header in column.headers}


class SheetError(Bilingual, ValueError):
    """The file as a whole cannot be read (not a table, no header row, too big)."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(en)
        self.code, self.vi, self.en = code, vi, en


@dataclass(frozen=True)
class RowError(Bilingual):
    """One refused cell: its sheet row number (as the user sees it), column, and message in both languages."""

    row: int
    column: str
    code: str
    vi: str
    en: str

    def column_label(self, lang: str = "vi") -> str:
        column = COLUMNS.get(self.column)
        if column is None:
            return self.column
        return column.en if lang == "en" else column.vi


@dataclass(frozen=True)
class SheetRow:
    """One valid procedure row, normalised."""

    row: int
    code: str
    name_vi: str
    name_en: str | None  # None: the file has no English name (keep the current one; new ones reuse name_vi)
    field: str
    level: str
    duration_counter: dict[str, Any]
    duration_online: dict[str, Any]
    fee_text: str
    fee_amount: int
    legal_basis: str
    documents: tuple[str, ...]
    result: str
    agency: str
    other_names: tuple[str, ...]


# ----------------------------------------------------------------------------- cell parsers


def other_names_too_long(names: Sequence[str]) -> bool:
    """More other names than a procedure may carry, or one too long (see OTHER_NAMES_TOO_LONG)."""
    return len(names) > MAX_OTHER_NAMES or any(len(n) > MAX_OTHER_NAME_CHARS for n in names)


def split_list(text: str) -> tuple[str, ...]:
    """Items of a multi-line cell: one per line or ';', bullets and numbering dropped, duplicates removed."""
    out: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[\n;|]+", text or ""):
        item = re.sub(r"^\s*(?:[-+•*·]|\d{1,2}[.)]|[a-zđ][)])\s*", "", part).strip()
        key = _plain(item)
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return tuple(out)


_SAME_DAY_RE = re.compile(r"\b(trong ngay|ngay lam viec do|same day|same working day)\b")
_NUM = r"(\d+(?:[.,]\d+)?)"
_UNIT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_NUM + r"\s*(?:ngay lam viec|working days?)\b"), "working_days"),
    (re.compile(_NUM + r"\s*(?:gio lam viec|gio|working hours?|hours?)\b"), "working_hours"),
    (re.compile(_NUM + r"\s*(?:ngay|calendar days?|days?)\b"), "calendar_days"),
)


def parse_duration(text: str) -> dict[str, Any] | None:
    """``"03 ngày làm việc"`` → ``{"value": 3, "unit": "working_days"}``; None when it cannot be read.

    The first duration written wins ("05 ngày làm việc; trường hợp cần xác minh 10 ngày"): the
    normal case comes first in published catalogs. Half days become working hours (8 a day).
    """
    plain = _plain(text or "")
    if not plain:
        return None
    first: tuple[int, float, str] | None = None
    for pattern, unit in _UNIT_PATTERNS:
        m = pattern.search(plain)
        if m and (first is None or m.start() < first[0]):
            first = (m.start(), float(m.group(1).replace(",", ".")), unit)
    same_day = _SAME_DAY_RE.search(plain)
    if same_day and (first is None or same_day.start() < first[0]):
        return {"value": 0, "unit": "same_day"}
    if first is None:
        return None
    _, value, unit = first
    if value <= 0 or value > 365:
        return None
    if unit != "working_hours" and value != int(value):
        hours = value * 8
        if unit != "working_days" or hours != int(hours):
            return None
        return {"value": int(hours), "unit": "working_hours"}
    return {"value": int(value) if value == int(value) else value, "unit": unit}


_AMOUNT_RE = re.compile(r"(\d{1,3}(?:[.,\s]\d{3})+|\d+)\s*(?:d\b|dong|vnd|vnđ|₫)")
_FREE_RE = re.compile(r"\b(mien|khong thu|khong|free|none|no fee)\b")
_BY_RULE_RE = re.compile(r"\b(theo quy dinh|theo nghi quyet|theo thong tu|as regulated)\b")


def parse_fee(text: str) -> int | None:
    """The first amount in VND of a fee text (``"8.000 đồng/bản"`` → 8000); 0 for free; None if unreadable.

    The text itself is stored verbatim: exemptions and per-page rules live there.
    """
    plain = _plain(text or "")
    if not plain:
        return 0
    m = _AMOUNT_RE.search(plain)
    if m:
        amount = int(re.sub(r"\D", "", m.group(1)))
        return amount if amount <= 1_000_000_000 else None
    if _FREE_RE.search(plain) or _BY_RULE_RE.search(plain):
        return 0  # free, or the amount is set by another act ("theo Nghị quyết HĐND tỉnh"): the text says which
    return None


def _level(text: str) -> str | None:
    plain = _plain(text or "")
    if not plain:
        return "commune"
    hits = [
        (plain.find(w), lvl)
        for w, lvl in (
            ("xa", "commune"),
            ("phuong", "commune"),
            ("commune", "commune"),
            ("tinh", "province"),
            ("province", "province"),
        )
        if re.search(rf"\b{w}\b", plain)
    ]
    return min(hits)[1] if hits else None


# ----------------------------------------------------------------------------- reading files


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The first sheet of an xlsx, or a CSV (comma, semicolon or tab; UTF-8 with or without BOM), as text cells."""
    if len(data) > MAX_BYTES:
        raise SheetError("file_too_big", "Tệp quá lớn (tối đa 20 MB).", "The file is too large (20 MB at most).")
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
            raise SheetError(
                "bad_xlsx", "Không đọc được tệp Excel (.xlsx).", "The Excel (.xlsx) file cannot be read."
            ) from exc
        try:
            ws = wb.worksheets[0]
            return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    if name.endswith(".xls"):
        raise SheetError(
            "old_xls",
            "Định dạng .xls cũ không được hỗ trợ: hãy lưu thành .xlsx hoặc .csv.",
            "The old .xls format is not supported: save it as .xlsx or .csv.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError("bad_encoding", "Tệp CSV phải mã hóa UTF-8.", "The CSV file must be UTF-8 encoded.") from exc
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


# ----------------------------------------------------------------------------- parsing rows


def _find_header(table: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]]:
    for r, row in enumerate(table[:15]):
        cols: dict[str, int] = {}
        for c, cell in enumerate(row):
            key = _HEADER_INDEX.get(_header_key(cell or ""))
            if key and key not in cols:
                cols[key] = c
        if len(cols) >= 3:
            missing = [k for k in REQUIRED_COLUMNS if k not in cols]
            if missing:
                vi = ", ".join(COLUMNS[k].vi for k in missing)
                en = ", ".join(COLUMNS[k].en for k in missing)
                raise SheetError("missing_columns", f"Thiếu cột: {vi}.", f"Missing columns: {en}.")
            return r, cols
    raise SheetError(
        "no_header",
        "Không tìm thấy dòng tiêu đề (Mã thủ tục, Tên thủ tục, Lĩnh vực, Thời hạn giải quyết…).",
        "No header row found (code, name, field, processing time…).",
    )


_DURATION_EXAMPLES = ("03 ngày làm việc", "Trong ngày")
_FEE_EXAMPLES = ("50.000 đồng", "Miễn phí")


def _unreadable(what_vi: str, what_en: str, text: str, examples: Sequence[str] = ()) -> tuple[str, str]:
    """The message for a cell the parser could not read: what it is, what it said, what would be read."""
    vi, en = f"Không đọc được {what_vi} «{text[:60]}»", f"Cannot read {what_en} “{text[:60]}”"
    if examples:
        vi += " (ví dụ: " + ", ".join(f"«{e}»" for e in examples) + ")"
        en += " (e.g. " + ", ".join(f"“{e}”" for e in examples) + ")"
    return vi + ".", en + "."


def parse_sheet(table: Sequence[Sequence[str]]) -> tuple[list[SheetRow], list[RowError]]:
    """Valid rows and row-level errors; row numbers are 1-based as in the spreadsheet."""
    header, cols = _find_header(table)
    body = table[header + 1 :]
    if len(body) > MAX_ROWS:
        raise SheetError(
            "too_many_rows",
            f"Tệp có quá nhiều dòng (tối đa {MAX_ROWS:,}).".replace(",", "."),
            f"The file has too many rows ({MAX_ROWS:,} at most).",
        )
    rows: list[SheetRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for offset, raw in enumerate(body):
        n = header + 2 + offset

        def cell(key: str, raw: Sequence[str] = raw) -> str:
            c = cols.get(key)
            return (raw[c] if c is not None and c < len(raw) and raw[c] is not None else "").strip()

        if not any((c or "").strip() for c in raw):
            continue
        bad: list[RowError] = []

        def err(col: str, code: str, vi: str, en: str, n: int = n, bad: list[RowError] = bad) -> None:
            bad.append(RowError(n, col, code, vi, en))

        code = cell("code")
        if _TRUNCATED_NATIONAL_CODE.fullmatch(code):
            code = code.split(".")[0] + "." + code.split(".")[1].ljust(6, "0")
        if not code:
            err("code", "code_missing", "Thiếu mã thủ tục.", "The procedure code is missing.")
        elif not _CODE_RE.fullmatch(code):
            err(
                "code",
                "code_invalid",
                f"Mã thủ tục «{code[:40]}» không hợp lệ (chữ, số, dấu chấm, gạch; tối đa 30 ký tự).",
                f"Procedure code “{code[:40]}” is invalid (letters, digits, dot, dash; 30 characters at most).",
            )
        elif code in seen:
            err(
                "code",
                "code_duplicate",
                f"Mã {code} đã có ở dòng {seen[code]}.",
                f"Code {code} already on row {seen[code]}.",
            )
        for key in ("name_vi", "field"):
            if not cell(key):
                vi, en = COLUMNS[key].vi, COLUMNS[key].en
                err(key, f"{key}_missing", f"Thiếu «{vi}».", f"“{en}” is missing.")
        for key, column in COLUMNS.items():
            limit, vi, en = column.limit, column.vi, column.en
            if limit and len(cell(key)) > limit:
                err(key, "too_long", f"«{vi}» dài quá {limit} ký tự.", f"“{en}” is longer than {limit} characters.")
        counter = parse_duration(cell("duration_counter"))
        if counter is None:
            what = _unreadable("thời hạn", "the processing time", cell("duration_counter"), _DURATION_EXAMPLES)
            err("duration_counter", "duration_unreadable", *what)
        online_text = cell("duration_online")
        online = parse_duration(online_text) if online_text else counter
        if online is None and online_text:
            what = _unreadable("thời hạn trực tuyến", "the online processing time", online_text)
            err("duration_online", "duration_unreadable", *what)
        fee = parse_fee(cell("fee_text"))
        if fee is None:
            err("fee_text", "fee_unreadable", *_unreadable("mức phí", "the fee", cell("fee_text"), _FEE_EXAMPLES))
        level = _level(cell("level"))
        if level is None:
            err(
                "level",
                "level_unknown",
                f"Cấp thực hiện «{cell('level')[:40]}» không rõ (Cấp xã / Cấp tỉnh).",
                f"Unknown level “{cell('level')[:40]}” (commune / province).",
            )
        documents = split_list(cell("documents"))
        if any(len(d) > 300 for d in documents):
            err(
                "documents",
                "too_long",
                "Tên một giấy tờ dài quá 300 ký tự.",
                "A document name is longer than 300 characters.",
            )
        other = split_list(cell("other_names"))
        if other_names_too_long(other):
            err("other_names", "too_long", *OTHER_NAMES_TOO_LONG)
        if code and code not in seen:
            seen[code] = n
        if bad:
            errors.extend(bad)
            continue
        assert counter is not None and online is not None and fee is not None and level is not None
        name_en = cell("name_en") if "name_en" in cols else None
        rows.append(
            SheetRow(
                row=n,
                code=code,
                name_vi=" ".join(cell("name_vi").split()),
                name_en=(" ".join(name_en.split()) or None) if name_en is not None else None,
                field=" ".join(cell("field").split()),
                level=level,
                duration_counter=counter,
                duration_online=online,
                fee_text=cell("fee_text"),
                fee_amount=fee,
                legal_basis=cell("legal_basis"),
                documents=documents,
                result=cell("result"),
                agency=cell("agency"),
                other_names=other,
            )
        )
    return rows, errors


# ----------------------------------------------------------------------------- planning


def row_facts(row: SheetRow) -> dict[str, Any]:
    """What a row says, in the same shape the service builds from a current procedure."""
    facts: dict[str, Any] = {
        "name_vi": row.name_vi,
        "field": _plain(row.field),
        "level": row.level,
        "duration_counter": row.duration_counter,
        "duration_online": row.duration_online,
        "fee_amount": row.fee_amount,
        "fee_text": row.fee_text,
        "legal_basis": row.legal_basis,
        "result_name_vi": row.result,
        "agency": row.agency,
        "other_names": list(row.other_names),
        "documents": list(row.documents),
    }
    if row.name_en is not None:
        facts["name_en"] = row.name_en
    return facts


@dataclass(frozen=True)
class PlannedChange:
    code: str
    name_vi: str
    row: int | None
    fields: tuple[str, ...] = ()  # changed fact names (for "changed")


@dataclass
class ImportPlan:
    """What an import would do (dry run) or did (apply)."""

    added: list[PlannedChange] = field(default_factory=list)
    changed: list[PlannedChange] = field(default_factory=list)
    retired: list[PlannedChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[SheetRow] = field(default_factory=list)
    new_fields: list[str] = field(default_factory=list)
    applied: bool = False
    seconds: float = 0.0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.retired)

    def summary(self, lang: str = "vi") -> str:
        if lang == "en":
            return (
                f"{len(self.added)} to add, {len(self.changed)} changed (new versions), {len(self.retired)} to retire, "
                f"{self.unchanged} unchanged, {len(self.errors)} row errors"
            )
        return (
            f"{len(self.added)} thêm mới, {len(self.changed)} thay đổi (phiên bản mới), {len(self.retired)} bãi bỏ, "
            f"{self.unchanged} không đổi, {len(self.errors)} lỗi dòng"
        )


def plan_import(
    rows: Sequence[SheetRow],
    errors: Sequence[RowError],
    current: Mapping[str, dict[str, Any]],
    current_names: Mapping[str, str],
    *,
    retire_missing: bool = True,
) -> ImportPlan:
    """Compare valid rows with the current catalog's facts (code → `row_facts`-shaped dict).

    A code that is in the catalog but absent from the file is retired — unless the file had row
    errors (a refused row must not retire its procedure) or `retire_missing` is off.
    """
    plan = ImportPlan(errors=list(errors), rows=list(rows))
    in_file = {r.code for r in rows}
    refused_rows = bool(errors)
    for r in rows:
        now = current.get(r.code)
        if now is None:
            plan.added.append(PlannedChange(r.code, r.name_vi, r.row))
            continue
        new = row_facts(r)
        diff = tuple(k for k, v in new.items() if now.get(k) != v)
        if diff:
            plan.changed.append(PlannedChange(r.code, r.name_vi, r.row, diff))
        else:
            plan.unchanged += 1
    if retire_missing and not refused_rows:
        for code in sorted(set(current) - in_file):
            plan.retired.append(PlannedChange(code, current_names.get(code, ""), None))
    return plan
