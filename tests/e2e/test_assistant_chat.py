"""The assistant's chat panel on a 360 px phone, in Vietnamese and English (screenshots/assistant-*.png)."""

from __future__ import annotations

from .conftest import SCREENSHOTS, RunningApp


def _phone(browser, app: RunningApp):  # noqa: ANN001, ANN202 - playwright types
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, device_scale_factor=2, base_url=app.url
    )
    ctx.set_default_timeout(20_000)
    return ctx


def test_chat_answers_in_vietnamese_and_english_at_360px(browser, app: RunningApp) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    ctx = _phone(browser, app)
    page = ctx.new_page()
    page.goto("/procedures")
    page.locator("#assistant-open").click()
    panel = page.locator("#assistant-panel")
    panel.get_by_text("Đăng ký khai sinh cần giấy tờ gì?").wait_for()
    page.locator("#assistant-question").fill("lam giay khai sinh can giay to gi")
    page.locator("#assistant-question").press("Enter")
    panel.locator(".assistant-answer").first.wait_for()
    answer = panel.locator(".assistant-answer").first.inner_text()
    assert "Đăng ký khai sinh" in answer and "Giấy chứng sinh" in answer
    link = panel.locator("a.assistant-link").first
    assert link.get_attribute("href") == "/apply/1.001193"
    box = panel.bounding_box()
    assert box is not None and box["width"] <= 360 and box["x"] >= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "assistant-vi-360.png"))

    page.locator("#assistant-question").fill("thời tiết hôm nay thế nào")
    page.locator("#assistant-question").press("Enter")
    panel.get_by_text("Chưa có câu trả lời").wait_for()
    assert "đường dây nóng" in panel.locator(".assistant-answer").last.inner_text()

    # English: switch the language, the panel keeps its place and answers in English
    page.get_by_role("button", name="English").first.click()
    panel.get_by_text("Virtual assistant").wait_for()
    page.locator("#assistant-question").fill("How much does a criminal record certificate cost?")
    page.locator("#assistant-question").press("Enter")
    page.wait_for_function("document.querySelectorAll('#assistant-panel .assistant-answer').length >= 3")
    last = panel.locator(".assistant-answer").last.inner_text()
    assert "Fee: 200,000 VND" in last
    panel.locator(".assistant-answer").last.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "assistant-en-360.png"))
    ctx.close()


def test_chat_is_offered_on_the_home_page_and_closes(browser, app: RunningApp) -> None:
    ctx = _phone(browser, app)
    page = ctx.new_page()
    page.goto("/")
    page.locator("#assistant-open").click()
    page.locator("#assistant-panel").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "assistant-open-vi-360.png"))
    page.get_by_role("button", name="Đóng trợ lý ảo").click()
    page.locator("#assistant-open").wait_for()
    ctx.close()
