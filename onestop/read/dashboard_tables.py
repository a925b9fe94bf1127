"""Every table of the dashboard as raw values, formatted once for the screen and written as-is to CSV/Excel.

Why one builder: a leader who exports the table must get the numbers on the
screen. The page and the export route both call `board()`; the page shows
`fmt(value, kind, lang)` of each cell, the export writes the value, and a test
checks that formatting the exported value gives the on-screen text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from onestop.domain.metrics import GROUP_MAX, IndexBreakdown, PeriodCounts, component_lines, index
from onestop.i18n import t
from onestop.read import dashboard as q
from onestop.read.format import fmt_day
from onestop.read.queue import FigureRow, rolled_up, ticket_sums
from onestop.services.actor import Actor

LANGS = ("vi", "en")
#: How many procedures the "run late" ranking lists.
LATE_TOP = 10


@dataclass(frozen=True)
class Column:
    key: str  # catalog key of the header (dash.col.*)
    kind: str  # label | int | points (2 decimals) | pct | dec (1 decimal) | text


Label = tuple[str, str]  # (Vietnamese, English)
Cell = Label | int | float | str | None


@dataclass
class Table:
    name: str  # used in the export URL
    title_key: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # per row: a dashboard URL (drill-down) or ""


def fmt(value: Cell, kind: str, lang: str) -> str:
    """How a cell reads on the screen (Vietnamese: 1.234 and 19,90; English: 1,234 and 19.90)."""
    if value is None:
        return "—"
    if kind == "label":
        if isinstance(value, str):  # already in one language (an exported cell)
            return value
        vi, en = value  # type: ignore[misc]
        return en if lang == "en" else vi
    if kind == "int":
        text = f"{int(value):,}"
        return text.replace(",", ".") if lang == "vi" else text
    if kind in ("points", "pct", "dec"):
        text = f"{float(value):,.2f}" if kind == "points" else f"{float(value):,.1f}"
        if lang == "vi":
            text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return text + (" %" if kind == "pct" else "")
    return str(value)


def export_value(value: Cell, kind: str, lang: str) -> str | int | float | None:
    """The value written to a CSV/Excel cell: numbers stay numbers, labels in the chosen language."""
    if kind == "label" and value is not None:
        return value[1] if lang == "en" else value[0]
    return value  # type: ignore[return-value]


def pct(num: int, den: int) -> float | None:
    """Percent rounded to one decimal as shown; None when there is nothing to divide by."""
    return round(100.0 * num / den, 1) if den > 0 else None


def _label(key: str) -> Label:
    return (t(key, "vi"), t(key, "en"))


@dataclass
class Board:
    period: q.Period
    scope: q.Scope
    scope_name: Label
    counts: PeriodCounts
    index: IndexBreakdown
    backlog: q.Backlog
    trend: list[q.WeekPoint]
    tables: dict[str, Table]


RATES = (
    # key, numerator field(s), denominator, drill-down metric of the numerator's complement
    ("on_time", "on_time", "resolved_late"),
    ("online", "online", "received"),
    ("inputs", "digitised_inputs", "inputs_total"),
    ("e_results", "results_electronic", "results_document"),
    ("cashless", "paid_online", "dossiers_with_fee"),
    ("satisfaction", "ratings_ok", "ratings_total"),
)


def _rate_parts(c: PeriodCounts, key: str) -> tuple[int, int]:
    if key == "on_time":
        return c.on_time_or_early, c.on_time_or_early + c.resolved_late
    if key == "online":
        return c.online, c.received
    if key == "inputs":
        return c.digitised_inputs, c.inputs_total
    if key == "e_results":
        return c.results_electronic, c.results_document
    if key == "cashless":
        return c.paid_online, c.dossiers_with_fee
    return c.ratings_total - c.ratings_negative, c.ratings_total


RATE_METRIC = {
    "on_time": "resolved_late",
    "online": "received",
    "e_results": "results_document",
    "cashless": "with_fee",
    "satisfaction": "with_issue",
}


def rate_of(c: PeriodCounts, key: str) -> float | None:
    return pct(*_rate_parts(c, key))


def drill_url(period: q.Period, scope: q.Scope, metric: str) -> str:
    return (
        f"/dashboard/dossiers?metric={metric}&scope={scope}"
        f"&from={period.first_day.isoformat()}&to={period.last_day.isoformat()}"
    )


def _unit_table(name: str, kind: str, by: dict[str, PeriodCounts], names: dict[str, Label], period: q.Period) -> Table:
    cols = (
        Column("dash.col.unit", "label"),
        Column("dash.col.received", "int"),
        Column("dash.col.handled", "int"),
        Column("dash.col.on_time_pct", "pct"),
        Column("dash.col.online_pct", "pct"),
        Column("dash.col.overdue", "int"),
        Column("dash.col.index", "points"),
    )
    table = Table(name, f"dash.table.{name}", cols)
    ranked = sorted(by.items(), key=lambda kv: (-kv[1].received - kv[1].handled, names.get(kv[0], (kv[0],))[0]))
    for key, c in ranked:
        if not key:
            continue
        table.rows.append(
            (
                names.get(key, (key, key)),
                c.received,
                c.handled,
                rate_of(c, "on_time"),
                rate_of(c, "online"),
                c.overdue,
                round(index(c, q.NOT_MEASURED).total, 2),
            )
        )
        table.links.append(
            f"/dashboard?scope={kind}:{key}&from={period.first_day.isoformat()}&to={period.last_day.isoformat()}"
        )
    return table


def board(session: Session, actor: Actor, period: q.Period, scope: q.Scope, now: datetime) -> Board:
    """Everything the dashboard shows for one scope and period (one grouped query for all breakdowns)."""
    return _board(session, q.visible_centers(actor), period, scope, now, actor)


def public_board(session: Session, now: datetime, preset: str = "90d") -> Board:
    """The province's figures for the public summary page (no sign-in: aggregates only, no dossier rows)."""
    return _board(session, None, q.period_for(preset, now), q.Scope(), now)


