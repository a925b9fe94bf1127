"""`/dashboard`: on-time rate and online rate over the last 90 days (a leader's center, or every center)."""

from __future__ import annotations

import reflex as rx

from onestop import clock
from onestop.db import new_session
from onestop.read import dashboard
from onestop.read.dashboard import DASHBOARD_DAYS, QualityDashboard
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import guarded
from onestop.ui.routes import DASHBOARD
from onestop.ui.session import gate
from onestop.ui.theme import BODY_SIZE
from onestop.ui.widgets import page_heading, section


class DashboardState(rx.State):
    data: QualityDashboard = QualityDashboard()

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, DASHBOARD)
        if actor is None:
            self.data = QualityDashboard()
            return redirect
        with new_session() as db:
            self.data = dashboard.quality_dashboard(db, actor, clock.now(), DASHBOARD_DAYS)
        return None


def _rate_card(title_key: str, pct: rx.Var, vi: rx.Var, en: rx.Var, detail: rx.Component, colour: str,
               id_: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(tr(title_key), size="4", weight="bold"),
            rx.text(bi(vi, en), size="9", weight="bold", color=f"var(--{colour}-11)", line_height="1"),
            rx.cond(pct >= 0, rx.progress(value=pct.to(int), max=100, size="3", color_scheme=colour),
                    rx.text(tr("dashboard.no_data"), size="3", color_scheme="gray")),
            detail,
            spacing="3",
            width="100%",
        ),
        size="4",
        width="100%",
        id=id_,
    )


def _centers_table() -> rx.Component:
    heads = ("dashboard.center", "dashboard.submitted", "dashboard.online_rate", "dashboard.finished",
             "dashboard.on_time_rate", "dashboard.overdue_now")
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*(rx.table.column_header_cell(tr(h)) for h in heads))),
            rx.table.body(rx.foreach(DashboardState.data.centers, lambda r: rx.table.row(
                rx.table.cell(bi(r.center_vi, r.center_en)),
                rx.table.cell(r.submitted),
                rx.table.cell(bi(r.online_vi, r.online_en)),
                rx.table.cell(r.finished),
                rx.table.cell(bi(r.on_time_vi, r.on_time_en)),
                rx.table.cell(r.overdue_now),
            ))),
            variant="surface",
            size="3",
            width="100%",
        ),
        overflow_x="auto",
        width="100%",
    )


def dashboard_page() -> rx.Component:
    total = DashboardState.data.total
    return guarded(
        DASHBOARD,
        page_heading(tr("dashboard.title"), rx.text(bi(total.center_vi, total.center_en), " · ",
                                                    tr("dashboard.period"), " ", DashboardState.data.since, " – ",
                                                    DashboardState.data.until, as_="span")),
        rx.grid(
            _rate_card("dashboard.on_time_rate", total.on_time_pct, total.on_time_vi, total.on_time_en,
                       rx.text(total.on_time, " / ", total.finished, " ", tr("dashboard.finished_detail"),
                               size=BODY_SIZE, color_scheme="gray"), "green", "rate-on-time"),
            _rate_card("dashboard.online_rate", total.online_pct, total.online_vi, total.online_en,
                       rx.text(total.online, " / ", total.submitted, " ", tr("dashboard.online_detail"),
                               size=BODY_SIZE, color_scheme="gray"), "blue", "rate-online"),
            columns={"initial": "1", "md": "2"},
            spacing="4",
            width="100%",
        ),
        rx.callout.root(
            rx.callout.icon(rx.icon("alarm-clock")),
            rx.callout.text(tr("dashboard.overdue_now"), ": ", rx.text(total.overdue_now, as_="span", weight="bold")),
            color_scheme=rx.cond(total.overdue_now > 0, "red", "green"), size="3", margin_top="20px", id="overdue-now",
        ),
        # One center's leader already sees their row above; the table compares centers for the province.
        rx.cond(DashboardState.data.centers.length() > 1, section(tr("dashboard.by_center"), _centers_table())),
        rx.text(tr("dashboard.method"), size="3", color_scheme="gray", margin_top="16px"),
    )
