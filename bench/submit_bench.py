"""Dossier submission throughput: the service layer (`file_dossier`) versus bare SQL, same rows.

Service path — what an online submission costs: a fresh Session per request,
`services.dossiers.file_dossier` with a citizen actor (procedure lookup, registry
pre-fill, real form validation, code allocation by upsert, dossier row, audit
event, applicant notification + SMS outbox rows, commit, change-feed publish). Since issue 11 (round 6) the
center and procedure come from memory (read.reference) and on PostgreSQL the writes are one statement
(services.filing_statement); `--apply-page` also times `filing.submit_application`, what the apply page runs.

Bare SQL — the same dossier written by hand with no checks, one transaction each:

* `bare`        INSERT dossier + INSERT dossier_event (code made client-side);
* `bare+same`   the very rows the service writes: code upsert on dossier_sequence,
                dossier, dossier_event, notification, outbound_message.

PostgreSQL runs on the bench database (1M dossiers: realistic index depth); the
rows written are deleted at the end (`--keep` keeps them). SQLite runs on a
scratch file for reference. The paths run interleaved in blocks so machine noise
hits them alike; single client, one dossier per transaction, synchronous commit.

    .venv/bin/python bench/submit_bench.py [--url …] [--n 2000] [--sqlite/--no-sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import common  # noqa: F401  (sys.path + scratch data dir, before any onestop import)
import lean_submit
import psycopg
import sqlalchemy as sa
from common import DEFAULT_URL, libpq_dsn
from sqlmodel import Session, select

from onestop import clock
from onestop.db import engine_for, transaction
from onestop.demo.seed import seed
from onestop.domain.text import fold
from onestop.migrations import upgrade_head
from onestop.models import Center, Resident, User
from onestop.services import filing
from onestop.services.actor import Actor
from onestop.services.dossiers import file_dossier
from tests.integration.helpers import form_for

PROCEDURES = ("1.004873", "1.001612")  # marital status certificate, business household: no upload required
BLOCK = 100
TABLES = ("dossier_event", "notification", "outbound_message", "dossier")


@dataclass
class Person:
    actor: Actor
    resident: Resident
    user: User


def people(session: Session, n: int, rng: random.Random) -> list[Person]:
    """Citizens with an account and a registry record (the online applicants)."""
    rows = session.exec(
        select(User, Resident)
        .join(Resident, Resident.national_id == User.national_id)
        .where(User.role == "citizen")
        .order_by(User.id)
        .limit(max(n * 4, 400))
    ).all()
    rows = list(rows)
    rng.shuffle(rows)
    return [Person(Actor.from_user(u), r, u) for u, r in rows[:n]] or []


def prepare(session: Session, persons: list[Person], centers: list[Center], n: int, rng: random.Random) -> list[dict]:
    """The n submissions (who, where, what): identical inputs for every path."""
    out = []
    for i in range(n):
        person = persons[i % len(persons)]
        code = PROCEDURES[i % len(PROCEDURES)]
        form = form_for(session, code, person.resident)
        out.append({"person": person, "procedure": code, "form": form, "center": rng.choice(centers)})
    return out


# --------------------------------------------------------------------------- the three paths


def service_path(engine: sa.Engine, pin_user: bool = False) -> Callable[[dict], None]:
    """`file_dossier` in a fresh Session. `pin_user` (a what-if, not the code as it is): hold the acting
    user in the session first, so the service's three `session.get(User)` calls hit the identity map
    (SQLAlchemy's identity map is weak-referencing: an object nobody holds is loaded again)."""

    def submit(job: dict) -> None:
        with Session(engine, expire_on_commit=False) as session:
            pinned = session.get(User, job["person"].actor.user_id) if pin_user else None
            file_dossier(
                session,
                job["person"].actor,
                procedure_code=job["procedure"],
                form_data=job["form"],
                channel="online",
                center_id=job["center"].id,
            )
            # Services never commit (house rule): the edge does. Without this the service path was timed
            # without its COMMIT (its rows rolled back) while the bare paths committed.
            session.commit()
            del pinned

    return submit


def apply_path(engine: sa.Engine) -> Callable[[dict], None]:
    """What the apply page runs: `services.filing.submit_application` (role, procedure, allowed centers, form
    coercion, then `file_dossier`) inside `transaction()`."""

    def submit(job: dict) -> None:
        with Session(engine, expire_on_commit=False) as session, transaction(session):
            filing.submit_application(
                session, job["person"].actor, job["procedure"], job["form"], str(job["center"].id), []
            )

    return submit


def lean_path(engine: sa.Engine, one_statement: bool = False) -> Callable[[dict], None]:
    """The prototype of the proposed changes (bench/lean_submit.py), same checks and rows."""
    lean_submit.clear_caches()

    def submit(job: dict) -> None:
        with Session(engine, expire_on_commit=False) as session:
            lean_submit.file_online(
                session,
                job["person"].actor,
                procedure_code=job["procedure"],
                form_data=job["form"],
                center_id=job["center"].id,
                one_statement=one_statement,
            )

    return submit


class Bare:
    """Hand-written SQL on the raw driver (psycopg or sqlite3), one transaction per dossier."""

    def __init__(self, conn, dialect: str, proc_ids: dict[str, int], same_rows: bool) -> None:
        self.conn, self.pg, self.same_rows, self.proc_ids = conn, dialect == "postgresql", same_rows, proc_ids
        self.k = 0
        self.salt = secrets.token_hex(3)

    def q(self, sql: str) -> str:
        return sql if self.pg else sql.replace("%s", "?")

    def __call__(self, job: dict) -> None:
        now = clock.now()
        person, center = job["person"], job["center"]
        cur = self.conn.cursor()
        self.k += 1
        if self.same_rows:
            cur.execute(
                self.q(
                    "INSERT INTO dossier_sequence (center_code, day, last_seq) VALUES (%s, %s, 1) "
                    "ON CONFLICT (center_code, day) DO UPDATE SET last_seq = dossier_sequence.last_seq + 1 "
                    "RETURNING last_seq"
                ),
                (center.code, now.date()),
            )
            code = f"{center.code}-{now:%y%m%d}-{cur.fetchone()[0]:04d}"
        else:
            code = f"{center.code}-{now:%y%m%d}-B{self.salt}{self.k:06d}"
        form = json.dumps(job["form"], ensure_ascii=False)
        r, u = person.resident, person.user
        cur.execute(
            self.q(
                "INSERT INTO dossier (code, tracking_token, procedure_id, procedure_code, applicant_user_id, "
                "applicant_resident_id, applicant_name, applicant_name_folded, applicant_national_id, applicant_phone, "
                "acting_user_id, on_behalf, channel, receiving_center_id, handling_center_id, status, step, form_data, "
                "language, submitted_at, fee_amount, fee_status, version, created_at, updated_at) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'online', %s, %s, 1, '', %s, 'vi', %s, 0, 'none', 1, "
                "%s, %s) RETURNING id"
            ),
            (
                code,
                secrets.token_urlsafe(24),
                self.proc_ids[job["procedure"]],
                job["procedure"],
                u.id,
                r.id,
                u.full_name,
                fold(u.full_name),
                r.national_id,
                r.phone,
                u.id,
                False,
                center.id,
                center.id,
                form,
                now,
                now,
                now,
            ),
        )
        dossier_id = cur.fetchone()[0]
        cur.execute(
            self.q(
                "INSERT INTO dossier_event (dossier_id, at, action, actor_user_id, actor_name, actor_role, from_status, "
                "to_status, from_step, to_step, from_unit, to_unit, channel, on_behalf_of, note, outcome, data) VALUES "
                "(%s, %s, 'submit', %s, %s, 'citizen', 0, 1, '', '', '', %s, 'online', '', '', '', %s)"
            ),
            (dossier_id, now, u.id, u.full_name, center.name, '{"attachments": 0}'),
        )
        if self.same_rows:
            key = f"dossier:{dossier_id}:submitted:0"
            title = f"Hồ sơ {code} đã được nộp"
            cur.execute(
                self.q(
                    "INSERT INTO notification (user_id, dossier_id, kind, title, body, url, dedupe_key, created_at, "
                    "push_status, push_attempts, next_attempt_at) VALUES (%s, %s, 'submitted', %s, %s, %s, %s, %s, "
                    "'pending', 0, %s)"
                ),
                (
                    u.id,
                    dossier_id,
                    title,
                    "Trung tâm sẽ kiểm tra và tiếp nhận hồ sơ.",
                    f"/dossiers/{code}",
                    key,
                    now,
                    now,
                ),
            )
            cur.execute(
                self.q(
                    "INSERT INTO outbound_message (channel, recipient, body, dedupe_key, created_at) "
                    "VALUES ('sms', %s, %s, %s, %s)"
                ),
                (r.phone, title, key, now),
            )
        self.conn.commit()


# --------------------------------------------------------------------------- running


def count_statements(engine: sa.Engine, fn: Callable[[dict], None], job: dict) -> int:
    seen = [0]

    def on_exec(*_a) -> None:
        seen[0] += 1

    sa.event.listen(engine, "before_cursor_execute", on_exec)
    try:
        fn(job)
    finally:
        sa.event.remove(engine, "before_cursor_execute", on_exec)
    return seen[0]


def race(paths: dict[str, Callable[[dict], None]], jobs: list[dict], warm: int) -> dict[str, tuple[float, float]]:
    """Run every path over the same jobs, interleaved in blocks of BLOCK dossiers.

    Returns per path (dossiers/s over all blocks, dossiers/s of the median block). The median block is
    the figure to compare on a shared machine: a burst of someone else's load spoils a few blocks of one
    path, not the median.
    """
    for fn in paths.values():  # warm-up: caches, prepared statements, connection pools
        for job in jobs[:warm]:
            fn(job)
    spent = dict.fromkeys(paths, 0.0)
    per_dossier: dict[str, list[float]] = {name: [] for name in paths}
    done = 0
    for start in range(warm, len(jobs), BLOCK):
        block = jobs[start : start + BLOCK]
        done += len(block)
        for name, fn in paths.items():
            t0 = time.perf_counter()
            for job in block:
                fn(job)
            dt = time.perf_counter() - t0
            spent[name] += dt
            per_dossier[name].append(dt / len(block))
    return {name: (done / spent[name], 1 / statistics.median(per_dossier[name])) for name in paths}


def report(db: str, rates: dict[str, tuple[float, float]], statements: int, n: int) -> None:
    print(f"\n{db}: {n:,} submissions per path (single client, one transaction each), dossiers/s")
    print(f"  {'path':40s} {'all blocks':>10s} {'median block':>13s}")
    for name, (mean, median) in rates.items():
        print(f"  {name:40s} {mean:10.0f} {median:13.0f}   ({1000 / median:.2f} ms each, median)")
    for name in (k for k in rates if not k.startswith("bare")):
        ratio = [100 * rates[name][i] / rates["bare"][i] for i in (0, 1)]
        same = [100 * rates[name][i] / rates["bare+same"][i] for i in (0, 1)]
        print(
            f"  {name} / bare = {ratio[1]:.0f} % median ({ratio[0]:.0f} % all)  [target >= 30 %];  "
            f"/ bare+same = {same[1]:.0f} % ({same[0]:.0f} %)"
        )
    print(f"  SQL statements per service submission: {statements}")


def run_db(
    url: str, n: int, warm: int, seed_value: int, fresh: bool, what_if: bool, apply_page: bool = False
) -> dict[str, int]:
    engine = engine_for(url)
    dialect = engine.dialect.name
    if fresh:
        upgrade_head(url)
        with Session(engine, expire_on_commit=False) as session:
            seed(session, dossiers=0)
    rng = random.Random(seed_value)
    with Session(engine, expire_on_commit=False) as session:
        centers = list(session.exec(select(Center).where(Center.active.is_(True)).order_by(Center.id)))
        persons = people(session, min(n + warm, 2000), rng)
        jobs = prepare(session, persons, centers, n + warm + 1, rng)
        proc_ids = dict(
            session.exec(
                sa.text("SELECT code, id FROM procedure WHERE is_current AND code IN ('1.004873', '1.001612')")
            ).all()
        )
    marks = {}
    with engine.connect() as conn:
        for t in TABLES:
            marks[t] = conn.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one()
    if dialect == "postgresql":
        raw = psycopg.connect(libpq_dsn(url))
    else:
        raw = sqlite3.connect(url.split("///", 1)[1], timeout=10)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=NORMAL")
        raw.execute("PRAGMA foreign_keys=ON")
    try:
        statements = count_statements(engine, service_path(engine), jobs[0])
        paths = {
            "service": service_path(engine),
            "bare": Bare(raw, dialect, proc_ids, same_rows=False),
            "bare+same": Bare(raw, dialect, proc_ids, same_rows=True),
        }
        if apply_page:
            paths["apply page (filing.submit_application)"] = apply_path(engine)
        if what_if:
            lean = engine if dialect == "sqlite" else sa.create_engine(url, pool_size=10, max_overflow=20)
            paths["service, user pinned"] = service_path(engine, pin_user=True)
            paths["service, user pinned, no pre-ping"] = service_path(lean, pin_user=True)
            paths["lean prototype (bench/lean_submit.py)"] = lean_path(engine)
            if dialect == "postgresql":
                paths["lean prototype, one write statement"] = lean_path(engine, one_statement=True)
        rates = race(paths, jobs[1:], warm)
    finally:
        raw.close()
    report(f"{dialect} ({url.rsplit('/', 1)[-1]})", rates, statements, n)
    return marks


def cleanup(url: str, marks: dict[str, int]) -> None:
    """Delete what the bench wrote, so the 1M bench database stays as generated."""
    with psycopg.connect(libpq_dsn(url), autocommit=True) as conn:
        for t in TABLES:
            conn.execute(f"DELETE FROM {t} WHERE id > %s", (marks[t],))
        for t in TABLES:
            conn.execute(f"VACUUM (ANALYZE) {t}")
    print(f"removed the bench rows (ids above {marks})")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL bench database (made by bench/generate.py)")
    ap.add_argument("--n", type=int, default=2000, help="submissions per path")
    ap.add_argument("--warm", type=int, default=50)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--keep", action="store_true", help="keep the rows written on PostgreSQL")
    ap.add_argument(
        "--apply-page", action="store_true", help="also time filing.submit_application, what the apply page runs"
    )
    ap.add_argument(
        "--what-if",
        action="store_true",
        help="also time the service with the acting user held in the session (and without pre-ping)",
    )
    args = ap.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f}")
    marks = run_db(
        args.url, args.n, args.warm, args.seed, fresh=False, what_if=args.what_if, apply_page=args.apply_page
    )
    if not args.keep:
        cleanup(args.url, marks)
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run_db(
                f"sqlite:///{Path(tmp) / 'submit_bench.db'}",
                args.n,
                args.warm,
                args.seed,
                fresh=True,
                what_if=args.what_if,
                apply_page=args.apply_page,
            )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
