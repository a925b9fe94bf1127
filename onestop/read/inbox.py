"""The officer inbox: tabs per role and center, filters, keyset pagination, counts.

Why keyset pagination on (due_at, id): an offset page 40 of a million-row table
reads 2,000 rows to skip them; "rows after the last one shown" reads 50 through
the (handling_center_id, status, due_at, id) index whatever the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from onestop import clock
from onestop.domain import lifecycle as lc
from onestop.domain.deadlines import URGENCY_LATE, URGENCY_RUNNING, URGENCY_WAITING
from onestop.domain.errors import PermissionDenied
from onestop.domain.lifecycle import Status
from onestop.domain.text import fold
from onestop.models import Dossier, Procedure, ProcedureField
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


@dataclass
class InboxRow:
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
    flags: dict = field(default_factory=dict)


#: The columns a row shows: loading whole dossiers (form data included) cost ~10x the query itself at 1M.
ROW_COLUMNS = (
    Dossier.id,
    Dossier.code,
    Dossier.procedure_code,
    Dossier.applicant_name,
    Dossier.channel,
    Dossier.status,
    Dossier.step,
    Dossier.received_at,
    Dossier.submitted_at,
    Dossier.due_at,
    Dossier.paused_at,
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


def late_condition(now: datetime) -> sa.ColumnElement[bool]:
    """`domain.deadlines.is_late` in SQL: clock running (2, 4, no pause recorded) and due strictly before now.

    tests/integration/test_urgency_rule.py checks it against the pure rule row by row."""
    return sa.and_(status_in(RUNNING), Dossier.paused_at.is_(None), Dossier.due_at < now)


def clock_running() -> sa.ColumnElement[bool]:
    """Ranks 0 and 1 together: the clock runs and a due date is set. Within these rows the late ones are exactly
    those due before now, so ordering them by due date alone puts rank 0 before rank 1."""
    return sa.and_(status_in(RUNNING), Dossier.paused_at.is_(None), Dossier.due_at.is_not(None))


def urgency_rank(now: datetime) -> sa.ColumnElement[int]:
    """`domain.deadlines.urgency` in SQL: 0 late, 1 running, 2 waiting (paused, result ready, …)."""
    return sa.case((late_condition(now), URGENCY_LATE), (clock_running(), URGENCY_RUNNING), else_=URGENCY_WAITING)


def _scope(actor: Actor) -> sa.ColumnElement[bool]:
    if not actor.is_officer:
        raise PermissionDenied()
    if actor.is_admin and actor.center_id is None:
        return sa.true()
    return sa.and_(Dossier.handling_center_id == actor.center_id)


def tab_condition(actor: Actor, tab: str, now: datetime) -> sa.ColumnElement[bool]:
    """The WHERE clause of one tab (scope included)."""
    return sa.and_(_scope(actor), _tab_only(actor, tab, now))


def _tab_only(actor: Actor, tab: str, now: datetime) -> sa.ColumnElement[bool]:
    """One tab's own condition, without the center scope (every tab lies within OPEN_STATUSES). Only the asked
    tab's expression is built (building all seven on every read was a tenth of the inbox event's time)."""
    conditions: dict[str, Callable[[], sa.ColumnElement[bool]]] = {
        "overdue": lambda: late_condition(now),
        "to_receive": lambda: col(Dossier.status) == Status.SUBMITTED,
        "mine": lambda: sa.and_(Dossier.status == Status.PROCESSING, Dossier.assignee_id == actor.user_id),
        "approval": lambda: sa.and_(Dossier.status == Status.PROCESSING, Dossier.step.in_(("approval", "signing"))),
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


def _filters(f: InboxFilter, session: Session) -> list[sa.ColumnElement[bool]]:
    out: list[sa.ColumnElement[bool]] = []
    if f.procedure_code:
        out.append(Dossier.procedure_code == f.procedure_code)
    elif f.field_code:
        codes = (
            select(Procedure.code)
            .join(ProcedureField, Procedure.field_id == ProcedureField.id)
            .where(ProcedureField.code == f.field_code)
        )
        out.append(Dossier.procedure_code.in_(codes))
    if f.channel:
        out.append(Dossier.channel == f.channel)
    if f.received_from:
        out.append(Dossier.submitted_at >= datetime.combine(f.received_from, datetime.min.time()))
    if f.received_to:
        out.append(Dossier.submitted_at < datetime.combine(f.received_to + timedelta(days=1), datetime.min.time()))
    q = f.query.strip()
    if q:
        upper = q.upper()
        if any(ch.isdigit() for ch in q) and "-" in q or upper[:3].isalnum() and upper[:1].isalpha() and "-" in upper:
            out.append(col(Dossier.code).startswith(upper, autoescape=True))
        elif fold(q):  # wildcards escaped: `%` and `_` are letters here, not patterns
            out.append(
                sa.or_(
                    col(Dossier.applicant_name_folded).contains(fold(q), autoescape=True),
                    col(Dossier.code).startswith(upper, autoescape=True),
                )
            )
        else:  # nothing left after folding (only punctuation): a code prefix at most
            out.append(col(Dossier.code).startswith(upper, autoescape=True))
    return out


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
    filing time. `after` is the cursor of the previous page."""
    if tab not in TABS:
        tab = "open"
    now = clock.now()
    sort_col = _sort_column(tab)
    filters = _filters(flt or InboxFilter(), session)
    where = (tab_condition(actor, tab, now), sort_col.is_not(None), *filters)

    def segment(
        rank: sa.ColumnElement[int],
        *extra: sa.ColumnElement[bool],
        after_key: tuple[datetime, int] | None = None,
        take: int,
        where_clauses: tuple[sa.ColumnElement[bool], ...] = where,
    ) -> list:
        """Rows of one ordered segment, by (sort column, id) after `after_key`: each is a range of an index."""
        stmt = (
            select(*ROW_COLUMNS, Procedure.name_vi, Procedure.name_en, rank)
            .join(Procedure, Dossier.procedure_id == Procedure.id)
            .where(*where_clauses, *extra)
        )
        if after_key is not None:
            stmt = stmt.where(
                sa.tuple_(sort_col, Dossier.id) > sa.tuple_(sa.literal(after_key[0]), sa.literal(after_key[1]))
            )
        return list(session.exec(stmt.order_by(sort_col, Dossier.id).limit(take)).all())

    after_rank = int(after[0]) if after is not None else None
    after_key = (datetime.fromisoformat(after[1]), int(after[2])) if after is not None else None
    # Tabs whose rows all share one rank by construction keep a plain (sort, id) order, served by an index.
    result: list
    fixed = URGENCY_LATE if tab == "overdue" else URGENCY_WAITING if tab in (*BY_SUBMISSION, "results") else None
    if fixed is not None:
        result = segment(sa.literal(fixed), after_key=after_key, take=limit + 1)
    else:
        # Most urgent first: (rank, due, id). Sorting by a computed rank would read and sort every open row of the
        # center (55 ms for the largest center at 1M); instead two index ranges in turn — the rows whose clock
        # runs, by due date (late before running by construction, see clock_running), then the others.
        result = []
        if after_rank is None or after_rank < URGENCY_WAITING:
            # The open tab's own condition is implied by a running clock: repeating it would make PostgreSQL
            # misjudge the row count (two status lists taken as independent) and sort instead of walking the index.
            running_where = (
                (_scope(actor), clock_running(), *filters)
                if tab == "open"
                else (tab_condition(actor, tab, now), clock_running(), *filters)
            )
            result = segment(urgency_rank(now), after_key=after_key, take=limit + 1, where_clauses=running_where)
        if len(result) <= limit:
            rest_after = after_key if after_rank == URGENCY_WAITING else None
            result += segment(
                sa.literal(URGENCY_WAITING),
                sa.not_(clock_running()),
                after_key=rest_after,
                take=limit + 1 - len(result),
            )
    rows = [
        InboxRow(
            r.id,
            r.code or "",
            r.procedure_code,
            r.name_vi,
            r.name_en,
            r.applicant_name,
            r.channel,
            r.status,
            r.step,
            r.received_at,
            r.submitted_at,
            r.due_at,
            r.paused_at is not None,
            r.assignee_id,
            r.version,
            dict(r.flags or {}),
        )
        for r in result[:limit]
    ]
    cursor = None
    if len(result) > limit and rows:
        last = rows[-1]
        value = last.submitted_at if tab in BY_SUBMISSION else last.due_at
        cursor = (int(result[limit - 1][-1]), value.isoformat(), last.id) if value else None
    return InboxPage(rows, cursor)


