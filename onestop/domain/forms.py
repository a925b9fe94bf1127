"""Procedure e-form schema and the one validator every channel goes through.

A procedure's form is data (fields and documents), rendered by three clients:
the Reflex citizen form, the officer's counter-intake form and the offline
field app.  Whatever a client checked on its side, the server calls
`validate_form` here and only its verdict counts.  The field app carries an ES
module port (`field_app/js/validate.js`) with the *same* rules and the *same*
message catalog, so a person filling a form offline sees exactly what the
server would say; `tests/unit/test_forms.py` runs both on a table of cases.

Rules that keep the two ports identical (and why they look fussy):

* Whitespace is an explicit character class, never ``str.strip()`` / ``\\s``:
  Python and JavaScript disagree on which characters are whitespace.
* Digits are always ``[0-9]``: Python's ``\\d`` and ``int()`` accept
  Arabic-Indic and other Unicode digits, JavaScript does not.
* Text is NFC-normalised first: Vietnamese typed on some keyboards arrives
  decomposed (NFD), and "Nguyễn" must equal "Nguyễn" whatever the keyboard.
  Lengths count code points after NFC.
* Dates are compared as ISO strings; "today" is the date in Vietnam (UTC+7,
  no daylight saving) unless the caller passes one, so a test is deterministic.

Messages are plain Vietnamese first (what a counter officer would say), with an
English equivalent; each carries a stable ``code`` for the API and for tests.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from onestop.domain import images
from onestop.domain.bilingual import BiText

__all__ = [
    "AUTOFILL_SOURCES",
    "DEFAULT_MAX_LENGTH",
    "FIELD_TYPES",
    "MESSAGES",
    "PROVINCE_CODES",
    "SECTIONS",
    "SNIFFABLE_TYPES",
    "UPLOAD_MESSAGES",
    "ShowIf",
    "DocumentSpec",
    "FieldSpec",
    "FormResult",
    "FormSchema",
    "Message",
    "NationalId",
    "Option",
    "autofill_values",
    "parse_national_id",
    "safe_filename",
    "hidden_fields",
    "shown_fields",
    "sniff_mime",
    "today_vn",
    "validate_field",
    "validate_form",
    "validate_upload",
]

FieldType = Literal[
    "text", "textarea", "number", "date", "select", "checkbox", "national_id", "phone", "email", "address"
]
FIELD_TYPES: tuple[str, ...] = (
    "text",
    "textarea",
    "number",
    "date",
    "select",
    "checkbox",
    "national_id",
    "phone",
    "email",
    "address",
)
SECTIONS: tuple[str, ...] = ("applicant", "request")

#: Autofill sources the renderers know how to fill from the population registry / e-identity.
#: Schemas may name others of the same shape (``source.attribute``); these are the common ones.
AUTOFILL_SOURCES: tuple[str, ...] = (
    "resident.full_name",
    "resident.national_id",
    "resident.date_of_birth",
    "resident.gender",
    "resident.address",
    "resident.phone",
    "resident.email",
)

#: Upper bound on length when the schema gives none: long enough for any real
#: name or address, short enough that nobody pastes a novel into a dossier.
DEFAULT_MAX_LENGTH: dict[str, int] = {"text": 500, "address": 500, "textarea": 2000, "email": 254}
_TEXTLIKE = ("text", "textarea", "address")
_HARD_MAX_LENGTH = 100_000  # neither schema nor input may go past this (bounds work per keystroke)

#: Provinces/centrally-run cities as coded in the first three digits of the
#: 12-digit personal identification number (Circular 07/2016/TT-BCA, Appendix I;
#: the codes of the 63 provinces where the birth was registered).  The gaps are
#: real: the codes follow the administrative-unit list of Decision 124/2004/QĐ-TTg,
#: where merged or split provinces left numbers unused.  Numbers already issued
#: never change, so the 2025 merger of provinces does not remove any code.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

#: The message catalog, shared word for word with field_app/js/validate.js.
#: ``{Label}`` is the field label as written (sentence start), ``{label}`` the
#: same with its first letter lowered for use mid-sentence.
MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("Vui lòng nhập {label}.", "Please enter {label}."),
    "required_choice": ("Vui lòng chọn {label}.", "Please choose {label}."),
    "required_checkbox": ("Vui lòng đánh dấu vào ô “{Label}” để xác nhận.", "Please tick “{Label}” to confirm."),
    "invalid": ("{Label} không hợp lệ.", "{Label} is not valid."),
    "invalid_chars": (
        "{Label} có ký tự không hợp lệ. Vui lòng gõ lại.",
        "{Label} contains characters that are not allowed. Please type it again.",
    ),
    "too_short": ("{Label} phải có ít nhất {n} ký tự.", "{Label} must have at least {n} characters."),
    "too_long": ("{Label} chỉ được tối đa {n} ký tự.", "{Label} can have at most {n} characters."),
    "pattern": ("{Label} không đúng định dạng.", "{Label} is not in the expected format."),
    "number": ("{Label} phải là một số, ví dụ 12 hoặc 2,5.", "{Label} must be a number, for example 12 or 2.5."),
    "number_grouped": (
        "Vui lòng nhập {label} không có dấu phân cách hàng nghìn, ví dụ 1000.",
        "Please enter {label} without thousands separators, for example 1000.",
    ),
    "number_min": ("{Label} phải từ {min} trở lên.", "{Label} must be at least {min}."),
    "number_max": ("{Label} không được lớn hơn {max}.", "{Label} must be at most {max}."),
    "date": (
        "{Label} phải là ngày có thật, dạng ngày/tháng/năm, ví dụ 25/12/1990.",
        "{Label} must be a real date as day/month/year, for example 25/12/1990.",
    ),
    "date_future": ("{Label} không được sau ngày hôm nay.", "{Label} cannot be later than today."),
    "date_past": ("{Label} không được trước ngày hôm nay.", "{Label} cannot be earlier than today."),
    "date_min": ("{Label} không được trước ngày {min}.", "{Label} cannot be earlier than {min}."),
    "date_max": ("{Label} không được sau ngày {max}.", "{Label} cannot be later than {max}."),
    "choice": ("Vui lòng chọn {label} trong danh sách.", "Please choose {label} from the list."),
    "email": (
        "{Label} chưa đúng dạng địa chỉ email, ví dụ ten@gmail.com.",
        "{Label} is not a valid email address, for example name@gmail.com.",
    ),
    "phone": (
        "{Label} chưa đúng. Vui lòng nhập số điện thoại Việt Nam, ví dụ 0912345678.",
        "{Label} is not right. Please enter a Vietnamese phone number, for example 0912345678.",
    ),
    "nid_length": (
        "{Label} phải gồm đúng 12 chữ số, ví dụ 001090012345.",
        "{Label} must be exactly 12 digits, for example 001090012345.",
    ),
    "nid_province": (
        "3 số đầu của {label} không phải mã tỉnh, thành phố. Vui lòng kiểm tra lại.",
        "The first 3 digits of {label} are not a province code. Please check it.",
    ),
    "nid_future": (
        "Năm sinh ghi trong {label} chưa đến. Vui lòng kiểm tra lại số.",
        "The year of birth inside {label} is in the future. Please check the number.",
    ),
    "nid_birth_year": (
        "{Label} không khớp với năm sinh {year} đã nhập. Vui lòng kiểm tra lại.",
        "{Label} does not match the year of birth {year} you entered. Please check it.",
    ),
    "nid_gender": (
        "{Label} không khớp với giới tính đã chọn. Vui lòng kiểm tra lại.",
        "{Label} does not match the gender you chose. Please check it.",
    ),
    "registry": (
        "{Label} được lấy từ Cơ sở dữ liệu quốc gia về dân cư nên không sửa ở đây. "
        "Nếu sai, vui lòng đề nghị Công an cấp xã điều chỉnh.",
        "{Label} comes from the national population database and cannot be changed here. "
        "If it is wrong, ask the commune police to correct it.",
    ),
    "unknown_field": ("Mẫu đơn không có mục “{name}”.", "The form has no field “{name}”."),
}

#: Upload messages (server only: the field app uploads when it syncs, and the server judges).
UPLOAD_MESSAGES: dict[str, tuple[str, str]] = {
    "upload_name": (
        "Tên tệp không hợp lệ. Vui lòng đổi tên tệp (không dùng ký tự đặc biệt, tối đa 200 ký tự) rồi tải lên lại.",
        "The file name is not allowed. Please rename the file (no special characters, at most 200 characters) "
        "and upload it again.",
    ),
    "upload_image_size": (
        "Ảnh tải lên cho “{doc}” quá lớn về kích thước điểm ảnh hoặc bị hỏng. "
        "Vui lòng chụp lại hoặc thu nhỏ ảnh rồi tải lên.",
        "The image uploaded for “{doc}” has too many pixels or is damaged. "
        "Please take the photo again or make it smaller, then upload it.",
    ),
    "upload_empty": (
        "Tệp tải lên cho “{doc}” bị rỗng. Vui lòng chọn lại tệp.",
        "The file uploaded for “{doc}” is empty. Please choose the file again.",
    ),
    "upload_too_big": (
        "Tệp quá lớn: “{doc}” chỉ nhận tệp tối đa {n} MB.",
        "The file is too large: “{doc}” accepts files up to {n} MB.",
    ),
    "upload_type": (
        "Tệp không phải là {kinds} thật. “{doc}” chỉ nhận tệp {types}.",
        "The file is not a real {kinds}. “{doc}” accepts only {types} files.",
    ),
}

# Explicit classes so that Python and JavaScript agree character for character.
_WS = "[ \t\n\r\f\v\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]"
_WS_RUN = re.compile(_WS + "+")
_WS_EDGES = re.compile("^" + _WS + "+|" + _WS + "+$")
# C0/C1 controls except tab/newline/CR, bidi overrides (used to disguise text), and lone
# surrogates (JSON can carry them; UTF-8 and so the database cannot store them).
_CTRL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_AUTOFILL_RE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
_DOC_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_ISO_DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_VN_DATE_RE = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
_NUMBER_RE = re.compile(r"^([+-]?)([0-9]{1,15})(?:[.,]([0-9]{1,6}))?$")
_GROUPED_RE = re.compile(r"^[+-]?[1-9][0-9]{0,2}(?:[., ][0-9]{3})+$")
_EMAIL_RE = re.compile(
    r"^([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)
_PHONE_SEP = re.compile(_WS + r"|[.\-()]")
_PHONE_RE = re.compile(r"^(?:0[35789][0-9]{8}|02[0-9]{9})$")
_NID_SEP = re.compile(_WS + r"|[.\-]")
_MIN_YEAR, _MAX_YEAR = 1800, 2200
_VN_TZ = timezone(timedelta(hours=7))


def today_vn() -> date:
    """Today's date in Vietnam (UTC+7, no DST), whatever the server's time zone."""
    return datetime.now(_VN_TZ).date()


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Option:
    """One choice of a select field: the stored value and its label in both languages.

    The stored schema keeps the keys `value`, `label_vi`, `label_en` (FieldSpec.to_dict/from_dict)."""

    value: str
    label: BiText


@dataclass(frozen=True)
class ShowIf:
    """A field's condition: shown (and so required, when it is) only while an earlier choice list
    holds one of `values` — "spouse's name" only when "marital status" is "married" — or an earlier
    optional yes/no box is ticked (``True``) or not (``False``) — "company name" only when
    "filing for a company" is ticked.

    Why declarative and this small: three renderers (Reflex citizen form, counter, offline field
    app in JavaScript) and the validator must all agree on what is shown, so the condition is data
    they all read, not code. JSON: ``{"field": "marital_status", "equals": "married"}``,
    ``{"field": "applicant_type", "in": ["company", "cooperative"]}`` or ``{"field": "for_company", "equals": true}``.
    """

    field: str
    values: tuple[str | bool, ...]

    def to_dict(self) -> dict[str, Any]:
        if len(self.values) == 1:
            return {"field": self.field, "equals": self.values[0]}
        return {"field": self.field, "in": list(self.values)}

    @classmethod
    def from_dict(cls, d: object, where: str) -> ShowIf:
        if isinstance(d, ShowIf):
            return d
        if not isinstance(d, Mapping) or set(d) not in ({"field", "equals"}, {"field", "in"}):
            raise ValueError(f"{where}: show_if must be {{field, equals}} or {{field, in}}")
        values = d["in"] if "in" in d else [d["equals"]]
        if not isinstance(values, list | tuple) or not values:
            raise ValueError(f"{where}: show_if 'in' must be a non-empty list")
        return cls(d["field"], tuple(values))


@dataclass(frozen=True)
class FieldSpec:
    """One input of a procedure form.

    ``min_value``/``max_value`` are numbers for ``number`` fields and ISO dates
    or the word ``"today"`` for ``date`` fields (``max_value="today"`` on a date
    of birth).  ``autofill`` names where a renderer pre-fills the value from
    (e.g. ``"resident.full_name"``); ``registry_authoritative`` means the
    population registry is the source of truth, so a submitted value that
    differs from the registry's is refused rather than silently kept.
    ``pattern`` must match the whole (cleaned) value; it runs in ASCII mode
    here and with the ``u`` flag in the field app, so write the portable
    subset (``[0-9]``, ``[A-Z]``, ``{n,m}``, ``|``, ``(?:…)``) and no look-behind.
    """

    name: str
    type: FieldType
    label_vi: str
    label_en: str
    required: bool = False
    options: tuple[Option, ...] = ()
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | float | str | None = None
    max_value: int | float | str | None = None
    autofill: str | None = None
    registry_authoritative: bool = False
    help_vi: str = ""
    help_en: str = ""
    section: Literal["applicant", "request"] = "applicant"
    show_if: ShowIf | None = None

    def __post_init__(self) -> None:
        _check_field_spec(self)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def effective_max_length(self) -> int | None:
        """The length cap actually applied (the schema's, or the type's default)."""
        if self.max_length is not None:
            return self.max_length
        return DEFAULT_MAX_LENGTH.get(self.type)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        d["options"] = [{"value": o.value, "label_vi": o.label.vi, "label_en": o.label.en} for o in self.options]
        d["show_if"] = self.show_if.to_dict() if self.show_if is not None else None
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FieldSpec:
        if not isinstance(d, Mapping):
            raise ValueError("a field must be an object")
        _reject_unknown_keys(d, cls, "field")
        kwargs = dict(d)
        opts = kwargs.get("options", ())
        if not isinstance(opts, list | tuple):
            raise ValueError(f"field {d.get('name')!r}: options must be a list")
        parsed = []
        for o in opts:
            if isinstance(o, Option):
                parsed.append(o)
                continue
            if not isinstance(o, Mapping) or set(o) - {"value", "label_vi", "label_en"} or "value" not in o:
                raise ValueError(f"field {d.get('name')!r}: each option needs value, label_vi, label_en")
            value = o["value"]
            parsed.append(
                Option(
                    str(value), BiText(str(o.get("label_vi", value)), str(o.get("label_en", o.get("label_vi", value))))
                )
            )
        kwargs["options"] = tuple(parsed)
        if kwargs.get("show_if") is not None:
            kwargs["show_if"] = ShowIf.from_dict(kwargs["show_if"], f"field {d.get('name')!r}")
        try:
            return cls(**kwargs)
        except TypeError as exc:  # a missing required key
            raise ValueError(f"field {d.get('name')!r}: {exc}") from exc


def _reject_unknown_keys(d: Mapping[str, Any], cls: type, what: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = set(d) - known
    if unknown:
        # Strict on purpose: a typo such as "requried" must not silently make a field optional.
        raise ValueError(f"{what} {d.get('name') or d.get('code')!r}: unknown key(s) {sorted(unknown)}")


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: object) -> bool:
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(float(v))  # type: ignore[arg-type]


def _check_field_spec(s: FieldSpec) -> None:
    where = f"field {s.name!r}"
    if not isinstance(s.name, str) or not _NAME_RE.fullmatch(s.name):
        raise ValueError(f"{where}: name must match [a-z][a-z0-9_]* (at most 64 characters)")
    if s.type not in FIELD_TYPES:
        raise ValueError(f"{where}: unknown type {s.type!r}; known: {', '.join(FIELD_TYPES)}")
    if not (isinstance(s.label_vi, str) and s.label_vi.strip() and isinstance(s.label_en, str) and s.label_en.strip()):
        raise ValueError(f"{where}: label_vi and label_en are required")
    if s.section not in SECTIONS:
        raise ValueError(f"{where}: section must be one of {SECTIONS}")
    if not isinstance(s.required, bool) or not isinstance(s.registry_authoritative, bool):
        raise ValueError(f"{where}: required and registry_authoritative are booleans")
    if not isinstance(s.options, tuple) or not all(isinstance(o, Option) for o in s.options):
        raise ValueError(f"{where}: options must be a tuple of Option")
    if s.type == "select":
        if not s.options:
            raise ValueError(f"{where}: a select field needs options")
        values = [o.value for o in s.options]
        if len(set(values)) != len(values) or any(not v for v in values):
            raise ValueError(f"{where}: option values must be unique and non-empty")
    elif s.options:
        raise ValueError(f"{where}: only select fields have options")
    if s.pattern is not None:
        if s.type not in _TEXTLIKE:
            raise ValueError(f"{where}: pattern applies to text, textarea and address fields only")
        try:
            re.compile(s.pattern, re.ASCII)
        except re.error as exc:
            raise ValueError(f"{where}: pattern does not compile: {exc}") from exc
    for attr in ("min_length", "max_length"):
        v = getattr(s, attr)
        if v is None:
            continue
        if s.type not in (*_TEXTLIKE, "email"):
            raise ValueError(f"{where}: {attr} applies to text-like fields only")
        if not _is_int(v) or v < 0 or v > _HARD_MAX_LENGTH:
            raise ValueError(f"{where}: {attr} must be an integer between 0 and {_HARD_MAX_LENGTH}")
    if s.min_length is not None and s.max_length is not None and s.min_length > s.max_length:
        raise ValueError(f"{where}: min_length > max_length")
    for attr in ("min_value", "max_value"):
        v = getattr(s, attr)
        if v is None:
            continue
        if s.type == "number":
            if not _is_number(v):
                raise ValueError(f"{where}: {attr} must be a finite number")
        elif s.type == "date":
            if v != "today" and (not isinstance(v, str) or _parse_date(v) != v):
                raise ValueError(f"{where}: {attr} must be an ISO date (YYYY-MM-DD) or 'today'")
        else:
            raise ValueError(f"{where}: {attr} applies to number and date fields only")
    lo, hi = s.min_value, s.max_value
    if lo is not None and hi is not None and "today" not in (lo, hi) and lo > hi:  # type: ignore[operator]
        raise ValueError(f"{where}: min_value > max_value")
    if s.autofill is not None and (not isinstance(s.autofill, str) or not _AUTOFILL_RE.fullmatch(s.autofill)):
        raise ValueError(f"{where}: autofill must look like 'resident.full_name'")
    if s.registry_authoritative and s.autofill is None:
        raise ValueError(f"{where}: registry_authoritative needs an autofill source")
    if not isinstance(s.help_vi, str) or not isinstance(s.help_en, str):
        raise ValueError(f"{where}: help texts are strings")
    if s.show_if is not None:
        c = s.show_if
        if not isinstance(c, ShowIf) or not isinstance(c.field, str) or not _NAME_RE.fullmatch(c.field):
            raise ValueError(f"{where}: show_if needs the name of another field")
        if c.field == s.name:
            raise ValueError(f"{where}: show_if cannot refer to the field itself")
        if (
            not isinstance(c.values, tuple)
            or not c.values
            or not (all(isinstance(v, str) and v for v in c.values) or all(isinstance(v, bool) for v in c.values))
        ):
            raise ValueError(f"{where}: show_if values must be non-empty strings (or true/false for a yes/no box)")


#: MIME types `sniff_mime` can recognise, and their short names for messages.
SNIFFABLE_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/heic": "HEIC",
    "image/gif": "GIF",
}


@dataclass(frozen=True)
class DocumentBrief:
    """A document as people are told of it before they file: its names, whether it must be given and whether
    the state already holds it. The assistant answers with these and the form builder's rows start from them."""

    name_vi: str
    name_en: str
    required: bool = True
    state_held: bool = False


