"""Counts behind the service-quality dashboard (Decision 766) for any scope and period.

Why one grouped query: the index is wanted per province, center, field and
procedure, for the same period, on the same screen. Counting once per
(handling center, procedure) pair and adding the pairs up in Python gives every
breakdown from one pass over the dossier table, and guarantees that the centers
of a province add up to the province.

Why the predicates are named and shared: every number on the dashboard can be
opened to the dossiers behind it. The count (`sum(case(p))`) and the list
(`where(p)`) use the same SQL expression from `predicates()`, so the list always
has as many rows as the number said.

The period is [start, end) in local time; an end in the future is cut at "now",
so "this month" asks about the month so far. A dossier is *handled* in the period
when it was resolved in it (finished with an on-time verdict after reception) or
was still in processing at its end. Overdue at the end of a past period uses the
due date the dossier has today (a later apology moves it): our history records
the moment a due date changed, not the earlier values as columns.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from onestop.domain.daily_counts import ADDITIVE_COLUMNS, COLUMNS, INTERVAL_COLUMNS
from onestop.domain.lifecycle import Role, Status
from onestop.domain.metrics import PeriodCounts
from onestop.models import (
    DOSSIER_COUNT_TOTAL,
    DOSSIER_DAILY_COUNT,
    DOSSIER_WEEKLY_COUNT,
    Attachment,
    Center,
    Dossier,
    Payment,
    Procedure,
    ProcedureField,
    Rating,
)
from onestop.services.actor import Actor
from onestop.services.calendar import load_calendar
from onestop.services.permissions import require_role

SCOPE_KINDS = ("province", "center", "field", "procedure")
PERIOD_PRESETS = ("30d", "90d", "month", "prev_month", "quarter", "year")
#: The board's dossier counts, in its order: the head of both the drillable numbers and the grouped count.
_BOARD_COUNTS = ("received", "online", "handled", "on_time", "resolved_late", "in_deadline", "overdue")
#: The board's result and fee counts, in its order.
_RESULT_AND_FEE_COUNTS = ("results_document", "results_electronic", "with_fee", "paid_online")
#: Drillable numbers, in the order the dashboard offers them.
METRICS = (*_BOARD_COUNTS, "late_no_apology", *_RESULT_AND_FEE_COUNTS, "with_issue", "backlog")
#: A rating of 1 or 2 stars (out of 5) is negative.
NEGATIVE_RATING = 2


# --------------------------------------------------------------------------- period and scope


#: Decision 766 components this deployment has no data source for (domain.metrics "Not measured"): shown as
#: "không đo / not measured" with the reason (catalog text dash.comp.*) and left out of the index's maximum,
#: on the board, the public page and the exports alike.
#: * transparency.sync: no connection to the national portal yet (nothing is synced, so no count exists);
#: * satisfaction.complaints: complaints are recorded (ratings), their handling/outcome is not;
#: * digitisation.reuse: inputs taken from the document wallet are known, the inputs the state already held
#:   (the denominator) are not — counting reused ÷ reused would be full marks by construction.
NOT_MEASURED: frozenset[str] = frozenset({"transparency.sync", "satisfaction.complaints", "digitisation.reuse"})


@dataclass(frozen=True)
class Period:
    """[start, end) in local time, with the end already cut at now."""

    start: datetime
    end: datetime
    preset: str = ""

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(microseconds=1)).date()


def _month_start(d: date) -> date:
    return d.replace(day=1)


def period_for(preset: str, now: datetime, start: date | None = None, end: date | None = None) -> Period:
    """A preset ("month", "90d" …) or explicit first/last days (inclusive) as a Period ending no later than now."""
    today = now.date()
    if start is not None and end is not None:
        if end < start:
            raise ValueError("period end before start")
        first, after = start, end + timedelta(days=1)
        preset = "custom"
    elif preset == "30d":
        first, after = today - timedelta(days=29), today + timedelta(days=1)
    elif preset == "month":
        first, after = _month_start(today), today + timedelta(days=1)
    elif preset == "prev_month":
        after = _month_start(today)
        first = _month_start(after - timedelta(days=1))
    elif preset == "quarter":
        first, after = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today + timedelta(days=1)
    elif preset == "year":
        first, after = date(today.year, 1, 1), today + timedelta(days=1)
    else:
        preset = "90d"
        first, after = today - timedelta(days=89), today + timedelta(days=1)
    start_dt = datetime.combine(first, time())
    end_dt = min(datetime.combine(after, time()), now)
    return Period(start_dt, max(end_dt, start_dt), preset)


@dataclass(frozen=True)
class Scope:
    """What the numbers are about: the province, one center (id), one field (id) or one procedure (code)."""

    kind: str = "province"
    key: str = ""

    @classmethod
    def parse(cls, text: str) -> Scope:
        kind, _, key = (text or "province").partition(":")
        if kind not in SCOPE_KINDS or (kind != "province" and not key):
            return cls()
        return cls(kind, key if kind != "province" else "")

    def __str__(self) -> str:
        return self.kind if self.kind == "province" else f"{self.kind}:{self.key}"


def visible_centers(actor: Actor) -> list[int] | None:
    """None: every center (a province administrator); otherwise the leader's (or center admin's) own center."""
    require_role(actor, [Role.LEADER, Role.ADMIN])
    if actor.is_admin and actor.center_id is None:
        return None
    return [actor.center_id or -1]


def _where_visible(centers: list[int] | None) -> list[sa.ColumnElement]:
    return [] if centers is None else [Dossier.handling_center_id.in_(centers)]


def _where_scope(scope: Scope) -> list[sa.ColumnElement]:
    if scope.kind == "center":
        return [col(Dossier.handling_center_id) == _int(scope.key)]
    if scope.kind == "field":
        return [Dossier.procedure_id.in_(select(Procedure.id).where(Procedure.field_id == _int(scope.key)))]
    if scope.kind == "procedure":
        return [col(Dossier.procedure_code) == scope.key]
    return []


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


# --------------------------------------------------------------------------- the shared predicates


def predicates(period: Period, now: datetime) -> dict[str, sa.ColumnElement]:
    """Every drillable number as one SQL condition on a dossier row (see the module docstring)."""
    start, end = period.start, period.end
    D = Dossier  # noqa: N806 - reads like the table
    received = sa.and_(D.received_at >= start, D.received_at < end)
    resolved = sa.and_(D.received_at.is_not(None), D.on_time.is_not(None), D.finished_at >= start, D.finished_at < end)
    in_processing = sa.and_(D.received_at < end, sa.or_(D.finished_at.is_(None), D.finished_at >= end))
    paused_at_end = sa.and_(D.paused_at.is_not(None), D.paused_at < end)
    overdue = sa.and_(in_processing, D.due_at < end, sa.not_(paused_at_end))
    resolved_late = sa.and_(resolved, D.on_time.is_(False))
    late = sa.or_(resolved_late, overdue)
    handled = sa.or_(resolved, in_processing)
    # IN (uncorrelated subquery) rather than a correlated EXISTS: inside CASE, PostgreSQL runs it once as a
    # hashed subplan instead of one index probe per dossier row (measured: bench/dashboard_bench.py).
    paid_online = D.id.in_(select(Payment.dossier_id).where(Payment.method == "online", Payment.status == "paid"))
    rated = select(Rating.dossier_id)
    negative = D.id.in_(rated.where(sa.or_(Rating.overall <= NEGATIVE_RATING, Rating.is_complaint.is_(True))))
    with_fee = sa.and_(received, D.fee_amount > 0, D.fee_status != "exempt")
    results_document = sa.and_(resolved, D.status.in_([int(Status.RESULT_READY), int(Status.RETURNED)]))
    return {
        "received": received,
        "online": sa.and_(received, D.channel == "online"),
        "handled": handled,
        "on_time": sa.and_(resolved, D.on_time.is_(True)),
        "resolved_late": resolved_late,
        "in_deadline": sa.and_(in_processing, sa.not_(overdue)),
        "overdue": overdue,
        "late_with_apology": sa.and_(late, D.apology_issued_at.is_not(None)),
        "late_no_apology": sa.and_(late, D.apology_issued_at.is_(None)),
        "results_document": results_document,
        "results_electronic": sa.and_(results_document, D.result_attachment_id.is_not(None)),
        "with_fee": with_fee,
        "paid_online": sa.and_(with_fee, paid_online),
        "rated": sa.and_(handled, D.id.in_(rated)),
        "rated_negative": sa.and_(handled, D.id.in_(rated.where(Rating.overall <= NEGATIVE_RATING))),
        "complaints": sa.and_(handled, D.id.in_(rated.where(Rating.is_complaint.is_(True)))),
        "with_issue": sa.and_(handled, sa.or_(late, negative)),
        "backlog": col(D.status) == int(Status.SUBMITTED),
        "any": sa.or_(received, handled),
    }


#: The columns of the grouped count, in the order `_cells` returns them.
_COUNTED = (
    *_BOARD_COUNTS,
    "late_with_apology",
    *_RESULT_AND_FEE_COUNTS,
    "rated",
    "rated_negative",
    "complaints",
    "with_issue",
)


@dataclass
class _Cell:
    """Counts of one (center, procedure) pair."""

    n: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTED, 0))
    inputs: int = 0
    reused: int = 0


def _cells(
    session: Session, centers: list[int] | None, period: Period, now: datetime, scope: Scope | None = None
) -> dict[tuple[int, str], _Cell]:
    """The counts of every (center, procedure) pair from the pre-computed tables (see domain.daily_counts).

    Additive columns: the period's day rows. Interval columns (the state at the end): the all-time totals minus
    the rows dated after the last day; when the period ends inside a day (at now), minus what is dated later
    that day (`_rest_of_day`). Three grouped reads of small tables; no dossier row is scanned."""
    first, last, cut = _day_span(period)
    T, TOT = DOSSIER_DAILY_COUNT, DOSSIER_COUNT_TOTAL  # noqa: N806 - read like the tables
    n_add = len(ADDITIVE_COLUMNS)
    sums: dict[tuple[int, str], list[int]] = {}

    def add(rows: Iterable[Sequence[object]], offset: int, sign: int = 1) -> None:
        for r in rows:
            acc = sums.setdefault((int(r[0]), str(r[1])), [0] * len(COLUMNS))
            for i, v in enumerate(r[2:]):
                acc[offset + i] += sign * int(v or 0)

    def grouped(table: sa.Table, names: tuple[str, ...], *where: sa.ColumnElement) -> Iterable[Sequence[object]]:
        return session.exec(
            select(table.c.center_id, table.c.procedure_code, *(func.sum(table.c[k]) for k in names))
            .where(*where, *_table_where(table, centers, scope))
            .group_by(table.c.center_id, table.c.procedure_code)
        ).all()

    add(_additive(session, centers, scope, first, last), 0)
    add(grouped(TOT, INTERVAL_COLUMNS), n_add)
    add(grouped(T, INTERVAL_COLUMNS, T.c.day > last), n_add, -1)
    if cut is not None:
        add(_rest_of_day(session, centers, scope, cut), COLUMNS.index("od"), -1)
    out: dict[tuple[int, str], _Cell] = {}
    for key, v in sums.items():
        cell = _cell_of(dict(zip(COLUMNS, v, strict=True)))
        if cell.n["received"] or cell.n["handled"]:
            out[key] = cell
    return out


def _whole_weeks(first: date, last: date) -> tuple[date, date] | None:
    """Mondays of the first and last week lying entirely in [first, last] (None: no whole week)."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    last_monday = last - timedelta(days=(last.weekday() + 1) % 7) - timedelta(days=6)
    return (monday, last_monday) if monday <= last_monday else None