def _board(
    session: Session,
    centers: list[int] | None,
    period: q.Period,
    scope: q.Scope,
    now: datetime,
    centers_actor: Actor | None = None,
) -> Board:
    """`centers_actor`: the signed-in reader, for the bottleneck tables (None on the public page: not shown)."""
    cat = q.catalog(session)
    all_cells = q._cells(session, centers, period, now)  # noqa: SLF001 - same module family
    if scope.kind == "province":
        cells = all_cells
    else:
        cells = {k: v for k, v in all_cells.items() if q._key_of(scope.kind, k[0], k[1], cat) == scope.key}  # noqa: SLF001
    counts = q.counts_by(scope.kind, cells, cat).get(scope.key, q._counts(scope.kind, scope.key, [], cat))  # noqa: SLF001
    breakdown = index(counts, q.NOT_MEASURED)
    tables: dict[str, Table] = {}

    comp = Table(
        "index",
        "dash.table.index",
        (
            Column("dash.col.component", "label"),
            Column("dash.col.group", "label"),
            Column("dash.col.numerator", "int"),
            Column("dash.col.denominator", "int"),
            Column("dash.col.points", "points"),
            Column("dash.col.max", "points"),
        ),
    )
    comp_metric = {
        "progress.timeliness": "handled",
        "transparency.apology": "late_no_apology",
        "transparency.sync": "received",
        "online_service.online_rate": "online",
        "online_payment.paid_online": "with_fee",
        "digitisation.e_results": "results_document",
        "satisfaction.receiving": "with_issue",
    }
    for line in component_lines(counts, q.NOT_MEASURED):
        measured = line.points is not None
        comp.rows.append(
            (
                _label(f"dash.comp.{line.key}"),  # a component not measured says so, and why, in its label
                _label(f"dash.group.{line.group}"),
                line.numerator,
                line.denominator,
                round(line.points, 2) if line.points is not None else None,
                line.max_points if measured else None,  # out of the maximum: not a 0 that lowers the index
            )
        )
        metric = comp_metric.get(line.key) if measured else None
        comp.links.append(drill_url(period, scope, metric) if metric else "")
    tables["index"] = comp

    groups = Table(
        "groups",
        "dash.table.groups",
        (Column("dash.col.group", "label"), Column("dash.col.points", "points"), Column("dash.col.max", "points")),
    )
    for g in GROUP_MAX:
        groups.rows.append((_label(f"dash.group.{g}"), round(getattr(breakdown, g), 2), breakdown.group_max(g)))
        groups.links.append("")
    groups.rows.append((_label("dash.total"), round(breakdown.total, 2), breakdown.max_total))
    groups.links.append("")
    tables["groups"] = groups

    rates = Table(
        "rates",
        "dash.table.rates",
        (
            Column("dash.col.rate", "label"),
            Column("dash.col.numerator", "int"),
            Column("dash.col.denominator", "int"),
            Column("dash.col.pct", "pct"),
        ),
    )
    for key, *_ in RATES:
        num, den = _rate_parts(counts, key)
        rates.rows.append((_label(f"dash.rate.{key}"), num, den, pct(num, den)))
        rates.links.append(drill_url(period, scope, RATE_METRIC[key]) if key in RATE_METRIC else "")
    tables["rates"] = rates

    by_proc = q.counts_by("procedure", cells, cat)
    proc_names = q.unit_names(session, "procedure", cat)
    for kind, name in (("center", "centers"), ("field", "fields"), ("procedure", "procedures")):
        if scope.kind == kind:
            continue
        by = by_proc if kind == "procedure" else q.counts_by(kind, cells, cat)
        names = proc_names if kind == "procedure" else q.unit_names(session, kind)
        tables[name] = _unit_table(name, kind, by, names, period)

    late = Table(
        "late",
        "dash.table.late",
        (
            Column("dash.col.procedure", "label"),
            Column("dash.col.late", "int"),
            Column("dash.col.handled", "int"),
            Column("dash.col.late_pct", "pct"),
        ),
    )
    ranked = sorted(
        ((c.resolved_late + c.overdue, code, c) for code, c in by_proc.items() if c.resolved_late + c.overdue > 0),
        key=lambda x: (-x[0], x[1]),
    )[:LATE_TOP]
    for n_late, code, c in ranked:
        late.rows.append((proc_names.get(code, (code, code)), n_late, c.handled, pct(n_late, c.handled)))
        late.links.append(drill_url(period, q.Scope("procedure", code), "overdue"))
    tables["late"] = late

    trend_points = q.weekly_trend(session, centers, period, now, scope)
    trend = Table(
        "trend",
        "dash.table.trend",
        (
            Column("dash.col.week", "text"),
            Column("dash.col.received", "int"),
            Column("dash.col.online_pct", "pct"),
            Column("dash.col.resolved", "int"),
            Column("dash.col.on_time_pct", "pct"),
        ),
    )
    for w in trend_points:
        trend.rows.append(
            (_week_label(w.week_start), w.received, pct(w.online, w.received), w.resolved, pct(w.on_time, w.resolved))
        )
        trend.links.append("")
    tables["trend"] = trend

    backlog = q.backlog_of(session, centers, now, scope)
    bl = Table("backlog", "dash.table.backlog", (Column("dash.col.age", "label"), Column("dash.col.count", "int")))
    for key, n in backlog.buckets:
        bl.rows.append((_label(f"dash.backlog.{key}"), n))
        bl.links.append(drill_url(period, scope, "backlog"))
    tables["backlog"] = bl

    if centers_actor is not None:
        tables.update(bottleneck_tables(session, centers_actor, period, cat))
        tables["forecast"] = forecast_table(session, centers_actor, now)
        tables["support"] = support_table(session, centers_actor, period)
        tables.update(queue_tables(session, centers, period, scope))

    names = proc_names if scope.kind == "procedure" else q.unit_names(session, scope.kind)
    scope_name = names.get(scope.key, (scope.key, scope.key))
    if scope.kind == "province" and centers is not None:
        scope_name = q.unit_names(session, "center").get(str(centers[0]), scope_name)
    return Board(period, scope, scope_name, counts, breakdown, backlog, trend_points, tables)


