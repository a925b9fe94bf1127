"""The e-form schema, the validator (the only judge), uploads, and parity with the field app's JS port."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestop.domain.bilingual import BiText
from onestop.domain.forms import (
    FIELD_TYPES,
    MESSAGES,
    PROVINCE_CODES,
    DocumentSpec,
    FieldSpec,
    FormSchema,
    Message,
    Option,
    autofill_values,
    hidden_fields,
    parse_national_id,
    safe_filename,
    shown_fields,
    sniff_mime,
    validate_field,
    validate_form,
    validate_upload,
)

ROOT = Path(__file__).resolve().parents[2]
JS_FILE = ROOT / "field_app" / "js" / "validate.js"
TODAY = date(2025, 6, 1)


def spec(type_: str = "text", name: str = "f", vi: str = "Họ và tên", en: str = "Full name", **kw) -> FieldSpec:
    return FieldSpec(name, type_, vi, en, **kw)  # type: ignore[arg-type]


def ok(s: FieldSpec, raw: object) -> object:
    value, err = validate_field(s, raw, today=TODAY)
    assert err is None, err
    return value


def bad(s: FieldSpec, raw: object) -> Message:
    value, err = validate_field(s, raw, today=TODAY)
    assert err is not None, f"{raw!r} was accepted as {value!r}"
    assert value is None
    return err


# A birth registration form, much as a province would publish it.
BIRTH = FormSchema.from_dict(
    {
        "fields": [
            {
                "name": "full_name",
                "type": "text",
                "label_vi": "Họ và tên người đi đăng ký",
                "label_en": "Applicant's full name",
                "required": True,
                "autofill": "resident.full_name",
                "registry_authoritative": True,
            },
            {
                "name": "national_id",
                "type": "national_id",
                "label_vi": "Số định danh cá nhân",
                "label_en": "Personal ID number",
                "required": True,
                "autofill": "resident.national_id",
                "registry_authoritative": True,
            },
            {
                "name": "date_of_birth",
                "type": "date",
                "label_vi": "Ngày sinh",
                "label_en": "Date of birth",
                "autofill": "resident.date_of_birth",
                "max_value": "today",
            },
            {
                "name": "gender",
                "type": "select",
                "label_vi": "Giới tính",
                "label_en": "Gender",
                "autofill": "resident.gender",
                "options": [
                    {"value": "Nam", "label_vi": "Nam", "label_en": "Male"},
                    {"value": "Nữ", "label_vi": "Nữ", "label_en": "Female"},
                ],
            },
            {
                "name": "phone",
                "type": "phone",
                "label_vi": "Số điện thoại",
                "label_en": "Phone number",
                "required": True,
            },
            {"name": "email", "type": "email", "label_vi": "Email", "label_en": "Email"},
            {"name": "address", "type": "address", "label_vi": "Nơi cư trú", "label_en": "Place of residence"},
            {
                "name": "child_name",
                "type": "text",
                "label_vi": "Họ và tên trẻ",
                "label_en": "Child's full name",
                "required": True,
                "section": "request",
                "max_length": 100,
            },
            {
                "name": "child_birth",
                "type": "date",
                "label_vi": "Ngày sinh của trẻ",
                "label_en": "Child's date of birth",
                "required": True,
                "section": "request",
                "max_value": "today",
                "min_value": "1900-01-01",
            },
            {
                "name": "copies",
                "type": "number",
                "label_vi": "Số bản sao trích lục",
                "label_en": "Number of extract copies",
                "section": "request",
                "min_value": 0,
                "max_value": 20,
            },
            {"name": "note", "type": "textarea", "label_vi": "Ghi chú", "label_en": "Note", "section": "request"},
            {
                "name": "declare",
                "type": "checkbox",
                "label_vi": "Tôi cam đoan nội dung trên là đúng sự thật",
                "label_en": "I declare the above is true",
                "required": True,
                "section": "request",
            },
        ],
        "documents": [
            {"code": "birth_cert_medical", "name_vi": "Giấy chứng sinh", "name_en": "Medical birth certificate"},
            {"code": "id_card", "name_vi": "Thẻ căn cước", "name_en": "ID card", "state_held": True},
            {
                "code": "marriage_cert",
                "name_vi": "Giấy chứng nhận kết hôn",
                "name_en": "Marriage certificate",
                "required": False,
                "wallet_kinds": ["marriage_certificate"],
                "accepted_types": ["application/pdf"],
                "max_size_mb": 5,
            },
        ],
    }
)

GOOD = {
    "full_name": "Nguyễn Văn An",
    "national_id": "001090012345",
    "date_of_birth": "15/03/1990",
    "gender": "Nam",
    "phone": "0912 345 678",
    "child_name": "Nguyễn Minh Khang",
    "child_birth": "2025-05-20",
    "copies": "2",
    "declare": True,
}


# --------------------------------------------------------------------------- schema


def test_schema_roundtrips_through_json():
    d = BIRTH.to_dict()
    assert FormSchema.from_dict(json.loads(json.dumps(d))) == BIRTH
    assert d["fields"][3]["options"][1] == {"value": "Nữ", "label_vi": "Nữ", "label_en": "Female"}
    assert d["documents"][0]["accepted_types"] == ["application/pdf", "image/jpeg", "image/png"]
    assert BIRTH.document("id_card").state_held is True
    assert BIRTH.field("child_name").section == "request"


@pytest.mark.parametrize(
    ("patch", "needle"),
    [
        ({"fields": [{"name": "a", "type": "text", "label_vi": "A", "label_en": "A"}] * 2}, "duplicate"),
        ({"fields": [{"name": "a", "type": "money", "label_vi": "A", "label_en": "A"}]}, "unknown type"),
        ({"fields": [{"name": "a", "type": "select", "label_vi": "A", "label_en": "A"}]}, "needs options"),
        (
            {"fields": [{"name": "a", "type": "text", "label_vi": "A", "label_en": "A", "requried": True}]},
            "unknown key",
        ),
        ({"fields": [{"name": "A b", "type": "text", "label_vi": "A", "label_en": "A"}]}, "name"),
        ({"fields": [{"name": "a", "type": "text", "label_vi": "", "label_en": "A"}]}, "label"),
        ({"fields": [{"name": "a", "type": "text", "label_vi": "A", "label_en": "A", "pattern": "("}]}, "compile"),
        ({"fields": [{"name": "a", "type": "number", "label_vi": "A", "label_en": "A", "min_value": "x"}]}, "finite"),
        (
            {"fields": [{"name": "a", "type": "date", "label_vi": "A", "label_en": "A", "max_value": "31/12/2020"}]},
            "ISO",
        ),
        (
            {
                "fields": [
                    {"name": "a", "type": "text", "label_vi": "A", "label_en": "A", "min_length": 5, "max_length": 2}
                ]
            },
            "min_length",
        ),
        (
            {"fields": [{"name": "a", "type": "text", "label_vi": "A", "label_en": "A", "autofill": "full name"}]},
            "autofill",
        ),
        (
            {
                "fields": [
                    {"name": "a", "type": "text", "label_vi": "A", "label_en": "A", "registry_authoritative": True}
                ]
            },
            "autofill",
        ),
        ({"fields": [{"name": "a", "type": "text", "label_vi": "A", "label_en": "A", "section": "other"}]}, "section"),
        (
            {
                "fields": [
                    {
                        "name": "a",
                        "type": "text",
                        "label_vi": "A",
                        "label_en": "A",
                        "options": [{"value": "x", "label_vi": "x", "label_en": "x"}],
                    }
                ]
            },
            "only select",
        ),
        (
            {
                "fields": [
                    {
                        "name": "a",
                        "type": "select",
                        "label_vi": "A",
                        "label_en": "A",
                        "options": [{"value": "x"}, {"value": "x"}],
                    }
                ]
            },
            "unique",
        ),
        (
            {
                "documents": [
                    {"code": "a", "name_vi": "A", "name_en": "A", "accepted_types": ["application/x-msdownload"]}
                ]
            },
            "cannot verify",
        ),
        ({"documents": [{"code": "a", "name_vi": "A", "name_en": "A", "max_size_mb": 0}]}, "max_size_mb"),
        (
            {
                "documents": [
                    {"code": "a", "name_vi": "A", "name_en": "A"},
                    {"code": "a", "name_vi": "B", "name_en": "B"},
                ]
            },
            "duplicate",
        ),
        ({"documents": [{"code": "a b", "name_vi": "A", "name_en": "A"}]}, "code"),
        ({"fields": [], "version": 2}, "unknown key"),
        ({"fields": "x"}, "list"),
    ],
)
def test_schema_defects_raise_value_error(patch, needle):
    with pytest.raises(ValueError, match=needle):
        FormSchema.from_dict(patch)


def test_schema_defaults():
    s = spec("text")
    assert s.required is False and s.section == "applicant" and s.effective_max_length() == 500
    assert spec("textarea").effective_max_length() == 2000
    assert spec("address").effective_max_length() == 500
    d = DocumentSpec("x", "X", "X")
    assert d.accepted_types == ("application/pdf", "image/jpeg", "image/png") and d.max_size_mb == 10
    assert set(FIELD_TYPES) == {
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
    }


# --------------------------------------------------------------------------- text


def test_required_message_names_the_field_in_plain_vietnamese():
    err = bad(spec("text", required=True), "   ")
    assert err == Message("Vui lòng nhập họ và tên.", "Please enter full name.", "required")
    err = bad(
        spec("select", vi="Giới tính", en="Gender", required=True, options=(Option("Nam", BiText("Nam", "Male")),)), ""
    )
    assert err.vi == "Vui lòng chọn giới tính."
    err = bad(spec("text", vi="Số CCCD", en="ID number", required=True), None)
    assert err.vi == "Vui lòng nhập số CCCD." and err.en == "Please enter ID number."  # "ID" keeps its case
    assert bad(spec("text", vi="CCCD", en="CCCD", required=True), "").vi == "Vui lòng nhập CCCD."


def test_text_is_stripped_collapsed_and_nfc():
    s = spec("text")
    assert ok(s, "  Nguyễn \t Văn\u00a0An  ") == "Nguyễn Văn An"
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert ok(s, nfd) == "Nguyễn Văn An" and ok(s, nfd) == unicodedata.normalize("NFC", nfd)
    assert ok(s, "") is None and ok(s, None) is None  # empty optional


def test_textarea_keeps_lines():
    assert ok(spec("textarea"), "  dòng 1\r\ndòng 2\n  ") == "dòng 1\ndòng 2"


def test_lengths():
    assert bad(spec("text"), "a" * 501).code == "too_long"
    assert ok(spec("text"), "a" * 500)
    assert bad(spec("textarea"), "a" * 2001).vi == "Họ và tên chỉ được tối đa 2000 ký tự."
    assert bad(spec("text", min_length=3), "ab").vi == "Họ và tên phải có ít nhất 3 ký tự."
    assert ok(spec("text", max_length=3), "ắắắ") == "ắắắ"  # counted in letters, not bytes or NFD marks
    assert ok(spec("text", max_length=3), unicodedata.normalize("NFD", "ắắắ")) == "ắắắ"
    assert bad(spec("text"), "x" * 200_000).code == "too_long"


def test_control_and_bidi_characters_are_refused():
    assert bad(spec("text"), "An\x00").code == "invalid_chars"
    assert bad(spec("text"), "An\u202egnp.exe").code == "invalid_chars"
    assert bad(spec("textarea"), "a\x07b").code == "invalid_chars"
    assert ok(spec("textarea"), "a\tb") == "a\tb"
    assert bad(spec("text"), "An\ud800").code == "invalid_chars"  # lone surrogate: cannot be stored as UTF-8
    assert ok(spec("text"), "An 😀") == "An 😀"


def test_pattern_is_a_full_match():
    s = spec("text", vi="Mã số thuế", en="Tax code", pattern="[0-9]{10}(-[0-9]{3})?")
    assert ok(s, "0101234567") == "0101234567"
    assert ok(s, "0101234567-001") == "0101234567-001"
    assert bad(s, "0101234567x").code == "pattern"
    assert bad(s, "٠١٠١٢٣٤٥٦٧").code == "pattern"  # Arabic-Indic digits are not [0-9]


def test_non_string_for_a_text_field():
    assert bad(spec("text"), 12).code == "invalid"
    assert bad(spec("text"), ["a"]).code == "invalid"


# --------------------------------------------------------------------------- number, date, select, checkbox


def test_numbers():
    s = spec("number", vi="Diện tích", en="Area", min_value=0.5, max_value=1000)
    assert ok(s, "12") == 12 and isinstance(ok(s, "12"), int)
    assert ok(s, "2,5") == 2.5 and ok(s, "2.5") == 2.5
    assert ok(s, " 7.0 ") == 7 and isinstance(ok(s, "7.0"), int)
    assert ok(s, 3) == 3 and ok(s, 3.25) == 3.25
    assert bad(s, "1.000").code == "number_grouped"  # a thousand to a Vietnamese reader: do not guess
    assert bad(s, "1 000").code == "number_grouped"
    assert bad(s, "12,345").code == "number_grouped"
    assert ok(s, "0.500") == 0.5  # leading zero: plainly a decimal
    for raw in ("abc", "1e5", "0x10", "1_000", "٣", "--1", "1.2.3", True, [], "Infinity", "NaN"):
        assert bad(s, raw).code == "number", raw
    assert bad(s, "0,25").vi == "Diện tích phải từ 0,5 trở lên."
    assert bad(s, "0,25").en == "Area must be at least 0.5."
    assert bad(s, "1001").vi == "Diện tích không được lớn hơn 1000."
    assert ok(spec("number"), "") is None


def test_dates():
    s = spec("date", vi="Ngày sinh", en="Date of birth", max_value="today")
    assert ok(s, "1990-03-15") == "1990-03-15"
    assert ok(s, "15/03/1990") == "1990-03-15"
    assert ok(s, "5/3/1990") == "1990-03-05"
    assert ok(s, "05.03.1990") == "1990-03-05"
    assert ok(s, "29/02/2024") == "2024-02-29"
    assert ok(s, date(1990, 3, 15)) == "1990-03-15"
    assert ok(s, TODAY.isoformat()) == TODAY.isoformat()
    for raw in (
        "31/02/1990",
        "29/02/2023",
        "1990-13-01",
        "15-03-90",
        "hôm qua",
        "1990/03/15",
        "00/01/1990",
        "01/01/1700",
    ):
        assert bad(s, raw).code == "date", raw
    assert bad(s, "02/06/2025") == Message(
        "Ngày sinh không được sau ngày hôm nay.", "Date of birth cannot be later than today.", "date_future"
    )
    appt = spec("date", vi="Ngày hẹn", en="Appointment date", min_value="today", max_value="2025-12-31")
    assert bad(appt, "31/05/2025").code == "date_past"
    assert bad(appt, "01/01/2026").vi == "Ngày hẹn không được sau ngày 31/12/2025."
    assert bad(spec("date", min_value="2000-01-01"), "1999-12-31").vi == "Họ và tên không được trước ngày 01/01/2000."


def test_select():
    s = spec(
        "select",
        vi="Nơi nhận kết quả",
        en="Where to receive the result",
        options=(
            Option("counter", BiText("Tại quầy", "At the counter")),
            Option("post", BiText("Bưu điện", "By post")),
            Option("2", BiText("Hai", "Two")),
        ),
    )
    assert ok(s, " post ") == "post"
    assert ok(s, 2) == "2"
    assert bad(s, "Post").vi == "Vui lòng chọn nơi nhận kết quả trong danh sách."
    assert bad(s, 2.5).code == "invalid"


def test_checkbox():
    s = spec("checkbox", vi="Nhận kết quả qua email", en="Receive the result by email")
    for raw, want in (
        (True, True),
        (False, False),
        ("on", True),
        ("true", True),
        ("Có", True),
        ("1", True),
        (1, True),
        (None, False),
        ("", False),
        ("off", False),
        ("không", False),
        (0, False),
    ):
        assert ok(s, raw) is want, raw
    assert bad(s, "maybe").code == "invalid"
    declare = spec(
        "checkbox", vi="Tôi cam đoan nội dung trên là đúng sự thật", en="I declare the above is true", required=True
    )
    err = bad(declare, False)
    assert err.code == "required_checkbox"
    assert err.vi == "Vui lòng đánh dấu vào ô “Tôi cam đoan nội dung trên là đúng sự thật” để xác nhận."
    assert bad(declare, None).code == "required_checkbox"
    assert ok(declare, "on") is True


def test_email():
    s = spec("email", vi="Email", en="Email")
    assert ok(s, " An.Nguyen+hs@Gmail.COM ") == "An.Nguyen+hs@gmail.com"
    for raw in (
        "an",
        "an@",
        "@gmail.com",
        "an@gmail",
        "an..b@gmail.com",
        "an@-gmail.com",
        "an@gmail.c",
        "an @gmail.com",
        "nguyễn@gmail.com",
        "a" * 65 + "@gmail.com",
        "an@gmail.com.",
    ):
        assert bad(s, raw).code == "email", raw
    assert bad(s, "a@" + "b" * 250 + ".com").code == "too_long"


# --------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84 912 345 678", "0912345678"),
        ("+84 (0) 912.345.678", "0912345678"),
        ("0084912345678", "0912345678"),
        ("091-234-5678", "0912345678"),
        ("0352345678", "0352345678"),
        ("0562345678", "0562345678"),
        ("0702345678", "0702345678"),
        ("0862345678", "0862345678"),
        ("(028) 3823 4567", "02838234567"),
        ("+84 24 3825 1234", "02438251234"),
    ],
)
def test_phone_accepts_vietnamese_numbers(raw, clean):
    assert ok(spec("phone"), raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "091234567",
        "09123456789",
        "0112345678",
        "0412345678",
        "0612345678",
        "0212345678",
        "912345678",
        "+1 415 555 0100",
        "0912-345-abc",
        "0912345678 ext 2",
        "+84 2838234567 8",
    ],
)
def test_phone_refuses(raw):
    err = bad(spec("phone", vi="Số điện thoại", en="Phone number"), raw)
    assert err.vi == "Số điện thoại chưa đúng. Vui lòng nhập số điện thoại Việt Nam, ví dụ 0912345678."


mobile = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(["03", "05", "07", "08", "09"]),
    st.text("0123456789", min_size=8, max_size=8),
)
landline = st.builds(lambda rest: "02" + rest, st.text("0123456789", min_size=9, max_size=9))


@given(
    st.one_of(mobile, landline),
    st.sampled_from(["0", "+84", "84", "0084", "+84 0", "+84-"]),
    st.lists(st.sampled_from(["", " ", ".", "-", "  "]), min_size=12, max_size=12),
)
def test_any_formatting_of_a_valid_phone_cleans_to_the_same_number(number, prefix, seps):
    national = number[1:]
    body = "".join(d + seps[i] for i, d in enumerate(national))
    raw = prefix + (" " if seps[-1] == " " else "") + body
    assert ok(spec("phone"), raw) == number


# --------------------------------------------------------------------------- national ID


def test_province_codes_are_the_63_real_ones():
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội" and PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    for gap in (
        "000",
        "003",
        "005",
        "007",
        "009",
        "013",
        "016",
        "018",
        "021",
        "023",
        "028",
        "029",
        "032",
        "039",
        "041",
        "043",
        "047",
        "050",
        "053",
        "055",
        "057",
        "059",
        "061",
        "063",
        "065",
        "069",
        "071",
        "073",
        "076",
        "078",
        "081",
        "085",
        "088",
        "090",
        "097",
        "099",
    ):
        assert gap not in PROVINCE_CODES


def test_national_id():
    s = spec("national_id", vi="Số định danh cá nhân", en="Personal ID number")
    assert ok(s, "001090012345") == "001090012345"
    assert ok(s, " 079 190 012 345 ") == "079190012345"
    assert ok(s, "079.205.012345") == "079205012345"
    assert bad(s, "00109001234").vi == "Số định danh cá nhân phải gồm đúng 12 chữ số, ví dụ 001090012345."
    assert bad(s, "0010900123456").code == "nid_length"
    assert bad(s, "001090O12345").code == "nid_length"
    assert bad(s, "123456789").code == "nid_length"  # old 9-digit CMND
    assert bad(s, 1090012345).code == "invalid"
    assert bad(s, "003090012345").vi == (
        "3 số đầu của số định danh cá nhân không phải mã tỉnh, thành phố. Vui lòng kiểm tra lại."
    )
    assert bad(s, "097090012345").code == "nid_province"
    assert bad(s, "001226012345").code == "nid_future"  # born 2026, today is 2025
    assert bad(s, "001490012345").code == "nid_future"  # 2190
    assert ok(s, "001225012345") == "001225012345"  # born 2025


def test_parse_national_id():
    nid = parse_national_id("079301012345")
    assert nid is not None
    assert (nid.province, nid.gender, nid.birth_year) == ("Hồ Chí Minh", "female", 2001)
    assert parse_national_id("001090012345").gender == "male"
    assert parse_national_id("003090012345") is None


@given(
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 3),
    st.integers(0, 99),
    st.text("0123456789", min_size=6, max_size=6),
    st.sampled_from(["", " ", ".", "-"]),
)
def test_any_valid_id_roundtrips(province, century, yy, serial, sep):
    if century >= 2 and 2000 + yy > TODAY.year:
        yy = yy % (TODAY.year - 2000 + 1)
    number = f"{province}{century}{yy:02d}{serial}"
    assert ok(spec("national_id"), number) == number
    assert ok(spec("national_id"), f"{number[:3]}{sep}{number[3:6]}{sep}{number[6:]}") == number
    nid = parse_national_id(number)
    assert nid.birth_year == (1900 if century < 2 else 2000) + yy
    assert nid.gender == ("female" if century % 2 else "male")


# --------------------------------------------------------------------------- whole form


def test_good_birth_registration():
    r = validate_form(BIRTH, GOOD, today=TODAY)
    assert r.ok, r.errors
    assert r.clean == {
        "full_name": "Nguyễn Văn An",
        "national_id": "001090012345",
        "date_of_birth": "1990-03-15",
        "gender": "Nam",
        "phone": "0912345678",
        "child_name": "Nguyễn Minh Khang",
        "child_birth": "2025-05-20",
        "copies": 2,
        "declare": True,
    }


def test_unknown_keys_are_errors_and_never_clean():
    r = validate_form(BIRTH, {**GOOD, "is_admin": True, "status": "10"}, today=TODAY)
    assert set(r.errors) == {"is_admin", "status"}
    assert r.errors["status"].vi == "Mẫu đơn không có mục “status”."
    assert "is_admin" not in r.clean and "status" not in r.clean
    assert r.to_dict()["errors"]["is_admin"]["code"] == "unknown_field"


def test_empty_optional_is_omitted_and_all_errors_are_reported_at_once():
    r = validate_form(BIRTH, {"email": "  ", "address": "", "declare": False}, today=TODAY)
    assert "email" not in r.clean and "address" not in r.clean
    assert set(r.errors) == {"full_name", "national_id", "phone", "child_name", "child_birth", "declare"}
    assert r.errors["child_name"].vi == "Vui lòng nhập họ và tên trẻ."


def test_id_is_cross_checked_with_year_of_birth():
    r = validate_form(BIRTH, {**GOOD, "date_of_birth": "15/03/1991"}, today=TODAY)
    assert set(r.errors) == {"national_id"}
    assert r.errors["national_id"].vi == (
        "Số định danh cá nhân không khớp với năm sinh 1991 đã nhập. Vui lòng kiểm tra lại."
    )
    assert "national_id" not in r.clean
    # the century digit matters too: 2 = born in the 2000s
    r = validate_form(BIRTH, {**GOOD, "national_id": "001290012345", "date_of_birth": "1990-01-01"}, today=TODAY)
    assert r.errors["national_id"].code == "nid_future"
    r = validate_form(BIRTH, {**GOOD, "national_id": "001201012345", "date_of_birth": "2001-01-01"}, today=TODAY)
    assert r.ok


def test_id_is_cross_checked_with_gender():
    r = validate_form(BIRTH, {**GOOD, "gender": "Nữ"}, today=TODAY)
    assert r.errors["national_id"].code == "nid_gender"
    r = validate_form(BIRTH, {**GOOD, "gender": "Nữ", "national_id": "001190012345"}, today=TODAY)
    assert r.ok


def test_cross_check_pairs_fields_by_name_prefix():
    schema = FormSchema(
        (
            spec("national_id", "spouse_national_id", "Số định danh của vợ/chồng", "Spouse's ID number"),
            spec("date", "spouse_date_of_birth", "Ngày sinh của vợ/chồng", "Spouse's date of birth"),
            spec("date", "date_of_birth", "Ngày sinh", "Date of birth"),
        )
    )
    r = validate_form(
        schema,
        {"spouse_national_id": "001090012345", "spouse_date_of_birth": "1990-01-01", "date_of_birth": "1985-01-01"},
        today=TODAY,
    )
    assert r.ok
    r = validate_form(schema, {"spouse_national_id": "001090012345", "spouse_date_of_birth": "1991-01-01"}, today=TODAY)
    assert r.errors["spouse_national_id"].code == "nid_birth_year"


def test_registry_values_win_for_authoritative_fields():
    registry = {"resident.full_name": "Nguyễn Văn An", "resident.national_id": "001090012345"}
    data = {k: v for k, v in GOOD.items() if k not in ("full_name", "national_id")}
    r = validate_form(BIRTH, data, today=TODAY, prefill=registry)
    assert r.ok and r.clean["full_name"] == "Nguyễn Văn An" and r.clean["national_id"] == "001090012345"
    r = validate_form(BIRTH, {**GOOD, "full_name": "Nguyễn Văn Ân"}, today=TODAY, prefill=registry)
    assert r.errors["full_name"].code == "registry"
    assert "Công an cấp xã" in r.errors["full_name"].vi
    r = validate_form(BIRTH, {**GOOD, "national_id": "001 090 012 345"}, today=TODAY, prefill=registry)
    assert r.ok  # same number, other spacing


def test_autofill_values():
    got = autofill_values(
        BIRTH, {"resident.full_name": "Nguyễn Văn An", "resident.phone": "0912345678", "resident.gender": "Nam"}
    )
    assert got == {"full_name": "Nguyễn Văn An", "gender": "Nam"}


def test_messages_are_vietnamese_first_with_english():
    for code, (vi, en) in MESSAGES.items():
        assert vi and en and vi != en, code
        assert set(re.findall(r"\{(\w+)\}", vi)) == set(re.findall(r"\{(\w+)\}", en)), code


# --------------------------------------------------------------------------- robustness (hypothesis)

ALL_SPECS = [
    spec("text"),
    spec("text", required=True, min_length=2, max_length=5, pattern="[a-zà-ỹ ]*"),
    spec("textarea", required=True),
    spec("address"),
    spec("number", min_value=-5, max_value=5.5),
    spec("date", max_value="today", min_value="1900-01-01"),
    spec("select", options=(Option("a", BiText("A", "A")),)),
    spec("checkbox", required=True),
    spec("checkbox"),
    spec("national_id", required=True),
    spec("phone"),
    spec("email", required=True),
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(st.sampled_from(ALL_SPECS), st.one_of(st.text(max_size=300), json_values))
def test_arbitrary_input_never_crashes_validate_field(s, raw):
    value, err = validate_field(s, raw, today=TODAY)
    assert err is None or (isinstance(err, Message) and err.vi and err.en and err.code in MESSAGES)
    if err is not None:
        assert value is None
    if isinstance(value, str):
        assert value == value.strip()
        cap = s.effective_max_length()
        assert cap is None or len(value) <= cap
        assert unicodedata.is_normalized("NFC", value)


@settings(max_examples=150)
@given(
    st.dictionaries(
        st.sampled_from([f.name for f in BIRTH.fields] + ["x", "__proto__", "constructor"]), json_values, max_size=12
    )
)
def test_arbitrary_forms_never_crash(data):
    r = validate_form(BIRTH, data, today=TODAY)
    assert set(r.clean) <= {f.name for f in BIRTH.fields}
    assert not set(r.clean) & set(r.errors)
    json.dumps(r.to_dict(), ensure_ascii=False)


# --------------------------------------------------------------------------- field conditions (show_if)

_MARITAL = [
    {"value": "single", "label_vi": "Độc thân", "label_en": "Single"},
    {"value": "married", "label_vi": "Đã kết hôn", "label_en": "Married"},
    {"value": "divorced", "label_vi": "Đã ly hôn", "label_en": "Divorced"},
]
#: Spouse's name only when married; the spouse's ID (a chain) only when the name applies;
#: the divorce date for "divorced" or "married" (an `in` list).
COND = FormSchema.from_dict(
    {
        "fields": [
            {"name": "marital", "type": "select", "label_vi": "Tình trạng hôn nhân", "label_en": "Marital status",
             "required": True, "options": _MARITAL},
            {"name": "spouse_name", "type": "text", "label_vi": "Họ tên vợ/chồng", "label_en": "Spouse's name",
             "required": True, "show_if": {"field": "marital", "equals": "married"}},
            {"name": "spouse_kind", "type": "select", "label_vi": "Vợ/chồng là", "label_en": "Spouse is",
             "options": [{"value": "vn", "label_vi": "Người Việt Nam", "label_en": "Vietnamese"},
                         {"value": "foreign", "label_vi": "Người nước ngoài", "label_en": "Foreigner"}],
             "show_if": {"field": "marital", "equals": "married"}},
            {"name": "passport", "type": "text", "label_vi": "Số hộ chiếu vợ/chồng", "label_en": "Spouse's passport",
             "required": True, "show_if": {"field": "spouse_kind", "equals": "foreign"}},
            {"name": "since", "type": "date", "label_vi": "Từ ngày", "label_en": "Since",
             "show_if": {"field": "marital", "in": ["married", "divorced"]}},
            {"name": "agree", "type": "checkbox", "label_vi": "Cam đoan", "label_en": "Declaration", "required": True,
             "show_if": {"field": "marital", "in": ["married", "divorced"]}, "section": "request"},
        ]
    }
)  # fmt: skip


def test_a_condition_roundtrips_and_old_schemas_have_none():
    d = COND.to_dict()
    assert d["fields"][1]["show_if"] == {"field": "marital", "equals": "married"}
    assert d["fields"][4]["show_if"] == {"field": "marital", "in": ["married", "divorced"]}
    assert FormSchema.from_dict(json.loads(json.dumps(d))) == COND
    assert all(f.show_if is None for f in BIRTH.fields)
    assert shown_fields(BIRTH, {}) == {f.name for f in BIRTH.fields}


def _cond(show_if: object, *, ctl_type: str = "select", first: bool = True, section: str = "applicant") -> dict:
    ctl = {"name": "kind", "type": ctl_type, "label_vi": "Loại", "label_en": "Kind"}
    if ctl_type == "select":
        ctl["options"] = [{"value": "a", "label_vi": "A", "label_en": "A"}]
    ctl["section"] = section
    dep = {"name": "dep", "type": "text", "label_vi": "B", "label_en": "B", "show_if": show_if}
    return {"fields": [ctl, dep] if first else [dep, ctl]}


@pytest.mark.parametrize(
    ("schema", "needle"),
    [
        (_cond({"field": "nope", "equals": "a"}), "not an earlier field"),
        (_cond({"field": "kind", "equals": "a"}, first=False), "not an earlier field"),
        (_cond({"field": "kind", "equals": "zzz"}), "not options"),
        (_cond({"field": "kind", "in": ["a", "zzz"]}), "not options"),
        (_cond({"field": "kind", "in": []}), "non-empty"),
        (_cond({"field": "kind", "equals": ""}), "non-empty"),
        (_cond({"field": "kind", "equals": 1}), "non-empty"),
        (_cond({"field": "kind", "equals": "a"}, ctl_type="text"), "choice list"),
        (_cond({"field": "kind", "equals": "a"}, section="request"), "later step"),
        (_cond({"field": "kind", "equals": "a", "in": ["a"]}), "show_if must be"),
        (_cond({"field": "kind"}), "show_if must be"),
        (_cond("kind=a"), "show_if must be"),
        (_cond({"field": "dep", "equals": "a"}), "itself"),
    ],
)
def test_bad_conditions_are_refused_when_the_schema_is_built(schema, needle):
    with pytest.raises(ValueError, match=needle):
        FormSchema.from_dict(schema)


def test_a_cycle_cannot_be_written():
    """Two fields conditioned on each other: one of them necessarily points at a later field."""
    sel = [{"value": "a", "label_vi": "A", "label_en": "A"}]
    with pytest.raises(ValueError, match="not an earlier field"):
        FormSchema.from_dict(
            {
                "fields": [
                    {"name": "x", "type": "select", "label_vi": "X", "label_en": "X", "options": sel,
                     "show_if": {"field": "y", "equals": "a"}},
                    {"name": "y", "type": "select", "label_vi": "Y", "label_en": "Y", "options": sel,
                     "show_if": {"field": "x", "equals": "a"}},
                ]
            }
        )  # fmt: skip


def test_a_hidden_required_field_is_not_required_and_its_value_is_dropped():
    r = validate_form(COND, {"marital": "single", "spouse_name": "Trần Thị Bình", "passport": "X1"}, today=TODAY)
    assert r.ok, r.errors
    assert r.clean == {"marital": "single"}  # typed before switching to "single": dropped, never stored


def test_a_shown_required_field_is_required():
    r = validate_form(COND, {"marital": "married"}, today=TODAY)
    assert set(r.errors) == {"spouse_name", "agree"}
    assert r.errors["spouse_name"].code == "required"
    r = validate_form(COND, {"marital": "married", "spouse_name": "Bình", "agree": True}, today=TODAY)
    assert r.ok and r.clean == {"marital": "married", "spouse_name": "Bình", "agree": True}


def test_conditions_chain_and_in_lists():
    data = {"marital": "married", "spouse_name": "Bình", "spouse_kind": "foreign", "agree": True}
    assert validate_form(COND, data, today=TODAY).errors.keys() == {"passport"}
    # The chain breaks when its middle is hidden: "divorced" hides spouse_kind, so the passport goes too.
    r = validate_form(COND, {**data, "marital": "divorced", "passport": "X1", "since": "01/02/2020"}, today=TODAY)
    assert r.ok, r.errors
    assert r.clean == {"marital": "divorced", "since": "2020-02-01", "agree": True}
    assert shown_fields(COND, {"marital": "divorced"}) == {"marital", "since", "agree"}
    assert shown_fields(COND, {"marital": "married", "spouse_kind": "foreign"}) == {f.name for f in COND.fields}
    assert shown_fields(COND, {}) == {"marital"}
    assert hidden_fields(COND, {"marital": "divorced"}) == ["spouse_name", "spouse_kind", "passport"]


#: A yes/no box controls fields too: the company's name and tax code only when filing for a company
#: (`equals: true`), the applicant's own ID only when not (`equals: false`); an `in` list of several
#: choices on the same form.
BOX = FormSchema.from_dict(
    {
        "fields": [
            {"name": "for_company", "type": "checkbox", "label_vi": "Nộp cho doanh nghiệp", "label_en": "For a company"},
            {"name": "company", "type": "text", "label_vi": "Tên doanh nghiệp", "label_en": "Company name",
             "required": True, "show_if": {"field": "for_company", "equals": True}},
            {"name": "own_id", "type": "text", "label_vi": "Số giấy tờ", "label_en": "ID number",
             "required": True, "show_if": {"field": "for_company", "in": [False]}},
            {"name": "kind", "type": "select", "label_vi": "Loại", "label_en": "Kind",
             "show_if": {"field": "for_company", "equals": True},
             "options": [{"value": v, "label_vi": v, "label_en": v} for v in ("llc", "jsc", "coop")]},
            {"name": "members", "type": "number", "label_vi": "Số thành viên", "label_en": "Members",
             "required": True, "show_if": {"field": "kind", "in": ["jsc", "coop"]}},
        ]
    }
)  # fmt: skip


def test_a_yes_no_box_controls_a_condition():
    assert BOX.to_dict()["fields"][1]["show_if"] == {"field": "for_company", "equals": True}
    assert BOX.to_dict()["fields"][2]["show_if"] == {"field": "for_company", "equals": False}
    assert FormSchema.from_dict(json.loads(json.dumps(BOX.to_dict()))) == BOX
    assert shown_fields(BOX, {}) == {"for_company", "own_id"}  # not ticked
    assert shown_fields(BOX, {"for_company": "on"}) == {"for_company", "company", "kind"}
    assert shown_fields(BOX, {"for_company": True, "kind": "coop"}) == {"for_company", "company", "kind", "members"}
    assert shown_fields(BOX, {"for_company": "maybe"}) == {"for_company"}  # unreadable: neither branch
    r = validate_form(BOX, {"for_company": True, "own_id": "x", "kind": "jsc"}, today=TODAY)
    assert set(r.errors) == {"company", "members"} and r.clean == {"for_company": True, "kind": "jsc"}
    r = validate_form(BOX, {"for_company": False, "company": "ACME", "own_id": "001"}, today=TODAY)
    assert r.ok and r.clean == {"for_company": False, "own_id": "001"}


@pytest.mark.parametrize(
    ("show_if", "required", "needle"),
    [
        ({"field": "box", "equals": "a"}, False, "not options"),
        ({"field": "box", "in": [True, "a"]}, False, "true/false"),
        ({"field": "box", "equals": True}, True, "required box"),
    ],
)
def test_bad_yes_no_conditions_are_refused(show_if, required, needle):
    box = {"name": "box", "type": "checkbox", "label_vi": "Ô", "label_en": "Box", "required": required}
    dep = {"name": "dep", "type": "text", "label_vi": "B", "label_en": "B", "show_if": show_if}
    with pytest.raises(ValueError, match=needle):
        FormSchema.from_dict({"fields": [box, dep]})
    with pytest.raises(ValueError, match="not options"):  # and a choice list takes no true/false
        FormSchema.from_dict(_cond({"field": "kind", "equals": True}))


def test_an_invalid_choice_shows_nothing_that_depends_on_it():
    r = validate_form(COND, {"marital": "widowed", "spouse_name": "x"}, today=TODAY)
    assert set(r.errors) == {"marital"} and r.clean == {}


@settings(max_examples=200)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "marital": st.sampled_from(["single", "married", "divorced", "x", "", 3]),
            "spouse_name": st.sampled_from(["", "Bình", None]),
            "spouse_kind": st.sampled_from(["vn", "foreign", "", "y"]),
            "passport": st.sampled_from(["", "B1234567"]),
            "since": st.sampled_from(["", "01/02/2020", "bad"]),
            "agree": st.booleans(),
        },
    )
)
def test_hidden_fields_never_speak_and_shown_required_ones_always_do(data):
    r = validate_form(COND, data, today=TODAY)
    shown = shown_fields(COND, r.clean)
    assert set(r.clean) <= shown and set(r.errors) <= shown  # a hidden field is neither stored nor judged
    for f in COND.fields:
        if f.name in shown and f.required and data.get(f.name) in (None, "", False):
            assert f.name in r.errors  # a shown required field left empty is always refused


# --------------------------------------------------------------------------- uploads

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00"


def test_sniff_mime():
    assert sniff_mime(PDF) == "application/pdf"
    assert sniff_mime(JPEG) == "image/jpeg"
    assert sniff_mime(PNG) == "image/png"
    assert sniff_mime(b"GIF89a\x01\x00") == "image/gif"
    assert sniff_mime(b"RIFF\x24\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_mime(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00") == "image/heic"
    assert sniff_mime(b"\x00\x00\x00\x18ftypheix") == "image/heic"
    assert sniff_mime(b"\x00\x00\x00\x1cftypmif1") == "image/heic"
    assert sniff_mime(b"\x00\x00\x00\x18ftypisom") is None  # an MP4 video
    assert sniff_mime(EXE) is None
    assert sniff_mime(b"") is None
    assert sniff_mime(b"<html><script>") is None


def test_upload_checks():
    doc = BIRTH.document("birth_cert_medical")
    assert validate_upload(doc, "giấy chứng sinh.pdf", 120_000, PDF) is None
    assert validate_upload(doc, "IMG_0001.JPG", 3_000_000, JPEG) is None
    err = validate_upload(doc, "giay-chung-sinh.pdf", 40_000, EXE)
    assert err.code == "upload_type"
    assert err.vi.startswith("Tệp không phải là PDF/ảnh thật.")
    assert "PDF, JPEG, PNG" in err.vi
    assert validate_upload(doc, "a.pdf", 0, PDF).code == "upload_empty"
    assert validate_upload(doc, "a.pdf", 10 * 1024 * 1024, PDF) is None
    too_big = validate_upload(doc, "a.pdf", 10 * 1024 * 1024 + 1, PDF)
    assert too_big.code == "upload_too_big" and "10 MB" in too_big.vi
    for name in (
        "../a.pdf",
        "a/b.pdf",
        "a\\b.pdf",
        "a..pdf",
        "a\x00.pdf",
        "a\u202efdp.exe",
        "x" * 201 + ".pdf",
        "",
        "   ",
    ):
        assert validate_upload(doc, name, 100, PDF).code == "upload_name", name
    pdf_only = BIRTH.document("marriage_cert")
    err = validate_upload(pdf_only, "scan.pdf", 100, JPEG)
    assert err.code == "upload_type" and err.vi.startswith("Tệp không phải là PDF thật.")
    assert validate_upload(pdf_only, "a.pdf", 6 * 1024 * 1024, PDF).vi == (
        "Tệp quá lớn: “Giấy chứng nhận kết hôn” chỉ nhận tệp tối đa 5 MB."
    )
    heic = DocumentSpec("photo", "Ảnh", "Photo", accepted_types=("image/jpeg", "image/heic"))
    assert validate_upload(heic, "IMG_1.HEIC", 100, b"\x00\x00\x00\x18ftypheic") is None
    assert validate_upload(heic, "a.pdf", 100, PDF).vi.startswith("Tệp không phải là ảnh thật.")


def test_safe_filename():
    assert safe_filename("Giấy khai sinh.pdf") == "Giấy khai sinh.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\An\\scan 1.jpg") == "scan 1.jpg"
    assert safe_filename("a..b...pdf") == "a.b.pdf"
    assert safe_filename(".htaccess") == "htaccess"
    assert safe_filename("a<b>c:d|e?.pdf") == "a_b_c_d_e_.pdf"
    assert safe_filename("x\x00y\u202e.pdf") == "xy.pdf"
    assert safe_filename("") == "tep" and safe_filename("..") == "tep"
    assert safe_filename("CON.txt") == "_CON.txt"
    long = safe_filename("a" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")


@given(st.text(max_size=400))
def test_safe_filename_output_is_always_acceptable(name):
    out = safe_filename(name)
    assert 0 < len(out) <= 200
    assert "/" not in out and "\\" not in out and ".." not in out and not out.startswith(".")
    assert validate_upload(DocumentSpec("x", "X", "X"), out, 10, PDF) is None


# --------------------------------------------------------------------------- the field app's JS port


def _js_catalog() -> dict[str, list[str]]:
    """MESSAGES from validate.js, read as text (works without node)."""
    src = JS_FILE.read_text(encoding="utf-8")
    block = re.search(r"export const MESSAGES = \{(.*?)\n\};", src, re.S).group(1)
    block = re.sub(r'"\s*\+\s*"', "", block)  # "a " + "b" -> "a b"
    block = re.sub(r"^(\s*)(\w+):", r'\1"\2":', block, flags=re.M)  # quote keys
    block = re.sub(r",(\s*[\]}])", r"\1", block)  # trailing commas
    block = re.sub(r",\s*$", "", block.strip())
    return json.loads("{" + block + "}")


def test_js_message_catalog_matches_python_word_for_word():
    js = _js_catalog()
    assert set(js) == set(MESSAGES)
    for code, (vi, en) in MESSAGES.items():
        assert js[code] == [vi, en], code


def test_js_province_codes_match_python():
    src = JS_FILE.read_text(encoding="utf-8")
    block = re.search(r"export const PROVINCE_CODES = new Set\(\[(.*?)\]\);", src, re.S).group(1)
    assert sorted(re.findall(r'"(\d{3})"', block)) == sorted(PROVINCE_CODES)


def _node() -> str | None:
    venv_node = ROOT / ".venv" / "bin" / "node"
    return str(venv_node) if venv_node.exists() else shutil.which("node")


RUNNER = """
import { readFileSync } from "node:fs";
const mod = await import(process.argv[2]);
const cases = JSON.parse(readFileSync(process.argv[3], "utf8"));
const out = cases.map((c) => {
  if (c.kind === "field") {
    const [value, err] = mod.validateField(c.spec, c.raw, { today: c.today });
    return { value, err };
  }
  if (c.kind === "shown") return { shown: [...mod.shownFields(c.schema, c.data)].sort() };
  const r = mod.validateForm(c.schema, c.data, { today: c.today, prefill: c.prefill ?? null });
  return { clean: r.clean, errors: r.errors };
});
process.stdout.write(JSON.stringify(out));
"""

_FUZZ_ALPHABET = (
    "0123456789" * 3 + "+ .-/(),@_" + "abcxyzAB" + "ăâđêôơưắệữỳ" + "\t\n\u00a0\u200b" + "\x00\x1f\u202e" + "e\u0301"
)

PARITY_SPECS = [
    spec("text", required=True),
    spec("text", max_length=5, min_length=2),
    spec("textarea"),
    spec("address"),
    spec("text", vi="Mã", en="Code", pattern="[A-Z]{2}[0-9]{3}"),
    spec("number", vi="Số lượng", en="Quantity", min_value=0.5, max_value=1000),
    spec("number", required=True),
    spec("date", vi="Ngày sinh", en="Date of birth", max_value="today"),
    spec("date", vi="Ngày hẹn", en="Date", min_value="today", max_value="2025-12-31"),
    spec(
        "select",
        vi="Loại",
        en="Kind",
        required=True,
        options=(Option("a", BiText("A", "A")), Option("Nữ", BiText("Nữ", "F")), Option("2", BiText("2", "2"))),
    ),
    spec("checkbox"),
    spec("checkbox", vi="Cam đoan", en="Declaration", required=True),
    spec("email", required=True),
    spec("phone", vi="Số điện thoại", en="Phone"),
    spec("national_id", vi="Số CCCD", en="ID number", required=True),
]


def _parity_cases() -> list[dict]:
    rng = random.Random(20250601)
    today = TODAY.isoformat()
    fixed_raws = [
        None,
        "",
        "  ",
        "Nguyễn Văn An",
        unicodedata.normalize("NFD", "Nguyễn"),
        "a\x00b",
        "AB123",
        "ab123",
        "12",
        "2,5",
        "2.5",
        "1.000",
        "1 000",
        "0.500",
        "-0",
        "1e5",
        7,
        7.5,
        -3,
        True,
        False,
        1,
        0,
        [],
        {},
        "15/03/1990",
        "1990-03-15",
        "31/02/1990",
        "2025-06-02",
        "2025-05-31",
        "on",
        "off",
        "Có",
        "không",
        "maybe",
        "an@gmail.com",
        "An@GMAIL.com",
        "an..b@x.vn",
        "0912345678",
        "+84 912 345 678",
        "84912345678",
        "(028) 3823 4567",
        "+84 (0) 912.345.678",
        "0412345678",
        "0352345678",
        "0562345678",
        "0702345678",
        "0862345678",
        "0212345678",
        "02112345678",
        "001090012345",
        "001 090 012 345",
        "003090012345",
        "001290012345",
        "00109001234",
        "001225012345",
        "001226012345",
        "a" * 64 + "@x.vn",
        "a" * 65 + "@x.vn",
        "a",
        "Nữ",
        2,
        2.5,
        "x" * 600,
        "An 😀",
        "An\ud800",
        "An\udc00x",
        "dòng 1\r\ndòng 2",
        "dòng 1\rdòng 2",
        "Post",
    ]
    cases = [{"kind": "field", "spec": s.to_dict(), "raw": r, "today": today} for s in PARITY_SPECS for r in fixed_raws]
    for _ in range(1500):
        s = rng.choice(PARITY_SPECS)
        kind = rng.random()
        if kind < 0.5:
            raw = "".join(rng.choice(_FUZZ_ALPHABET) for _ in range(rng.randint(0, 16)))
        elif kind < 0.7:
            national = rng.choice("0123456789") + "".join(rng.choice("0123456789") for _ in range(rng.randint(7, 10)))
            raw = rng.choice(["", "+84", "84", "0", "0084", "+84 0"]) + "".join(
                d + rng.choice(["", "", " ", ".", "-"]) for d in national
            )
        elif kind < 0.85:
            raw = f"{rng.randint(0, 32)}{rng.choice('/.-')}{rng.randint(0, 13)}{rng.choice('/.-')}{rng.randint(1790, 2210)}"
        else:
            raw = rng.choice(sorted(PROVINCE_CODES) + ["000", "003"]) + "".join(
                rng.choice("0123456789") for _ in range(rng.randint(8, 10))
            )
        cases.append({"kind": "field", "spec": s.to_dict(), "raw": raw, "today": today})
    schema = BIRTH.to_dict()
    forms = [
        GOOD,
        {**GOOD, "date_of_birth": "1991-01-01"},
        {**GOOD, "gender": "Nữ"},
        {**GOOD, "extra": 1, "x": "y"},
        {},
        {"declare": "on", "email": " "},
        {**GOOD, "constructor": 1, "toString": "x"},
    ]
    cases += [{"kind": "form", "schema": schema, "data": d, "today": today} for d in forms]
    cond_values = {
        "marital": ["single", "married", "divorced", "x", "", 3, None, " married ", unicodedata.normalize("NFD", "đ")],
        "spouse_name": ["", "Bình", None, 5],
        "spouse_kind": ["vn", "foreign", "", None],
        "passport": ["", "B1234567", None],
        "since": ["", "01/02/2020", "31/02/2020", None],
        "agree": [True, False, "on", None],
    }
    for _ in range(300):
        data = {k: v for k, vs in cond_values.items() if (v := rng.choice(vs)) is not None or rng.random() < 0.5}
        cases.append({"kind": "form", "schema": COND.to_dict(), "data": data, "today": today})
    cases += [
        {"kind": "shown", "schema": COND.to_dict(), "data": {"marital": m, "spouse_kind": k}}
        for m in cond_values["marital"]
        for k in cond_values["spouse_kind"]
    ]
    box_values = {
        "for_company": [True, False, "on", "off", "true", "1", 1, 0, 2, "Có", "không", " yes ", "maybe", "", None],
        "company": ["", "ACME", None],
        "own_id": ["001", "", None],
        "kind": ["llc", "jsc", "coop", "x", "", None],
        "members": ["3", "0.5", "", None],
    }
    for _ in range(300):
        data = {k: v for k, vs in box_values.items() if (v := rng.choice(vs)) is not None or rng.random() < 0.5}
        cases.append({"kind": "form", "schema": BOX.to_dict(), "data": data, "today": today})
    cases += [
        {"kind": "shown", "schema": BOX.to_dict(), "data": {"for_company": b, "kind": k}}
        for b in box_values["for_company"]
        for k in box_values["kind"]
    ]
    registry = {"resident.full_name": "Nguyễn Văn An", "resident.national_id": "001090012345"}
    cases += [
        {"kind": "form", "schema": schema, "data": {**GOOD, "full_name": ""}, "today": today, "prefill": registry},
        {"kind": "form", "schema": schema, "data": {**GOOD, "full_name": "Khác"}, "today": today, "prefill": registry},
    ]
    return cases


def _python_result(case: dict) -> dict:
    if case["kind"] == "field":
        value, err = validate_field(FieldSpec.from_dict(case["spec"]), case["raw"], today=TODAY)
        return {"value": value, "err": err.to_dict() if err else None}
    if case["kind"] == "shown":
        return {"shown": sorted(shown_fields(FormSchema.from_dict(case["schema"]), case["data"]))}
    r = validate_form(FormSchema.from_dict(case["schema"]), case["data"], today=TODAY, prefill=case.get("prefill"))
    d = r.to_dict()
    return {"clean": d["clean"], "errors": d["errors"]}


def test_js_port_gives_the_same_answers_as_python(tmp_path):
    node = _node()
    if node is None:
        pytest.skip("node is not available; the catalog test above still guards the messages")
    module = tmp_path / "validate.mjs"  # .mjs: an ES module whatever package.json says
    module.write_text(JS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    runner = tmp_path / "runner.mjs"
    runner.write_text(RUNNER, encoding="utf-8")
    cases = _parity_cases()
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")  # ASCII: lone surrogates escaped
    proc = subprocess.run(
        [node, str(runner), module.as_uri(), str(cases_file)], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    js_results = json.loads(proc.stdout)
    assert len(js_results) == len(cases)
    mismatches = []
    for case, js in zip(cases, js_results, strict=True):
        py = json.loads(json.dumps(_python_result(case)))
        if py != js:
            mismatches.append((case.get("spec", {}).get("type", "form"), case.get("raw", case.get("data")), py, js))
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ, e.g. {mismatches[:3]}"
