"""The administrator adds a procedure with a built form, a citizen files it, the form is rebuilt, it is retired."""

from __future__ import annotations

import pytest
from sqlmodel import select

from onestop.domain.errors import DomainError
from onestop.domain.form_builder import DocumentRow, FieldRow, rows_from_schema
from onestop.models import CatalogEvent, Procedure
from onestop.read.search import _cache as search_cache
from onestop.services import catalog_admin, dossiers

from .helpers import actor

NEW = {
    "code": "SIM-ADMIN-1",
    "name_vi": "Đăng ký nuôi chim yến (thử)",
    "name_en": "Swiftlet farm registration (test)",
    "field": "business",
    "duration_counter": {"value": 5, "unit": "working_days"},
    "fee_amount": 0,
    "other_names": ["nuôi yến"],
}
FIELDS = [
    FieldRow(
        "Họ và tên",
        "Full name",
        "text",
        autofill="resident.full_name",
        registry_authoritative=True,
        section="applicant",
        name="full_name",
    ),
    FieldRow("Diện tích nhà yến (m²)", "Area (m²)", "number"),
    FieldRow("Hình thức", "Kind", "select", options="Nhà riêng | Own house\nThuê | Rented"),
]
DOCS = [DocumentRow("Sơ đồ nhà yến", "Site plan")]


def test_add_file_rebuild_and_retire(session):
    boss = actor(session, "admin")
    try:
        proc = catalog_admin.add_procedure(session, boss, dict(NEW), FIELDS, DOCS)
        assert proc.version == 1 and proc.form_schema["fields"][1]["name"] == "dien_tich_nha_yen_m"
        # the same judge every channel uses accepts a citizen's filled form
        from onestop.domain.forms import FormSchema, validate_form

        form = FormSchema.from_dict(proc.form_schema)
        filled = validate_form(
            form, {"full_name": "Nguyễn Văn A", "dien_tich_nha_yen_m": "120", "hinh_thuc": "nha_rieng"}
        )
        assert filled.ok and filled.clean["hinh_thuc"] == "nha_rieng"
        assert set(validate_form(form, {"hinh_thuc": "villa"}).errors) == {
            "full_name",
            "dien_tich_nha_yen_m",
            "hinh_thuc",
        }
        assert dossiers.current_procedure(session, "SIM-ADMIN-1").id == proc.id
        fields, docs = rows_from_schema(proc.form_schema)
        new = catalog_admin.save_form(
            session,
            boss,
            "SIM-ADMIN-1",
            fields,
            [*docs, DocumentRow("Giấy ủy quyền", "Power of attorney", required=False)],
        )
        assert new.version == 2 and len(new.form_schema["documents"]) == 2
        with pytest.raises(DomainError) as exc:
            catalog_admin.save_form(
                session,
                boss,
                "SIM-ADMIN-1",
                fields,
                [*docs, DocumentRow("Giấy ủy quyền", "Power of attorney", required=False)],
            )
        assert exc.value.code == "nothing_changed"
        catalog_admin.retire_procedure(session, boss, "SIM-ADMIN-1")
        assert (
            session.exec(
                select(Procedure).where(Procedure.code == "SIM-ADMIN-1", Procedure.is_current.is_(True))
            ).first()
            is None
        )
        again = catalog_admin.add_procedure(session, boss, dict(NEW), FIELDS, DOCS)
        assert again.version == 3
        actions = [e.action for e in session.exec(select(CatalogEvent).order_by(CatalogEvent.id))]
        assert actions == ["add", "version", "retire", "add"]
    finally:
        session.rollback()
        search_cache.clear()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"code": "bad code"}, "code_invalid"),
        ({"code": "1.001193"}, "code_taken"),
        ({"name_en": ""}, "name_en_invalid"),
        ({"field": "nope"}, "field_unknown"),
        ({"duration_counter": {"value": 1.5, "unit": "working_days"}}, "bad_duration"),
        ({"fee_amount": -1}, "bad_fee"),
        ({"level": "district"}, "level_invalid"),
    ],
)
def test_add_refuses_bad_input(session, change, code):  # noqa: ANN001
    try:
        with pytest.raises(DomainError) as exc:
            catalog_admin.add_procedure(session, actor(session, "admin"), {**NEW, **change}, FIELDS, DOCS)
        assert exc.value.code == code and exc.value.vi and exc.value.en
    finally:
        session.rollback()


def test_unrenderable_form_and_non_admin_are_refused(session):
    try:
        with pytest.raises(DomainError) as exc:
            catalog_admin.add_procedure(session, actor(session, "admin"), dict(NEW), [FieldRow("A", "A", "select")], [])
        assert exc.value.code == "form_field" and "Trường 1" in exc.value.vi
        with pytest.raises(DomainError):
            catalog_admin.add_procedure(session, actor(session, "receiver"), dict(NEW), FIELDS, DOCS)
        with pytest.raises(DomainError):
            catalog_admin.retire_procedure(session, actor(session, "leader"), "1.001193")
    finally:
        session.rollback()
