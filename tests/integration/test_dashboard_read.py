"""The dashboard's read side on a real database: counts, drill-down equality, scope and backlog."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from onestop import clock
from onestop.domain.errors import PermissionDenied
from onestop.domain.lifecycle import Status
from onestop.read import dashboard as q
from onestop.read.dashboard_tables import board, fmt
from tests.integration.dashboard_helpers import make_dossier
from tests.integration.helpers import actor

NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday, mid-morning


def _five(session) -> None:  # noqa: ANN001
    day = timedelta(days=1)
    make_dossier(
        session,
        status=Status.RETURNED,
        received_at=NOW - 10 * day,
        due_at=NOW - 7 * day,
        finished_at=NOW - 8 * day,
        on_time=True,
        result_attachment_id=1,
    )
    make_dossier(
        session,
        status=Status.RESULT_READY,
        channel="direct",
        received_at=NOW - 10 * day,
        due_at=NOW - 9 * day,
        finished_at=NOW - 8 * day,
        on_time=False,
        apology=NOW - 9 * day,
    )
    make_dossier(session, status=Status.PROCESSING, received_at=NOW - 5 * day, due_at=NOW + 2 * day)
    make_dossier(session, status=Status.PROCESSING, received_at=NOW - 5 * day, due_at=NOW - day)
    make_dossier(session, status=Status.SUBMITTED, submitted_at=NOW - timedelta(hours=2))
    make_dossier(session, status=Status.PROCESSING, center="T01", received_at=NOW - 3 * day, due_at=NOW - day)


def test_counts_index_and_drill_down_agree(session) -> None:
    clock.set_now(NOW)
    _five(session)
    admin = actor(session, "admin")
    period = q.period_for("30d", NOW)
    b = board(session, admin, period, q.Scope(), NOW)
    c = b.counts
    assert (c.received, c.online, c.handled) == (5, 4, 5)
    assert (c.on_time_or_early, c.resolved_late, c.in_deadline, c.overdue) == (1, 1, 1, 2)
    assert c.late_with_apology == 1 and c.results_document == 2 and c.results_electronic == 1
    # progress = 20 × (1 on time + 1 within deadline) ÷ 5 handled = 8 points
    assert b.index.progress == pytest.approx(8.0)
    # Every drillable number opens a list of exactly that many dossiers.
    for metric, expected in (
        ("received", 5),
        ("online", 4),
        ("handled", 5),
        ("on_time", 1),
        ("resolved_late", 1),
        ("in_deadline", 1),
        ("overdue", 2),
        ("late_no_apology", 2),
        ("backlog", 1),
    ):
        assert q.count_behind(session, admin, period, NOW, q.Scope(), metric) == expected, metric
        assert len(q.dossiers_behind(session, admin, period, NOW, q.Scope(), metric)) == expected, metric
    # The component table shows numerator and denominator.
    row = next(r for r in b.tables["index"].rows if r[0][1].startswith("Dossiers on time"))
    assert row[2:4] == (2, 5) and fmt(row[4], "points", "vi") == "8,00"
    # Components without a data source say "not measured" (and why) instead of 0, and leave the maximum.
    unmeasured = [r for r in b.tables["index"].rows if "not measured" in r[0][1]]
    assert len(unmeasured) == len(q.NOT_MEASURED) == 3
    assert all("không đo" in r[0][0] and r[2:] == (None, None, None, None) for r in unmeasured)
    assert all(fmt(r[4], "points", lang) == "—" for r in unmeasured for lang in ("vi", "en"))
    total = b.tables["groups"].rows[-1]
    assert total[1:] == (round(b.index.total, 2), 80.0) and b.index.max_total == 80.0  # 100 − 6 − 6 − 8
    assert sum(r[2] for r in b.tables["groups"].rows[:-1]) == 80.0


def test_leader_sees_own_center_and_breakdowns_add_up(session) -> None:
    clock.set_now(NOW)
    _five(session)
    period = q.period_for("30d", NOW)
    leader = actor(session, "leader")
    mine = board(session, leader, period, q.Scope(), NOW)
    assert mine.counts.received == 4 and mine.counts.overdue == 1  # T01's dossier is not X01's
    province = board(session, actor(session, "admin"), period, q.Scope(), NOW)
    centers = province.tables["centers"]
    assert sum(r[1] for r in centers.rows) == province.counts.received
    assert sum(r[5] for r in centers.rows) == province.counts.overdue
    assert all(link.startswith("/dashboard?scope=center:") for link in centers.links)
    one = board(session, actor(session, "admin"), period, q.Scope("procedure", "1.001612"), NOW)
    assert one.counts.received == 5 and one.counts.procedures_total == 1
    with pytest.raises(PermissionDenied):
        board(session, actor(session, "receiver"), period, q.Scope(), NOW)


def test_backlog_ages_in_working_hours(session) -> None:
    clock.set_now(NOW)
    make_dossier(session, status=Status.SUBMITTED, submitted_at=NOW - timedelta(hours=2))
    make_dossier(session, status=Status.SUBMITTED, submitted_at=NOW - timedelta(days=7))
    backlog = q.reception_backlog(session, actor(session, "admin"), NOW)
    assert backlog.total == 2
    assert dict(backlog.buckets) == {"le4": 1, "le8": 0, "le24": 0, "gt24": 1}
    assert q.submitted_not_received_older_than(session, actor(session, "admin"), NOW, 8) == 1


def test_periods_end_at_now_and_reject_reversed_dates() -> None:
    month = q.period_for("month", NOW)
    assert month.start == datetime(2026, 11, 1) and month.end == NOW
    prev = q.period_for("prev_month", NOW)
    assert (prev.first_day.isoformat(), prev.last_day.isoformat()) == ("2026-10-01", "2026-10-31")
    with pytest.raises(ValueError):
        q.period_for("custom", NOW, NOW.date(), NOW.date() - timedelta(days=1))
    assert q.Scope.parse("center:3") == q.Scope("center", "3") and q.Scope.parse("bogus:1") == q.Scope()


def test_ratings_complaints_and_online_payments_are_counted(session) -> None:
    from onestop.models import Payment, Rating

    clock.set_now(NOW)
    day = timedelta(days=1)
    paid = make_dossier(
        session,
        status=Status.RETURNED,
        received_at=NOW - 5 * day,
        due_at=NOW - 2 * day,
        finished_at=NOW - 3 * day,
        on_time=True,
        fee_amount=10000,
        fee_status="paid",
    )
    cash = make_dossier(
        session,
        status=Status.RETURNED,
        received_at=NOW - 5 * day,
        due_at=NOW - 2 * day,
        finished_at=NOW - 3 * day,
        on_time=True,
        fee_amount=10000,
        fee_status="paid",
    )
    session.add(
        Payment(
            dossier_id=paid.id,
            amount=10000,
            method="online",
            status="paid",
            gateway_ref="g-1",
            created_at=NOW - 4 * day,
            paid_at=NOW - 4 * day,
        )
    )
    session.add(
        Payment(
            dossier_id=cash.id,
            amount=10000,
            method="cash",
            status="paid",
            gateway_ref="g-2",
            created_at=NOW - 4 * day,
            paid_at=NOW - 4 * day,
        )
    )
    session.add(Rating(dossier_id=paid.id, overall=5, timeliness=5, attitude=5, trips=1, created_at=NOW - day))
    session.add(
        Rating(
            dossier_id=cash.id, overall=2, timeliness=2, attitude=3, trips=2, is_complaint=True, created_at=NOW - day
        )
    )
    session.commit()
    admin = actor(session, "admin")
    period = q.period_for("30d", NOW)
    c = board(session, admin, period, q.Scope(), NOW).counts
    assert (c.dossiers_with_fee, c.paid_online) == (2, 1)
    assert (c.ratings_total, c.ratings_negative, c.complaints, c.dossiers_with_issue) == (2, 1, 1, 1)
    assert q.count_behind(session, admin, period, NOW, q.Scope(), "paid_online") == 1
    assert [d.code for d in q.dossiers_behind(session, admin, period, NOW, q.Scope(), "with_issue")] == [cash.code]
