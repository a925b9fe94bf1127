"""The form builder: rows → a schema the renderers accept, bad rows named in both languages, lossless edit."""

from __future__ import annotations

import pytest

from onestop.demo.catalog import PROCEDURES
from onestop.domain.form_builder import (
    BuilderError,
    DocumentRow,
    FieldRow,
    build_schema,
    condition_choices,
    renumber_conditions,
    rows_from_schema,
)
from onestop.domain.forms import FormSchema


def test_rows_build_a_valid_schema_with_derived_names() -> None:
    schema = build_schema(
        [
            FieldRow(
                "Họ và tên",
                "Full name",
                "text",
                autofill="resident.full_name",
                registry_authoritative=True,
                section="applicant",
            ),
            FieldRow("Giới tính", "Gender", "select", options="male | Nam | Male\nfemale | Nữ | Female"),
            FieldRow("Loại giấy", "Kind", "select", options="Bản chính\nBản sao | Copy"),
            FieldRow("Họ và tên", "Name again", "text", required=False),
        ],
        [DocumentRow("Tờ khai", "Declaration form"), DocumentRow("Ảnh 4x6", "Photo", required=False)],
    )
    form = FormSchema.from_dict(schema)
    assert [f.name for f in form.fields] == ["ho_va_ten", "gioi_tinh", "loai_giay", "ho_va_ten_2"]
    assert [o.value for o in form.field("loai_giay").options] == ["ban_chinh", "ban_sao"]
    assert form.field("loai_giay").options[1].label.en == "Copy"
    assert [d.code for d in form.documents] == ["to_khai", "anh_4x6"]


@pytest.mark.parametrize(
    ("fields", "docs", "row", "needle"),
    [
        ([FieldRow("", "Name")], [], 1, "nhãn"),
        ([FieldRow("A", "A"), FieldRow("B", "B", "colour")], [], 2, "kiểu"),
        ([FieldRow("A", "A", "select")], [], 1, "ít nhất một"),
        ([FieldRow("A", "A", "text", options="x")], [], 1, "danh sách chọn"),
        ([FieldRow("A", "A", "text", autofill="resident.salary")], [], 1, "tự điền"),
        ([FieldRow("A", "A", "text", registry_authoritative=True)], [], 1, "CSDL dân cư"),
        ([FieldRow("A", "A", "select", options="x\nx")], [], 1, "trùng"),
        ([], [DocumentRow("Tờ khai", "")], 1, "tên tiếng Việt và tiếng Anh"),
        ([FieldRow("A", "A", name="9bad")], [], 1, "tên máy"),
    ],
)
def test_bad_rows_are_named(fields, docs, row, needle) -> None:  # noqa: ANN001
    with pytest.raises(BuilderError) as exc:
        build_schema(fields, docs)
    assert exc.value.row == row and needle in exc.value.message("vi") and exc.value.message("en")


def test_a_schema_the_renderers_cannot_show_is_refused() -> None:
    # a date field with a text-only setting kept from the base would be unrenderable: the judge refuses it
    base = {
        "fields": [{"name": "when", "type": "text", "label_vi": "a", "label_en": "a", "max_length": 5}],
        "documents": [],
    }
    assert build_schema([FieldRow("a", "a", "text", name="when")], [], base)["fields"][0]["max_length"] == 5
    assert "max_length" not in build_schema([FieldRow("a", "a", "date", name="when")], [], base)["fields"][0]
    with pytest.raises(BuilderError) as exc:
        build_schema(
            [FieldRow("a", "a", "text", name="when")],
            [],
            {
                "fields": [{"name": "when", "type": "text", "label_vi": "a", "label_en": "a", "pattern": "("}],
                "documents": [],
            },
        )
    assert exc.value.kind == "schema" and "không hiển thị được" in exc.value.message("vi")


@pytest.mark.parametrize("spec", PROCEDURES, ids=[p["code"] for p in PROCEDURES])
def test_every_demo_form_round_trips_through_the_builder(spec) -> None:  # noqa: ANN001
    fields, docs = rows_from_schema(spec["form_schema"])
    rebuilt = build_schema(fields, docs, spec["form_schema"])
    assert FormSchema.from_dict(rebuilt) == FormSchema.from_dict(spec["form_schema"])  # same form, same judge


# --------------------------------------------------------------------------- conditions (show_if), without JSON

_MARITAL = "single | Độc thân | Single\nmarried | Đã kết hôn | Married\ndivorced | Đã ly hôn | Divorced"


def _married_rows(**dep: object) -> list[FieldRow]:
    return [
        FieldRow("Họ và tên", "Full name"),
        FieldRow("Tình trạng hôn nhân", "Marital status", "select", options=_MARITAL),
        FieldRow("Họ tên vợ/chồng", "Spouse's name", **{"show_if_row": 2, "show_if_values": "married", **dep}),  # type: ignore[arg-type]
    ]


