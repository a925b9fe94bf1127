"""What each procedure's result document says, filled from the dossier's form data.

Why: the signed "Giấy khai sinh (bản điện tử)" carried only the requester, the procedure name
twice and the receipt time — no child, no date or place of birth, no parents. A result is a
legal document with a fixed set of particulars; each procedure declares them here, with where
each value comes from (a form field, the applicant, or a text the handling officer confirms).
The specialist reviews and corrects the drafted values, the leader previews them, and the
signed PDF prints them with the registration number and book.

Pure: no database, no PDF. Sources:
    "form:<field>"        a form value (dates as dd/mm/yyyy, choices as their label)
    "applicant:<attr>"    name | national_id | date_of_birth | address | phone
    "text:<words>"        a default the officer confirms or corrects (e.g. "Không có án tích")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ResultField:
    key: str
    label_vi: str
    source: str


@dataclass(frozen=True)
class ResultDefinition:
    title_vi: str
    fields: tuple[ResultField, ...]
    register_book: str = ""  # the register the number belongs to ("Quyển số" on civil-status results)
    closing_vi: str = ""  # the sentence that gives the document its effect


@dataclass(frozen=True)
class DraftLine:
    key: str
    label: str
    value: str


def _fields(*rows: tuple[str, str, str]) -> tuple[ResultField, ...]:
    return tuple(ResultField(k, label, src) for k, label, src in rows)


_APPLICANT = ("applicant_name", "Họ, chữ đệm, tên người yêu cầu", "applicant:name")
_APPLICANT_ID = ("applicant_id", "Số định danh cá nhân", "applicant:national_id")
_APPLICANT_DOB = ("applicant_dob", "Ngày, tháng, năm sinh", "applicant:date_of_birth")
_APPLICANT_ADDR = ("applicant_address", "Nơi cư trú", "applicant:address")
_SHARED = {
    "@applicant": _APPLICANT,
    "@applicant_id": _APPLICANT_ID,
    "@applicant_dob": _APPLICANT_DOB,
    "@applicant_address": _APPLICANT_ADDR,
}

# Why a text table: the particulars are data a legal specialist reads and corrects, not code; one
# block per procedure ("[code] TITLE", then "book:", "closing:" and "key | label | source" rows,
# "@applicant…" for the shared applicant rows) is read by `_parse` into `ResultDefinition`s.
_TABLE = """
[1.001193] GIẤY KHAI SINH
book: Sổ đăng ký khai sinh
closing: Đã đăng ký khai sinh; bản điện tử có giá trị như bản chính.
child_name | Họ, chữ đệm, tên | form:child_name
child_dob | Ngày, tháng, năm sinh | form:child_dob
child_gender | Giới tính | form:child_gender
birth_place | Nơi sinh | form:birth_place
mother_name | Họ, chữ đệm, tên người mẹ | form:mother_name
father_name | Họ, chữ đệm, tên người cha | form:father_name
declarant | Người đi đăng ký khai sinh | applicant:name
declarant_id | Số định danh của người đi đăng ký | applicant:national_id
relation | Quan hệ với người được khai sinh | form:relation

[1.000894] GIẤY CHỨNG NHẬN KẾT HÔN
book: Sổ đăng ký kết hôn
closing: Hai bên đã tự nguyện kết hôn và được đăng ký tại cơ quan có thẩm quyền.
party1_name | Họ, chữ đệm, tên (bên thứ nhất) | applicant:name
party1_id | Số định danh (bên thứ nhất) | applicant:national_id
party1_dob | Ngày sinh (bên thứ nhất) | applicant:date_of_birth
party1_address | Nơi cư trú (bên thứ nhất) | applicant:address
party2_name | Họ, chữ đệm, tên (bên thứ hai) | form:partner_name
party2_id | Số định danh (bên thứ hai) | form:partner_national_id

[1.000656] TRÍCH LỤC KHAI TỬ
book: Sổ đăng ký khai tử
deceased_name | Họ, chữ đệm, tên người đã chết | form:deceased_name
deceased_id | Số định danh của người đã chết | form:deceased_national_id
date_of_death | Ngày chết | form:date_of_death
declarant | Người đi đăng ký khai tử | applicant:name
declarant_id | Số định danh của người đi đăng ký | applicant:national_id

[2.000635] BẢN SAO TRÍCH LỤC HỘ TỊCH
book: Sổ cấp bản sao trích lục hộ tịch
extract_kind | Loại trích lục | form:extract_kind
copies | Số bản sao cấp | form:copies
@applicant
@applicant_id

[1.004873] GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN
book: Sổ cấp Giấy xác nhận tình trạng hôn nhân
closing: Giấy này có giá trị 06 tháng kể từ ngày cấp.
person_name | Họ, chữ đệm, tên | applicant:name
@applicant_dob
@applicant_id
@applicant_address
marital_status | Tình trạng hôn nhân | text:Hiện tại chưa đăng ký kết hôn với ai.
purpose | Mục đích sử dụng | form:purpose

[2.000815] CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH
book: Sổ chứng thực bản sao từ bản chính
closing: Chứng thực bản sao này đúng với bản chính.
document_title | Giấy tờ được chứng thực | form:document_title
pages | Số trang | form:pages
copies | Số bản | form:copies
@applicant
@applicant_id