def _week_label(d: date) -> str:
    return fmt_day(d)


# --------------------------------------------------------------------------- the screen's shape


@dataclass
class ScreenRow:
    cells: list[list[str]] = field(default_factory=list)  # each cell: [Vietnamese, English]
    href: str = ""


@dataclass
class ScreenTable:
    """A table as the page keeps it in state: every cell already formatted in both languages."""

    name: str = ""
    title: list[str] = field(default_factory=lambda: ["", ""])
    heads: list[list[str]] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)
    rows: list[ScreenRow] = field(default_factory=list)
    csv: str = ""
    xlsx: str = ""


def screen_table(table: Table, query: str) -> ScreenTable:
    """`fmt` of every cell in both languages, and the download links for the same query."""
    rows = [
        ScreenRow([[fmt(v, c.kind, "vi"), fmt(v, c.kind, "en")] for v, c in zip(row, table.columns, strict=True)], link)
        for row, link in zip(table.rows, table.links, strict=True)
    ]
    base = f"/api/v1/dashboard/export/{table.name}"
    return ScreenTable(
        name=table.name,
        title=list(_label(table.title_key)),
        heads=[list(_label(c.key)) for c in table.columns],
        numeric=[c.kind in ("int", "pct", "points", "dec") for c in table.columns],
        rows=rows,
        csv=f"{base}.csv?{query}",
        xlsx=f"{base}.xlsx?{query}",
    )


