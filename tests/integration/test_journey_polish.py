"""Journey polish from issue 15: /my lists what needs the person's action first; "request fee" is not offered once
the fee is paid."""

from __future__ import annotations

from datetime import datetime, timedelta

from onestop import clock
from onestop.domain.lifecycle import Action
from onestop.models import Dossier
from onestop.read import dossier as views
from onestop.read import dossier_detail
from onestop.services.dossiers import ActionInput, perform
from onestop.services.payments import record_counter_payment
from tests.integration.helpers import actor, file_online


def test_my_dossiers_list_action_needed_first(session):
    clock.set_now(datetime(2026, 11, 23, 9, 0))
    older = file_online(session, "1.004873")
    clock.set_now(datetime(2026, 11, 23, 10, 0))
    newer = file_online(session, "1.004873")
    rows = views.citizen_dossiers(session, actor(session, "citizen"), clock.now())
    assert [r.code for r in rows] == [newer.code, older.code]  # newest first when nothing is asked
    perform(
        session,
        actor(session, "receiver"),
        older.id,
        Action.REQUEST_SUPPLEMENT,
        expected_version=older.version,
        data=ActionInput(missing_items=["Bản sao giấy khai sinh"], supplement_deadline=clock.now() + timedelta(days=5)),
    )
    rows = views.citizen_dossiers(session, actor(session, "citizen"), clock.now())
    assert [r.code for r in rows] == [older.code, newer.code]  # the supplement due comes first


def test_request_fee_is_not_offered_once_paid(session):
    clock.set_now(datetime(2026, 11, 23, 9, 0))
    d = file_online(session, "2.000815")
    receiver = actor(session, "receiver")
    perform(session, receiver, d.id, Action.RECEIVE, expected_version=d.version, data=ActionInput())
    d = session.get(Dossier, d.id)
    assert "request_fee" in {a.action for a in dossier_detail.action_items(receiver, d)}
    record_counter_payment(session, d, receiver)
    session.refresh(d)
    assert d.fee_status == "paid"
    assert "request_fee" not in {a.action for a in dossier_detail.action_items(receiver, d)}
