"""The province deployment, driven in the browser: PostgreSQL + Redis + two workers + S3 storage (issue 12).

Run with ONESTOP_E2E_MODE=cluster (tests/e2e/conftest.py starts `reflex run --env prod` with two Granian
workers). Each test first makes sure the two sides it compares really are on different workers — tabs by the
Reflex socket record Redis keeps for their client token (one instance id per worker), HTTP requests by the
`x-onestop-worker` header test runs add — so none can pass by luck with everything on one worker.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from onestop.demo.scans import demo_scan_pdf
from tests.e2e.conftest import ACCOUNTS, PASSWORD, WORKER_HEADER, RunningApp, cluster_only, sign_in

pytestmark = [pytest.mark.e2e, cluster_only]

LIVE_WITHIN_MS = 10_000
MAX_TRIES = 12


@pytest.fixture()
def contexts(browser: Browser, app: RunningApp) -> Iterator[Callable[[], BrowserContext]]:
    opened: list[BrowserContext] = []

    def make() -> BrowserContext:
        ctx = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=app.url)
        ctx.set_default_timeout(20_000)
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        ctx.close()


def _redis(app: RunningApp):  # noqa: ANN202 - redis.Redis
    import redis

    return redis.Redis.from_url(app.redis_url)


def worker_of(app: RunningApp, page: Page) -> str:
    """The Reflex instance (one per worker process) holding this tab's websocket, from Redis."""
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token, "the tab has no Reflex client token yet"
    client = _redis(app)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            raw = client.get(f"token_manager_socket_record_{token}")
            if raw:
                return pickle.loads(raw).instance_id  # noqa: S301 - written by our own app in Redis
            time.sleep(0.3)
    finally:
        client.close()
    raise AssertionError(f"no socket record in Redis for tab token {token}")


def on_another_worker(app: RunningApp, first: Page, open_page: Callable[[], Page]) -> Page:
    """Open pages with `open_page` until one's websocket is on a different worker than `first`'s."""
    mine = worker_of(app, first)
    for _ in range(MAX_TRIES):
        page = open_page()
        if worker_of(app, page) != mine:
            return page
        page.context.close()
    raise AssertionError(f"{MAX_TRIES} tabs all landed on the same worker: are two workers running?")


def http_workers(
    app: RunningApp, path: str, headers: dict[str, str] | None = None, tries: int = 40
) -> dict[str, tuple[int, bytes]]:
    """GET `path` on fresh connections until two workers answered; worker pid → (status, body)."""
    seen: dict[str, tuple[int, bytes]] = {}
    for _ in range(tries):
        status, resp_headers, body = app.get(path, headers)
        seen.setdefault(resp_headers[WORKER_HEADER], (status, body))
        if len(seen) >= 2:
            break
    return seen


def _session_cookie(ctx: BrowserContext) -> str:
    return next(c["value"] for c in ctx.cookies() if c["name"] == "onestop_session")


# --------------------------------------------------------------------------- the tests


def test_two_workers_answer_and_one_scheduler_leader_raises_each_alert_once(app: RunningApp) -> None:
    workers = http_workers(app, "/api/v1/health")
    assert len(workers) == 2 and all(status == 200 for status, _ in workers.values())
    # Both workers campaign for the scheduler; exactly one holds the PostgreSQL advisory lock.
    deadline = time.monotonic() + 30
    while app.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") != 1:
        assert time.monotonic() < deadline, "no single scheduler leader after 30 s"
        time.sleep(1)
    # The leader's first deadline scan alerts the seeded overdue dossiers; each alert exists once.
    deadline = time.monotonic() + 60
    while not app.scalar("SELECT count(*) FROM notification WHERE kind = 'alert.overdue'"):
        assert time.monotonic() < deadline, "no overdue alert within 60 s of the start"
        time.sleep(2)
    time.sleep(5)  # give a second (wrong) leader time to write duplicates if there were one
    assert (
        app.query(
            "SELECT dossier_id, user_id, kind, count(*) FROM notification WHERE kind LIKE 'alert.%' "
            "GROUP BY dossier_id, user_id, kind HAVING count(*) > 1"
        )
        == []
    )
    alerted = {r[0] for r in app.query("SELECT DISTINCT dossier_id FROM notification WHERE kind = 'alert.overdue'")}
    late = {
        r[0]
        for r in app.query(
            "SELECT id FROM dossier WHERE status IN (2, 4) AND paused_at IS NULL AND due_at < ?", app.now()
        )
    }
    assert alerted and alerted <= late