def _week_and_day_rows(
    table_where: Callable[[sa.Table], list[sa.ColumnElement]],
    first: date,
    last: date,
    columns: Callable[[sa.Table, sa.ColumnElement], list[sa.ColumnElement]],
) -> sa.Subquery:
    """The rows of [first, last]: the week rows (migration 0020) of the whole weeks inside it, and the day rows
    of the days outside them — the same sums from ~1/4 of the rows for a 90-day board (UNION ALL, one read).
    `columns(table, date column)` gives the selected columns of either table."""
    T, W = DOSSIER_DAILY_COUNT, DOSSIER_WEEKLY_COUNT  # noqa: N806 - read like the tables
    weeks = _whole_weeks(first, last)
    if weeks is None:
        return sa.select(*columns(T, T.c.day)).where(T.c.day >= first, T.c.day <= last, *table_where(T)).subquery()
    monday, last_monday = weeks
    after = last_monday + timedelta(days=6)
    days = sa.select(*columns(T, T.c.day)).where(
        sa.or_(sa.and_(T.c.day >= first, T.c.day < monday), sa.and_(T.c.day > after, T.c.day <= last)),
        *table_where(T),
    )
    week_rows = sa.select(*columns(W, W.c.week)).where(W.c.week >= monday, W.c.week <= last_monday, *table_where(W))
    return sa.union_all(week_rows, days).subquery()


