"""The administrator builds a procedure's form without JSON: live preview, refused bad rows, save, citizen sees it."""

from __future__ import annotations

from .conftest import SCREENSHOTS, RunningApp, sign_in


def test_admin_builds_a_form_and_the_citizen_form_shows_it(page, app: RunningApp) -> None:
    sign_in(page, "admin")
    page.goto("/admin/form-builder?code=1.004873")
    page.locator("#builder-preview").get_by_text("Mục đích sử dụng").wait_for()
    before = page.locator(".builder-field").count()
    page.locator("#builder-add-field").click()
    new = page.locator(".builder-field").nth(before)
    new.get_by_placeholder("Nhãn tiếng Việt").fill("Nơi sử dụng giấy")
    new.get_by_placeholder("Nhãn tiếng Anh").fill("Where it will be used")
    page.locator("#builder-preview").get_by_text("Nơi sử dụng giấy").wait_for()  # live preview, citizen renderer
    new.locator("select").first.select_option("select")  # a choice list with no options cannot be rendered
    page.locator("#builder-error").get_by_text("ít nhất một lựa chọn").wait_for()
    assert page.locator("#builder-save").is_disabled()
    new.locator("textarea").fill("trong_nuoc | Trong nước | In Vietnam\nnuoc_ngoai | Nước ngoài | Abroad")
    page.locator("#builder-preview").get_by_text("Nước ngoài").wait_for()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "form-builder.png"), full_page=True)
    page.locator("#builder-save").click()
    page.locator("#builder-done").wait_for()
    version = app.scalar("SELECT max(version) FROM procedure WHERE code = '1.004873' AND is_current")
    assert version == 2
    schema = app.scalar("SELECT form_schema FROM procedure WHERE code = '1.004873' AND is_current")
    assert "noi_su_dung_giay" in str(schema) and "nuoc_ngoai" in str(schema)