def test_a_change_through_one_worker_reaches_an_inbox_held_by_the_other(contexts, app: RunningApp) -> None:
    code = str(
        app.scalar(
            "SELECT d.code FROM dossier d JOIN center c ON c.id = d.receiving_center_id WHERE c.code = 'X01' "
            "AND d.status = 1 ORDER BY d.id LIMIT 1"
        )
    )
    actor_page = contexts().new_page()
    sign_in(actor_page, "receiver")
    actor_page.goto(f"/officer/dossiers/{code}")
    expect(actor_page.locator("#dossier-code")).to_have_text(code)

    def watcher() -> Page:
        page = contexts().new_page()
        sign_in(page, "receiver")
        page.goto("/officer")
        expect(page.locator("#inbox-table tbody tr").first).to_be_visible()
        return page

    inbox = on_another_worker(app, actor_page, watcher)
    waiting = int(
        app.scalar(
            "SELECT count(*) FROM dossier d JOIN center c ON c.id = d.handling_center_id "
            "WHERE c.code = 'X01' AND d.status = 1"
        )
    )
    expect(inbox.locator("#tab-to_receive")).to_contain_text(str(waiting))

    actor_page.locator("#action-receive").click()
    actor_page.locator("#dialog-confirm").click()
    expect(actor_page.locator("#action-done")).to_be_visible()
    # No reload, no polling on the inbox: only the Redis channel can bring the change to the other worker.
    expect(inbox.locator("#tab-to_receive")).to_contain_text(str(waiting - 1), timeout=LIVE_WITHIN_MS)
    expect(inbox.locator("#tab-to_receive")).not_to_contain_text(str(waiting), timeout=LIVE_WITHIN_MS)


def test_sign_out_on_one_worker_is_honoured_on_the_other(contexts, app: RunningApp) -> None:
    first_ctx = contexts()
    first = first_ctx.new_page()
    sign_in(first, "citizen")
    cookie = next(c for c in first_ctx.cookies() if c["name"] == "onestop_session")

    def same_person_elsewhere() -> Page:
        ctx = contexts()
        ctx.add_cookies([cookie])
        page = ctx.new_page()
        page.goto("/procedures")
        expect(page.get_by_role("link", name=re.compile("Hồ sơ của tôi")).first).to_be_visible()
        return page

    second = on_another_worker(app, first, same_person_elsewhere)
    # Sign out on the first tab's worker: the session row is revoked.
    first.get_by_role(
        "button",
        name=re.compile(str(app.scalar("SELECT full_name FROM app_user WHERE phone = ?", ACCOUNTS["citizen"]))),
    ).click()
    first.get_by_role("menuitem", name="Đăng xuất").click()
    expect(first).to_have_url(re.compile(r"/$"))
    # The second tab still holds the (now revoked) cookie; its next event runs on the other worker.
    assert any(c["name"] == "onestop_session" for c in second.context.cookies())
    second.get_by_role("link", name=re.compile("Hồ sơ của tôi")).first.click()
    expect(second).to_have_url(re.compile(r"/login/?\?next=%2Fmy"), timeout=LIVE_WITHIN_MS)
    # And every worker refuses the cookie on the private download routes.
    answers = http_workers(app, "/api/v1/attachments/1", {"Cookie": f"onestop_session={cookie['value']}"})
    assert len(answers) == 2 and all(status in (401, 404) for status, _ in answers.values())


