"""Reading a province's procedure sheet: cells, headers, row errors, and the import plan."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.demo.catalog_file import _duration_text, catalog_rows, to_csv, to_xlsx
from onestop.domain import catalog_sheet as cs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03 ngày làm việc", {"value": 3, "unit": "working_days"}),
        ("Trong ngày", {"value": 0, "unit": "same_day"}),
        ("15 ngày kể từ ngày nhận đủ hồ sơ", {"value": 15, "unit": "calendar_days"}),
        ("04 giờ làm việc", {"value": 4, "unit": "working_hours"}),
        ("0,5 ngày làm việc", {"value": 4, "unit": "working_hours"}),
        ("05 ngày làm việc; trường hợp cần xác minh 10 ngày làm việc", {"value": 5, "unit": "working_days"}),
        ("10 working days", {"value": 10, "unit": "working_days"}),
        ("", None),
        ("theo quy định", None),
        ("0 ngày", None),
    ],
)
def test_parse_duration(text: str, expected: dict | None) -> None:
    assert cs.parse_duration(text) == expected


@given(st.sampled_from(["same_day", "working_days", "calendar_days", "working_hours"]), st.integers(1, 365))
def test_written_durations_read_back(unit: str, value: int) -> None:
    d = {"value": 0 if unit == "same_day" else value, "unit": unit}
    assert cs.parse_duration(_duration_text(d)) == d


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8.000 đồng/bản sao trích lục.", 8000),
        ("Miễn phí", 0),
        ("Không", 0),
        ("", 0),
        ("1.000.000 đồng/hồ sơ", 1_000_000),
        ("Lệ phí: 50.000đ", 50000),
        ("135,000 VND", 135000),
        ("Lệ phí theo Nghị quyết HĐND tỉnh", 0),
        ("Liên hệ cán bộ", None),
    ],
)
def test_parse_fee(text: str, expected: int | None) -> None:
    assert cs.parse_fee(text) == expected


def test_split_list_drops_bullets_and_duplicates() -> None:
    assert cs.split_list("- Tờ khai\n+ Bản sao CCCD;1. Tờ khai\n\n a) Ảnh") == ("Tờ khai", "Bản sao CCCD", "Ảnh")


HEAD = ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện", "Thời hạn giải quyết", "Phí, lệ phí", "Tên gọi khác"]


def test_header_found_below_a_title_row_and_rows_normalised() -> None:
    table = [
        ["UBND TỈNH — DANH MỤC"],
        [],
        HEAD,
        ["1.001193", " Đăng ký  khai sinh ", "Hộ tịch", "Cấp xã", "Trong ngày", "Miễn phí", "làm khai sinh; birth"],
    ]
    rows, errors = cs.parse_sheet(table)
    assert errors == []
    (row,) = rows
    assert (row.row, row.code, row.name_vi, row.level, row.fee_amount) == (
        4,
        "1.001193",
        "Đăng ký khai sinh",
        "commune",
        0,
    )
    assert row.other_names == ("làm khai sinh", "birth") and row.name_en is None


def test_row_errors_name_row_and_column_in_both_languages() -> None:
    table = [
        HEAD,
        ["1.1", "Tên", "Hộ tịch", "Cấp huyện", "sớm", "liên hệ", ""],
        ["", "", "", "", "3 ngày", "", ""],
        ["X 1", "Tên", "Hộ tịch", "", "3 ngày", "", ""],
        ["A.1", "Một", "Hộ tịch", "", "3 ngày", "", ""],
        ["A.1", "Hai", "Hộ tịch", "", "3 ngày", "", ""],
    ]
    rows, errors = cs.parse_sheet(table)
    assert [r.code for r in rows] == ["A.1"]
    got = {(e.row, e.column, e.code) for e in errors}
    assert {
        (2, "level", "level_unknown"),
        (2, "duration_counter", "duration_unreadable"),
        (2, "fee_text", "fee_unreadable"),
        (3, "code", "code_missing"),
        (3, "name_vi", "name_vi_missing"),
        (4, "code", "code_invalid"),
        (6, "code", "code_duplicate"),
    } <= got
    dup = next(e for e in errors if e.code == "code_duplicate")
    assert "dòng 5" in dup.message("vi") and "row 5" in dup.message("en")
    assert dup.column_label("en") == "Code" and dup.column_label("vi") == "Mã thủ tục"


def test_truncated_national_code_from_a_number_cell_is_restored() -> None:
    rows, _ = cs.parse_sheet([HEAD, ["1.00119", "Tên", "Hộ tịch", "", "3 ngày", "", ""]])
    assert rows[0].code == "1.001190"


def test_missing_required_column_is_a_file_error() -> None:
    with pytest.raises(cs.SheetError) as exc:
        cs.parse_sheet([["Mã thủ tục", "Tên thủ tục", "Phí"], ["1", "a", ""]])
    assert "Lĩnh vực" in exc.value.message("vi") and "Field" in exc.value.message("en")
    with pytest.raises(cs.SheetError):
        cs.parse_sheet([["a", "b"], ["c", "d"]])


def test_plan_added_changed_unchanged_retired() -> None:
    rows, errors = cs.parse_sheet(
        [HEAD, ["A", "Một", "Hộ tịch", "", "3 ngày", "", ""], ["B", "Hai", "Hộ tịch", "", "3 ngày", "", ""]]
    )
    same = cs.row_facts(rows[0])
    changed = {**cs.row_facts(rows[1]), "fee_amount": 5}
    plan = cs.plan_import(rows, errors, {"A": same, "B": changed, "C": same}, {"C": "Ba"})
    assert plan.unchanged == 1 and [c.code for c in plan.changed] == ["B"] and plan.changed[0].fields == ("fee_amount",)
    assert [c.code for c in plan.retired] == ["C"] and plan.added == []
    assert cs.plan_import(rows, errors, {}, {}, retire_missing=True).retired == []
    assert [c.code for c in cs.plan_import(rows, errors, {}, {}).added] == ["A", "B"]


def test_a_file_with_row_errors_retires_nothing() -> None:
    rows, errors = cs.parse_sheet(
        [HEAD, ["A", "Một", "Hộ tịch", "", "3 ngày", "", ""], ["B", "Hai", "Hộ tịch", "", "???", "", ""]]
    )
    plan = cs.plan_import(rows, errors, {"B": {}, "C": {}}, {})
    assert plan.retired == [] and len(plan.errors) == 1


def test_generated_file_reads_the_same_as_xlsx_and_csv() -> None:
    table = catalog_rows(120)
    assert "KHÔNG PHẢI THỦ TỤC THẬT" in table[0][0]
    from_xlsx = cs.parse_sheet(cs.read_table(to_xlsx(table), "f.xlsx"))
    from_csv = cs.parse_sheet(cs.read_table(to_csv(table), "f.csv"))
    assert from_xlsx == from_csv
    rows, errors = from_xlsx
    assert errors == [] and len(rows) == 120 and len({r.code for r in rows}) == 120
    generated = [r for r in rows if r.code.startswith("SIM-")]
    assert len(generated) == 107 and all(r.legal_basis == cs_mark() for r in generated)


def cs_mark() -> str:
    from onestop.demo.catalog_file import GENERATED_MARK

    return GENERATED_MARK


def test_unreadable_files_are_refused_with_a_message() -> None:
    with pytest.raises(cs.SheetError):
        cs.read_table(b"PK\x03\x04garbage", "x.xlsx")
    with pytest.raises(cs.SheetError):
        cs.read_table(b"\xff\xfe\x00bad", "x.csv")
    with pytest.raises(cs.SheetError):
        cs.read_table(b"x", "old.xls")
