"""The demo catalog: real national procedures (codes, durations, fees, legal basis) with e-forms.

Fee texts are kept verbatim beside the parsed amounts, because exemptions live in the text.
"""

from __future__ import annotations

from typing import Any

FIELDS: list[dict[str, str]] = [
    {"code": "civil_status", "name_vi": "Hộ tịch", "name_en": "Civil status", "icon": "baby"},
    {"code": "certification", "name_vi": "Chứng thực", "name_en": "Certification", "icon": "stamp"},
    {"code": "judicial", "name_vi": "Lý lịch tư pháp", "name_en": "Judicial records", "icon": "scale"},
    {"code": "residence", "name_vi": "Cư trú", "name_en": "Residence", "icon": "house"},
    {
        "code": "business",
        "name_vi": "Thành lập và hoạt động của hộ kinh doanh",
        "name_en": "Business households",
        "icon": "store",
    },
    {"code": "construction", "name_vi": "Xây dựng", "name_en": "Construction", "icon": "building"},
    {"code": "land", "name_vi": "Đất đai", "name_en": "Land", "icon": "map"},
    {"code": "transport", "name_vi": "Đường bộ", "name_en": "Road transport", "icon": "car"},
]


def _f(name: str, type_: str, vi: str, en: str, required: bool = True, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "label_vi": vi, "label_en": en, "required": required, **extra}


def _opts(*pairs: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"value": v, "label_vi": vi, "label_en": en} for v, vi, en in pairs]


def _doc(code: str, vi: str, en: str, required: bool = True, **extra: Any) -> dict[str, Any]:
    base = {
        "code": code,
        "name_vi": vi,
        "name_en": en,
        "required": required,
        "accepted_types": ["application/pdf", "image/jpeg", "image/png"],
        "max_size_mb": 10,
    }
    base.update(extra)
    return base


APPLICANT_FIELDS = [
    _f(
        "full_name",
        "text",
        "Họ và tên người yêu cầu",
        "Applicant's full name",
        autofill="resident.full_name",
        registry_authoritative=True,
        section="applicant",
    ),
    _f(
        "national_id",
        "national_id",
        "Số định danh cá nhân",
        "Personal ID number",
        autofill="resident.national_id",
        registry_authoritative=True,
        section="applicant",
    ),
    _f(
        "date_of_birth",
        "date",
        "Ngày sinh",
        "Date of birth",
        autofill="resident.date_of_birth",
        registry_authoritative=True,
        section="applicant",
        max_value="today",
    ),
    _f("phone", "phone", "Số điện thoại liên hệ", "Contact phone", autofill="resident.phone", section="applicant"),
    _f("address", "address", "Nơi cư trú", "Place of residence", autofill="resident.address", section="applicant"),
]
ID_CARD = _doc("id_card", "Căn cước / CCCD của người yêu cầu", "Applicant's ID card", state_held=True)
DECLARATION = _f(
    "declaration",
    "checkbox",
    "Tôi cam đoan nội dung khai trên là đúng sự thật",
    "I declare that the information above is true",
    section="request",
)
GENDER = _opts(("male", "Nam", "Male"), ("female", "Nữ", "Female"))
RELATION = _opts(
    ("father", "Cha", "Father"),
    ("mother", "Mẹ", "Mother"),
    ("grandparent", "Ông/Bà", "Grandparent"),
    ("relative", "Người thân khác", "Other relative"),
)


