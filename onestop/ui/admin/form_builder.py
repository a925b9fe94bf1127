"""`/admin/form-builder?code=…`: build a procedure's e-form and document list without JSON, with a live preview.

Why the preview uses the citizen page's own field renderer (`ui.citizen.apply._field`) fed with
the same `FieldInfo` shapes: what the administrator sees is what a citizen will get. Each edit
rebuilds the schema through `domain.form_builder.build_schema`, judged by `FormSchema` like every
channel, so a form that cannot be rendered shows its bilingual error at once and cannot be saved.
Saving publishes a new version (`services.catalog_admin.save_form`); retiring withdraws the procedure.
"""

from __future__ import annotations

from dataclasses import asdict

import reflex as rx
from reflex_base.event import EventSpec

from onestop.domain.errors import DomainError
from onestop.domain.form_builder import (
    BOX_VALUES,
    BuilderError,
    DocumentRow,
    FieldRow,
    build_schema,
    condition_choices,
    renumber_conditions,
    rows_from_schema,
)
from onestop.domain.forms import AUTOFILL_SOURCES, FIELD_TYPES, SECTIONS, FormSchema, Option
from onestop.i18n import t
from onestop.read.filing_forms import FieldInfo, field_info
from onestop.services.actor import Actor
from onestop.ui.admin.nav import admin_section
from onestop.ui.citizen.apply import _field as citizen_field
from onestop.ui.components.form_field import CONTROL_STYLE, message
from onestop.ui.components.styles import spaced
from onestop.ui.i18n import bi, tr
from onestop.ui.offload import off_loop
from onestop.ui.routes import ADMIN
from onestop.ui.session import gate
from onestop.ui.theme import TAP

_FIELD_KEYS = (
    "label_vi",
    "label_en",
    "type",
    "required",
    "options",
    "autofill",
    "registry_authoritative",
    "section",
    "name",
    "show_if_row",
    "show_if_values",
)
_DOC_KEYS = ("name_vi", "name_en", "required", "state_held", "code")


def _as_text(row: object) -> dict[str, str]:
    return {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in asdict(row).items()}  # type: ignore[call-overload]


def _field_row(d: dict[str, str]) -> FieldRow:
    row = {
        k: (d.get(k) == "true") if k in ("required", "registry_authoritative") else d.get(k, "") for k in _FIELD_KEYS
    }
    row["show_if_row"] = int(d["show_if_row"]) if str(d.get("show_if_row", "")).isdigit() else 0
    return FieldRow(**row)  # type: ignore[arg-type]


def _doc_row(d: dict[str, str]) -> DocumentRow:
    return DocumentRow(
        **{k: (d.get(k) == "true") if k in ("required", "state_held") else d.get(k, "") for k in _DOC_KEYS}
    )


def _load(code: str) -> tuple[str, str, dict]:
    from onestop.db import new_session
    from onestop.read.procedure import form_source

    with new_session() as session:
        return form_source(session, code)


def _save(actor: Actor, code: str, fields: list[FieldRow], docs: list[DocumentRow]) -> int:
    from onestop.db import transaction
    from onestop.services import catalog_admin

    with transaction() as session:
        return catalog_admin.save_form(session, actor, code, fields, docs).version


def _field_choices() -> list[dict[str, str]]:
    from onestop.db import new_session
    from onestop.read.choices import field_choices

    with new_session() as session:
        return [{"code": c.value, "vi": c.label_vi, "en": c.label_en} for c in field_choices(session)]


def _add(actor: Actor, data: dict, fields: list[FieldRow], docs: list[DocumentRow]) -> str:
    from onestop.db import transaction
    from onestop.services import catalog_admin

    with transaction() as session:
        return catalog_admin.add_procedure(session, actor, data, fields, docs).code


#: The rows a new procedure starts with: the applicant from the population registry, the request, the declaration.
_STARTER = (
    FieldRow(
        "Họ và tên người yêu cầu",
        "Applicant's full name",
        "text",
        autofill="resident.full_name",
        registry_authoritative=True,
        section="applicant",
        name="full_name",
    ),
    FieldRow(
        "Số định danh cá nhân",
        "Personal ID number",
        "national_id",
        autofill="resident.national_id",
        registry_authoritative=True,
        section="applicant",
        name="national_id",
    ),
    FieldRow(
        "Số điện thoại liên hệ", "Contact phone", "phone", autofill="resident.phone", section="applicant", name="phone"
    ),
    FieldRow("Nội dung yêu cầu", "What you request", "textarea", name="request_details"),
    FieldRow(
        "Tôi cam đoan nội dung khai trên là đúng sự thật",
        "I declare that the information above is true",
        "checkbox",
        name="declaration",
    ),
)


