"""`/officer/counter`: file a dossier for the person standing at the counter and receive it at once.

Why this flow: the person is in front of the officer, so the order is the one the
conversation takes — ID card first (the population registry fills name, date of
birth, address), then the procedure, its form (the same schema as online, judged
by the same `domain/forms` validator), the scanned documents, and one button that
files with channel "direct" and receives immediately, so the receipt and
appointment slip can be printed while the person waits.

Uploads go to private storage through `services.uploads.store_upload` (size and
real type checked there), owned by the officer until the dossier is filed.
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from onestop.domain.errors import DomainError
from onestop.domain.forms import FormSchema, hidden_fields
from onestop.read import choices, dossier_detail, filing_forms
from onestop.read.choices import Choice
from onestop.read.dossier_detail import AttachmentItem
from onestop.read.filing_forms import FieldInfo, PersonCard
from onestop.read.procedure import DocumentInfo
from onestop.services import uploads, workbench
from onestop.services.actor import Actor
from onestop.ui.components.callout import callout, words_and_action
from onestop.ui.components.drop_zone import drop_zone
from onestop.ui.components.form_field import CONTROL_STYLE, message
from onestop.ui.components.icon_action import icon_action, worded_button
from onestop.ui.components.refusal import RefusalMixin, gated
from onestop.ui.components.styles import (
    BIG_BUTTON,
    COLUMN,
    REMOVE_ICON,
    TAP_BUTTON,
    centred,
    full,
    quiet,
    spaced,
    top_aligned,
)
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import guarded
from onestop.ui.offload import db_read, db_write
from onestop.ui.routes import OFFICER
from onestop.ui.session import gate
from onestop.ui.widgets import page_heading

UPLOAD_ID = "counter-upload"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _store_scan(
    db: Session, actor: Actor, procedure_code: str, document_code: str, filename: str, data: bytes
) -> tuple[int, str, AttachmentItem]:
    """Keep one scanned file privately; (its id, the document it stands for, its row for the page)."""
    att = uploads.store_upload(
        db, actor, procedure_code=procedure_code, document_code=document_code, filename=filename, data=data
    )
    assert att.id is not None
    return att.id, att.document_code, dossier_detail.officer_uploads(db, actor, [att.id])[0]


def _schema(db: Session, code: str) -> FormSchema:
    """The current version's form schema: the conditions (show_if) the page applies as the officer answers."""
    from onestop.services.dossiers import current_procedure, schema_of

    return schema_of(current_procedure(db, code))