def _schema(request_fields: list[dict[str, Any]], documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {"fields": [*APPLICANT_FIELDS, *request_fields, DECLARATION], "documents": [ID_CARD, *documents]}


def _dur(value: float, unit: str = "working_days") -> dict[str, Any]:
    return {"value": value, "unit": unit}


SAME_DAY = {"value": 0, "unit": "same_day"}

#: Judicial record fee (Thông tư 244/2016/TT-BTC): 200,000 đ; students and people with meritorious
#: service to the revolution pay 100,000 đ; children, the elderly, people with disabilities and
#: people of poor households are exempt; the province halves it online (fee text below).
JUDICIAL_FEE: dict[str, Any] = {
    "basis": "per_dossier",
    "amount": 200000,
    "online_percent_off": 50,
    "exemptions": [
        {
            "code": "student",
            "label_vi": "Sinh viên",
            "label_en": "Student",
            "amount": 100000,
            "evidence_vi": "Thẻ sinh viên hoặc giấy xác nhận của nhà trường",
            "evidence_en": "Student card or the school's certificate",
        },
        {
            "code": "revolution",
            "label_vi": "Người có công với cách mạng",
            "label_en": "Person with meritorious service",
            "amount": 100000,
            "evidence_vi": "Giấy chứng nhận người có công",
            "evidence_en": "Certificate of merit",
        },
        {
            "code": "child",
            "label_vi": "Trẻ em",
            "label_en": "Child",
            "percent_off": 100,
            "evidence_vi": "Giấy khai sinh",
            "evidence_en": "Birth certificate",
        },
        {
            "code": "elderly",
            "label_vi": "Người cao tuổi",
            "label_en": "Elderly person",
            "percent_off": 100,
            "evidence_vi": "Căn cước (tuổi từ 60)",
            "evidence_en": "ID card (aged 60 or more)",
        },
        {
            "code": "disabled",
            "label_vi": "Người khuyết tật",
            "label_en": "Person with a disability",
            "percent_off": 100,
            "evidence_vi": "Giấy xác nhận khuyết tật",
            "evidence_en": "Disability certificate",
        },
        {
            "code": "poor_household",
            "label_vi": "Người thuộc hộ nghèo",
            "label_en": "Member of a poor household",
            "percent_off": 100,
            "evidence_vi": "Giấy chứng nhận hộ nghèo",
            "evidence_en": "Poor-household certificate",
        },
    ],
}
FEE_CATEGORY_FIELD = _f(
    "fee_category",
    "select",
    "Đối tượng miễn, giảm phí (nếu có)",
    "Fee exemption or reduction (if any)",
    required=False,
    section="request",
    options=_opts(*((e["code"], e["label_vi"], e["label_en"]) for e in JUDICIAL_FEE["exemptions"])),
)
FEE_EVIDENCE = _doc(
    "fee_evidence",
    "Giấy tờ chứng minh thuộc đối tượng miễn, giảm phí (nếu có)",
    "Evidence of the fee exemption or reduction (if any)",
    required=False,
)


def _procedure(
    code: str,
    field: str,
    popularity: int,
    *,
    name: tuple[str, str],
    description: tuple[str, str],
    who: tuple[str, str],
    duration: dict[str, Any],
    duration_online: dict[str, Any] | None = None,
    fee_amount: int = 0,
    fee_schedule: dict[str, Any] | None = None,
    **facts: Any,
) -> dict[str, Any]:
    """One demo procedure as the seed reads it; (Vietnamese, English) pairs for its texts. Unless said
    otherwise, filing online takes as long as at the counter and the fee is one amount per dossier."""
    return {
        "code": code,
        "field": field,
        "popularity": popularity,
        "name_vi": name[0],
        "name_en": name[1],
        "description_vi": description[0],
        "description_en": description[1],
        "who_vi": who[0],
        "who_en": who[1],
        "duration_counter": duration,
        "duration_online": duration_online or duration,
        "fee_amount": fee_amount,
        "fee_schedule": fee_schedule or {"basis": "per_dossier", "amount": fee_amount},
        **facts,
    }


PROCEDURES: list[dict[str, Any]] = [
    _procedure(
        "1.001193",
        "civil_status",
        980,
        name=("Đăng ký khai sinh", "Birth registration"),
        description=(
            "Đăng ký việc sinh cho trẻ em tại Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ.",
            "Register a child's birth at the commune People's Committee where a parent resides.",
        ),
        who=("Cha, mẹ, ông, bà hoặc người thân thích của trẻ.", "The child's parent, grandparent or relative."),
        duration=SAME_DAY,
        fee_text="Miễn lệ phí đăng ký khai sinh đúng hạn.",
        result_name_vi="Giấy khai sinh (bản điện tử)",
        legal_basis="Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP",
        form_schema=_schema(
            [
                _f("child_name", "text", "Họ và tên trẻ", "Child's full name", section="request"),
                _f("child_gender", "select", "Giới tính của trẻ", "Child's gender", options=GENDER, section="request"),
                _f(
                    "child_dob",
                    "date",
                    "Ngày sinh của trẻ",
                    "Child's date of birth",
                    max_value="today",
                    section="request",
                ),
                _f("birth_place", "text", "Nơi sinh", "Place of birth", section="request"),
                _f(
                    "relation",
                    "select",
                    "Quan hệ với trẻ",
                    "Relationship to the child",
                    options=RELATION,
                    section="request",
                ),
                _f(
                    "mother_name", "text", "Họ và tên người mẹ", "Mother's full name", required=False, section="request"
                ),
                _f(
                    "father_name",
                    "text",
                    "Họ và tên người cha",
                    "Father's full name",
                    required=False,
                    section="request",
                ),
            ],
            [
                _doc("birth_certificate", "Giấy chứng sinh", "Birth certificate from the hospital"),
                _doc(
                    "marriage_certificate",
                    "Giấy chứng nhận kết hôn của cha mẹ",
                    "Parents' marriage certificate",
                    required=False,
                    wallet_kinds=["result:1.000894"],
                ),
            ],
        ),
    ),
    _procedure(
        "1.000894",
        "civil_status",
        420,
        name=("Đăng ký kết hôn", "Marriage registration"),
        description=(
            "Đăng ký kết hôn giữa công dân Việt Nam với nhau cư trú trong nước.",
            "Register a marriage between Vietnamese citizens residing in Vietnam.",
        ),
        who=("Hai bên nam, nữ cùng có mặt khi đăng ký.", "Both partners, present together."),
        duration=SAME_DAY,
        fee_text="Miễn lệ phí. Trường hợp cần xác minh, thời hạn không quá 05 ngày làm việc.",
        result_name_vi="Giấy chứng nhận kết hôn",
        legal_basis="Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        form_schema=_schema(
            [
                _f("partner_name", "text", "Họ và tên người kết hôn cùng", "Partner's full name", section="request"),
                _f(
                    "partner_national_id",
                    "national_id",
                    "Số định danh của người kết hôn cùng",
                    "Partner's ID number",
                    section="request",
                ),
            ],
            [
                _doc(
                    "marital_status_partner",
                    "Giấy xác nhận tình trạng hôn nhân (nếu cư trú nơi khác)",
                    "Marital status certificate (if residing elsewhere)",
                    required=False,
                    wallet_kinds=["result:1.004873"],
                ),
            ],
        ),
    ),
    _procedure(
        "1.000656",
        "civil_status",
        260,
        name=("Đăng ký khai tử", "Death registration"),
        description=(
            "Đăng ký việc tử cho người chết tại nơi cư trú cuối cùng.",
            "Register a death where the deceased last resided.",
        ),
        who=(
            "Vợ, chồng, con, cha, mẹ hoặc người thân thích của người chết.",
            "The spouse, child, parent or a relative of the deceased.",
        ),
        duration=SAME_DAY,
        fee_text="Miễn lệ phí đăng ký khai tử.",
        result_name_vi="Trích lục khai tử",
        legal_basis="Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        form_schema=_schema(
            [
                _f("deceased_name", "text", "Họ và tên người chết", "Name of the deceased", section="request"),
                _f(
                    "deceased_national_id",
                    "national_id",
                    "Số định danh của người chết",
                    "ID number of the deceased",
                    section="request",
                ),
                _f("date_of_death", "date", "Ngày chết", "Date of death", max_value="today", section="request"),
            ],
            [_doc("death_notice", "Giấy báo tử hoặc giấy tờ thay thế", "Death notice or equivalent")],
        ),
    ),
    _procedure(
        "2.000635",
        "civil_status",
        310,
        name=("Cấp bản sao trích lục hộ tịch", "Copy of a civil-status extract"),
        description=(
            "Cấp bản sao trích lục hộ tịch từ Cơ sở dữ liệu hộ tịch.",
            "Issue a copy of a civil-status extract from the civil-status database.",
        ),
        who=("Cá nhân có yêu cầu.", "Any person entitled to it."),
        duration=SAME_DAY,
        fee_amount=8000,
        fee_schedule={"basis": "per_copy", "amount": 8000},
        fee_text="8.000 đồng/bản sao trích lục.",
        result_name_vi="Bản sao trích lục hộ tịch",
        legal_basis="Luật Hộ tịch 2014; Thông tư 281/2016/TT-BTC",
        form_schema=_schema(
            [
                _f(
                    "extract_kind",
                    "select",
                    "Loại trích lục",
                    "Kind of extract",
                    section="request",
                    options=_opts(
                        ("birth", "Khai sinh", "Birth"),
                        ("marriage", "Kết hôn", "Marriage"),
                        ("death", "Khai tử", "Death"),
                    ),
                ),
                _f("copies", "number", "Số bản sao", "Number of copies", min_value=1, max_value=10, section="request"),
            ],
            [],
        ),
    ),
    _procedure(
        "1.004873",
        "civil_status",
        350,
        name=("Cấp Giấy xác nhận tình trạng hôn nhân", "Marital status certificate"),
        description=(
            "Xác nhận tình trạng hôn nhân để kết hôn hoặc sử dụng vào mục đích khác.",
            "Certify marital status, to marry or for another purpose.",
        ),
        who=("Công dân Việt Nam cư trú trong nước.", "Vietnamese citizens residing in Vietnam."),
        duration=_dur(3),
        fee_text="Miễn lệ phí (theo Nghị quyết của HĐND tỉnh).",
        result_name_vi="Giấy xác nhận tình trạng hôn nhân",
        legal_basis="Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP",
        form_schema=_schema(
            [
                _f("purpose", "text", "Mục đích sử dụng", "Purpose", section="request"),
            ],
            [],
        ),
    ),
    _procedure(
        "2.000815",
        "certification",
        900,
        name=("Chứng thực bản sao từ bản chính", "Certified copy from the original"),
        description=(
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp.",
            "Certify copies made from an original document issued by an authority.",
        ),
        who=("Cá nhân, tổ chức có yêu cầu.", "Any person or organisation."),
        duration=SAME_DAY,
        fee_amount=2000,
        fee_schedule={
            "basis": "per_page",
            "amount": 2000,
            "cap_per_copy": 200000,
            "page_tiers": [{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}],
        },
        fee_text="2.000 đồng/trang đối với trang thứ nhất, trang thứ hai; từ trang thứ ba trở lên thu 1.000 "
        "đồng/trang, nhưng mức thu tối đa không quá 200.000 đồng/bản.",
        result_name_vi="Bản sao được chứng thực điện tử",
        legal_basis="Nghị định 23/2015/NĐ-CP; Thông tư 226/2016/TT-BTC",
        form_schema=_schema(
            [
                _f("document_title", "text", "Tên giấy tờ cần chứng thực", "Document to certify", section="request"),
                _f("pages", "number", "Số trang", "Number of pages", min_value=1, max_value=500, section="request"),
                _f("copies", "number", "Số bản", "Number of copies", min_value=1, max_value=20, section="request"),
            ],
            [_doc("original_scan", "Bản chụp bản chính giấy tờ", "Scan of the original document")],
        ),
    ),
    _procedure(
        "2.000884",
        "certification",
        300,
        name=("Chứng thực chữ ký trong các giấy tờ, văn bản", "Signature certification"),
        description=(
            "Chứng thực chữ ký của người yêu cầu trong giấy tờ, văn bản.",
            "Certify the requester's signature on a document.",
        ),
        who=("Cá nhân có yêu cầu.", "Any person."),
        duration=SAME_DAY,
        fee_amount=10000,
        fee_text="10.000 đồng/trường hợp.",
        result_name_vi="Giấy tờ đã chứng thực chữ ký",
        legal_basis="Nghị định 23/2015/NĐ-CP; Thông tư 226/2016/TT-BTC",
        form_schema=_schema(
            [
                _f(
                    "document_title", "text", "Tên giấy tờ cần chứng thực chữ ký", "Document to sign", section="request"
                ),
            ],
            [_doc("document", "Giấy tờ, văn bản cần chứng thực chữ ký", "The document to be signed")],
        ),
    ),
    _procedure(
        "3.000333",
        "judicial",
        380,
        name=("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Judicial record certificate"),
        description=(
            "Cấp Phiếu lý lịch tư pháp số 1 hoặc số 2 cho công dân Việt Nam.",
            "Issue a judicial record certificate (form 1 or 2) to a Vietnamese citizen.",
        ),
        who=("Công dân Việt Nam.", "Vietnamese citizens."),
        duration=_dur(10),
        fee_amount=200000,
        fee_schedule=JUDICIAL_FEE,
        level="province",
        fee_online_amount=100000,
        fee_text="200.000 đồng/lần/người. Sinh viên, người có công với cách mạng: 100.000 đồng/lần/người. "
        "Miễn phí đối với trẻ em, người cao tuổi, người khuyết tật, người thuộc hộ nghèo. "
        "Giảm 50% khi nộp trực tuyến theo chính sách của tỉnh.",
        result_name_vi="Phiếu lý lịch tư pháp",
        legal_basis="Luật Lý lịch tư pháp 2009; Thông tư 244/2016/TT-BTC",
        form_schema=_schema(
            [
                _f(
                    "form_kind",
                    "select",
                    "Loại phiếu",
                    "Certificate form",
                    section="request",
                    options=_opts(("1", "Phiếu số 1", "Form 1"), ("2", "Phiếu số 2", "Form 2")),
                ),
                _f("purpose", "text", "Mục đích yêu cầu", "Purpose", section="request"),
                FEE_CATEGORY_FIELD,
            ],
            [FEE_EVIDENCE],
        ),
    ),
    _procedure(
        "1.004194",
        "residence",
        520,
        name=("Đăng ký thường trú", "Permanent residence registration"),
        description=("Đăng ký thường trú tại chỗ ở hợp pháp.", "Register permanent residence at a lawful dwelling."),
        who=("Công dân có chỗ ở hợp pháp.", "Citizens with a lawful dwelling."),
        duration=_dur(7),
        fee_amount=20000,
        fee_schedule={"basis": "per_dossier", "amount": 20000, "online_amount": 10000},
        fee_online_amount=10000,
        fee_text="20.000 đồng/lần; nộp trực tuyến 10.000 đồng/lần.",
        result_name_vi="Thông báo kết quả đăng ký thường trú",
        legal_basis="Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP",
        form_schema=_schema(
            [
                _f("new_address", "address", "Địa chỉ đăng ký thường trú", "New permanent address", section="request"),
                _f("household_head", "text", "Họ tên chủ hộ", "Head of household", section="request"),
            ],
            [
                _doc(
                    "dwelling_proof",
                    "Giấy tờ chứng minh chỗ ở hợp pháp",
                    "Proof of lawful dwelling",
                    wallet_kinds=["result:land"],
                )
            ],
        ),
    ),
    _procedure(
        "1.001612",
        "business",
        610,
        name=("Đăng ký thành lập hộ kinh doanh", "Business household registration"),
        description=(
            "Đăng ký thành lập hộ kinh doanh tại cơ quan đăng ký kinh doanh cấp xã.",
            "Register a new business household with the commune business registration office.",
        ),
        who=("Cá nhân hoặc thành viên hộ gia đình.", "An individual or household members."),
        duration=_dur(3),
        fee_amount=100000,
        fee_schedule={"basis": "per_dossier", "amount": 100000, "online_amount": 0},
        fee_online_amount=0,
        fee_text="100.000 đồng/lần; miễn lệ phí khi đăng ký qua mạng điện tử.",
        result_name_vi="Giấy chứng nhận đăng ký hộ kinh doanh",
        legal_basis="Nghị định 01/2021/NĐ-CP; Thông tư 47/2019/TT-BTC",
        form_schema=_schema(
            [
                _f("business_name", "text", "Tên hộ kinh doanh", "Business name", section="request", max_length=200),
                _f("business_address", "address", "Địa điểm kinh doanh", "Business address", section="request"),
                _f("business_line", "textarea", "Ngành, nghề kinh doanh", "Business lines", section="request"),
                _f("capital", "number", "Vốn kinh doanh (đồng)", "Capital (VND)", min_value=0, section="request"),
            ],
            [_doc("lease", "Hợp đồng thuê địa điểm (nếu thuê)", "Premises lease (if rented)", required=False)],
        ),
    ),
    _procedure(
        "1.009794",
        "construction",
        240,
        name=("Cấp giấy phép xây dựng đối với nhà ở riêng lẻ", "Construction permit for a private house"),
        description=("Cấp giấy phép xây dựng mới nhà ở riêng lẻ.", "Permit to build a new private house."),
        who=("Chủ đầu tư (chủ nhà).", "The owner."),
        duration=_dur(15, "calendar_days"),
        fee_amount=75000,
        level="commune",
        fee_text="75.000 đồng/giấy phép (theo Nghị quyết HĐND tỉnh).",
        result_name_vi="Giấy phép xây dựng",
        legal_basis="Luật Xây dựng 2014 (sửa đổi 2020); Nghị định 175/2024/NĐ-CP",
        steps=[
            {"name": "reception", "weight": 0.1},
            {"name": "appraisal", "weight": 0.6},
            {"name": "approval", "weight": 0.1},
            {"name": "signing", "weight": 0.1},
            {"name": "result", "weight": 0.1},
        ],
        form_schema=_schema(
            [
                _f("plot_address", "address", "Địa chỉ lô đất", "Plot address", section="request"),
                _f("floors", "number", "Số tầng", "Number of floors", min_value=1, max_value=10, section="request"),
                _f(
                    "floor_area",
                    "number",
                    "Tổng diện tích sàn (m²)",
                    "Total floor area (m²)",
                    min_value=10,
                    max_value=5000,
                    section="request",
                ),
            ],
            [
                _doc(
                    "land_certificate",
                    "Giấy chứng nhận quyền sử dụng đất",
                    "Land-use right certificate",
                    wallet_kinds=["result:land"],
                ),
                _doc("drawings", "Bản vẽ thiết kế xây dựng", "Construction drawings", max_size_mb=20),
            ],
        ),
    ),
    _procedure(
        "1.003010",
        "land",
        330,
        name=(
            "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            "Land-use right certificate change registration",
        ),
        description=(
            "Đăng ký biến động khi chuyển nhượng, tặng cho, thừa kế, đổi tên…",
            "Register a change: transfer, gift, inheritance, change of name…",
        ),
        who=("Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất.", "The land user or owner."),
        duration=_dur(10),
        level="commune",
        fee_text="Lệ phí cấp giấy chứng nhận theo Nghị quyết HĐND tỉnh; phí thẩm định hồ sơ theo quy định.",
        result_name_vi="Giấy chứng nhận quyền sử dụng đất (đã cập nhật biến động)",
        legal_basis="Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP",
        form_schema=_schema(
            [
                _f("parcel_number", "text", "Số thửa, tờ bản đồ", "Parcel and map sheet number", section="request"),
                _f(
                    "change_kind",
                    "select",
                    "Loại biến động",
                    "Kind of change",
                    section="request",
                    options=_opts(
                        ("transfer", "Chuyển nhượng", "Transfer"),
                        ("gift", "Tặng cho", "Gift"),
                        ("inheritance", "Thừa kế", "Inheritance"),
                        ("rename", "Đổi tên", "Change of name"),
                    ),
                ),
            ],
            [
                _doc(
                    "land_certificate", "Giấy chứng nhận đã cấp", "The certificate issued", wallet_kinds=["result:land"]
                ),
                _doc("contract", "Hợp đồng, văn bản về biến động", "Contract or deed of the change"),
            ],
        ),
    ),
    _procedure(
        "1.002804",
        "transport",
        450,
        name=("Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "Driving licence exchange"),
        description=(
            "Đổi giấy phép lái xe hết hạn, hư hỏng hoặc sang mẫu mới.",
            "Exchange an expired or damaged driving licence, or for the new format.",
        ),
        who=("Người có giấy phép lái xe.", "Holders of a driving licence."),
        duration=_dur(5),
        fee_amount=135000,
        level="province",
        fee_text="135.000 đồng/lần cấp.",
        result_name_vi="Giấy phép lái xe",
        legal_basis="Luật Trật tự, an toàn giao thông đường bộ 2024; Thông tư 35/2024/TT-BGTVT",
        form_schema=_schema(
            [
                _f("licence_number", "text", "Số giấy phép lái xe", "Licence number", section="request", max_length=20),
                _f(
                    "licence_class",
                    "select",
                    "Hạng",
                    "Class",
                    section="request",
                    options=_opts(("A1", "A1", "A1"), ("A", "A", "A"), ("B", "B", "B"), ("C1", "C1", "C1")),
                ),
            ],
            [
                _doc("health_certificate", "Giấy khám sức khỏe của người lái xe", "Driver's health certificate"),
                _doc(
                    "old_licence",
                    "Bản chụp giấy phép lái xe cũ",
                    "Photo of the old licence",
                    accepted_types=["image/jpeg", "image/png"],
                ),
            ],
        ),
    ),
]

