"""What every administration page shares: the guarded change, its messages, the table and the edit dialog.

Why one component: the procedures, centers, users and calendar pages each list
rows and edit one in a dialog whose form is sent to an admin use case. The
rule (check the admin again, run the change as one transaction off the event
loop, show the use case's bilingual refusal in the dialog) and the shapes
(table with a header row, dialog with cancel/save) were copied four times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from onestop.domain.errors import DomainError
from onestop.services.actor import Actor
from onestop.ui.components.form_field import message
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.refusal import RefusalMixin
from onestop.ui.components.styles import COLUMN
from onestop.ui.components.table import header_table
from onestop.ui.i18n import tr
from onestop.ui.offload import db_write
from onestop.ui.routes import ADMIN
from onestop.ui.session import gate


class AdminPageMixin(RefusalMixin, mixin=True):
    """The refusal shown in a dialog (RefusalMixin: `@gated(ADMIN)` events) and the confirmation shown above
    the table."""

    done_vi: str = ""
    done_en: str = ""

    async def _admin(self) -> tuple[Actor | None, EventSpec | None]:
        """Every admin event re-checks the person (see session.gate)."""
        return await gate(self, ADMIN)

    async def _reload(self) -> EventSpec | None:
        """Read the page's rows again for the admin (emptied when the person may no longer see them);
        the redirect to sign in, if there is one.

        A page that calls this defines `_forget(self) -> None` (empty what it shows) and
        `async _read(self, actor) -> None` (load it for an admin): centers, users and the calendar do."""
        actor, redirect = await self._admin()
        if actor is None:
            self._forget()
            return redirect
        await self._read(actor)
        return None

    async def _change(self, fn: Callable[..., Any], *args: Any) -> tuple[bool, Any, EventSpec | None]:
        """`fn(session, actor, *args)` as one transaction off the event loop, for an admin only.

        Returns (done, what fn returned, redirect); a refusal from the use case is kept in
        error_vi/error_en for the dialog and gives done False."""
        actor, redirect = await self._admin()
        if actor is None:
            return False, None, redirect
        self.error_vi = self.error_en = ""
        try:
            result = await db_write(fn, actor, *args)
        except DomainError as err:
            self._refuse(err)
            return False, None, None
        return True, result, None


def refusal(state: type[AdminPageMixin], id_: str) -> rx.Component:
    return rx.cond(state.error_vi != "", message(state.error_vi, state.error_en, id_=id_))


def confirmation(state: type[AdminPageMixin], id_: str) -> rx.Component:
    return rx.cond(
        state.done_vi != "",
        message(state.done_vi, state.done_en, colour="green", icon="circle-check", id_=id_, margin_bottom="12px"),
    )


def dialog_buttons(save_id: str, save_key: str = "common.save") -> rx.Component:
    return rx.hstack(
        rx.dialog.close(rx.button(tr("common.cancel"), type="button", variant="soft", color_scheme="gray", size="3")),
        rx.button(tr(save_key), type="submit", size="3", id=save_id),
        justify="end",
        **COLUMN,
    )


def edit_dialog(
    title: rx.Component | rx.Var | tuple,
    *fields: rx.Component,
    on_submit: rx.EventHandler,
    key: rx.Var,
    open_: rx.Var,
    on_open_change: rx.EventHandler,
    error: rx.Component,
    save_id: str,
    save_key: str = "common.save",
    max_width: str = "640px",
    description: rx.Component | None = None,
) -> rx.Component:
    """A dialog holding one form: its fields, the refusal, cancel/save. `key` remounts the form per row.
    `title` may be a tuple of parts ("Edit", code, version)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(*(title if isinstance(title, tuple) else (title,))),
            *([description] if description is not None else []),
            rx.form(
                rx.vstack(*fields, error, dialog_buttons(save_id, save_key), spacing="3", width="100%"),
                on_submit=on_submit,
                key=key,
            ),
            max_width=max_width,
        ),
        open=open_,
        on_open_change=on_open_change,
    )


def edit_button(on_click: rx.EventSpec, id_: rx.Var | str) -> rx.Component:
    """The row's "Edit" button that opens its dialog."""
    return rx.button(rx.icon("pencil", size=16), tr("admin.edit"), on_click=on_click, size="2", variant="soft", id=id_)


def new_button(icon: str, key: str, on_click: rx.EventSpec, id_: str, **props: str) -> rx.Component:
    """The page's "New …" button above its list: opens the edit dialog on an empty row."""
    return worded_button(icon, key, on_click=on_click, size="3", id=id_, **props)


def active_badge(active: rx.Var, **props: str) -> rx.Component:
    """Whether a center or an account is in use (green) or switched off (grey)."""
    return rx.cond(
        active,
        rx.badge(tr("admin.active"), color_scheme="green", **props),
        rx.badge(tr("admin.inactive"), color_scheme="gray", **props),
    )


def admin_table(
    headers: tuple[str, ...], rows: rx.Var, row: Callable[[rx.Var], rx.Component], id_: str
) -> rx.Component:
    """Rows under a header of catalog keys; scrolls sideways on narrow screens."""
    return header_table(headers, rows, row, variant="surface", size="2", id=id_)