class CounterState(RefusalMixin, rx.State):
    """The person, the chosen procedure, the form values, the uploaded files, the result."""

    national_id: str = ""
    person: PersonCard = PersonCard()
    has_person: bool = False
    prefill: dict[str, str] = {}
    procedures: list[Choice] = []
    procedure_code: str = ""
    fields: list[FieldInfo] = []
    documents: list[DocumentInfo] = []
    values: dict[str, str] = {}
    upload_doc: str = ""
    uploaded: list[AttachmentItem] = []
    attachment_ids: list[int] = []
    errors_vi: dict[str, str] = {}
    errors_en: dict[str, str] = {}
    done_code: str = ""
    done_url: str = ""
    form_key: int = 0
    not_found: bool = False  # the registry does not know this ID number: offer manual entry
    manual: bool = False  # particulars typed by the officer, marked "not verified by the registry"
    #: Fields whose condition the choices so far do not meet: hidden (the validator drops whatever they hold).
    hidden: list[str] = []
    _schema: FormSchema | None = None

    def _refresh_hidden(self) -> None:
        self.hidden = hidden_fields(self._schema or FormSchema(), self.values)

    @rx.event
    def set_choice(self, name: str, value: str) -> None:
        """A choice list changed: fields that depend on it appear or disappear at once."""
        if any(f.name == name and f.type == "select" for f in self.fields):
            self.values[name] = str(value)[:200]
            self._refresh_hidden()

    @rx.var
    def uploaded_codes(self) -> list[str]:
        return [a.kind for a in self.uploaded]

    def _reset(self) -> None:
        self.person, self.has_person, self.prefill = PersonCard(), False, {}
        self.not_found = self.manual = False
        self.procedure_code, self.fields, self.documents, self.values = "", [], [], {}
        self.hidden, self._schema = [], None
        self.upload_doc, self.uploaded, self.attachment_ids = "", [], []
        self.errors_vi, self.errors_en = {}, {}
        self.error_vi = self.error_en = ""

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, OFFICER)
        self._reset()
        self.done_code = self.done_url = ""
        if actor is None:
            return redirect
        self.procedures = await db_read(choices.procedure_choices)
        return None

    def _fail(self, err: DomainError) -> None:
        """The refusal, and beside each field the validator's own words about it."""
        self._refuse(err)
        detail = getattr(err, "errors", None) or {}
        self.errors_vi = {k: v["vi"] for k, v in detail.items()}
        self.errors_en = {k: v["en"] for k, v in detail.items()}

    @gated(OFFICER)
    async def look_up(self, actor: Actor, form: dict):  # noqa: ANN201
        self._reset()
        self.done_code = self.done_url = ""
        self.national_id = str(form.get("national_id", ""))[:20]
        try:
            self.person, self.prefill = await db_read(filing_forms.lookup_person, actor, self.national_id)
        except DomainError as err:
            self._fail(err)
            self.not_found = err.code == "resident_not_found"
            return None
        self.has_person = True
        return None

    @gated(OFFICER)
    async def enter_manually(self, actor: Actor):  # noqa: ANN201
        """Serve a person the registry does not know: type their particulars (checked, marked, audited)."""
        try:
            person = filing_forms.manual_person(actor, self.national_id)
        except DomainError as err:
            self._fail(err)
            return None
        self._reset()
        self.person, self.has_person, self.manual = person, True, True
        return None

    @gated(OFFICER)
    async def choose_procedure(self, actor: Actor, code: str):  # noqa: ANN201
        self.procedure_code = code
        self.uploaded, self.attachment_ids, self.errors_vi, self.errors_en = [], [], {}, {}
        if not code:
            self.fields, self.documents, self.values = [], [], {}
            return None
        try:
            self.fields, self.documents, self.values = await db_read(
                filing_forms.counter_form, actor, code, dict(self.prefill)
            )
            if self.manual and "national_id" in self.values:
                self.values["national_id"] = self.person.national_id
            self._schema = await db_read(_schema, code)
        except DomainError as err:
            self._fail(err)
            return None
        self._refresh_hidden()
        uploadable = [d.code for d in self.documents if not d.state_held]
        self.upload_doc = uploadable[0] if uploadable else ""
        self.form_key += 1
        return None

    @rx.event
    def choose_upload_doc(self, code: str) -> None:
        self.upload_doc = code

    @gated(OFFICER)
    async def handle_upload(self, actor: Actor, files: list[rx.UploadFile]):  # noqa: ANN201
        """Store each scanned file privately for the chosen document (checked by content and size)."""
        names = {d.code: d.name for d in self.documents}
        for file in files:
            data = await file.read(MAX_UPLOAD_BYTES + 1)
            try:
                att_id, doc_code, item = await db_write(
                    _store_scan, actor, self.procedure_code, self.upload_doc, file.name or "scan", data
                )
            except DomainError as err:
                self._fail(err)
                return None
            item.name = names.get(doc_code, item.name)
            item.kind = doc_code  # which document of the procedure this file stands for
            self.uploaded = [*self.uploaded, item]
            self.attachment_ids = [*self.attachment_ids, att_id]
        return None

    @rx.event
    def remove_upload(self, attachment_id: int) -> None:
        self.uploaded = [a for a in self.uploaded if a.id != attachment_id]
        self.attachment_ids = [i for i in self.attachment_ids if i != attachment_id]

    @gated(OFFICER)
    async def receive(self, actor: Actor, form: dict):  # noqa: ANN201
        self.errors_vi, self.errors_en = {}, {}
        values = {k: str(v) for k, v in form.items()}
        self.values = values
        self._refresh_hidden()
        try:
            done = await db_write(
                workbench.file_at_counter,
                actor,
                procedure_code=self.procedure_code,
                resident_id=self.person.resident_id,
                values=values,
                attachment_ids=list(self.attachment_ids),
                manual=self.manual,
            )
        except DomainError as err:
            self._fail(err)
            return None
        self._reset()
        self.done_code, self.done_url = done.code, done.document_url
        return None


# --------------------------------------------------------------------------- pieces


def _step(number: str, title_key: str, *children: rx.Component, **props) -> rx.Component:  # noqa: ANN003
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.center(
                    rx.text(number, weight="bold", size="4"),
                    width="36px",
                    height="36px",
                    border_radius="50%",
                    background="var(--accent-3)",
                    color="var(--accent-11)",
                ),
                rx.heading(tr(title_key), as_="h2", size="5"),
                **centred("3"),
            ),
            *children,
            **COLUMN,
        ),
        **full("3"),
        **props,
    )


