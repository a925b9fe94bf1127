"""A citizen's whole journey on a phone (390×844, touch), on the demo data, in Vietnamese.

Search without accents → procedure page → apply with registry auto-fill and two
uploads (a PDF from files, a photo "from the camera") → check answers → submit →
receipt → pay in the sandbox gateway → officers act through the services (another
process's change) and the tracking page follows without reload → download the
signed result → rate it. Each step is saved to screenshots/citizen-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.citizen_helpers import (
    dossier_code_from,
    jpeg_bytes,
    officer_acts,
    pdf_bytes,
    phone_context,
    shot,
    wait_ready,
)
from tests.e2e.conftest import ACCOUNTS, PASSWORD, RunningApp

pytestmark = pytest.mark.e2e

PROCEDURE = "1.002804"  # driving licence exchange: 135,000 VND, two documents (a PDF and a photo)


def test_whole_journey_on_a_phone(browser, app: RunningApp) -> None:
    ctx = phone_context(browser, app)
    page = ctx.new_page()

    # --- find: a search typed without accents
    page.goto("/")
    wait_ready(page)
    shot(page, "01-home")
    page.get_by_role("searchbox").fill("doi giay phep lai xe")
    page.get_by_role("button", name="Tìm kiếm").tap()
    expect(page).to_have_url(re.compile(r"/procedures/?\?q=doi"))
    card = page.get_by_role("link", name=re.compile("Đổi giấy phép lái xe")).first
    expect(card).to_be_visible()
    shot(page, "02-search-results")
    card.tap()

    # --- the procedure page (public)
    expect(page).to_have_url(re.compile(rf"/procedures/{re.escape(PROCEDURE)}/?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi giấy phép lái xe do ngành Giao thông vận tải cấp")
    expect(page.locator("#procedure-facts")).to_contain_text("135.000 đồng")
    expect(page.locator("#procedure-documents")).to_contain_text("Giấy khám sức khỏe của người lái xe")
    expect(page.locator("#procedure-held")).to_contain_text("Căn cước / CCCD")
    shot(page, "03-procedure")
    page.locator("#apply-online").tap()

    # --- sign in on the way (the apply page asks for it in place, naming the procedure, and comes back)
    expect(page).to_have_url(re.compile(rf"/apply/{re.escape(PROCEDURE)}/?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi giấy phép lái xe do ngành Giao thông vận tải cấp")
    shot(page, "03b-apply-sign-in")
    page.locator("#apply-sign-in").tap()
    expect(page).to_have_url(re.compile(r"/login/?\?next=%2Fapply%2F"))
    page.locator("#login").fill(ACCOUNTS["citizen"])
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").tap()
    expect(page).to_have_url(re.compile(rf"/apply/{re.escape(PROCEDURE)}/?$"))

    # --- step 1: the applicant, from the population registry (locked where it is authoritative)
    expect(page.locator("#step-title")).to_have_text("Thông tin người nộp")
    expect(page.locator("#f-full_name")).to_have_text("Nguyễn Thị Lan")
    expect(page.locator("#f-national_id")).to_have_text("036188004512")
    expect(page.locator("input#f-full_name")).to_have_count(0)  # not editable
    expect(page.locator("input#f-phone")).to_have_value("0901000001")
    shot(page, "04-apply-applicant")
    page.locator("#next-step").tap()

    # --- step 2: the request, checked by the server before moving on
    expect(page.locator("#step-title")).to_have_text("Nội dung yêu cầu")
    page.locator("#next-step").tap()
    expect(page.locator("#e-licence_number")).to_have_text(re.compile("Vui lòng nhập số giấy phép lái xe"))
    expect(page.locator("#e-licence_class")).to_have_text(re.compile("Vui lòng chọn hạng"))
    shot(page, "05-apply-request-errors")
    page.locator("#f-licence_number").fill("790123456789")
    page.locator("#f-licence_class").get_by_role("radio", name="B", exact=True).tap()
    expect(page.locator("#e-licence_class")).to_have_count(0)
    expect(page.locator("#f-center").get_by_role("radio", checked=True)).to_contain_text("xã Hòa An")
    shot(page, "06-apply-request")
    page.locator("#next-step").tap()

    # --- documents: a PDF from the phone's files, then a photo from the camera, each with a progress bar
    expect(page.locator("#step-title")).to_have_text("Giấy khám sức khỏe của người lái xe")
    page.locator("#doc-files input[type=file]").set_input_files(
        {"name": "Giấy khám sức khỏe.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    expect(page.locator("#doc-current")).to_contain_text("Giấy khám sức khỏe.pdf")
    shot(page, "07-apply-document-pdf")
    page.locator("#next-step").tap()
    expect(page.locator("#step-title")).to_have_text("Bản chụp giấy phép lái xe cũ")
    camera = page.locator("#doc-camera input[type=file]")
    assert camera.get_attribute("capture") == "environment"
    camera.set_input_files({"name": "anh-gplx.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()})
    expect(page.locator("#doc-current")).to_contain_text("anh-gplx.jpg")
    shot(page, "08-apply-document-photo")
    page.locator("#next-step").tap()

    # --- check your answers, change links, declaration, submit
    expect(page.locator("#step-title")).to_have_text("Kiểm tra lại và nộp")
    answers = page.locator("#review-answers")
    expect(answers).to_contain_text("Nguyễn Thị Lan")
    expect(answers).to_contain_text("790123456789")
    expect(page.locator("#review-documents")).to_contain_text("anh-gplx.jpg")
    shot(page, "09-apply-review")
    page.locator("#submit-dossier").tap()
    expect(page.get_by_role("alert").filter(has_text="cam đoan")).to_be_visible()  # declaration first
    page.locator("label[for=f-declaration]").tap()
    page.locator("#submit-dossier").tap()

    # --- confirmation: code, expected due date, receipt with QR
    expect(page).to_have_url(re.compile(r"/dossiers/[A-Z0-9-]+/done/?$"))
    code = dossier_code_from(page.url)
    expect(page.locator("#dossier-code")).to_have_text(code)
    expect(page.locator("#expected-due")).to_have_text(re.compile(r"\d{2}:\d{2} \d{2}/\d{2}/\d{4}"))
    shot(page, "10-confirmation")
    receipt = page.request.get(f"/api/v1/dossiers/{code}/slips/submission.pdf")
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")
    row = app.query("SELECT status, channel, fee_amount, fee_status FROM dossier WHERE code = ?", code)[0]
    assert row == (1, "online", 135000, "unpaid")
    files = app.query(
        "SELECT document_code, filename, mime FROM attachment a JOIN dossier d ON d.id = a.dossier_id "
        "WHERE d.code = ? ORDER BY document_code",
        code,
    )
    assert files == [
        ("health_certificate", "Giấy khám sức khỏe.pdf", "application/pdf"),
        ("old_licence", "anh-gplx.jpg", "image/jpeg"),
    ]

    # --- pay in the sandbox gateway: a real redirect and a signed return
    page.locator("#go-pay").tap()
    expect(page.locator("#pay-amount")).to_have_text("135.000 đồng")
    shot(page, "11-pay")
    page.locator("#pay-online").tap()
    expect(page).to_have_url(re.compile(r"/pay/sandbox\?"))
    shot(page, "12-sandbox-gateway")
    page.get_by_role("button", name="Thanh toán").tap()
    expect(page).to_have_url(re.compile(r"/pay/?\?payment=paid"))
    expect(page.locator("#pay-done")).to_be_visible()
    expect(page.locator("#fee-status")).to_have_text(re.compile("đã nộp"))
    shot(page, "13-paid")
    assert app.scalar("SELECT fee_status FROM dossier WHERE code = ?", code) == "paid"

    # --- tracking: officers act through the services; the open page follows without reload
    page.locator("#go-track").tap()
    expect(page.locator("#timeline")).to_contain_text("Nguyễn Thị Lan đã nộp hồ sơ")
    expect(page.locator("#timeline")).to_contain_text("Đã ghi nhận thanh toán")
    shot(page, "14-tracking-submitted")
    page.evaluate("window.__notReloaded = true")
    officer_acts(app, code, "receive")
    expect(page.locator("#timeline")).to_contain_text("Cán bộ Lê Thị Hoa đã tiếp nhận hồ sơ", timeout=20_000)
    expect(page.locator("#dossier-status")).to_contain_text("Đã tiếp nhận")
    expect(page.locator("#dossier-facts")).to_contain_text("Hạn trả kết quả")
    shot(page, "15-tracking-received-live")
    officer_acts(app, code, "assign", "appraise", "submit_for_approval", "approve", "sign", "issue_result")
    expect(page.locator("#download-result")).to_be_visible(timeout=20_000)
    assert page.evaluate("window.__notReloaded === true"), "the page must update without a reload"
    shot(page, "16-tracking-result")

    # --- download the signed result
    with page.expect_download() as download:
        page.locator("#download-result").tap()
    assert download.value.suggested_filename == f"{code}-ket-qua.pdf"
    with open(download.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    # --- rate it
    page.locator("#go-rate").tap()
    expect(page.locator("#rate-overall")).to_be_visible()
    shot(page, "17-rate")
    page.locator("#rate-overall").get_by_role("radio", name="Rất hài lòng").tap()
    page.locator("#rate-timeliness").get_by_role("radio", name="Hài lòng", exact=True).tap()
    page.locator("#rate-attitude").get_by_role("radio", name="Rất hài lòng").tap()
    page.locator("#rate-trips").get_by_role("radio", name="Không quá 1 lần").tap()
    page.locator("#send-rating").tap()
    expect(page.locator("#rate-thanks")).to_be_visible()
    shot(page, "18-rated")
    assert app.query(
        "SELECT overall, timeliness, attitude, trips FROM rating r JOIN dossier d ON d.id = r.dossier_id "
        "WHERE d.code = ?",
        code,
    ) == [(5, 4, 5, 1)]

    # --- my dossiers: the new one listed with its status chip, opening its tracking page (dossiers that need the
    # person's action — a fee to pay, a supplement — come first since issue 15; other tests file some for her)
    page.goto("/my")
    first = page.locator(".os-dossier-link", has_text=code).first
    expect(first).to_contain_text(code)
    expect(first).to_contain_text("Có kết quả")
    shot(page, "19-my-dossiers")
    first.tap()
    expect(page).to_have_url(re.compile(rf"/dossiers/{code}/?$"))
    expect(page.locator("#todo-rate")).to_have_count(0)
    ctx.close()


def test_zero_fee_online_and_supplement_on_a_phone(browser, app: RunningApp) -> None:
    """A business household online costs 0 VND (100,000 at the counter): no payment asked. Then the officer
    asks for more; the citizen sees exactly what, until when, and uploads it there."""
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    from tests.e2e.citizen_helpers import sign_in_citizen

    sign_in_citizen(page, "/apply/1.001612")
    expect(page.locator("#step-title")).to_have_text("Thông tin người nộp")
    page.locator("#next-step").tap()
    page.locator("#f-business_name").fill("Hộ kinh doanh Lan Anh")
    page.locator("#f-business_address").fill("Số 5, thôn Đông, xã Hòa An")
    page.locator("#f-business_line").fill("Bán lẻ tạp hóa")
    page.locator("#f-capital").fill("50000000")
    page.locator("#next-step").tap()
    expect(page.locator("#step-title")).to_have_text("Hợp đồng thuê địa điểm (nếu thuê)")
    page.locator("#next-step").tap()  # optional: may be skipped
    expect(page.locator("#step-title")).to_have_text("Kiểm tra lại và nộp")
    expect(page.locator("#review-documents")).to_contain_text("Không nộp")
    page.locator("label[for=f-declaration]").tap()
    page.locator("#submit-dossier").tap()
    expect(page).to_have_url(re.compile(r"/done/?$"))
    code = dossier_code_from(page.url)
    expect(page.locator("#no-fee")).to_have_text("Không phải nộp phí")
    expect(page.locator("#go-pay")).to_have_count(0)
    assert app.query("SELECT fee_amount, fee_status FROM dossier WHERE code = ?", code) == [(0, "none")]

    from datetime import datetime, timedelta

    page.goto(f"/dossiers/{code}")
    expect(page.locator("#timeline")).to_be_visible()
    officer_acts(app, code, "receive")
    officer_acts(
        app,
        code,
        "request_supplement",
        missing_items=["Bản sao hợp đồng thuê nhà có công chứng"],
        supplement_deadline=datetime.now() + timedelta(days=5),
        note="Thiếu hợp đồng thuê",
    )
    expect(page.locator("#todo-supplement")).to_contain_text("Bản sao hợp đồng thuê nhà có công chứng", timeout=20_000)
    shot(page, "20-tracking-supplement")
    page.locator("#go-supplement").tap()
    expect(page.locator("#supplement-items")).to_contain_text("Bản sao hợp đồng thuê nhà có công chứng")
    page.locator("#supp-files input[type=file]").set_input_files(
        {"name": "hop-dong-thue.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("lease")}
    )
    expect(page.get_by_text("hop-dong-thue.pdf")).to_be_visible()
    page.locator("#supplement-note").fill("Tôi gửi bản sao hợp đồng thuê nhà.")
    shot(page, "21-supplement")
    page.locator("#send-supplement").tap()
    expect(page).to_have_url(re.compile(rf"/dossiers/{code}/?$"))
    expect(page.locator("#todo-supplement")).to_contain_text("Bạn đã gửi giấy tờ bổ sung")
    expect(page.locator("#timeline")).to_contain_text("đã nộp bổ sung")
    assert (
        app.scalar(
            "SELECT count(*) FROM attachment a JOIN dossier d ON d.id = a.dossier_id "
            "WHERE d.code = ? AND a.kind = 'supplement'",
            code,
        )
        == 1
    )
    ctx.close()