def _retire(actor: Actor, code: str) -> None:
    from onestop.db import transaction
    from onestop.services import catalog_admin

    with transaction() as session:
        catalog_admin.retire_procedure(session, actor, code)


def _condition_note(form: FormSchema, name: str) -> dict[str, str]:
    """The preview's words for a field's condition, with the labels the citizen sees."""
    spec = form.field(name)
    ctl = form.field(spec.show_if.field) if spec is not None and spec.show_if is not None else None
    if spec is None or spec.show_if is None or ctl is None:
        return {"vi": "", "en": ""}
    labels = {o.value: o for o in ctl.options}
    out = {}
    for lang in ("vi", "en"):
        value = " / ".join(
            _box_label(v, lang) if isinstance(v, bool) else _option_label(labels[v], lang) for v in spec.show_if.values
        )
        out[lang] = t("builder.show_if_note", lang, field=ctl.label(lang), value=value)
    return out


def _option_label(option: Option, lang: str) -> str:
    return option.label.message(lang)


def _box_label(value: bool, lang: str) -> str:
    return t("builder.show_if_ticked" if value else "builder.show_if_unticked", lang)


def _picked(row: dict[str, str]) -> list[str]:
    return [v.strip() for v in row.get("show_if_values", "").splitlines() if v.strip()]


#: What "add" appends to each list the admin edits: the row's type and its placeholder name (vi, en).
_NEW_ROWS: dict[str, tuple[type[FieldRow] | type[DocumentRow], str, str]] = {
    "fields": (FieldRow, "Trường mới", "New field"),
    "docs": (DocumentRow, "Giấy tờ mới", "New document"),
}