def _person() -> rx.Component:
    p = CounterState.person
    return _step(
        "1",
        "counter.step_person",
        rx.form(
            rx.hstack(
                rx.el.input(
                    name="national_id",
                    id="counter-national-id",
                    placeholder=tr("counter.id_placeholder"),
                    aria_label=tr("counter.id_label"),
                    inputmode="numeric",
                    auto_complete="off",
                    **{**CONTROL_STYLE, "max_width": "320px", "font_size": "20px", "letter_spacing": "1px"},
                ),
                worded_button(
                    "search",
                    "counter.look_up",
                    type="submit",
                    **TAP_BUTTON,
                    id="counter-look-up",
                ),
                **centred("2"),
                wrap="wrap",
            ),
            on_submit=CounterState.look_up,
        ),
        rx.cond(
            CounterState.not_found,
            callout(
                rx.vstack(
                    rx.text(tr("counter.manual_offer"), size="3"),
                    worded_button(
                        "pencil",
                        "counter.manual_start",
                        on_click=CounterState.enter_manually,
                        **TAP_BUTTON,
                        variant="soft",
                        id="counter-manual",
                    ),
                    **top_aligned("2"),
                ),
                "user-x",
                "amber",
                "counter-not-found",
            ),
        ),
        rx.cond(
            CounterState.manual,
            callout(tr("counter.manual_notice"), "shield-alert", "amber", "counter-manual-notice", role="status"),
        ),
        rx.cond(
            CounterState.has_person & ~CounterState.manual,
            rx.card(
                rx.grid(
                    *(
                        rx.vstack(rx.text(tr(key), **quiet("2")), rx.text(value, **look), spacing="0")
                        for key, value, look in (
                            (
                                "officer.full_name",
                                p.full_name,
                                {"size": "5", "weight": "bold", "id": "counter-person-name"},
                            ),
                            ("officer.id_number", p.national_id, {"size": "4", "weight": "medium"}),
                            ("counter.date_of_birth", p.date_of_birth, {"size": "4"}),
                            ("officer.address", p.address, {"size": "3"}),
                        )
                    ),
                    columns={"initial": "1", "md": "4"},
                    **COLUMN,
                ),
                variant="surface",
                width="100%",
            ),
        ),
    )


def _field(f: rx.Var) -> rx.Component:
    fid = "cf-" + f.name
    value = CounterState.values[f.name]
    locked_look = {**CONTROL_STYLE, "background": rx.cond(f.locked, "var(--gray-3)", "var(--color-panel-solid)")}

    def lockable(kind: str) -> rx.Component:
        """A date or text input the form may lock (a value copied from the person's record), greyed when locked."""
        return rx.el.input(type=kind, name=f.name, id=fid, default_value=value, read_only=f.locked, **locked_look)

    control = rx.match(
        f.type,
        (
            "select",
            rx.el.select(
                rx.el.option(tr("counter.choose"), value=""),
                rx.foreach(f.options, lambda o: rx.el.option(bi(o.label_vi, o.label_en), value=o.value)),
                name=f.name,
                id=fid,
                default_value=value,
                on_change=lambda v: CounterState.set_choice(f.name, v),
                **CONTROL_STYLE,
            ),
        ),
        (
            "checkbox",
            rx.el.label(
                rx.el.input(type="checkbox", name=f.name, id=fid, value="true", width="22px", height="22px"),
                bi(f.label),
                display="flex",
                gap="10px",
                align_items="center",
                font_size="16px",
            ),
        ),
        (
            "textarea",
            rx.el.textarea(
                name=f.name, id=fid, default_value=value, rows=3, **{**CONTROL_STYLE, "font_family": "inherit"}
            ),
        ),
        ("date", lockable("date")),
        ("number", rx.el.input(type="number", name=f.name, id=fid, default_value=value, **CONTROL_STYLE)),
        lockable("text"),
    )
    return rx.vstack(
        rx.cond(
            f.type != "checkbox",
            rx.el.label(
                bi(f.label),
                rx.cond(f.required, " *", ""),
                rx.cond(
                    f.locked,
                    rx.text(" · ", tr("counter.from_registry"), as_="span", color="var(--gray-10)", font_weight="400"),
                    "",
                ),
                html_for=fid,
                font_weight="600",
                font_size="16px",
            ),
        ),
        control,
        rx.cond(
            CounterState.errors_vi.contains(f.name),
            rx.text(
                bi(CounterState.errors_vi[f.name], CounterState.errors_en[f.name]),
                color="var(--red-11)",
                size="2",
                role="alert",
            ),
        ),
        **spaced("1"),
        align="start",
        display=rx.cond(CounterState.hidden.contains(f.name), "none", "flex"),
    )


