"""The app shell in a real browser: language, sign-in per role, guards, landing pages with real data.

Each check reads the seeded database directly and looks for that data on the
page, so a page that renders but shows the wrong rows (or none) fails.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from onestop.domain.text import fold
from tests.e2e.conftest import ACCOUNTS, SCREENSHOTS, RunningApp, sign_in

pytestmark = pytest.mark.e2e

LANDING = {
    "citizen": "/my",
    "supporter": "/support",
    "receiver": "/officer",
    "specialist": "/officer",
    "leader": "/officer",
    "admin": "/admin",
}


def _path_is(path: str):  # noqa: ANN202
    return re.compile(rf"^https?://[^/]+{re.escape(path)}/?(\?.*)?$")


def _user_name(app: RunningApp, role: str) -> str:
    return str(app.scalar("SELECT full_name FROM app_user WHERE phone = ?", ACCOUNTS[role]))


def _x01_count(app: RunningApp, statuses: tuple[int, ...]) -> int:
    marks = ",".join("?" * len(statuses))
    return int(
        app.scalar(
            f"SELECT count(*) FROM dossier d JOIN center c ON c.id = d.handling_center_id "
            f"WHERE c.code = 'X01' AND d.status IN ({marks})",
            *statuses,
        )
    )


# --------------------------------------------------------------------------- public pages and language


def test_home_renders_in_vietnamese_with_catalog_data(page, app: RunningApp) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Tra cứu và nộp hồ sơ thủ tục hành chính")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    most_used = app.scalar("SELECT name_vi FROM procedure WHERE is_current = TRUE ORDER BY popularity DESC, name_vi")
    expect(page.get_by_text(str(most_used), exact=True).first).to_be_visible()


def test_language_toggle_switches_to_english_and_persists(page) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Tra cứu và nộp hồ sơ thủ tục hành chính")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Find and file administrative procedures")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()
    expect(page.locator("h1")).to_have_text("Find and file administrative procedures")
    expect(page.get_by_role("button", name="Tiếng Việt")).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("h1")).to_have_text("Tra cứu và nộp hồ sơ thủ tục hành chính")


def test_procedures_lists_every_current_procedure_grouped_by_field(page, app: RunningApp) -> None:
    page.goto("/procedures")
    total = int(app.scalar("SELECT count(*) FROM procedure WHERE is_current = TRUE"))
    expect(page.get_by_text(f"{total} thủ tục", exact=True)).to_be_visible()
    for field_name, proc_name in app.query(
        "SELECT f.name_vi, p.name_vi FROM procedure p JOIN procedure_field f ON f.id = p.field_id "
        "WHERE p.is_current = TRUE ORDER BY p.id LIMIT 3"
    ):
        expect(page.get_by_role("heading", name=field_name)).to_be_visible()
        expect(page.get_by_text(proc_name, exact=True).first).to_be_visible()


def test_procedure_search_narrows_the_list_without_accents(page, app: RunningApp) -> None:
    page.goto("/")
    page.get_by_role("searchbox").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"/procedures/?\?q=dang(%20|\+)ky(%20|\+)khai(%20|\+)sinh"))
    words = fold("dang ky khai sinh").split()
    names = [
        (vi, f"{fold(vi)} {fold(en)} {code}")
        for vi, en, code in app.query("SELECT name_vi, name_en, code FROM procedure WHERE is_current = TRUE")
    ]
    matching = [vi for vi, haystack in names if all(w in haystack for w in words)]
    assert matching, "the demo catalog has birth registration"
    expect(page.get_by_text(re.compile(rf"«dang ky khai sinh»: {len(matching)} thủ tục"))).to_be_visible()
    expect(page.get_by_text(matching[0], exact=True).first).to_be_visible()


# --------------------------------------------------------------------------- sign-in and guards


@pytest.mark.parametrize("role", list(LANDING))
def test_each_role_lands_on_its_own_page(page, app: RunningApp, role: str) -> None:
    sign_in(page, role)
    expect(page).to_have_url(_path_is(LANDING[role]))
    expect(page.locator("header").get_by_text(_user_name(app, role)).first).to_be_visible()
    _expect_real_data(page, app, role)


def _expect_real_data(page, app: RunningApp, role: str) -> None:  # noqa: ANN001
    if role == "citizen":
        latest = app.scalar(
            "SELECT d.code FROM dossier d JOIN app_user u ON u.id IN (d.applicant_user_id, d.acting_user_id) "
            "WHERE u.phone = ? ORDER BY d.created_at DESC, d.id DESC",
            ACCOUNTS[role],
        )
        assert latest, "the seed gives the demo citizen dossiers"
        expect(page.get_by_text(str(latest), exact=True)).to_be_visible()
    elif role == "supporter":
        resident = app.scalar(
            "SELECT r.full_name FROM support_visit v JOIN resident r ON r.id = v.resident_id "
            "JOIN app_user u ON u.id = v.supporter_id WHERE u.phone = ? AND v.status = 'planned' "
            "ORDER BY v.planned_for, v.id",
            ACCOUNTS[role],
        )
        assert resident, "the seed plans visits for the demo supporter"
        expect(page.get_by_text(str(resident), exact=True).first).to_be_visible()
    elif role in ("receiver", "specialist", "leader"):
        expect(page.locator("#tab-to_receive")).to_contain_text(str(_x01_count(app, (1,))))
        expect(page.locator("#tab-open")).to_contain_text(
            str(
                app.scalar(  # the officer inbox's "all open" tab
                    "SELECT count(*) FROM dossier d JOIN center c ON c.id = d.handling_center_id "
                    "WHERE c.code = 'X01' AND d.status IN (2, 4, 5, 6, 9) AND d.due_at IS NOT NULL"
                )
            )
        )
        expect(page.locator("#tab-supplement")).to_contain_text(str(_x01_count(app, (5,))))
        expect(page.locator("#tab-results")).to_contain_text(str(_x01_count(app, (9,))))
        expect(page.get_by_text("Trung tâm Phục vụ hành chính công xã Hòa An").first).to_be_visible()
    elif role == "admin":
        total = int(app.scalar("SELECT count(*) FROM dossier"))
        centers = int(app.scalar("SELECT count(*) FROM center WHERE active = TRUE"))
        expect(page.get_by_text("Tổng số hồ sơ")).to_be_visible()
        expect(page.get_by_text(str(total), exact=True).first).to_be_visible()
        expect(page.get_by_text(str(centers), exact=True).first).to_be_visible()


def test_leader_sees_the_quality_dashboard(page, app: RunningApp) -> None:
    sign_in(page, "leader")
    page.goto("/dashboard")
    expect(page.get_by_role("heading", name="Chỉ số chất lượng phục vụ")).to_be_visible()
    expect(page.locator("#rate-on-time")).to_contain_text("%", timeout=60_000)  # the whole board loads first
    expect(page.locator("#rate-online")).to_contain_text("%")


def test_wrong_password_shows_a_clear_message(page) -> None:
    sign_in(page, "citizen", password="wrong-password")
    expect(page.locator("#login-error")).to_have_text("Số điện thoại/số định danh hoặc mật khẩu không đúng.")
    expect(page).to_have_url(_path_is("/login"))


def test_citizen_opening_officer_sees_not_allowed(page) -> None:
    sign_in(page, "citizen")
    page.goto("/officer")
    expect(page.locator("#not-allowed")).to_be_visible()
    expect(page.get_by_role("heading", name="Bạn không có quyền xem trang này")).to_be_visible()
    expect(page.locator("#tab-to_receive")).to_have_count(0)
    page.get_by_role("link", name="Về trang của tôi").click()
    expect(page).to_have_url(_path_is("/my"))


def test_anonymous_visitor_is_sent_to_login_and_back(page) -> None:
    page.goto("/officer")
    expect(page).to_have_url(re.compile(r"/login/?\?next=%2Fofficer"))
    page.locator("#login").fill(ACCOUNTS["receiver"])
    page.locator("#password").fill("Demo@2026")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(_path_is("/officer"))
    expect(page.locator("#tab-to_receive")).to_be_visible()


def test_a_shared_apply_link_says_what_it_is_before_any_javascript(browser, app: RunningApp) -> None:
    """The prerendered shell of /apply/<code> (onestop/ui/shells.py): words from the HTML alone, nothing private."""
    context = browser.new_context(java_script_enabled=False, base_url=app.url)
    try:
        page = context.new_page()
        page.goto("/apply/1.001193")
        expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
        expect(page.get_by_text("bạn cần đăng nhập bằng tài khoản công dân")).to_be_visible()
        assert page.url.endswith("/apply/1.001193")  # the real URL stays: React Router routes by it after hydration
    finally:
        context.close()


def test_a_visitor_on_an_apply_link_signs_in_there_and_comes_back(page) -> None:
    page.goto("/apply/1.001193")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    page.locator("#apply-sign-in").click()
    expect(page).to_have_url(re.compile(r"/login/?\?next=%2Fapply%2F1.001193"))
    page.locator("#login").fill(ACCOUNTS["citizen"])
    page.locator("#password").fill("Demo@2026")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(_path_is("/apply/1.001193"))
    expect(page.locator("#step-title")).to_be_visible()


def test_session_survives_reload_and_sign_out_ends_it(page, app: RunningApp) -> None:
    sign_in(page, "citizen")
    page.reload()
    expect(page).to_have_url(_path_is("/my"))
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    page.get_by_role("button", name=re.compile(_user_name(app, "citizen"))).click()
    page.get_by_role("menuitem", name="Đăng xuất").click()
    expect(page).to_have_url(_path_is("/"))
    page.goto("/my")
    expect(page).to_have_url(re.compile(r"/login/?\?next=%2Fmy"))
    revoked = app.scalar(
        "SELECT count(*) FROM auth_session s JOIN app_user u ON u.id = s.user_id "
        "WHERE u.phone = ? AND s.revoked_at IS NOT NULL",
        ACCOUNTS["citizen"],
    )
    assert int(revoked) >= 1


# --------------------------------------------------------------------------- API routes and static mount


def test_health_and_field_app_routes(page) -> None:
    health = page.request.get("/api/v1/health")
    assert health.status == 200
    assert json.loads(health.text()) == {"status": "ok", "database": "ok"}
    page.goto("/field")
    expect(page).to_have_url(re.compile(r"/field/$"))
    assert page.locator("html").get_attribute("lang") == "vi"


# --------------------------------------------------------------------------- look at it


SHOTS = [
    ("home", None, "/"),
    ("procedures", None, "/procedures"),
    ("login", None, "/login"),
    ("my", "citizen", "/my"),
    ("support", "supporter", "/support"),
    ("officer", "receiver", "/officer"),
    ("dashboard", "leader", "/dashboard"),
    ("admin", "admin", "/admin"),
]


@pytest.mark.parametrize(("width", "height"), [(360, 740), (390, 844), (1440, 900)])
def test_screenshots_and_no_sideways_scroll(browser, app: RunningApp, width: int, height: int) -> None:
    """Every landing page at phone and desktop size: saved for people to look at, and never wider
    than the screen (sideways scrolling loses elderly readers)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, role, path in SHOTS:
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=app.url)
        context.set_default_timeout(20_000)
        page = context.new_page()
        if role:
            sign_in(page, role)
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        expect(page.get_by_text("Đang tải…")).to_have_count(0)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        context.close()


