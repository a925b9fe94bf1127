"""What keeping the dashboard's daily counts costs a lifecycle action (migration 0011's hooks).

Takes the RECEIVE action (a counted change: status and reception time) on waiting
dossiers of one center through `services.dossiers.perform`, each in its own
transaction that is then ROLLED BACK (the database is left as it was; the hooks'
SELECTs and upserts run before the commit point, so they are inside the timing).
Runs alternate in blocks with the hooks registered and removed, so machine noise
hits both alike. Also times ASSIGN (received → in processing: a counted column moves, no count does).

    ONESTOP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/onestop_dash_bench \\
        .venv/bin/python -m bench.dashboard_write_bench [--n 300] [--center X01]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session, select

from onestop.db import new_session
from onestop.domain.lifecycle import Action, Status
from onestop.models import Center, Dossier, User
from onestop.services import daily_counts as dc
from onestop.services.actor import Actor
from onestop.services.dossiers import ActionInput, perform

HOOKS: list[tuple[str, Callable]] = [
    ("before_flush", dc._before_flush),  # noqa: SLF001
    ("after_flush", dc._after_flush),  # noqa: SLF001
    ("do_orm_execute", dc._on_orm_execute),  # noqa: SLF001
]


def _hooks(on: bool) -> None:
    for name, fn in HOOKS:
        if on and not sa.event.contains(Session, name, fn):
            sa.event.listen(Session, name, fn)
        if not on and sa.event.contains(Session, name, fn):
            sa.event.remove(Session, name, fn)


def _run(session: Session, actor: Actor, ids: list[int], action: Action, data: ActionInput) -> list[float]:
    out = []
    for i in ids:
        t0 = time.perf_counter()
        perform(session, actor, i, action, expected_version=None, data=data)
        session.flush()
        out.append((time.perf_counter() - t0) * 1000)
        session.rollback()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--center", default="X01")
    ap.add_argument("--block", type=int, default=25)
    args = ap.parse_args()
    with new_session() as session:
        center = session.exec(select(Center).where(Center.code == args.center)).one()
        receiver = Actor.from_user(
            session.exec(select(User).where(User.center_id == center.id, User.role == "receiver")).first()
        )
        leader = Actor.from_user(
            session.exec(select(User).where(User.center_id == center.id, User.role == "leader")).first()
        )
        specialist = session.exec(select(User).where(User.center_id == center.id, User.role == "specialist")).first()
        waiting = list(
            session.exec(
                select(Dossier.id)
                .where(Dossier.receiving_center_id == center.id, Dossier.status == int(Status.SUBMITTED))
                .limit(args.n)
            ).all()
        )
        running = list(
            session.exec(
                select(Dossier.id)
                .where(Dossier.handling_center_id == center.id, Dossier.status == int(Status.RECEIVED))
                .limit(args.n)
            ).all()
        )
        session.rollback()
        print(f"center {args.center}: {len(waiting)} waiting, {len(running)} received; each action rolled back")
        for label, actor, ids, action, data in (
            ("RECEIVE (counted change)", receiver, waiting, Action.RECEIVE, ActionInput()),
            ("ASSIGN (received → processing)", leader, running, Action.ASSIGN, ActionInput(assignee_id=specialist.id)),
        ):
            times: dict[bool, list[float]] = {True: [], False: []}
            for start in range(0, len(ids), args.block):
                chunk = ids[start : start + args.block]
                for on in (True, False):
                    _hooks(on)
                    times[on] += _run(session, actor, chunk, action, data)
            _hooks(True)
            with_, without = statistics.median(times[True]), statistics.median(times[False])
            print(
                f"  {label:<28} with hooks p50 {with_:6.2f} ms · without {without:6.2f} ms · "
                f"cost {with_ - without:+.2f} ms ({len(times[True])} runs each)"
            )


if __name__ == "__main__":
    main()