@dataclass(frozen=True)
class DocumentSpec:
    """One document (thành phần hồ sơ) the procedure needs.

    ``state_held`` documents are already in a state database (population data,
    an earlier result): the law says they must not be asked for again, so
    renderers never show an upload for them.  ``wallet_kinds`` lists kinds of
    earlier results in the citizen's document wallet that can stand in for an
    upload; reuse is recorded per document by the services.
    """

    code: str
    name_vi: str
    name_en: str
    required: bool = True
    accepted_types: tuple[str, ...] = ("application/pdf", "image/jpeg", "image/png")
    max_size_mb: int | float = 10
    wallet_kinds: tuple[str, ...] = ()
    state_held: bool = False
    copies: int = 1
    note_vi: str = ""
    note_en: str = ""

    def __post_init__(self) -> None:
        where = f"document {self.code!r}"
        if not isinstance(self.code, str) or not _DOC_CODE_RE.fullmatch(self.code):
            raise ValueError(f"{where}: code must match [A-Za-z0-9][A-Za-z0-9_.-]*")
        if not (
            isinstance(self.name_vi, str)
            and self.name_vi.strip()
            and isinstance(self.name_en, str)
            and self.name_en.strip()
        ):
            raise ValueError(f"{where}: name_vi and name_en are required")
        if not isinstance(self.accepted_types, tuple) or not self.accepted_types:
            raise ValueError(f"{where}: accepted_types must be a non-empty tuple")
        unknown = [t for t in self.accepted_types if t not in SNIFFABLE_TYPES]
        if unknown:
            raise ValueError(f"{where}: cannot verify content of {unknown}; known: {sorted(SNIFFABLE_TYPES)}")
        if not _is_number(self.max_size_mb) or not 0 < self.max_size_mb <= 200:
            raise ValueError(f"{where}: max_size_mb must be in (0, 200]")
        if not isinstance(self.wallet_kinds, tuple) or not all(isinstance(k, str) and k for k in self.wallet_kinds):
            raise ValueError(f"{where}: wallet_kinds must be a tuple of names")
        if not _is_int(self.copies) or self.copies < 1:
            raise ValueError(f"{where}: copies must be an integer >= 1")
        if not isinstance(self.required, bool) or not isinstance(self.state_held, bool):
            raise ValueError(f"{where}: required and state_held are booleans")

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        d["accepted_types"] = list(self.accepted_types)
        d["wallet_kinds"] = list(self.wallet_kinds)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DocumentSpec:
        if not isinstance(d, Mapping):
            raise ValueError("a document must be an object")
        _reject_unknown_keys(d, cls, "document")
        kwargs = dict(d)
        for key in ("accepted_types", "wallet_kinds"):
            if key in kwargs:
                if not isinstance(kwargs[key], list | tuple):
                    raise ValueError(f"document {d.get('code')!r}: {key} must be a list")
                kwargs[key] = tuple(kwargs[key])
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise ValueError(f"document {d.get('code')!r}: {exc}") from exc


