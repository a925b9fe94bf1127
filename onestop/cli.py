"""The `onestop` command: migrate, seed, deadline, fee, calendar, keys, scheduler.

Why a CLI beside the app: an administrator checks a year's calendar or a
procedure's deadline before announcing it, and the quick start migrates and
seeds without a running server.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from onestop.settings import get_settings


def _migrate(_args: argparse.Namespace) -> int:
    from onestop.migrations import upgrade_head

    upgrade_head()
    print("database migrated to head:", get_settings().database_url.split("@")[-1])
    return 0


def _seed(args: argparse.Namespace) -> int:
    """Demo data only: every seeded account gets the README's password, so it needs --demo."""
    from onestop.db import transaction
    from onestop.demo.seed import seed

    if not args.demo:
        print(
            "refused: `onestop seed` loads DEMO data — fictitious residents and accounts whose password is\n"
            "printed in the README. Never run it on a production database. Add --demo to confirm this\n"
            "database is a demo or test one.",
            file=sys.stderr,
        )
        return 2

    with transaction() as session:
        report = seed(session, dossiers=args.dossiers, progress=lambda m: print(" ", m, flush=True))
    print("demo data:", ", ".join(report.lines()))
    return 0


def _deadline(args: argparse.Namespace) -> int:
    from onestop.db import new_session
    from onestop.domain.deadlines import compute_due
    from onestop.domain.errors import DomainError
    from onestop.services.calendar import load_calendar, same_day_cutoff
    from onestop.services.dossiers import current_procedure, duration_for

    try:
        received = datetime.strptime(args.received, "%Y-%m-%d %H:%M")
    except ValueError:
        print("--received must look like 'YYYY-MM-DD HH:MM'", file=sys.stderr)
        return 2
    with new_session() as session:
        try:
            proc = current_procedure(session, args.procedure)
        except DomainError as exc:
            print(f"{exc.vi} / {exc.en}", file=sys.stderr)
            return 1
        duration = duration_for(proc, "online" if args.channel == "online" else "direct")
        due = compute_due(received, duration, load_calendar(session), same_day_cutoff())
    print(due.isoformat(timespec="minutes"))
    return 0


def _calendar(args: argparse.Namespace) -> int:
    from onestop.db import new_session
    from onestop.services.calendar import load_calendar

    with new_session() as session:
        cal = load_calendar(session)
    print(f"Ngày nghỉ năm {args.year} (days off, weekdays):")
    for day, name in cal.days_off_in_year(args.year):
        print(f"  {day:%a %d/%m/%Y}  {name}")
    print(f"Ngày làm bù năm {args.year} (make-up working days):")
    for day in cal.make_up_days_in_year(args.year):
        print(f"  {day:%a %d/%m/%Y}")
    return 0


def _fee(args: argparse.Namespace) -> int:
    """Print a procedure's fee breakdown for some form data; the LAST line is the total in đồng."""
    import json

    from onestop.db import new_session
    from onestop.domain.errors import DomainError
    from onestop.services.dossiers import current_procedure, fee_quote

    try:
        data = json.loads(args.data)
    except json.JSONDecodeError as exc:
        print(f"--data must be a JSON object: {exc}", file=sys.stderr)
        return 2
    if not isinstance(data, dict):
        print('--data must be a JSON object, e.g. \'{"pages": 3, "copies": 3}\'', file=sys.stderr)
        return 2
    channel = "online" if args.channel == "online" else "direct"
    with new_session() as session:
        try:
            proc = current_procedure(session, args.procedure)
            q = fee_quote(proc, data, channel)
        except DomainError as exc:
            print(f"{exc.vi} / {exc.en}", file=sys.stderr)
            return 1
    lang = args.lang
    print(
        f"{proc.code} — {proc.name_en if lang == 'en' else proc.name_vi} (v{proc.version}), "
        f"{'online' if channel == 'online' else 'counter'}"
    )
    print(("Schedule: " if lang == "en" else "Cách tính: ") + q.summary.message(lang))
    if proc.fee_text:
        print(("Legal text: " if lang == "en" else "Văn bản quy định: ") + proc.fee_text)
    if q.category:
        label, evidence = q.category.label.message(lang), q.category.evidence.message(lang)
        print(("Category: " if lang == "en" else "Đối tượng: ") + f"{label} ({evidence})")
    for line in q.breakdown(lang):
        print("  " + line)
    print(q.total)
    return 0


def _keys(_args: argparse.Namespace) -> int:
    from onestop.adapters.push import ensure_vapid_keys

    keys = ensure_vapid_keys(get_settings().vapid_private_key_path)
    print(keys.public_key_b64)
    return 0


