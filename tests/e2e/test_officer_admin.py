"""Administration in a real browser: a procedure edit publishes a new version (open dossiers keep
theirs), a counter is added, an account is created, and a calendar override is added and removed."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, RunningApp, sign_in

pytestmark = pytest.mark.e2e


def test_procedure_edit_publishes_a_new_version(page, app: RunningApp) -> None:
    sign_in(page, "admin")
    page.goto("/admin/procedures")
    code = "1.004873"  # marital status certificate
    before = int(app.scalar("SELECT version FROM procedure WHERE code = ? AND is_current = TRUE", code))
    open_ids = app.query(
        "SELECT d.id, d.procedure_id FROM dossier d JOIN procedure p ON p.id = d.procedure_id "
        "WHERE p.code = ? AND d.status IN (1, 2, 4, 5, 6, 9)",
        code,
    )
    page.locator("#edit-1-004873").click()
    expect(page.locator("#p-duration")).to_have_value("3")
    page.locator("#p-duration").fill("4")
    page.locator("#procedure-save").click()
    expect(page.locator("#procedure-done")).to_contain_text(f"phiên bản {before + 1}")
    assert int(app.scalar("SELECT version FROM procedure WHERE code = ? AND is_current = TRUE", code)) == before + 1
    old = app.scalar("SELECT duration_counter FROM procedure WHERE code = ? AND version = ?", code, before)
    assert json.loads(str(old)) == {"value": 3, "unit": "working_days"}
    for dossier_id, procedure_id in open_ids:  # open dossiers keep the version they were received under
        assert app.scalar("SELECT procedure_id FROM dossier WHERE id = ?", dossier_id) == procedure_id
    if open_ids:
        expect(page.locator("#procedures-table tr", has_text=code)).to_contain_text("phiên bản cũ")


def test_counters_accounts_and_calendar(page, app: RunningApp) -> None:
    sign_in(page, "admin")
    page.goto("/admin/centers")
    page.locator("#add-counter-X01").click()
    page.locator("#k-number").fill("7")
    page.locator("#k-name").fill("Quầy 7 — Tư pháp")
    page.locator("#k-fields").fill("civil_status, judicial")
    page.locator("#counter-save").click()
    expect(page.get_by_text("Quầy 7 — Tư pháp")).to_be_visible()
    assert (
        app.scalar(
            "SELECT count(*) FROM counter c JOIN center x ON x.id = c.center_id WHERE x.code = 'X01' AND c.number = 7"
        )
        == 1
    )
    page.screenshot(path=str(SCREENSHOTS / "admin-centers-1440.png"))

    page.goto("/admin/users")
    page.locator("#add-user").click()
    page.locator("#u-name").fill("Trịnh Thu Hà")
    page.locator("#u-phone").fill("0912345670")
    page.locator("#u-role").select_option("receiver")
    center_id = str(app.scalar("SELECT id FROM center WHERE code = 'X01'"))
    page.locator("#u-center").select_option(center_id)
    page.locator("#u-password").fill("short")
    page.locator("#user-save").click()
    expect(page.locator("#user-error")).to_contain_text("10 ký tự")  # the password policy of issue 17
    page.locator("#u-password").fill("Cau-tre-xanh-7")
    page.locator("#user-save").click()
    expect(page.locator("#user-done")).to_contain_text("Trịnh Thu Hà")
    assert app.scalar("SELECT role FROM app_user WHERE phone = '0912345670'") == "receiver"

    page.goto("/admin/calendar")
    expect(page.locator("#calendar-table")).to_contain_text("Tết")
    page.locator("#cal-day").fill("2026-12-31")
    page.locator("#cal-kind").select_option("day_off")
    page.locator("#cal-name").fill("Nghỉ bù Tết Dương lịch")
    page.locator("#cal-add").click()
    expect(page.locator("#calendar-table")).to_contain_text("Nghỉ bù Tết Dương lịch")
    assert app.scalar("SELECT kind FROM calendar_override WHERE day = '2026-12-31'") == "day_off"
    page.screenshot(path=str(SCREENSHOTS / "admin-calendar-1440.png"))
    page.locator("#remove-2026-12-31").click()
    expect(page.locator("#calendar-table")).not_to_contain_text("Nghỉ bù Tết Dương lịch")
    assert app.scalar("SELECT count(*) FROM calendar_override WHERE day = '2026-12-31'") == 0


def test_officers_cannot_open_admin_pages(page) -> None:
    sign_in(page, "leader")
    page.goto("/admin/users")
    expect(page.locator("#not-allowed")).to_be_visible()
    expect(page.locator("#users-table")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/admin/users"))