# --------------------------------------------------------------------------- the lean Radix stylesheet


#: Class names Radix puts in the DOM but styles nowhere, not even in its full bundle.
_STYLELESS = {
    "rt-CalloutText",
    "rt-underline-none",
    "rt-DropdownMenuItem",  # menus are styled through their rt-BaseMenu* classes
    "rt-DropdownMenuViewport",
    "rt-DropdownMenuSeparator",
}
_RT_CLASSES = r"""() => [...new Set([...document.querySelectorAll('[class]')]
    .flatMap(e => [...e.classList]).filter(c => /^([a-z]+:)?rt-/.test(c)))]"""
_STYLED_CLASSES = r"""() => {
    const out = new Set();
    const walk = rules => { for (const r of rules) {
        if (r.selectorText) for (const m of r.selectorText.matchAll(/\.((?:[a-z]+\\:)?rt-[A-Za-z0-9-]+)/g))
            out.add(m[1].replace('\\:', ':'));
        if (r.cssRules) walk(r.cssRules);
    } };
    for (const s of document.styleSheets) walk(s.cssRules);
    return [...out];
}"""


@pytest.mark.parametrize("width", [390, 1440])
def test_every_radix_class_on_the_pages_has_its_css(browser, app: RunningApp, width: int) -> None:
    """onestop/ui/radix_css.py ships only part of Radix's CSS: a class the built pages use (a component, a
    size, a responsive utility) with no rule left would render unstyled. Landing pages, the apply form, the
    open phone menu and the assistant panel."""
    code = app.scalar("SELECT code FROM procedure WHERE is_current = TRUE ORDER BY popularity DESC, code")
    pages = [*((role, path) for _name, role, path in SHOTS), ("citizen", f"/apply/{code}")]
    for role, path in pages:
        context = browser.new_context(viewport={"width": width, "height": 900}, base_url=app.url)
        context.set_default_timeout(20_000)
        page = context.new_page()
        if role:
            sign_in(page, role)
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        expect(page.get_by_text("Đang tải…")).to_have_count(0)
        page.wait_for_load_state("networkidle")
        used = set(page.evaluate(_RT_CLASSES))
        if path == "/" and width == 390:
            page.get_by_role("button", name="Mở menu").click()
            expect(page.get_by_role("menu")).to_be_visible()
            used |= set(page.evaluate(_RT_CLASSES))
            page.keyboard.press("Escape")
            page.locator("#assistant-open").click()
            expect(page.locator("#assistant-panel")).to_be_visible()
            used |= set(page.evaluate(_RT_CLASSES))
        assert {"rt-Button", "rt-Text"} <= used, (path, sorted(used))
        unstyled = used - set(page.evaluate(_STYLED_CLASSES)) - _STYLELESS
        assert not unstyled, f"{path} at {width}px uses Radix classes with no CSS (radix_css.py cut them): {unstyled}"
        context.close()


