"""The builder page's condition pickers (no browser): tick boxes make an `in` list, a yes/no box is offered."""

from __future__ import annotations

from onestop.domain.form_builder import FieldRow
from onestop.ui.admin.form_builder import FormBuilderState, _as_text


def test_ticking_values_builds_an_in_list_and_a_yes_no_box_can_be_the_condition() -> None:
    state = FormBuilderState()
    rows = [
        FieldRow("Nộp cho doanh nghiệp", "For a company", "checkbox", required=False),
        FieldRow("Tình trạng", "Status", "select", options="a | A | A\nb | B | B\nc | C | C"),
        FieldRow("Tên", "Name", show_if_row=2),
    ]
    state.fields = [_as_text(r) for r in rows]
    state._rebuild()
    assert "choose the value" in state.error_en
    state.pick_condition_value(2, "a", True)
    state.pick_condition_value(2, "c", True)
    assert state.fields[2]["show_if_values"] == "a\nc" and state.error_en == ""
    assert [v["on"] for v in state.cond_values[2]] == ["true", "false", "true"]
    assert state.preview_notes[2]["en"] == "Shown only when “Status” is “A / C”"
    state.pick_condition_value(2, "a", False)
    assert state.fields[2]["show_if_values"] == "c"
    state.set_field(2, "show_if_row", "1")  # the box: its two answers, worded by the page
    assert [f["row"] for f in state.cond_fields[2]] == ["1", "2"]
    assert [(v["value"], v["en"]) for v in state.cond_values[2]] == [("true", "Ticked"), ("false", "Not ticked")]
    state.pick_condition_value(2, "false", True)
    assert state.preview_notes[2]["vi"] == "Chỉ hiện khi «Nộp cho doanh nghiệp» là «Không đánh dấu»"
