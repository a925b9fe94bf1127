"""The queue's rules: who is called next, lapses, people ahead, the wait, slots and limits."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.domain import queue as q
from onestop.domain.errors import DomainError

NOW = datetime(2026, 3, 2, 9, 0)


def w(i: int, minutes: int, **kw: object) -> q.Waiting:
    return q.Waiting(id=i, queued_at=NOW + timedelta(minutes=minutes), field_code=str(kw.pop("field", "land")), **kw)


def pick(tickets, *, policy=q.Policy(), since=0, counter_id=1, fields=("land",)):  # noqa: ANN001, ANN201
    return q.pick_next(
        tickets, counter_id=counter_id, counter_fields=fields, policy=policy, regular_since_priority=since, now=NOW
    )


def test_first_come_first_called():
    assert pick([w(2, -5), w(1, -10), w(3, -1)]).id == 1


def test_due_appointment_beats_everyone_but_not_before_its_time():
    tickets = [w(1, -30), w(2, -20, priority=True), w(3, -5, appointment=True), w(4, 10, appointment=True)]
    assert pick(tickets, policy=q.Policy(priority_mode="first")).id == 3
    assert pick([t for t in tickets if t.id != 3], policy=q.Policy(priority_mode="first")).id == 2
    # an early arrival for a 09:10 appointment waits like anyone: behind people who came earlier
    assert pick([w(1, -30), w(4, 10, appointment=True)]).id == 1


def test_priority_always_first():
    assert pick([w(1, -30), w(2, -1, priority=True)], policy=q.Policy(priority_mode="first")).id == 2


def test_priority_interleaved_one_in_n():
    policy = q.Policy(priority_mode="interleave", priority_every=2)
    tickets = [w(1, -30), w(2, -20), w(3, -10), w(4, -1, priority=True)]
    assert pick(tickets, policy=policy, since=0).id == 1
    assert pick(tickets, policy=policy, since=1).id == 1
    assert pick(tickets, policy=policy, since=2).id == 4
    # an empty lane never blocks the other
    assert pick([w(4, -1, priority=True)], policy=policy, since=0).id == 4
    assert pick([w(1, -1)], policy=policy, since=5).id == 1


def test_interleave_sequence_over_a_morning():
    policy = q.Policy(priority_mode="interleave", priority_every=3)
    tickets = [w(i, i) for i in range(1, 10)] + [w(100 + i, i, priority=True) for i in range(1, 4)]
    lanes = []
    history: list[bool] = []  # newest first
    while tickets:
        got = q.pick_next(
            tickets,
            counter_id=1,
            counter_fields=("land",),
            policy=policy,
            regular_since_priority=q.regular_since_priority(history),
            now=NOW + timedelta(hours=1),
        )
        tickets.remove(got)
        history.insert(0, got.priority)
        lanes.append("P" if got.priority else "R")
    assert "".join(lanes) == "RRRPRRRPRRRP"


def test_call_order_is_what_call_next_would_take_one_press_after_another():
    """The picking list's order: the morning above at once, and the same as pressing "call next" again and again."""
    policy = q.Policy(priority_mode="interleave", priority_every=3)
    tickets = [w(i, i) for i in range(1, 10)] + [w(100 + i, i, priority=True) for i in range(1, 4)]
    tickets += [w(200, -5, appointment=True), w(201, 90, appointment=True), w(300, 0, field="civil_status")]
    later = NOW + timedelta(hours=1)
    order = q.call_order(
        tickets, counter_id=1, counter_fields=("land",), policy=policy, regular_since_priority=0, now=later
    )
    left, pressed, history = list(tickets), [], []
    while (
        got := q.pick_next(
            left,
            counter_id=1,
            counter_fields=("land",),
            policy=policy,
            regular_since_priority=q.regular_since_priority(history),
            now=later,
        )
    ) is not None:
        left.remove(got)
        pressed.append(got)
        if not got.appointment:  # as services.queue counts: appointments are not regular calls
            history.insert(0, got.priority)
    assert order == pressed
    assert [t.id for t in order[:5]] == [200, 1, 2, 3, 101]  # the due appointment first; 201 (10:30) is not due
    assert 300 not in [t.id for t in order]  # another counter's field
    assert (
        q.call_order(
            tickets, counter_id=1, counter_fields=("land",), policy=policy, regular_since_priority=0, now=later, limit=3
        )
        == order[:3]
    )


def test_counter_takes_its_fields_and_tickets_sent_to_it():
    tickets = [w(1, -30, field="civil_status"), w(2, -20, field="land"), w(3, -40, field="land", counter_id=2)]
    assert pick(tickets, counter_id=1, fields=("land",)).id == 2
    assert pick(tickets, counter_id=2, fields=("civil_status",)).id == 3
    assert pick(tickets, counter_id=1, fields=()).id == 1  # a counter with no field list serves all


def test_lapse_after_max_calls():
    policy = q.Policy(max_calls=2)
    assert q.after_no_show(1, policy) == q.WAITING
    assert q.after_no_show(2, policy) == q.MISSED
    assert q.can_recall(1, policy) and not q.can_recall(2, policy)