CENTERS: list[dict[str, Any]] = [
    {
        "code": "T01",
        "name": "Trung tâm Phục vụ hành chính công tỉnh",
        "level": "province",
        "address": "Số 1 Đường Trần Hưng Đạo, TP. Trung tâm",
        "phone": "02203 123 456",
        "counters": [
            (1, "Quầy 1 — Tư pháp, hộ tịch", ["civil_status", "judicial", "certification"]),
            (2, "Quầy 2 — Đường bộ", ["transport"]),
            (9, "Quầy 9 — Đất đai, môi trường, xây dựng", ["land", "construction"]),
        ],
    },
    {
        "code": "X01",
        "name": "Trung tâm Phục vụ hành chính công xã Hòa An",
        "level": "commune",
        "address": "Thôn Đông, xã Hòa An",
        "phone": "02203 555 010",
        "counters": [
            (1, "Quầy 1 — Hộ tịch, chứng thực", ["civil_status", "certification"]),
            (2, "Quầy 2 — Cư trú, hộ kinh doanh", ["residence", "business"]),
            (3, "Quầy 3 — Đất đai, xây dựng", ["land", "construction"]),
        ],
    },
    {
        "code": "P01",
        "name": "Trung tâm Phục vụ hành chính công phường Tân An",
        "level": "ward",
        "address": "12 Lê Lợi, phường Tân An",
        "phone": "02203 555 020",
        "counters": [
            (1, "Quầy 1 — Hộ tịch, chứng thực", ["civil_status", "certification"]),
            (2, "Quầy 2 — Kinh doanh, xây dựng, đất đai", ["business", "construction", "land", "residence"]),
        ],
    },
    {
        "code": "D01",
        "name": "Trung tâm Phục vụ hành chính công đặc khu Phú Quý",
        "level": "special_zone",
        "address": "Khu 1, đặc khu Phú Quý",
        "phone": "02203 555 030",
        "counters": [(1, "Quầy 1 — Tất cả lĩnh vực", [f["code"] for f in FIELDS])],
    },
]

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

