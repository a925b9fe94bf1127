"""The offline field app in a real browser on a phone-sized screen.

The issue's done-when: a supporter signs in online once, captures three dossiers
with photos while offline, reloads the page still offline (the app shell comes
from the service worker, the outbox from IndexedDB), goes online, and all three
arrive exactly once with official codes. A second test keeps the server failing
for a while (route interception) and checks nothing is lost or doubled.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ACCOUNTS, PASSWORD, SCREENSHOTS, RunningApp

pytestmark = pytest.mark.e2e

PROC = "2.000815"  # certified copy from the original: the original photographed page by page
PHONE = {"width": 390, "height": 844}


def _photo(seed: int) -> bytes:
    """A camera-sized JPEG with some structure (the app compresses it on the device)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (2000, 1500), (240 - seed * 7 % 80, 235, 220))
    draw = ImageDraw.Draw(img)
    for i in range(0, 2000, 40):
        draw.line([(i, 0), (2000 - i, 1500)], fill=(seed * 37 % 255, 60, 120), width=3)
    draw.text((100, 100), f"BAN CHINH {seed}", fill=(0, 0, 0))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def _field_page(browser, app: RunningApp) -> tuple:  # noqa: ANN001
    context = browser.new_context(
        viewport=PHONE,
        base_url=app.url,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        service_workers="allow",
    )
    context.set_default_timeout(30_000)
    return context, context.new_page()


def _sign_in(page: Page) -> None:
    page.goto("/field/")
    page.locator("input[name=login]").fill(ACCOUNTS["supporter"])
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("#tab-outbox")).to_be_visible()
    expect(page.locator("button.person").first).to_be_visible()
    # the shell is cached before we go offline
    assert page.evaluate("() => navigator.serviceWorker.ready.then(r => !!r.active)")


def _sign(page: Page) -> None:
    page.locator("#signature").scroll_into_view_if_needed()
    box = page.locator("#signature").bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 120)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + 30 + i * 22, y + 120 - (35 if i % 2 else -10), steps=3)
    page.mouse.up()


def _capture(page: Page, index: int, seed: int, shot: str | None = None) -> str:
    """One dossier for the index-th planned visit; returns the provisional code on the receipt."""
    page.locator("button.person").nth(index).click()
    page.locator("#proc-search").fill(PROC)
    page.locator("button.proc").first.click()
    page.locator("#f-document_title").fill("Bằng tốt nghiệp trung học phổ thông")
    page.locator("#f-pages").fill("2")
    page.locator("#f-copies").fill("3")
    page.locator("#f-declaration").check()
    page.locator('input[data-doc="original_scan"]').set_input_files(
        [
            {"name": f"trang-{seed}-1.jpg", "mimeType": "image/jpeg", "buffer": _photo(seed)},
            {"name": f"trang-{seed}-2.jpg", "mimeType": "image/jpeg", "buffer": _photo(seed + 50)},
        ]
    )
    expect(page.locator(".thumbs img")).to_have_count(2)
    _sign(page)
    if shot:  # what the volunteer sees: the photos and the signature, just before saving
        page.locator(".doc").last.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / shot))
    page.locator("#save-btn").click()
    code = page.locator("#receipt-code")
    expect(code).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    return code.inner_text()


def _field_dossiers(app: RunningApp, codes: list[str]) -> list[tuple]:
    marks = ",".join("?" * len(codes))
    return app.query(
        f"SELECT provisional_code, code, channel, status, captured_at, submitted_at FROM dossier "
        f"WHERE provisional_code IN ({marks}) ORDER BY id",
        *codes,
    )


