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


def test_admin_adds_a_procedure_without_json_and_a_citizen_files_it(browser, page, app: RunningApp) -> None:
    import re

    from playwright.sync_api import expect

    from tests.e2e.citizen_helpers import sign_in_citizen

    sign_in(page, "admin")
    page.goto("/admin/procedures")
    page.locator("#new-procedure").click()
    page.get_by_role("heading", name="Thêm thủ tục mới").wait_for()
    # the starter rows arrive with the page's load (read off the event loop): count them once they are there
    page.locator("#builder-preview").get_by_text("Nội dung yêu cầu").wait_for()
    starter = page.locator(".builder-field").count()
    page.locator("#builder-add-field").click()
    new = page.locator(".builder-field").nth(starter)
    new.get_by_placeholder("Nhãn tiếng Việt").fill("Loại vật nuôi")
    new.get_by_placeholder("Nhãn tiếng Anh").fill("Kind of animal")
    new.locator("select").first.select_option("select")
    new.locator("textarea").fill("cho | Chó | Dog\nmeo | Mèo | Cat")
    page.locator("#builder-add-doc").click()
    doc = page.locator(".builder-doc").last
    doc.get_by_placeholder("Nhãn tiếng Việt").fill("Giấy tiêm phòng (nếu có)")
    doc.get_by_placeholder("Nhãn tiếng Anh").fill("Vaccination record (if any)")
    doc.get_by_text("Bắt buộc").click()  # optional document
    page.locator("#builder-preview").get_by_text("Mèo").wait_for()
    page.locator("#n-code").fill("SIM-NEW-1")
    page.locator("#n-name_vi").fill("Đăng ký nuôi vật nuôi (thử nghiệm)")
    page.locator("#n-name_en").fill("Pet registration (test)")
    page.locator("#n-field").select_option("civil_status")
    page.locator("#builder-create").click()
    page.wait_for_url(re.compile(r"code=SIM-NEW-1"))
    assert app.scalar("SELECT count(*) FROM procedure WHERE code = 'SIM-NEW-1' AND is_current") == 1

    ctx = browser.new_context(viewport={"width": 360, "height": 740}, base_url=app.url)
    citizen = ctx.new_page()
    sign_in_citizen(citizen, "/apply/SIM-NEW-1")
    expect(citizen.locator("#step-title")).to_have_text("Thông tin người nộp")
    citizen.locator("#next-step").click()
    citizen.locator("#f-request_details").fill("Đăng ký một con chó tên Mực")
    citizen.get_by_text("Chó", exact=True).click()
    for _ in range(4):
        if citizen.locator("#submit-dossier").is_visible():
            break
        citizen.locator("#next-step").click()
        citizen.wait_for_timeout(500)
    citizen.locator("label[for=f-declaration]").click()
    citizen.locator("#submit-dossier").click()
    expect(citizen).to_have_url(re.compile(r"/done/?$"))
    assert app.scalar("SELECT count(*) FROM dossier WHERE procedure_code = 'SIM-NEW-1'") == 1
    ctx.close()


def test_admin_adds_a_condition_and_the_citizen_sees_the_field_appear(browser, page, app: RunningApp) -> None:
    """ "Country of use" only when "Used where" is "Abroad": picked in the builder (no JSON), live at the citizen's."""
    from playwright.sync_api import expect

    from tests.e2e.citizen_helpers import sign_in_citizen

    sign_in(page, "admin")
    page.goto("/admin/form-builder?code=1.004873")
    page.locator("#builder-preview").get_by_text("Mục đích sử dụng").wait_for()
    before = page.locator(".builder-field").count()
    page.locator("#builder-add-field").click()
    choice = page.locator(".builder-field").nth(before)
    choice.get_by_placeholder("Nhãn tiếng Việt").fill("Giấy dùng ở đâu")
    choice.get_by_placeholder("Nhãn tiếng Anh").fill("Used where")
    choice.locator("select").first.select_option("select")
    choice.locator("textarea").fill("vn | Trong nước | In Vietnam\nabroad | Nước ngoài | Abroad")
    page.locator("#builder-add-field").click()
    country = page.locator(".builder-field").nth(before + 1)
    country.get_by_placeholder("Nhãn tiếng Việt").fill("Tên nước sử dụng")
    country.get_by_placeholder("Nhãn tiếng Anh").fill("Country of use")
    page.locator(f"#b-showif-{before + 1}").select_option(str(before + 1))  # the field: row "Used where"
    page.locator("#builder-error").get_by_text("chọn giá trị của «Giấy dùng ở đâu»").wait_for()
    page.locator(f"#b-showif-value-{before + 1}").get_by_role("checkbox", name="Nước ngoài").click()  # "Abroad"
    note = page.locator("#builder-preview .builder-preview-condition")
    expect(note).to_have_text("Chỉ hiện khi «Giấy dùng ở đâu» là «Nước ngoài»")
    expect(page.locator("#builder-error")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "form-builder-condition.png"), full_page=True)
    page.locator("#builder-save").click()
    page.locator("#builder-done").wait_for()
    schema = app.scalar("SELECT form_schema FROM procedure WHERE code = '1.004873' AND is_current")
    assert "'show_if': {'field': 'giay_dung_o_dau', 'equals': 'abroad'}" in str(schema) or (
        '"show_if": {"field": "giay_dung_o_dau", "equals": "abroad"}' in str(schema)
    )

    SCREENSHOTS.mkdir(exist_ok=True)
    for lang, abroad, home in (("vi", "Nước ngoài", "Trong nước"), ("en", "Abroad", "In Vietnam")):
        ctx = browser.new_context(viewport={"width": 360, "height": 740}, base_url=app.url)
        ctx.add_init_script(f"window.localStorage.setItem('lang', '{lang}')")
        citizen = ctx.new_page()
        sign_in_citizen(citizen, "/apply/1.004873")
        citizen.locator("#next-step").click()
        citizen.locator("#f-giay_dung_o_dau").wait_for()
        expect(citizen.locator("#f-ten_nuoc_su_dung")).to_have_count(0)  # not asked until "Abroad" is chosen
        citizen.locator("#f-giay_dung_o_dau").get_by_text(abroad, exact=True).click()
        expect(citizen.locator("#f-ten_nuoc_su_dung")).to_be_visible()
        citizen.screenshot(path=str(SCREENSHOTS / f"apply-condition-{lang}-360.png"), full_page=True)
        citizen.locator("#f-giay_dung_o_dau").get_by_text(home, exact=True).click()
        expect(citizen.locator("#f-ten_nuoc_su_dung")).to_have_count(0)
        ctx.close()