# --------------------------------------------------------------------------- catalog area (issue 14)
#: Where each demo procedure is filed, and the names people use for it (colloquial, older names, English).
#: Search and the assistant read these; the admin edits them and a catalog import carries them.
AGENCY_AND_OTHER_NAMES: dict[str, tuple[str, list[str]]] = {
    "1.001193": (
        "Ủy ban nhân dân cấp xã",
        ["làm giấy khai sinh", "làm khai sinh cho con", "khai sinh cho bé", "birth certificate", "register a baby"],
    ),
    "1.000894": (
        "Ủy ban nhân dân cấp xã",
        ["đăng ký cưới", "làm giấy đăng ký kết hôn", "giấy hôn thú", "marriage certificate", "get married"],
    ),
    "1.000656": ("Ủy ban nhân dân cấp xã", ["báo tử", "làm giấy chứng tử", "khai tử", "death certificate"]),
    "2.000635": (
        "Ủy ban nhân dân cấp xã",
        [
            "xin lại giấy khai sinh",
            "bản sao giấy khai sinh",
            "trích lục",
            "copy of birth certificate",
            "civil status extract",
        ],
    ),
    "1.004873": (
        "Ủy ban nhân dân cấp xã",
        [
            "giấy xác nhận độc thân",
            "giấy độc thân",
            "xác nhận độc thân",
            "single status certificate",
            "certificate of no impediment",
        ],
    ),
    "2.000815": (
        "Ủy ban nhân dân cấp xã",
        ["công chứng giấy tờ", "sao y bản chính", "photo công chứng", "certified copy", "notarised copy"],
    ),
    "2.000884": ("Ủy ban nhân dân cấp xã", ["công chứng chữ ký", "xác nhận chữ ký", "signature certification"]),
    "3.000333": (
        "Sở Tư pháp",
        [
            "lý lịch tư pháp",
            "lý lịch tư pháp số 1",
            "giấy không tiền án",
            "criminal record certificate",
            "police clearance",
        ],
    ),
    "1.004194": (
        "Công an cấp xã",
        ["nhập hộ khẩu", "đăng ký hộ khẩu", "chuyển hộ khẩu", "household registration", "register residence"],
    ),
    "1.001612": (
        "Ủy ban nhân dân cấp xã",
        [
            "giấy phép kinh doanh hộ cá thể",
            "đăng ký kinh doanh hộ gia đình",
            "mở cửa hàng",
            "business licence",
            "open a shop",
        ],
    ),
    "1.009794": (
        "Ủy ban nhân dân cấp xã",
        ["xin phép xây nhà", "giấy phép xây nhà", "xây nhà", "building permit", "build a house"],
    ),
    "1.003010": (
        "Văn phòng đăng ký đất đai",
        ["sang tên sổ đỏ", "sang tên sổ hồng", "chuyển nhượng đất", "land title transfer", "red book transfer"],
    ),
    "1.002804": (
        "Sở Xây dựng",
        ["đổi bằng lái xe", "đổi bằng lái", "cấp đổi bằng lái", "driving licence renewal", "driver's license exchange"],
    ),
}
for _spec in PROCEDURES:
    _agency, _names = AGENCY_AND_OTHER_NAMES[_spec["code"]]
    _spec.setdefault("agency", _agency)
    _spec.setdefault("other_names", list(_names))
