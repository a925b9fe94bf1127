"""The quality dashboard in a real browser on the seeded demo data: index, drill-down, downloads, public page.

Screenshots at 1440 px and 390 px in both languages go to screenshots/ (looked at by a person, not compared).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import RunningApp, sign_in

#: The whole board is computed on load (seconds on a shared 2-core machine, see bench/README.md "Dashboard").
LOAD = 60_000

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _english(page) -> None:  # noqa: ANN001
    page.evaluate("localStorage.setItem('lang', 'en')")
    page.reload()


def test_leader_reads_the_index_and_opens_the_overdue_list(page, app: RunningApp) -> None:
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, "leader")
    page.goto("/dashboard")
    expect(page.locator("#dash-total")).to_be_visible(timeout=LOAD)
    expect(page.get_by_role("heading", name="Chỉ số chất lượng phục vụ")).to_be_visible()
    expect(page.locator("#dash-total")).to_have_text(re.compile(r"^\d+,\d\d$"))
    expect(page.locator("#rate-on-time")).to_contain_text("%")
    expect(page.get_by_role("heading", name="Thành phần chỉ số: tử số, mẫu số, điểm")).to_be_visible()
    expect(page.locator(".recharts-surface").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "dashboard-vi-1440.png"), full_page=True)
    overdue = page.locator("#dash-overdue").inner_text()
    shown = int(re.search(r"\d+", overdue).group())
    page.locator("#dash-overdue").click()
    page.wait_for_url(re.compile(r"/dashboard/dossiers\?metric=overdue"))
    expect(page.locator("#drill-total")).to_have_text(str(shown), timeout=LOAD)
    expect(page.locator("tbody tr")).to_have_count(min(shown, 50))
    page.screenshot(path=str(SHOTS / "dashboard-drill-vi-1440.png"), full_page=True)
    page.go_back()
    _english(page)
    expect(page.get_by_role("heading", name="Service-quality index")).to_be_visible(timeout=LOAD)
    expect(page.locator("#dash-total")).to_have_text(re.compile(r"^\d+\.\d\d$"))
    page.screenshot(path=str(SHOTS / "dashboard-en-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "dashboard-en-390.png"), full_page=True)
    page.evaluate("localStorage.setItem('lang', 'vi')")
    page.reload()
    expect(page.locator("#dash-total")).to_be_visible(timeout=LOAD)
    page.screenshot(path=str(SHOTS / "dashboard-vi-390.png"), full_page=True)


def test_download_holds_the_screen_numbers(page, app: RunningApp) -> None:
    sign_in(page, "leader")
    page.goto("/dashboard")
    expect(page.locator("#dash-total")).to_be_visible(timeout=LOAD)  # the whole board loads on a shared CPU
    link = page.get_by_role("link", name="Tải CSV").first
    href = link.get_attribute("href")
    assert href and href.startswith("/api/v1/dashboard/export/index.csv?") and href.endswith("&lang=vi")
    got = page.request.get(href)  # the browser context's own session cookie
    assert got.status == 200 and got.headers["content-disposition"].startswith("attachment")
    text = got.body().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Thành phần,Nhóm,Tử số,Mẫu số")


def test_public_summary_needs_no_sign_in(page, app: RunningApp) -> None:
    page.goto("/quality")
    expect(page.get_by_role("heading", name="Chất lượng phục vụ người dân của tỉnh")).to_be_visible()
    expect(page.locator("#public-total")).to_contain_text(",", timeout=LOAD)
    expect(page.locator("#public-on-time")).to_contain_text("%")
    page.screenshot(path=str(SHOTS / "quality-vi-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    _english(page)
    expect(page.get_by_role("heading", name="How well the province serves its people")).to_be_visible()
    page.screenshot(path=str(SHOTS / "quality-en-390.png"), full_page=True)
