"""Browser tests against the production build, started once per test session.

Why one real `reflex run --env prod` subprocess rather than AppHarness: it is
exactly what people run (prerendered pages, one port, the Starlette routes and
the static field app), and its lifetime is easy to reason about: a fresh SQLite
database in a temp dir, migrated and seeded, then the app on a free port; the
whole process group is killed at the end.

Needs Debian's chromium at /usr/bin/chromium (Playwright's own browser download cannot work here) and
the venv's Node/npm (REFLEX_USE_NPM=1; bun is never downloaded). The frontend is
built in the temp dir too (REFLEX_WEB_WORKDIR), so the suite never touches .web/.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 300
SEED_DOSSIERS = "160"
PASSWORD = "Demo@2026"
#: Demo accounts (onestop/demo/catalog.py): role → phone.
ACCOUNTS = {"citizen": "0901000001", "supporter": "0901000002", "receiver": "0901000003",
            "specialist": "0901000004", "leader": "0901000005", "admin": "0901000006"}
SCREENSHOTS = PROJECT_ROOT / "screenshots"


@dataclass(frozen=True)
class RunningApp:
    url: str
    db_path: Path
    log_path: Path

    def query(self, sql: str, *params: object) -> list[tuple]:
        """Read the app's database directly, to check pages show what is really there."""
        with contextlib.closing(sqlite3.connect(self.db_path)) as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, *params: object) -> object:
        rows = self.query(sql, *params)
        return rows[0][0] if rows else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - our own local server
            return resp.status == 200
    except OSError:
        return False


def _run(cmd: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        done = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed; see {log}:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """A migrated, seeded database and the prod app serving it; yields where to find them."""
    work = tmp_path_factory.mktemp("e2e")
    db_path = work / "e2e.db"
    log_path = work / "server.log"
    port = _free_port()
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        "ONESTOP_DATA_DIR": str(work / "var"),
        "ONESTOP_DATABASE_URL": f"sqlite:///{db_path}",
        "ONESTOP_PORT": str(port),
        "ONESTOP_PUBLIC_BASE_URL": f"http://localhost:{port}",
        "ONESTOP_SCHEDULER": "false",
        # A private frontend build: the backend port is compiled into it, so a shared .web/ would be
        # rebuilt under our feet by anyone else running the app from this tree (npm's cache keeps it quick).
        "REFLEX_WEB_WORKDIR": str(work / "web"),
        "REFLEX_STATES_WORKDIR": str(work / "states"),
        "PYTHONUNBUFFERED": "1",
    }
    _run([str(VENV_BIN / "alembic"), "upgrade", "head"], env, log_path)
    _run([str(VENV_BIN / "python"), "-m", "onestop.cli", "seed", "--demo", "--dossiers", SEED_DOSSIERS], env, log_path)

    url = f"http://localhost:{port}"
    with log_path.open("a") as out:
        proc = subprocess.Popen([str(VENV_BIN / "reflex"), "run", "--env", "prod"], cwd=PROJECT_ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (_answers(f"{url}/api/v1/health") and _answers(f"{url}/")):
            if proc.poll() is not None:
                pytest.fail(f"reflex run exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not answer within {START_TIMEOUT_S} s:\n{log_path.read_text()[-4000:]}")
            time.sleep(2)
        yield RunningApp(url=url, db_path=db_path, log_path=log_path)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 - playwright Browser
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, app: RunningApp):  # noqa: ANN001, ANN201 - playwright types
    """A fresh browser profile per test (no cookies, no stored language), desktop size."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=app.url)
    context.set_default_timeout(20_000)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page, role: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    """Sign in through the real form and wait until the app has taken us off /login."""
    page.goto("/login")
    page.locator("#login").fill(ACCOUNTS[role])
    page.locator("#password").fill(password)
    page.locator("form button[type=submit]").click()
    if password == PASSWORD:
        page.wait_for_url(lambda u: "/login" not in u)
