"""Browser tests against the production build, started once per test session, in one of two modes.

Why one real `reflex run --env prod` subprocess rather than AppHarness: it is
exactly what people run (prerendered pages, one port, the Starlette routes and
the static field app), and its lifetime is easy to reason about: a fresh
database, migrated and seeded, then the app on a free port; the whole process
group is killed at the end.

Modes (``ONESTOP_E2E_MODE``):
- ``single`` (default): SQLite in a temp dir, one worker, files on the local disk — the quick start.
- ``cluster``: the province deployment of docs/deployment.md — PostgreSQL
  (``ONESTOP_E2E_DATABASE_URL``, default the CI database ``test``; its public schema is dropped), Redis
  (``ONESTOP_E2E_REDIS_URL``; the DB number is flushed), two Granian workers, the scheduler campaigning in
  both, and files in an S3 bucket served by moto in server mode started here.

Time: the app runs under the injected test clock (onestop.clock): `app.set_clock(moment)` moves every
process of the app at once; ``ONESTOP_E2E_NOW`` starts the whole run (seed included) at a chosen moment.

Needs Debian's chromium at /usr/bin/chromium (Playwright's own browser download cannot work here) and
the venv's Node/npm (REFLEX_USE_NPM=1; bun is never downloaded). The frontend is
built in the temp dir too (REFLEX_WEB_WORKDIR), so the suite never touches .web/.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from functools import cached_property
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from onestop import clock

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 300
SEED_DOSSIERS = "160"
PASSWORD = "Demo@2026"
#: Demo accounts (onestop/demo/catalog.py): role → phone.
ACCOUNTS = {
    "citizen": "0901000001",
    "supporter": "0901000002",
    "receiver": "0901000003",
    "specialist": "0901000004",
    "leader": "0901000005",
    "admin": "0901000006",
}
SCREENSHOTS = PROJECT_ROOT / "screenshots"
MODE = os.environ.get("ONESTOP_E2E_MODE", "").strip() or "single"
if MODE not in ("single", "cluster"):
    raise ValueError(f"ONESTOP_E2E_MODE must be single or cluster, got {MODE!r}")
CLUSTER_DATABASE_URL = os.environ.get("ONESTOP_E2E_DATABASE_URL", "").strip() or (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CLUSTER_REDIS_URL = os.environ.get("ONESTOP_E2E_REDIS_URL", "").strip() or "redis://127.0.0.1:6379/15"
CLUSTER_WORKERS = 2
WORKER_HEADER = "x-onestop-worker"

# The machine running the suite may be busy (CI on two cores): wait up to 15 s for what a page must show.
expect.set_options(timeout=15_000)

cluster_only = pytest.mark.skipif(MODE != "cluster", reason="needs ONESTOP_E2E_MODE=cluster (PostgreSQL + Redis)")

_ENGINES: dict[str, sa.Engine] = {}


@dataclass(frozen=True)
class RunningApp:
    url: str
    database_url: str
    log_path: Path
    data_dir: Path
    clock_file: Path
    mode: str = "single"
    redis_url: str = ""
    storage_url: str = ""
    #: The environment a helper in this process needs to act on the app's data (onestop.settings variables).
    settings_env: dict[str, str] = field(default_factory=dict)

    @cached_property
    def engine(self) -> sa.Engine:
        if self.database_url not in _ENGINES:
            _ENGINES[self.database_url] = sa.create_engine(self.database_url, pool_pre_ping=True)
        return _ENGINES[self.database_url]

    @property
    def db_path(self) -> Path:
        """The SQLite file (single mode only; kept for tests written before the cluster mode — prefer
        `database_url`, `query` and `data_dir`, which work in both modes)."""
        if not self.database_url.startswith("sqlite:///"):
            raise RuntimeError("db_path exists only in single mode (SQLite); use app.database_url / app.query")
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    def _bind(self, sql: str, params: tuple[object, ...]) -> tuple[sa.TextClause, dict[str, object]]:
        """`?` placeholders (as the tests write them) → named parameters; SQLite moments as the app stores them."""
        pieces = sql.split("?")
        if len(pieces) - 1 != len(params):
            raise ValueError(f"{len(pieces) - 1} placeholders for {len(params)} parameters in {sql!r}")
        text = pieces[0] + "".join(f":p{i}{piece}" for i, piece in enumerate(pieces[1:]))
        values: dict[str, object] = {}
        for i, value in enumerate(params):
            if isinstance(value, datetime) and not self.is_postgres:
                value = value.strftime("%Y-%m-%d %H:%M:%S.%f")
            elif isinstance(value, date) and not isinstance(value, datetime) and not self.is_postgres:
                value = value.isoformat()
            values[f"p{i}"] = value
        return sa.text(text), values

    def query(self, sql: str, *params: object) -> list[tuple]:
        """Read the app's database directly (SQLite or PostgreSQL), to check pages show what is really there."""
        stmt, values = self._bind(sql, params)
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(stmt, values)]

    def scalar(self, sql: str, *params: object) -> object:
        rows = self.query(sql, *params)
        return rows[0][0] if rows else None

    def execute(self, sql: str, *params: object) -> int:
        """Change the app's database directly (test set-up only); returns the rows affected."""
        stmt, values = self._bind(sql, params)
        with self.engine.begin() as conn:
            return conn.execute(stmt, values).rowcount

    # ------------------------------------------------------------------ the app's clock

    def now(self) -> datetime:
        """The moment the app's processes see now (the injected clock if set, else real local time)."""
        injected = clock._FileClock(self.clock_file).now()
        return injected if injected is not None else clock._real_now()

    def set_clock(self, moment: datetime, tick: bool = False) -> None:
        """Move every process of the app to `moment` (frozen unless `tick`)."""
        clock.write_test_clock(self.clock_file, moment, tick=tick)

    def reset_clock(self) -> None:
        """Back to the session's clock (ONESTOP_E2E_NOW if given, else real time)."""
        start = os.environ.get("ONESTOP_E2E_NOW", "").strip()
        if start:
            clock.write_test_clock(self.clock_file, datetime.fromisoformat(start), tick=True)
        else:
            self.clock_file.unlink(missing_ok=True)

    # ------------------------------------------------------------------ workers

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """One HTTP GET on a fresh connection (so the OS may hand it to any worker)."""
        req = urllib.request.Request(self.url + path, headers={"Connection": "close", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310 - our own local server
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


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


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def _flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


@contextlib.contextmanager
def _s3_bucket() -> Iterator[tuple[str, dict[str, str]]]:
    """moto's S3 server on a free port with one empty bucket; yields (storage URL, credentials env)."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    creds = {
        "AWS_ACCESS_KEY_ID": "onestop-e2e",
        "AWS_SECRET_ACCESS_KEY": "onestop-e2e-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    endpoint = f"http://127.0.0.1:{port}"
    try:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=creds["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=creds["AWS_SECRET_ACCESS_KEY"],
        ).create_bucket(Bucket="onestop-e2e")
        yield f"s3://onestop-e2e/files?endpoint={endpoint}", creds
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """A migrated, seeded database and the prod app serving it; yields where to find them."""
    work = tmp_path_factory.mktemp(f"e2e-{MODE}")
    log_path = work / "server.log"
    clock_file = work / "clock.json"
    port = _free_port()
    url = f"http://localhost:{port}"
    start = os.environ.get("ONESTOP_E2E_NOW", "").strip()
    if start:
        clock.write_test_clock(clock_file, datetime.fromisoformat(start), tick=True)
    with contextlib.ExitStack() as stack:
        settings_env = {
            "ONESTOP_DATA_DIR": str(work / "var"),
            "ONESTOP_PUBLIC_BASE_URL": url,
            "ONESTOP_TESTING": "1",
            "ONESTOP_TEST_CLOCK_FILE": str(clock_file),
        }
        if MODE == "cluster":
            database_url = CLUSTER_DATABASE_URL
            _reset_postgres(database_url)
            _flush_redis(CLUSTER_REDIS_URL)
            storage_url, creds = stack.enter_context(_s3_bucket())
            settings_env |= {"ONESTOP_REDIS_URL": CLUSTER_REDIS_URL, "ONESTOP_STORAGE_URL": storage_url, **creds}
        else:
            database_url = f"sqlite:///{work / 'e2e.db'}"
            storage_url = ""
        settings_env["ONESTOP_DATABASE_URL"] = database_url
        env = {
            **os.environ,
            **settings_env,
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "REFLEX_USE_NPM": "1",
            "ONESTOP_PORT": str(port),
            "ONESTOP_WORKERS": str(CLUSTER_WORKERS if MODE == "cluster" else 1),
            # The scheduler campaigns in every worker in cluster mode (one leader, alerts once); off in single
            # mode, where tests count notifications themselves.
            "ONESTOP_SCHEDULER": "true" if MODE == "cluster" else "false",
            # A private frontend build: the backend port is compiled into it, so a shared .web/ would be
            # rebuilt under our feet by anyone else running the app from this tree (npm's cache keeps it quick).
            "REFLEX_WEB_WORKDIR": str(work / "web"),
            "REFLEX_STATES_WORKDIR": str(work / "states"),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("GRANIAN_WORKERS", None)
        _run([str(VENV_BIN / "alembic"), "upgrade", "head"], env, log_path)
        _run(
            [str(VENV_BIN / "python"), "-m", "onestop.cli", "seed", "--demo", "--dossiers", SEED_DOSSIERS],
            env,
            log_path,
        )

        with log_path.open("a") as out:
            proc = subprocess.Popen(
                [str(VENV_BIN / "reflex"), "run", "--env", "prod"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not (_answers(f"{url}/api/v1/health") and _answers(f"{url}/")):
                if proc.poll() is not None:
                    pytest.fail(f"reflex run exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"the app did not answer within {START_TIMEOUT_S} s:\n{log_path.read_text()[-4000:]}")
                time.sleep(2)
            yield RunningApp(
                url=url,
                database_url=database_url,
                log_path=log_path,
                data_dir=work / "var",
                clock_file=clock_file,
                mode=MODE,
                redis_url=settings_env.get("ONESTOP_REDIS_URL", ""),
                storage_url=storage_url,
                settings_env=settings_env,
            )
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            engine = _ENGINES.pop(database_url, None)
            if engine is not None:
                engine.dispose()


#: The moments the time-sensitive tests run at (issue 12): before opening, late morning, just before and just
#: after closing, late evening (the 23:40 failure), a Saturday, and a make-up working Saturday.
MOMENTS = ("before_opening", "11:45", "16:59", "17:01", "23:40", "saturday", "makeup_saturday")


def moment_after(base: datetime, name: str) -> datetime:
    """The first such moment after `base` (the seed's time), so the seeded data is never in the future."""
    day = base.date() + timedelta(days=1)
    if name in ("saturday", "makeup_saturday"):
        while day.weekday() != 5:
            day += timedelta(days=1)
        return datetime.combine(day, dt_time(9, 30) if name == "makeup_saturday" else dt_time(10, 15))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    at = dt_time(6, 50) if name == "before_opening" else dt_time.fromisoformat(name)
    return datetime.combine(day, at)


@pytest.fixture()
def app_at(request: pytest.FixtureRequest, app: RunningApp) -> Iterator[RunningApp]:
    """The app with its clock frozen at the moment named by the test's parameter (see MOMENTS); a make-up
    Saturday is announced in the calendar for the test's duration. The clock is reset afterwards."""
    name = request.param
    moment = moment_after(app.now(), name)
    if name == "makeup_saturday":
        app.execute(
            "INSERT INTO calendar_override (day, kind, name) VALUES (?, 'working_day', ?)",
            moment.date(),
            "Làm bù (e2e)",
        )
    app.set_clock(moment)
    try:
        yield app
    finally:
        app.reset_clock()
        if name == "makeup_saturday":
            app.execute("DELETE FROM calendar_override WHERE day = ?", moment.date())


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 - playwright Browser
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201 - pytest hook
    """On a failed browser test, keep what the person saw: a screenshot, the URL and any alert's words."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    pages = [funcargs["page"]] if "page" in funcargs else []
    if not pages and "browser" in funcargs:  # tests that open their own (phone) context
        pages = [pg for ctx in funcargs["browser"].contexts for pg in ctx.pages]
    for n, pg in enumerate(pages):
        with contextlib.suppress(Exception):
            (SCREENSHOTS / "failures").mkdir(parents=True, exist_ok=True)
            pg.screenshot(path=str(SCREENSHOTS / "failures" / f"{item.name}-{n}.png"), full_page=True)
        with contextlib.suppress(Exception):
            alerts = pg.locator("[role=alert], [data-sonner-toast]").all_inner_texts()
            report.sections.append((f"page {n} at failure", f"url: {pg.url}\nalerts: {alerts}"))


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
