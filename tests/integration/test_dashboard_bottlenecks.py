"""Bottlenecks from audit events: working hours per step and officer group, missing documents, unused procedures."""

from __future__ import annotations

from datetime import datetime, timedelta

from onestop import clock
from onestop.domain.lifecycle import Status
from onestop.models import DossierEvent
from onestop.read import bottlenecks as bn
from onestop.read import dashboard as q
from tests.integration.dashboard_helpers import make_dossier
from tests.integration.helpers import actor

NOW = datetime(2026, 11, 27, 16, 0)  # Friday afternoon
MON = datetime(2026, 11, 23, 8, 0)


def _event(session, dossier_id: int, at: datetime, action: str, role: str, outcome: str = "", data=None) -> None:  # noqa: ANN001
    session.add(DossierEvent(dossier_id=dossier_id, at=at, action=action, actor_role=role, outcome=outcome, data=data))
    session.commit()


def test_step_times_in_working_hours_per_role_and_late_counts(session) -> None:
    clock.set_now(NOW)
    for extra, outcome in ((0, "on_time"), (2, "late")):
        d = make_dossier(session, status=Status.PROCESSING, received_at=MON, due_at=NOW + timedelta(days=3))
        _event(session, d.id, MON, "receive", "receiver")
        _event(session, d.id, MON + timedelta(hours=2 + extra), "assign", "receiver", outcome)
        # Monday 10:00 (or 12:00) → Tuesday: 24/11/2026 is Vietnamese Culture Day, a holiday, so only
        # Monday afternoon (and late morning) counts: 5.0 h and 3.5 h
        _event(session, d.id, MON + timedelta(days=1, hours=2 + extra), "submit_for_approval", "specialist", outcome)
        _event(
            session,
            d.id,
            MON + timedelta(hours=3),
            "request_supplement",
            "specialist",
            data={"items": ["Bản sao CCCD", "bản sao cccd", "Giấy xác nhận cư trú"]},
        )
    figures = bn.step_times(session, actor(session, "admin"), q.period_for("30d", NOW))
    by = {(f.step, f.role): f for f in figures}
    assert by[("reception", "")].count == 2 and by[("reception", "receiver")].count == 2
    assert by[("reception", "")].late == 1
    # 08:00→10:00 = 2 h; 08:00→12:00 = 3.5 h (the morning session closes at 11:30) → mean 2.75
    assert by[("reception", "")].mean_hours == 2.8 and by[("reception", "")].median_hours == 2.8
    assert by[("appraisal", "specialist")].median_hours == 4.2 and by[("appraisal", "specialist")].late == 1
    assert [f.step for f in figures][0] == "reception"
    missing = bn.missing_documents(session, actor(session, "admin"), q.period_for("30d", NOW))
    assert missing[0] == ("Bản sao CCCD", 4) and ("Giấy xác nhận cư trú", 2) in missing
    rare = bn.rarely_used(session, actor(session, "admin"), q.period_for("30d", NOW))
    assert all(u.dossiers <= bn.RARE_AT_MOST for u in rare)
    assert "1.001612" in {u.code for u in rare}  # two dossiers: still "rarely used"
    assert rare[0].dossiers == 0