def _additive(
    session: Session, centers: list[int] | None, scope: Scope | None, first: date, last: date
) -> Iterable[Sequence[object]]:
    """(center, procedure, additive sums…) of the days [first, last]."""
    rows = _week_and_day_rows(
        lambda t: _table_where(t, centers, scope),
        first,
        last,
        lambda t, _day: [t.c.center_id, t.c.procedure_code, *(t.c[k] for k in ADDITIVE_COLUMNS)],
    )
    return session.exec(
        select(rows.c.center_id, rows.c.procedure_code, *(func.sum(rows.c[k]) for k in ADDITIVE_COLUMNS)).group_by(
            rows.c.center_id, rows.c.procedure_code
        )
    ).all()


def _day_span(period: Period) -> tuple[date, date, datetime | None]:
    """First and last day whose rows count, and the moment inside the last day where the period ends (or None)."""
    if period.end.time() == time():
        return period.first_day, period.end.date() - timedelta(days=1), None
    return period.first_day, period.end.date(), period.end


def _table_where(table: sa.Table, centers: list[int] | None, scope: Scope | None) -> list[sa.ColumnElement]:
    """`_where_visible` and `_where_scope` on a pre-computed table (center_id, procedure_id, procedure_code)."""
    where: list[sa.ColumnElement] = [] if centers is None else [table.c.center_id.in_(centers)]
    if scope is None or scope.kind == "province":
        return where
    if scope.kind == "center":
        return [*where, table.c.center_id == _int(scope.key)]
    if scope.kind == "field":
        return [*where, table.c.procedure_id.in_(select(Procedure.id).where(Procedure.field_id == _int(scope.key)))]
    return [*where, table.c.procedure_code == scope.key]


