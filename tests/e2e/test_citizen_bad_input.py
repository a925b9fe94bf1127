"""Bad input on the citizen portal: each gets a clear message in Vietnamese and changes nothing.

Empty and oversized fields, a wrong ID number (length, province code), a 30 MB
file, an .exe renamed .pdf, a file name with ../, another citizen's dossier code
in the URL; plus the draft surviving a closed browser and tracking by code + phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.citizen_helpers import pdf_bytes, phone_context, shot, sign_in_as, sign_in_citizen
from tests.e2e.conftest import ACCOUNTS, RunningApp

pytestmark = pytest.mark.e2e


def _counts(app: RunningApp) -> tuple[int, int]:
    return int(app.scalar("SELECT count(*) FROM attachment")), int(app.scalar("SELECT count(*) FROM dossier"))


def _lan_dossier(app: RunningApp, status: int | None = None) -> tuple[str, str]:
    sql = (
        "SELECT d.code, d.tracking_token FROM dossier d JOIN app_user u ON u.id = d.applicant_user_id "
        "WHERE u.phone = ?" + (" AND d.status = ?" if status is not None else "") + " ORDER BY d.id LIMIT 1"
    )
    params = (ACCOUNTS["citizen"], status) if status is not None else (ACCOUNTS["citizen"],)
    row = app.query(sql, *params)
    assert row, "the seed gives the demo citizen dossiers"
    return row[0][0], row[0][1]


def _other_citizen_phone(app: RunningApp) -> str:
    return str(
        app.scalar(
            "SELECT phone FROM app_user WHERE role = 'citizen' AND phone != ? AND active = TRUE ORDER BY id LIMIT 1",
            ACCOUNTS["citizen"],
        )
    )


def test_empty_oversized_and_wrong_id_fields(browser, app: RunningApp) -> None:
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    before = _counts(app)
    sign_in_citizen(page, "/apply/1.000894")  # marriage: asks for the partner's ID number
    expect(page.locator("#step-title")).to_have_text("Thông tin người nộp")
    # an editable registry value emptied: refused when moving on
    page.locator("#f-phone").fill("")
    page.locator("#next-step").tap()
    expect(page.locator("#e-phone")).to_have_text(re.compile("Vui lòng nhập số điện thoại liên hệ"))
    page.locator("#f-phone").fill("12345")
    expect(page.locator("#e-phone")).to_have_text(re.compile("chưa đúng"))
    page.locator("#f-phone").fill("0901000001")
    expect(page.locator("#e-phone")).to_have_count(0)
    page.locator("#next-step").tap()

    expect(page.locator("#step-title")).to_have_text("Nội dung yêu cầu")
    page.locator("#next-step").tap()  # everything empty
    expect(page.locator("#error-summary")).to_contain_text("Vui lòng sửa các mục được đánh dấu đỏ")
    expect(page.locator("#e-partner_name")).to_have_text(re.compile("Vui lòng nhập họ và tên người kết hôn cùng"))
    page.locator("#f-partner_name").fill("Trần Văn " + "A" * 600)  # oversized
    expect(page.locator("#e-partner_name")).to_have_text(re.compile("chỉ được tối đa 500 ký tự"))
    page.locator("#f-partner_national_id").fill("0361880045")  # too short
    expect(page.locator("#e-partner_national_id")).to_have_text(re.compile("phải gồm đúng 12 chữ số"))
    page.locator("#f-partner_national_id").fill("999188004512")  # not a province code
    expect(page.locator("#e-partner_national_id")).to_have_text(re.compile("không phải mã tỉnh"))
    shot(page, "bad-fields")
    page.locator("#next-step").tap()
    expect(page.locator("#step-title")).to_have_text("Nội dung yêu cầu")  # still here
    page.locator("#f-partner_name").fill("Trần Văn Bình")
    page.locator("#f-partner_national_id").fill("036090001234")
    expect(page.locator("#e-partner_national_id")).to_have_count(0)
    page.locator("#next-step").tap()
    expect(page.locator("#step-title")).not_to_have_text("Nội dung yêu cầu")
    assert _counts(app) == before
    ctx.close()


def test_bad_files_are_refused_and_nothing_is_stored(browser, app: RunningApp) -> None:
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    sign_in_citizen(page, "/apply/2.000815")  # certified copy: one PDF/image document
    page.locator("#next-step").tap()
    page.locator("#f-document_title").fill("Bằng tốt nghiệp")
    page.locator("#f-pages").fill("2")
    page.locator("#f-copies").fill("1")
    page.locator("#next-step").tap()
    expect(page.locator("#step-title")).to_have_text("Bản chụp bản chính giấy tờ")
    before = _counts(app)
    files = page.locator("#doc-files input[type=file]")
    error = page.locator("#upload-error")

    page.locator("#next-step").tap()  # a required document is missing
    expect(error).to_contain_text("Vui lòng tải lên “Bản chụp bản chính giấy tờ”")

    files.set_input_files(
        {"name": "ban-chup.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)},
        timeout=90_000,  # 30 MB cross the Playwright driver pipe first; on a busy machine that alone takes 20 s
    )
    expect(error).to_contain_text("Tệp quá lớn", timeout=60_000)  # 30 MB take a while to reach the test browser
    expect(error).to_contain_text("tối đa 10 MB")
    shot(page, "bad-file-too-big")

    files.set_input_files(
        {
            "name": "hop-dong.pdf",
            "mimeType": "application/pdf",
            "buffer": b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 8000,
        }
    )
    expect(error).to_contain_text("Tệp không phải là PDF/ảnh thật")
    shot(page, "bad-file-exe")

    files.set_input_files({"name": "../../etc/passwd.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()})
    expect(error).to_contain_text(re.compile("Tên tệp không hợp lệ|Vui lòng đổi tên tệp"))

    assert _counts(app) == before
    expect(page.locator("#doc-current")).to_have_count(0)
    files.set_input_files({"name": "ban-chup.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()})
    expect(page.locator("#doc-current")).to_contain_text("ban-chup.pdf")
    expect(error).not_to_contain_text("Tệp")
    ctx.close()


def test_draft_survives_closing_the_browser(browser, app: RunningApp) -> None:
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    sign_in_citizen(page, "/apply/1.004873")  # marital status certificate: one request field
    page.locator("#next-step").tap()
    page.locator("#f-purpose").fill("Để kết hôn")
    page.wait_for_timeout(1200)  # the debounced change reaches the server and the draft
    state = ctx.storage_state()
    ctx.close()  # the browser is closed …

    ctx = phone_context(browser, app, storage_state=state)  # … and opened again later
    page = ctx.new_page()
    page.goto("/apply/1.004873")
    expect(page.get_by_role("status").filter(has_text="giữ lại")).to_be_visible()
    expect(page.locator("#step-title")).to_have_text("Nội dung yêu cầu")
    expect(page.locator("#f-purpose")).to_have_value("Để kết hôn")
    stored = page.evaluate("localStorage.getItem('onestop_apply_drafts')")
    assert "Để kết hôn" in stored and "%PDF" not in stored
    ctx.close()


def test_another_citizens_dossier_code_in_the_url(browser, app: RunningApp) -> None:
    code, token = _lan_dossier(app)
    before = app.query("SELECT status, version, fee_status FROM dossier WHERE code = ?", code)
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    sign_in_as(page, _other_citizen_phone(app))
    for path in (
        f"/dossiers/{code}",
        f"/dossiers/{code}/done",
        f"/dossiers/{code}/pay",
        f"/dossiers/{code}/supplement",
        f"/dossiers/{code}/rate",
    ):
        page.goto(path)
        expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này")
        expect(page.locator("#timeline")).to_have_count(0)
        expect(page.get_by_text(code, exact=True)).to_have_count(0)
    shot(page, "bad-other-citizens-dossier")
    for url in (f"/api/v1/dossiers/{code}/slips/submission.pdf", f"/api/v1/dossiers/{code}/result"):
        assert page.request.get(url).status in (404, 401)
    att = app.scalar("SELECT a.id FROM attachment a JOIN dossier d ON d.id = a.dossier_id WHERE d.code = ?", code)
    if att:
        assert page.request.get(f"/api/v1/attachments/{att}").status == 404
    assert app.query("SELECT status, version, fee_status FROM dossier WHERE code = ?", code) == before
    ctx.close()


def test_tracking_without_signing_in(browser, app: RunningApp) -> None:
    code, token = _lan_dossier(app)
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    page.goto(f"/dossiers/{code}")
    expect(page.locator("#lookup")).to_be_visible()  # not signed in, no token: asks for the phone
    expect(page.locator("#timeline")).to_have_count(0)
    page.locator("#lookup-phone").fill("0909 999 999")
    page.get_by_role("button", name="Tra cứu").tap()
    expect(page.locator("#lookup-error")).to_contain_text("Không tìm thấy hồ sơ với mã và số điện thoại này")
    page.locator("#lookup-phone").fill("0901 000 001")
    page.get_by_role("button", name="Tra cứu").tap()
    expect(page).to_have_url(re.compile(rf"/dossiers/{code}/?\?t="))
    expect(page.locator("#timeline")).to_contain_text("đã nộp hồ sơ")
    expect(page.locator("#slips")).to_have_count(0)  # documents only for the signed-in applicant
    shot(page, "tracking-by-phone")
    page.goto(f"/dossiers/{code}?t=not-the-token")
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ")
    page.goto(f"/dossiers/{code}?t={token}")
    expect(page.locator("#dossier-code")).to_have_text(code)
    ctx.close()
