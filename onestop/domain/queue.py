"""Queue numbers and appointments: the rules, with no database and no framework.

Why pure: fairness is the whole point of a queue. Which ticket an officer gets
when they press "call next" (appointments at their time first, then the priority
lane — always first or one in every N — then everyone else in order of arrival),
when a ticket lapses, how many people are ahead of someone, how long they will
wait and how many appointments a slot holds are decided here and tested here,
and the services (onestop.services.queue, .appointments) only fetch and lock rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from onestop.domain.errors import DomainError

# Ticket statuses. waiting → called → serving → served; called → waiting (skipped, back of the line) or missed
# (lapsed after max_calls); waiting → cancelled (the holder gave it up).
WAITING = "waiting"
CALLED = "called"
SERVING = "serving"
SERVED = "served"
MISSED = "missed"
CANCELLED = "cancelled"
OPEN_STATUSES = (WAITING, CALLED, SERVING)
DONE_STATUSES = (SERVED, MISSED, CANCELLED)

# Lanes, in the order "call next" may look at them.
APPOINTMENT = "appointment"
PRIORITY = "priority"
NORMAL = "normal"

PRIORITY_FIRST = "first"
PRIORITY_INTERLEAVE = "interleave"


@dataclass(frozen=True)
class Policy:
    """How one center runs its queue (the `queue_policy` row, or these defaults)."""

    priority_mode: str = PRIORITY_INTERLEAVE
    priority_every: int = 3
    max_calls: int = 3
    heads_up_at: int = 3
    daily_limit: int = 3
    slot_minutes: int = 30
    slot_capacity: int = 2
    service_minutes: int = 10
    speech: bool = False
    pick_counter_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        problems = policy_problems(self)
        if problems:
            raise DomainError("bad_queue_policy", "; ".join(p[0] for p in problems), "; ".join(p[1] for p in problems))


def policy_problems(p: Policy) -> list[tuple[str, str]]:
    """Every reason a policy cannot run a queue, in (vi, en) pairs (empty when it can)."""
    out: list[tuple[str, str]] = []
    if p.priority_mode not in (PRIORITY_FIRST, PRIORITY_INTERLEAVE):
        out.append(("Chế độ ưu tiên không hợp lệ", "Unknown priority mode"))
    checks = (
        (p.priority_every, 1, 50, "Số lượt thường giữa hai lượt ưu tiên", "Regular calls between priority calls"),
        (p.max_calls, 1, 10, "Số lần gọi tối đa", "Most calls before a ticket lapses"),
        (p.heads_up_at, 0, 50, "Báo trước khi còn số người", "Heads-up when this many are ahead"),
        (p.daily_limit, 1, 20, "Số lượt lấy số mỗi người mỗi ngày", "Numbers per person per day"),
        (p.slot_minutes, 5, 240, "Độ dài khung giờ hẹn (phút)", "Appointment slot length (minutes)"),
        (p.slot_capacity, 0, 50, "Số lịch hẹn mỗi quầy mỗi khung giờ", "Appointments per counter per slot"),
        (p.service_minutes, 1, 240, "Thời gian phục vụ ước tính (phút)", "Estimated service time (minutes)"),
    )
    for value, low, high, vi, en in checks:
        if not isinstance(value, int) or not low <= value <= high:
            out.append((f"{vi}: từ {low} đến {high}", f"{en}: from {low} to {high}"))
    return out


# --------------------------------------------------------------------------- who is called next


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as the call rules see it."""

    id: int
    queued_at: datetime
    field_code: str = ""
    priority: bool = False
    appointment: bool = False
    counter_id: int | None = None  # transferred to this counter only


def lane_of(ticket: Waiting, now: datetime) -> str:
    """An appointment holder is called first once their time has come; before it they wait like anyone."""
    if ticket.appointment and ticket.queued_at <= now:
        return APPOINTMENT
    return PRIORITY if ticket.priority else NORMAL


def lane_order(policy: Policy, regular_since_priority: int) -> tuple[str, ...]:
    """Where "call next" looks, in order. Interleaved: a priority ticket once N regular ones were called since
    the last priority call; an empty lane never blocks the others."""
    if policy.priority_mode == PRIORITY_FIRST or regular_since_priority >= policy.priority_every:
        return (APPOINTMENT, PRIORITY, NORMAL)
    return (APPOINTMENT, NORMAL, PRIORITY)


def serves(ticket: Waiting, counter_id: int, counter_fields: Sequence[str]) -> bool:
    """A counter takes tickets of its fields (a counter with no fields takes all), and tickets sent to it."""
    if ticket.counter_id is not None:
        return ticket.counter_id == counter_id
    return not counter_fields or ticket.field_code in counter_fields


def line_key(ticket: Waiting) -> tuple[datetime, int]:
    """Order within a lane: place in line, then issue order."""
    return (ticket.queued_at, ticket.id)


def pick_next(tickets: Iterable[Waiting], **where: Any) -> Waiting | None:
    """The ticket this counter calls next (the reference the SQL path in services.queue follows lane by lane):
    the first of `call_order`, `where` being its keywords (counter_id, counter_fields, policy,
    regular_since_priority, now)."""
    first = call_order(tickets, **where, limit=1)
    return first[0] if first else None