def _rest_of_day(
    session: Session, centers: list[int] | None, scope: Scope | None, cut: datetime
) -> Iterable[Sequence[object]]:
    """(center, procedure, od, od_apology, od_not_negative) stored on `cut`'s day but dated after `cut`.

    Only a due date lies ahead of now (reception, finishing and pausing are recorded moments), so what the
    day row holds beyond `cut` is the overdue start of unfinished dossiers falling due later today: one small
    grouped read on ix_dossier_unfinished_due. The conditions are those of `domain.daily_counts.events`."""
    midnight = datetime.combine(cut.date() + timedelta(days=1), time())
    D = Dossier  # noqa: N806
    negative = sa.or_(Rating.overall <= NEGATIVE_RATING, Rating.is_complaint.is_(True))
    return session.exec(
        select(
            D.handling_center_id,
            D.procedure_code,
            func.count(),
            func.sum(sa.case((D.apology_issued_at.is_not(None), 1), else_=0)),
            func.sum(sa.case((negative, 0), else_=1)),
        )
        .select_from(D)
        .outerjoin(Rating, Rating.dossier_id == D.id)
        .where(
            *_where_visible(centers),
            *(_where_scope(scope) if scope else []),
            D.finished_at.is_(None),
            D.due_at >= cut,
            D.due_at < midnight,
            D.received_at <= D.due_at,
            sa.or_(D.paused_at.is_(None), D.paused_at > D.due_at),
        )
        .group_by(D.handling_center_id, D.procedure_code)
    ).all()


