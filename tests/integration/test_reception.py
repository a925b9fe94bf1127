"""Reception deadline: an online dossier waiting past N working hours is flagged in the inbox, counted for the
dashboard (read/reception) and alerted once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from onestop import clock
from onestop.models import Notification
from onestop.read import inbox_rows
from onestop.read.reception import reception_overdue_count
from onestop.services.alerts import KIND_RECEPTION, scan_reception_deadlines
from tests.integration.helpers import actor, center, file_online


def test_waiting_dossier_is_flagged_counted_and_alerted_once(session):
    clock.set_now(datetime(2026, 11, 23, 9, 0))  # Monday
    d = file_online(session, "1.004873")
    x01 = center(session).id
    receiver = actor(session, "receiver")
    row = next(i for i in inbox_rows.inbox_view(session, receiver, "to_receive").items if i.id == d.id)
    assert not row.reception_overdue and row.left.vi.startswith("Chờ tiếp nhận")
    assert reception_overdue_count(session, x01) == 0

    clock.set_now(datetime(2026, 11, 23, 16, 0))  # 6 working hours: within the default 8
    assert reception_overdue_count(session) == 0
    assert scan_reception_deadlines(session) == 0

    clock.set_now(datetime(2026, 11, 25, 10, 30))  # Monday 6 h + (24/11 holiday) + Wednesday 3 h = 9 h
    view = inbox_rows.inbox_view(session, receiver, "to_receive")
    row = next(i for i in view.items if i.id == d.id)
    assert row.reception_overdue and row.colour == "red"
    assert row.left.vi == "Quá hạn tiếp nhận: đã chờ 1 ngày 1 giờ" and row.left.en.startswith("Overdue for reception")
    assert view.reception_overdue == 1 and view.reception_overdue_vi.startswith("1 hồ sơ quá hạn tiếp nhận")
    assert reception_overdue_count(session, x01) == 1 and reception_overdue_count(session) == 1
    assert reception_overdue_count(session, center(session, "P01").id) == 0

    created = scan_reception_deadlines(session)
    session.commit()
    assert created >= 2  # the center's one-stop officer(s) and leader(s)
    assert scan_reception_deadlines(session) == 0  # once per dossier
    notes = session.exec(select(Notification).where(Notification.kind == KIND_RECEPTION)).all()
    assert {n.dossier_id for n in notes} == {d.id}
    assert any("quá hạn tiếp nhận" in n.title for n in notes)

    # received: no longer waiting, no longer counted
    from onestop.domain.lifecycle import Action
    from onestop.services.dossiers import ActionInput, perform

    perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version, data=ActionInput())
    assert reception_overdue_count(session, x01) == 0
    assert inbox_rows.inbox_view(session, receiver, "to_receive").reception_overdue == 0
