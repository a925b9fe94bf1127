"""`/dashboard`: the Decision 766 index a leader reads at a glance, with every number's fraction and dossiers.

Why the period and scope live in the URL (?preset=month&scope=center:3): a leader
can bookmark or send the exact view, the breakdown rows link to their own view,
and the CSV/Excel links carry the same query, so the file is the table on screen.
"""

from __future__ import annotations

import reflex as rx

from onestop.read.dashboard import PERIOD_PRESETS
from onestop.ui.components.callout import callout
from onestop.ui.components.styles import COLUMN, form_row, full, quiet, spaced
from onestop.ui.dashboard.view import DashView, load_view
from onestop.ui.dashboard.widgets import (
    back_link,
    cell_text,
    chart_with_table,
    data_table,
    leader_read,
    titled_table,
)
from onestop.ui.i18n import LangState, bi, tr
from onestop.ui.layout import guarded
from onestop.ui.routes import DASHBOARD
from onestop.ui.widgets import page_heading, stat_card


class DashState(rx.State):
    v: DashView = DashView()
    form_from: str = ""
    form_to: str = ""

    @rx.event
    async def load(self):  # noqa: ANN201 - Reflex event return
        view, redirect = await leader_read(self, load_view)
        self.v = DashView() if view is None else view
        if view is not None:
            self.form_from, self.form_to = view.first_day, view.last_day
        return redirect

    @rx.event
    def choose_preset(self, preset: str):  # noqa: ANN201
        if preset not in PERIOD_PRESETS:
            return None
        return rx.redirect(f"/dashboard?preset={preset}&scope={self.v.scope}")

    @rx.event
    def choose_dates(self, form: dict):  # noqa: ANN201
        start, end = str(form.get("from", "")), str(form.get("to", ""))
        return rx.redirect(f"/dashboard?from={start}&to={end}&scope={self.v.scope}")


def _date_input(name: str, value: rx.Var) -> rx.Component:
    """One end of the custom period ("from" or "to"); `key` remounts it when a preset changes the dates."""
    return rx.vstack(
        rx.text(tr(f"dash.{name}"), as_="label", html_for=f"dash-{name}", weight="medium"),
        rx.input(id=f"dash-{name}", name=name, type="date", default_value=value, key=value, size="3", required=True),
        spacing="1",
    )


def _controls() -> rx.Component:
    v = DashState.v
    return rx.flex(
        rx.vstack(
            rx.text(tr("dash.period"), as_="label", html_for="dash-preset", weight="medium"),
            rx.select.root(
                rx.select.trigger(id="dash-preset", min_width="200px"),
                rx.select.content(
                    *(rx.select.item(tr(f"dash.preset.{p}"), value=p) for p in PERIOD_PRESETS),
                    rx.select.item(tr("dash.preset.custom"), value="custom", disabled=True),
                ),
                value=v.preset,
                on_change=DashState.choose_preset,
                size="3",
            ),
            spacing="1",
        ),
        rx.form(
            rx.flex(
                _date_input("from", DashState.form_from),
                _date_input("to", DashState.form_to),
                rx.button(tr("dash.apply"), type="submit", size="3"),
                **form_row("3"),
            ),
            on_submit=DashState.choose_dates,
        ),
        rx.cond(
            v.scope != "province",
            back_link("dash.back_to_province", "/dashboard", align_self="end"),
        ),
        **form_row("5"),
        width="100%",
    )


def _headline() -> rx.Component:
    v = DashState.v
    return rx.grid(
        rx.card(
            rx.vstack(
                rx.text(tr("dash.total"), **quiet("3"), weight="medium"),
                rx.text(cell_text(v.total), size="9", weight="bold", line_height="1", id="dash-total"),
                rx.text(cell_text(v.out_of), size="2", color_scheme="gray", id="dash-out-of"),
                rx.progress(value=v.total_pct.to(int), max=100, size="3"),
                **spaced("2"),
            ),
            **full("3"),
        ),
        stat_card(tr("dash.rate.on_time"), cell_text(v.on_time), "circle-check", "green", id="rate-on-time"),
        stat_card(tr("dash.rate.online"), cell_text(v.online), "globe", "blue", id="rate-online"),
        rx.link(
            stat_card(tr("dash.overdue_now"), v.overdue, "alarm-clock", "red", tr("dash.open_list")),
            href=v.overdue_href,
            id="dash-overdue",
            underline="none",
        ),
        rx.link(
            stat_card(
                tr("dash.backlog_title"),
                v.backlog,
                "inbox",
                "amber",
                rx.text(cell_text(v.backlog_oldest), " ", tr("dash.backlog_oldest"), as_="span"),
            ),
            href=v.backlog_href,
            id="dash-backlog",
            underline="none",
        ),
        columns={"initial": "1", "sm": "2", "lg": "5"},
        **COLUMN,
    )


def _name_key() -> rx.Var:
    return rx.cond(LangState.ui_lang == "en", "en", "vi")


def _trend_chart() -> rx.Component:
    return rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key="week"),
        rx.recharts.y_axis(domain=[0, 100], unit="%"),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        *(
            rx.recharts.line(
                data_key=key,
                name=tr(f"dash.rate.{key}"),
                stroke=f"var(--{colour}-9)",
                stroke_width=3,
                connect_nulls=True,
                is_animation_active=False,
            )
            for key, colour in (("on_time", "green"), ("online", "blue"))
        ),
        data=DashState.v.trend_chart,
        width="100%",
        height=280,
    )


