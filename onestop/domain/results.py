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

RESULTS: dict[str, ResultDefinition] = {
    "1.001193": ResultDefinition(
        "GIẤY KHAI SINH",
        _fields(
            ("child_name", "Họ, chữ đệm, tên", "form:child_name"),
            ("child_dob", "Ngày, tháng, năm sinh", "form:child_dob"),
            ("child_gender", "Giới tính", "form:child_gender"),
            ("birth_place", "Nơi sinh", "form:birth_place"),
            ("mother_name", "Họ, chữ đệm, tên người mẹ", "form:mother_name"),
            ("father_name", "Họ, chữ đệm, tên người cha", "form:father_name"),
            ("declarant", "Người đi đăng ký khai sinh", "applicant:name"),
            ("declarant_id", "Số định danh của người đi đăng ký", "applicant:national_id"),
            ("relation", "Quan hệ với người được khai sinh", "form:relation"),
        ),
        register_book="Sổ đăng ký khai sinh",
        closing_vi="Đã đăng ký khai sinh; bản điện tử có giá trị như bản chính.",
    ),
    "1.000894": ResultDefinition(
        "GIẤY CHỨNG NHẬN KẾT HÔN",
        _fields(
            ("party1_name", "Họ, chữ đệm, tên (bên thứ nhất)", "applicant:name"),
            ("party1_id", "Số định danh (bên thứ nhất)", "applicant:national_id"),
            ("party1_dob", "Ngày sinh (bên thứ nhất)", "applicant:date_of_birth"),
            ("party1_address", "Nơi cư trú (bên thứ nhất)", "applicant:address"),
            ("party2_name", "Họ, chữ đệm, tên (bên thứ hai)", "form:partner_name"),
            ("party2_id", "Số định danh (bên thứ hai)", "form:partner_national_id"),
        ),
        register_book="Sổ đăng ký kết hôn",
        closing_vi="Hai bên đã tự nguyện kết hôn và được đăng ký tại cơ quan có thẩm quyền.",
    ),
    "1.000656": ResultDefinition(
        "TRÍCH LỤC KHAI TỬ",
        _fields(
            ("deceased_name", "Họ, chữ đệm, tên người đã chết", "form:deceased_name"),
            ("deceased_id", "Số định danh của người đã chết", "form:deceased_national_id"),
            ("date_of_death", "Ngày chết", "form:date_of_death"),
            ("declarant", "Người đi đăng ký khai tử", "applicant:name"),
            ("declarant_id", "Số định danh của người đi đăng ký", "applicant:national_id"),
        ),
        register_book="Sổ đăng ký khai tử",
    ),
    "2.000635": ResultDefinition(
        "BẢN SAO TRÍCH LỤC HỘ TỊCH",
        _fields(
            ("extract_kind", "Loại trích lục", "form:extract_kind"),
            ("copies", "Số bản sao cấp", "form:copies"),
            _APPLICANT,
            _APPLICANT_ID,
        ),
        register_book="Sổ cấp bản sao trích lục hộ tịch",
    ),
    "1.004873": ResultDefinition(
        "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
        _fields(
            ("person_name", "Họ, chữ đệm, tên", "applicant:name"),
            _APPLICANT_DOB,
            _APPLICANT_ID,
            _APPLICANT_ADDR,
            ("marital_status", "Tình trạng hôn nhân", "text:Hiện tại chưa đăng ký kết hôn với ai."),
            ("purpose", "Mục đích sử dụng", "form:purpose"),
        ),
        register_book="Sổ cấp Giấy xác nhận tình trạng hôn nhân",
        closing_vi="Giấy này có giá trị 06 tháng kể từ ngày cấp.",
    ),
    "2.000815": ResultDefinition(
        "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH",
        _fields(
            ("document_title", "Giấy tờ được chứng thực", "form:document_title"),
            ("pages", "Số trang", "form:pages"),
            ("copies", "Số bản", "form:copies"),
            _APPLICANT,
            _APPLICANT_ID,
        ),
        register_book="Sổ chứng thực bản sao từ bản chính",
        closing_vi="Chứng thực bản sao này đúng với bản chính.",
    ),
    "2.000884": ResultDefinition(
        "LỜI CHỨNG CHỨNG THỰC CHỮ KÝ",
        _fields(
            ("document_title", "Giấy tờ, văn bản", "form:document_title"),
            ("signer_name", "Người ký", "applicant:name"),
            ("signer_id", "Số định danh của người ký", "applicant:national_id"),
        ),
        register_book="Sổ chứng thực chữ ký",
        closing_vi="Người yêu cầu chứng thực đã ký trước mặt người thực hiện chứng thực.",
    ),
    "3.000333": ResultDefinition(
        "PHIẾU LÝ LỊCH TƯ PHÁP",
        _fields(
            ("form_kind", "Loại phiếu", "form:form_kind"),
            ("person_name", "Họ, chữ đệm, tên", "applicant:name"),
            _APPLICANT_DOB,
            _APPLICANT_ID,
            _APPLICANT_ADDR,
            ("criminal_record", "Án tích", "text:Không có án tích."),
            ("purpose", "Mục đích sử dụng", "form:purpose"),
        ),
        register_book="Sổ cấp Phiếu lý lịch tư pháp",
    ),
    "1.004194": ResultDefinition(
        "THÔNG BÁO KẾT QUẢ ĐĂNG KÝ THƯỜNG TRÚ",
        _fields(
            ("person_name", "Họ, chữ đệm, tên", "applicant:name"),
            _APPLICANT_ID,
            ("new_address", "Nơi thường trú mới", "form:new_address"),
            ("household_head", "Chủ hộ", "form:household_head"),
            ("outcome", "Kết quả", "text:Đã đăng ký thường trú và cập nhật vào Cơ sở dữ liệu về cư trú."),
        ),
        register_book="Sổ đăng ký cư trú",
    ),
    "1.001612": ResultDefinition(
        "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH",
        _fields(
            ("business_name", "Tên hộ kinh doanh", "form:business_name"),
            ("business_address", "Địa điểm kinh doanh", "form:business_address"),
            ("business_line", "Ngành, nghề kinh doanh", "form:business_line"),
            ("capital", "Vốn kinh doanh (đồng)", "form:capital"),
            ("owner_name", "Chủ hộ kinh doanh", "applicant:name"),
            ("owner_id", "Số định danh của chủ hộ", "applicant:national_id"),
        ),
        register_book="Sổ đăng ký hộ kinh doanh",
    ),
    "1.009794": ResultDefinition(
        "GIẤY PHÉP XÂY DỰNG",
        _fields(
            ("owner_name", "Chủ đầu tư", "applicant:name"),
            _APPLICANT_ID,
            ("plot_address", "Địa điểm xây dựng", "form:plot_address"),
            ("floors", "Số tầng", "form:floors"),
            ("floor_area", "Tổng diện tích sàn (m²)", "form:floor_area"),
            ("validity", "Thời hạn khởi công", "text:Không quá 12 tháng kể từ ngày được cấp giấy phép."),
        ),
        register_book="Sổ cấp giấy phép xây dựng",
    ),
    "1.003010": ResultDefinition(
        "XÁC NHẬN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI",
        _fields(
            ("holder_name", "Người sử dụng đất", "applicant:name"),
            _APPLICANT_ID,
            ("parcel_number", "Thửa đất, tờ bản đồ", "form:parcel_number"),
            ("change_kind", "Nội dung biến động", "form:change_kind"),
        ),
        register_book="Sổ địa chính",
    ),
    "1.002804": ResultDefinition(
        "GIẤY PHÉP LÁI XE",
        _fields(
            ("holder_name", "Họ và tên", "applicant:name"),
            _APPLICANT_DOB,
            _APPLICANT_ID,
            ("licence_number", "Số giấy phép lái xe (cũ)", "form:licence_number"),
            ("licence_class", "Hạng", "form:licence_class"),
        ),
        register_book="Sổ quản lý giấy phép lái xe",
    ),
}


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