def _cell_of(v: dict[str, int]) -> _Cell:
    """The dashboard's counts from one summed row of daily deltas (the mapping mirrors `predicates()`)."""
    resolved = v["on_time"] + v["resolved_late"]
    n = {
        "received": v["received"],
        "online": v["online"],
        "handled": resolved + v["ip"],
        "on_time": v["on_time"],
        "resolved_late": v["resolved_late"],
        "in_deadline": v["ip_due"] - v["od"],
        "overdue": v["od"],
        "late_with_apology": v["late_apology_resolved"] + v["od_apology"],
        "results_document": v["results_document"],
        "results_electronic": v["results_electronic"],
        "with_fee": v["with_fee"],
        "paid_online": v["paid_online"],
        "rated": v["rated_resolved"] + v["ip_rated"],
        "rated_negative": v["rated_negative_resolved"] + v["ip_rated_negative"],
        "complaints": v["complaints_resolved"] + v["ip_complaint"],
        "with_issue": v["issue_resolved"] + v["ip_negative"] + v["od_not_negative"],
    }
    return _Cell(n, v["inputs"], v["reused"])


def _cells_direct(
    session: Session, centers: list[int] | None, period: Period, now: datetime, scope: Scope | None = None
) -> dict[tuple[int, str], _Cell]:
    """The cells counted from the dossiers themselves (what the daily counts must equal; tests, `verify`)."""
    p = predicates(period, now)
    where = [*_where_visible(centers), *(_where_scope(scope) if scope else []), p["any"]]
    cols = [func.sum(sa.case((p[k], 1), else_=0)) for k in _COUNTED]
    rows = session.exec(
        select(Dossier.handling_center_id, Dossier.procedure_code, *cols)
        .where(*where)
        .group_by(Dossier.handling_center_id, Dossier.procedure_code)
    ).all()
    out: dict[tuple[int, str], _Cell] = {}
    for row in rows:
        cid, code, values = row[0], row[1], list[object](row[2:])
        out[(cid, code)] = _Cell(dict(zip(_COUNTED, (int(v or 0) for v in values), strict=True)))
    # Input documents of the dossiers received in the period (every stored input is a digital file).
    att = session.exec(
        select(
            Dossier.handling_center_id,
            Dossier.procedure_code,
            func.count(Attachment.id),
            func.sum(sa.case((Attachment.reused_from_id.is_not(None), 1), else_=0)),
        )
        .join(Dossier, Dossier.id == Attachment.dossier_id)
        .where(*where[:-1], p["received"], Attachment.kind.in_(["input", "supplement"]))
        .group_by(Dossier.handling_center_id, Dossier.procedure_code)
    ).all()
    for cid, code, n, reused in att:
        cell = out.setdefault((cid, code), _Cell())
        cell.inputs, cell.reused = int(n), int(reused or 0)
    return out


# --------------------------------------------------------------------------- from cells to PeriodCounts


@dataclass(frozen=True)
class CatalogEntry:
    code: str
    field_id: int
    name_vi: str
    name_en: str
    published: bool
    online: bool
    fee: bool


def catalog(session: Session) -> dict[str, CatalogEntry]:
    """Current procedures. Published: description, legal basis and form are all filled in."""
    rows = session.exec(select(Procedure).where(Procedure.is_current.is_(True))).all()
    return {
        p.code: CatalogEntry(
            p.code,
            p.field_id,
            p.name_vi,
            p.name_en,
            published=bool(p.description_vi.strip() and p.legal_basis.strip() and p.form_schema),
            online=p.online_level == "full",
            fee=(p.fee_amount or 0) > 0 or (p.fee_online_amount or 0) > 0,
        )
        for p in rows
    }


