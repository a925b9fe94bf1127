"""Picking a number from a list (issue 16): a leader allows it per counter, the panel lists that counter's line.

The policy form sets `Policy.pick_counter_ids` (only counters of the leader's own center, a crafted form changes
nothing); `read.queue.panel_view` lists the tickets the counter serves, in the order "call next" would take them,
only where picking is allowed; `services.queue.call_ticket` calls one of them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from onestop import clock
from onestop.db import transaction
from onestop.demo.catalog import DEMO_PASSWORD
from onestop.domain import queue as rules
from onestop.domain.errors import DomainError
from onestop.models import QueuePolicy, QueueTicket
from onestop.read import queue as read
from onestop.services import auth, queue
from onestop.ui.officer import queue as page
from tests.integration.helpers import PHONES, actor, center
from tests.integration.test_queue_services import MONDAY, counter_no, take


@pytest.fixture()
def x01(session):  # noqa: ANN001, ANN201
    clock.set_now(MONDAY)
    return center(session, "X01")


def _stored(session, center_id: int) -> list[int] | None:  # noqa: ANN001
    session.expire_all()
    row = session.get(QueuePolicy, center_id)
    return None if row is None else list(row.pick_counter_ids or [])


def test_a_leader_allows_and_clears_picking_at_own_counters_only(session, x01):  # noqa: ANN001
    leader = actor(session, "leader")
    c1, c3 = counter_no(session, x01.id, 1), counter_no(session, x01.id, 3)
    with transaction(session) as s:
        queue.set_policy(s, leader, x01.id, rules.Policy(pick_counter_ids=(c1.id, c3.id)))
    assert _stored(session, x01.id) == [c1.id, c3.id]
    assert queue.policy_for(session, x01.id).pick_counter_ids == (c1.id, c3.id)

    other = counter_no(session, center(session, "T01").id, 1)
    for ids in ((c1.id, other.id), (0,), (987654,)):
        with pytest.raises(DomainError) as err, transaction(session) as s:
            queue.set_policy(s, leader, x01.id, rules.Policy(pick_counter_ids=ids, max_calls=5))
        assert (err.value.code, err.value.status) == ("bad_pick_counter", 422)
        assert err.value.vi and err.value.en
    assert _stored(session, x01.id) == [c1.id, c3.id]
    assert queue.policy_for(session, x01.id).max_calls == 3  # the refused policy changed nothing

    with transaction(session) as s:
        queue.set_policy(s, leader, x01.id, rules.Policy())
    assert _stored(session, x01.id) == []


def _form(**extra: str) -> dict[str, str]:
    form = {name: str(getattr(rules.Policy(), name)) for name in page.POLICY_FIELDS}
    return {**form, "priority_mode": "interleave", **extra}


def test_the_policy_form_sets_the_ticked_counters_and_refuses_a_crafted_one(session, x01):  # noqa: ANN001
    token, _ = auth.sign_in(session, PHONES["leader"], DEMO_PASSWORD)
    session.commit()
    c2, c3 = counter_no(session, x01.id, 2), counter_no(session, x01.id, 3)
    page._save_policy(token, _form(**{f"pick_{c3.id}": "on", f"pick_{c2.id}": ""}))  # an unticked box sends ""
    assert _stored(session, x01.id) == [c3.id]
    assert page._policy(token)["pick_counter_ids"] == str(c3.id)

    other = counter_no(session, center(session, "P01").id, 1)
    for crafted in ({f"pick_{other.id}": "on"}, {"pick_3; DROP": "on"}, {"pick_" + "9" * 30: "on"}):
        with pytest.raises(DomainError) as err:
            page._save_policy(token, _form(max_calls="7", **{f"pick_{c2.id}": "on", **crafted}))
        assert err.value.code == "bad_pick_counter"
        assert _stored(session, x01.id) == [c3.id]
        assert queue.policy_for(session, x01.id).max_calls == 3

    page._save_policy(token, _form())  # nothing ticked: picking allowed nowhere
    assert _stored(session, x01.id) == []


def test_the_panel_lists_what_the_counter_serves_in_call_order_only_where_allowed(session, x01):  # noqa: ANN001
    officer = actor(session, "receiver")
    c1, c3 = counter_no(session, x01.id, 1), counter_no(session, x01.id, 3)
    regular = [take(session, x01, minutes=i) for i in range(4)]  # land: counter 3's field
    urgent = take(session, x01, minutes=5, priority=True)
    take(session, x01, field="civil_status", minutes=6)  # counter 1's field
    sent = take(session, x01, minutes=7)
    with transaction(session) as s:  # a land ticket sent to counter 1: no longer counter 3's to call
        s.get(QueueTicket, sent.id).counter_id = c1.id
    now = MONDAY + timedelta(minutes=20)

    panel = read.panel_view(session, c3, now=now)
    assert (panel.can_pick, panel.pickable, panel.waiting_here) == (False, [], 5)

    with transaction(session) as s:
        queue.set_policy(s, actor(session, "leader"), x01.id, rules.Policy(pick_counter_ids=(c3.id,)))
    panel = read.panel_view(session, c3, now=now)
    assert panel.can_pick
    # interleaved, one priority call after every three regular ones: what "call next" would do
    assert [r.number for r in panel.pickable] == ["001", "002", "003", "U005", "004"]
    assert [r.id for r in panel.pickable] == [regular[0].id, regular[1].id, regular[2].id, urgent.id, regular[3].id]
    first, priority = panel.pickable[0], panel.pickable[3]
    assert (first.waited, first.priority, first.field_name.en) == (20, False, "Land")
    assert (priority.waited, priority.priority) == (15, True)
    assert len(panel.pickable) == panel.waiting_here
    assert read.panel_view(session, c1, now=now).pickable == []  # picking is allowed at counter 3 only

    with transaction(session) as s:  # "call next" takes the list's first ticket
        assert queue.call_next(s, officer, c3.id, now=now).ticket.id == regular[0].id
    with transaction(session) as s:  # picking takes any of them, here the priority one out of turn
        assert queue.call_ticket(s, officer, c3.id, urgent.id, now=now).status == rules.CALLED
    panel = read.panel_view(session, c3, now=now)
    assert [r.number for r in panel.pickable] == ["002", "003", "004", "001"]  # 001 went back (not served)
    assert panel.number == "U005"


def test_picking_refuses_a_ticket_of_another_field_or_already_taken(session, x01):  # noqa: ANN001
    officer = actor(session, "receiver")
    c1, c3 = counter_no(session, x01.id, 1), counter_no(session, x01.id, 3)
    with transaction(session) as s:
        s.add(QueuePolicy(center_id=x01.id, pick_counter_ids=[c1.id, c3.id]))
    civil = take(session, x01, field="civil_status")
    land = take(session, x01, minutes=1)
    with pytest.raises(DomainError) as err, transaction(session) as s:
        queue.call_ticket(s, officer, c3.id, civil.id)
    assert err.value.code == "ticket_not_here"
    with transaction(session) as s:
        queue.call_ticket(s, officer, c3.id, land.id)
    with pytest.raises(DomainError) as err, transaction(session) as s:  # the list was read before that call
        queue.call_ticket(s, officer, c1.id, land.id)
    assert (err.value.code, err.value.status) == ("ticket_taken", 409)
    rows = session.exec(select(QueueTicket.id, QueueTicket.status, QueueTicket.counter_id)).all()
    assert sorted(rows) == sorted([(civil.id, rules.WAITING, None), (land.id, rules.CALLED, c3.id)])
