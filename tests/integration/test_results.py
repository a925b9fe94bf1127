"""Result documents carry their content: each demo procedure's signed PDF holds its particulars (text-extracted),
a registration number and book; the specialist corrects the draft; the leader previews it before signing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from onestop import clock
from onestop.demo.catalog import PROCEDURES
from onestop.domain.errors import DomainError
from onestop.models import Dossier, ResultDraft
from onestop.services.dossiers import current_procedure
from onestop.services.results import preview_result, result_draft, save_result_draft, sign_result
from tests.integration.helpers import actor, center, user
from tests.pdftext import pdf_text

SIGNED_AT = datetime(2026, 11, 24, 15, 47)

#: Form data per demo procedure, and words each result must print (choices appear as their labels).
SAMPLES: dict[str, tuple[dict, list[str]]] = {
    "1.001193": (
        {
            "child_name": "Nguyễn Minh An",
            "child_gender": "female",
            "child_dob": "2026-11-02",
            "birth_place": "Bệnh viện Đa khoa tỉnh",
            "relation": "mother",
            "mother_name": "Nguyễn Thị Lan",
            "father_name": "Trần Văn Bình",
        },
        [
            "GIẤY KHAI SINH",
            "Nguyễn Minh An",
            "02/11/2026",
            "Nữ",
            "Bệnh viện Đa khoa tỉnh",
            "Họ, chữ đệm, tên người mẹ: Nguyễn Thị Lan",
            "Họ, chữ đệm, tên người cha: Trần Văn Bình",
            "Mẹ",
            "Sổ đăng ký khai sinh năm 2026",
            "Số đăng ký: 1/2026",
        ],
    ),
    "1.000894": (
        {"partner_name": "Lê Văn Cường", "partner_national_id": "001090012345"},
        ["Lê Văn Cường", "001090012345", "bên thứ nhất", "Sổ đăng ký kết hôn"],
    ),
    "1.000656": (
        {"deceased_name": "Phạm Văn Đức", "deceased_national_id": "001040012345", "date_of_death": "2026-11-20"},
        ["Phạm Văn Đức", "001040012345", "20/11/2026"],
    ),
    "2.000635": ({"extract_kind": "marriage", "copies": 2}, ["Kết hôn", "Số bản sao cấp: 2"]),
    "1.004873": ({"purpose": "Kết hôn"}, ["Hiện tại chưa đăng ký kết hôn với ai.", "Mục đích sử dụng: Kết hôn"]),
    "2.000815": (
        {"document_title": "Bằng tốt nghiệp THPT", "pages": 3, "copies": 3},
        ["Bằng tốt nghiệp THPT", "Số trang: 3", "Số bản: 3", "đúng với bản chính"],
    ),
    "2.000884": ({"document_title": "Giấy ủy quyền"}, ["Giấy ủy quyền", "Người ký"]),
    "3.000333": ({"form_kind": "2", "purpose": "Xin việc"}, ["Phiếu số 2", "Không có án tích.", "Xin việc"]),
    "1.004194": (
        {"new_address": "Số 5, thôn Đông, xã Hòa An", "household_head": "Nguyễn Văn Hải"},
        ["Số 5, thôn Đông, xã Hòa An", "Nguyễn Văn Hải"],
    ),
    "1.001612": (
        {
            "business_name": "Hộ kinh doanh Lan Anh",
            "business_address": "Số 5, thôn Đông",
            "business_line": "Bán lẻ tạp hóa",
            "capital": 50000000,
        },
        ["Hộ kinh doanh Lan Anh", "Bán lẻ tạp hóa", "50.000.000"],
    ),
    "1.009794": (
        {"plot_address": "Thửa 12, thôn Đông", "floors": 3, "floor_area": 240},
        ["Thửa 12, thôn Đông", "Số tầng: 3", "240"],
    ),
    "1.003010": ({"parcel_number": "Thửa 45, tờ 7", "change_kind": "gift"}, ["Thửa 45, tờ 7", "Tặng cho"]),
    "1.002804": ({"licence_number": "790123456789", "licence_class": "B"}, ["790123456789", "Hạng: B"]),
}


@pytest.fixture(autouse=True)
def _clock():
    clock.set_now(SIGNED_AT)
    yield
    clock.set_now(None)


def _dossier(session, code: str, data: dict, step: str = "signing") -> Dossier:
    citizen = user(session, "citizen")
    proc = current_procedure(session, code)
    x01 = center(session)
    n = session.exec(select(Dossier)).all()
    d = Dossier(
        code=f"X01-261124-{len(n) + 1:04d}",
        tracking_token=f"t{code}{len(n)}",
        procedure_id=proc.id,
        procedure_code=code,
        applicant_user_id=citizen.id,
        applicant_name=citizen.full_name,
        applicant_national_id=citizen.national_id or "",
        applicant_phone=citizen.phone,
        channel="online",
        receiving_center_id=x01.id,
        handling_center_id=x01.id,
        status=4,
        step=step,
        form_data={"full_name": citizen.full_name, "date_of_birth": "1990-05-17", "address": "Thôn Đông", **data},
        received_at=datetime(2026, 11, 23, 9, 0),
        submitted_at=datetime(2026, 11, 23, 8),
    )
    session.add(d)
    session.flush()
    return d


def test_samples_cover_every_demo_procedure():
    assert set(SAMPLES) == {p["code"] for p in PROCEDURES}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_demo_result_pdf_carries_its_particulars(session, code):
    data, expected = SAMPLES[code]
    d = _dossier(session, code, data)
    att = sign_result(session, actor(session, "leader"), d, current_procedure(session, code))
    from onestop.adapters.storage import default_storage

    text = pdf_text(default_storage().get(att.storage_key))
    # dated when signed (the visible stamp shows the same clock; its text sits in the signature appearance)
    for words in [*expected, "Lan", d.code, "Quyển số", "Số đăng ký: 1/2026", "ngày 24 tháng 11 năm 2026"]:
        assert words in text, f"{code}: {words!r} missing from {text[:600]}"
    assert "…" not in text.split("Mã hồ sơ")[0]  # every particular is filled


def test_registration_numbers_follow_each_other_per_center_procedure_year(session):
    proc = current_procedure(session, "2.000884")
    first = _dossier(session, "2.000884", {"document_title": "A"})
    second = _dossier(session, "2.000884", {"document_title": "B"})
    from onestop.services.results import registration_number

    assert registration_number(session, first, proc, 2026) == "1/2026"
    assert registration_number(session, second, proc, 2026) == "2/2026"
    assert registration_number(session, second, proc, 2027) == "1/2027"


def test_specialist_corrects_the_draft_and_the_leader_previews_it(session):
    data = dict(SAMPLES["3.000333"][0])
    d = _dossier(session, "3.000333", data, step="appraisal")
    proc = current_procedure(session, "3.000333")
    assert {ln.key: ln.value for ln in result_draft(session, d, proc)}["criminal_record"] == "Không có án tích."
    with pytest.raises(DomainError) as denied:
        save_result_draft(session, actor(session, "receiver"), d, {"criminal_record": "x"})
    assert denied.value.status == 403
    with pytest.raises(DomainError):
        save_result_draft(session, actor(session, "specialist"), d, {"nonsense": "x"})
    lines = save_result_draft(
        session,
        actor(session, "specialist"),
        d,
        {"criminal_record": "Có 01 án tích, đã được xóa án tích ngày 01/02/2020."},
    )
    assert lines[[ln.key for ln in lines].index("criminal_record")].value.startswith("Có 01 án tích")
    row = session.exec(select(ResultDraft).where(ResultDraft.dossier_id == d.id)).one()
    assert row.history[-1]["by"] == actor(session, "specialist").full_name
    assert row.history[-1]["changes"][0]["from"] == "Không có án tích."
    preview = pdf_text(preview_result(session, actor(session, "leader"), d))
    assert "DỰ THẢO" in preview and "Có 01 án tích, đã được xóa án tích ngày 01/02/2020." in preview
    assert "(cấp khi ký)" in preview
    d.step = "signing"
    signed = sign_result(session, actor(session, "leader"), d, proc)
    from onestop.adapters.storage import default_storage

    text = pdf_text(default_storage().get(signed.storage_key))
    assert "Có 01 án tích" in text and "DỰ THẢO" not in text
    d.status, d.step = 9, ""
    with pytest.raises(DomainError) as closed:
        save_result_draft(session, actor(session, "specialist"), d, {"criminal_record": "x"})
    assert closed.value.code == "draft_closed"


def test_officer_page_shows_the_draft_and_saves_corrections(session):
    from onestop.read import dossier_detail
    from onestop.services import workbench

    d = _dossier(session, "1.004873", {"purpose": "Kết hôn"}, step="appraisal")
    session.commit()
    page = dossier_detail.dossier_page(session, actor(session, "specialist"), d.code)
    assert page.draft_editable and page.preview_url.endswith("/documents/result_preview")
    assert {r.key: r.value for r in page.draft}["marital_status"] == "Hiện tại chưa đăng ký kết hôn với ai."
    assert not dossier_detail.dossier_page(session, actor(session, "receiver"), d.code).draft_editable
    workbench.save_draft(session, actor(session, "specialist"), d.id, {"purpose": "Làm thủ tục kết hôn"})
    page = dossier_detail.dossier_page(session, actor(session, "leader"), d.code)
    assert {r.key: r.value for r in page.draft}["purpose"] == "Làm thủ tục kết hôn"
    assert page.draft_editable  # the leader may still correct before signing