def board_query(period: q.Period, scope: q.Scope) -> str:
    """The query string that names this board (for links and downloads)."""
    return f"from={period.first_day.isoformat()}&to={period.last_day.isoformat()}&scope={scope}"


def bottleneck_tables(
    session: Session, actor: Actor, period: q.Period, cat: dict[str, q.CatalogEntry] | None = None
) -> dict[str, Table]:
    """Time per step and officer group, rarely used procedures, most often missing documents (read.bottlenecks)."""
    from onestop.read import bottlenecks as bn

    steps = Table(
        "steps",
        "dash.table.steps",
        (
            Column("dash.col.step", "label"),
            Column("dash.col.role", "label"),
            Column("dash.col.count", "int"),
            Column("dash.col.mean_hours", "dec"),
            Column("dash.col.median_hours", "dec"),
            Column("dash.col.late", "int"),
        ),
    )
    for f in bn.step_times(session, actor, period):
        role = _label(f"role.{f.role}") if f.role else _label("dash.all_roles")
        steps.rows.append((_label(f"dash.step.{f.step}"), role, f.count, f.mean_hours, f.median_hours, f.late))
        steps.links.append("")
    rare = Table("rare", "dash.table.rare", (Column("dash.col.procedure", "label"), Column("dash.col.count", "int")))
    for u in bn.rarely_used(session, actor, period, cat=cat):
        rare.rows.append(((u.name_vi, u.name_en), u.dossiers))
        rare.links.append(f"/procedures/{u.code}")
    missing = Table(
        "missing", "dash.table.missing", (Column("dash.col.document", "text"), Column("dash.col.count", "int"))
    )
    for item, n in bn.missing_documents(session, actor, period):
        missing.rows.append((item, n))
        missing.links.append("")
    return {"steps": steps, "rare": rare, "missing": missing}


