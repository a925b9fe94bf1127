"""Shared pieces of the citizen e2e tests: a phone, test files, officers acting through the services, axe.

Why officers act in-process through `services.dossiers.perform` against the app's
database: the tracking page must show a change made anywhere — another worker, the
CLI, the scheduler — without reload, not only one made through this app's own
websocket. The settings are pointed at the app's database and data directory for
the call and restored afterwards.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator

from PIL import Image
from playwright.sync_api import Page, expect

from onestop.demo.scans import demo_scan_pdf
from tests.e2e.conftest import ACCOUNTS, PASSWORD, SCREENSHOTS, RunningApp

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


def phone_context(browser, app: RunningApp, **extra):  # noqa: ANN001, ANN201, ANN003 - playwright types
    ctx = browser.new_context(**PHONE, base_url=app.url, accept_downloads=True, locale="vi-VN", **extra)
    ctx.set_default_timeout(20_000)
    return ctx


def pdf_bytes(label: str = "health") -> bytes:
    return demo_scan_pdf(label)


def jpeg_bytes(width: int = 900, height: int = 600) -> bytes:
    img = Image.new("RGB", (width, height), (215, 228, 240))
    for x in range(0, width, 30):
        for y in range(0, height, 30):
            img.putpixel((x, y), (20, 40, 80))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot at phone width, for people to look at (screenshots/citizen-*.png)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # a sticky header would otherwise be drawn mid-page
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / f"citizen-{name}.png"), full_page=True)


def sign_in_as(page: Page, phone: str, next_path: str = "") -> None:
    page.goto("/login" + (f"?next={next_path.replace('/', '%2F')}" if next_path else ""))
    page.locator("#login").fill(phone)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda u: "/login" not in u)


def sign_in_citizen(page: Page, next_path: str = "") -> None:
    sign_in_as(page, ACCOUNTS["citizen"], next_path)


def wait_ready(page: Page) -> None:
    expect(page.get_by_text("Đang tải…")).to_have_count(0)


@contextlib.contextmanager
def app_settings(app: RunningApp) -> Iterator[None]:
    """Point this process's settings (database, files, keys) at the running app's for a moment."""
    from onestop.settings import reset_settings_cache

    keys = (
        "ONESTOP_DATABASE_URL",
        "ONESTOP_DATA_DIR",
        "ONESTOP_PUBLIC_BASE_URL",
        "ONESTOP_STORAGE_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
    )
    saved = {k: os.environ.get(k) for k in keys}
    for k in keys:
        os.environ.pop(k, None)
    os.environ.update({k: v for k, v in app.settings_env.items() if k in keys})
    reset_settings_cache()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset_settings_cache()


def officer_acts(app: RunningApp, code: str, *actions: str, **inputs: object) -> None:
    """Take lifecycle actions on a dossier as the X01 officers would, through the service."""
    from sqlmodel import select

    from onestop.db import new_session, transaction
    from onestop.models import Dossier, User
    from onestop.services.actor import Actor
    from onestop.services.dossiers import ActionInput, perform

    with app_settings(app), new_session() as db:

        def who(role: str) -> Actor:
            return Actor.from_user(db.exec(select(User).where(User.phone == ACCOUNTS[role])).one())

        receiver, specialist, leader = who("receiver"), who("specialist"), who("leader")
        plan = {
            "receive": (receiver, ActionInput()),
            "assign": (receiver, ActionInput(assignee_id=specialist.user_id)),
            "appraise": (specialist, ActionInput(opinion="Hồ sơ đầy đủ, đủ điều kiện giải quyết.")),
            "submit_for_approval": (specialist, ActionInput()),
            "approve": (leader, ActionInput()),
            "sign": (leader, ActionInput()),
            "issue_result": (receiver, ActionInput()),
            "request_supplement": (receiver, ActionInput(**inputs)),  # type: ignore[arg-type]
        }
        for action in actions:
            dossier = db.exec(select(Dossier).where(Dossier.code == code)).one()
            db.refresh(dossier)
            actor, data = plan[action]
            with transaction(db):  # the use case flushes; this edge commits, like the app's own events
                perform(db, actor, dossier.id, action, expected_version=dossier.version, data=data)


def dossier_code_from(url: str) -> str:
    match = re.search(r"/dossiers/([A-Z0-9-]+)", url)
    assert match, url
    return match.group(1)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    out = []
    for v in results.response["violations"]:
        if v.get("impact") in ("serious", "critical"):
            targets = [", ".join(n.get("target", [])) for n in v.get("nodes", [])][:4]
            out.append(f"{v['id']} ({v['impact']}): {v['help']} → {targets}")
    return out


def publish_country_condition(app: RunningApp, code: str) -> None:
    """Publish a version of `code` with "Used where" (optional choice) and "Country of use" (required, shown only
    when "Abroad" is chosen), through the admin's own service, once per app session."""
    from sqlmodel import select

    from onestop.db import transaction
    from onestop.domain.form_builder import FieldRow, rows_from_schema
    from onestop.models import User
    from onestop.services import catalog_admin
    from onestop.services.actor import Actor
    from onestop.services.dossiers import current_procedure

    with app_settings(app), transaction() as db:
        admin = Actor.from_user(db.exec(select(User).where(User.phone == ACCOUNTS["admin"])).one())
        fields, docs = rows_from_schema(current_procedure(db, code).form_schema)
        if any(f.name == "used_where" for f in fields):
            return
        fields += [
            FieldRow("Bản sao dùng ở đâu", "Used where", "select", required=False, name="used_where",
                     options="vn | Trong nước | In Vietnam\nabroad | Nước ngoài | Abroad"),
            FieldRow("Tên nước sử dụng", "Country of use", "text", name="country_of_use",
                     show_if_row=len(fields) + 1, show_if_values="abroad"),
        ]  # fmt: skip
        catalog_admin.save_form(db, admin, code, fields, docs)
