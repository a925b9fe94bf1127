"""axe-core on every citizen page (phone size, Vietnamese): no serious or critical violations.

Pages are scanned in the states people meet them in: the apply flow on each
kind of step (registry fields, a step with errors shown, a document with a file,
the review), the tracking page as owner and by token, the payment gateway, and
with the larger-text and high-contrast modes switched on.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.citizen_helpers import (
    pdf_bytes,
    phone_context,
    serious_violations,
    shot,
    sign_in_citizen,
    wait_ready,
)
from tests.e2e.conftest import ACCOUNTS, RunningApp

pytestmark = pytest.mark.e2e


def _check(page: Page, where: str, problems: dict[str, list[str]]) -> None:
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    found = serious_violations(page)
    if found:
        problems[where] = found


def _lan(app: RunningApp, where: str) -> tuple[str, str] | None:
    row = app.query(
        "SELECT d.code, d.tracking_token FROM dossier d JOIN app_user u ON u.id = d.applicant_user_id "
        f"WHERE u.phone = ? AND {where} ORDER BY d.id DESC LIMIT 1",
        ACCOUNTS["citizen"],
    )
    return (row[0][0], row[0][1]) if row else None


def test_public_pages(browser, app: RunningApp) -> None:
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}
    for path in (
        "/",
        "/procedures",
        "/procedures?q=khai%20sinh",
        "/procedures/1.002804",
        "/procedures/2.000815",
        "/procedures/nope",
        "/track",
        "/login",
        "/apply/1.002804",  # a visitor: asked to sign in on the page (the shared-link prompt)
    ):
        page.goto(path)
        _check(page, path, problems)
    expect(page.locator("#apply-sign-in")).to_be_visible()  # the last page checked was the prompt, not a spinner
    code, token = _lan(app, "1 = 1") or ("", "")
    page.goto(f"/dossiers/{code}")
    _check(page, "/dossiers/<code> (visitor: lookup form)", problems)
    page.goto(f"/dossiers/{code}?t={token}")
    expect(page.locator("#timeline")).to_be_visible()
    _check(page, "/dossiers/<code>?t= (by token)", problems)
    ctx.close()
    assert not problems, problems


def test_apply_flow_pages(browser, app: RunningApp) -> None:
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}
    sign_in_citizen(page, "/apply/1.001193")  # birth registration: selects, dates, two documents
    expect(page.locator("#step-title")).to_have_text("Thông tin người nộp")
    _check(page, "apply: applicant (registry)", problems)
    page.locator("#next-step").tap()
    page.locator("#next-step").tap()
    expect(page.locator("#error-summary")).to_be_visible()
    _check(page, "apply: request with errors", problems)
    shot(page, "a11y-apply-errors")
    page.locator("#f-child_name").fill("Nguyễn Minh An")
    page.locator("#f-child_gender").get_by_role("radio", name="Nam", exact=True).tap()
    page.locator("#f-child_dob").fill("2026-11-01")
    page.locator("#f-birth_place").fill("Bệnh viện Đa khoa tỉnh")
    page.locator("#f-relation").get_by_role("radio", name="Mẹ", exact=True).tap()
    page.locator("#next-step").tap()
    expect(page.locator("#step-title")).to_have_text("Giấy chứng sinh")
    page.locator("#doc-files input[type=file]").set_input_files(
        {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("birth")}
    )
    expect(page.locator("#doc-current")).to_be_visible()
    _check(page, "apply: document with a file", problems)
    page.locator("#next-step").tap()
    page.locator("#next-step").tap()  # the optional one
    expect(page.locator("#step-title")).to_have_text("Kiểm tra lại và nộp")
    _check(page, "apply: review", problems)
    page.locator("label[for=f-declaration]").tap()
    page.locator("#submit-dossier").tap()
    expect(page).to_have_url(re.compile(r"/done/?$"))
    expect(page.locator("#no-fee")).to_be_visible()  # birth registration is free
    _check(page, "done (free)", problems)
    code = re.search(r"/dossiers/([^/]+)/done", page.url).group(1)  # type: ignore[union-attr]
    page.goto(f"/dossiers/{code}")
    expect(page.locator("#timeline")).to_be_visible()
    _check(page, "tracking (owner)", problems)
    page.goto(f"/dossiers/{code}/pay")
    _check(page, "pay (nothing to pay)", problems)
    page.goto("/my")
    _check(page, "/my", problems)
    ctx.close()
    assert not problems, problems


def test_payment_supplement_rating_pages_and_display_modes(browser, app: RunningApp) -> None:
    ctx = phone_context(browser, app)
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}
    sign_in_citizen(page)
    unpaid = _lan(app, "d.fee_status = 'unpaid' AND d.status NOT IN (3, 7, 8, 10)")
    if unpaid:
        page.goto(f"/dossiers/{unpaid[0]}/pay")
        expect(page.locator("#pay-online")).to_be_visible()
        _check(page, "pay (unpaid)", problems)
        page.locator("#pay-online").tap()
        expect(page).to_have_url(re.compile(r"/pay/sandbox"))
        _check(page, "sandbox gateway", problems)
        page.get_by_role("button", name="Hủy giao dịch").tap()
        expect(page.locator("#pay-failed")).to_be_visible()
        _check(page, "pay (failed)", problems)
    supplement = _lan(app, "d.status = 5")
    if supplement:
        page.goto(f"/dossiers/{supplement[0]}/supplement")
        _check(page, "supplement", problems)
        page.goto(f"/dossiers/{supplement[0]}")
        _check(page, "tracking (supplement requested)", problems)
    rateable = _lan(app, "d.status IN (9, 10) AND d.id NOT IN (SELECT dossier_id FROM rating)")
    if rateable:
        page.goto(f"/dossiers/{rateable[0]}/rate")
        expect(page.locator("#rate-overall")).to_be_visible()
        _check(page, "rate", problems)
        page.locator("#send-rating").tap()
        expect(page.locator("#rate-problem")).to_contain_text("Vui lòng trả lời cả bốn câu hỏi")
        _check(page, "rate with an error", problems)

    # larger text and high contrast, switched in the header, kept after a reload
    page.goto("/procedures/1.002804")
    wait_ready(page)
    page.locator("#display-settings").tap()
    page.locator("#switch-large-text").tap()
    page.locator("#switch-high-contrast").tap()
    both = re.compile(r"os-large.*os-contrast|os-contrast.*os-large")
    expect(page.locator("html")).to_have_class(both)
    expect(page.locator("#switch-high-contrast")).to_be_checked()
    page.keyboard.press("Escape")
    page.wait_for_function("localStorage.getItem('onestop_high_contrast') === '1'")
    page.reload()
    expect(page.locator("html")).to_have_class(both)
    _check(page, "procedure page, large text + high contrast", problems)
    shot(page, "a11y-large-contrast")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"large text scrolls sideways by {overflow}px"
    ctx.close()
    assert not problems, problems


def test_works_at_200_percent_zoom(browser, app: RunningApp) -> None:
    """Browser zoom at 200 % on a 1280 px screen leaves 640 CSS px; the large-text mode on a 360 px phone is
    the phone's "200 %". Neither may need sideways scrolling (sideways scrolling loses older readers)."""
    code = _lan(app, "1 = 1")[0]  # type: ignore[index]
    paths = ("/procedures/1.002804", "/apply/1.002804", f"/dossiers/{code}", "/track", "/my")
    zoomed = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2, base_url=app.url)
    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, base_url=app.url
    )
    phone.add_init_script("localStorage.setItem('onestop_large_text', '1')")
    for name, ctx in (("zoom-200", zoomed), ("large-text-360", phone)):
        ctx.set_default_timeout(20_000)
        page = ctx.new_page()
        sign_in_citizen(page)
        for path in paths:
            page.goto(path)
            wait_ready(page)
            page.wait_for_load_state("networkidle")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px ({name})"
            if path.startswith("/apply"):
                shot(page, f"{name}-apply")
        ctx.close()