def forecast_table(session: Session, actor: Actor, now: datetime) -> Table:
    """Expected dossiers per center and working day for the next two weeks, beside counters and capacity."""
    from onestop.read import forecast as fc

    table = Table(
        "forecast",
        "dash.table.forecast",
        (
            Column("dash.col.center", "label"),
            Column("dash.col.day", "label"),
            Column("dash.col.expected", "dec"),
            Column("dash.col.counters", "int"),
            Column("dash.col.capacity", "int"),
            Column("dash.col.load", "label"),
        ),
    )
    days: dict[date, Label] = {}  # the 14 days' labels and the 3 load labels, made once (not per center and day)
    loads = {k: _label(k) for k in ("dash.load.over", "dash.load.unknown", "dash.load.ok")}
    for f in fc.center_forecasts(session, actor, now.date()):
        if f.capacity == 0 and f.expected == 0:
            continue  # a day off
        if f.day not in days:
            weekday = (t(f"dash.weekday.{f.day.weekday()}", "vi"), t(f"dash.weekday.{f.day.weekday()}", "en"))
            days[f.day] = (f"{weekday[0]} {f.day:%d/%m}", f"{weekday[1]} {f.day:%d/%m}")
        load = "dash.load.over" if f.overloaded else ("dash.load.unknown" if f.counters == 0 else "dash.load.ok")
        table.rows.append(((f.center, f.center), days[f.day], f.expected, f.counters, f.capacity or None, loads[load]))
        table.links.append("")
    return table


def support_table(session: Session, actor: Actor, period: q.Period) -> Table:
    """Community digital-technology teams per commune (read.support_figures)."""
    from onestop.read.support_figures import support_figures

    table = Table(
        "support",
        "dash.table.support",
        (
            Column("dash.col.commune", "text"),
            Column("dash.col.visits", "int"),
            Column("dash.col.people_helped", "int"),
            Column("dash.col.filed_on_behalf", "int"),
            Column("dash.col.online_before", "pct"),
            Column("dash.col.online_after", "pct"),
        ),
    )
    for f in support_figures(session, actor, period):
        table.rows.append(
            (f.commune, f.visits, f.people_helped, f.filed_on_behalf, pct(*f.online_before), pct(*f.online_after))
        )
        table.links.append("")
    return table


#: The queue tables' time columns: minutes waited (number taken → first call) and served (start → done).
_QUEUE_TIMES = (
    Column("dash.col.tickets", "int"),
    Column("dash.col.served", "int"),
    Column("dash.col.missed", "int"),
    Column("dash.col.avg_wait", "dec"),
    Column("dash.col.max_wait", "dec"),
    Column("dash.col.avg_service", "dec"),
)


def _queue_times(r: FigureRow) -> tuple[Cell, ...]:
    return (r.tickets, r.served, r.missed, r.avg_wait_min, r.max_wait_min, r.avg_service_min)


def queue_tables(session: Session, centers: list[int] | None, period: q.Period, scope: q.Scope) -> dict[str, Table]:
    """Numbers taken at the counters (read.queue.ticket_sums): per counter, and per hour of the day, of one center —
    the one in scope, or the reader's own. None for the whole province: the counters are staffed center by center,
    and summing a province's quarter of tickets (a few hundred thousand) would triple the dashboard's answer time
    (bench/queue_figures_bench.py); the province view says to pick a center."""
    if scope.kind == "center":
        wanted = int(scope.key) if scope.key.isdigit() else -1
        centers = [c for c in centers if c == wanted] if centers is not None else [wanted]
    elif scope.kind != "province" or centers is None or len(centers) != 1:
        return {}
    sums = ticket_sums(session, centers, period.first_day, period.last_day)  # one scan for both tables
    by_counter = Table("queue", "dash.table.queue", (Column("dash.col.counter", "label"), *_QUEUE_TIMES))
    for r in rolled_up(sums, ("counter",)):  # one center: the page's heading names it
        counter = (
            _label("dash.queue.not_called")
            if r.counter == 0
            else (t("dash.queue.counter", "vi", n=r.counter), t("dash.queue.counter", "en", n=r.counter))
        )
        by_counter.rows.append((counter, *_queue_times(r)))
        by_counter.links.append("")
    by_hour = Table("queue_hours", "dash.table.queue_hours", (Column("dash.col.hour", "text"), *_QUEUE_TIMES))
    for r in rolled_up(sums, ("hour",)):
        by_hour.rows.append((f"{r.hour:02d}:00–{r.hour + 1:02d}:00", *_queue_times(r)))
        by_hour.links.append("")
    return {"queue": by_counter, "queue_hours": by_hour}
