"""`/admin`: the whole system at a glance — centers, users, procedures and dossiers by status."""

from __future__ import annotations

import reflex as rx

from onestop.read import admin as admin_read
from onestop.read.admin import AdminOverview
from onestop.ui.admin.nav import admin_section
from onestop.ui.components.styles import full, spaced
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import db_read
from onestop.ui.routes import ADMIN
from onestop.ui.session import gate
from onestop.ui.widgets import card_grid, section, stat_card


class AdminState(rx.State):
    overview: AdminOverview = AdminOverview()

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, ADMIN)
        if actor is None:
            self.overview = AdminOverview()
            return redirect
        self.overview = await db_read(admin_read.admin_overview, actor)
        return None


def _count_table(rows: rx.Var, label_key: str, id_: str) -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(tr(label_key)),
                rx.table.column_header_cell(tr("admin.count"), text_align="right"),
            )
        ),
        rx.table.body(
            rx.foreach(
                rows,
                lambda r: rx.table.row(
                    rx.table.cell(bi(r.label)),
                    rx.table.cell(rx.text(r.count, weight="bold"), text_align="right"),
                ),
            )
        ),
        variant="surface",
        **full("3"),
        id=id_,
    )


def admin_page() -> rx.Component:
    o = AdminState.overview
    return admin_section(
        tr("admin.title"),
        tr("dashboard.province"),
        card_grid(
            stat_card(tr("admin.centers"), o.centers, "building-2", "blue"),
            stat_card(tr("admin.users"), o.users, "users", "violet"),
            stat_card(tr("admin.procedures"), o.procedures, "list-checks", "teal"),
            stat_card(tr("admin.dossiers"), o.dossiers, "folders", "orange"),
            columns={"initial": "1", "sm": "2", "lg": "4"},
        ),
        rx.grid(
            section(
                tr("admin.dossiers_by_status"), _count_table(o.dossiers_by_status, "dossier.status", "admin-by-status")
            ),
            section(tr("admin.users_by_role"), _count_table(o.users_by_role, "admin.role", "admin-by-role")),
            columns={"initial": "1", "md": "2"},
            **spaced("5"),
        ),
        wide=True,  # the admin sections share one frame width
    )