def test_regular_since_priority():
    assert q.regular_since_priority([]) == 0
    assert q.regular_since_priority([False, False, True, False]) == 2
    assert q.regular_since_priority([True]) == 0


def test_people_ahead_and_wait():
    policy = q.Policy(priority_mode="first", service_minutes=8)
    me = w(5, 0)
    line = [w(1, -10), w(2, -5), me, w(3, 5), w(4, 6, priority=True), w(6, -20, field="civil_status")]
    assert q.people_ahead(me, line, policy, NOW) == 3  # two earlier + one priority
    assert q.estimate_wait(3, 2, None, policy) == 12  # ceil(3/2*8)
    assert q.estimate_wait(3, 1, 4.5, policy) == 14
    assert q.estimate_wait(0, 1, 4.5, policy) == 0
    assert q.average_minutes([60, 180]) == 2.0 and q.average_minutes([]) is None


def test_heads_up_and_daily_limit():
    policy = q.Policy(heads_up_at=3, daily_limit=2)
    assert q.heads_up_due(3, policy) and not q.heads_up_due(4, policy)
    assert not q.heads_up_due(0, q.Policy(heads_up_at=0))
    q.check_daily_limit(1, policy)
    with pytest.raises(DomainError) as err:
        q.check_daily_limit(2, policy)
    assert err.value.code == "queue_limit" and "2" in err.value.vi and "2" in err.value.en


def test_policy_is_validated():
    with pytest.raises(DomainError):
        q.Policy(priority_mode="random")
    with pytest.raises(DomainError):
        q.Policy(max_calls=0)


def test_day_slots_fit_inside_sessions():
    sessions = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
    slots = q.day_slots(date(2026, 3, 2), sessions, 45)
    assert slots[0] == datetime(2026, 3, 2, 7, 30)
    assert datetime(2026, 3, 2, 10, 30) in slots and datetime(2026, 3, 2, 11, 15) not in slots  # 11:15+45 > 11:30
    assert slots[-1] + timedelta(minutes=45) <= datetime(2026, 3, 2, 17, 0)


def test_bookable_and_capacity():
    slots = q.day_slots(date(2026, 3, 3), ((time(7, 30), time(11, 30)),), 30)
    q.check_bookable(datetime(2026, 3, 3, 8, 0), NOW, working_day=True, slots=slots)
    for at, working, code in (
        (datetime(2026, 3, 2, 8, 0), True, "slot_past"),
        (datetime(2026, 3, 3, 8, 10), True, "slot_closed"),
        (datetime(2026, 3, 3, 8, 0), False, "slot_closed"),
        (datetime(2026, 6, 3, 8, 0), True, "slot_far"),
    ):
        with pytest.raises(DomainError) as err:
            q.check_bookable(at, NOW, working_day=working, slots=slots)
        assert err.value.code == code
    assert q.slot_capacity(3, q.Policy(slot_capacity=2)) == 6
    with pytest.raises(DomainError):
        q.check_capacity(6, 6)


def test_format_number():
    assert q.format_number(7) == "007" and q.format_number(12, priority=True) == "U012"


ticket_lists = st.lists(
    st.builds(
        lambda i, m, p, a, f: q.Waiting(
            id=i, queued_at=NOW + timedelta(minutes=m), field_code=f, priority=p, appointment=a
        ),
        st.integers(1, 10_000),
        st.integers(-120, 120),
        st.booleans(),
        st.booleans(),
        st.sampled_from(["land", "civil_status"]),
    ),
    max_size=30,
    unique_by=lambda t: t.id,
)


@given(ticket_lists, st.integers(0, 6), st.sampled_from(["first", "interleave"]))
def test_pick_is_a_served_ticket_and_respects_lanes(tickets, since, mode):
    policy = q.Policy(priority_mode=mode, priority_every=3)
    got = pick(tickets, policy=policy, since=since)
    mine = [t for t in tickets if t.field_code == "land"]
    if not mine:
        assert got is None
        return
    assert got in mine
    due = [t for t in mine if q.lane_of(t, NOW) == q.APPOINTMENT]
    if due:  # a due appointment always goes first, earliest first
        assert got == min(due, key=q.line_key)
    else:  # within its lane, nobody earlier was passed over
        assert all(q.line_key(got) <= q.line_key(t) for t in mine if q.lane_of(t, NOW) == q.lane_of(got, NOW))


@given(ticket_lists)
def test_people_ahead_counts_those_called_before(tickets):
    """Calling in "priority first" order, each ticket's people-ahead equals its position among its group."""
    policy = q.Policy(priority_mode="first")
    mine = [t for t in tickets if t.field_code == "land"]
    order = []
    rest = list(mine)
    while rest:
        nxt = pick(rest, policy=policy)
        order.append(nxt)
        rest.remove(nxt)
    for position, t in enumerate(order):
        assert q.people_ahead(t, mine, policy, NOW) == position
