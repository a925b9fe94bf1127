"""`/admin/calendar`: the year's public holidays (from the `holidays` package, read-only) and the
administrator's announcements — extra days off (the exact Tết span, swapped days) and make-up working
days. Every deadline computed after a change uses it (services.calendar.load_calendar)."""

from __future__ import annotations

import reflex as rx

from onestop import clock
from onestop.read import admin as admin_read
from onestop.read.admin import DayRow
from onestop.services import admin
from onestop.services.actor import Actor
from onestop.ui.admin.nav import admin_tab
from onestop.ui.components.admin_table import AdminPageMixin
from onestop.ui.components.form_field import (
    catalog_options,
    field_label,
    input_field,
    message,
    select_field,
    text_input,
)
from onestop.ui.components.icon_action import icon_action, worded_button
from onestop.ui.components.styles import centred, full
from onestop.ui.i18n import tr, tr_choice
from onestop.ui.offload import db_read

KINDS = ("holiday", "day_off", "working_day")


class AdminCalendarState(AdminPageMixin, rx.State):
    year: int = 0
    days: list[DayRow] = []

    def _forget(self) -> None:
        self.days = []

    async def _read(self, actor: Actor) -> None:
        self.days = await db_read(admin_read.calendar_year, actor, self.year)

    @rx.event
    async def load(self):  # noqa: ANN201
        self.year = self.year or clock.now().year
        self.error_vi = self.error_en = ""
        return await self._reload()

    @rx.event
    async def change_year(self, step: int):  # noqa: ANN201
        self.year = max(2000, min(2100, self.year + step))
        return await self._reload()

    async def _run(self, fn, *args) -> object:  # noqa: ANN001, ANN002
        done, _, redirect = await self._change(fn, *args)
        return await self._reload() if done else redirect

    @rx.event
    async def add(self, form: dict):  # noqa: ANN201
        day, kind, name = str(form.get("day", "")), str(form.get("kind", "")), str(form.get("name", ""))
        return await self._run(admin.add_override, day, kind, name)

    @rx.event
    async def remove(self, day: str):  # noqa: ANN201
        return await self._run(admin.remove_override, day)


def _row(d: rx.Var) -> rx.Component:
    colour = rx.match(d.kind, ("working_day", "green"), ("day_off", "orange"), "red")
    return rx.table.row(
        rx.table.cell(rx.text(d.shown, white_space="nowrap", weight="medium")),
        rx.table.cell(rx.badge(tr_choice("calendar.kind.", KINDS, d.kind), color_scheme=colour, size="2")),
        rx.table.cell(d.name),
        rx.table.cell(
            rx.cond(
                d.editable,
                worded_button(
                    "trash-2",
                    "admin.remove",
                    icon_size=16,
                    on_click=AdminCalendarState.remove(d.day),
                    size="2",
                    variant="soft",
                    color_scheme="red",
                    id="remove-" + d.day,
                ),
                rx.text(tr("admin.from_law"), size="2", color_scheme="gray"),
            )
        ),
        align="center",
    )


def admin_calendar_page() -> rx.Component:
    return admin_tab(
        "calendar",
        rx.card(
            rx.form(
                rx.flex(
                    field_label(
                        "admin.day",
                        text_input("day", id_="cal-day", type_="date", required=True),
                        html_for="cal-day",
                        required=True,
                        width="auto",
                    ),
                    select_field(
                        "admin.kind",
                        "kind",
                        "cal-kind",
                        catalog_options("calendar.kind.", ("day_off", "working_day")),
                        box={"width": "auto"},
                    ),
                    input_field(
                        "admin.day_name",
                        "name",
                        "cal-name",
                        placeholder=tr("admin.day_name_placeholder"),
                        box={"flex": "1", "min_width": "240px"},
                    ),
                    rx.button(rx.icon("plus", size=18), tr("admin.add_day"), type="submit", size="3", id="cal-add"),
                    gap="12px",
                    align="end",
                    wrap="wrap",
                    width="100%",
                ),
                on_submit=AdminCalendarState.add,
                reset_on_submit=True,
            ),
            width="100%",
            margin_bottom="12px",
        ),
        rx.cond(
            AdminCalendarState.error_vi != "",
            message(
                AdminCalendarState.error_vi, AdminCalendarState.error_en, id_="calendar-error", margin_bottom="12px"
            ),
        ),
        rx.hstack(
            icon_action(
                "chevron-left", 18, AdminCalendarState.change_year(-1), "admin.previous_year", variant="soft", size="3"
            ),
            rx.heading(tr("admin.year"), " ", AdminCalendarState.year, as_="h2", size="5", id="cal-year"),
            icon_action(
                "chevron-right", 18, AdminCalendarState.change_year(1), "admin.next_year", variant="soft", size="3"
            ),
            **centred("3"),
            margin_bottom="8px",
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *(
                        rx.table.column_header_cell(tr(h))
                        for h in ("admin.day", "admin.kind", "admin.day_name", "admin.actions")
                    )
                )
            ),
            rx.table.body(rx.foreach(AdminCalendarState.days, _row)),
            variant="surface",
            **full("2"),
            id="calendar-table",
        ),
        wide=True,
    )
