"""The pre-computed daily counts equal the counts taken from the dossiers, after random lifecycles.

A seeded loop files dossiers and takes random allowed actions through the services (reception, assignment,
supplement pauses, apologies, transfers, refusals, results, payments, ratings, revocations), each in its own
transaction, some of them refused by validation (rolled back). After every few actions the dashboard's cells
read from `dossier_daily_count` must equal `_cells_direct` (the predicates on the dossier table) for periods
ending now (inside a day), at a midnight and in the past, for the province, one center, a field and one
procedure; and a full rebuild must give the same table as the flush hook kept.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from onestop import clock
from onestop.adapters.payment import GatewayResult, default_gateway
from onestop.db import transaction
from onestop.domain.errors import DomainError
from onestop.domain.lifecycle import Action, Status
from onestop.domain.ratings import RatingInput
from onestop.models import (
    DOSSIER_COUNT_TOTAL,
    DOSSIER_DAILY_COUNT,
    DOSSIER_WEEKLY_COUNT,
    Center,
    Dossier,
    Payment,
    Procedure,
    User,
)
from onestop.read import dashboard as q
from onestop.services.actor import Actor
from onestop.services.daily_counts import rebuild, weeks_from_days
from onestop.services.dossiers import ActionInput, available_actions, perform
from onestop.services.payments import confirm_gateway_callback, record_counter_payment, start_online_payment
from onestop.services.ratings import rate_dossier
from tests.integration.helpers import actor, attach, file_online, user

START = datetime(2026, 11, 2, 8, 0)  # a Monday
PROCEDURES = ("1.001612", "2.000815", "1.004873")
OFFICER_ROLES = ("receiver", "specialist", "leader")
#: Actions that move a dossier on towards its result.
_FORWARD = {
    Action.RECEIVE,
    Action.ASSIGN,
    Action.APPRAISE,
    Action.SUBMIT_FOR_APPROVAL,
    Action.APPROVE,
    Action.SIGN,
    Action.ISSUE_RESULT,
    Action.RECORD_PAYMENT,
    Action.PROVIDE_SUPPLEMENT,
    Action.CONFIRM_SUPPLEMENT,
    Action.RETURN_RESULT,
}


def _officers(session: Session) -> dict[tuple[int, str], Actor]:
    out: dict[tuple[int, str], Actor] = {}
    for u in session.exec(select(User).where(User.center_id.is_not(None), User.role.in_(OFFICER_ROLES))).all():
        out.setdefault((u.center_id, u.role), Actor.from_user(u))
    return out


def _input(rng: random.Random, session: Session, d: Dossier, officers: dict, now: datetime) -> ActionInput:
    """Plausible inputs for any action (some will be refused by validation: that is part of the test)."""
    specialist = officers.get((d.handling_center_id, "specialist"))
    centers = [c for c in session.exec(select(Center.id)).all() if c != d.handling_center_id]
    day = (now + timedelta(days=rng.randint(1, 6))).date()
    citizen = user(session, "citizen")
    return ActionInput(
        reason="Lý do kiểm thử",
        note="ghi chú",
        missing_items=["Giấy tờ bổ sung"],
        supplement_deadline=datetime.combine(day, time(17, 0)),
        assignee_id=specialist.user_id if specialist else None,
        target_center_id=rng.choice(centers) if centers else None,
        new_due_at=datetime.combine(day, time(17, 0)),
        amount=rng.choice([10000, 25000]),
        return_method="electronic",
        recipient_id=d.applicant_national_id,
        opinion="Đủ điều kiện",
        attachment_ids=[attach(session, citizen, "lease").id] if rng.random() < 0.5 else [],
    )


def _step(rng: random.Random, session: Session, dossiers: list[int], officers: dict) -> None:
    d = session.get(Dossier, rng.choice(dossiers))
    assert d is not None
    session.refresh(d)
    now = clock.now()
    citizen = actor(session, "citizen")
    roll = rng.random()
    try:
        if roll < 0.07 and d.fee_status == "unpaid":
            with transaction(session):
                if rng.random() < 0.5:
                    record_counter_payment(session, d, officers[(d.handling_center_id, "receiver")])
                else:
                    start_online_payment(session, citizen, d.id, "/")
            ref = session.exec(
                select(Payment.gateway_ref).where(
                    Payment.dossier_id == d.id, Payment.method == "online", Payment.status == "pending"
                )
            ).first()
            if ref and rng.random() < 0.8:
                result = GatewayResult(ref, d.fee_amount, rng.choice(["paid", "paid", "failed"]))
                with transaction(session):
                    confirm_gateway_callback(session, ref, d.fee_amount, result.status, default_gateway().sign(result))
            return
        if roll < 0.12:
            with transaction(session):
                rate_dossier(
                    session,
                    citizen,
                    d.id,
                    RatingInput(
                        overall=rng.randint(1, 5),
                        timeliness=rng.randint(1, 5),
                        attitude=rng.randint(1, 5),
                        trips=rng.randint(1, 3),
                        comment="Chậm quá" if rng.random() < 0.3 else "",
                        is_complaint=rng.random() < 0.15,
                    ),
                )
            return
        candidates: list[tuple[Actor, Action]] = []
        admin = actor(session, "admin")
        for who in (
            citizen,
            admin,
            *(officers[(d.handling_center_id, r)] for r in OFFICER_ROLES if (d.handling_center_id, r) in officers),
            *(officers[(d.receiving_center_id, r)] for r in OFFICER_ROLES if (d.receiving_center_id, r) in officers),
        ):
            candidates += [(who, a) for a in available_actions(who, d)]
        if rng.random() > 0.1:
            candidates = [c for c in candidates if c[1] != Action.REVOKE_RESULT]  # rare: a returned one mostly stays
        if not candidates:
            return
        forward = [c for c in candidates if c[1] in _FORWARD and (c[1] != Action.ASSIGN or d.assignee_id is None)]
        if forward and rng.random() < 0.8:
            who, action = rng.choice(forward)  # mostly walk on, so that many dossiers reach a result
        else:
            who, action = rng.choice(candidates)  # any detour, ending or undoing
        with transaction(session):
            perform(session, who, d.id, action, expected_version=d.version, data=_input(rng, session, d, officers, now))
    except DomainError:
        session.rollback()  # refused: nothing changed, the counts neither


def _periods(now: datetime) -> list[q.Period]:
    today = now.date()
    return [
        q.period_for("90d", now),
        q.period_for("month", now),
        q.period_for("custom", now, today - timedelta(days=20), today - timedelta(days=3)),  # ends at a midnight
        q.period_for("custom", now, today - timedelta(days=2), today),  # ends at now, inside today
        q.period_for("custom", now, today, today),
    ]


def _scopes(session: Session) -> list[q.Scope]:
    x01 = session.exec(select(Center.id).where(Center.code == "X01")).one()
    field = session.exec(select(Procedure.field_id).where(Procedure.code == "2.000815")).first()
    return [q.Scope(), q.Scope("center", str(x01)), q.Scope("field", str(field)), q.Scope("procedure", "1.001612")]


def _assert_equal(session: Session, when: str) -> None:
    # Read a minute after the last action: a reader's "now" never equals the stamp of a change it already sees
    # (moments after now are taken off the current day only for due dates, see read.dashboard._rest_of_day).
    now = clock.now() + timedelta(minutes=1)
    for period in _periods(now):
        for scope in _scopes(session):
            for centers in (None, [session.exec(select(Center.id).where(Center.code == "X01")).one()]):
                pre = q._cells(session, centers, period, now, scope)  # noqa: SLF001
                direct = q._cells_direct(session, centers, period, now, scope)  # noqa: SLF001
                got = {k: {**c.n, "inputs": c.inputs, "reused": c.reused} for k, c in pre.items()}
                want = {k: {**c.n, "inputs": c.inputs, "reused": c.reused} for k, c in direct.items()}
                diff = {
                    (k, m): (got.get(k, {}).get(m), want.get(k, {}).get(m))
                    for k in got.keys() | want.keys()
                    for m in (got.get(k) or want[k])
                    if got.get(k, {}).get(m) != want.get(k, {}).get(m)
                }
                assert not diff, (when, period, scope, centers, diff)


def _tables(session: Session) -> tuple[dict, dict]:
    """Both pre-computed tables, zero rows left out (a dossier that moves away leaves a row of zeros)."""
    T, TOT = DOSSIER_DAILY_COUNT, DOSSIER_COUNT_TOTAL  # noqa: N806
    days = session.connection().execute(sa.select(T)).all()
    totals = session.connection().execute(sa.select(TOT)).all()
    return (
        {(r[0], r[1], r[2]): tuple(r[4:]) for r in days if any(r[4:])},
        {(r[0], r[1]): tuple(r[3:]) for r in totals if any(r[3:])},
    )


def _weeks(session: Session) -> dict:
    W = DOSSIER_WEEKLY_COUNT  # noqa: N806
    return {(r[0], r[1], r[2], r[3]): list(r[4:]) for r in session.connection().execute(sa.select(W)) if any(r[4:])}


@pytest.mark.parametrize("seed", [13, 766])
def test_daily_counts_equal_direct_counts_after_random_lifecycles(session: Session, seed: int) -> None:
    rng = random.Random(seed)
    clock.set_now(START)
    officers = _officers(session)
    dossiers: list[int] = []
    for i in range(60 * 6):
        clock.set_now(clock.now() + timedelta(minutes=rng.randint(10, 600)))
        if i % 8 == 0 and len(dossiers) < 25:
            dossiers.append(file_online(session, rng.choice(PROCEDURES)).id)
            continue
        if dossiers:
            _step(rng, session, dossiers, officers)
        if i % 90 == 89:
            _assert_equal(session, f"after step {i}")
    statuses = set(session.exec(select(Dossier.status)).all())
    # the walk reached the states that matter for the counts
    assert {Status.RETURNED, Status.PROCESSING} <= {Status(s) for s in statuses}, statuses
    # a rebuild from scratch gives exactly the table the flush hook kept
    kept = _tables(session)
    # the week rows (migration 0020) the hook kept are the day rows summed per week, and a rebuild gives them again
    weeks = _weeks(session)
    assert weeks and weeks == weeks_from_days(session.connection())
    with transaction(session):
        rebuild(session)
    assert _tables(session) == kept
    assert _weeks(session) == weeks
    # and later in the day (a due date passing today is taken off until it is reached)
    clock.set_now(clock.now() + timedelta(hours=3))
    _assert_equal(session, "three hours later")


def test_cli_verify_finds_a_damaged_table_and_rebuild_repairs_it(session: Session, capsys) -> None:  # noqa: ANN001
    from onestop.cli import main
    from tests.integration.dashboard_helpers import make_dossier

    now = datetime(2026, 11, 25, 10, 0)
    clock.set_now(now)
    make_dossier(session, status=Status.PROCESSING, received_at=now - timedelta(days=5), due_at=now - timedelta(days=1))
    make_dossier(
        session,
        status=Status.RETURNED,
        received_at=now - timedelta(days=9),
        due_at=now - timedelta(days=6),
        finished_at=now - timedelta(days=7),
        on_time=True,
    )
    assert main(["dashboard", "verify"]) == 0
    with transaction(session):  # a bulk load or a manual fix that bypassed the hooks
        session.connection().execute(sa.delete(DOSSIER_DAILY_COUNT))
    assert main(["dashboard", "verify"]) == 1
    assert "1 differ" in capsys.readouterr().out
    assert main(["dashboard", "rebuild"]) == 0
    assert main(["dashboard", "verify"]) == 0
    assert "0 differ" in capsys.readouterr().out.splitlines()[-1]


def test_a_deleted_dossier_leaves_the_kept_counts(session: Session) -> None:
    """`session.delete(dossier)`: the hooks take its part off (an object marked for deletion is not yet "deleted")."""
    from onestop.models import DOSSIER_SUBMISSION_COUNT
    from onestop.services import support_counts
    from tests.integration.dashboard_helpers import make_dossier

    now = datetime(2026, 11, 25, 10, 0)
    clock.set_now(now)
    kept = make_dossier(session, status=Status.PROCESSING, received_at=now - timedelta(days=4), due_at=now)
    gone = make_dossier(
        session, status=Status.PROCESSING, received_at=now - timedelta(days=5), due_at=now - timedelta(days=1)
    )
    session.delete(session.get(Dossier, gone.id))
    session.commit()
    period = q.period_for("30d", now)
    cells = {k: c.n for k, c in q._cells(session, None, period, now).items()}  # noqa: SLF001
    assert cells == {k: c.n for k, c in q._cells_direct(session, None, period, now).items()}  # noqa: SLF001
    assert sum(c["received"] for c in cells.values()) == 1
    submitted = session.connection().execute(sa.select(func.sum(DOSSIER_SUBMISSION_COUNT.c.submitted))).scalar()
    assert submitted == 1 and kept.id is not None
    conn = session.connection()
    assert support_counts.same(support_counts.stored(conn), support_counts.direct(conn))
