"""Generate N realistic dossiers (default 1,000,000) into a PostgreSQL bench database.

Reproducible: one seeded RNG drives everything; with the same `--seed`, `--n`
and `--now` the rows are identical. The run

1. creates the database if missing (`--replace` drops and recreates it), migrates
   it with the real migrations and loads the demo reference data (catalog, the 4
   demo centers, staff, residents) through `onestop.demo.seed.seed`;
2. adds ~56 more centers (60 in all, sizes skewed like a real province: the
   provincial center largest, small island/commune centers smallest), their staff,
   and a population of residents (70 % with an online account);
3. simulates each dossier's life on the real working calendar (holidays, office
   hours; due dates from `domain.deadlines.compute_due`) from its submission
   moment in the last `--days` days to `--now`: reception delay, supplement pauses
   (restart), fee waits, withdrawals, stops, refusals, on-time and late processing,
   return of the result. Statuses fall out of the timing: most returned (10), a
   few % open in 2/4, some in 1/5/6/9, a small fraction overdue;
4. bulk-loads with PostgreSQL COPY (psycopg `cursor.copy`) in batches, with the
   dossier table's secondary indexes, unique and foreign-key constraints dropped
   during the load and re-created from their catalog definitions afterwards (so
   the schema is exactly the migrated one), then VACUUM ANALYZE;
5. writes audit events for a sample (every open dossier plus `--event-sample` of
   the closed ones) and the per-center/day code sequences.

    .venv/bin/python bench/generate.py [--n 1000000] [--url postgresql+psycopg://…/onestop_bench] [--replace]
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import random
import time
from bisect import bisect_right
from collections import Counter as Tally
from datetime import date, datetime, timedelta
from datetime import time as dtime

import common  # noqa: F401  (sys.path + scratch data dir, before any onestop import)
import psycopg
from common import DEFAULT_URL, ensure_database, libpq_dsn
from sqlmodel import Session, select

from onestop import clock
from onestop.db import engine_for
from onestop.demo.catalog import PROCEDURES
from onestop.demo.seed import (
    GIVEN_FEMALE,
    GIVEN_MALE,
    HAMLETS,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    SURNAMES,
    _form_for,
    seed,
)
from onestop.domain.deadlines import compute_due
from onestop.domain.text import fold
from onestop.migrations import upgrade_head
from onestop.models import Center, Counter, Procedure, User
from onestop.services.calendar import load_calendar, same_day_cutoff
from onestop.services.dossiers import duration_for, fee_for

DAY = 86_400
#: Channel mix of a province that reached the 85 % online target.
CHANNELS = (("online", 85.0), ("direct", 11.0), ("assisted", 3.0), ("field", 1.0))
#: Probabilities of the side paths (per dossier).
P_REFUSED_AT_RECEPTION = 0.012
P_SUPPLEMENT = 0.07
P_SUPPLEMENT_ABANDONED = 0.15  # of supplement requests: never provided → closed (status 3)
P_FEE_WAIT = 0.05  # of fee-bearing dossiers: wait for a fee during processing
P_WITHDRAWN = 0.008
P_STOPPED = 0.002
P_LATE = 0.02  # processing overruns the due date by a few working days
P_STUCK = 0.004  # forgotten in a drawer: overruns by weeks
P_NEVER_COLLECTED = 0.02  # result ready (9), nobody came
P_ELECTRONIC_RETURN = 0.73
#: Share of the dossier volume per procedure (%), like a province's mix: land and certified copies lead;
#: procedures not listed (a catalog that grew) get 1.
VOLUME = {
    "1.003010": 22,
    "2.000815": 16,
    "1.004194": 10,
    "1.001193": 9,
    "3.000333": 6,
    "1.002804": 6,
    "2.000635": 6,
    "1.004873": 5,
    "2.000884": 5,
    "1.009794": 4,
    "1.001612": 4,
    "1.000894": 4,
    "1.000656": 3,
}

COMMUNE_WORDS = [
    "Hòa",
    "Tân",
    "Phú",
    "An",
    "Bình",
    "Thạnh",
    "Long",
    "Mỹ",
    "Đông",
    "Tây",
    "Vĩnh",
    "Hưng",
    "Lộc",
    "Thuận",
    "Phước",
    "Xuân",
    "Đức",
    "Quang",
    "Sơn",
    "Hải",
]

DOSSIER_COLUMNS = (
    "id",
    "code",
    "tracking_token",
    "procedure_id",
    "procedure_code",
    "applicant_user_id",
    "applicant_resident_id",
    "applicant_name",
    "applicant_name_folded",
    "applicant_national_id",
    "applicant_phone",
    "acting_user_id",
    "on_behalf",
    "consent_id",
    "channel",
    "receiving_center_id",
    "handling_center_id",
    "assignee_id",
    "status",
    "step",
    "resume_status",
    "resume_step",
    "form_data",
    "language",
    "submitted_at",
    "received_at",
    "due_at",
    "paused_at",
    "finished_at",
    "on_time",
    "apology_issued_at",
    "supplement_deadline",
    "supplement_request",
    "fee_amount",
    "fee_status",
    "result_attachment_id",
    "client_uuid",
    "provisional_code",
    "captured_at",
    "flags",
    "version",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "id",
    "dossier_id",
    "at",
    "action",
    "actor_user_id",
    "actor_name",
    "actor_role",
    "from_status",
    "to_status",
    "from_step",
    "to_step",
    "from_unit",
    "to_unit",
    "channel",
    "on_behalf_of",
    "note",
    "step_due_at",
    "outcome",
    "data",
)
N = r"\N"


# --------------------------------------------------------------------------- working-time axis


class WorkAxis:
    """Moments as whole seconds since `base` midnight, and the working-seconds axis of the real calendar.

    Why: the simulation adds working hours to moments millions of times; doing it
    through `WorkingCalendar.add_working_hours` would take minutes. The axis is
    built from the same calendar (holidays, overrides, office hours), so
    `w(t)` / `t(w)` agree with it; due dates still come from `compute_due`.
    """

    def __init__(self, cal, base: date, days: int) -> None:
        self.cal, self.base, self.days = cal, base, days
        self.sessions = [
            (s.hour * 3600 + s.minute * 60, e.hour * 3600 + e.minute * 60) for s, e in cal.office_hours.sessions
        ]
        self.per_day = sum(e - s for s, e in self.sessions)
        self.working = [cal.is_working_day(base + timedelta(days=i)) for i in range(days)]
        self.w0: list[int] = []
        acc = 0
        for ok in self.working:
            self.w0.append(acc)
            acc += self.per_day if ok else 0
        self.working_days = [i for i, ok in enumerate(self.working) if ok]
        self._due_cache: dict[tuple, int] = {}
        self.base_dt = datetime.combine(base, dtime())
        self._day_str = [str(base + timedelta(days=i)) for i in range(days)]

    def w(self, t: int) -> int:
        day, sod = divmod(t, DAY)
        w = self.w0[day]
        if not self.working[day]:
            return w
        for s, e in self.sessions:
            if sod <= s:
                return w
            if sod < e:
                return w + sod - s
            w += e - s
        return w

    def t(self, w: int) -> int:
        """The moment working second `w` is reached (opening of the day for a day boundary)."""
        day = bisect_right(self.w0, w) - 1
        while not self.working[day]:
            day += 1
        rem = w - self.w0[day]
        for s, e in self.sessions:
            if rem <= e - s:
                return day * DAY + s + rem
            rem -= e - s
        return day * DAY + self.sessions[-1][1]

    def dt(self, t: int) -> datetime:
        return self.base_dt + timedelta(seconds=t)

    def s(self, t: int | None) -> str:
        """COPY text of a moment (or NULL)."""
        if t is None:
            return N
        day, sod = divmod(t, DAY)
        h, rem = divmod(sod, 3600)
        return f"{self._day_str[day]} {h:02d}:{rem // 60:02d}:{rem % 60:02d}"

    def due(self, received: int, duration, unit_key: str) -> int:
        """`compute_due` on the real calendar, cached by what it depends on (day, cut-off, closing)."""
        day, sod = divmod(received, DAY)
        key = (day, sod < 15 * 3600, sod < self.sessions[-1][1], unit_key)
        hit = self._due_cache.get(key)
        if hit is None:
            moment = compute_due(self.dt(received), duration, self.cal, same_day_cutoff())
            hit = int((moment - self.base_dt).total_seconds())
            self._due_cache[key] = hit
        return hit

    def add_working_days(self, t: int, n: int) -> int:
        key = ("wd", t // DAY, t % DAY < self.sessions[-1][1], n)
        hit = self._due_cache.get(key)
        if hit is None:
            moment = self.cal.add_working_days(self.dt(t), n)
            hit = int((moment - self.base_dt).total_seconds())
            self._due_cache[key] = hit
        return hit


# --------------------------------------------------------------------------- reference data


def _extra_centers(session: Session, rng: random.Random, total: int) -> None:
    have = {c.code for c in session.exec(select(Center))}
    specs: list[tuple[str, str, str]] = []
    pairs = [(a, b) for a in COMMUNE_WORDS for b in COMMUNE_WORDS if a != b]
    rng.shuffle(pairs)
    n_wards = max(1, (total - len(have)) // 4)
    for i in range(total - len(have)):
        a, b = pairs[i]
        if i < n_wards:
            specs.append((f"P{i + 2:02d}", f"Trung tâm Phục vụ hành chính công phường {a} {b}", "ward"))
        else:
            specs.append((f"X{i - n_wards + 2:02d}", f"Trung tâm Phục vụ hành chính công xã {a} {b}", "commune"))
    for code, name, level in specs:
        if code in have:
            continue
        center = Center(
            code=code,
            name=name,
            level=level,
            province="Tỉnh Demo",
            address=name.split("công ")[-1],
            phone=f"02203 6{rng.randrange(10**4):04d}",
        )
        session.add(center)
        session.flush()
        session.add(
            Counter(
                center_id=center.id,
                number=1,
                name="Quầy 1 — Tất cả lĩnh vực",
                field_codes=[
                    "civil_status",
                    "certification",
                    "residence",
                    "business",
                    "land",
                    "construction",
                    "judicial",
                    "transport",
                ],
            )
        )
    session.commit()


def _staff(session: Session, password_hash: str) -> dict[int, dict[str, list[User]]]:
    """Make sure every center has 2 receivers, 3 specialists, 1 leader and 1 supporter; return them."""
    centers = session.exec(select(Center).order_by(Center.id)).all()
    staff: dict[int, dict[str, list[User]]] = {}
    for u in session.exec(select(User).where(User.center_id.is_not(None))):
        staff.setdefault(u.center_id, {}).setdefault(u.role, []).append(u)
    want = {"receiver": 2, "specialist": 3, "leader": 1, "supporter": 1}
    titles = {
        "receiver": "Công chức một cửa",
        "specialist": "Công chức chuyên môn",
        "leader": "Phó Chủ tịch UBND",
        "supporter": "Tổ công nghệ số cộng đồng",
    }
    for c in centers:
        have = staff.setdefault(c.id, {})
        for role, n in want.items():
            got = have.setdefault(role, [])
            while len(got) < n:
                k = len(got) + 1
                u = User(
                    phone=f"0999{c.id:03d}{list(want).index(role)}{k:02d}",
                    full_name=f"Cán bộ {c.code} {role} {k}",
                    role=role,
                    center_id=c.id,
                    title=titles[role],
                    password_hash=password_hash,
                )
                session.add(u)
                got.append(u)
    session.commit()
    return staff


def _names(rng: random.Random) -> list[tuple[str, str, str]]:
    """Every (full name, folded, gender) combination, folded once."""
    out = []
    for gender, middles, givens in (("male", MIDDLE_MALE, GIVEN_MALE), ("female", MIDDLE_FEMALE, GIVEN_FEMALE)):
        for s in SURNAMES:
            for m in middles:
                for g in givens:
                    name = f"{s} {m} {g}"
                    out.append((name, fold(name), gender))
    return out


class People:
    """The population: residents (all) and citizen accounts (70 %), bulk-loaded with COPY."""

    def __init__(
        self,
        rng: random.Random,
        n: int,
        resident_id0: int,
        user_id0: int,
        taken_nids: set[str],
        taken_phones: set[str],
        password_hash: str,
    ) -> None:
        names = _names(rng)
        self.n = n
        self.name_idx: list[int] = []
        self.nid: list[str] = []
        self.phone: list[str] = []
        self.dob: list[str] = []
        self.address: list[str] = []
        self.resident_id: list[int] = []
        self.user_id: list[int | None] = []
        self.with_account: list[int] = []
        self.names = names
        self.resident_rows: list[str] = []
        self.user_rows: list[str] = []
        uid = user_id0
        created = "2025-01-02 08:00:00"
        communes = [f"xã {a} {b}" for a in COMMUNE_WORDS[:8] for b in COMMUNE_WORDS[8:14] if a != b]
        serial = rng.randrange(10**5)
        for i in range(n):
            ni = rng.randrange(len(names))
            name, folded, gender = names[ni]
            year = rng.randint(1940, 2007)
            born = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            while True:
                serial = (serial + rng.randint(1, 97)) % 10**6
                century = (year // 100 - 19) * 2 + (1 if gender == "female" else 0)
                nid = f"036{century}{year % 100:02d}{serial:06d}"
                if nid not in taken_nids:
                    break
            taken_nids.add(nid)
            while True:
                phone = f"0{rng.choice('3789')}{rng.randrange(10**8):08d}"
                if phone not in taken_phones:
                    break
            taken_phones.add(phone)
            commune = communes[i % len(communes)]
            address = f"Số {rng.randint(1, 300)}, {rng.choice(HAMLETS)}, {commune}, Tỉnh Demo"
            rid = resident_id0 + i
            self.name_idx.append(ni)
            self.nid.append(nid)
            self.phone.append(phone)
            self.dob.append(born)
            self.address.append(address)
            self.resident_id.append(rid)
            self.resident_rows.append(
                f"{rid}\t{nid}\t{name}\t{folded}\t{born}\t{gender}\t{phone}\t{address}\t{commune}\tKinh\n"
            )
            if rng.random() < 0.7 and year <= 2007:
                self.user_id.append(uid)
                self.with_account.append(i)
                self.user_rows.append(
                    f"{uid}\t{phone}\t{nid}\t{name}\t\t{password_hash}\tcitizen\t{N}\t\tvi\tt\t{created}\n"
                )
                uid += 1
            else:
                self.user_id.append(None)


# --------------------------------------------------------------------------- helpers


def _copy(conn: psycopg.Connection, table: str, columns: tuple[str, ...], lines: list[str]) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for k in range(0, len(lines), 20_000):
            copy.write("".join(lines[k : k + 20_000]))


def _drop_secondary(conn: psycopg.Connection, table: str) -> list[str]:
    """Drop a table's secondary indexes, unique and FK constraints; return the DDL that re-creates them."""
    cons = conn.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
        (table,),
    ).fetchall()
    con_names = {c[0] for c in cons}
    idx = conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary ORDER BY i.relname",
        (table,),
    ).fetchall()
    recreate = [ddl for name, ddl in idx if name not in con_names]
    recreate += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}' for name, kind, ddl in cons]
    for name, _kind, _ in sorted(cons, key=lambda c: c[1] != "f"):  # FKs first, then uniques
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in idx:
        if name not in con_names:
            conn.execute(f'DROP INDEX "{name}"')
    return recreate