def _forecast_chart() -> rx.Component:
    return rx.recharts.composed_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key=_name_key()),
        rx.recharts.y_axis(),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        rx.recharts.bar(
            data_key="expected", name=tr("dash.col.expected"), fill="var(--blue-9)", is_animation_active=False
        ),
        rx.recharts.line(
            data_key="capacity",
            name=tr("dash.col.capacity"),
            stroke="var(--red-9)",
            stroke_width=3,
            type_="step",
            is_animation_active=False,
        ),
        data=DashState.v.forecast_chart,
        width="100%",
        height=280,
    )


def _bar_chart(data: rx.Var, value_key: str, colour: str, name: rx.Var, max_value: float | None = None) -> rx.Component:
    axis = (
        rx.recharts.x_axis(type_="number", domain=[0, max_value]) if max_value else rx.recharts.x_axis(type_="number")
    )
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        axis,
        rx.recharts.y_axis(data_key=_name_key(), type_="category", width=170),
        rx.recharts.graphing_tooltip(),
        rx.recharts.bar(data_key=value_key, name=name, fill=f"var(--{colour}-9)", is_animation_active=False),
        data=data,
        layout="vertical",
        width="100%",
        height=280,
    )


def dashboard_page() -> rx.Component:
    v = DashState.v
    return guarded(
        DASHBOARD,
        page_heading(tr("dash.title"), rx.text(cell_text(v.scope_name), " · ", cell_text(v.period_text), as_="span")),
        rx.cond(
            v.error.length() > 0,
            rx.callout(
                bi(v.error[0], v.error[1]),
                icon="triangle-alert",
                color_scheme="red",
                role="alert",
                margin_bottom="12px",
            ),
        ),
        _controls(),
        rx.box(height="16px"),
        _headline(),
        rx.grid(
            chart_with_table("dash.chart_trend", _trend_chart(), v.t_trend, links=False),
            chart_with_table(
                "dash.table.groups",
                _bar_chart(v.groups_chart, "points", "indigo", tr("dash.col.points")),
                v.t_groups,
                links=False,
            ),
            columns={"initial": "1", "lg": "2"},
            **spaced("5"),
        ),
        titled_table(v.t_index),
        rx.grid(
            titled_table(v.t_rates),
            titled_table(v.t_backlog),
            columns={"initial": "1", "lg": "2"},
            **spaced("5"),
        ),
        rx.cond(
            v.has_units,
            rx.vstack(
                rx.heading(cell_text(v.units_title), as_="h2", size="5", weight="bold", margin_top="24px"),
                rx.box(
                    _bar_chart(v.units_chart, "points", "teal", tr("dash.col.index"), 100),
                    width="100%",
                    height="280px",
                    aria_hidden="true",
                ),
                width="100%",
            ),
        ),
        rx.cond(v.t_centers.rows.length() > 0, titled_table(v.t_centers)),
        rx.cond(v.t_fields.rows.length() > 0, titled_table(v.t_fields)),
        rx.cond(
            v.t_late.rows.length() > 0,
            chart_with_table("dash.chart_late", _bar_chart(v.late_chart, "late", "red", tr("dash.col.late")), v.t_late),
        ),
        rx.cond(v.t_procedures.rows.length() > 0, titled_table(v.t_procedures)),
        rx.cond(
            v.t_forecast.rows.length() > 0,
            rx.vstack(
                rx.cond(
                    v.overload,
                    callout(
                        tr("dash.overload_warning"), "triangle-alert", "orange", "dash-overload", margin_top="24px"
                    ),
                ),
                chart_with_table("dash.table.forecast", _forecast_chart(), v.t_forecast, links=False),
                rx.text(tr("dash.forecast_note"), size="2", color_scheme="gray"),
                width="100%",
            ),
        ),
        rx.heading(tr("dash.bottlenecks"), as_="h2", size="6", weight="bold", margin_top="32px"),
        titled_table(v.t_steps),
        rx.grid(
            rx.cond(v.t_missing.rows.length() > 0, titled_table(v.t_missing)),
            rx.cond(v.t_rare.rows.length() > 0, titled_table(v.t_rare)),
            columns={"initial": "1", "lg": "2"},
            **spaced("5"),
        ),
        rx.cond(
            v.t_support.rows.length() > 0,
            rx.vstack(
                titled_table(v.t_support), rx.text(tr("dash.support_note"), size="2", color_scheme="gray"), width="100%"
            ),
        ),
        rx.cond(
            v.t_queue.rows.length() > 0,
            rx.vstack(
                rx.heading(tr("dash.queue_title"), as_="h2", size="6", weight="bold", margin_top="32px"),
                titled_table(v.t_queue),
                titled_table(v.t_queue_hours),
                rx.text(tr("dash.queue_note"), size="2", color_scheme="gray"),
                width="100%",
            ),
        ),
        rx.cond(
            v.queue_by_center,
            rx.vstack(
                rx.heading(tr("dash.queue_title"), as_="h2", size="6", weight="bold", margin_top="32px"),
                rx.text(tr("dash.queue_pick_center"), size="3"),
                width="100%",
                id="dash-queue-pick-center",
            ),
        ),
        rx.text(tr("dash.method"), size="2", color_scheme="gray", margin_top="20px"),
        rx.link(tr("dash.public_title"), " →", href="/quality", size="2"),
        wide=True,
    )


__all__ = ["DashState", "dashboard_page", "data_table"]
