"""Field sync benchmark: N dossiers × P photos through the real HTTP API, then a full idempotent resend.

What it measures: a support team's devices coming back online with a day's
captures. Each dossier is what the field app sends: the consent signature (PUT),
the consent record (POST), its photos (PUT, content-addressed) and the dossier
(POST). The resend repeats every request as a device that lost all its answers
would; nothing new may be created, and the answers must be the same.

    .venv/bin/python bench/field_sync_bench.py                       # 500 × 2 × 200 KB, fresh SQLite
    ONESTOP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/field_sync_bench.py --reset             # on PostgreSQL (drops that database's schema)
    .venv/bin/python bench/field_sync_bench.py --dossiers 50 --devices 8

The server is the Starlette app with onestop.api.routes() under granian (the
ASGI server Reflex runs in production), one worker, on a free local port.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROC = "2.000815"  # certified copy from the original: the original photographed page by page


def _prepare_env(args: argparse.Namespace) -> Path:
    """A private data dir (files) and, unless a database is named, a fresh SQLite file."""
    work = Path(tempfile.mkdtemp(prefix="onestop-field-bench-"))
    os.environ["ONESTOP_DATA_DIR"] = str(work / "var")
    if not os.environ.get("ONESTOP_DATABASE_URL"):
        os.environ["ONESTOP_DATABASE_URL"] = f"sqlite:///{work / 'bench.db'}"
    os.environ["ONESTOP_SCHEDULER"] = "false"
    os.environ["ONESTOP_MAX_UPLOAD_MB"] = "20"
    return work


def _setup_database(reset: bool) -> None:
    import sqlalchemy as sa

    from onestop.db import get_engine, new_session
    from onestop.demo.seed import seed
    from onestop.migrations import upgrade_head
    from onestop.settings import get_settings

    settings = get_settings()
    settings.ensure_dirs()
    engine = get_engine()
    if reset and engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    upgrade_head(settings.database_url)
    with new_session() as session:
        seed(session, dossiers=0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int, log: Path) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).parent / "granian"),
        "--interface",
        "asgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-ws",
        "bench.field_sync_bench:asgi_app",
    ]
    out = log.open("w")
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"server did not start:\n{log.read_text()[-3000:]}")


def _asgi_app():
    from starlette.applications import Starlette

    from onestop.api import routes

    return Starlette(routes=routes())


asgi_app = _asgi_app() if os.environ.get("ONESTOP_DATA_DIR") else None


def _jpeg(size: int, seed: int) -> bytes:
    rnd = random.Random(seed)
    return b"\xff\xd8\xff\xe0" + rnd.randbytes(size - 4)


def _png(seed: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + random.Random(-seed - 1).randbytes(6000)


def _build_captures(n: int, photos: int, photo_kb: int) -> list[dict]:
    from sqlmodel import select

    from onestop.db import new_session
    from onestop.domain.codes import new_provisional_code
    from onestop.models import Resident

    with new_session() as session:
        residents = list(session.exec(select(Resident).order_by(Resident.id)))
    captures = []
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    for i in range(n):
        r = residents[i % len(residents)]
        files = [_jpeg(photo_kb * 1024, i * 10 + k) for k in range(photos)]
        signature = _png(i)
        consent_uuid = str(uuid.uuid4())
        captures.append(
            {
                "signature": signature,
                "consent": {
                    "client_uuid": consent_uuid,
                    "resident_id": r.id,
                    "method": "signature",
                    "sha256": hashlib.sha256(signature).hexdigest(),
                    "captured_at": now,
                    "place": r.address,
                },
                "photos": files,
                "dossier": {
                    "client_uuid": str(uuid.uuid4()),
                    "procedure_code": PROC,
                    "resident_id": r.id,
                    "form_data": {
                        "full_name": r.full_name,
                        "national_id": r.national_id,
                        "date_of_birth": r.date_of_birth.isoformat(),
                        "phone": r.phone,
                        "address": r.address,
                        "document_title": "Bằng tốt nghiệp",
                        "pages": photos,
                        "copies": 2,
                        "declaration": True,
                    },
                    "attachments": [
                        {
                            "sha256": hashlib.sha256(f).hexdigest(),
                            "document_code": "original_scan",
                            "filename": f"trang-{k + 1}.jpg",
                        }
                        for k, f in enumerate(files)
                    ],
                    "consent_uuid": consent_uuid,
                    "provisional_code": new_provisional_code(),
                    "captured_at": now,
                },
            }
        )
    return captures


def _sync_one(client, capture: dict) -> tuple[float, dict]:
    """What the device's sync engine sends for one dossier; returns (seconds, the dossier answer)."""
    t0 = time.perf_counter()
    sig = capture["signature"]
    r = client.put(
        f"/api/v1/field/attachments/{capture['consent']['sha256']}", params={"purpose": "consent"}, content=sig
    )
    assert r.status_code in (200, 201), r.text
    r = client.post("/api/v1/field/consents", json=capture["consent"])
    assert r.status_code in (200, 201), r.text
    for photo, meta in zip(capture["photos"], capture["dossier"]["attachments"], strict=True):
        r = client.put(
            f"/api/v1/field/attachments/{meta['sha256']}",
            content=photo,
            params={
                "purpose": "document",
                "procedure": PROC,
                "document": "original_scan",
                "filename": meta["filename"],
            },
        )
        assert r.status_code in (200, 201), r.text
    body = {**capture["dossier"], "sent_at": datetime.now().astimezone().isoformat()}
    r = client.post("/api/v1/field/dossiers", json=body)
    assert r.status_code in (200, 201), r.text
    return time.perf_counter() - t0, r.json()