def test_offline_capture_reload_then_online_sync_exactly_once(browser, app: RunningApp):  # noqa: ANN001
    SCREENSHOTS.mkdir(exist_ok=True)
    context, page = _field_page(browser, app)
    try:
        _sign_in(page)
        context.set_offline(True)
        expect(page.locator("#net")).to_have_class(re.compile("off"))
        codes = []
        for i in range(3):
            codes.append(_capture(page, i, seed=i + 1, shot="field-capture-390.png" if i == 0 else None))
            if i == 0:
                page.screenshot(path=str(SCREENSHOTS / "field-receipt-390.png"))
            page.locator("#new-capture").click()
        assert len(set(codes)) == 3
        assert _field_dossiers(app, codes) == []  # nothing reached the server while offline

        page.reload()  # still offline: the shell from the service worker, the outbox from IndexedDB
        expect(page.locator("#pending-count")).to_have_text("3", timeout=15_000)
        page.locator("#tab-outbox").click()
        expect(page.locator('#outbox [data-state="queued"]')).to_have_count(3)
        page.screenshot(path=str(SCREENSHOTS / "field-outbox-offline-390.png"))

        context.set_offline(False)  # the `online` event starts the sync by itself
        expect(page.locator('#outbox [data-state="sent"]')).to_have_count(3, timeout=60_000)
        page.screenshot(path=str(SCREENSHOTS / "field-outbox-390.png"))

        rows = _field_dossiers(app, codes)
        assert sorted(r[0] for r in rows) == sorted(codes)  # each exactly once
        assert all(r[2] == "field" and r[3] == 1 and r[4] and r[5] for r in rows)
        shown = set(page.locator(".official-code").all_inner_texts())
        assert shown == {r[1] for r in rows} and all(re.fullmatch(r"X01-\d{6}-\d{4,}", c) for c in shown)
        photos = app.scalar(
            "SELECT count(*) FROM attachment a JOIN dossier d ON d.id = a.dossier_id "
            f"WHERE d.provisional_code IN ({','.join('?' * 3)})",
            *codes,
        )
        assert photos == 6
        # pressing the button again sends nothing twice
        page.locator("#sync-btn").click()
        expect(page.locator("#sync-text")).to_be_visible()
        assert len(_field_dossiers(app, codes)) == 3
    finally:
        context.close()


def test_server_errors_keep_the_item_queued_then_it_arrives_once(browser, app: RunningApp):  # noqa: ANN001
    context, page = _field_page(browser, app)
    failures = {"n": 0}

    def fail(route) -> None:  # noqa: ANN001
        failures["n"] += 1
        route.fulfill(status=503, content_type="application/json", body="{}")

    try:
        _sign_in(page)
        context.route("**/api/v1/field/dossiers", fail)
        code = _capture(page, 0, seed=9)
        page.locator("#tab-outbox").click()
        expect(page.locator("#sync-text")).to_contain_text("thử lại")
        expect(page.locator('#outbox [data-state="queued"]')).to_have_count(1)
        page.locator("#sync-btn").click()  # still failing: still queued, nothing lost
        for _ in range(100):
            if failures["n"] >= 2:
                break
            page.wait_for_timeout(100)
        assert failures["n"] >= 2
        expect(page.locator('#outbox [data-state="queued"]')).to_have_count(1)
        expect(page.locator("#outbox .meta").first).to_contain_text("đã thử")
        context.unroute("**/api/v1/field/dossiers")
        page.locator("#sync-btn").click()
        expect(page.locator('#outbox [data-state="sent"]')).to_have_count(1, timeout=30_000)
        assert len(_field_dossiers(app, [code])) == 1
        page.locator("button.lang").click()  # English on demand
        expect(page.locator("#tab-outbox")).to_contain_text("Outbox")
    finally:
        context.close()


def test_a_conditional_field_appears_when_its_choice_is_made(browser, app: RunningApp):  # noqa: ANN001
    """The PWA applies a field's condition live (shownFields, the JS twin of forms.shown_fields): "Country of use"
    only once "Abroad" is chosen, refused empty while shown, gone again on "In Vietnam"."""
    from tests.e2e.citizen_helpers import publish_country_condition

    publish_country_condition(app, PROC)
    context, page = _field_page(browser, app)
    _sign_in(page)
    page.locator("button.person").first.click()
    page.locator("#proc-search").fill(PROC)
    page.locator("button.proc").first.click()
    page.locator("#f-used_where").wait_for()
    expect(page.locator("#f-country_of_use")).to_be_hidden()
    page.locator("#f-used_where").select_option("abroad")
    expect(page.locator("#f-country_of_use")).to_be_visible()
    page.locator("#save-btn").click()  # shown and required: the device refuses it empty, as the server would
    expect(page.locator('[data-wrap="country_of_use"] .error')).to_be_visible()
    page.locator('[data-wrap="country_of_use"]').scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "field-app-condition-vi.png"))
    page.locator("#f-used_where").select_option("vn")
    expect(page.locator("#f-country_of_use")).to_be_hidden()
    context.close()