class FormBuilderState(rx.State):
    code: str = ""
    name_vi: str = ""
    name_en: str = ""
    fields: list[dict[str, str]] = []
    docs: list[dict[str, str]] = []
    preview: list[FieldInfo] = []
    preview_docs: list[dict[str, str]] = []
    #: Per preview field: "" or the condition in words ("Shown only when “Marital status” is “Married”").
    preview_notes: list[dict[str, str]] = []
    #: Per builder row: the choice lists above it (the condition's field picker) and the chosen one's options.
    cond_fields: list[list[dict[str, str]]] = []
    cond_values: list[list[dict[str, str]]] = []
    error_vi: str = ""
    error_en: str = ""
    done_vi: str = ""
    done_en: str = ""
    _base: dict = {}
    field_choices: list[dict[str, str]] = []

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, ADMIN)
        self.error_vi = self.error_en = self.done_vi = self.done_en = ""
        if actor is None:
            return redirect
        self.code = str(self.router.url.query_parameters.get("code", "")).strip()[:30]
        if not self.code:  # a new procedure: starter rows, no base schema
            self.name_vi = self.name_en = ""
            self._base = {}
            self.field_choices = await off_loop(_field_choices)
            self.fields = [_as_text(r) for r in _STARTER]
            self.docs = []
            self._rebuild()
            return None
        try:
            self.name_vi, self.name_en, self._base = await off_loop(_load, self.code)
        except DomainError as err:
            self.error_vi, self.error_en = err.vi, err.en
            self.fields, self.docs, self.preview, self.preview_docs = [], [], [], []
            return None
        rows, docs = rows_from_schema(self._base)
        self.fields = [_as_text(r) for r in rows]
        self.docs = [_as_text(d) for d in docs]
        self._rebuild()
        return None

    def _rebuild(self) -> None:
        """Re-judge the rows and refresh the preview (pure, no database)."""
        self.done_vi = self.done_en = ""
        rows = [_field_row(f) for f in self.fields]
        choices = condition_choices(rows)
        self.cond_fields = [[{"row": str(k), "vi": vi, "en": en} for k, vi, en in c.fields] for c in choices]
        self.cond_values = [
            [
                {
                    "value": v,
                    "vi": _box_label(BOX_VALUES[v], "vi") if c.box else vi,
                    "en": _box_label(BOX_VALUES[v], "en") if c.box else en,
                    "on": "true" if v in picked else "false",
                }
                for v, vi, en in c.values
            ]
            for c, picked in zip(choices, (_picked(f) for f in self.fields), strict=True)
        ]
        try:
            schema = build_schema(rows, [_doc_row(d) for d in self.docs], self._base)
        except BuilderError as err:
            self.error_vi, self.error_en = err.vi, err.en
            return
        self.error_vi = self.error_en = ""
        form = FormSchema.from_dict(schema)
        self.preview = [field_info(f, {}) for f in form.fields]
        self.preview_notes = [_condition_note(form, f.name) for f in form.fields]
        self.preview_docs = [
            {"vi": d.name_vi, "en": d.name_en, "required": "true" if d.required else "false"}
            for d in form.documents
            if not d.state_held
        ]

    @rx.event
    def set_field(self, i: int, key: str, value: str | bool) -> None:
        if 0 <= i < len(self.fields) and key in _FIELD_KEYS:
            rows = [dict(r) for r in self.fields]
            rows[i][key] = ("true" if value else "false") if isinstance(value, bool) else str(value)[:2000]
            if key == "show_if_row":  # another field: its values differ, so the admin picks again
                rows[i]["show_if_values"] = ""
            self.fields = rows
            self._rebuild()

    @rx.event
    def pick_condition_value(self, i: int, value: str, on: bool) -> None:
        """Tick or untick one value of row i's condition: several ticked make an `in` list."""
        if 0 <= i < len(self.fields):
            picked = [v for v in _picked(self.fields[i]) if v != value]
            if on:
                picked.append(value)
            self.set_field(i, "show_if_values", "\n".join(picked))

    @rx.event
    def set_doc(self, i: int, key: str, value: str | bool) -> None:
        if 0 <= i < len(self.docs) and key in _DOC_KEYS:
            rows = [dict(r) for r in self.docs]
            rows[i][key] = ("true" if value else "false") if isinstance(value, bool) else str(value)[:300]
            self.docs = rows
            self._rebuild()

    @rx.event
    def add_row(self, rows: str) -> None:
        """A new row at the end of `rows` ("fields" or "docs"), numbered so the admin can tell them apart."""
        if rows not in _NEW_ROWS:
            return
        make, vi, en = _NEW_ROWS[rows]
        n = len(getattr(self, rows)) + 1
        setattr(self, rows, [*getattr(self, rows), _as_text(make(f"{vi} {n}", f"{en} {n}"))])
        self._rebuild()

    @rx.event
    def remove_field(self, i: int) -> None:
        self.fields = [_as_text(r) for r in renumber_conditions([_field_row(f) for f in self.fields], i + 1)]
        self._rebuild()

    @rx.event
    def remove_doc(self, i: int) -> None:
        self.docs = [r for j, r in enumerate(self.docs) if j != i]
        self._rebuild()

    async def _editor(self) -> tuple[Actor | None, EventSpec | None]:
        """The admin saving, or (None, what to answer): the sign-in redirect, or nothing while the form shows an error
        (the rows are not saved until the admin fixes it)."""
        actor, redirect = await gate(self, ADMIN)
        if actor is None or self.error_vi:
            return None, redirect
        return actor, None

    @rx.event
    async def save(self):  # noqa: ANN201
        actor, stop = await self._editor()
        if actor is None:
            return stop
        try:
            version = await off_loop(
                _save, actor, self.code, [_field_row(f) for f in self.fields], [_doc_row(d) for d in self.docs]
            )
        except DomainError as err:
            self.error_vi, self.error_en = err.vi, err.en
            return None
        self.name_vi, self.name_en, self._base = await off_loop(_load, self.code)
        self.done_vi = f"Đã lưu biểu mẫu: phiên bản {version}. Hồ sơ đang xử lý vẫn theo phiên bản cũ."
        self.done_en = f"Form saved as version {version}. Dossiers in progress keep their version."
        return None

    @rx.event
    async def create(self, form: dict):  # noqa: ANN201
        """Add the new procedure with the rows built so far (version 1), then keep editing it."""
        actor, stop = await self._editor()
        if actor is None:
            return stop
        try:
            value = int(str(form.get("duration_value") or "0").strip() or 0)
            fee = int(str(form.get("fee_amount") or "0").replace(".", "").strip() or 0)
        except ValueError:
            self.error_vi, self.error_en = "Thời hạn và lệ phí phải là số.", "Processing time and fee must be numbers."
            return None
        unit = str(form.get("duration_unit") or "working_days")
        data = {
            "code": str(form.get("code") or "").strip(),
            "name_vi": form.get("name_vi"),
            "name_en": form.get("name_en"),
            "field": form.get("field"),
            "level": form.get("level") or "commune",
            "duration_counter": {"value": 0 if unit == "same_day" else value, "unit": unit},
            "fee_amount": fee,
            "fee_text": form.get("fee_text") or "",
            "agency": form.get("agency") or "",
        }
        try:
            code = await off_loop(
                _add, actor, data, [_field_row(f) for f in self.fields], [_doc_row(d) for d in self.docs]
            )
        except DomainError as err:
            self.error_vi, self.error_en = err.vi, err.en
            return None
        return rx.redirect(f"/admin/form-builder?code={code}")

    @rx.event
    async def retire(self):  # noqa: ANN201
        actor, redirect = await gate(self, ADMIN)
        if actor is None:
            return redirect
        try:
            await off_loop(_retire, actor, self.code)
        except DomainError as err:
            self.error_vi, self.error_en = err.vi, err.en
            return None
        return rx.redirect("/admin/procedures")