def _key_of(kind: str, center_id: int, code: str, cat: dict[str, CatalogEntry]) -> str:
    if kind == "center":
        return str(center_id)
    if kind == "field":
        entry = cat.get(code)
        return str(entry.field_id) if entry else ""
    if kind == "procedure":
        return code
    return ""


def _procedures_in(kind: str, key: str, cat: dict[str, CatalogEntry]) -> list[CatalogEntry]:
    """The catalog a unit answers for: a field's procedures, one procedure, or all (any center accepts any)."""
    if kind == "field":
        return [e for e in cat.values() if str(e.field_id) == key]
    if kind == "procedure":
        return [cat[key]] if key in cat else []
    return list(cat.values())


def _counts(kind: str, key: str, cells: Iterable[tuple[str, _Cell]], cat: dict[str, CatalogEntry]) -> PeriodCounts:
    total: dict[str, int] = dict.fromkeys(_COUNTED, 0)
    inputs = reused = 0
    online_codes: set[str] = set()
    fee_codes_used: set[str] = set()
    fee_codes_paid_online: set[str] = set()
    for code, cell in cells:
        for k in _COUNTED:
            total[k] += cell.n[k]
        inputs += cell.inputs
        reused += cell.reused
        if cell.n["online"]:
            online_codes.add(code)
        if cell.n["with_fee"]:
            fee_codes_used.add(code)
        if cell.n["paid_online"]:
            fee_codes_paid_online.add(code)
    procs = _procedures_in(kind, key, cat)
    offered = {e.code for e in procs if e.online}
    fee_procs = {e.code for e in procs if e.fee}
    return PeriodCounts(
        received=total["received"],
        online=total["online"],
        dossiers_synced=0,  # no connection to the national portal: not measured (NOT_MEASURED)
        handled=total["handled"],
        on_time_or_early=total["on_time"],
        resolved_late=total["resolved_late"],
        in_deadline=total["in_deadline"],
        overdue=total["overdue"],
        late_with_apology=total["late_with_apology"],
        procedures_total=len(procs),
        procedures_published=sum(e.published for e in procs),
        procedures_online=len(offered),
        procedures_with_online_dossiers=len(offered & online_codes),
        dossiers_with_fee=total["with_fee"],
        paid_online=total["paid_online"],
        fee_procedures=len(fee_procs),
        fee_procedures_with_online_payment=len(fee_procs & fee_codes_paid_online),
        fee_procedures_with_dossiers=len(fee_procs & fee_codes_used),
        results_document=total["results_document"],
        results_electronic=total["results_electronic"],
        inputs_total=inputs,
        digitised_inputs=inputs,
        reusable_inputs=reused,
        reused_inputs=reused,
        ratings_total=total["rated"],
        ratings_negative=total["rated_negative"],
        complaints=total["complaints"],
        complaints_resolved=0,  # complaint handling is not recorded: not measured (NOT_MEASURED)
        dossiers_with_issue=total["with_issue"],
    )


def counts_by(kind: str, cells: dict[tuple[int, str], _Cell], cat: dict[str, CatalogEntry]) -> dict[str, PeriodCounts]:
    """PeriodCounts per unit of `kind` (province → one entry with key "")."""
    grouped: dict[str, list[tuple[str, _Cell]]] = defaultdict(list)
    for (cid, code), cell in cells.items():
        grouped[_key_of(kind, cid, code, cat)].append((code, cell))
    if kind == "province":
        grouped.setdefault("", [])
    return {key: _counts(kind, key, items, cat) for key, items in grouped.items()}


def scope_counts(session: Session, actor: Actor, period: Period, scope: Scope, now: datetime) -> PeriodCounts:
    """The counts of one scope (what the index card shows)."""
    cells = _cells(session, visible_centers(actor), period, now, scope)
    return counts_by(scope.kind, cells, catalog(session)).get(
        scope.key if scope.kind != "province" else "", _counts(scope.kind, scope.key, [], catalog(session))
    )


