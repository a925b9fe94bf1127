"""What one dossier adds to the dashboard's pre-computed daily counts (pure rules, no DB).

Why deltas per moment: the Decision 766 figures mix two kinds of number.
*Additive* ones happen once at a moment (received at R, resolved at F): a period's
figure is the sum of its days. *Point-in-time* ones describe the end E of the period
(in processing, overdue): a dossier is in processing while R <= t < F and overdue
while max(R, due) <= t < min(F, paused). Each such interval is written as +1 on the
day it starts and -1 on the day it stops, so "how many at E" is the sum of every
delta dated before E. Both kinds land in one row per (day, center, procedure); the
read side sums rows and never scans dossiers.

Every rule here mirrors one predicate of `onestop.read.dashboard.predicates()`
(including SQL's NULL behaviour: a dossier without a due date is neither overdue
nor within its deadline); a test compares both after random lifecycle actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from onestop.domain.lifecycle import Status

#: Counted at the reception moment R (dossiers received in the period).
AT_RECEIVED = ("received", "online", "with_fee", "paid_online", "inputs", "reused")
#: Counted at the finishing moment F of a resolved dossier (received, with an on-time verdict).
AT_RESOLVED = (
    "on_time",
    "resolved_late",
    "results_document",
    "results_electronic",
    "late_apology_resolved",
    "rated_resolved",
    "rated_negative_resolved",
    "complaints_resolved",
    "issue_resolved",
)
#: +1 when the interval starts, -1 when it stops: summed up to E they give the state at E.
#: ip*: in processing [R, F); od*: overdue [max(R, due), min(F, paused)).
INTERVALS = ("ip", "ip_due", "ip_rated", "ip_rated_negative", "ip_complaint", "ip_negative", "od", "od_apology")
#: overdue and not negatively rated (with_issue = resolved issue + in processing and negative + this)
INTERVALS_EXTRA = ("od_not_negative",)
INTERVAL_COLUMNS = INTERVALS + INTERVALS_EXTRA
ADDITIVE_COLUMNS = AT_RECEIVED + AT_RESOLVED
COLUMNS = ADDITIVE_COLUMNS + INTERVAL_COLUMNS
INDEX = {name: i for i, name in enumerate(COLUMNS)}

_RESULT_STATUSES = frozenset({int(Status.RESULT_READY), int(Status.RETURNED)})


@dataclass(frozen=True)
class DossierFacts:
    """The columns (and related-row flags) of one dossier that the dashboard counts."""

    center_id: int
    procedure_id: int
    procedure_code: str
    channel: str
    status: int
    received_at: datetime | None
    finished_at: datetime | None
    on_time: bool | None
    due_at: datetime | None
    paused_at: datetime | None
    apology: bool
    fee_amount: int
    fee_status: str
    has_result_file: bool
    paid_online: bool
    rated: bool
    rated_negative: bool  # overall <= 2
    complaint: bool
    inputs: int  # input and supplement attachments
    reused: int  # of them taken from the document wallet


Event = tuple[datetime, str, int]  # (moment, column, +n / -n)


def _interval(start: datetime, stop: datetime | None, names: Iterable[str]) -> list[Event]:
    """+1 at start, -1 at stop; nothing when the interval is empty (no E has start < E <= stop)."""
    if stop is not None and stop <= start:
        return []
    out: list[Event] = [(start, n, 1) for n in names]
    if stop is not None:
        out += [(stop, n, -1) for n in names]
    return out


def events(f: DossierFacts) -> list[Event]:
    """Every delta this dossier contributes, dated by the moment it happens."""
    r, fin = f.received_at, f.finished_at
    if r is None:
        return []  # never received: none of the dashboard's numbers (the backlog is read live)
    negative = f.rated_negative or f.complaint
    # The citizen's feedback counts twice: once at F among the resolved, and while in processing [R, F).
    feedback = (
        (f.rated, "rated_resolved", "ip_rated"),
        (f.rated_negative, "rated_negative_resolved", "ip_rated_negative"),
        (f.complaint, "complaints_resolved", "ip_complaint"),
    )
    out: list[Event] = [(r, "received", 1)]
    if f.channel == "online":
        out.append((r, "online", 1))
    if f.fee_amount > 0 and f.fee_status != "exempt":
        out.append((r, "with_fee", 1))
        if f.paid_online:
            out.append((r, "paid_online", 1))
    if f.inputs:
        out.append((r, "inputs", f.inputs))
    if f.reused:
        out.append((r, "reused", f.reused))
    if fin is not None and f.on_time is not None:
        resolved = ["on_time" if f.on_time else "resolved_late"]
        if f.status in _RESULT_STATUSES:
            resolved.append("results_document")
            if f.has_result_file:
                resolved.append("results_electronic")
        if not f.on_time and f.apology:
            resolved.append("late_apology_resolved")
        resolved += [at_resolved for held, at_resolved, _ in feedback if held]
        if not f.on_time or negative:
            resolved.append("issue_resolved")
        out += [(fin, n, 1) for n in resolved]
    ip = ["ip"]
    if f.due_at is not None:
        ip.append("ip_due")
    ip += [in_processing for held, _, in_processing in feedback if held]
    if negative:
        ip.append("ip_negative")
    out += _interval(r, fin, ip)
    if f.due_at is not None:
        stops = [s for s in (fin, f.paused_at) if s is not None]
        od = ["od"] + (["od_apology"] if f.apology else []) + ([] if negative else ["od_not_negative"])
        out += _interval(max(r, f.due_at), min(stops) if stops else None, od)
    return out


Key = tuple[date, int, int, str]  # (day, center, procedure id, procedure code)


def add_deltas(into: dict[Key, list[int]], f: DossierFacts, sign: int = 1) -> None:
    """Add (sign=1) or remove (sign=-1) one dossier's deltas to per-day rows."""
    for moment, name, n in events(f):
        key = (moment.date(), f.center_id, f.procedure_id, f.procedure_code)
        row = into.get(key)
        if row is None:
            row = into[key] = [0] * len(COLUMNS)
        row[INDEX[name]] += sign * n