def test_a_condition_is_built_from_a_row_number_and_a_picked_value() -> None:
    schema = build_schema(_married_rows(), [])
    assert schema["fields"][2]["show_if"] == {"field": "tinh_trang_hon_nhan", "equals": "married"}
    assert "show_if" not in schema["fields"][0]  # rows without a condition write none: old schemas unchanged
    two = build_schema(_married_rows(show_if_values="married\ndivorced"), [])
    assert two["fields"][2]["show_if"] == {"field": "tinh_trang_hon_nhan", "in": ["married", "divorced"]}
    rows, _ = rows_from_schema(two)
    assert (rows[2].show_if_row, rows[2].show_if_values) == (2, "married\ndivorced")
    assert build_schema(rows, [], two) == two


@pytest.mark.parametrize(
    ("dep", "needle_vi", "needle_en"),
    [
        ({"show_if_row": 3}, "phía trên", "above"),
        ({"show_if_row": 1}, "danh sách chọn", "choice list"),
        ({"show_if_values": "widowed"}, "chọn giá trị của «Tình trạng hôn nhân»", "Marital status"),
        ({"show_if_values": ""}, "chọn giá trị", "choose the value"),
    ],
)
def test_bad_conditions_are_named_in_both_languages(dep, needle_vi, needle_en) -> None:  # noqa: ANN001
    with pytest.raises(BuilderError) as exc:
        build_schema(_married_rows(**dep), [])
    assert exc.value.row == 3 and needle_vi in exc.value.message("vi") and needle_en in exc.value.message("en")


def test_a_condition_on_a_later_step_is_refused() -> None:
    rows = _married_rows()
    rows[1] = FieldRow("Tình trạng hôn nhân", "Marital status", "select", options=_MARITAL, section="request")
    rows[2] = FieldRow("Họ tên vợ/chồng", "Spouse", section="applicant", show_if_row=2, show_if_values="married")
    with pytest.raises(BuilderError, match="later step"):
        build_schema(rows, [])


def test_condition_pickers_offer_the_choice_lists_above_and_the_chosen_ones_options() -> None:
    choices = condition_choices(_married_rows())
    assert choices[0].fields == [] and choices[1].fields == []
    assert choices[2].fields == [(2, "Tình trạng hôn nhân", "Marital status")]
    assert [v[0] for v in choices[2].values] == ["single", "married", "divorced"]


def test_an_optional_yes_no_box_controls_a_condition_and_several_values_make_an_in_list() -> None:
    rows = [
        FieldRow("Nộp cho doanh nghiệp", "For a company", "checkbox", required=False),
        FieldRow("Cam đoan", "Declaration", "checkbox"),  # required: a declaration, never a condition
        FieldRow("Tên doanh nghiệp", "Company name", show_if_row=1, show_if_values="true"),
        FieldRow("Số giấy tờ", "ID number", show_if_row=1, show_if_values="false"),
        FieldRow("Tình trạng hôn nhân", "Marital status", "select", options=_MARITAL),
        FieldRow("Từ ngày", "Since", "date", show_if_row=5, show_if_values="married\ndivorced"),
    ]
    schema = build_schema(rows, [])
    assert schema["fields"][2]["show_if"] == {"field": "nop_cho_doanh_nghiep", "equals": True}
    assert schema["fields"][3]["show_if"] == {"field": "nop_cho_doanh_nghiep", "equals": False}
    assert schema["fields"][5]["show_if"] == {"field": "tinh_trang_hon_nhan", "in": ["married", "divorced"]}
    back, _ = rows_from_schema(schema)
    assert [(r.show_if_row, r.show_if_values) for r in back[2:4]] == [(1, "true"), (1, "false")]
    assert build_schema(back, [], schema) == schema
    choices = condition_choices(rows)
    assert [f[0] for f in choices[5].fields] == [1, 5]  # the optional box and the list; not the declaration
    assert choices[2].box and [v[0] for v in choices[2].values] == ["true", "false"]
    assert not choices[5].box
    for bad in ({"show_if_row": 2, "show_if_values": "true"}, {"show_if_row": 1, "show_if_values": "yes"}):
        broken = [*rows[:2], FieldRow("Tên", "Name", **bad)]  # type: ignore[arg-type]
        with pytest.raises(BuilderError) as exc:
            build_schema(broken, [])
        assert exc.value.row == 3


def test_removing_a_row_keeps_every_condition_on_its_field() -> None:
    rows = renumber_conditions(_married_rows(), 1)
    assert (rows[1].show_if_row, rows[1].show_if_values) == (1, "married")
    assert build_schema(rows, [])["fields"][1]["show_if"]["field"] == "tinh_trang_hon_nhan"
    orphan = renumber_conditions(_married_rows(), 2)
    assert (orphan[1].show_if_row, orphan[1].show_if_values) == (0, "")