def _token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(24)).decode()


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


# --------------------------------------------------------------------------- the generator


def generate(
    url: str,
    n: int,
    seed_value: int,
    days: int,
    now: datetime,
    people_n: int,
    event_sample: float,
    batch: int,
    replace: bool,
) -> None:
    t_all = time.perf_counter()
    rng = random.Random(seed_value)
    created = ensure_database(url, replace=replace)
    print(f"database {'created' if created else 'exists'}: {url}")
    upgrade_head(url)
    engine = engine_for(url)
    clock.set_now(now)
    with Session(engine, expire_on_commit=False) as session:
        seed(session, dossiers=0, rng_seed=seed_value)
        _extra_centers(session, rng, 60)
        pw = session.exec(select(User.password_hash).where(User.role == "citizen")).first() or "x"
        staff = _staff(session, pw)
        centers = session.exec(select(Center).order_by(Center.id)).all()
        procs = session.exec(select(Procedure).where(Procedure.is_current.is_(True)).order_by(Procedure.id)).all()
        cal = load_calendar(session)
        taken_nids = {x for x in session.exec(select(User.national_id)) if x}
        taken_phones = set(session.exec(select(User.phone)))
    clock.set_now(None)
    print(
        f"reference data ready ({time.perf_counter() - t_all:.1f} s): {len(centers)} centers, {len(procs)} procedures"
    )

    dsn = libpq_dsn(url)
    with psycopg.connect(dsn) as conn:
        if conn.execute("SELECT count(*) FROM dossier").fetchone()[0]:
            raise SystemExit("the bench database already has dossiers; run again with --replace")
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET synchronous_commit = off")
        rid0 = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM resident").fetchone()[0]
        uid0 = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM app_user").fetchone()[0]

        # ------------------------------------------------------------- people
        t0 = time.perf_counter()
        people = People(rng, people_n, rid0, uid0, taken_nids, taken_phones, pw)
        _copy(
            conn,
            "resident",
            (
                "id",
                "national_id",
                "full_name",
                "full_name_folded",
                "date_of_birth",
                "gender",
                "phone",
                "address",
                "commune",
                "ethnicity",
            ),
            people.resident_rows,
        )
        _copy(
            conn,
            "app_user",
            (
                "id",
                "phone",
                "national_id",
                "full_name",
                "email",
                "password_hash",
                "role",
                "center_id",
                "title",
                "language",
                "active",
                "created_at",
            ),
            people.user_rows,
        )
        conn.commit()
        print(
            f"people: {people_n:,} residents, {len(people.with_account):,} citizen accounts "
            f"({time.perf_counter() - t0:.1f} s)"
        )
        people.resident_rows.clear()
        people.user_rows.clear()

        # ------------------------------------------------------------- dossiers
        t0 = time.perf_counter()
        recreate = _drop_secondary(conn, "dossier") + _drop_secondary(conn, "dossier_event")
        conn.commit()
        stats = _dossiers(conn, rng, n, days, now, cal, centers, procs, staff, people, event_sample, batch)
        t_load = time.perf_counter() - t0
        print(
            f"dossiers: {n:,} rows + {stats['events']:,} events loaded in {t_load:.1f} s ({n / t_load:,.0f} dossiers/s)"
        )

        t0 = time.perf_counter()
        for ddl in recreate:
            conn.execute(ddl)
        conn.commit()
        print(f"indexes and constraints re-created ({time.perf_counter() - t0:.1f} s)")
        for seq_table in ("dossier", "dossier_event", "resident", "app_user"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{seq_table}', 'id'), (SELECT max(id) FROM {seq_table}))"
            )
        conn.commit()

    t0 = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in ("dossier", "dossier_event", "resident", "app_user", "dossier_sequence"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
        size = conn.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('dossier')), pg_size_pretty(pg_relation_size('dossier'))"
        ).fetchone()
    print(f"vacuum analyze ({time.perf_counter() - t0:.1f} s); dossier table {size[1]} heap, {size[0]} with indexes")
    _report(stats, n)
    print(f"generation took {time.perf_counter() - t_all:.1f} s in all")