def _run_pass(base: str, token: str, captures: list[dict], devices: int) -> tuple[float, list[float], list[dict]]:
    import httpx

    clients = [
        httpx.Client(
            base_url=base,
            timeout=120,
            headers={"Authorization": f"Bearer {token}", "X-Device-Id": f"bench-device-{i:04d}"},
        )
        for i in range(devices)
    ]
    t0 = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=devices) as pool:
            results = list(pool.map(lambda ic: _sync_one(clients[ic[0] % devices], ic[1]), enumerate(captures)))
    finally:
        for c in clients:
            c.close()
    return time.perf_counter() - t0, [r[0] for r in results], [r[1] for r in results]


def _counts() -> tuple[int, int]:
    from sqlmodel import func, select

    from onestop.db import new_session
    from onestop.models import Attachment, Dossier

    with new_session() as s:
        return (
            s.exec(select(func.count()).select_from(Dossier).where(Dossier.channel == "field")).one(),
            s.exec(select(func.count()).select_from(Attachment)).one(),
        )


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=500)
    parser.add_argument("--photos", type=int, default=2)
    parser.add_argument("--photo-kb", type=int, default=200)
    parser.add_argument("--devices", type=int, default=4, help="devices syncing at the same time")
    parser.add_argument("--reset", action="store_true", help="PostgreSQL: drop and rebuild the schema first")
    args = parser.parse_args()
    work = _prepare_env(args)
    sys.path.insert(0, str(ROOT))
    import httpx

    from onestop.settings import get_settings

    db = get_settings().database_url
    print(f"database: {db.split('@')[-1]}  data: {work}")
    t = time.perf_counter()
    _setup_database(args.reset)
    print(f"schema + reference data: {time.perf_counter() - t:.1f} s")
    captures = _build_captures(args.dossiers, args.photos, args.photo_kb)
    before = _counts()
    port = _free_port()
    server = _start_server(port, work / "server.log")
    base = f"http://127.0.0.1:{port}"
    try:
        r = httpx.post(
            f"{base}/api/v1/field/session",
            json={"login": "0901000002", "password": "Demo@2026", "device_id": "bench-device-0000"},
        )
        r.raise_for_status()
        token = r.json()["token"]
        mb = args.dossiers * (args.photos * args.photo_kb + 6) / 1024
        first, lat1, answers1 = _run_pass(base, token, captures, args.devices)
        after_first = _counts()
        resend, lat2, answers2 = _run_pass(base, token, captures, args.devices)
        after_resend = _counts()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
    created = after_first[0] - before[0]
    assert created == args.dossiers, f"{created} dossiers created, expected {args.dossiers}"
    assert after_resend == after_first, f"resend changed the data: {after_first} → {after_resend}"
    assert answers1 == answers2, "the resend got different answers"
    n = args.dossiers
    print(f"{n} dossiers × {args.photos} photos × {args.photo_kb} KB ({mb:.0f} MB), {args.devices} devices at once")
    print(
        f"first sync:            {first:7.1f} s  {n / first:6.1f} dossiers/s  {mb / first:6.1f} MB/s  "
        f"p50 {statistics.median(lat1) * 1000:.0f} ms  p95 {_pct(lat1, 0.95) * 1000:.0f} ms per dossier"
    )
    print(
        f"idempotent full resend: {resend:7.1f} s  {n / resend:6.1f} dossiers/s  {mb / resend:6.1f} MB/s  "
        f"p50 {statistics.median(lat2) * 1000:.0f} ms  p95 {_pct(lat2, 0.95) * 1000:.0f} ms per dossier"
    )
    print(
        f"after resend: {after_resend[0]} field dossiers, {after_resend[1]} attachments (unchanged); answers identical"
    )


if __name__ == "__main__":
    main()
