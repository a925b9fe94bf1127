"""What the dashboard page keeps in state, built from one `board()` call (no Reflex here, so tests use it).

Why a separate builder: the page's numbers, the chart data and the download links
must come from the same Board; building them in one plain function lets the
export test compare the page's cells with the files without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from onestop.db import new_session
from onestop.domain.metrics import GROUP_MAX
from onestop.i18n import t
from onestop.read import dashboard as q
from onestop.read.dashboard_tables import (
    Board,
    ScreenTable,
    board,
    board_query,
    drill_url,
    fmt,
    public_board,
    rate_of,
    screen_table,
)
from onestop.services.actor import Actor

#: The tables the page shows, in order (a breakdown of the scope's own kind is left out).
TABLES = (
    "index",
    "groups",
    "rates",
    "backlog",
    "centers",
    "fields",
    "procedures",
    "late",
    "trend",
    "steps",
    "rare",
    "missing",
    "forecast",
    "support",
    "queue",
    "queue_hours",
)


@dataclass
class DashView:
    loaded: bool = False
    error: list[str] = field(default_factory=list)  # [vi, en] when the URL named a bad period
    preset: str = "90d"
    first_day: str = ""
    last_day: str = ""
    scope: str = "province"
    scope_name: list[str] = field(default_factory=lambda: ["", ""])
    period_text: list[str] = field(default_factory=lambda: ["", ""])
    total: list[str] = field(default_factory=lambda: ["—", "—"])
    out_of: list[str] = field(default_factory=lambda: ["", ""])  # "of 82 measured points (not measured: …)"
    total_pct: float = 0.0  # of the measured maximum, for the bar
    overdue: int = 0
    overdue_href: str = ""
    backlog: int = 0
    backlog_oldest: list[str] = field(default_factory=lambda: ["0", "0"])
    backlog_href: str = ""
    on_time: list[str] = field(default_factory=lambda: ["—", "—"])
    online: list[str] = field(default_factory=lambda: ["—", "—"])
    t_index: ScreenTable = field(default_factory=ScreenTable)
    t_groups: ScreenTable = field(default_factory=ScreenTable)
    t_rates: ScreenTable = field(default_factory=ScreenTable)
    t_backlog: ScreenTable = field(default_factory=ScreenTable)
    t_centers: ScreenTable = field(default_factory=ScreenTable)
    t_fields: ScreenTable = field(default_factory=ScreenTable)
    t_procedures: ScreenTable = field(default_factory=ScreenTable)
    t_late: ScreenTable = field(default_factory=ScreenTable)
    t_trend: ScreenTable = field(default_factory=ScreenTable)
    t_steps: ScreenTable = field(default_factory=ScreenTable)
    t_rare: ScreenTable = field(default_factory=ScreenTable)
    t_missing: ScreenTable = field(default_factory=ScreenTable)
    t_forecast: ScreenTable = field(default_factory=ScreenTable)
    t_support: ScreenTable = field(default_factory=ScreenTable)
    t_queue: ScreenTable = field(default_factory=ScreenTable)
    t_queue_hours: ScreenTable = field(default_factory=ScreenTable)
    queue_by_center: bool = False  # the province's view: the queue tables are per center, one picked below
    overload: bool = False
    forecast_chart: list[dict[str, float | str]] = field(default_factory=list)
    has_units: bool = False
    units_title: list[str] = field(default_factory=lambda: ["", ""])
    trend_chart: list[dict[str, float | str | None]] = field(default_factory=list)
    groups_chart: list[dict[str, float | str]] = field(default_factory=list)
    units_chart: list[dict[str, float | str]] = field(default_factory=list)
    late_chart: list[dict[str, float | str]] = field(default_factory=list)


def _pair(key: str) -> list[str]:
    return [t(key, "vi"), t(key, "en")]


def _out_of(b: Board) -> list[str]:
    """The "out of 100 points" line, or out of the measured maximum when components are not measured (metrics docstring)."""
    mx, left = b.index.max_total, 100.0 - b.index.max_total
    if not b.index.not_measured:
        return _pair("dash.out_of_100")
    return [
        t(
            "dash.out_of_measured",
            lang,
            max=fmt(mx, "dec", lang),
            n=len(b.index.not_measured),
            left=fmt(left, "dec", lang),
        )
        for lang in ("vi", "en")
    ]


def view_of(b: Board, *, public: bool = False) -> DashView:
    query = board_query(b.period, b.scope)
    tables = {name: screen_table(table, query) for name, table in b.tables.items()}
    for name in TABLES:
        tables.setdefault(name, ScreenTable(name=name))
    if public:  # no drill-down for visitors: the lists are for signed-in leaders
        for table in tables.values():
            for row in table.rows:
                row.href = ""
    units_name = next((n for n in ("centers", "fields", "procedures") if b.tables.get(n) and b.tables[n].rows), "")
    units = b.tables[units_name] if units_name else None
    total = round(b.index.total, 2)
    return DashView(
        loaded=True,
        preset=b.period.preset,
        first_day=b.period.first_day.isoformat(),
        last_day=b.period.last_day.isoformat(),
        scope=str(b.scope),
        scope_name=list(b.scope_name),
        period_text=[f"{b.period.first_day:%d/%m/%Y} – {b.period.last_day:%d/%m/%Y}"] * 2,
        total=[fmt(total, "points", "vi"), fmt(total, "points", "en")],
        out_of=_out_of(b),
        total_pct=round(100 * total / b.index.max_total, 1) if b.index.max_total else 0.0,
        overdue=b.counts.overdue,
        overdue_href=drill_url(b.period, b.scope, "overdue"),
        backlog=b.backlog.total,
        backlog_oldest=[fmt(b.backlog.oldest_hours, "pct", lang).removesuffix(" %") for lang in ("vi", "en")],
        backlog_href=drill_url(b.period, b.scope, "backlog"),
        on_time=[fmt(rate_of(b.counts, "on_time"), "pct", lang) for lang in ("vi", "en")],
        online=[fmt(rate_of(b.counts, "online"), "pct", lang) for lang in ("vi", "en")],
        **{f"t_{name}": tables[name] for name in TABLES},
        overload=any(row[-1] == ("Quá tải", "Overloaded") for row in b.tables["forecast"].rows)
        if "forecast" in b.tables
        else False,
        forecast_chart=_forecast_chart(b),
        has_units=units is not None,
        queue_by_center=not public and b.scope.kind == "province" and "queue" not in b.tables,
        units_title=_pair(f"dash.table.{units_name}") if units_name else ["", ""],
        trend_chart=[
            {
                "week": f"{w.week_start:%d/%m}",
                "on_time": rate_of_pair(w.on_time, w.resolved),
                "online": rate_of_pair(w.online, w.received),
            }
            for w in b.trend
        ],
        groups_chart=[
            {
                "vi": t(f"dash.group.{g}", "vi"),
                "en": t(f"dash.group.{g}", "en"),
                "points": round(getattr(b.index, g), 2),
                "max": b.index.group_max(g),
            }
            for g in GROUP_MAX
        ],
        units_chart=[{"vi": r[0][0], "en": r[0][1], "points": r[-1]} for r in units.rows[:12]] if units else [],
        late_chart=[{"vi": r[0][0], "en": r[0][1], "late": r[1]} for r in b.tables["late"].rows],
    )


def rate_of_pair(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 1) if den else None


def load_view(actor: Actor, params: dict[str, str], now: datetime) -> DashView:
    """The dashboard for a signed-in leader/administrator and the URL's period and scope."""
    try:
        period, scope = q.parse_query(params, now)
    except ValueError:
        period, scope = q.period_for("90d", now), q.Scope.parse(params.get("scope", ""))
        view = _view(actor, period, scope, now)
        view.error = _pair("dash.bad_period")
        return view
    return _view(actor, period, scope, now)


def _view(actor: Actor, period: q.Period, scope: q.Scope, now: datetime) -> DashView:
    with new_session() as session:
        return view_of(board(session, actor, period, scope, now))


def load_public(now: datetime) -> DashView:
    with new_session() as session:
        return view_of(public_board(session, now), public=True)


def _forecast_chart(b: Board) -> list[dict[str, float | str]]:
    """Expected dossiers and capacity per day, all visible centers together."""
    if "forecast" not in b.tables:
        return []
    days: dict[tuple[str, str], list[float]] = {}
    for _center, day, expected, _counters, capacity, _load in b.tables["forecast"].rows:
        acc = days.setdefault(day, [0.0, 0.0])  # type: ignore[arg-type]
        acc[0] += float(expected or 0)  # type: ignore[arg-type]
        acc[1] += float(capacity or 0)  # type: ignore[arg-type]
    return [{"vi": d[0], "en": d[1], "expected": round(v[0], 1), "capacity": v[1]} for d, v in days.items()]
