"""The administrator imports a catalog file through the page: preview, row errors, apply, re-import = no change."""

from __future__ import annotations

from playwright.sync_api import expect

from onestop.demo.catalog_file import catalog_rows, to_csv, to_xlsx

from .conftest import SCREENSHOTS, RunningApp, sign_in


def _upload(page, name: str, data: bytes, mime: str) -> None:  # noqa: ANN001
    page.locator("#catalog-file input[type=file]").set_input_files({"name": name, "mimeType": mime, "buffer": data})


def test_admin_previews_applies_and_reimports(page, app: RunningApp) -> None:
    sign_in(page, "admin")
    page.goto("/admin/catalog-import")
    page.get_by_role("heading", name="Nhập danh mục thủ tục").wait_for()

    bad = catalog_rows(20)
    bad[4][6] = "sớm nhất"  # unreadable processing time on sheet row 5
    _upload(page, "loi.csv", to_csv(bad), "text/csv")
    page.locator("#import-errors").wait_for()
    errors = page.locator("#import-errors").inner_text()
    assert "5" in errors and "Thời hạn giải quyết trực tiếp" in errors and "Không đọc được thời hạn" in errors
    assert page.locator("#import-apply").count() == 0

    xlsx = to_xlsx(catalog_rows(30))
    _upload(page, "tinh.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    # the first file's preview (with its "added" list) is still on screen until this one replaces it
    expect(page.locator("#import-summary")).to_contain_text("17 thêm mới", timeout=30_000)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "catalog-import-preview.png"))
    page.locator("#import-apply").click()
    page.get_by_text("Đã áp dụng").wait_for()
    assert app.scalar("SELECT count(*) FROM procedure WHERE is_current AND code LIKE 'SIM-%'") == 17
    assert app.scalar("SELECT count(*) FROM catalog_event WHERE action = 'import'") == 1

    _upload(page, "tinh-lan-2.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    page.get_by_text("0 thêm mới, 0 thay đổi (phiên bản mới), 0 bãi bỏ, 30 không đổi").wait_for()
    assert page.locator("#import-apply").count() == 0