def _center_weights(rng: random.Random, centers: list[Center]) -> list[float]:
    """Province center ≈ 12 %, the island zone small, the rest log-normal (a busy ward ≈ 8× a quiet commune)."""
    raw = []
    for c in centers:
        if c.level == "province":
            raw.append(0.0)
        elif c.level == "special_zone":
            raw.append(0.3)
        else:
            raw.append(math.exp(rng.gauss(0, 0.6)) * (1.4 if c.level == "ward" else 1.0))
    rest = sum(raw)
    return [0.12 if c.level == "province" else 0.88 * w / rest for c, w in zip(centers, raw, strict=True)]


def _dossiers(
    conn: psycopg.Connection,
    rng: random.Random,
    n: int,
    days: int,
    now: datetime,
    cal,
    centers: list[Center],
    procs: list[Procedure],
    staff: dict,
    people: People,
    event_sample: float,
    batch: int,
) -> dict:
    base = now.date() - timedelta(days=days + 5)
    axis = WorkAxis(cal, base, days + 200)
    t_now = int((now - axis.base_dt).total_seconds())
    t_start = t_now - days * DAY
    w_start, w_now = axis.w(t_start), axis.w(t_now)

    # --- who, where, what (drawn in bulk: much faster than per row)
    cweights = _center_weights(rng, centers)
    center_of = rng.choices(range(len(centers)), weights=cweights, k=n)
    pweights = [VOLUME.get(p.code, 1) for p in procs]
    proc_of = rng.choices(range(len(procs)), weights=pweights, k=n)
    ch_names = [c for c, _ in CHANNELS]
    channel_of = rng.choices(range(len(CHANNELS)), weights=[w for _, w in CHANNELS], k=n)
    province_idx = next(i for i, c in enumerate(centers) if c.level == "province")

    # --- submission moments: counter channels in office hours; online mostly office hours, 30 % any time
    subs: list[tuple[int, int]] = []
    for i in range(n):
        if channel_of[i] == 0 and rng.random() < 0.3:
            t = rng.randrange(t_start, t_now)
        else:
            t = axis.t(rng.randrange(w_start, w_now))
        subs.append((t, i))
    subs.sort()

    proc_info = []
    for p in procs:
        spec = next(s for s in PROCEDURES if s["code"] == p.code)
        probe = _Probe()
        form = json.dumps(_form_for(spec, probe, random.Random(p.id)), ensure_ascii=False, separators=(",", ":"))
        assert "\\" not in form and "\t" not in form
        durs = {ch: duration_for(p, ch) for ch in ch_names}
        proc_info.append(
            {
                "id": p.id,
                "code": p.code,
                "form": form,
                "durations": durs,
                "dkey": {ch: f"{d.value}:{d.unit}" for ch, d in durs.items()},
                "fees": {ch: fee_for(p, ch) for ch in ch_names},
                "province": p.level == "province",
            }
        )

    center_codes = [c.code for c in centers]
    center_ids = [c.id for c in centers]
    center_names = [c.name for c in centers]
    roles = {}
    for ci, c in enumerate(centers):
        s = staff[c.id]
        roles[ci] = {
            r: [(u.id, u.full_name) for u in s.get(r, [])] for r in ("receiver", "specialist", "leader", "supporter")
        }
    seq: dict[tuple[int, int], int] = {}
    tally: Tally = Tally()
    events_total = 0
    overdue = due_soon = 0
    t_soon = axis.add_working_days(t_now, 1)
    lines: list[str] = []
    ev_lines: list[str] = []
    ev_id = 1
    s = axis.s
    n_acc = len(people.with_account)

    for dossier_id, (t_sub, i) in enumerate(subs, start=1):
        ci = center_of[i]
        pi = proc_of[i]
        info = proc_info[pi]
        if info["province"] and rng.random() < 0.8:
            ci = province_idx
        ch = ch_names[channel_of[i]]
        staff_c = roles[ci]
        person = people.with_account[rng.randrange(n_acc)] if ch == "online" else rng.randrange(people.n)
        name, folded, _gender = people.names[people.name_idx[person]]
        user_id = people.user_id[person]
        receiver = staff_c["receiver"][rng.randrange(len(staff_c["receiver"]))]
        specialist = staff_c["specialist"][rng.randrange(len(staff_c["specialist"]))]
        leader = staff_c["leader"][0]
        if ch == "online":
            acting = user_id
        elif ch == "direct":
            acting = receiver[0]
        else:
            acting = staff_c["supporter"][0][0]
        fee = info["fees"][ch]
        duration = info["durations"][ch]
        dkey = info["dkey"][ch]

        sub_day = t_sub // DAY
        k = (ci, sub_day)
        seq[k] = seq.get(k, 0) + 1
        code = f"{center_codes[ci]}-{(base + timedelta(days=sub_day)):%y%m%d}-{seq[k]:04d}"

        # ---- simulate the life (moments in axis seconds; None = not happened)
        status, step = 2, ""
        received = due = paused = finished = supp_deadline = None
        on_time = None
        resume_status = resume_step = None
        supplement_request = N
        assignee = None
        fee_status = "none" if fee == 0 else "unpaid"
        ev: list[tuple] = [(t_sub, "submit", acting, 0, 1, "", "", ch)]
        last = t_sub
        if ch == "direct":
            received = t_sub
        else:
            w_sub = axis.w(t_sub)
            received = axis.t(w_sub + int(min(rng.expovariate(1 / 7200), 16 * 3600)) + 60)
        if rng.random() < P_REFUSED_AT_RECEPTION:
            if received <= t_now:
                status, finished, on_time, last = 3, received, True, received
                ev.append((received, "refuse", receiver[0], 1, 3, "", "", "receiver"))
            else:
                status = 1
            received = None
        elif received > t_now:
            status, received = 1, None
        if status == 2:
            ev.append((received, "receive", receiver[0], 1, 2, "", "", "receiver"))
            last = received
            due = axis.due(received, duration, dkey)
            w_rec, w_due = axis.w(received), axis.w(due)
            span = max(w_due - w_rec, 1800)
            w_start_proc = w_rec
            # side paths, in the order they would happen
            r = rng.random()
            if r < P_WITHDRAWN + P_STOPPED:
                w_end = w_rec + int(span * rng.uniform(0.1, 0.8))
                t_end = axis.t(w_end)
                if t_end <= t_now:
                    status = 7 if r < P_WITHDRAWN else 8
                    finished, last = t_end, t_end
                    on_time = True if status == 7 else t_end <= due
                    ev.append(
                        (
                            t_end,
                            "withdraw" if status == 7 else "stop",
                            acting if status == 7 else leader[0],
                            2,
                            status,
                            "",
                            "",
                            "citizen" if status == 7 else "leader",
                        )
                    )
            if status == 2 and rng.random() < P_SUPPLEMENT:
                t_req = axis.t(w_rec + int(span * rng.uniform(0.05, 0.4)))
                if t_req <= t_now:
                    from_st = 4 if t_req > axis.t(w_rec + span // 10) else 2
                    from_step = "appraisal" if from_st == 4 else ""
                    if from_st == 4:
                        assignee = specialist[0]
                        ev.append(
                            (axis.t(w_rec + span // 10), "assign", receiver[0], 2, 4, "", "appraisal", "receiver")
                        )
                    ev.append(
                        (
                            t_req,
                            "request_supplement",
                            specialist[0] if from_st == 4 else receiver[0],
                            from_st,
                            5,
                            from_step,
                            from_step,
                            "specialist" if from_st == 4 else "receiver",
                        )
                    )
                    deadline = axis.add_working_days(t_req, 5)
                    abandoned = rng.random() < P_SUPPLEMENT_ABANDONED
                    t_back = deadline + 3600 if abandoned else axis.t(axis.w(t_req) + rng.randint(1800, 6 * 27000))
                    if t_back > t_now:
                        status, step, paused, supp_deadline = 5, from_step, t_req, deadline
                        resume_status, resume_step = from_st, from_step
                        last = t_req
                        supplement_request = json.dumps(
                            {
                                "items": ["Bản sao giấy tờ chứng minh nơi cư trú"],
                                "note": "",
                                "requested_at": axis.dt(t_req).isoformat(),
                                "deadline": axis.dt(deadline).isoformat(),
                                "provided": False,
                            },
                            ensure_ascii=False,
                        )
                    elif abandoned:
                        status, finished, on_time, last = 3, t_back, True, t_back
                        ev.append(
                            (
                                t_back,
                                "close_missing_supplement",
                                specialist[0],
                                5,
                                3,
                                from_step,
                                from_step,
                                "specialist",
                            )
                        )
                    else:
                        ev.append((t_back, "provide_supplement", acting, 5, 5, from_step, from_step, "citizen"))
                        ev.append(
                            (
                                t_back + 600,
                                "confirm_supplement",
                                specialist[0],
                                5,
                                from_st,
                                from_step,
                                from_step,
                                "specialist",
                            )
                        )
                        # restart: the full duration runs again from the confirmation
                        due = axis.due(t_back + 600, duration, dkey)
                        w_start_proc = axis.w(t_back + 600)
                        span = max(axis.w(due) - w_start_proc, 1800)
                        last = t_back + 600
            if status == 2 and fee > 0 and rng.random() < P_FEE_WAIT:
                t_req = axis.t(w_start_proc + int(span * rng.uniform(0.05, 0.3)))
                t_paid = axis.t(axis.w(t_req) + rng.randint(900, 4 * 27000))
                if t_req <= t_now < t_paid:
                    status, paused, last = 6, t_req, t_req
                    resume_status, resume_step = (4, "appraisal") if assignee else (2, "")
                    step = resume_step
                    ev.append((t_req, "request_fee", receiver[0], resume_status, 6, step, step, "receiver"))
                elif t_paid <= t_now:
                    fee_status = "paid"
                    # the pause extended the due date by the wait (fee waits pause the clock)
                    wait = axis.w(t_paid) - axis.w(t_req)
                    due = axis.t(axis.w(due) + wait)
                    span += wait
            if status == 2:
                # normal processing towards the result
                r = rng.random()
                if r < P_STUCK:
                    w_finish = axis.w(due) + rng.randint(5 * 27000, 40 * 27000)
                elif r < P_STUCK + P_LATE:
                    w_finish = axis.w(due) + int(min(rng.expovariate(1 / (3 * 27000)), 15 * 27000)) + 600
                else:
                    w_finish = w_start_proc + int(span * rng.uniform(0.3, 0.98))
                w_fin_span = max(w_finish - w_start_proc, 600)
                marks = [
                    (0.1, "assign", 4, "appraisal"),
                    (0.6, "appraise", 4, "appraised"),
                    (0.62, "submit_for_approval", 4, "approval"),
                    (0.8, "approve", 4, "signing"),
                    (0.95, "sign", 4, "signed"),
                    (1.0, "issue_result", 9, "signed"),
                ]
                prev_status, prev_step = 2, ""
                for frac, action, st, stp in marks:
                    t_mark = axis.t(w_start_proc + int(w_fin_span * frac))
                    if t_mark > t_now:
                        break
                    if action == "assign" and assignee is not None:
                        prev_status, prev_step = 4, "appraisal"  # already assigned before the supplement
                        continue
                    who = {"assign": receiver, "approve": leader, "sign": leader}.get(action, specialist)
                    ev.append(
                        (
                            t_mark,
                            action,
                            who[0],
                            prev_status,
                            st,
                            prev_step,
                            stp,
                            "leader" if who is leader else ("receiver" if who is receiver else "specialist"),
                        )
                    )
                    status, step, last = st, stp, t_mark
                    prev_status, prev_step = st, stp
                    if action == "assign":
                        assignee = specialist[0]
                    if action == "issue_result":
                        finished, on_time = t_mark, t_mark <= due
                if status == 2 and assignee is not None:
                    status, step = 4, "appraisal"
                if status == 9:
                    if fee_status == "unpaid":
                        fee_status = "paid"
                    if rng.random() >= P_NEVER_COLLECTED:
                        if rng.random() < P_ELECTRONIC_RETURN:
                            t_ret = finished + rng.randint(60, 4 * 3600)
                        else:
                            t_ret = axis.t(axis.w(finished) + int(rng.expovariate(1 / (2 * 27000))) + 600)
                        if t_ret <= t_now:
                            status, last = 10, t_ret
                            ev.append((t_ret, "return_result", receiver[0], 9, 10, "signed", "signed", "receiver"))
            if status in (2, 4):
                if due < t_now:
                    overdue += 1
                elif due <= t_soon:
                    due_soon += 1
        elif status == 1 and fee and ch == "online" and rng.random() < 0.5:
            fee_status = "paid"
        tally[status] += 1

        # ---- the row
        if ch == "field":
            client_uuid, provisional, captured = _uuid(rng), f"F{rng.randrange(36**6):06X}"[:12], s(t_sub - 3600)
        else:
            client_uuid, provisional, captured = N, N, N
        form = (
            info["form"]
            .replace("@@N@@", name)
            .replace("@@I@@", people.nid[person])
            .replace("@@D@@", people.dob[person])
            .replace("@@P@@", people.phone[person])
            .replace("@@A@@", people.address[person])
        )
        lines.append(
            "\t".join(
                (
                    str(dossier_id),
                    code,
                    _token(rng),
                    str(info["id"]),
                    info["code"],
                    N if user_id is None else str(user_id),
                    str(people.resident_id[person]),
                    name,
                    folded,
                    people.nid[person],
                    people.phone[person],
                    N if acting is None else str(acting),
                    "f" if ch == "online" else "t",
                    N,
                    ch,
                    str(center_ids[ci]),
                    str(center_ids[ci]),
                    N if assignee is None else str(assignee),
                    str(status),
                    step,
                    N if resume_status is None else str(resume_status),
                    N if resume_step is None else resume_step,
                    form,
                    "vi",
                    s(t_sub),
                    s(received),
                    s(due),
                    s(paused),
                    s(finished),
                    N if on_time is None else ("t" if on_time else "f"),
                    N,
                    s(supp_deadline),
                    supplement_request,
                    str(fee),
                    fee_status,
                    N,
                    client_uuid,
                    provisional,
                    captured,
                    N,
                    str(len(ev)),
                    s(t_sub),
                    s(last),
                )
            )
            + "\n"
        )

        # ---- its audit events: every open dossier, a sample of the closed ones
        if status not in (3, 7, 8, 10) or rng.random() < event_sample:
            unit = center_names[ci]
            for at, action, actor_id, fst, tst, fstep, tstep, role in ev:
                ev_lines.append(
                    "\t".join(
                        (
                            str(ev_id),
                            str(dossier_id),
                            s(at),
                            action,
                            N if actor_id is None else str(actor_id),
                            "",
                            role if action != "submit" else ("citizen" if ch == "online" else "receiver"),
                            str(fst),
                            str(tst),
                            fstep,
                            tstep,
                            "",
                            unit if action in ("submit", "receive") else "",
                            ch,
                            name if ch != "online" else "",
                            "",
                            N,
                            "",
                            N,
                        )
                    )
                    + "\n"
                )
                ev_id += 1
            events_total += len(ev)

        if len(lines) >= batch:
            _copy(conn, "dossier", DOSSIER_COLUMNS, lines)
            _copy(conn, "dossier_event", EVENT_COLUMNS, ev_lines)
            conn.commit()
            lines.clear()
            ev_lines.clear()
            print(f"  … {dossier_id:,} dossiers", flush=True)
    if lines:
        _copy(conn, "dossier", DOSSIER_COLUMNS, lines)
        _copy(conn, "dossier_event", EVENT_COLUMNS, ev_lines)
    seq_lines = [
        f"{center_codes[ci]}\t{base + timedelta(days=day)}\t{last_seq}\n" for (ci, day), last_seq in seq.items()
    ]
    _copy(conn, "dossier_sequence", ("center_code", "day", "last_seq"), seq_lines)
    conn.commit()
    per_center = Tally(center_of)
    sizes = sorted(per_center.values())
    return {
        "status": tally,
        "events": events_total,
        "overdue": overdue,
        "due_soon": due_soon,
        "center_min": sizes[0],
        "center_median": sizes[len(sizes) // 2],
        "center_max": sizes[-1],
        "centers": len(sizes),
        "now": now,
    }


class _Probe:
    """A stand-in resident whose fields are placeholders replaced per row (the form JSON is built once)."""

    full_name = "@@N@@"
    national_id = "@@I@@"
    phone = "@@P@@"
    address = "@@A@@"
    commune = "xã"

    class _Dob:
        @staticmethod
        def isoformat() -> str:
            return "@@D@@"

    date_of_birth = _Dob()


def _report(stats: dict, n: int) -> None:
    tally = stats["status"]
    print(f"reference moment (now): {stats['now']:%Y-%m-%d %H:%M}")
    print("status mix: " + ", ".join(f"{st}: {tally[st]:,} ({100 * tally[st] / n:.2f} %)" for st in sorted(tally)))
    open_clock = tally[2] + tally[4]
    print(
        f"clock running (2/4): {open_clock:,}; overdue {stats['overdue']:,} "
        f"({100 * stats['overdue'] / max(open_clock, 1):.1f} % of 2/4); due within one working day (not overdue) "
        f"{stats['due_soon']:,}"
    )
    print(
        f"dossiers per center over {stats['centers']} centers: min {stats['center_min']:,}, "
        f"median {stats['center_median']:,}, max {stats['center_max']:,}"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="dossiers to generate")
    ap.add_argument("--url", default=DEFAULT_URL)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--days", type=int, default=180, help="submission window ending at --now")
    ap.add_argument("--now", default="", help="reference moment 'YYYY-MM-DD HH:MM' (default: the current minute)")
    ap.add_argument("--people", type=int, default=200_000, help="residents to create (70 %% get an account)")
    ap.add_argument(
        "--event-sample",
        type=float,
        default=0.05,
        help="share of closed dossiers that get audit events (open ones always do)",
    )
    ap.add_argument("--batch", type=int, default=100_000, help="rows per COPY batch")
    ap.add_argument("--replace", action="store_true", help="drop and recreate the bench database first")
    args = ap.parse_args(argv)
    now = datetime.strptime(args.now, "%Y-%m-%d %H:%M") if args.now else clock.now().replace(second=0)
    generate(args.url, args.n, args.seed, args.days, now, args.people, args.event_sample, args.batch, args.replace)


if __name__ == "__main__":
    main()