def _scheduler(_args: argparse.Namespace) -> int:
    from onestop.jobs.scheduler import run_forever

    run_forever()
    return 0


def _catalog_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sqlmodel import select

    from onestop.db import new_session, transaction
    from onestop.domain.errors import DomainError
    from onestop.models import User
    from onestop.services import catalog_import
    from onestop.services.actor import Actor

    lang = args.lang
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    retire = not args.keep_missing
    try:
        if not args.apply:
            with new_session() as session:
                plan = catalog_import.preview_import(session, data, args.file, retire_missing=retire)
        else:
            with new_session() as session:
                user = (
                    session.exec(
                        select(User).where(User.phone == args.as_phone, User.role == "admin", User.active.is_(True))
                    ).first()
                    if args.as_phone
                    else None
                )
            if args.as_phone and user is None:
                print(f"no active admin with phone {args.as_phone}", file=sys.stderr)
                return 2
            actor = Actor.from_user(user) if user else Actor(None, "admin", "onestop catalog import (CLI)")
            with transaction() as session:
                plan = catalog_import.apply_import(session, actor, data, args.file, retire_missing=retire)
    except DomainError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    word = {"vi": ("Thêm", "Đổi", "Bãi bỏ", "Dòng", "Lỗi"), "en": ("Add", "Change", "Retire", "Row", "Error")}[lang]
    for c in plan.added[: args.show]:
        print(f"  + {word[0]}  {c.code}  {c.name_vi}")
    for c in plan.changed[: args.show]:
        print(f"  ~ {word[1]}  {c.code}  {c.name_vi}  ({', '.join(c.fields)})")
    for c in plan.retired[: args.show]:
        print(f"  - {word[2]}  {c.code}  {c.name_vi}")
    for e in plan.errors[: args.show * 4]:
        print(f"  ! {word[3]} {e.row}, {e.column_label(lang)}: {e.message(lang)}")
    print(plan.summary(lang) + f" — {plan.seconds:.1f} s")
    if not args.apply:
        print(
            "(thử, chưa thay đổi gì — thêm --apply để áp dụng)"
            if lang == "vi"
            else "(dry run, nothing changed — add --apply to apply)"
        )
    return 1 if plan.errors else 0


def _catalog_generate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from onestop.demo.catalog_file import catalog_rows, to_csv, to_xlsx

    rows = catalog_rows(args.n, args.seed)
    data = to_csv(rows) if args.file.lower().endswith(".csv") else to_xlsx(rows)
    Path(args.file).write_bytes(data)
    print(f"{args.file}: {args.n} procedures (13 real demo ones + generated SIM-… rows, labelled as generated)")
    return 0


def _dashboard_rebuild(_args: argparse.Namespace) -> int:
    """Recompute the dashboard's daily counts and step durations (after a bulk load or to repair)."""
    import time

    from onestop.db import transaction
    from onestop.services.daily_counts import rebuild
    from onestop.services.step_times import backfill, rebuild_step_counts
    from onestop.services.submission_counts import rebuild_on as rebuild_submissions
    from onestop.services.support_counts import rebuild_on as rebuild_support

    started = time.perf_counter()
    with transaction() as session:
        rows = rebuild(session)
        steps = backfill(session.connection(), session)
        step_rows = rebuild_step_counts(session.connection())
        submitted = rebuild_submissions(session.connection())
        support = rebuild_support(session.connection())
    print(
        f"dashboard daily counts rebuilt: {rows:,} day rows, {steps:,} step durations ({step_rows:,} step-count rows),"
        f" {submitted:,} submission days, {support:,} support-figure rows in {time.perf_counter() - started:.1f} s"
    )
    return 0


