"""`/admin/procedures`: the catalog; editing a procedure publishes a new version.

Why the page says "new version" on its save button: open dossiers keep the
version in force when they were received (deadline, fee, form), so an edit is
never a correction of the past; the table shows how many open dossiers still
run on an earlier version.
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from onestop.domain.errors import DomainError
from onestop.i18n import t
from onestop.read import admin as admin_read
from onestop.read.admin import ProcedureForm, ProcedureRow
from onestop.services import admin
from onestop.services.actor import Actor
from onestop.ui.admin.nav import admin_tab
from onestop.ui.components.admin_table import (
    AdminPageMixin,
    admin_table,
    confirmation,
    edit_button,
    edit_dialog,
    refusal,
)
from onestop.ui.components.form_field import (
    CONTROL_STYLE,
    area_field,
    catalog_options,
    field_label,
    input_field,
    select_field,
)
from onestop.ui.components.refusal import gated
from onestop.ui.components.styles import quiet
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import db_read
from onestop.ui.routes import ADMIN

UNITS = admin.DURATION_UNITS


def _publish(db: Session, actor: Actor, code: str, data: dict[str, str]) -> tuple[str, int, list[ProcedureRow]]:
    """Publish the new version; (its code, its version, the refreshed catalog)."""
    new = admin.edit_procedure(db, actor, code, data)
    return new.code, new.version, admin_read.list_procedures(db, actor)


class AdminProceduresState(AdminPageMixin, rx.State):
    rows: list[ProcedureRow] = []
    editing: bool = False
    form: ProcedureForm = ProcedureForm()

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await self._admin()
        self.editing, self.error_vi, self.error_en, self.done_vi, self.done_en = False, "", "", "", ""
        if actor is None:
            self.rows = []
            return redirect
        self.rows = await db_read(admin_read.list_procedures, actor)
        return None

    @gated(ADMIN)
    async def edit(self, actor: Actor, code: str):  # noqa: ANN201
        self.done_vi = self.done_en = ""
        try:
            self.form = await db_read(admin_read.procedure_form, actor, code)
        except DomainError as err:
            self._refuse(err)
            return None
        self.editing = True
        return None

    @rx.event
    def close(self, is_open: bool = False) -> None:
        self.editing = is_open

    @rx.event
    async def save(self, form: dict):  # noqa: ANN201
        done, result, redirect = await self._change(_publish, self.form.code, {k: str(v) for k, v in form.items()})
        if not done:
            return redirect
        code, version, self.rows = result
        self.editing = False
        self.done_vi = t("admin.procedure_published", "vi", code=code, version=version)
        self.done_en = t("admin.procedure_published", "en", code=code, version=version)
        return None


def _unit_select(name: str, value: rx.Var, id_: str, *, optional: bool = False) -> rx.Component:
    first = [rx.el.option(tr("admin.same_as_counter"), value="")] if optional else []
    return rx.el.select(
        *first,
        *(rx.el.option(tr(f"unit.{u}"), value=u) for u in UNITS),
        name=name,
        id=id_,
        default_value=value,
        **CONTROL_STYLE,
    )


def _edit_dialog() -> rx.Component:
    f = AdminProceduresState.form
    two = {"columns": {"initial": "1", "sm": "2"}, "spacing": "3", "width": "100%"}
    return edit_dialog(
        (tr("admin.edit_procedure"), " ", f.code, " (v", f.version, ")"),
        rx.grid(
            input_field("admin.name_vi", "name_vi", "p-name-vi", value=f.name_vi, required=True),
            input_field("admin.name_en", "name_en", "p-name-en", value=f.name_en, required=True),
            input_field(
                "admin.duration",
                "duration_value",
                "p-duration",
                type_="number",
                value=f.duration_value,
                min="0",
                required=True,
            ),
            field_label("admin.unit", _unit_select("duration_unit", f.duration_unit, "p-unit"), html_for="p-unit"),
            input_field(
                "admin.duration_online", "online_value", "p-online", type_="number", value=f.online_value, min="0"
            ),
            field_label(
                "admin.unit",
                _unit_select("online_unit", f.online_unit, "p-online-unit", optional=True),
                html_for="p-online-unit",
            ),
            select_field(
                "admin.fee_basis",
                "fee_basis",
                "p-fee-basis",
                catalog_options("admin.fee_basis.", ("per_dossier", "per_copy", "per_page")),
                value=f.fee_basis,
                required=True,
            ),
            input_field(
                "admin.fee_unit_amount",
                "fee_amount",
                "p-fee",
                type_="number",
                value=f.fee_amount,
                min="0",
                required=True,
            ),
            input_field(
                "admin.fee_online",
                "fee_online_amount",
                "p-fee-online",
                type_="number",
                value=f.fee_online_amount,
                min="0",
                hint_key="admin.fee_online_hint",
            ),
            input_field(
                "admin.fee_online_percent",
                "fee_online_percent",
                "p-fee-pct",
                type_="number",
                min="0",
                max="100",
                value=f.fee_online_percent,
            ),
            input_field("admin.fee_cap", "fee_cap", "p-fee-cap", type_="number", min="0", value=f.fee_cap),
            **two,
        ),
        area_field(
            "admin.fee_tiers", "fee_tiers", "p-fee-tiers", rows=2, value=f.fee_tiers, hint_key="admin.fee_tiers_hint"
        ),
        area_field(
            "admin.fee_exemptions",
            "fee_exemptions",
            "p-fee-exemptions",
            rows=3,
            value=f.fee_exemptions,
            hint_key="admin.fee_exemptions_hint",
        ),
        rx.text(
            tr("fees.breakdown"),
            ": ",
            bi(f.fee_summary_vi, f.fee_summary_en),
            **quiet("2"),
            id="p-fee-summary",
        ),
        area_field(
            "admin.fee_text", "fee_text", "p-fee-text", rows=2, value=f.fee_text, hint_key="admin.fee_text_hint"
        ),
        rx.grid(
            input_field("admin.result_name", "result_name_vi", "p-result", value=f.result_name_vi),
            select_field(
                "admin.resume_mode",
                "supplement_resume_mode",
                "p-resume",
                catalog_options("admin.resume.", ("restart", "extend")),
                value=f.supplement_resume_mode,
            ),
            **two,
        ),
        area_field("admin.legal_basis", "legal_basis", "p-legal", rows=2, value=f.legal_basis),
        input_field("catalog.agency", "agency", "p-agency", value=f.agency),
        area_field(
            "catalog.other_names",
            "other_names",
            "p-other-names",
            rows=3,
            value=f.other_names,
            hint_key="catalog.other_names_hint",
        ),
        area_field(
            "admin.form_schema",
            "form_schema",
            "p-schema",
            rows=10,
            value=f.form_schema,
            hint_key="admin.form_schema_hint",
            font_family="ui-monospace, monospace",
            font_size="13px",
        ),
        rx.text(tr("admin.versions"), ": ", f.versions.join(" · "), size="2", color_scheme="gray"),
        on_submit=AdminProceduresState.save,
        key=f.code + f.version.to_string(),
        open_=AdminProceduresState.editing,
        on_open_change=AdminProceduresState.close,
        error=refusal(AdminProceduresState, "procedure-error"),
        save_id="procedure-save",
        save_key="admin.publish_version",
        max_width="820px",
        description=rx.dialog.description(tr("admin.new_version_hint"), size="2", color_scheme="gray"),
    )


def _table() -> rx.Component:
    def row(r: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(r.code, font_family="ui-monospace, monospace", white_space="nowrap")),
            rx.table.cell(
                rx.vstack(
                    rx.text(bi(r.name), weight="medium"),
                    rx.text(bi(r.field), size="2", color_scheme="gray"),
                    spacing="0",
                )
            ),
            rx.table.cell(rx.badge("v", r.version, size="2")),
            rx.table.cell(bi(r.duration)),
            rx.table.cell(bi(r.fee)),
            rx.table.cell(
                rx.cond(r.open_on_older > 0, rx.text(r.open_on_older, " ", tr("admin.open_on_older"), size="2"), "—")
            ),
            rx.table.cell(
                rx.hstack(
                    edit_button(AdminProceduresState.edit(r.code), "edit-" + r.code.replace(".", "-")),
                    rx.link(
                        rx.button(rx.icon("list-plus", size=16), tr("admin.form_builder"), size="2", variant="soft"),
                        href="/admin/form-builder?code=" + r.code,
                    ),  # catalog area: form builder
                    spacing="2",
                )
            ),
            align="center",
        )

    headers = (
        "procedures.code",
        "dossier.procedure",
        "admin.version",
        "procedures.duration",
        "procedures.fee",
        "admin.older_versions",
        "admin.actions",
    )
    return admin_table(headers, AdminProceduresState.rows, row, "procedures-table")


def admin_procedures_page() -> rx.Component:
    return admin_tab(
        "procedures",
        rx.link(
            rx.button(rx.icon("plus", size=18), tr("admin.new_procedure"), size="3", variant="soft"),
            href="/admin/form-builder",
            id="new-procedure",
            margin_bottom="12px",
        ),  # catalog area
        confirmation(AdminProceduresState, "procedure-done"),
        _table(),
        _edit_dialog(),
        wide=True,
    )
