"""`/admin/catalog-import`: upload a province's procedure list, see what it would change, then apply it.

Why preview first: a 2,000-row file can add, re-version and retire many procedures at once;
the administrator sees exactly the plan the apply will carry out (same code as the CLI's dry
run), with every refused row named by its row number and column in their language. The
apply is one transaction, audited, and refused while the file has row errors. The uploaded
file is kept under the data directory by its hash between preview and apply, so the state
holds only its name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import reflex as rx

from onestop.domain.catalog_sheet import ImportPlan
from onestop.domain.errors import DomainError
from onestop.services.actor import Actor
from onestop.settings import get_settings
from onestop.ui.admin.nav import admin_section
from onestop.ui.components.drop_zone import drop_zone
from onestop.ui.components.form_field import message
from onestop.ui.components.table import header_table
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import off_loop
from onestop.ui.routes import ADMIN
from onestop.ui.session import gate
from onestop.ui.theme import TAP

UPLOAD_ID = "catalog-file"
MAX_BYTES = 20 * 1024 * 1024
SHOWN = 300  # rows listed per kind (the summary counts them all)


def _stash_dir() -> Path:
    path = get_settings().data_dir / "catalog-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _preview(path: str, name: str, retire: bool) -> ImportPlan:
    from onestop.db import new_session
    from onestop.services import catalog_import

    with new_session() as session:
        return catalog_import.preview_import(session, Path(path).read_bytes(), name, retire_missing=retire)


def _apply(actor: Actor, path: str, name: str, retire: bool) -> ImportPlan:
    from onestop.db import transaction
    from onestop.services import catalog_import

    with transaction() as session:
        return catalog_import.apply_import(session, actor, Path(path).read_bytes(), name, retire_missing=retire)


class CatalogImportState(rx.State):
    filename: str = ""
    _path: str = ""
    retire: bool = True
    summary_vi: str = ""
    summary_en: str = ""
    applied: bool = False
    can_apply: bool = False
    added: list[dict[str, str]] = []
    changed: list[dict[str, str]] = []
    retired: list[dict[str, str]] = []
    errors: list[dict[str, str]] = []
    error_vi: str = ""
    error_en: str = ""
    busy: bool = False

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, ADMIN)
        self._reset()
        self.filename, self._path = "", ""
        return redirect if actor is None else None

    def _reset(self) -> None:
        self.summary_vi = self.summary_en = self.error_vi = self.error_en = ""
        self.added, self.changed, self.retired, self.errors = [], [], [], []
        self.applied = self.can_apply = False

    def _show(self, plan: ImportPlan) -> None:
        self.summary_vi = plan.summary("vi") + f" — {plan.seconds:.1f} s"
        self.summary_en = plan.summary("en") + f" — {plan.seconds:.1f} s"
        self.added = [{"code": c.code, "name": c.name_vi, "row": str(c.row or "")} for c in plan.added[:SHOWN]]
        self.changed = [
            {"code": c.code, "name": c.name_vi, "row": str(c.row or ""), "fields": ", ".join(c.fields)}
            for c in plan.changed[:SHOWN]
        ]
        self.retired = [{"code": c.code, "name": c.name_vi, "row": ""} for c in plan.retired[:SHOWN]]
        self.errors = [
            {"row": str(e.row), "col_vi": e.column_label("vi"), "col_en": e.column_label("en"), "vi": e.vi,
             "en": e.en}
            for e in plan.errors[: SHOWN * 2]
        ]  # fmt: skip
        self.can_apply = not plan.applied and not plan.errors and plan.has_changes

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):  # noqa: ANN201
        actor, redirect = await gate(self, ADMIN)
        if actor is None:
            return redirect
        self._reset()
        for file in files[:1]:
            data = await file.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                self.error_vi, self.error_en = "Tệp quá lớn (tối đa 20 MB).", "The file is too large (20 MB at most)."
                return None
            name = Path(file.name or "catalog.xlsx").name[-120:]
            suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".xlsx", ".csv") else ".bin"
            path = _stash_dir() / (hashlib.sha256(data).hexdigest() + suffix)
            await off_loop(path.write_bytes, data)
            self.filename, self._path = name, str(path)
        return CatalogImportState.preview

    @rx.event
    async def set_retire(self, value: bool):  # noqa: ANN201
        self.retire = bool(value)
        if self._path:
            return CatalogImportState.preview
        return None

    @rx.event
    async def preview(self):  # noqa: ANN201
        actor, redirect = await gate(self, ADMIN)
        if actor is None or not self._path:
            yield redirect
            return
        self._reset()
        self.busy = True
        yield
        try:
            self._show(await off_loop(_preview, self._path, self.filename, self.retire))
        except DomainError as err:
            self.error_vi, self.error_en = err.vi, err.en
        finally:
            self.busy = False

    @rx.event
    async def apply(self):  # noqa: ANN201
        actor, redirect = await gate(self, ADMIN)
        if actor is None or not self._path or not self.can_apply:
            yield redirect
            return
        self.busy = True
        self.can_apply = False
        yield
        try:
            plan = await off_loop(_apply, actor, self._path, self.filename, self.retire)
            self._show(plan)
            self.applied = True
        except DomainError as err:
            self.error_vi, self.error_en = err.vi, err.en
        finally:
            self.busy = False


#: The import reports scroll inside a fixed height: a sheet can hold hundreds of rows.
_SCROLL_BOX = {"max_height": "420px", "overflow": "auto", "width": "100%"}


def _list(title_key: str, rows: rx.Var, colour: str, id_: str, extra: str = "") -> rx.Component:
    def row(r: rx.Var) -> rx.Component:
        cells = [rx.table.cell(r["row"].to(str)), rx.table.cell(r["code"].to(str)), rx.table.cell(r["name"].to(str))]
        if extra:
            cells.append(rx.table.cell(r[extra].to(str)))
        return rx.table.row(*cells)

    heads = ["catalog.import.row", "catalog.import.code", "catalog.import.name"] + (
        ["catalog.import.fields"] if extra else []
    )
    return rx.cond(
        rows.length() > 0,  # type: ignore[attr-defined]
        rx.vstack(
            rx.heading(tr(title_key), " (", rows.length().to_string(), ")", as_="h2", size="5",  # type: ignore[attr-defined]
                       color=f"var(--{colour}-11)"),
            header_table(heads, rows, row, variant="surface", size="1", box=_SCROLL_BOX),
            id=id_, width="100%", spacing="2",
        ),
    )  # fmt: skip


def _errors() -> rx.Component:
    def row(e: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(e["row"].to(str)),
            rx.table.cell(bi(e["col_vi"].to(str), e["col_en"].to(str))),
            rx.table.cell(bi(e["vi"].to(str), e["en"].to(str))),
        )

    return rx.cond(
        CatalogImportState.errors.length() > 0,
        rx.vstack(
            rx.heading(tr("catalog.import.errors"), as_="h2", size="5", color="var(--red-11)"),
            header_table(("catalog.import.row", "catalog.import.column", "catalog.import.problem"),
                         CatalogImportState.errors, row, variant="surface", size="1", box=_SCROLL_BOX),
            id="import-errors", width="100%", spacing="2",
        ),
    )  # fmt: skip


def catalog_import_page() -> rx.Component:
    return admin_section(
        tr("catalog.import.title"), tr("catalog.import.subtitle"),
        rx.vstack(
            drop_zone(UPLOAD_ID, CatalogImportState.handle_upload, "file-spreadsheet", "catalog.import.drop",
                      rx.cond(CatalogImportState.filename != "",
                              rx.text(CatalogImportState.filename, weight="bold", size="3")),
                      max_size=MAX_BYTES,
                      accept={"text/csv": [".csv"],
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"]}),
            rx.checkbox(tr("catalog.import.retire_missing"), checked=CatalogImportState.retire,
                        on_change=CatalogImportState.set_retire, size="3", id="import-retire"),
            rx.cond(CatalogImportState.busy, rx.hstack(rx.spinner(), rx.text(tr("catalog.import.working")))),
            rx.cond(CatalogImportState.error_vi != "",
                    message(CatalogImportState.error_vi, CatalogImportState.error_en, id_="import-error")),
            rx.cond(CatalogImportState.summary_vi != "",
                    rx.cond(CatalogImportState.applied,
                            message(CatalogImportState.summary_vi, CatalogImportState.summary_en, colour="green",
                                    icon="circle-check", id_="import-summary"),
                            message(CatalogImportState.summary_vi, CatalogImportState.summary_en, colour="blue",
                                    icon="info", id_="import-summary"))),
            rx.cond(CatalogImportState.applied, rx.text(tr("catalog.import.applied"), weight="bold", color="var(--green-11)")),
            rx.cond(CatalogImportState.can_apply,
                    rx.button(rx.icon("check", size=20), tr("catalog.import.apply"), on_click=CatalogImportState.apply,
                              size="3", min_height=TAP, id="import-apply", loading=CatalogImportState.busy)),
            _errors(),
            _list("catalog.import.added", CatalogImportState.added, "green", "import-added"),
            _list("catalog.import.changed", CatalogImportState.changed, "blue", "import-changed", extra="fields"),
            _list("catalog.import.retired", CatalogImportState.retired, "amber", "import-retired"),
            spacing="4", width="100%", align="start",
        ),
        wide=True,
    )  # fmt: skip