def _select(value: rx.Var, choices: tuple[str, ...], on_change, id_: rx.Var, label_key: str) -> rx.Component:  # noqa: ANN001
    return rx.el.select(
        *(rx.el.option(c or "—", value=c) for c in choices),
        value=value,
        on_change=on_change,
        id=id_,
        aria_label=tr(label_key),
        **{**CONTROL_STYLE, "width": "auto"},
    )


def _row_box(setter: rx.EventHandler, row: rx.Var, i: rx.Var, key: str, placeholder_key: str) -> rx.Component:
    """A text box editing `key` of row i (of the fields or the documents, by `setter`); its placeholder names it."""
    return rx.el.input(
        value=row[key].to(str),
        on_change=lambda v: setter(i, key, v),
        placeholder=tr(placeholder_key),
        aria_label=tr(placeholder_key),
        **CONTROL_STYLE,
    )


def _field_editor(row: rx.Var, i: rx.Var) -> rx.Component:
    def box(key: str, placeholder_key: str) -> rx.Component:
        return _row_box(FormBuilderState.set_field, row, i, key, placeholder_key)

    def tick(key: str, label_key: str) -> rx.Component:
        return rx.checkbox(
            tr(label_key),
            checked=row[key].to(str) == "true",
            on_change=lambda v: FormBuilderState.set_field(i, key, v),
            size="2",
        )

    return rx.card(
        rx.vstack(
            rx.hstack(rx.text(tr("builder.field"), " ", (i + 1).to_string(), weight="bold"), rx.spacer(),
                      rx.button(rx.icon("trash-2", size=16), tr("builder.remove"), variant="soft", color_scheme="red",
                                size="2", on_click=FormBuilderState.remove_field(i)), width="100%", align="center"),
            rx.grid(box("label_vi", "builder.label_vi"), box("label_en", "builder.label_en"),
                    columns={"initial": "1", "md": "2"}, gap="8px", width="100%"),
            rx.flex(
                _select(row["type"].to(str), FIELD_TYPES, lambda v: FormBuilderState.set_field(i, "type", v),
                        "b-type-" + i.to_string(), "builder.type"),
                _select(row["section"].to(str), SECTIONS, lambda v: FormBuilderState.set_field(i, "section", v),
                        "b-section-" + i.to_string(), "builder.section"),
                _select(row["autofill"].to(str), ("", *AUTOFILL_SOURCES),
                        lambda v: FormBuilderState.set_field(i, "autofill", v), "b-autofill-" + i.to_string(),
                        "builder.autofill"),
                tick("required", "builder.required"), tick("registry_authoritative", "builder.registry"),
                gap="10px", wrap="wrap", align="center",
            ),
            rx.cond(row["type"].to(str) == "select",
                    rx.el.textarea(value=row["options"].to(str), rows=3,
                                   on_change=lambda v: FormBuilderState.set_field(i, "options", v),
                                   placeholder=tr("builder.options"), aria_label=tr("builder.options"),
                                   **{**CONTROL_STYLE, "font_family": "inherit"})),
            _condition_editor(row, i),
            spacing="2", width="100%",
        ),
        width="100%", class_name="builder-field",
    )  # fmt: skip