[2.000884] LỜI CHỨNG CHỨNG THỰC CHỮ KÝ
book: Sổ chứng thực chữ ký
closing: Người yêu cầu chứng thực đã ký trước mặt người thực hiện chứng thực.
document_title | Giấy tờ, văn bản | form:document_title
signer_name | Người ký | applicant:name
signer_id | Số định danh của người ký | applicant:national_id

[3.000333] PHIẾU LÝ LỊCH TƯ PHÁP
book: Sổ cấp Phiếu lý lịch tư pháp
form_kind | Loại phiếu | form:form_kind
person_name | Họ, chữ đệm, tên | applicant:name
@applicant_dob
@applicant_id
@applicant_address
criminal_record | Án tích | text:Không có án tích.
purpose | Mục đích sử dụng | form:purpose

[1.004194] THÔNG BÁO KẾT QUẢ ĐĂNG KÝ THƯỜNG TRÚ
book: Sổ đăng ký cư trú
person_name | Họ, chữ đệm, tên | applicant:name
@applicant_id
new_address | Nơi thường trú mới | form:new_address
household_head | Chủ hộ | form:household_head
outcome | Kết quả | text:Đã đăng ký thường trú và cập nhật vào Cơ sở dữ liệu về cư trú.

[1.001612] GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH
book: Sổ đăng ký hộ kinh doanh
business_name | Tên hộ kinh doanh | form:business_name
business_address | Địa điểm kinh doanh | form:business_address
business_line | Ngành, nghề kinh doanh | form:business_line
capital | Vốn kinh doanh (đồng) | form:capital
owner_name | Chủ hộ kinh doanh | applicant:name
owner_id | Số định danh của chủ hộ | applicant:national_id

[1.009794] GIẤY PHÉP XÂY DỰNG
book: Sổ cấp giấy phép xây dựng
owner_name | Chủ đầu tư | applicant:name
@applicant_id
plot_address | Địa điểm xây dựng | form:plot_address
floors | Số tầng | form:floors
floor_area | Tổng diện tích sàn (m²) | form:floor_area
validity | Thời hạn khởi công | text:Không quá 12 tháng kể từ ngày được cấp giấy phép.

[1.003010] XÁC NHẬN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI
book: Sổ địa chính
holder_name | Người sử dụng đất | applicant:name
@applicant_id
parcel_number | Thửa đất, tờ bản đồ | form:parcel_number
change_kind | Nội dung biến động | form:change_kind

[1.002804] GIẤY PHÉP LÁI XE
book: Sổ quản lý giấy phép lái xe
holder_name | Họ và tên | applicant:name
@applicant_dob
@applicant_id
licence_number | Số giấy phép lái xe (cũ) | form:licence_number
licence_class | Hạng | form:licence_class
"""


def _parse(table: str) -> dict[str, ResultDefinition]:
    """One `ResultDefinition` per "[code] TITLE" block of `table` (format above)."""
    out: dict[str, ResultDefinition] = {}
    for block in table.strip().split("\n\n"):
        head, *lines = block.strip().splitlines()
        code, _, title = head.removeprefix("[").partition("] ")
        meta = {"book": "", "closing": ""}
        rows: list[tuple[str, str, str]] = []
        for line in lines:
            name, sep, rest = line.partition(": ")
            if sep and name in meta:
                meta[name] = rest
            elif line in _SHARED:
                rows.append(_SHARED[line])
            else:
                key, label, source = (part.strip() for part in line.split(" | "))
                rows.append((key, label, source))
        out[code] = ResultDefinition(title, _fields(*rows), register_book=meta["book"], closing_vi=meta["closing"])
    return out


RESULTS: dict[str, ResultDefinition] = _parse(_TABLE)


def definition_for(code: str, title_vi: str, request_fields: Sequence[tuple[str, str]]) -> ResultDefinition:
    """The procedure's declared result, or (for a procedure the admin added) its applicant and request fields."""
    if code in RESULTS:
        return RESULTS[code]
    rows = [_APPLICANT, _APPLICANT_ID, *((f"form_{n}", label, f"form:{n}") for n, label in request_fields)]
    return ResultDefinition(title_vi.upper(), _fields(*rows))


def _fmt(value: object, options: Mapping[str, str]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    text = str(value).strip()
    if text in options:
        return options[text]
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    if isinstance(value, int) and abs(value) >= 10000:
        return f"{value:,}".replace(",", ".")
    return text


def draft(
    definition: ResultDefinition,
    form_data: Mapping[str, object],
    applicant: Mapping[str, object],
    options: Mapping[str, Mapping[str, str]] | None = None,
) -> list[DraftLine]:
    """The result's particulars filled from the dossier; `options` gives each choice field's labels."""
    options = options or {}
    lines = []
    for f in definition.fields:
        kind, _, ref = f.source.partition(":")
        if kind == "form":
            value = _fmt(form_data.get(ref), options.get(ref, {}))
        elif kind == "applicant":
            value = _fmt(applicant.get(ref), {})
        else:
            value = ref
        lines.append(DraftLine(f.key, f.label_vi, value))
    return lines


def missing(lines: Sequence[DraftLine]) -> list[str]:
    """Labels still empty: the specialist fills them before the draft goes to signing."""
    return [line.label for line in lines if not line.value.strip()]
