"""The inbox's SQL follows `domain.deadlines` exactly: order, overdue tab, counts, colours (issue 12).

Why on a real database: the rank is a SQL CASE mirroring the pure rule, so only running it proves they agree;
the rows below mix every status with due dates around "now" at the moments the old rule failed (23:40) and
ordinary ones.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from onestop import clock
from onestop.domain.deadlines import is_late, urgency
from onestop.domain.lifecycle import Action, Status
from onestop.models import Dossier
from onestop.read.inbox import inbox_page, tab_counts
from onestop.read.inbox_rows import inbox_view
from onestop.services.dossiers import perform
from tests.integration.helpers import actor, file_online

OPEN_WITH_CLOCK = [Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.AWAITING_FEE, Status.RESULT_READY]


@pytest.mark.parametrize(
    "moment", [datetime(2026, 11, 27, 23, 40), datetime(2026, 11, 26, 11, 45), datetime(2026, 11, 28, 10, 0)]
)
def test_open_tab_order_overdue_count_and_colour_are_one_rule(session, moment: datetime) -> None:
    rng = random.Random(moment.toordinal())
    receiver = actor(session, "receiver")
    ids = []
    for _ in range(14):
        d = file_online(session)
        perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version)
        ids.append(d.id)
    session.commit()
    for i, dossier_id in enumerate(ids):
        status = OPEN_WITH_CLOCK[i % len(OPEN_WITH_CLOCK)]
        due = moment + timedelta(minutes=rng.choice([-4000, -90, -1, 1, 90, 4000]))
        paused = moment - timedelta(hours=2) if status in (Status.SUPPLEMENT, Status.AWAITING_FEE) or i == 3 else None
        session.execute(
            sa.update(Dossier).where(Dossier.id == dossier_id).values(status=int(status), due_at=due, paused_at=paused)
        )
    session.commit()
    clock.set_now(moment)

    rows = []
    after = None
    while True:  # page through with the keyset cursor, 4 rows at a time
        page = inbox_page(session, receiver, "open", after=after, limit=4)
        rows.extend(page.rows)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert sorted(r.id for r in rows) == sorted(ids)
    expected = sorted(rows, key=lambda r: (urgency(moment, r.status, r.due_at, r.paused), r.due_at, r.id))
    assert [r.id for r in rows] == [r.id for r in expected]
    late = [r.id for r in rows if is_late(moment, r.status, r.due_at, r.paused)]
    assert late and late == [r.id for r in rows[: len(late)]]
    assert tab_counts(session, receiver)["overdue"] == len(late)
    assert sorted(r.id for r in inbox_page(session, receiver, "overdue").rows) == sorted(late)
    view = inbox_view(session, receiver, "open", limit=100)
    assert [item.id for item in view.items if item.colour == "red"] == late


def test_deadline_alerts_scan_the_same_late_rows_as_the_inbox(session) -> None:
    """The alert job's overdue scan and the inbox's overdue tab are one rule: a paused dossier is never late."""
    from onestop.services.alerts import overdue_query

    moment = datetime(2026, 11, 27, 23, 40)
    receiver = actor(session, "receiver")
    ids = []
    for _ in range(3):
        d = file_online(session)
        perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version)
        ids.append(d.id)
    session.commit()
    running, paused, not_due = ids
    for dossier_id, due, paused_at in (
        (running, moment - timedelta(hours=1), None),
        (paused, moment - timedelta(hours=1), moment - timedelta(hours=3)),
        (not_due, moment + timedelta(hours=1), None),
    ):
        session.execute(
            sa.update(Dossier)
            .where(Dossier.id == dossier_id)
            .values(status=int(Status.PROCESSING), due_at=due, paused_at=paused_at)
        )
    session.commit()
    clock.set_now(moment)
    scanned = {row.id for row in session.execute(overdue_query(moment)).all()}
    assert scanned == {running}
    assert {r.id for r in inbox_page(session, receiver, "overdue").rows} == scanned
