"""Field conditions end to end through the services: an admin-built form with "spouse's name only when
married", filed online and at the counter both ways; the stored data, the officer's view and the result
draft carry only the fields that applied."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from onestop import clock
from onestop.domain.errors import DomainError
from onestop.domain.form_builder import DocumentRow, FieldRow
from onestop.models import Procedure, Resident
from onestop.read import dossier_detail, filing_forms
from onestop.read.search import _cache as search_cache
from onestop.services import catalog_admin, filing, workbench
from onestop.services.results import result_draft

from .helpers import actor, center, user

MONDAY = datetime(2025, 6, 2, 9, 0)
CODE = "SIM-COND-1"
FIELDS = [
    FieldRow("Họ và tên", "Full name", "text", autofill="resident.full_name", registry_authoritative=True,
             section="applicant", name="full_name"),
    FieldRow("Tình trạng hôn nhân", "Marital status", "select", name="marital",
             options="single | Độc thân | Single\nmarried | Đã kết hôn | Married"),
    FieldRow("Họ tên vợ/chồng", "Spouse's name", "text", name="spouse_name", show_if_row=2, show_if_values="married"),
    FieldRow("Nội dung yêu cầu", "Request", "textarea", name="request_details"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _monday():
    clock.set_now(MONDAY)
    yield
    clock.set_now(None)


@pytest.fixture
def proc(session):
    try:
        yield catalog_admin.add_procedure(
            session,
            actor(session, "admin"),
            {"code": CODE, "name_vi": "Thủ tục có điều kiện (thử)", "name_en": "Conditional procedure (test)",
             "field": "business", "duration_counter": {"value": 3, "unit": "working_days"}, "fee_amount": 0},
            FIELDS,
            [DocumentRow("Giấy tờ khác", "Other paper", required=False)],
        )  # fmt: skip
    finally:
        session.rollback()
        search_cache.clear()


def test_the_saved_schema_carries_the_condition(proc: Procedure) -> None:
    spouse = next(f for f in proc.form_schema["fields"] if f["name"] == "spouse_name")
    assert spouse["show_if"] == {"field": "marital", "equals": "married"}


def _file_online(session, values: dict) -> object:  # noqa: ANN001
    citizen = actor(session, "citizen")
    return filing.submit_application(session, citizen, CODE, values, str(center(session).id), [])


def test_married_must_name_the_spouse_and_single_never_stores_one(session, proc) -> None:  # noqa: ANN001
    base = {"request_details": "Xin cấp giấy xác nhận"}
    with pytest.raises(DomainError) as exc:
        _file_online(session, {**base, "marital": "married"})
    assert "spouse_name" in (getattr(exc.value, "errors", None) or {exc.value.field: None})

    married = _file_online(session, {**base, "marital": "married", "spouse_name": "Trần Thị Bình"})
    assert married.form_data["spouse_name"] == "Trần Thị Bình"
    # Typed, then "single" chosen: the hidden answer is dropped, never stored, and not asked for.
    single = _file_online(session, {**base, "marital": "single", "spouse_name": "Trần Thị Bình"})
    assert "spouse_name" not in single.form_data and single.form_data["marital"] == "single"

    page = dossier_detail.dossier_page(session, actor(session, "receiver"), single.code)
    assert "Họ tên vợ/chồng" not in [line.label.vi for line in page.form]
    assert "Họ tên vợ/chồng" not in [line.label for line in result_draft(session, single, proc)]
    assert "Trần Thị Bình" in [line.value for line in result_draft(session, married, proc)]


def test_the_counter_files_both_ways_through_the_same_rule(session, proc) -> None:  # noqa: ANN001
    receiver = actor(session, "receiver")
    resident = session.exec(select(Resident).where(Resident.national_id == user(session, "citizen").national_id)).one()
    card, prefill = filing_forms.lookup_person(session, receiver, resident.national_id)
    fields, _, values = filing_forms.counter_form(session, receiver, CODE, prefill)
    assert [f.name for f in fields] == ["full_name", "marital", "spouse_name", "request_details"]
    values |= {"request_details": "Xin xác nhận", "spouse_name": "Lê Văn C"}
    done = workbench.file_at_counter(
        session, receiver, procedure_code=CODE, resident_id=card.resident_id,
        values={**values, "marital": "single"}, attachment_ids=[],
    )  # fmt: skip
    assert "spouse_name" not in _dossier(session, done.code).form_data
    with pytest.raises(DomainError):
        workbench.file_at_counter(
            session, receiver, procedure_code=CODE, resident_id=card.resident_id,
            values={**values, "marital": "married", "spouse_name": ""}, attachment_ids=[],
        )  # fmt: skip


def _dossier(session, code: str):  # noqa: ANN001, ANN202
    from onestop.models import Dossier

    return session.exec(select(Dossier).where(Dossier.code == code)).one()