def test_a_file_uploaded_through_one_worker_is_downloaded_through_the_other(contexts, app: RunningApp) -> None:
    import json
    import urllib.request

    # The field app's upload (HTTP, a device token) lands on some worker…
    req = urllib.request.Request(
        f"{app.url}/api/v1/field/session",
        method="POST",
        data=json.dumps(
            {"login": ACCOUNTS["supporter"], "password": PASSWORD, "device_id": f"e2e-{uuid.uuid4().hex[:8]}"}
        ).encode(),
        headers={"Content-Type": "application/json", "Connection": "close"},
    )
    with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310 - our own local server
        device_token = json.loads(resp.read())["token"]
    data = demo_scan_pdf("original_scan") + f"\n% e2e {uuid.uuid4()}\n".encode()
    sha = hashlib.sha256(data).hexdigest()
    put = urllib.request.Request(
        f"{app.url}/api/v1/field/attachments/{sha}?purpose=document&procedure=2.000815&document=original_scan"
        "&filename=ban-chinh.pdf",
        method="PUT",
        data=data,
        headers={
            "Authorization": f"Bearer {device_token}",
            "Content-Type": "application/octet-stream",
            "Connection": "close",
        },
    )
    with urllib.request.urlopen(put, timeout=30) as resp:  # noqa: S310 - our own local server
        assert resp.status == 201
        uploaded_by = resp.headers[WORKER_HEADER]
    attachment_id, key = app.query("SELECT id, storage_key FROM attachment WHERE sha256 = ?", sha)[0]

    # …and is downloaded by the same person's web session through the other worker, byte for byte.
    ctx = contexts()
    sign_in(ctx.new_page(), "supporter")
    cookie = _session_cookie(ctx)
    got = {}
    for _ in range(40):
        status, headers, body = app.get(f"/api/v1/attachments/{attachment_id}", {"Cookie": f"onestop_session={cookie}"})
        got.setdefault(headers[WORKER_HEADER], (status, body))
        if any(pid != uploaded_by for pid in got):
            break
    other = [pid for pid in got if pid != uploaded_by]
    assert other, "every download landed on the uploading worker"
    assert got[other[0]] == (200, data)
    # The bytes live in the shared bucket, not on the workers' disk.
    import boto3

    from onestop.adapters.storage import parse_storage_url

    bucket, prefix, endpoint, region = parse_storage_url(app.storage_url)
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=app.settings_env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=app.settings_env["AWS_SECRET_ACCESS_KEY"],
    )
    assert s3.get_object(Bucket=bucket, Key=f"{prefix}/{key}")["Body"].read() == data
    assert not (app.data_dir / "files" / key).exists()


def test_no_state_redis_holds_carries_a_live_token(contexts, app: RunningApp) -> None:
    """Issue 17, finding 6, in the province deployment: the tab states Redis keeps (pickled per token and state)
    hold the session token only sealed, and no socket header with the cookie."""
    ctx = contexts()
    page = ctx.new_page()
    sign_in(page, "citizen")
    page.goto("/my")
    page.reload()  # a new websocket: its request headers now carry the session cookie
    page.wait_for_timeout(1500)
    page.goto("/procedures")
    expect(page.get_by_role("link", name=re.compile("Hồ sơ của tôi")).first).to_be_visible()
    token = next(c["value"] for c in ctx.cookies() if c["name"] == "onestop_session")
    assert len(token) > 20
    client = _redis(app)
    stored = {}
    for key in client.scan_iter(count=500):
        if client.type(key) == b"string":
            stored[key] = client.get(key) or b""
    states = {k: v for k, v in stored.items() if b"SessionState" in k or b"session_state" in k}
    assert states, f"no tab state in Redis: the check below would prove nothing ({sorted(stored)[:5]})"
    assert [k for k, v in stored.items() if token.encode() in v] == []
