"""`/dashboard/dossiers`: the dossiers behind one number of the dashboard (e.g. the overdue count).

Why a page of its own rather than the officer inbox: the inbox filters by the
officer's work queue, while the dashboard's numbers are defined by period-wide
predicates (`read.dashboard.predicates`). This list uses the very predicate that
produced the number, so it always has that many rows; each code opens the
dossier in the officer workbench.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import reflex as rx

from onestop.db import new_session
from onestop.domain.lifecycle import status_label
from onestop.i18n import t
from onestop.read import dashboard as q
from onestop.read.dashboard_tables import board_query
from onestop.read.format import fmt_moment
from onestop.services.actor import Actor
from onestop.ui.components.table import header_table
from onestop.ui.dashboard.widgets import back_link, leader_read
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import guarded
from onestop.ui.routes import DASHBOARD
from onestop.ui.widgets import empty_state, page_heading

PAGE_SIZE = 50


@dataclass
class Line:
    code: str = ""
    procedure: list[str] = field(default_factory=lambda: ["", ""])
    applicant: str = ""
    center: str = ""
    received: str = ""
    due: str = ""
    finished: str = ""
    status: list[str] = field(default_factory=lambda: ["", ""])


@dataclass
class DrillView:
    title: list[str] = field(default_factory=lambda: ["", ""])
    error: list[str] = field(default_factory=list)
    total: int = 0
    page: int = 0
    pages: int = 0
    lines: list[Line] = field(default_factory=list)
    back: str = "/dashboard"
    base: str = ""


def load_drill(actor: Actor, params: dict[str, str], now: datetime) -> DrillView:
    metric = params.get("metric", "")
    if metric not in q.METRICS:
        return DrillView(error=[t("dash.bad_metric", "vi"), t("dash.bad_metric", "en")])
    try:
        period, scope = q.parse_query(params, now)
    except ValueError:
        return DrillView(error=[t("dash.bad_period", "vi"), t("dash.bad_period", "en")])
    try:
        page = max(0, int(params.get("page", "0")))
    except ValueError:
        page = 0
    with new_session() as session:
        total = q.count_behind(session, actor, period, now, scope, metric)
        rows = q.dossiers_behind(session, actor, period, now, scope, metric, PAGE_SIZE, page * PAGE_SIZE)
    query = board_query(period, scope)
    return DrillView(
        title=[t(f"dash.metric.{metric}", "vi"), t(f"dash.metric.{metric}", "en")],
        total=total,
        page=page,
        pages=(total + PAGE_SIZE - 1) // PAGE_SIZE,
        lines=[
            Line(
                r.code,
                [r.procedure_vi, r.procedure_en],
                r.applicant,
                r.center,
                fmt_moment(r.received_at),
                fmt_moment(r.due_at),
                fmt_moment(r.finished_at),
                [status_label(r.status, "vi"), status_label(r.status, "en")],
            )
            for r in rows
        ],
        back=f"/dashboard?{query}",
        base=f"/dashboard/dossiers?metric={metric}&{query}",
    )


class DrillState(rx.State):
    d: DrillView = DrillView()

    @rx.event
    async def load(self):  # noqa: ANN201 - Reflex event return
        view, redirect = await leader_read(self, load_drill)
        self.d = DrillView() if view is None else view
        return redirect


def _row(line: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(line.code, href="/officer/dossiers/" + line.code, weight="medium")),
        rx.table.cell(bi(line.procedure[0], line.procedure[1])),
        rx.table.cell(line.applicant),
        rx.table.cell(line.center),
        rx.table.cell(line.received, white_space="nowrap"),
        rx.table.cell(line.due, white_space="nowrap"),
        rx.table.cell(line.finished, white_space="nowrap"),
        rx.table.cell(bi(line.status[0], line.status[1])),
    )


def dashboard_dossiers_page() -> rx.Component:
    d = DrillState.d
    heads = (
        "dash.col.code",
        "dash.col.procedure",
        "dash.col.applicant",
        "dash.col.center",
        "dash.col.received_at",
        "dash.col.due_at",
        "dash.col.finished_at",
        "dash.col.status",
    )
    return guarded(
        DASHBOARD,
        page_heading(
            tr("dash.dossiers_title"),
            rx.text(
                bi(d.title[0], d.title[1]),
                ": ",
                rx.text(d.total, as_="span", weight="bold", id="drill-total"),
                as_="span",
            ),
        ),
        back_link("dash.back", d.back),
        rx.cond(
            d.error.length() > 0,
            rx.callout(bi(d.error[0], d.error[1]), icon="triangle-alert", color_scheme="red", role="alert"),
        ),
        rx.cond(
            d.lines.length() > 0,
            header_table(
                heads,
                d.lines,
                _row,
                variant="surface",
                size="2",
                box={"overflow_x": "auto", "width": "100%", "margin_top": "16px"},
            ),
            rx.cond(d.error.length() == 0, empty_state("dash.empty")),
        ),
        rx.hstack(
            rx.cond(d.page > 0, rx.link(tr("dash.prev"), href=d.base + "&page=" + (d.page - 1).to_string())),
            rx.cond(d.page + 1 < d.pages, rx.link(tr("dash.more"), href=d.base + "&page=" + (d.page + 1).to_string())),
            spacing="5",
            margin_top="12px",
        ),
        wide=True,
    )
