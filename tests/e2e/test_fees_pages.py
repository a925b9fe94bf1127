"""Fees, result release, drafting, reception deadline and counter manual entry, in the browser (issue 15).

The apply review computes the certified-copy fee from the typed pages and copies (3 × 3 → 15.000 đồng); the pay
page shows the breakdown; an issued result stays locked (no link, route 403) while the fee is unpaid; the officer
sees the draft result and the inbox banner of dossiers overdue for reception; the counter serves a person the
registry does not know. Screenshots at 360 and 1440 px, Vietnamese and English (screenshots/fees-*.png).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.citizen_helpers import app_settings, officer_acts, pdf_bytes, sign_in_as
from tests.e2e.conftest import ACCOUNTS, SCREENSHOTS, RunningApp

WIDTHS = (360, 1440)


def _shots(browser, app: RunningApp, path: str, name: str, role: str, ready: str) -> None:  # noqa: ANN001
    """Open `path` signed in as `role` at each width and language; wait for `ready`; save a full-page PNG."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for lang in ("vi", "en"):
        for width in WIDTHS:
            ctx = browser.new_context(viewport={"width": width, "height": 900}, base_url=app.url)
            ctx.add_init_script(f"window.localStorage.setItem('lang', '{lang}')")
            ctx.set_default_timeout(30_000)
            page = ctx.new_page()
            sign_in_as(page, ACCOUNTS[role], path)
            page.goto(path)
            expect(page.locator(ready).first).to_be_visible()
            page.wait_for_timeout(500)
            page.screenshot(path=str(SCREENSHOTS / f"fees-{name}-{lang}-{width}.png"), full_page=True)
            ctx.close()


def _apply_certified_copy(page: Page) -> None:
    page.locator("#next-step").click()  # applicant (from the registry)
    expect(page.locator("#f-document_title")).to_be_visible()
    page.locator("#f-document_title").fill("Bằng tốt nghiệp THPT")
    page.locator("#f-pages").fill("3")
    page.locator("#f-copies").fill("3")
    page.locator("#next-step").click()
    page.locator("#doc-files input[type=file]").set_input_files(
        {"name": "bang-tot-nghiep.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    expect(page.locator("#doc-current")).to_contain_text("bang-tot-nghiep.pdf")
    page.locator("#next-step").click()


def test_fee_from_the_form_release_rule_and_officer_pages(browser, app: RunningApp) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=app.url)
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    sign_in_as(page, ACCOUNTS["citizen"], "/apply/2.000815")
    page.goto("/apply/2.000815")
    _apply_certified_copy(page)
    expect(page.locator("#review-fee")).to_have_text("15.000 đồng")
    expect(page.locator("#review-fee-lines")).to_contain_text("3 × 5.000 đồng = 15.000 đồng")
    expect(page.locator("#delivery-download")).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "fees-apply-review-vi-1440.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "fees-apply-review-vi-360.png"), full_page=True)
    page.locator("#delivery-counter").click()
    page.locator("label[for=f-declaration]").click()
    page.locator("#submit-dossier").click()
    expect(page).to_have_url(re.compile(r"/dossiers/[A-Z0-9-]+/done/?$"))
    code = page.url.rstrip("/").split("/")[-2]
    assert app.query("SELECT fee_amount, fee_status, delivery FROM dossier WHERE code = ?", code) == [
        (15000, "unpaid", "counter")
    ]
    ctx.close()

    _shots(browser, app, f"/dossiers/{code}/pay", "pay", "citizen", "#fee-lines")

    # the result is issued while the fee is unpaid: no download link on the page, the route refuses
    officer_acts(app, code, "receive", "assign", "appraise", "submit_for_approval", "approve", "sign", "issue_result")
    _shots(browser, app, f"/dossiers/{code}", "track-locked", "citizen", "#result-locked")
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=app.url)
    page = ctx.new_page()
    sign_in_as(page, ACCOUNTS["citizen"], f"/dossiers/{code}")
    page.goto(f"/dossiers/{code}")
    expect(page.locator("#result-locked")).to_be_visible()
    expect(page.locator("#download-result")).to_have_count(0)
    assert page.request.get(f"/api/v1/dossiers/{code}/result").status == 403
    ctx.close()


def test_officer_draft_inbox_banner_counter_and_admin(browser, app: RunningApp) -> None:  # noqa: ANN001
    with app_settings(app):
        from sqlmodel import select

        from onestop.db import new_session
        from onestop.models import Center, Dossier

        with new_session() as db:
            x01 = db.exec(select(Center).where(Center.code == "X01")).one()
            processing = db.exec(
                select(Dossier).where(
                    Dossier.status == 4, Dossier.step == "appraisal", Dossier.handling_center_id == x01.id
                )
            ).first()
            code = processing.code if processing else None
    if code:
        _shots(browser, app, f"/officer/dossiers/{code}", "officer-draft", "specialist", "#result-draft")
    _shots(browser, app, "/officer", "inbox", "receiver", "h1")

    # counter: a person unknown to the registry
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=app.url)
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    sign_in_as(page, ACCOUNTS["receiver"], "/officer/counter")
    page.goto("/officer/counter")
    page.locator("#counter-national-id").fill("079301012345")
    page.locator("#counter-look-up").click()
    expect(page.locator("#counter-not-found")).to_be_visible()
    page.locator("#counter-manual").click()
    expect(page.locator("#counter-manual-notice")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "fees-counter-manual-vi-1440.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "fees-counter-manual-vi-360.png"), full_page=True)
    ctx.close()

    # admin: the certified-copy schedule as form fields, not JSON
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=app.url)
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    sign_in_as(page, ACCOUNTS["admin"], "/admin/procedures")
    page.goto("/admin/procedures")
    page.locator("#edit-2-000815").click()
    expect(page.locator("#p-fee-tiers")).to_have_value("1 = 2000\n3 = 1000")
    expect(page.locator("#p-fee-cap")).to_have_value("200000")
    page.screenshot(path=str(SCREENSHOTS / "fees-admin-schedule-vi-1440.png"))
    ctx.close()