@dataclass(frozen=True)
class FormSchema:
    """A procedure's e-form: stored as JSON on the procedure version, rendered by every client."""

    fields: tuple[FieldSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate field names: {dupes}")
        codes = [d.code for d in self.documents]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"duplicate document codes: {dupes}")
        _check_conditions(self.fields)

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def document(self, code: str) -> DocumentSpec | None:
        return next((d for d in self.documents if d.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; ``FormSchema.from_dict(s.to_dict()) == s``."""
        return {"fields": [f.to_dict() for f in self.fields], "documents": [d.to_dict() for d in self.documents]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FormSchema:
        """Build and check a schema from JSON; any defect raises ValueError naming the culprit."""
        if not isinstance(d, Mapping):
            raise ValueError("a form schema must be an object")
        unknown = set(d) - {"fields", "documents"}
        if unknown:
            raise ValueError(f"form schema: unknown key(s) {sorted(unknown)}")
        raw_fields = d.get("fields", [])
        raw_docs = d.get("documents", [])
        if not isinstance(raw_fields, list | tuple) or not isinstance(raw_docs, list | tuple):
            raise ValueError("form schema: fields and documents must be lists")
        return cls(
            fields=tuple(FieldSpec.from_dict(f) for f in raw_fields),
            documents=tuple(DocumentSpec.from_dict(x) for x in raw_docs),
        )


def _check_conditions(specs: tuple[FieldSpec, ...]) -> None:
    """Each condition points at an EARLIER choice list, in the same or an earlier step, with values
    among its options — or at an earlier optional yes/no box, with true/false. "Earlier" is what
    rules out cycles, and lets every renderer (and the validator) decide visibility in one pass
    down the form, as a person answers it. A required box is always ticked: no condition on it."""
    seen: dict[str, FieldSpec] = {}
    for s in specs:
        c = s.show_if
        if c is not None:
            where = f"field {s.name!r}"
            ctl = seen.get(c.field)
            if ctl is None:
                raise ValueError(f"{where}: show_if refers to {c.field!r}, which is not an earlier field")
            if ctl.type not in ("select", "checkbox"):
                raise ValueError(
                    f"{where}: show_if must refer to a choice list (select) or a yes/no box, not {ctl.type!r}"
                )
            if ctl.type == "checkbox" and ctl.required:
                raise ValueError(f"{where}: show_if cannot refer to {c.field!r}, a required box (always ticked)")
            if SECTIONS.index(ctl.section) > SECTIONS.index(s.section):
                raise ValueError(f"{where}: show_if refers to {c.field!r}, which is asked in a later step")
            options: set[str | bool] = {True, False} if ctl.type == "checkbox" else {o.value for o in ctl.options}
            unknown = [v for v in c.values if v not in options or isinstance(v, bool) != (ctl.type == "checkbox")]
            if unknown:
                raise ValueError(f"{where}: show_if value(s) {unknown} are not options of {c.field!r}")
        seen[s.name] = s


def _box_state(raw: object) -> bool | None:
    """A yes/no box's answer as `validate_field` reads it (absent = not ticked), or None when unreadable."""
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    if isinstance(raw, int | float) and raw in (0, 1):
        return raw == 1
    if isinstance(raw, str):
        word = _single_line(raw).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return None


def _is_shown(spec: FieldSpec, shown: set[str], values: Mapping[str, object]) -> bool:
    c = spec.show_if
    if c is None:
        return True
    if c.field not in shown:
        return False
    v = values.get(c.field)
    if isinstance(c.values[0], bool):  # a yes/no box (the schema checks every value is a bool then)
        state = _box_state(v)
        return state is not None and state in c.values
    if isinstance(v, int) and not isinstance(v, bool):  # a select accepts 2 for "2" (validate_field)
        v = str(v)
    return isinstance(v, str) and _single_line(v) in c.values


def shown_fields(schema: FormSchema, values: Mapping[str, object]) -> set[str]:
    """Names of the fields that apply given these answers (raw or clean): a field whose condition
    is unmet — or whose controlling field is itself hidden — is not shown, not required, and its
    value is dropped. The renderers, the review step and the PDFs ask this; `validate_form` applies
    the same rule to the clean values; the field app's `shownFields` is its JavaScript twin."""
    shown: set[str] = set()
    for spec in schema.fields:
        if _is_shown(spec, shown, values):
            shown.add(spec.name)
    return shown


def hidden_fields(schema: FormSchema, values: Mapping[str, object]) -> list[str]:
    """The complement of `shown_fields`, in form order: what a live renderer hides right now."""
    shown = shown_fields(schema, values)
    return [f.name for f in schema.fields if f.name not in shown]


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True)
class Message:
    """A validation message in both UI languages, with a stable code."""

    vi: str
    en: str
    code: str = ""

    def text(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "vi": self.vi, "en": self.en}


def _lower_first(label: str) -> str:
    """'Họ và tên' -> 'họ và tên' mid-sentence, but leave 'CCCD', 'ID number'... alone."""
    if not label:
        return label
    if len(label) > 1 and label[1] != label[1].lower():
        return label
    return label[0].lower() + label[1:]


def _fmt_number(x: float | int, lang: str) -> str:
    s = str(int(x)) if _is_int(x) or float(x).is_integer() else f"{x:.6f}".rstrip("0").rstrip(".")
    return s.replace(".", ",") if lang == "vi" else s


def _fmt_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _msg(
    code: str, spec: FieldSpec | None = None, catalog: Mapping[str, tuple[str, str]] = MESSAGES, **params: Any
) -> Message:
    vi_t, en_t = catalog[code]
    out = []
    for lang, template in (("vi", vi_t), ("en", en_t)):
        values: dict[str, str] = {}
        if spec is not None:
            label = spec.label(lang)
            values["Label"] = label
            values["label"] = _lower_first(label)
        for k, v in params.items():
            if isinstance(v, tuple):  # (vi, en) pair
                values[k] = v[0] if lang == "vi" else v[1]
            elif isinstance(v, int | float) and not isinstance(v, bool):
                values[k] = _fmt_number(v, lang)
            else:
                values[k] = str(v)
        out.append(template.format(**values))
    return Message(out[0], out[1], code)


# --------------------------------------------------------------------------- normalisers


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _single_line(s: str) -> str:
    return _WS_EDGES.sub("", _WS_RUN.sub(" ", _nfc(s)))


def _multi_line(s: str) -> str:
    s = _nfc(s).replace("\r\n", "\n").replace("\r", "\n")
    return _WS_EDGES.sub("", s)


def _parse_date(s: str) -> str | None:
    """ISO string for 'YYYY-MM-DD' or 'DD/MM/YYYY' (also '.'/'-' separators), None if not a real date."""
    m = _ISO_DATE_RE.fullmatch(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _VN_DATE_RE.fullmatch(s)
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _clean_phone(s: str) -> str | None:
    digits = _PHONE_SEP.sub("", s)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if digits.startswith("00"):  # "+84 0912..." written with the trunk zero kept
        digits = digits[1:]
    return digits if _PHONE_RE.fullmatch(digits) else None


@dataclass(frozen=True)
class NationalId:
    """What the 12 digits of a citizen identification number say."""

    number: str
    province_code: str
    province: str
    gender: Literal["male", "female"]
    birth_year: int


def parse_national_id(number: str) -> NationalId | None:
    """Decode a clean 12-digit number; None when it is not well formed.

    Digits 1–3: province of birth registration; digit 4: century and gender
    (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s,
    8/9 = 2300s); digits 5–6: last two digits of the year of birth; the last
    six are a random serial (not checkable).  Old 9-digit identity cards (CMND)
    stopped being valid at the end of 2024 and are not accepted.
    """
    if not re.fullmatch(r"[0-9]{12}", number) or number[:3] not in PROVINCE_CODES:
        return None
    c = int(number[3])
    year = (19 + c // 2) * 100 + int(number[4:6])
    return NationalId(number, number[:3], PROVINCE_CODES[number[:3]], "female" if c % 2 else "male", year)


_TRUE = ("true", "on", "1", "yes", "co", "có")
_FALSE = ("false", "off", "0", "no", "khong", "không", "")


# --------------------------------------------------------------------------- field validation


def validate_field(spec: FieldSpec, raw: object, *, today: date | None = None) -> tuple[object | None, Message | None]:
    """Clean one value or say, in plain words, what is wrong with it.

    Returns ``(clean, None)`` when valid, ``(None, None)`` for an empty optional
    field (the caller omits it), ``(None, message)`` when invalid.  Checkbox
    fields always clean to a bool.  Never raises on odd input: a per-keystroke
    caller may send anything.
    """
    if today is None:
        today = today_vn()
    t = spec.type
    if t == "checkbox":
        return _validate_checkbox(spec, raw)
    if raw is None:
        return _empty(spec)
    if t == "number":
        return _validate_number(spec, raw)
    if t == "date" and isinstance(raw, date) and not isinstance(raw, datetime):
        raw = raw.isoformat()
    if t == "select" and isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        raw = str(int(raw))  # a JSON client may send 2 for the option "2"
    if not isinstance(raw, str):
        return None, _msg("invalid", spec)
    if len(raw) > _HARD_MAX_LENGTH:
        return None, _msg("too_long", spec, n=spec.effective_max_length() or _HARD_MAX_LENGTH)
    s = _multi_line(raw) if t == "textarea" else _single_line(raw)
    if s == "":
        return _empty(spec)
    if _CTRL.search(s):
        return None, _msg("invalid_chars", spec)
    if t in _TEXTLIKE:
        return _validate_text(spec, s)
    if t == "date":
        return _validate_date(spec, s, today)
    if t == "select":
        if any(o.value == s for o in spec.options):
            return s, None
        return None, _msg("choice", spec)
    if t == "email":
        return _validate_email(spec, s)
    if t == "phone":
        phone = _clean_phone(s)
        return (phone, None) if phone else (None, _msg("phone", spec))
    if t == "national_id":
        return _validate_national_id(spec, s, today)
    return None, _msg("invalid", spec)  # unreachable: types are checked when the schema is built


def _empty(spec: FieldSpec) -> tuple[None, Message | None]:
    if not spec.required:
        return None, None
    return None, _msg("required_choice" if spec.type == "select" else "required", spec)


def _validate_checkbox(spec: FieldSpec, raw: object) -> tuple[object | None, Message | None]:
    value = _box_state(raw)
    if value is None:
        return None, _msg("invalid", spec)
    if spec.required and not value:
        # A required checkbox is a declaration ("I declare the above is true"): it must be ticked.
        return None, _msg("required_checkbox", spec)
    return value, None


def _validate_number(spec: FieldSpec, raw: object) -> tuple[object | None, Message | None]:
    if isinstance(raw, bool):
        return None, _msg("number", spec)
    if _is_int(raw) or isinstance(raw, float):
        if not math.isfinite(raw) or abs(raw) >= 1e15:  # type: ignore[arg-type]
            return None, _msg("number", spec)
        value: float | int = raw  # type: ignore[assignment]
    elif isinstance(raw, str):
        if len(raw) > 200:
            return None, _msg("number", spec)
        s = _single_line(raw)
        if s == "":
            return _empty(spec)
        if _GROUPED_RE.fullmatch(s):
            # "1.000" is one thousand to a Vietnamese reader and 1.0 to a parser: refuse to guess.
            return None, _msg("number_grouped", spec)
        m = _NUMBER_RE.fullmatch(s)
        if not m:
            return None, _msg("number", spec)
        value = float(f"{m.group(1)}{m.group(2)}.{m.group(3) or '0'}")
    else:
        return None, _msg("number", spec)
    if float(value).is_integer():
        value = int(value)
    if spec.min_value is not None and value < spec.min_value:  # type: ignore[operator]
        return None, _msg("number_min", spec, min=spec.min_value)
    if spec.max_value is not None and value > spec.max_value:  # type: ignore[operator]
        return None, _msg("number_max", spec, max=spec.max_value)
    return value, None


def _validate_text(spec: FieldSpec, s: str) -> tuple[object | None, Message | None]:
    n = len(s)
    if spec.min_length is not None and n < spec.min_length:
        return None, _msg("too_short", spec, n=spec.min_length)
    cap = spec.effective_max_length()
    if cap is not None and n > cap:
        return None, _msg("too_long", spec, n=cap)
    # ASCII mode: \d and \w mean what they mean in the JavaScript port (write [0-9], not \d, anyway).
    if spec.pattern is not None and not re.fullmatch(spec.pattern, s, re.ASCII):
        return None, _msg("pattern", spec)
    return s, None


def _validate_date(spec: FieldSpec, s: str, today: date) -> tuple[object | None, Message | None]:
    iso = _parse_date(s)
    if iso is None:
        return None, _msg("date", spec)
    t = today.isoformat()
    lo, hi = spec.min_value, spec.max_value
    if lo is not None and iso < (t if lo == "today" else lo):  # type: ignore[operator]
        return None, (_msg("date_past", spec) if lo == "today" else _msg("date_min", spec, min=_fmt_date(lo)))  # type: ignore[arg-type]
    if hi is not None and iso > (t if hi == "today" else hi):  # type: ignore[operator]
        return None, (_msg("date_future", spec) if hi == "today" else _msg("date_max", spec, max=_fmt_date(hi)))  # type: ignore[arg-type]
    return iso, None


def _validate_email(spec: FieldSpec, s: str) -> tuple[object | None, Message | None]:
    cap = spec.effective_max_length() or 254
    if len(s) > cap:
        return None, _msg("too_long", spec, n=cap)
    m = _EMAIL_RE.fullmatch(s)
    if not m or len(m.group(1)) > 64:
        return None, _msg("email", spec)
    if spec.min_length is not None and len(s) < spec.min_length:
        return None, _msg("too_short", spec, n=spec.min_length)
    return f"{m.group(1)}@{m.group(2).lower()}", None


def _validate_national_id(spec: FieldSpec, s: str, today: date) -> tuple[object | None, Message | None]:
    digits = _NID_SEP.sub("", s)
    if not re.fullmatch(r"[0-9]{12}", digits):
        return None, _msg("nid_length", spec)
    if digits[:3] not in PROVINCE_CODES:
        return None, _msg("nid_province", spec)
    nid = parse_national_id(digits)
    assert nid is not None
    if nid.birth_year > today.year:
        return None, _msg("nid_future", spec)
    return digits, None


# --------------------------------------------------------------------------- form validation


@dataclass
class FormResult:
    """Outcome of `validate_form`: clean values to store, and one message per bad field."""

    clean: dict[str, object] = field(default_factory=dict)
    errors: dict[str, Message] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"clean": dict(self.clean), "errors": {k: m.to_dict() for k, m in self.errors.items()}}


def _partner(schema: FormSchema, id_spec: FieldSpec, suffix: str, source: str) -> FieldSpec | None:
    """The date-of-birth (or gender) field that belongs to the same person as `id_spec`.

    Pairs by autofill source (``resident.national_id`` with ``resident.date_of_birth``)
    or by name (``spouse_national_id`` with ``spouse_date_of_birth``).
    """
    if id_spec.autofill == "resident.national_id":
        hit = next((f for f in schema.fields if f.autofill == source), None)
        if hit is not None:
            return hit
    if id_spec.name.endswith("national_id"):
        return schema.field(id_spec.name[: -len("national_id")] + suffix)
    return None


def _fold_ascii(s: str) -> str:
    return re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFD", s)).lower().replace("đ", "d")


_GENDER = {"nam": "male", "male": "male", "m": "male", "nu": "female", "female": "female", "f": "female"}


def validate_form(
    schema: FormSchema,
    data: Mapping[str, object],
    *,
    today: date | None = None,
    prefill: Mapping[str, object] | None = None,
) -> FormResult:
    """Judge a whole submission: every field, unknown keys, and cross-field checks.

    * Keys that are not fields of the schema are reported (each under its own
      key) and never reach ``clean``: a client cannot smuggle data in.
    * Empty optional fields are left out of ``clean``; checkboxes are always bools.
    * A national ID is cross-checked against the same person's date of birth
      (century + year) and gender when the form has them; the message goes on
      the ID field, because the ID is what people mistype.
    * ``prefill`` holds values from the population registry keyed by autofill
      source (``{"resident.full_name": "..."}``).  For a
      ``registry_authoritative`` field the registry wins: empty input takes the
      registry value and a different value is refused.
    * A field whose ``show_if`` is unmet (judged on the clean value of the
      earlier choice list) is not asked: not required, and whatever was sent
      for it is dropped, never stored — the person may have typed it before
      changing the choice that hides it, so refusing would punish them.
    """
    if today is None:
        today = today_vn()
    result = FormResult()
    known = {f.name for f in schema.fields}
    for key in data:
        if key not in known:
            name = str(key)[:40]
            result.errors[str(key)] = _msg("unknown_field", None, name=name)
    shown: set[str] = set()
    for spec in schema.fields:
        if not _is_shown(spec, shown, result.clean):
            continue
        shown.add(spec.name)
        raw = data.get(spec.name)
        expected: object | None = None
        if spec.registry_authoritative and prefill is not None and spec.autofill and spec.autofill in prefill:
            expected, bad = validate_field(spec, prefill[spec.autofill], today=today)
            if bad is not None:
                expected = None  # the registry's own value is unusable: judge the input on its own
        if expected is not None and (raw is None or (isinstance(raw, str) and _single_line(raw) == "")):
            raw = prefill[spec.autofill]  # type: ignore[index]
        value, err = validate_field(spec, raw, today=today)
        if err is None and expected is not None and value != expected:
            err = _msg("registry", spec)
        if err is not None:
            result.errors[spec.name] = err
        elif value is not None:
            result.clean[spec.name] = value
    _cross_check_ids(schema, result)
    return result


def _cross_check_ids(schema: FormSchema, result: FormResult) -> None:
    for spec in schema.fields:
        if spec.type != "national_id" or spec.name not in result.clean:
            continue
        nid = parse_national_id(str(result.clean[spec.name]))
        if nid is None:
            continue
        dob = _partner(schema, spec, "date_of_birth", "resident.date_of_birth")
        if dob is not None and dob.type == "date" and dob.name in result.clean:
            year = int(str(result.clean[dob.name])[:4])
            if year != nid.birth_year:
                result.errors[spec.name] = _msg("nid_birth_year", spec, year=str(year))
                del result.clean[spec.name]
                continue
        gender = _partner(schema, spec, "gender", "resident.gender")
        if gender is not None and gender.name in result.clean:
            said = _GENDER.get(_fold_ascii(str(result.clean[gender.name])))
            if said is not None and said != nid.gender:
                result.errors[spec.name] = _msg("nid_gender", spec)
                del result.clean[spec.name]


#: What a browser sends for a ticked box (Reflex sends True; an HTML form "on"; our own code "true"/"1").
CHECKED = ("true", "on", "1", True)


def form_input(schema: FormSchema, values: Mapping[str, Any]) -> dict[str, object]:
    """Browser form values → validator input, the one coercion every web form uses.

    Only the schema's fields pass; a checkbox becomes a bool; other values become
    stripped text, and empty text means the field was left out (so "required" speaks).
    """
    data: dict[str, object] = {}
    for spec in schema.fields:
        raw = values.get(spec.name)
        if spec.type == "checkbox":
            data[spec.name] = raw in CHECKED
            continue
        text = "" if raw is None else (raw if isinstance(raw, str) else str(raw)).strip()
        if text:
            data[spec.name] = text
    return data


def autofill_values(schema: FormSchema, sources: Mapping[str, object]) -> dict[str, object]:
    """Initial form data from known sources (registry, e-identity), by field name."""
    return {f.name: sources[f.autofill] for f in schema.fields if f.autofill is not None and f.autofill in sources}


# --------------------------------------------------------------------------- uploads


def sniff_mime(head: bytes) -> str | None:
    """The real type of a file from its first bytes (16 are enough), whatever its name says."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if (
        len(head) >= 12
        and head[4:8] == b"ftyp"
        and head[8:12]
        in (
            b"heic",
            b"heix",
            b"heim",
            b"heis",
            b"hevc",
            b"hevx",
            b"mif1",
            b"msf1",
        )
    ):
        return "image/heic"  # phone cameras (iPhone) save HEIC by default
    return None


_BAD_NAME_CHARS = re.compile("[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069/\\\\]")


def _name_is_bad(filename: str) -> bool:
    return (
        not isinstance(filename, str)
        or _single_line(filename) == ""
        or len(filename) > 200
        or ".." in filename
        or bool(_BAD_NAME_CHARS.search(filename))
    )


def validate_upload(spec: DocumentSpec, filename: str, size: int, head: bytes) -> Message | None:
    """Check an uploaded file before it is stored; None when acceptable.

    The content decides the type, not the name: an ``.exe`` renamed ``.pdf`` is
    refused.  ``head`` is the file's bytes — at least the first 12 for the type, and
    enough for an image's header (the whole file is best: a JPEG's frame header may
    follow 64 KB of EXIF) so its pixel size is checked (``domain.images``).
    """
    doc = (spec.name_vi, spec.name_en)
    if _name_is_bad(filename):
        return _msg("upload_name", None, UPLOAD_MESSAGES)
    if size <= 0:
        return _msg("upload_empty", None, UPLOAD_MESSAGES, doc=doc)
    if size > spec.max_size_mb * 1024 * 1024:
        return _msg("upload_too_big", None, UPLOAD_MESSAGES, doc=doc, n=spec.max_size_mb)
    if sniff_mime(head) not in spec.accepted_types:
        has_pdf = "application/pdf" in spec.accepted_types
        has_img = any(t.startswith("image/") for t in spec.accepted_types)
        kinds = ("PDF/ảnh", "PDF/image") if has_pdf and has_img else ("PDF", "PDF") if has_pdf else ("ảnh", "image")
        types = ", ".join(SNIFFABLE_TYPES[t] for t in spec.accepted_types)
        return _msg("upload_type", None, UPLOAD_MESSAGES, doc=doc, kinds=kinds, types=types)
    if images.too_large(head):
        return _msg("upload_image_size", None, UPLOAD_MESSAGES, doc=doc)
    return None


_UNSAFE_NAME_CHARS = re.compile(r"[^\w .()\-]")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)", re.IGNORECASE)


def safe_filename(name: str) -> str:
    """A name safe to store and to put in a Content-Disposition header.

    Keeps Vietnamese letters (people recognise "Giấy khai sinh.pdf"), drops any
    directory part, control and special characters, leading dots, and "..";
    caps the length at 200 while keeping the extension.  Never empty.
    """
    name = _nfc(str(name))
    name = re.split(r"[/\\]", name)[-1]
    name = _CTRL.sub("", name.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    while ".." in name:
        name = name.replace("..", ".")
    name = _WS_RUN.sub(" ", name).strip(" .")
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: 200 - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:200].rstrip(" .")
    return name or "tep"


def parse_day(text: str) -> date | None:
    """An <input type=date> value ("2026-11-21"); empty or malformed → None (the filter is off)."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None
