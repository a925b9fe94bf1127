"""Queue numbers end to end: a phone takes a number, an officer calls it, the hall display and the phone show it.

Three browser contexts against the production build: a 360 px phone (no account),
the officer's desktop, and the 1920×1080 hall TV. Screenshots of the display, the
kiosk slip and the phone ticket page in Vietnamese and English go to screenshots/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, sign_in

NEWEST_STATUS = "SELECT status FROM queue_ticket WHERE number = ? ORDER BY id DESC LIMIT 1"
PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _context(browser, app, lang: str = "vi", **kw):  # noqa: ANN001, ANN003, ANN202
    context = browser.new_context(base_url=app.url, **kw)
    context.set_default_timeout(20_000)
    context.add_init_script(f"window.localStorage.setItem('lang', '{lang}')")
    return context


def _shot(page, name: str) -> None:  # noqa: ANN001
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"queue-{name}.png"))


def _take_number(page, field_label: str) -> str:  # noqa: ANN001
    page.goto("/ticket?center=X01")
    page.get_by_role("button", name=field_label).click()
    page.locator("#take-number").click()
    page.wait_for_url(re.compile(r"/ticket/?\?t="))
    expect(page.locator("#ticket-number")).to_have_text(re.compile(r"^\d{3}$"))
    return page.locator("#ticket-number").inner_text()


@pytest.mark.e2e
def test_phone_number_is_called_and_shown_on_display_and_phone(browser, app):  # noqa: ANN001
    phone_ctx = _context(browser, app, **PHONE)
    tv_ctx = _context(browser, app, viewport={"width": 1920, "height": 1080})
    desk_ctx = _context(browser, app, viewport={"width": 1440, "height": 900})
    try:
        phone = phone_ctx.new_page()
        number = _take_number(phone, "Đất đai")
        expect(phone.locator("#ticket-ahead")).to_have_text("0")
        # the newest ticket with this number: the demo's earlier days of queue history repeat the numbers
        assert app.scalar(NEWEST_STATUS, int(number)) == "waiting"
        _shot(phone, "ticket-360-vi-waiting")

        tv = tv_ctx.new_page()
        tv.goto("/display/X01")
        expect(tv.locator("#hall-display")).to_be_visible()

        desk = desk_ctx.new_page()
        sign_in(desk, "receiver")
        desk.goto("/officer/queue")
        counter_id = app.scalar(
            "SELECT c.id FROM counter c JOIN center x ON x.id = c.center_id WHERE x.code = 'X01' AND c.number = 3"
        )
        desk.locator("#counter-select").select_option(str(counter_id))
        desk.locator("#panel-call-next").click()
        expect(desk.locator("#panel-number")).to_have_text(number)

        # both the phone and the hall display show the call within seconds, without a reload
        expect(phone.locator("#ticket-called")).to_be_visible(timeout=10_000)
        expect(phone.locator("#ticket-counter")).to_have_text("3")
        expect(tv.locator("#display-number")).to_have_text(number, timeout=10_000)
        expect(tv.locator("#display-counter")).to_have_text("3")
        assert app.scalar(NEWEST_STATUS, int(number)) == "called"
        _shot(phone, "ticket-360-vi-called")
        tv.wait_for_timeout(2600)  # let the new-call flash finish
        _shot(tv, "display-1920-vi")

        desk.locator("#panel-start").click()
        desk.locator("#panel-finish").click()
        expect(desk.locator("#panel-served")).to_have_text("1")
        expect(phone.get_by_text("Đã phục vụ xong", exact=False)).to_be_visible(timeout=10_000)
    finally:
        for ctx in (phone_ctx, tv_ctx, desk_ctx):
            ctx.close()


@pytest.mark.e2e
def test_english_pages_kiosk_slip_and_poster(browser, app):  # noqa: ANN001
    phone_ctx = _context(browser, app, lang="en", **PHONE)
    kiosk_ctx = _context(browser, app, viewport={"width": 1080, "height": 1920})
    kiosk_en_ctx = _context(browser, app, lang="en", viewport={"width": 1080, "height": 1920})
    tv_ctx = _context(browser, app, lang="en", viewport={"width": 1920, "height": 1080})
    try:
        phone = phone_ctx.new_page()
        _take_number(phone, "Civil status")
        expect(phone.get_by_text("People ahead of you", exact=False)).to_be_visible()
        _shot(phone, "ticket-360-en-waiting")

        for ctx, lang, field in ((kiosk_ctx, "vi", "Hộ tịch"), (kiosk_en_ctx, "en", "Land")):
            kiosk = ctx.new_page()
            kiosk.goto("/kiosk/X01")
            expect(kiosk.get_by_role("button", name=field, exact=True)).to_be_visible()
            _shot(kiosk, f"kiosk-{lang}-choose")
            kiosk.get_by_role("button", name=field, exact=True).click()
            expect(kiosk.locator("#slip-number")).to_have_text(re.compile(r"^\d{3}$"))
            token = app.scalar("SELECT token FROM queue_ticket WHERE holder = 'kiosk' ORDER BY id DESC LIMIT 1")
            assert token and len(token) >= 16
            kiosk.locator("#slip").screenshot(path=str(SCREENSHOTS / f"queue-kiosk-slip-{lang}.png"))
            _shot(kiosk, f"kiosk-{lang}-slip")

        tv = tv_ctx.new_page()
        tv.goto("/display/X01")
        expect(tv.get_by_text("Waiting", exact=False)).to_be_visible()
        expect(tv.locator("#display-number")).to_have_text(re.compile(r"^\d{3}$"))
        _shot(tv, "display-1920-en")

        poster = kiosk_ctx.new_page()
        poster.goto("/qr/X01")
        expect(poster.locator("#poster-qr")).to_be_visible()
        _shot(poster, "poster-vi")
    finally:
        for ctx in (phone_ctx, kiosk_ctx, kiosk_en_ctx, tv_ctx):
            ctx.close()


@pytest.mark.e2e
def test_leader_allows_picking_at_a_counter_and_the_receiver_picks_a_number(browser, app):  # noqa: ANN001
    lead_ctx = _context(browser, app, viewport={"width": 1440, "height": 900})
    desk_ctx = _context(browser, app, viewport={"width": 1440, "height": 900})
    phone_ctx = _context(browser, app, **PHONE)
    counter_id = app.scalar(
        "SELECT c.id FROM counter c JOIN center x ON x.id = c.center_id WHERE x.code = 'X01' AND c.number = 3"
    )
    try:
        phone = phone_ctx.new_page()
        first = _take_number(phone, "Đất đai")
        second = _take_number(phone, "Đất đai")

        desk = desk_ctx.new_page()
        sign_in(desk, "receiver")
        desk.goto("/officer/queue")
        desk.locator("#counter-select").select_option(str(counter_id))
        expect(desk.locator("#panel-waiting-here")).not_to_have_text("0")
        expect(desk.locator("#panel-pick-list")).to_have_count(0)  # a counter calls in order until a leader allows

        lead = lead_ctx.new_page()
        sign_in(lead, "leader")
        lead.goto("/officer/queue")
        box = lead.locator(f"#policy-pick-{counter_id}")
        expect(box).to_have_attribute("aria-checked", "false")
        box.click()
        lead.locator("#policy-save").click()
        expect(lead.get_by_text("Đã lưu.")).to_be_visible()
        expect(lead.locator(f"#policy-pick-{counter_id}")).to_have_attribute("aria-checked", "true")
        assert str(counter_id) in str(app.scalar("SELECT pick_counter_ids FROM queue_policy"))

        # the receiver's panel shows the list on its next poll; the later number is called out of turn
        expect(desk.locator("#panel-pick-list")).to_be_visible(timeout=15_000)
        expect(desk.locator(f"#pick-{first}")).to_be_visible()
        _shot(desk, "panel-pick-vi")
        desk.locator(f"#pick-{second}").click()
        expect(desk.locator("#panel-number")).to_have_text(second)
        expect(desk.locator(f"#pick-{second}")).to_have_count(0)
        assert app.scalar(NEWEST_STATUS, int(second)) == "called"
        assert app.scalar(NEWEST_STATUS, int(first)) == "waiting"

        lead.locator(f"#policy-pick-{counter_id}").click()  # allowed no longer: the list goes away
        lead.locator("#policy-save").click()
        expect(lead.locator(f"#policy-pick-{counter_id}")).to_have_attribute("aria-checked", "false")
        expect(desk.locator("#panel-pick-list")).to_have_count(0, timeout=15_000)
    finally:
        for ctx in (lead_ctx, desk_ctx, phone_ctx):
            ctx.close()
