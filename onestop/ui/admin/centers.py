"""`/admin/centers`: centers (with staff and open dossiers) and their reception counters."""

from __future__ import annotations

import reflex as rx

from onestop.read import admin as admin_read
from onestop.read.admin import CenterRow, CounterRow
from onestop.services import admin
from onestop.services.actor import Actor
from onestop.ui.admin.nav import admin_tab
from onestop.ui.components.admin_table import (
    AdminPageMixin,
    active_badge,
    edit_button,
    edit_dialog,
    new_button,
    refusal,
)
from onestop.ui.components.form_field import catalog_options, check_field, input_field, select_field
from onestop.ui.components.icon_action import icon_action, worded_button
from onestop.ui.components.styles import COLUMN, LINE, REMOVE_ICON, quiet, spaced
from onestop.ui.i18n import tr, tr_choice
from onestop.ui.offload import db_read

LEVELS = admin.CENTER_LEVELS


class AdminCentersState(AdminPageMixin, rx.State):
    centers: list[CenterRow] = []
    #: The center being edited (0 = a new one) and the counter being edited (0 = a new one).
    center_open: bool = False
    center: CenterRow = CenterRow()
    counter_open: bool = False
    counter: CounterRow = CounterRow()

    def _forget(self) -> None:
        self.centers = []

    async def _read(self, actor: Actor) -> None:
        self.centers = await db_read(admin_read.list_centers, actor)

    @rx.event
    async def load(self):  # noqa: ANN201
        self.center_open = self.counter_open = False
        return await self._reload()

    @rx.event
    def edit_center(self, center_id: int) -> None:
        self.center = next((c for c in self.centers if c.id == center_id), CenterRow())
        self.error_vi = self.error_en = ""
        self.center_open = True

    @rx.event
    def edit_counter(self, center_id: int, counter_id: int) -> None:
        center = next((c for c in self.centers if c.id == center_id), CenterRow())
        self.counter = next((k for k in center.counters if k.id == counter_id), CounterRow(center_id=center_id))
        self.error_vi = self.error_en = ""
        self.counter_open = True

    @rx.event
    def close(self, is_open: bool = False) -> None:
        self.center_open = self.counter_open = is_open

    async def _run(self, fn, *args) -> object:  # noqa: ANN001, ANN002
        done, _, redirect = await self._change(fn, *args)
        if not done:
            return redirect
        self.center_open = self.counter_open = False
        await self._reload()
        return None

    @rx.event
    async def save_center(self, form: dict):  # noqa: ANN201
        center_id = self.center.id or None
        return await self._run(admin.save_center, center_id, {k: str(v) for k, v in form.items()})

    @rx.event
    async def save_counter(self, form: dict):  # noqa: ANN201
        counter_id = self.counter.id or None
        data = {**{k: str(v) for k, v in form.items()}, "center_id": str(self.counter.center_id)}
        return await self._run(admin.save_counter, counter_id, data)

    @rx.event
    async def delete_counter(self, counter_id: int):  # noqa: ANN201
        return await self._run(admin.delete_counter, counter_id)


def _error() -> rx.Component:
    return refusal(AdminCentersState, "centers-error")


def _center_dialog() -> rx.Component:
    c = AdminCentersState.center
    return edit_dialog(
        rx.cond(c.id > 0, tr("admin.edit_center"), tr("admin.new_center")),
        rx.grid(
            input_field("admin.center_code", "code", "c-code", value=c.code, required=True),
            select_field(
                "admin.level",
                "level",
                "c-level",
                catalog_options("level.", LEVELS),
                value=rx.cond(c.level != "", c.level, "commune"),
            ),
            columns="2",
            **COLUMN,
        ),
        input_field("admin.center_name", "name", "c-name", value=c.name, required=True),
        input_field("admin.province", "province", "c-province", value=c.province, required=True),
        input_field("officer.address", "address", "c-address", value=c.address),
        input_field("officer.phone", "phone", "c-phone", value=c.phone),
        check_field("admin.active", "active", "c-active", checked=c.active),
        on_submit=AdminCentersState.save_center,
        key=c.id.to_string() + c.code,
        open_=AdminCentersState.center_open,
        on_open_change=AdminCentersState.close,
        error=_error(),
        save_id="center-save",
        max_width="620px",
    )


def _counter_dialog() -> rx.Component:
    k = AdminCentersState.counter
    return edit_dialog(
        rx.cond(k.id > 0, tr("admin.edit_counter"), tr("admin.new_counter")),
        input_field(
            "admin.counter_number",
            "number",
            "k-number",
            type_="number",
            min="1",
            value=rx.cond(k.number > 0, k.number.to_string(), ""),
            required=True,
        ),
        input_field("admin.counter_name", "name", "k-name", value=k.name, required=True),
        input_field("admin.counter_fields", "fields", "k-fields", value=k.fields, hint_key="admin.counter_fields_hint"),
        on_submit=AdminCentersState.save_counter,
        key=k.id.to_string() + "-" + k.center_id.to_string(),
        open_=AdminCentersState.counter_open,
        on_open_change=AdminCentersState.close,
        error=_error(),
        save_id="counter-save",
        max_width="560px",
    )


def _center_card(c: rx.Var) -> rx.Component:
    def counter(k: rx.Var) -> rx.Component:
        return rx.hstack(
            rx.badge(tr("admin.counter"), " ", k.number, size="2"),
            rx.text(k.name, size="3"),
            rx.text(k.fields, size="2", color_scheme="gray"),
            rx.spacer(),
            icon_action(
                "pencil",
                16,
                AdminCentersState.edit_counter(c.id, k.id),
                "admin.edit_counter",
                variant="ghost",
                size="2",
            ),
            icon_action(
                "trash-2",
                16,
                AdminCentersState.delete_counter(k.id),
                "admin.delete_counter",
                **REMOVE_ICON,
                size="2",
            ),
            **LINE,
            spacing="2",
        )

    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text(c.name, size="4", weight="bold"),
                    rx.text(
                        c.code,
                        " · ",
                        tr_choice("level.", LEVELS, c.level),
                        " · ",
                        c.address,
                        **quiet("2"),
                    ),
                    spacing="0",
                ),
                rx.spacer(),
                active_badge(c.active, size="2"),
                edit_button(AdminCentersState.edit_center(c.id), "edit-center-" + c.code),
                **LINE,
                spacing="3",
            ),
            rx.text(
                tr("admin.staff"),
                ": ",
                rx.text(c.staff, as_="span", weight="bold"),
                " · ",
                tr("admin.open_dossiers"),
                ": ",
                rx.text(c.open_dossiers, as_="span", weight="bold"),
                size="3",
            ),
            rx.foreach(c.counters, counter),
            worded_button(
                "plus",
                "admin.new_counter",
                icon_size=16,
                on_click=AdminCentersState.edit_counter(c.id, 0),
                size="2",
                variant="outline",
                id="add-counter-" + c.code,
            ),
            **spaced("2"),
        ),
        width="100%",
    )


def admin_centers_page() -> rx.Component:
    return admin_tab(
        "centers",
        new_button("plus", "admin.new_center", AdminCentersState.edit_center(0), "add-center", margin_bottom="12px"),
        rx.grid(
            rx.foreach(AdminCentersState.centers, _center_card),
            columns={"initial": "1", "lg": "2"},
            **spaced("4"),
        ),
        _center_dialog(),
        _counter_dialog(),
        wide=True,
    )