def _dashboard_verify(args: argparse.Namespace) -> int:
    """Compare the pre-computed counts with a count from the dossiers (slow at scale); exit 1 if they differ."""
    from onestop import clock
    from onestop.db import new_session
    from onestop.read import dashboard as q
    from onestop.services import support_counts
    from onestop.services.daily_counts import weeks_from_days
    from onestop.services.daily_counts import weeks_stored as _weeks_stored
    from onestop.services.step_times import step_counts_direct, step_counts_stored

    now = clock.now()
    period = q.period_for(args.preset, now)
    with new_session() as session:
        pre = q._cells(session, None, period, now)  # noqa: SLF001 - the same read family
        direct = q._cells_direct(session, None, period, now)  # noqa: SLF001
        steps_pre = step_counts_stored(session.connection())
        steps_direct = step_counts_direct(session.connection())
        weeks_kept, weeks_summed = _weeks_stored(session.connection()), weeks_from_days(session.connection())
        support_same = support_counts.same(
            support_counts.stored(session.connection()), support_counts.direct(session.connection())
        )
    differ = sorted(k for k in pre.keys() | direct.keys() if (k in pre) != (k in direct) or pre[k].n != direct[k].n)
    for center_id, code in differ[: args.show]:
        print(f"differs: center {center_id}, procedure {code}")
    print(f"{len(pre)} (center, procedure) cells compared, {len(differ)} differ")
    steps_differ = sorted(k for k in steps_pre.keys() | steps_direct.keys() if steps_pre.get(k) != steps_direct.get(k))
    for day, step, role, bucket in steps_differ[: args.show]:
        print(f"differs: step durations of {day} {step} {role or '-'} bucket {bucket}")
    weeks_differ = [k for k in weeks_kept.keys() | weeks_summed.keys() if weeks_kept.get(k) != weeks_summed.get(k)]
    print(f"{len(weeks_summed)} week rows compared with the day rows summed, {len(weeks_differ)} differ")
    print(f"support figures' tables (communes per day, filed on behalf) equal the dossiers joined: {support_same}")
    print(f"{len(steps_direct)} (day, step, role, bucket) step-count rows compared, {len(steps_differ)} differ")
    return 1 if differ or steps_differ or weeks_differ or not support_same else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onestop", description="OneStop administration commands")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(fn=_migrate)
    p = sub.add_parser("seed", help="load the demo data (idempotent; demo/test databases only: needs --demo)")
    p.add_argument("--dossiers", type=int, default=320)
    p.add_argument("--demo", action="store_true", help="confirm: demo accounts with the published demo password")
    p.set_defaults(fn=_seed)
    p = sub.add_parser("deadline", help="print a procedure's due moment for a reception time")
    p.add_argument("--procedure", required=True)
    p.add_argument("--received", required=True, help="'YYYY-MM-DD HH:MM'")
    p.add_argument("--channel", choices=["online", "counter"], default="counter")
    p.set_defaults(fn=_deadline)
    p = sub.add_parser("calendar", help="list a year's days off and make-up working days")
    p.add_argument("--year", type=int, default=datetime.now().year)
    p.set_defaults(fn=_calendar)
    p = sub.add_parser("fee", help="print a procedure's fee for some form data (last line: the total in đồng)")
    p.add_argument("--procedure", required=True)
    p.add_argument("--channel", choices=["online", "counter"], default="counter")
    p.add_argument("--data", default="{}", help='form data as JSON, e.g. \'{"pages": 3, "copies": 3}\'')
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.set_defaults(fn=_fee)
    sub.add_parser("keys", help="create VAPID keys if missing and print the public key").set_defaults(fn=_keys)
    sub.add_parser("scheduler", help="run the scheduled jobs in this process").set_defaults(fn=_scheduler)
    cat = sub.add_parser("catalog", help="procedure catalog: import a province's list, generate a test file")
    csub = cat.add_subparsers(dest="catalog_command", required=True)
    p = csub.add_parser("import", help="preview (default) or apply an xlsx/CSV procedure list")
    p.add_argument("file")
    p.add_argument("--apply", action="store_true", help="apply in one transaction (default: dry run)")
    p.add_argument("--keep-missing", action="store_true", help="do not retire procedures absent from the file")
    p.add_argument("--as", dest="as_phone", default="", help="phone of the admin account to record as the actor")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--show", type=int, default=20, help="list at most this many rows of each kind")
    p.set_defaults(fn=_catalog_import)
    p = csub.add_parser("generate", help="write a generated procedure file (.xlsx or .csv) for tests and benches")
    p.add_argument("file")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(fn=_catalog_generate)
    dash = sub.add_parser("dashboard", help="the dashboard's pre-computed daily counts")
    dsub = dash.add_subparsers(dest="dashboard_command", required=True)
    dsub.add_parser("rebuild", help="recompute them from the dossiers (one transaction)").set_defaults(
        fn=_dashboard_rebuild
    )
    p = dsub.add_parser("verify", help="compare them with a count from the dossiers; exit 1 if they differ")
    p.add_argument("--preset", default="90d", help="period preset (30d, 90d, month, year …)")
    p.add_argument("--show", type=int, default=20, help="list at most this many differing cells")
    p.set_defaults(fn=_dashboard_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    get_settings().ensure_dirs()
    return int(args.fn(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