def _documents() -> rx.Component:
    def doc_line(doc: rx.Var) -> rx.Component:
        have = CounterState.uploaded_codes.contains(doc.code)
        return rx.hstack(
            rx.cond(
                doc.state_held,
                rx.icon("database", size=18, color="var(--blue-10)"),
                rx.cond(
                    have,
                    rx.icon("circle-check", size=18, color="var(--green-10)"),
                    rx.icon("circle-dashed", size=18, color="var(--gray-9)"),
                ),
            ),
            rx.text(bi(doc.name), size="3"),
            rx.cond(
                doc.state_held,
                rx.badge(tr("counter.state_held"), color_scheme="blue", size="1"),
                rx.cond(doc.required, rx.badge(tr("counter.required"), color_scheme="gray", size="1")),
            ),
            **centred("2"),
        )

    def uploaded(a: rx.Var) -> rx.Component:
        return rx.hstack(
            rx.icon("paperclip", size=16),
            rx.link(bi(a.name), ": ", a.filename, href=a.url, is_external=True, size="2"),
            rx.text(a.size, size="1", color_scheme="gray"),
            icon_action(
                "x",
                14,
                CounterState.remove_upload(a.id),
                "counter.remove",
                **REMOVE_ICON,
                size="1",
                type="button",
            ),
            **centred("2"),
        )

    choices = rx.foreach(
        CounterState.documents,
        lambda doc: rx.cond(doc.state_held, rx.fragment(), rx.el.option(bi(doc.name), value=doc.code)),
    )
    return rx.vstack(
        rx.foreach(CounterState.documents, doc_line),
        rx.hstack(
            rx.el.label(tr("counter.upload_for"), html_for="counter-upload-doc", font_weight="600"),
            rx.el.select(
                choices,
                id="counter-upload-doc",
                value=CounterState.upload_doc,
                on_change=CounterState.choose_upload_doc,
                **{**CONTROL_STYLE, "width": "auto"},
            ),
            **centred("2"),
            wrap="wrap",
        ),
        drop_zone(UPLOAD_ID, CounterState.handle_upload, "scan-line", "counter.drop_here", max_size=MAX_UPLOAD_BYTES),
        rx.foreach(CounterState.uploaded, uploaded),
        **spaced("2"),
    )


def _form() -> rx.Component:
    return _step(
        "2",
        "counter.step_form",
        rx.el.select(
            rx.el.option(tr("counter.choose_procedure"), value=""),
            rx.foreach(CounterState.procedures, lambda c: rx.el.option(bi(c.label_vi, c.label_en), value=c.value)),
            id="counter-procedure",
            value=CounterState.procedure_code,
            on_change=CounterState.choose_procedure,
            aria_label=tr("dossier.procedure"),
            **CONTROL_STYLE,
        ),
        rx.cond(
            CounterState.fields.length() > 0,
            rx.vstack(
                rx.form(
                    rx.grid(
                        rx.foreach(CounterState.fields, _field),
                        columns={"initial": "1", "md": "2"},
                        **spaced("4"),
                    ),
                    id="counter-form",
                    on_submit=CounterState.receive,
                    key=CounterState.form_key,
                ),
                rx.heading(tr("counter.step_documents"), as_="h3", size="4", margin_top="8px"),
                _documents(),
                rx.cond(
                    CounterState.error_vi != "",
                    message(CounterState.error_vi, CounterState.error_en, id_="counter-error"),
                ),
                worded_button(
                    "printer",
                    "counter.receive",
                    icon_size=20,
                    type="submit",
                    form="counter-form",
                    **BIG_BUTTON,
                    id="counter-receive",
                ),
                **COLUMN,
            ),
        ),
        opacity=rx.cond(CounterState.has_person, "1", "0.5"),
        pointer_events=rx.cond(CounterState.has_person, "auto", "none"),
    )


def counter_page() -> rx.Component:
    return guarded(
        OFFICER,
        page_heading(tr("counter.title"), tr("counter.subtitle")),
        rx.cond(
            CounterState.done_code != "",
            callout(
                words_and_action(
                    rx.text(
                        tr("counter.done"),
                        " ",
                        rx.text(CounterState.done_code, as_="span", weight="bold", id="counter-done-code"),
                    ),
                    rx.link(
                        rx.button(rx.icon("printer", size=18), tr("doc.receipt"), size="2"),
                        href=CounterState.done_url,
                        is_external=True,
                        id="counter-receipt",
                    ),
                    rx.link(tr("counter.open_dossier"), href="/officer/dossiers/" + CounterState.done_code, size="3"),
                ),
                "circle-check",
                "green",
                "counter-done",
                size="3",
                role="status",
                margin_bottom="16px",
            ),
        ),
        rx.cond(
            (CounterState.error_vi != "") & ~CounterState.has_person,
            message(CounterState.error_vi, CounterState.error_en, id_="counter-lookup-error", margin_bottom="16px"),
        ),
        rx.vstack(_person(), _form(), spacing="4", width="100%"),
        rx.link(tr("officer.back_to_inbox"), href="/officer", size="3", margin_top="16px"),
    )