# --------------------------------------------------------------------------- the assistant button on a phone


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


@pytest.mark.parametrize("path", ["/", "/procedures"])
def test_assistant_button_is_an_icon_on_phones_and_never_hides_the_page_end(
    browser, app: RunningApp, path: str
) -> None:
    """At 360 px the floating "Hỏi đáp" is a round icon with the same accessible name; scrolled to the end, the
    footer's last line is not under it (screenshots/assistant-button-360.png). From tablets up it shows its label."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=app.url)
    page = context.new_page()
    page.goto(path)
    button = page.get_by_role("button", name="Hỏi đáp")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["width"] <= 56, box  # icon only: 48 px round
    # the page scrolls smoothly (assets/styles.css): jump, as a reader's last swipe ends there — again until the
    # page stops growing (content that arrives over the websocket after the first paint pushes the footer down)
    page.evaluate("document.documentElement.style.scrollBehavior = 'auto'")
    for _ in range(40):
        height = page.evaluate("document.documentElement.scrollHeight")
        page.evaluate("window.scrollTo(0, 1e6)")
        page.wait_for_timeout(150)
        if page.evaluate("document.documentElement.scrollHeight") == height:
            break
    last = page.locator("footer a").last
    expect(last).to_be_in_viewport()
    last_box, box = last.bounding_box(), button.bounding_box()
    assert last_box is not None and box is not None
    assert not _overlap(last_box, box), (last_box, box)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"assistant-button-360{path.replace('/', '-').rstrip('-')}.png"))
    context.close()

    wide = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=app.url)
    page = wide.new_page()
    page.goto(path)
    expect(page.locator("#assistant-open")).to_have_text("Hỏi đáp")
    expect(page.locator("#assistant-open").get_by_text("Hỏi đáp")).to_be_visible()
    wide.close()