def call_order(
    tickets: Iterable[Waiting],
    *,
    counter_id: int,
    counter_fields: Sequence[str],
    policy: Policy,
    regular_since_priority: int,
    now: datetime,
    limit: int | None = None,
) -> list[Waiting]:
    """The tickets this counter serves in the order its "call next" would take them if nobody else came or
    called: lane by lane as `lane_order` says, the interleave count moving with each call as
    `regular_since_priority` counts it (appointments do not count). What a counter allowed to pick lists."""
    lanes: dict[str, list[Waiting]] = {APPOINTMENT: [], PRIORITY: [], NORMAL: []}
    for t in tickets:
        if serves(t, counter_id, counter_fields):
            lanes[lane_of(t, now)].append(t)
    for in_lane in lanes.values():
        in_lane.sort(key=line_key, reverse=True)  # the first in line last: pop() takes it
    out: list[Waiting] = []
    since = regular_since_priority
    while any(lanes.values()) and (limit is None or len(out) < limit):
        lane = next(name for name in lane_order(policy, since) if lanes[name])
        ticket = lanes[lane].pop()
        out.append(ticket)
        if not ticket.appointment:
            since = 0 if ticket.priority else since + 1
    return out


def regular_since_priority(called_lanes_latest_first: Iterable[bool]) -> int:
    """How many regular tickets were called since the last priority one (input: is-priority of today's first
    calls, newest first)."""
    count = 0
    for was_priority in called_lanes_latest_first:
        if was_priority:
            break
        count += 1
    return count


def after_no_show(call_count: int, policy: Policy) -> str:
    """A called person who does not come: back to the end of the line, or lapsed after `max_calls` calls."""
    return MISSED if call_count >= policy.max_calls else WAITING


def can_recall(call_count: int, policy: Policy) -> bool:
    return call_count < policy.max_calls


# --------------------------------------------------------------------------- people ahead and the wait


def people_ahead(ticket: Waiting, waiting: Iterable[Waiting], policy: Policy, now: datetime) -> int:
    """How many waiting tickets of the same counter group will be called before this one (an estimate:
    interleaving counts priority tickets as if always first, which never promises too short a wait)."""
    mine = lane_of(ticket, now)
    rank = {APPOINTMENT: 0, PRIORITY: 1, NORMAL: 2}
    count = 0
    for other in waiting:
        if other.id == ticket.id or other.field_code != ticket.field_code:
            continue
        theirs = lane_of(other, now)
        if rank[theirs] < rank[mine] or (theirs == mine and line_key(other) < line_key(ticket)):
            count += 1
    return count


def average_minutes(durations_seconds: Iterable[float]) -> float | None:
    """Mean service time in minutes of today's served tickets (None before the first one)."""
    values = [d for d in durations_seconds if d is not None and d >= 0]
    if not values:
        return None
    return sum(values) / len(values) / 60.0


def estimate_wait(ahead: int, counters: int, minutes_per_person: float | None, policy: Policy) -> int:
    """Estimated minutes until called: the people ahead shared by the counters at work, at today's
    observed pace (or the center's default before anyone was served)."""
    if ahead <= 0:
        return 0
    pace = minutes_per_person if minutes_per_person is not None else float(policy.service_minutes)
    return int(math.ceil(ahead / max(1, counters) * pace))


def heads_up_due(ahead: int, policy: Policy) -> bool:
    """Tell the person to come back in when this few are ahead (0 turns the heads-up off)."""
    return policy.heads_up_at > 0 and ahead <= policy.heads_up_at


def check_daily_limit(taken_today: int, policy: Policy) -> None:
    if taken_today >= policy.daily_limit:
        raise DomainError(
            "queue_limit",
            f"Mỗi người chỉ được lấy tối đa {policy.daily_limit} số mỗi ngày tại trung tâm này.",
            f"Each person may take at most {policy.daily_limit} numbers a day at this center.",
            status=429,
        )


def format_number(number: int, priority: bool = False) -> str:
    """What the hall display, the slip and the phone show: three digits, "U" before a priority number."""
    return f"{'U' if priority else ''}{number:03d}"


def queue_day(now: datetime) -> date:
    """Numbers restart every day: a ticket belongs to the local day it was taken."""
    return now.date()


# --------------------------------------------------------------------------- appointment slots


def day_slots(day: date, sessions: Sequence[tuple[time, time]], slot_minutes: int) -> list[datetime]:
    """The appointment start times of a day: every `slot_minutes` inside each office session, whole slots only."""
    out: list[datetime] = []
    step = timedelta(minutes=slot_minutes)
    for start, end in sessions:
        at = datetime.combine(day, start)
        stop = datetime.combine(day, end)
        while at + step <= stop:
            out.append(at)
            at += step
    return out


def slot_capacity(counters_in_group: int, policy: Policy) -> int:
    """Capacity of one slot of a counter group: so many appointments per counter serving it."""
    return max(0, counters_in_group) * policy.slot_capacity


def check_bookable(
    at: datetime, now: datetime, *, working_day: bool, slots: Sequence[datetime], max_days_ahead: int = 30
) -> None:
    """An appointment is for a future slot of a working day within the booking horizon."""
    if at <= now:
        raise DomainError(
            "slot_past",
            "Khung giờ này đã qua, vui lòng chọn giờ khác.",
            "This slot has passed; please choose another time.",
            field="at",
        )
    if at.date() > now.date() + timedelta(days=max_days_ahead):
        raise DomainError(
            "slot_far",
            f"Chỉ đặt lịch trước tối đa {max_days_ahead} ngày.",
            f"Appointments can be booked at most {max_days_ahead} days ahead.",
            field="at",
        )
    if not working_day or at not in slots:
        raise DomainError(
            "slot_closed",
            "Trung tâm không tiếp nhận vào giờ này.",
            "The center does not receive people at this time.",
            field="at",
        )


def check_capacity(booked: int, capacity: int) -> None:
    if booked >= capacity:
        raise DomainError(
            "slot_full",
            "Khung giờ này đã kín chỗ, vui lòng chọn giờ khác.",
            "This slot is fully booked; please choose another time.",
            field="at",
            status=409,
        )