# --------------------------------------------------------------------------- names, trend, backlog, drill-down


def unit_names(session: Session, kind: str, cat: dict[str, CatalogEntry] | None = None) -> dict[str, tuple[str, str]]:
    """key → (Vietnamese, English) name of every unit of `kind` (`cat`: the catalog already read for this board)."""
    if kind == "center":
        return {str(i): (name, name) for i, name in session.exec(select(Center.id, Center.name)).all()}
    if kind == "field":
        rows = session.exec(select(ProcedureField.id, ProcedureField.name_vi, ProcedureField.name_en)).all()
        return {str(i): (vi, en) for i, vi, en in rows}
    if kind == "procedure":
        return {e.code: (e.name_vi, e.name_en) for e in (cat if cat is not None else catalog(session)).values()}
    return {"": ("Toàn tỉnh", "Whole province")}


@dataclass(frozen=True)
class WeekPoint:
    week_start: date
    received: int
    online: int
    resolved: int
    on_time: int


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def weekly_trend(
    session: Session, centers: list[int] | None, period: Period, now: datetime, scope: Scope
) -> list[WeekPoint]:
    """Per week (Monday first) of the period: dossiers received, of them online, resolved, of them on time.

    `centers` comes from `visible_centers(actor)` (None: the whole province). Read from the daily counts: every
    number here is dated by reception or finishing, moments that never lie ahead of now."""
    day0, day1, _ = _day_span(period)
    # whole weeks from the week rows (dated by their Monday: the same week below), the other days from day rows
    rows = _week_and_day_rows(
        lambda t: _table_where(t, centers, scope),
        day0,
        day1,
        lambda t, day: [day.label("day"), t.c.received, t.c.online, t.c.on_time, t.c.resolved_late],
    )
    per_day = session.exec(
        select(
            rows.c.day,
            func.sum(rows.c.received),
            func.sum(rows.c.online),
            func.sum(rows.c.on_time + rows.c.resolved_late),
            func.sum(rows.c.on_time),
        ).group_by(rows.c.day)
    ).all()
    received = [(day, n, online) for day, n, online, _, _ in per_day if n]
    resolved = [(day, n, on_time) for day, _, _, n, on_time in per_day if n]
    weeks: dict[date, list[int]] = {}
    first = period.first_day - timedelta(days=period.first_day.weekday())
    w = first
    while w <= period.last_day:
        weeks[w] = [0, 0, 0, 0]
        w += timedelta(days=7)
    for day, n, online in received:
        d = _day(day)
        weeks.setdefault(d - timedelta(days=d.weekday()), [0, 0, 0, 0])
        weeks[d - timedelta(days=d.weekday())][0] += int(n)
        weeks[d - timedelta(days=d.weekday())][1] += int(online or 0)
    for day, n, on_time in resolved:
        d = _day(day)
        key = d - timedelta(days=d.weekday())
        weeks.setdefault(key, [0, 0, 0, 0])
        weeks[key][2] += int(n)
        weeks[key][3] += int(on_time or 0)
    return [WeekPoint(k, *v) for k, v in sorted(weeks.items())]


@dataclass(frozen=True)
class Backlog:
    """Online dossiers waiting for the reception check, by age in working hours."""

    total: int
    oldest_hours: float
    buckets: tuple[tuple[str, int], ...]  # (bucket key, count)


BACKLOG_BUCKETS = (("le4", 4.0), ("le8", 8.0), ("le24", 24.0), ("gt24", float("inf")))


def reception_backlog(session: Session, actor: Actor, now: datetime, scope: Scope | None = None) -> Backlog:
    """Submitted online, not yet received, with their age in working hours (the clock has not started for them,
    but a day waiting at the desk is a day the citizen waits)."""
    return backlog_of(session, visible_centers(actor), now, scope)


