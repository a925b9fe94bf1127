"""The officer inbox: tabs per role and center, filters, keyset pagination, counts.

Why keyset pagination on (due_at, id): an offset page 40 of a million-row table
reads 2,000 rows to skip them; "rows after the last one shown" reads 50 through
the (handling_center_id, status, due_at, id) index whatever the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from onestop import clock
from onestop.domain import lifecycle as lc
from onestop.domain.deadlines import URGENCY_LATE, URGENCY_RUNNING, URGENCY_WAITING
from onestop.domain.errors import PermissionDenied
from onestop.domain.lifecycle import Status
from onestop.domain.text import fold
from onestop.models import Dossier, Procedure, ProcedureField
from onestop.read import prepared
from onestop.services.actor import Actor

#: The one open-status set (domain.lifecycle.OPEN), in a fixed order for inline SQL.
OPEN_STATUSES = tuple(sorted(lc.OPEN))
RUNNING = tuple(sorted(lc.CLOCK_RUNNING))
TABS = ("overdue", "to_receive", "mine", "approval", "supplement", "results", "open")


@dataclass(frozen=True)
class InboxFilter:
    field_code: str = ""
    procedure_code: str = ""
    channel: str = ""
    received_from: date | None = None
    received_to: date | None = None
    query: str = ""


class InboxRow(NamedTuple):
    """One dossier of a page as read. A tuple (as the driver hands rows over): 50 of them are made per read, and a
    tuple is the cheapest object Python makes from a row (bench/README.md, issue 11)."""

    id: int
    code: str
    procedure_code: str
    procedure_name_vi: str
    procedure_name_en: str
    applicant_name: str
    channel: str
    status: int
    step: str
    received_at: datetime | None
    submitted_at: datetime | None
    due_at: datetime | None
    paused: bool
    assignee_id: int | None
    version: int
    #: None when the dossier has none (most): decoding an empty JSON object per row was a third of the driver's work
    flags: dict | None


#: The columns of an `InboxRow`, in its order: only what a row shows (loading whole dossiers, form data included,
#: cost ~10x the query itself at 1M); the code and the pause already as the row holds them.
ROW_COLUMNS = (
    Dossier.id,
    sa.func.coalesce(Dossier.code, sa.literal_column("''")),
    Dossier.procedure_code,
    Procedure.name_vi,
    Procedure.name_en,
    Dossier.applicant_name,
    Dossier.channel,
    Dossier.status,
    Dossier.step,
    Dossier.received_at,
    Dossier.submitted_at,
    Dossier.due_at,
    Dossier.paused_at.is_not(None),
    Dossier.assignee_id,
    Dossier.version,
    Dossier.flags,
)


@dataclass
class InboxPage:
    rows: list[InboxRow]
    #: (urgency rank, sort moment as ISO text, id) of the last row shown; None on the last page.
    next_cursor: tuple[int, str, int] | None


def status_in(values) -> sa.ColumnElement[bool]:
    """`status IN (…)` written inline: a bound list would make PostgreSQL's generic plan (after five
    executions psycopg prepares the statement) unable to use the partial index ix_dossier_running."""
    return Dossier.status.in_(sa.bindparam(None, [int(v) for v in values], expanding=True, literal_execute=True))


def late_condition(now: datetime | sa.ColumnElement[datetime]) -> sa.ColumnElement[bool]:
    """`domain.deadlines.is_late` in SQL: clock running (2, 4, no pause recorded) and due strictly before now.

    tests/integration/test_urgency_rule.py checks it against the pure rule row by row."""
    return sa.and_(status_in(RUNNING), Dossier.paused_at.is_(None), Dossier.due_at < now)


def clock_running() -> sa.ColumnElement[bool]:
    """Ranks 0 and 1 together: the clock runs and a due date is set. Within these rows the late ones are exactly
    those due before now, so ordering them by due date alone puts rank 0 before rank 1."""
    return sa.and_(status_in(RUNNING), Dossier.paused_at.is_(None), Dossier.due_at.is_not(None))


# The values a prepared inbox statement is run with (onestop.read.prepared): the scope's center, the officer,
# the moment, the keyset cursor and how many rows to take; the filters' own below (_FILTER_VALUES).
_CENTER = prepared.param("center", sa.Integer())
_USER = prepared.param("user", sa.Integer())
_NOW = prepared.param("now", sa.DateTime())
_AFTER_AT = prepared.param("after_at", sa.DateTime())
_AFTER_ID = prepared.param("after_id", sa.Integer())
_TAKE = prepared.param("take", sa.Integer())

#: The inbox's statements, built and compiled once per (dialect, shape).
_statements = prepared.Statements()


def _scope_kind(actor: Actor) -> str:
    """ "all" (an administrator without a center sees the province) or "center" (an officer's own center)."""
    if not actor.is_officer:
        raise PermissionDenied()
    return "all" if actor.is_admin and actor.center_id is None else "center"


def _scope(kind: str) -> sa.ColumnElement[bool]:
    return sa.true() if kind == "all" else sa.and_(Dossier.handling_center_id == _CENTER)


def _tab_only(tab: str, nobody: bool = False) -> sa.ColumnElement[bool]:
    """One tab's own condition, without the center scope (every tab lies within OPEN_STATUSES). "mine" is the
    `user` value's, or with `nobody` the processing dossiers nobody is assigned to (an actor without an id)."""
    conditions: dict[str, Callable[[], sa.ColumnElement[bool]]] = {
        "overdue": lambda: late_condition(_NOW),
        "to_receive": lambda: col(Dossier.status) == Status.SUBMITTED,
        "mine": lambda: sa.and_(
            Dossier.status == Status.PROCESSING,
            Dossier.assignee_id.is_(None) if nobody else Dossier.assignee_id == _USER,
        ),
        "approval": lambda: sa.and_(
            Dossier.status == Status.PROCESSING,
            Dossier.step.in_(sa.bindparam(None, ["approval", "signing"], expanding=True, literal_execute=True)),
        ),
        "supplement": lambda: col(Dossier.status) == Status.SUPPLEMENT,
        "results": lambda: col(Dossier.status) == Status.RESULT_READY,
        # Received and later: what waits for reception (no due date yet) is the "to_receive" tab.
        "open": lambda: status_in([s for s in OPEN_STATUSES if s != Status.SUBMITTED]),
    }
    return conditions[tab]()


#: Tabs whose rows may have no due date yet (a supplement asked for before reception): by filing time.
BY_SUBMISSION = ("to_receive", "supplement")


def _sort_column(tab: str):
    return Dossier.submitted_at if tab in BY_SUBMISSION else Dossier.due_at


#: A filter's shape: which of procedure, field, channel, from, to are set, and the kind of text query
#: ("" none, "code" a code prefix, "name" a folded name or a code prefix).
FilterShape = tuple[bool, bool, bool, bool, bool, str]
_FILTER_VALUES = {
    "procedure_code": prepared.param("procedure_code", sa.String()),
    "field_code": prepared.param("field_code", sa.String()),
    "channel": prepared.param("channel", sa.String()),
    "received_from": prepared.param("received_from", sa.DateTime()),
    "received_to": prepared.param("received_to", sa.DateTime()),
    "code_prefix": prepared.param("code_prefix", sa.String()),
    "name_part": prepared.param("name_part", sa.String()),
}


def _filter_values(f: InboxFilter) -> tuple[FilterShape, dict[str, object]]:
    """The filter as a shape (which conditions the statement has) and the values they are run with."""
    values: dict[str, object] = {}
    if f.procedure_code:
        values["procedure_code"] = f.procedure_code
    elif f.field_code:
        values["field_code"] = f.field_code
    if f.channel:
        values["channel"] = f.channel
    if f.received_from:
        values["received_from"] = datetime.combine(f.received_from, datetime.min.time())
    if f.received_to:
        values["received_to"] = datetime.combine(f.received_to + timedelta(days=1), datetime.min.time())
    q = f.query.strip()
    kind = ""
    if q:
        upper = q.upper()
        # wildcards escaped: `%` and `_` are letters here, not patterns
        values["code_prefix"] = prepared.like_escape(upper)
        kind = "code"
        if any(ch.isdigit() for ch in q) and "-" in q or upper[:3].isalnum() and upper[:1].isalpha() and "-" in upper:
            pass
        elif fold(q):
            kind = "name"
            values["name_part"] = prepared.like_escape(fold(q))
        # else nothing left after folding (only punctuation): a code prefix at most
    shape = (*(name in values for name in tuple(_FILTER_VALUES)[:5]), kind)
    return shape, values  # type: ignore[return-value]


def _filters(shape: FilterShape) -> list[sa.ColumnElement[bool]]:
    """The filter conditions of a shape, on the named values of `_filter_values`."""
    procedure, field_, channel, received_from, received_to, kind = shape
    v = _FILTER_VALUES
    out: list[sa.ColumnElement[bool]] = []
    if procedure:
        out.append(Dossier.procedure_code == v["procedure_code"])
    elif field_:
        codes = (
            select(Procedure.code)
            .join(ProcedureField, Procedure.field_id == ProcedureField.id)
            .where(ProcedureField.code == v["field_code"])
        )
        out.append(Dossier.procedure_code.in_(codes))
    if channel:
        out.append(Dossier.channel == v["channel"])
    if received_from:
        out.append(Dossier.submitted_at >= v["received_from"])
    if received_to:
        out.append(Dossier.submitted_at < v["received_to"])
    code_prefix = col(Dossier.code).startswith(v["code_prefix"], escape="/")
    if kind == "name":
        out.append(sa.or_(col(Dossier.applicant_name_folded).contains(v["name_part"], escape="/"), code_prefix))
    elif kind == "code":
        out.append(code_prefix)
    return out


#: Which rows a segment of a page reads: one rank by construction ("fixed"), the rows whose clock runs in due
#: order (ranks 0 and 1, "running"), or the others of the tab (rank 2, "waiting").
Segment = str


def _segment_statement(
    tab: str, segment: Segment, scope: str, nobody: bool, filters: FilterShape, after: bool
) -> sa.Select:
    """The statement of one ordered segment, by (sort column, id) after the cursor: each is a range of an index."""
    sort_col = _sort_column(tab)
    where: list[sa.ColumnElement[bool]] = [_scope(scope)]
    if segment == "running":
        # The open tab's own condition is implied by a running clock: repeating it would make PostgreSQL
        # misjudge the row count (two status lists taken as independent) and sort instead of walking the index.
        if tab != "open":
            where.append(_tab_only(tab, nobody))
        where += [clock_running(), *_filters(filters)]
    else:
        where += [_tab_only(tab, nobody), sort_col.is_not(None), *_filters(filters)]
        if segment == "waiting":
            where.append(sa.not_(clock_running()))
    stmt = select(*ROW_COLUMNS).join(Procedure, Dossier.procedure_id == Procedure.id).where(*where)
    if after:
        stmt = stmt.where(sa.tuple_(sort_col, Dossier.id) > sa.tuple_(_AFTER_AT, _AFTER_ID))
    return stmt.order_by(sort_col, Dossier.id).limit(_TAKE)


def inbox_page(
    session: Session,
    actor: Actor,
    tab: str,
    flt: InboxFilter | None = None,
    after: tuple[int, str, int] | None = None,
    limit: int = 50,
) -> InboxPage:
    """One page of a tab, most urgent first: by (urgency rank, due, id) — late dossiers, then running ones,
    then those whose clock has stopped (`domain.deadlines.urgency`). Tabs of dossiers without a clock yet sort by
    filing time. `after` is the cursor of the previous page.

    Each segment's statement is prepared once per shape (`onestop.read.prepared`); its rows become `InboxRow`s
    as they come."""
    if tab not in TABS:
        tab = "open"
    scope = _scope_kind(actor)
    now = clock.now()
    filters, values = _filter_values(flt or InboxFilter())
    nobody = tab == "mine" and actor.user_id is None
    values |= {"center": actor.center_id, "user": actor.user_id, "now": now}

    def segment(kind: Segment, after_key: tuple[datetime, int] | None, take: int) -> list[InboxRow]:
        shape = ("page", tab, kind, scope, nobody, filters, after_key is not None)
        run = dict(values, take=take)
        if after_key is not None:
            run["after_at"], run["after_id"] = after_key
        found = _statements.rows(
            session, shape, lambda: _segment_statement(tab, kind, scope, nobody, filters, after_key is not None), run
        )
        return list(map(InboxRow._make, found))

    after_rank = int(after[0]) if after is not None else None
    after_key = (datetime.fromisoformat(after[1]), int(after[2])) if after is not None else None
    # Tabs whose rows all share one rank by construction keep a plain (sort, id) order, served by an index.
    fixed = URGENCY_LATE if tab == "overdue" else URGENCY_WAITING if tab in (*BY_SUBMISSION, "results") else None
    result: list[InboxRow] = []
    waiting_from = limit + 1  # where the rows of rank 2 begin in `result` (none among the first limit + 1)
    if fixed is not None:
        result = segment("fixed", after_key, limit + 1)
    else:
        # Most urgent first: (rank, due, id). Sorting by a computed rank would read and sort every open row of the
        # center (55 ms for the largest center at 1M); instead two index ranges in turn — the rows whose clock
        # runs, by due date (late before running by construction, see clock_running), then the others.
        if after_rank is None or after_rank < URGENCY_WAITING:
            result = segment("running", after_key, limit + 1)
        if len(result) <= limit:
            waiting_from = len(result)
            result += segment("waiting", after_key if after_rank == URGENCY_WAITING else None, limit + 1 - len(result))
    rows = result[:limit]
    cursor = None
    if len(result) > limit and rows:
        last = rows[-1]
        value = last.submitted_at if tab in BY_SUBMISSION else last.due_at
        if fixed is not None:
            rank = fixed
        elif limit - 1 >= waiting_from:
            rank = URGENCY_WAITING
        else:  # a running clock: late exactly when due before now (clock_running)
            rank = URGENCY_LATE if last.due_at is not None and last.due_at < now else URGENCY_RUNNING
        cursor = (rank, value.isoformat(), last.id) if value else None
    return InboxPage(rows, cursor)


def scope_key(actor: Actor) -> tuple[str, int | None]:
    """Which dossiers an officer's inbox looks at: the whole province (an admin without a center) or one handling
    center. Every officer of a center shares it, so shared reads (`read.inbox_cache`) are keyed by it."""
    kind = _scope_kind(actor)
    return (kind, None if kind == "all" else actor.center_id)


@dataclass(frozen=True)
class ScopeCounts:
    """The tab counts of a scope for every officer in it: each tab but "mine", and "mine" per assignee."""

    tabs: dict[str, int]
    mine: dict[int | None, int]  # None: processing with nobody assigned (what `assignee_id == None` selects)

    def for_actor(self, actor: Actor) -> dict[str, int]:
        """The seven counts as `actor` sees them (their own "mine"), in TABS order."""
        mine = self.mine.get(actor.user_id, 0)
        return {tab: mine if tab == "mine" else self.tabs[tab] for tab in TABS}


def scope_counts(session: Session, actor: Actor) -> ScopeCounts:
    """How many dossiers each tab of the actor's scope holds, in ONE statement (the same rows `inbox_page` lists).

    One pass over the scope's open dossiers (ix_dossier_inbox: center, status) with a filtered COUNT per tab,
    instead of seven round trips; grouped by assignee so that "mine" is known for every officer of the scope at
    once (a center has a few dozen officers: a few dozen groups). The FILTER clause is standard SQL and runs on
    PostgreSQL and SQLite alike.
    """
    scope = _scope_kind(actor)
    found = _statements.rows(
        session, ("counts", scope), lambda: _counts_statement(scope), {"center": actor.center_id, "now": clock.now()}
    )
    tabs = dict.fromkeys(_SHARED_TABS, 0)
    per_assignee: dict[int | None, int] = {}
    for assignee_id, mine, *counts in found:
        for tab, n in zip(_SHARED_TABS, counts, strict=True):
            tabs[tab] += n or 0
        if mine:
            per_assignee[assignee_id] = mine
    return ScopeCounts(tabs, per_assignee)


#: The tabs counted alike for every officer of a scope (all but "mine"), in the counts statement's column order.
_SHARED_TABS = tuple(tab for tab in TABS if tab != "mine")


def _counts_statement(scope: str) -> sa.Select:
    """`scope_counts`' statement: (assignee, "mine" without its assignee, each shared tab's count) per assignee."""
    columns = [sa.func.count().filter(sa.and_(_tab_only(tab), _sort_column(tab).is_not(None))) for tab in _SHARED_TABS]
    mine = sa.func.count().filter(sa.and_(Dossier.status == Status.PROCESSING, _sort_column("mine").is_not(None)))
    return (
        sa.select(Dossier.assignee_id, mine, *columns)
        .select_from(Dossier)
        .where(_scope(scope), status_in(OPEN_STATUSES))
        .group_by(Dossier.assignee_id)
    )


def tab_counts(session: Session, actor: Actor) -> dict[str, int]:
    """How many dossiers each tab holds for this officer, in one statement (`scope_counts`)."""
    return scope_counts(session, actor).for_actor(actor)
