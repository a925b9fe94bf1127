"""`/admin/users`: accounts and roles — search, create, change role/center/active, reset a password.

A change of role, center or active, and a password reset, sign the person out on
every device (services.admin), so a removed officer cannot keep working in an
open tab.
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from onestop.i18n import t
from onestop.read import admin as admin_read
from onestop.read import choices
from onestop.read.admin import UserRow
from onestop.read.choices import Choice
from onestop.services import admin
from onestop.services.actor import Actor
from onestop.ui.admin.nav import admin_tab
from onestop.ui.components.admin_table import (
    AdminPageMixin,
    active_badge,
    admin_table,
    confirmation,
    edit_button,
    edit_dialog,
    new_button,
    refusal,
)
from onestop.ui.components.form_field import (
    CONTROL_STYLE,
    catalog_options,
    check_field,
    choice_field,
    input_field,
    search_box,
    select_field,
)
from onestop.ui.components.styles import COLUMN, LINE, centred
from onestop.ui.i18n import tr, tr_choice
from onestop.ui.offload import db_read

ROLES = tuple(str(r) for r in admin.ASSIGNABLE_ROLES)


def _user_lists(db: Session, actor: Actor, query: str, role: str) -> tuple[list[UserRow], list[Choice]]:
    return admin_read.list_users(db, actor, query=query, role=role), choices.center_choices(db, actor)


def _save_user(db: Session, actor: Actor, user_id: int, data: dict[str, str]) -> None:
    """Create, or update (and reset the password when one is given) in one transaction."""
    if user_id:
        admin.update_user(db, actor, user_id, data)
        if data.get("password"):
            admin.reset_password(db, actor, user_id, data["password"])
    else:
        admin.create_user(db, actor, data)


class AdminUsersState(AdminPageMixin, rx.State):
    rows: list[UserRow] = []
    centers: list[Choice] = []
    query: str = ""
    role: str = ""
    editing: bool = False
    user: UserRow = UserRow()

    def _forget(self) -> None:
        self.rows = []

    async def _read(self, actor: Actor) -> None:
        self.rows, self.centers = await db_read(_user_lists, actor, self.query, self.role)

    @rx.event
    async def load(self):  # noqa: ANN201
        self.editing, self.done_vi, self.done_en = False, "", ""
        return await self._reload()

    @rx.event
    async def search(self, form: dict):  # noqa: ANN201
        self.query = str(form.get("query", ""))[:100]
        self.role = str(form.get("role", "")) if form.get("role") in ROLES else ""
        return await self._reload()

    @rx.var
    def user_is_staff(self) -> bool:
        """Only staff accounts can be made to sign in with VNeID (the dialog shows the option for them)."""
        return self.user.role in admin.VNEID_STAFF_ROLES

    @rx.event
    def edit(self, user_id: int) -> None:
        self.user = next((u for u in self.rows if u.id == user_id), UserRow(role="receiver"))
        self.error_vi = self.error_en = ""
        self.editing = True

    @rx.event
    def close(self, is_open: bool = False) -> None:
        self.editing = is_open

    @rx.event
    async def save(self, form: dict):  # noqa: ANN201
        data = {k: str(v) for k, v in form.items()}
        done, _, redirect = await self._change(_save_user, self.user.id, data)
        if not done:
            return redirect
        self.editing = False
        name = data.get("full_name", "")
        self.done_vi, self.done_en = t("admin.user_saved", "vi", name=name), t("admin.user_saved", "en", name=name)
        await self._reload()
        return None


def _dialog() -> rx.Component:
    u = AdminUsersState.user
    new = u.id == 0
    return edit_dialog(
        rx.cond(new, tr("admin.new_user"), tr("admin.edit_user")),
        input_field("officer.full_name", "full_name", "u-name", value=u.full_name, required=True),
        rx.cond(
            new,
            rx.grid(
                input_field("officer.phone", "phone", "u-phone", type_="tel", required=True),
                input_field("officer.id_number", "national_id", "u-nid", inputmode="numeric"),
                columns="2",
                **COLUMN,
            ),
        ),
        rx.grid(
            select_field("admin.role", "role", "u-role", catalog_options("role.", ROLES), value=u.role, required=True),
            choice_field(
                "admin.center",
                AdminUsersState.centers,
                "center_id",
                "u-center",
                "admin.no_center",
                value=u.center_id,
                hint_key="admin.center_hint",
            ),
            columns="2",
            **COLUMN,
        ),
        input_field("admin.title_field", "title", "u-title", value=u.title),
        input_field(
            "admin.password",
            "password",
            "u-password",
            type_="password",
            auto_complete="new-password",
            hint_key="admin.password_hint",
        ),
        rx.cond(~new, check_field("admin.active", "active", "u-active", checked=u.active)),
        rx.cond(
            ~new & AdminUsersState.user_is_staff,
            check_field("admin.require_vneid", "require_vneid", "u-vneid", checked=u.require_vneid),
        ),
        on_submit=AdminUsersState.save,
        key=u.id.to_string() + u.phone,
        open_=AdminUsersState.editing,
        on_open_change=AdminUsersState.close,
        error=refusal(AdminUsersState, "user-error"),
        save_id="user-save",
    )


def _table() -> rx.Component:
    def row(u: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(
                rx.vstack(
                    rx.text(u.full_name, weight="bold"), rx.text(u.title, size="2", color_scheme="gray"), spacing="0"
                )
            ),
            rx.table.cell(rx.text(u.phone, font_family="ui-monospace, monospace")),
            rx.table.cell(tr_choice("role.", ROLES, u.role)),
            rx.table.cell(rx.cond(u.center != "", u.center, tr("dashboard.province"))),
            rx.table.cell(active_badge(u.active)),
            rx.table.cell(edit_button(AdminUsersState.edit(u.id), "edit-user-" + u.phone)),
            align="center",
        )

    headers = ("officer.full_name", "officer.phone", "admin.role", "admin.center", "admin.status", "admin.actions")
    return admin_table(headers, AdminUsersState.rows, row, "users-table")


def admin_users_page() -> rx.Component:
    return admin_tab(
        "users",
        rx.hstack(
            rx.form(
                rx.hstack(
                    search_box("users-search", "admin.user_search", "admin.user_search", width="320px"),
                    rx.el.select(
                        rx.el.option(tr("admin.staff_roles"), value=""),
                        *(rx.el.option(tr(f"role.{r}"), value=r) for r in ROLES),
                        name="role",
                        aria_label=tr("admin.role"),
                        **{**CONTROL_STYLE, "width": "220px"},
                    ),
                    rx.button(rx.icon("search", size=18), tr("common.search"), type="submit", size="3"),
                    **centred("2"),
                    wrap="wrap",
                ),
                on_submit=AdminUsersState.search,
            ),
            rx.spacer(),
            new_button("user-plus", "admin.new_user", AdminUsersState.edit(0), "add-user"),
            **LINE,
            wrap="wrap",
            margin_bottom="12px",
        ),
        confirmation(AdminUsersState, "user-done"),
        _table(),
        _dialog(),
        wide=True,
    )