def backlog_of(session: Session, centers: list[int] | None, now: datetime, scope: Scope | None = None) -> Backlog:
    """`reception_backlog` for already-resolved visible centers (None: the whole province)."""
    where = [
        *_where_visible(centers),
        *(_where_scope(scope) if scope else []),
        Dossier.status == int(Status.SUBMITTED),
        Dossier.submitted_at.is_not(None),
    ]
    submitted = (  # Core rows (no ORM per row): ~1,700 at the province at 1M
        session.connection()
        .execute(select(Dossier.submitted_at).where(*where, Dossier.submitted_at <= now).order_by(Dossier.submitted_at))
        .scalars()
        .all()
    )
    cal = load_calendar(session)

    def hours(s: datetime) -> float:
        return max(0, cal.working_seconds_between(s, now)) / 3600

    # Oldest first, the age in working hours never grows along the list: each bucket's edge is found by
    # bisection (a few calendar computations) instead of computing every waiting dossier's age (~1,700 at 1M).
    at_most = [len(submitted) - bisect_left(submitted, -upper, key=lambda s: -hours(s)) for _, upper in BACKLOG_BUCKETS]
    counts = [
        (key, n - (at_most[i - 1] if i else 0))
        for i, ((key, _), n) in enumerate(zip(BACKLOG_BUCKETS, at_most, strict=True))
    ]
    return Backlog(len(submitted), round(hours(submitted[0]) if submitted else 0.0, 1), tuple(counts))


def submitted_not_received_older_than(session: Session, actor: Actor, now: datetime, working_hours: float) -> int:
    """How many online dossiers have waited for reception longer than `working_hours` working hours."""
    where = [
        *_where_visible(visible_centers(actor)),
        Dossier.status == int(Status.SUBMITTED),
        Dossier.submitted_at.is_not(None),
    ]
    cal = load_calendar(session)
    waiting = session.exec(select(Dossier.submitted_at).where(*where)).all()
    return len([s for s in waiting if s is not None and cal.working_seconds_between(s, now) > working_hours * 3600])


@dataclass(frozen=True)
class DossierLine:
    code: str
    procedure_vi: str
    procedure_en: str
    applicant: str
    center: str
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    status: int


def count_behind(session: Session, actor: Actor, period: Period, now: datetime, scope: Scope, metric: str) -> int:
    """The number a drill-down list has rows: the same predicate as the dashboard's count."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    p = predicates(period, now)
    where = [*_where_visible(visible_centers(actor)), *_where_scope(scope), p[metric]]
    return int(session.exec(select(func.count()).select_from(Dossier).where(*where)).one())


def dossiers_behind(
    session: Session,
    actor: Actor,
    period: Period,
    now: datetime,
    scope: Scope,
    metric: str,
    limit: int = 50,
    offset: int = 0,
) -> list[DossierLine]:
    """The dossiers behind one number of the dashboard, oldest due date first (the most pressing on top)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    p = predicates(period, now)
    where = [*_where_visible(visible_centers(actor)), *_where_scope(scope), p[metric]]
    rows = session.exec(
        select(Dossier, Procedure.name_vi, Procedure.name_en, Center.name)
        .join(Procedure, Procedure.id == Dossier.procedure_id)
        .join(Center, Center.id == Dossier.handling_center_id)
        .where(*where)
        .order_by(Dossier.due_at.is_(None), Dossier.due_at, Dossier.submitted_at, Dossier.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        DossierLine(
            d.code or d.provisional_code or "",
            vi,
            en,
            d.applicant_name,
            cname,
            d.received_at,
            d.due_at,
            d.finished_at,
            d.status,
        )
        for d, vi, en, cname in rows
    ]


def parse_query(params: dict[str, str], now: datetime) -> tuple[Period, Scope]:
    """The period and scope named in a dashboard URL (?preset=month or ?from=2026-11-01&to=2026-11-30, ?scope=…).

    Raises ValueError for dates that do not parse or an end before the start (the page shows dash.bad_period).
    """
    scope = Scope.parse(params.get("scope", ""))
    start, end = params.get("from", ""), params.get("to", "")
    if start and end:
        return period_for("custom", now, date.fromisoformat(start), date.fromisoformat(end)), scope
    return period_for(params.get("preset", "90d"), now), scope