def scope_key(actor: Actor) -> tuple[str, int | None]:
    """Which dossiers an officer's inbox looks at: the whole province (an admin without a center) or one handling
    center. Every officer of a center shares it, so shared reads (`read.inbox_cache`) are keyed by it."""
    if not actor.is_officer:
        raise PermissionDenied()
    if actor.is_admin and actor.center_id is None:
        return ("all", None)
    return ("center", actor.center_id)


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
    now = clock.now()
    shared = [tab for tab in TABS if tab != "mine"]
    columns = [
        sa.func.count().filter(sa.and_(_tab_only(actor, tab, now), _sort_column(tab).is_not(None))).label(tab)
        for tab in shared
    ]
    mine = sa.func.count().filter(
        sa.and_(Dossier.status == Status.PROCESSING, _sort_column("mine").is_not(None))
    )  # "mine" without its assignee: the group says whose
    stmt = (
        sa.select(Dossier.assignee_id, mine.label("mine"), *columns)
        .select_from(Dossier)
        .where(_scope(actor), status_in(OPEN_STATUSES))
        .group_by(Dossier.assignee_id)
    )
    tabs = dict.fromkeys(shared, 0)
    per_assignee: dict[int | None, int] = {}
    for row in session.execute(stmt):
        m = row._mapping
        for tab in shared:
            tabs[tab] += int(m[tab] or 0)
        if m["mine"]:
            per_assignee[m["assignee_id"]] = int(m["mine"])
    return ScopeCounts(tabs, per_assignee)


def tab_counts(session: Session, actor: Actor) -> dict[str, int]:
    """How many dossiers each tab holds for this officer, in one statement (`scope_counts`)."""
    return scope_counts(session, actor).for_actor(actor)
