"""The `onestop` command: migrate, seed, deadline, calendar, keys, scheduler.

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
        print("refused: `onestop seed` loads DEMO data — fictitious residents and accounts whose password is\n"
              "printed in the README. Never run it on a production database. Add --demo to confirm this\n"
              "database is a demo or test one.", file=sys.stderr)
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


def _keys(_args: argparse.Namespace) -> int:
    from onestop.adapters.push import ensure_vapid_keys

    keys = ensure_vapid_keys(get_settings().vapid_private_key_path)
    print(keys.public_key_b64)
    return 0


def _scheduler(_args: argparse.Namespace) -> int:
    from onestop.jobs.scheduler import run_forever

    run_forever()
    return 0


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
    sub.add_parser("keys", help="create VAPID keys if missing and print the public key").set_defaults(fn=_keys)
    sub.add_parser("scheduler", help="run the scheduled jobs in this process").set_defaults(fn=_scheduler)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    get_settings().ensure_dirs()
    return int(args.fn(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