def _condition_editor(row: rx.Var, i: rx.Var) -> rx.Component:
    """ "Show only when [field above] is [value, value…]": a field picker and one tick box per value
    (several ticked make an `in` list), no JSON; offered only when a choice list or yes/no box is above."""
    fields = FormBuilderState.cond_fields[i]
    values = FormBuilderState.cond_values[i]
    return rx.cond(
        (fields.length() > 0) | (row["show_if_row"].to(str) != "0"),  # a broken condition stays clearable
        rx.flex(
            rx.el.label(tr("builder.show_if"), html_for="b-showif-" + i.to_string(), font_weight="600"),
            rx.el.select(
                rx.el.option(tr("builder.show_if_always"), value="0"),
                rx.foreach(fields, lambda f: rx.el.option(
                    tr("builder.field"), " ", f["row"].to(str), ": ", bi(f["vi"].to(str), f["en"].to(str)),
                    value=f["row"].to(str))),
                value=row["show_if_row"].to(str),
                on_change=lambda v: FormBuilderState.set_field(i, "show_if_row", v),
                id="b-showif-" + i.to_string(),
                **{**CONTROL_STYLE, "width": "auto"},
            ),
            rx.cond(row["show_if_row"].to(str) != "0", rx.el.fieldset(
                rx.el.legend(tr("builder.show_if_value"), font_weight="600"),
                rx.foreach(values, lambda o: rx.box(
                    rx.checkbox(
                        bi(o["vi"].to(str), o["en"].to(str)),
                        checked=o["on"].to(str) == "true",
                        on_change=lambda on: FormBuilderState.pick_condition_value(i, o["value"].to(str), on),
                        size="2",
                    ),
                    data_value=o["value"].to(str),
                    display="inline-flex", align_items="center", min_height=TAP, margin_right="14px",
                )),
                id="b-showif-value-" + i.to_string(),
                border="none", padding="0", margin="0",
            )),
            gap="10px", wrap="wrap", align="center", class_name="builder-condition",
        ),
    )  # fmt: skip


def _doc_editor(row: rx.Var, i: rx.Var) -> rx.Component:
    def box(key: str, placeholder_key: str) -> rx.Component:
        return _row_box(FormBuilderState.set_doc, row, i, key, placeholder_key)

    return rx.card(
        rx.flex(
            box("name_vi", "builder.label_vi"), box("name_en", "builder.label_en"),
            rx.checkbox(tr("builder.required"), checked=row["required"].to(str) == "true",
                        on_change=lambda v: FormBuilderState.set_doc(i, "required", v), size="2"),
            rx.checkbox(tr("builder.state_held"), checked=row["state_held"].to(str) == "true",
                        on_change=lambda v: FormBuilderState.set_doc(i, "state_held", v), size="2"),
            rx.button(rx.icon("trash-2", size=16), tr("builder.remove"), variant="soft", color_scheme="red", size="2",
                      on_click=FormBuilderState.remove_doc(i)),
            gap="8px", wrap="wrap", align="center",
        ),
        width="100%", class_name="builder-doc",
    )  # fmt: skip


def _new_procedure() -> rx.Component:
    def box(name: str, key: str, **props) -> rx.Component:  # noqa: ANN003
        return rx.vstack(
            rx.el.label(tr(key), html_for="n-" + name, font_weight="600"),
            rx.el.input(name=name, id="n-" + name, **{**CONTROL_STYLE, **props}),
            **spaced("1"),
        )

    units = ("working_days", "calendar_days", "working_hours", "same_day")
    return rx.form(
        rx.card(rx.vstack(
            rx.heading(tr("builder.new"), as_="h2", size="5"),
            rx.grid(
                box("code", "builder.new_code", required=True, max_length=30),
                rx.vstack(rx.el.label(tr("builder.new_field"), html_for="n-field", font_weight="600"),
                          rx.el.select(rx.foreach(FormBuilderState.field_choices,
                                                  lambda f: rx.el.option(bi(f["vi"].to(str), f["en"].to(str)),
                                                                         value=f["code"].to(str))),
                                       name="field", id="n-field", **CONTROL_STYLE), spacing="1", width="100%"),
                box("name_vi", "builder.label_vi", required=True, max_length=300),
                box("name_en", "builder.label_en", required=True, max_length=300),
                rx.hstack(box("duration_value", "builder.new_duration", input_mode="numeric", default_value="3"),
                          rx.el.select(*(rx.el.option(tr(f"builder.unit.{u}"), value=u) for u in units),
                                       name="duration_unit", aria_label=tr("builder.new_duration"),
                                       **{**CONTROL_STYLE, "width": "auto"}), align="end", width="100%"),
                rx.el.select(rx.el.option(tr("builder.level.commune"), value="commune"),
                             rx.el.option(tr("builder.level.province"), value="province"), name="level",
                             aria_label=tr("builder.new_level"), **CONTROL_STYLE),
                box("fee_amount", "builder.new_fee", input_mode="numeric", default_value="0"),
                box("fee_text", "builder.new_fee_text", max_length=1000),
                box("agency", "catalog.agency", max_length=500),
                columns={"initial": "1", "md": "2"}, gap="12px", width="100%",
            ),
            rx.button(rx.icon("plus", size=18), tr("builder.create"), type="submit", size="3", min_height=TAP,
                      id="builder-create", disabled=FormBuilderState.error_vi != ""),
            spacing="3", width="100%",
        ), width="100%"),
        on_submit=FormBuilderState.create, width="100%",
    )  # fmt: skip


