"""First-load weight of a page as a browser on a slow link pays for it.

Why: on a 400 kbit/s rural link every kilobyte of the first load is ~20 ms of
waiting, so the number that matters is the gzip size of the prerendered HTML
plus every script, module preload and stylesheet it names. The bench starts
the production app exactly as people run it (`reflex run --env prod` on a
migrated, seeded SQLite database in a temp dir, like tests/e2e), fetches the
page with `Accept-Encoding: gzip`, follows the assets the HTML links to, and
prints, per asset, the bytes on the wire (as served for a browser's
`Accept-Encoding: br, gzip` — `--accept gzip` for a gzip-only client), gzip -6
of the body for comparison, and its Cache-Control.

    .venv/bin/python bench/page_weight.py                 # / on a fresh build of this tree
    .venv/bin/python bench/page_weight.py --path /procedures --path /field/
    .venv/bin/python bench/page_weight.py --url http://localhost:3000   # an app already running
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"


class _Links(HTMLParser):
    """Scripts, module preloads and stylesheets of a page, in document order; render-blocking ones marked."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str, bool]] = []  # (url, kind, render_blocking)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and a.get("src"):
            blocking = "async" not in a and "defer" not in a and a.get("type") != "module"
            self.assets.append((a["src"], "script", blocking))
        elif tag == "link" and a.get("href"):
            rel = a.get("rel", "")
            if rel == "stylesheet":
                self.assets.append((a["href"], "css", a.get("media", "all") in ("", "all", "screen")))
            elif rel in ("modulepreload", "preload"):
                self.assets.append((a["href"], rel, False))


#: What Chrome/Firefox send on HTTPS (a province serves over TLS); `--accept gzip` measures a gzip-only client.
BROWSER_ACCEPT = "br, gzip"


def fetch(url: str, accept: str = "gzip") -> tuple[bytes, dict[str, str], int]:
    """(body as sent on the wire, headers, wire bytes)."""
    req = urllib.request.Request(url, headers={"Accept-Encoding": accept})
    with urllib.request.urlopen(req, timeout=60) as resp:
        raw = resp.read()
        headers = {k.lower(): v for k, v in resp.headers.items()}
    return raw, headers, len(raw)


def wire_size(raw: bytes, headers: dict[str, str]) -> tuple[int, int, bool]:
    """(bytes on the wire, gzip -6 bytes, served compressed?)."""
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(raw)
        return len(raw), len(gzip.compress(body, 6)), True
    return len(raw), len(gzip.compress(raw, 6)), False


def measure(base: str, path: str, accept: str = BROWSER_ACCEPT) -> None:
    page_url = urljoin(base, path)
    raw, headers, _ = fetch(page_url)
    wire, gz, compressed = wire_size(raw, headers)
    html = gzip.decompress(raw) if compressed else raw
    parser = _Links()
    parser.feed(html.decode("utf-8", "replace"))
    rows = [(path, "html", True, wire, gz, compressed, headers.get("cache-control", ""))]
    seen: set[str] = set()
    for href, kind, blocking in parser.assets:
        url = urljoin(page_url, href)
        if url in seen or not url.startswith(base):
            continue
        seen.add(url)
        a_raw, a_headers, _ = fetch(url)  # gzip: the body to compare, and what a gzip-only client gets
        a_wire, a_gz, a_comp = wire_size(a_raw, a_headers)
        if accept != "gzip":  # what a browser gets (brotli sidecars when the build made them)
            _, b_headers, a_wire = fetch(url, accept)
            a_comp = a_comp or b_headers.get("content-encoding") in ("br", "zstd")
        rows.append((href, kind, blocking, a_wire, a_gz, a_comp, a_headers.get("cache-control", "")))
    print(f"\n{page_url}")
    print(f"Accept-Encoding: {accept}")
    print(f"{'asset':60} {'kind':13} {'block':5} {'wire':>8} {'gzip':>8} {'gz?':3}  cache-control")
    for href, kind, blocking, w, g, c, cc in rows:
        print(f"{href[-60:]:60} {kind:13} {'yes' if blocking else '':5} {w:8} {g:8} {'y' if c else 'n':3}  {cc}")
    total_wire = sum(r[3] for r in rows)
    total_gz = sum(r[4] for r in rows)
    blocking_gz = sum(r[4] for r in rows if r[2])
    print(
        f"TOTAL {path}: on the wire {total_wire / 1024:.1f} KiB; if all gzip -6 {total_gz / 1024:.1f} KiB; "
        f"render-blocking (gzip) {blocking_gz / 1024:.1f} KiB; {len(rows)} requests"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status < 500
    except Exception:  # noqa: BLE001 - not up yet
        return False


@contextlib.contextmanager
def running_app(root: Path) -> Iterator[str]:
    """The prod app of the tree at `root` on a free port, with a migrated and seeded temp database."""
    work = Path(tempfile.mkdtemp(prefix="onestop-weight-"))
    port = _free_port()
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(root),
        "REFLEX_USE_NPM": "1",
        "ONESTOP_DATA_DIR": str(work / "var"),
        "ONESTOP_DATABASE_URL": f"sqlite:///{work / 'w.db'}",
        "ONESTOP_PORT": str(port),
        "ONESTOP_PUBLIC_BASE_URL": f"http://localhost:{port}",
        "ONESTOP_SCHEDULER": "false",
        "REFLEX_WEB_WORKDIR": str(work / "web"),
        "REFLEX_STATES_WORKDIR": str(work / "states"),
    }
    log = (work / "server.log").open("w")
    subprocess.run(
        [str(VENV_BIN / "alembic"), "upgrade", "head"],
        cwd=root,
        env=env,
        check=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    subprocess.run(
        [str(VENV_BIN / "python"), "-m", "onestop.cli", "seed", "--demo", "--dossiers", "20"],
        cwd=root,
        env=env,
        check=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    proc = subprocess.Popen(
        [str(VENV_BIN / "reflex"), "run", "--env", "prod"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://localhost:{port}/"
    try:
        deadline = time.monotonic() + 900
        while not (_answers(url + "api/v1/health") and _answers(url)):
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"app did not start; see {work / 'server.log'}")
            time.sleep(2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="measure an app already running at this base URL")
    ap.add_argument("--root", default=str(ROOT), help="project tree to build and run (default: this one)")
    ap.add_argument("--path", action="append", help="page path(s) to measure (default: /)")
    ap.add_argument(
        "--accept", default=BROWSER_ACCEPT, help=f"Accept-Encoding of the asset requests ({BROWSER_ACCEPT})"
    )
    args = ap.parse_args()
    paths = args.path or ["/"]
    if args.url:
        for p in paths:
            measure(args.url.rstrip("/") + "/", p, args.accept)
        return
    with running_app(Path(args.root)) as base:
        for p in paths:
            measure(base, p, args.accept)


if __name__ == "__main__":
    main()