def _preview_field(f: rx.Var, i: rx.Var) -> rx.Component:
    """The citizen's own field, under a note saying when it appears (the preview shows every field)."""
    note = FormBuilderState.preview_notes[i]
    return rx.vstack(
        rx.cond(
            note["vi"].to(str) != "",
            rx.badge(rx.icon("eye", size=14), bi(note["vi"].to(str), note["en"].to(str)), color_scheme="violet",
                     variant="soft", white_space="normal", class_name="builder-preview-condition"),
        ),
        citizen_field(f),
        spacing="1", width="100%",
    )  # fmt: skip


def _preview() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("builder.preview"), as_="h2", size="5"),
            rx.text(tr("builder.preview_hint"), size="2", color_scheme="gray"),
            rx.foreach(FormBuilderState.preview, _preview_field),
            rx.heading(tr("builder.documents"), as_="h3", size="4"),
            rx.foreach(FormBuilderState.preview_docs, lambda d: rx.hstack(
                rx.icon("file-text", size=18), rx.text(bi(d["vi"].to(str), d["en"].to(str))),
                rx.cond(d["required"].to(str) == "true", rx.text("*", color="var(--red-11)")), align="center")),
            spacing="3", width="100%",
        ),
        id="builder-preview", width="100%", max_width="480px",
    )  # fmt: skip


def form_builder_page() -> rx.Component:
    return admin_section(
        tr("builder.title"), bi(FormBuilderState.name_vi, FormBuilderState.name_en),
        rx.cond(FormBuilderState.error_vi != "",
                message(FormBuilderState.error_vi, FormBuilderState.error_en, id_="builder-error", margin_bottom="12px")),
        rx.cond(FormBuilderState.done_vi != "",
                message(FormBuilderState.done_vi, FormBuilderState.done_en, colour="green", icon="circle-check",
                        id_="builder-done", margin_bottom="12px")),
        rx.cond(FormBuilderState.code == "", _new_procedure()),
        rx.flex(
            rx.vstack(
                rx.heading(tr("builder.fields"), as_="h2", size="5"),
                rx.foreach(FormBuilderState.fields, _field_editor),
                rx.button(rx.icon("plus", size=18), tr("builder.add_field"), on_click=FormBuilderState.add_row("fields"),
                          variant="soft", min_height=TAP, id="builder-add-field"),
                rx.heading(tr("builder.documents"), as_="h2", size="5"),
                rx.foreach(FormBuilderState.docs, _doc_editor),
                rx.button(rx.icon("plus", size=18), tr("builder.add_doc"), on_click=FormBuilderState.add_row("docs"),
                          variant="soft", min_height=TAP, id="builder-add-doc"),
                rx.cond(FormBuilderState.code != "", rx.hstack(
                    rx.button(rx.icon("save", size=18), tr("builder.save"), on_click=FormBuilderState.save, size="3",
                              min_height=TAP, id="builder-save", disabled=FormBuilderState.error_vi != ""),
                    rx.button(rx.icon("archive-x", size=18), tr("builder.retire"), on_click=FormBuilderState.retire,
                              size="3", min_height=TAP, color_scheme="red", variant="outline", id="builder-retire"),
                    spacing="3", wrap="wrap",
                )),
                spacing="3", flex="1", min_width="0", width="100%",
            ),
            _preview(),
            direction={"initial": "column", "lg": "row"}, gap="24px", width="100%", align="start",
        ),
        wide=True,
    )  # fmt: skip
