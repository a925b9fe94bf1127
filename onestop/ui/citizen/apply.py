"""`/apply/[code]`: file a dossier online, one simple step at a time, rendered from the procedure's schema.

Steps: the applicant (filled from the population registry: values the registry
is authoritative for are shown locked, the rest pre-filled and editable) → the
request (+ where to file) → one screen per document (camera, file or the
person's document wallet; uploaded at once with a progress bar) → check your
answers (change links), the declaration, submit.

Why this shape:
- One question group per screen with one big "Continue" button is what older
  people manage on a phone; every step is judged by the server before moving on
  (`filing_forms.check_fields`, the same validator the filing use case runs),
  and each field is re-checked as the person types (`field_message`).
- The draft (typed values, chosen center, ids of files already uploaded, the
  step) lives in localStorage keyed by user and procedure, so closing the
  browser loses nothing; the files themselves stay in private storage and are
  re-checked as this person's unfiled uploads when the draft is restored.
- Files never touch Reflex's public upload folder: the handler reads the bytes
  and hands them to `services.uploads.store_upload` (size, name, real type).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import reflex as rx
from sqlmodel import Session

from onestop import clock
from onestop.domain.errors import DomainError
from onestop.domain.fees import FeeSchedule, quote
from onestop.domain.forms import FormSchema, Message, hidden_fields, validate_field
from onestop.domain.release import DELIVERY_METHODS
from onestop.i18n import t
from onestop.models import Procedure
from onestop.read import filing_forms
from onestop.read.bilingual import BiText
from onestop.read.filing_forms import DECLARATION, ApplyContext, ApplyDocument, FieldInfo, PendingFile
from onestop.read.procedure import public_name
from onestop.services import filing
from onestop.services.actor import Actor
from onestop.services.dossiers import schema_of
from onestop.ui.citizen.common import CITIZEN_PAGE, actor_of, route_code
from onestop.ui.citizen.widgets import (
    back_link,
    bilingual_list,
    card,
    card_titled,
    error_notice,
    focus_target,
    focused_error,
    main_button,
    main_link_button,
    need_badge,
    notice,
    page_column,
)
from onestop.ui.components.a11y import screen_reader_only
from onestop.ui.components.form_field import radio_list
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.styles import (
    BARE_FIELDSET,
    BIG_BUTTON,
    LINE,
    TAP_BUTTON,
    centred,
    full,
    quiet,
    spaced,
    top_aligned,
)
from onestop.ui.components.upload import (
    UploadMixin,
    accept_for,
    client_filename,
    file_heading,
    file_row,
    refusal_key,
    uploader,
)
from onestop.ui.i18n import bi, tr
from onestop.ui.layout import guarded
from onestop.ui.offload import db_read, db_write
from onestop.ui.session import SessionState, gate
from onestop.ui.theme import BODY_SIZE, HEADING_SIZE, TAP
from onestop.ui.widgets import loading_panel, once_loaded, page_heading

DRAFT_KEY = "onestop_apply_drafts"
MAX_DRAFTS = 5
UPLOAD_PREFIX = "doc"


@dataclass
class StepInfo:
    kind: str = "fields"  # fields | document | review
    section: str = ""
    doc_code: str = ""
    title: BiText = BiText()


@dataclass
class ReviewRow:
    name: str = ""
    label: BiText = BiText()
    value: BiText = BiText()
    step: int = 0
    locked: bool = False


@dataclass
class ReviewDoc:
    code: str = ""
    name: BiText = BiText()
    filename: str = ""
    required: bool = True
    step: int = 0


def _steps(ctx: ApplyContext) -> list[StepInfo]:
    steps = [StepInfo("fields", "applicant", "", BiText.of("apply.step.applicant"))]
    if any(f.section == "request" and f.name != DECLARATION for f in ctx.fields):
        steps.append(StepInfo("fields", "request", "", BiText.of("apply.step.request")))
    for doc in ctx.documents:
        steps.append(StepInfo("document", "", doc.code, doc.name))
    steps.append(StepInfo("review", "", "", BiText.of("apply.step.review")))
    return steps


def _fmt_value(f: FieldInfo, raw: str, lang: str) -> str:
    if raw in ("", None):
        return t("apply.empty_value", lang)
    if f.type == "select":
        option = next((o for o in f.options if o.value == raw), None)
        return (option.label_en if lang == "en" else option.label_vi) if option else raw
    if f.type == "checkbox":
        return t("common.yes" if raw == "true" else "common.no", lang)
    if f.type == "date" and len(raw) == 10 and raw[4] == "-":
        return f"{raw[8:10]}/{raw[5:7]}/{raw[0:4]}"
    return raw


def _context(db: Session, actor: Actor, code: str) -> tuple[ApplyContext, FormSchema]:
    """What the page renders and the schema its keystroke checks use, read once per load."""
    ctx = filing_forms.apply_context(db, actor, code)
    proc = db.get(Procedure, ctx.procedure_id)
    return ctx, schema_of(proc) if proc is not None else FormSchema()


def _store(
    db: Session, actor: Actor, proc_code: str, doc_code: str, name: str, data: bytes, previous: int
) -> PendingFile:
    """Keep the new file, then let go of the one it replaces (one transaction)."""
    pending = filing.upload_document(db, actor, proc_code, doc_code, name, data)
    if previous:
        filing.discard_pending(db, actor, previous)
    return pending


def _reuse(db: Session, actor: Actor, proc_code: str, doc_code: str, wallet_id: int, previous: int) -> PendingFile:
    pending = filing.reuse_document(db, actor, proc_code, doc_code, wallet_id)
    if previous:
        filing.discard_pending(db, actor, previous)
    return pending


def _submit(
    db: Session, actor: Actor, proc_code: str, values: dict[str, str], center: str, ids: list[int], delivery: str
) -> str:
    return filing.submit_application(db, actor, proc_code, values, center, ids, delivery).code or ""


class ApplyState(UploadMixin, rx.State):
    """The form being filled. Only what the page shows; every rule is in the services."""

    ctx: ApplyContext = ApplyContext()
    values: dict[str, str] = {}
    err_vi: dict[str, str] = {}
    err_en: dict[str, str] = {}
    files: list[PendingFile] = []
    center: str = ""
    steps: list[StepInfo] = []
    step: int = 0
    loaded: bool = False
    problem: BiText = BiText()
    submitting: bool = False
    restored: bool = False
    delivery: str = "download"  # how the result is received (domain/release.DELIVERY_METHODS)
    #: Fields whose condition (show_if) the answers so far do not meet: not shown, not asked, not reviewed.
    hidden: list[str] = []
    draft: str = rx.LocalStorage("", name=DRAFT_KEY)
    #: For a visitor asked to sign in here: the procedure's public name and code (what the link is for).
    public_vi: str = ""
    public_en: str = ""
    public_code: str = ""
    _uid: int = 0
    #: The form schema of the procedure version, read once per load: keystroke checks never touch the database.
    _schema: FormSchema | None = None

    # ------------------------------------------------------------------ derived

    @rx.var
    def current(self) -> StepInfo:
        return self.steps[self.step] if 0 <= self.step < len(self.steps) else StepInfo()

    @rx.var
    def step_number(self) -> int:
        return self.step + 1

    @rx.var
    def step_count(self) -> int:
        return len(self.steps)

    @rx.var
    def step_percent(self) -> int:
        return round(100 * (self.step + 1) / len(self.steps)) if self.steps else 0

    @rx.var
    def step_fields(self) -> list[FieldInfo]:
        cur = self.current
        if cur.kind != "fields":
            return []
        hidden = set(self.hidden)
        return [
            f for f in self.ctx.fields if f.section == cur.section and f.name != DECLARATION and f.name not in hidden
        ]

    @rx.var
    def asks_center(self) -> bool:
        """Where to file is asked on the last fields step, when there is a choice."""
        last = max((i for i, s in enumerate(self.steps) if s.kind == "fields"), default=-1)
        return self.step == last and len(self.ctx.centers) > 1

    @rx.var
    def current_doc(self) -> ApplyDocument:
        code = self.current.doc_code
        return next((d for d in self.ctx.documents if d.code == code), ApplyDocument())

    @rx.var
    def current_file(self) -> PendingFile:
        code = self.current.doc_code
        return next((f for f in self.files if f.document_code == code), PendingFile())

    @rx.var
    def accept(self) -> dict[str, list[str]]:
        types = [m for m in self.current_doc.accept.split(",") if m]
        return accept_for(types)

    @rx.var
    def max_bytes(self) -> int:
        return max(1, self.current_doc.max_mb) * 1024 * 1024

    @rx.var
    def camera_ok(self) -> bool:
        return any(m.startswith("image/") for m in self.current_doc.accept.split(","))

    @rx.var
    def error_count(self) -> int:
        return len(self.err_vi)

    @rx.var
    def review_rows(self) -> list[ReviewRow]:
        index = {s.section: i for i, s in enumerate(self.steps) if s.kind == "fields"}
        rows = []
        hidden = set(self.hidden)
        for f in self.ctx.fields:
            if f.name == DECLARATION or f.name in hidden:
                continue
            raw = self.values.get(f.name, "")
            rows.append(
                ReviewRow(
                    f.name,
                    f.label,
                    BiText(_fmt_value(f, raw, "vi"), _fmt_value(f, raw, "en")),
                    index.get(f.section, 0),
                    f.locked,
                )
            )
        return rows

    @rx.var
    def review_docs(self) -> list[ReviewDoc]:
        index = {s.doc_code: i for i, s in enumerate(self.steps) if s.kind == "document"}
        names = {f.document_code: f.filename for f in self.files}
        return [
            ReviewDoc(d.code, d.name, names.get(d.code, ""), d.required, index.get(d.code, 0))
            for d in self.ctx.documents
        ]

    @rx.var
    def fee_quote(self) -> list[str]:
        """[total vi, total en, breakdown vi…, "|", breakdown en…] for the review: domain/fees on the typed values."""
        if not self.ctx.fee_schedule_json:
            return []
        try:
            schedule = FeeSchedule.from_dict(json.loads(self.ctx.fee_schedule_json))
            hidden = set(self.hidden)
            q = quote(schedule, {k: v for k, v in self.values.items() if v != "" and k not in hidden}, "online")
        except (DomainError, ValueError):
            return []
        vi, en = q.breakdown("vi"), q.breakdown("en")
        return [vi[-1].split(": ", 1)[1], en[-1].split(": ", 1)[1], *vi[:-1], "|", *en[:-1]]

    @rx.var
    def fee_total_vi(self) -> str:
        return self.fee_quote[0] if self.fee_quote else self.ctx.fee.vi

    @rx.var
    def fee_total_en(self) -> str:
        return self.fee_quote[1] if self.fee_quote else self.ctx.fee.en

    @rx.var
    def fee_lines_vi(self) -> list[str]:
        q = self.fee_quote
        return q[2 : q.index("|")] if q else []

    @rx.var
    def fee_lines_en(self) -> list[str]:
        q = self.fee_quote
        return q[q.index("|") + 1 :] if q else []

    @rx.var
    def center_name(self) -> str:
        return next((c.name for c in self.ctx.centers if str(c.id) == self.center), "")

    @rx.var
    def center_step(self) -> int:
        return max((i for i, s in enumerate(self.steps) if s.kind == "fields"), default=0)

    @rx.var
    def declared(self) -> bool:
        return self.values.get(DECLARATION, "") == "true"

    # ------------------------------------------------------------------ helpers

    def _clear_errors(self) -> None:
        self.err_vi, self.err_en = {}, {}

    def _set_problem(self, err: DomainError | None) -> None:
        self.problem = BiText(err.vi, err.en) if err else BiText()

    def _drafts(self) -> dict[str, Any]:
        try:
            data = json.loads(self.draft or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _draft_key(self) -> str:
        return f"{self._uid}:{self.ctx.code}"

    def _save_draft(self) -> None:
        """Keep what was typed (never the registry's locked values, never file contents)."""
        if not self._uid or not self.ctx.code:
            return
        drafts = self._drafts()
        locked = {f.name for f in self.ctx.fields if f.locked}
        drafts[self._draft_key()] = {
            "v": {k: v for k, v in self.values.items() if k not in locked},
            "c": self.center,
            "f": [f.id for f in self.files],
            "s": self.step,
            "t": int(time.time()),
        }
        newest = sorted(drafts.items(), key=lambda kv: kv[1].get("t", 0) if isinstance(kv[1], dict) else 0)
        self.draft = json.dumps(dict(newest[-MAX_DRAFTS:]), ensure_ascii=False)

    def _drop_draft(self) -> None:
        drafts = self._drafts()
        drafts.pop(self._draft_key(), None)
        self.draft = json.dumps(drafts, ensure_ascii=False)

    async def _restore(self, actor: Actor) -> None:
        saved = self._drafts().get(self._draft_key())
        if not isinstance(saved, dict):
            return
        locked = {f.name for f in self.ctx.fields if f.locked}
        for k, v in (saved.get("v") or {}).items():
            if k in self.values and k not in locked and isinstance(v, str):
                self.values[k] = v[:5000]
        if str(saved.get("c", "")) in {str(c.id) for c in self.ctx.centers}:
            self.center = str(saved["c"])
        ids = [i for i in saved.get("f") or [] if isinstance(i, int)]
        known = {d.code for d in self.ctx.documents}
        self.files = [f for f in await db_read(filing_forms.pending_files, actor, ids) if f.document_code in known]
        step = saved.get("s")
        if isinstance(step, int) and 0 <= step < len(self.steps):
            self.step = step
        self.restored = True

    def _refresh_hidden(self) -> None:
        """Re-apply the form's conditions to the answers (the same rule the validator and the PDFs use)."""
        self.hidden = hidden_fields(self._schema or FormSchema(), self.values)

    def _field_message(self, name: str, text: str) -> Message | None:
        """The keystroke check: the server's own validator on the schema held since load (no database)."""
        spec = self._schema.field(name) if self._schema is not None else None
        if spec is None:
            return None
        raw = ("true" if text == "true" else "false") if spec.type == "checkbox" else text
        return validate_field(spec, raw, today=clock.now().date())[1]

    async def _actor(self) -> Actor | None:
        actor = await actor_of(self)
        if actor is None or actor.role != "citizen":
            self._set_problem(DomainError("sign_in_required", t("apply.signed_out", "vi"), t("apply.signed_out", "en")))
            return None
        return actor

    def _focus_top(self):  # noqa: ANN202 - an EventSpec
        return rx.call_script(
            "window.scrollTo(0, 0); const h = document.getElementById('step-title');"
            " if (h) h.focus({preventScroll: true});"
        )

    # ------------------------------------------------------------------ events

    @rx.event
    async def load(self):  # noqa: ANN201
        self.loaded = False
        self._set_problem(None)
        self._clear_errors()
        self.upload_problem = BiText()
        self.busy, self.percent, self.submitting, self.restored = False, 0, False, False
        # A visitor is asked to sign in on this page (no redirect: on a slow link that was a second page load);
        # they see which procedure the link is for — public, like the procedure's own page.
        actor, redirect = await gate(self, CITIZEN_PAGE, ask_here=True)
        code = route_code(self)
        if actor is None:
            session = await self.get_state(SessionState)
            if session.sign_in_page == CITIZEN_PAGE.key:
                self.public_vi, self.public_en = await db_read(public_name, code)
                self.public_code = code if self.public_vi else ""
            return redirect
        try:
            self.ctx, self._schema = await db_read(_context, actor, code)
        except DomainError as err:
            self.ctx = ApplyContext()
            self._set_problem(err)
            self.loaded = True
            return None
        self._uid = actor.user_id or 0
        self.values = dict(self.ctx.values)
        self.values.setdefault(DECLARATION, "")
        self.center = self.ctx.default_center
        self.files = []
        self.steps = _steps(self.ctx)
        self.step = 0
        await self._restore(actor)
        self.values[DECLARATION] = ""  # the declaration is made anew each time
        self._refresh_hidden()
        self.loaded = True
        return None

    @rx.event
    def set_value(self, name: str, value: str | bool) -> None:
        """Keep the value and re-check it as the person types (empty fields are judged on "Continue")."""
        field = next((f for f in self.ctx.fields if f.name == name), None)
        if field is None or field.locked:
            return
        text = ("true" if value else "") if isinstance(value, bool) else str(value)[:5000]
        self.values[name] = text
        if field.type == "select":
            self._refresh_hidden()
            for gone in self.hidden:  # a field that disappears takes its message with it
                self.err_vi.pop(gone, None)
                self.err_en.pop(gone, None)
        msg = self._field_message(name, text)
        shown = name in self.err_vi
        if msg is None or (text == "" and not shown):
            self.err_vi.pop(name, None)
            self.err_en.pop(name, None)
        else:
            self.err_vi[name], self.err_en[name] = msg.vi, msg.en
        self._save_draft()

    @rx.event
    def set_delivery(self, value: str) -> None:
        if value in DELIVERY_METHODS:
            self.delivery = value

    @rx.event
    def set_center(self, value: str) -> None:
        if value in {str(c.id) for c in self.ctx.centers}:
            self.center = value
            self.err_vi.pop("center", None)
            self.err_en.pop("center", None)
            self._save_draft()

    @rx.event
    async def next_step(self):  # noqa: ANN201
        actor = await self._actor()
        if actor is None or not self.ctx.procedure_id:  # no procedure loaded: nothing to check (not a server error)
            return None
        cur = self.current
        self._clear_errors()
        self.upload_problem = BiText()
        if cur.kind == "fields":
            names = [f.name for f in self.step_fields if not f.locked]
            errors = await db_read(
                filing_forms.check_fields,
                actor,
                self.ctx.procedure_id,
                dict(self.values),
                [f.name for f in self.step_fields],
            )
            for name, msg in errors.items():
                self.err_vi[name], self.err_en[name] = msg.vi, msg.en
            if self.asks_center and self.center not in {str(c.id) for c in self.ctx.centers}:
                self.err_vi["center"], self.err_en["center"] = (
                    t("apply.center_required", "vi"),
                    t("apply.center_required", "en"),
                )
            if self.err_vi:
                first = next((n for n in [*names, "center"] if n in self.err_vi), "")
                return rx.call_script(
                    f"document.getElementById('error-summary')?.focus();"
                    f" document.getElementById('f-{first}')?.scrollIntoView({{block: 'center'}})"
                )
        elif cur.kind == "document":
            doc = self.current_doc
            if doc.required and not self.current_file.id:
                self.upload_problem = BiText.by(lambda lang: t("apply.doc_required", lang, doc=doc.name.message(lang)))
                return rx.call_script("document.getElementById('upload-error')?.focus()")
        if self.step < len(self.steps) - 1:
            self.step += 1
        self._save_draft()
        return self._focus_top()

    @rx.event
    def prev_step(self):  # noqa: ANN201
        self._clear_errors()
        self.upload_problem = BiText()
        if self.step > 0:
            self.step -= 1
        self._save_draft()
        return self._focus_top()

    @rx.event
    def go_to(self, index: int):  # noqa: ANN201
        """A "change" link on the review step."""
        if 0 <= int(index) < len(self.steps):
            self._clear_errors()
            self.step = int(index)
            self._save_draft()
        return self._focus_top()

    # ---- documents

    @rx.event
    def upload_rejected(self, codes: list[str]) -> None:
        """The browser refused the file (too big, wrong type) before sending a single byte."""
        doc = self.current_doc
        self._refuse_upload(refusal_key(codes), doc.name, doc.max_mb, doc.types)

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):  # noqa: ANN201
        """Read the bytes here and give them to the service; nothing is written to Reflex's upload folder."""
        if not files:  # react-dropzone also "drops" an empty list when it refused the file (see upload_rejected)
            self.busy = False
            return None
        self.upload_problem = BiText()
        actor = await self._actor()
        doc = self.current_doc
        if actor is None or not doc.code:
            self.busy = False
            return None
        upload = files[0]
        limit = doc.max_mb * 1024 * 1024
        if upload.size is not None and upload.size > limit:  # never read a huge body into memory
            self._refuse_upload("upload.too_big", doc.name, doc.max_mb, doc.types)
            return rx.call_script("document.getElementById('upload-error')?.focus()")
        data = await upload.read()
        name = client_filename(upload)
        previous = self.current_file.id
        try:
            pending = await db_write(_store, actor, self.ctx.code, doc.code, name, data, previous)
        except DomainError as err:
            self.upload_problem = BiText(err.vi, err.en)
            self.busy = False
            return rx.call_script("document.getElementById('upload-error')?.focus()")
        self.files = [f for f in self.files if f.document_code != doc.code] + [pending]
        self.busy, self.percent = False, 100
        self._save_draft()
        return None

    @rx.event
    async def use_wallet(self, wallet_id: int):  # noqa: ANN201
        actor = await self._actor()
        doc = self.current_doc
        if actor is None or not doc.code:
            return
        self.upload_problem = BiText()
        previous = self.current_file.id
        try:
            pending = await db_write(_reuse, actor, self.ctx.code, doc.code, int(wallet_id), previous)
        except DomainError as err:
            self.upload_problem = BiText(err.vi, err.en)
            return
        self.files = [f for f in self.files if f.document_code != doc.code] + [pending]
        self._save_draft()

    @rx.event
    async def remove_file(self, attachment_id: int):  # noqa: ANN201
        actor = await self._actor()
        if actor is None:
            return
        await db_write(filing.discard_pending, actor, int(attachment_id))
        self.files = [f for f in self.files if f.id != int(attachment_id)]
        self._save_draft()

    # ---- submit

    @rx.event
    def set_declaration(self, checked: bool) -> None:
        self.values[DECLARATION] = "true" if checked else ""
        if checked:
            self.err_vi.pop(DECLARATION, None)
            self.err_en.pop(DECLARATION, None)

    @rx.event
    async def submit(self):  # noqa: ANN201
        if self.submitting:
            return
        actor = await self._actor()
        if actor is None:
            return
        self._clear_errors()
        self._set_problem(None)
        if not self.declared:
            self.err_vi[DECLARATION] = t("apply.declare_required", "vi")
            self.err_en[DECLARATION] = t("apply.declare_required", "en")
            yield rx.call_script("document.getElementById('f-declaration')?.focus()")
            return
        self.submitting = True
        yield
        values, center, ids = dict(self.values), self.center, [f.id for f in self.files]
        delivery = self.delivery
        try:
            code = await db_write(_submit, actor, self.ctx.code, values, center, ids, delivery)
        except DomainError as err:
            self.submitting = False
            self._set_problem(err)
            errors = getattr(err, "errors", None) or ({err.field: {"vi": err.vi, "en": err.en}} if err.field else {})
            for name, msg in errors.items():
                self.err_vi[name], self.err_en[name] = msg["vi"], msg["en"]
            target = self._step_for(list(errors))
            if target is not None and target != self.step:
                self.step = target
                self._save_draft()
            yield self._focus_top()
            return
        self._drop_draft()
        self.submitting = False
        yield rx.redirect(f"/dossiers/{code}/done")

    def _step_for(self, names: list[str]) -> int | None:
        """The first step that shows one of these problems (fields, documents, the center)."""
        for i, s in enumerate(self.steps):
            if s.kind == "fields":
                own = {f.name for f in self.ctx.fields if f.section == s.section and f.name != DECLARATION}
                if own.intersection(names):
                    return i
            if s.kind == "document" and "documents" in names:
                has = {f.document_code for f in self.files}
                doc = next((d for d in self.ctx.documents if d.code == s.doc_code), None)
                if doc is not None and doc.required and doc.code not in has:
                    return i
        if "center" in names:
            return self.center_step
        return None


# --------------------------------------------------------------------------- rendering


def _label(f: rx.Var) -> rx.Component:
    return rx.el.label(
        bi(f.label),
        rx.cond(
            f.required,
            rx.text(" *", as_="span", color="var(--red-11)", aria_hidden="true"),
            rx.text(" (", tr("apply.optional"), ")", as_="span", color_scheme="gray", weight="regular"),
        ),
        html_for="f-" + f.name,
        id="l-" + f.name,
        font_size="19px",
        font_weight="600",
    )


def _error(f: rx.Var) -> rx.Component:
    return rx.cond(
        ApplyState.err_vi.contains(f.name),
        rx.text(
            rx.icon("circle-alert", size=18, display="inline", vertical_align="-3px"),
            " ",
            bi(ApplyState.err_vi[f.name], ApplyState.err_en[f.name]),
            id="e-" + f.name,
            color="var(--red-11)",
            size="3",
            weight="medium",
        ),
    )


def _help(f: rx.Var) -> rx.Component:
    return rx.cond(f.help.vi != "", rx.text(bi(f.help), size="3", color_scheme="gray", id="h-" + f.name))


def _input_props(f: rx.Var) -> dict:
    invalid = ApplyState.err_vi.contains(f.name)
    return {
        "id": "f-" + f.name,
        "name": f.name,
        "aria_invalid": rx.cond(invalid, "true", "false"),
        "aria_describedby": rx.cond(invalid, "e-" + f.name, rx.cond(f.help.vi != "", "h-" + f.name, "")),
        "aria_required": rx.cond(f.required, "true", "false"),
        "width": "100%",
    }


def _text_input(f: rx.Var) -> rx.Component:
    return rx.input(
        value=ApplyState.values[f.name],
        on_change=lambda v: ApplyState.set_value(f.name, v),
        type=f.input_type,
        input_mode=f.input_mode,
        auto_complete=f.autocomplete,
        max_length=rx.cond(f.max_length > 0, f.max_length + 200, 100000),
        size="3",
        height=TAP,
        font_size="19px",
        debounce_timeout=350,
        **_input_props(f),
    )


def _textarea(f: rx.Var, rows: str = "4") -> rx.Component:
    """Long answers, and addresses (two lines: a whole address stays visible while it is checked)."""
    return rx.text_area(
        value=ApplyState.values[f.name],
        on_change=lambda v: ApplyState.set_value(f.name, v),
        rows=rows,
        size="3",
        font_size="19px",
        debounce_timeout=350,
        **_input_props(f),
    )


def _choice(f: rx.Var) -> rx.Component:
    return rx.radio_cards.root(
        rx.foreach(
            f.options,
            lambda o: rx.radio_cards.item(rx.text(bi(o.label_vi, o.label_en), size="4"), value=o.value, min_height=TAP),
        ),
        value=ApplyState.values[f.name],
        on_value_change=lambda v: ApplyState.set_value(f.name, v),
        columns={"initial": "1", "sm": "2"},
        **full("2"),
        id="f-" + f.name,
        aria_labelledby="l-" + f.name,
        aria_describedby=rx.cond(ApplyState.err_vi.contains(f.name), "e-" + f.name, ""),
    )


def _checkbox(f: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(
                checked=ApplyState.values[f.name] == "true",
                on_change=lambda v: ApplyState.set_value(f.name, v),
                size="3",
                id="f-" + f.name,
            ),
            rx.text(bi(f.label), size=BODY_SIZE),
            **centred("3"),
            min_height=TAP,
        ),
        html_for="f-" + f.name,
    )


def _locked(f: rx.Var) -> rx.Component:
    """A value the population registry is authoritative for: shown, not editable, and said so."""
    return rx.vstack(
        rx.text(bi(f.label), size="3", color_scheme="gray", id="l-" + f.name),
        rx.hstack(
            rx.icon("lock", size=18, color="var(--gray-11)", flex_shrink="0"),
            rx.text(
                rx.cond(
                    f.type == "date",
                    ApplyState.values[f.name].to(str).split("-").reverse().join("/"),
                    ApplyState.values[f.name],
                ),
                size="5",
                weight="bold",
                id="f-" + f.name,
            ),
            **centred("2"),
        ),
        **spaced("1"),
        padding="12px 14px",
        background="var(--gray-3)",
        border_radius="10px",
    )


def _field(f: rx.Var) -> rx.Component:
    control = rx.match(
        f.type,
        ("select", _choice(f)),
        ("textarea", _textarea(f)),
        ("address", _textarea(f, rows="2")),
        ("checkbox", _checkbox(f)),
        _text_input(f),
    )
    return rx.cond(
        f.locked,
        _locked(f),
        rx.vstack(
            rx.cond(f.type != "checkbox", _label(f)),
            rx.cond(
                f.autofilled,
                rx.text(
                    rx.icon("database", size=16, display="inline", vertical_align="-2px"),
                    " ",
                    tr("apply.prefilled"),
                    size="2",
                    color="var(--accent-11)",
                ),
            ),
            _help(f),
            control,
            _error(f),
            **spaced("2"),
            class_name="os-field",
        ),
    )


def _error_summary() -> rx.Component:
    return rx.cond(
        ApplyState.error_count > 0,
        focus_target(
            notice(
                rx.text(tr("apply.fix_errors"), " (", ApplyState.error_count, ")", size=BODY_SIZE, weight="bold"),
                "circle-alert",
                "red",
                role="alert",
            ),
            "error-summary",
        ),
    )


def _center_choice() -> rx.Component:
    return rx.cond(
        ApplyState.asks_center,
        rx.vstack(
            rx.text(tr("apply.center"), " *", size="5", weight="bold", id="l-center", as_="div"),
            rx.text(tr("apply.center_hint"), size="3", color_scheme="gray"),
            rx.radio_cards.root(
                rx.foreach(
                    ApplyState.ctx.centers,
                    lambda c: rx.radio_cards.item(
                        rx.vstack(
                            rx.text(c.name, size="4", weight="bold"),
                            rx.text(c.address, size="2"),
                            spacing="0",
                            align="start",
                        ),
                        value=c.id.to_string(),
                        min_height=TAP,
                    ),
                ),
                value=ApplyState.center,
                on_value_change=ApplyState.set_center,
                columns="1",
                **full("2"),
                id="f-center",
                aria_labelledby="l-center",
            ),
            rx.cond(
                ApplyState.err_vi.contains("center"),
                rx.text(bi(ApplyState.err_vi["center"], ApplyState.err_en["center"]), color="var(--red-11)", size="3"),
            ),
            **spaced("2"),
            margin_top="8px",
        ),
    )


def _fields_step() -> rx.Component:
    return rx.vstack(
        rx.cond(
            (ApplyState.current.section == "applicant") & ApplyState.ctx.registry_found,
            notice(tr("apply.registry_note"), "shield-check", "green"),
        ),
        _error_summary(),
        rx.foreach(ApplyState.step_fields, _field),
        _center_choice(),
        **spaced("5"),
    )


def _wallet_item(item: rx.Var) -> rx.Component:
    return rx.card(
        file_heading("wallet", 24, item.filename, bi(item.kind), " · ", item.created, " · ", item.size),
        worded_button(
            "check",
            "apply.use_this",
            icon_size=20,
            **TAP_BUTTON,
            variant="soft",
            on_click=ApplyState.use_wallet(item.id),
            margin_top="10px",
            type="button",
            width=rx.breakpoints(initial="100%", sm="auto"),
        ),
        **full("2"),
    )


def _document_step() -> rx.Component:
    doc = ApplyState.current_doc
    current = ApplyState.current_file
    return rx.vstack(
        rx.hstack(
            need_badge(doc.required, "3"),
            spacing="2",
        ),
        rx.cond(doc.note.vi != "", rx.text(bi(doc.note), size=BODY_SIZE)),
        rx.text(
            tr("procedure.file_types"),
            ": ",
            doc.types,
            ". ",
            tr("procedure.max_size"),
            " ",
            doc.max_mb,
            " MB.",
            **quiet("3"),
        ),
        rx.cond(
            current.id > 0,
            rx.vstack(
                notice(tr("apply.doc_ready"), "circle-check", "green", role="status"),
                file_row(
                    current.filename,
                    current.size,
                    "/api/v1/attachments/" + current.id.to(str),
                    ApplyState.remove_file(current.id),
                    current.reused,
                ),
                rx.text(tr("apply.replace_hint"), size="3", color_scheme="gray"),
                **spaced("2"),
                id="doc-current",
            ),
        ),
        focused_error(ApplyState.upload_problem, "upload-error", "upload-error-box"),
        uploader(
            UPLOAD_PREFIX,
            ApplyState.upload,
            ApplyState.upload_progress,
            ApplyState.upload_rejected,
            accept=ApplyState.accept,
            max_size=ApplyState.max_bytes,
            busy=ApplyState.busy,
            percent=ApplyState.percent,
            camera=ApplyState.camera_ok,
        ),
        rx.cond(
            doc.wallet.length() > 0,
            rx.vstack(
                rx.heading(tr("apply.wallet_title"), as_="h2", size="5"),
                rx.text(tr("apply.wallet_body"), size="3", color_scheme="gray"),
                rx.foreach(doc.wallet, _wallet_item),
                **spaced("2"),
                id="wallet",
            ),
        ),
        **spaced("4"),
    )


def _review_line(label: rx.Var, value: rx.Component, change: rx.Component) -> rx.Component:
    """One line of the review: what it is (grey) above the answer, and how to change it on the right."""
    return rx.hstack(
        rx.vstack(
            rx.text(label, size="3", color_scheme="gray"),
            value,
            spacing="0",
            flex="1",
            min_width="0",
        ),
        change,
        **LINE,
        padding_y="8px",
        border_bottom="1px solid var(--gray-4)",
    )


def _change_button(step: rx.Var, *hidden: rx.Component) -> rx.Component:
    """ "Sửa": back to the step that asked (a screen reader also hears what, from `hidden`)."""
    return rx.button(
        tr("apply.change"),
        *hidden,
        variant="ghost",
        **TAP_BUTTON,
        on_click=ApplyState.go_to(step),
        type="button",
    )


def _review_row(row: rx.Var) -> rx.Component:
    return _review_line(
        bi(row.label),
        rx.text(bi(row.value), size=BODY_SIZE, weight="medium", word_break="break-word"),
        rx.cond(
            row.locked,
            rx.icon("lock", size=18, color="var(--gray-10)", aria_label=tr("apply.locked")),
            _change_button(
                row.step,
                screen_reader_only(" ", bi(row.label)),
            ),
        ),
    )


def _review_doc(d: rx.Var) -> rx.Component:
    return _review_line(
        bi(d.name),
        rx.cond(
            d.filename != "",
            rx.text(
                rx.icon("file-check", size=16, display="inline", vertical_align="-2px"),
                " ",
                d.filename,
                size=BODY_SIZE,
                weight="medium",
                word_break="break-all",
            ),
            rx.text(
                rx.cond(d.required, tr("apply.doc_missing"), tr("apply.doc_none")),
                size=BODY_SIZE,
                color=rx.cond(d.required, "var(--red-11)", "var(--gray-11)"),
            ),
        ),
        _change_button(d.step),
    )


def _review_step() -> rx.Component:
    return rx.vstack(
        rx.text(tr("apply.review_intro"), size=BODY_SIZE),
        error_notice(ApplyState.problem, "submit-error"),
        card_titled(
            "apply.review_answers",
            rx.foreach(ApplyState.review_rows, _review_row),
            id="review-answers",
        ),
        rx.cond(
            ApplyState.review_docs.length() > 0,
            card_titled(
                "apply.review_documents",
                rx.foreach(ApplyState.review_docs, _review_doc),
                id="review-documents",
            ),
        ),
        card_titled(
            "apply.review_where",
            rx.hstack(
                rx.text(ApplyState.center_name, size=BODY_SIZE, weight="medium", flex="1"),
                rx.cond(
                    ApplyState.ctx.centers.length() > 1,
                    _change_button(ApplyState.center_step),
                ),
                **LINE,
            ),
            rx.text(tr("procedures.duration"), ": ", bi(ApplyState.ctx.duration), size="3"),
            rx.text(
                tr("apply.fee_online"),
                ": ",
                rx.text(
                    bi(ApplyState.fee_total_vi, ApplyState.fee_total_en), as_="span", weight="bold", id="review-fee"
                ),
                size="3",
            ),
            rx.cond(
                ApplyState.fee_lines_vi.length() > 0,
                bilingual_list(ApplyState.fee_lines_vi, ApplyState.fee_lines_en, "2", id="review-fee-lines"),
            ),
            rx.cond(
                ApplyState.ctx.fee_text != "",
                rx.text(tr("fees.legal_text"), ": ", ApplyState.ctx.fee_text, size="2", color_scheme="gray", lang="vi"),
            ),
        ),
        card(
            rx.el.fieldset(
                rx.el.legend(rx.heading(tr("delivery.label"), as_="h2", size="5"), margin_bottom="8px"),
                radio_list(
                    "delivery",
                    DELIVERY_METHODS,
                    "delivery.",
                    "delivery-",
                    spacing="1",
                    line={"gap": "10px", "min_height": TAP, "font_size": "18px"},
                    value=ApplyState.delivery,
                    on_change=ApplyState.set_delivery,
                ),
                **BARE_FIELDSET,
            ),
            id="review-delivery",
        ),
        rx.box(
            rx.el.label(
                rx.hstack(
                    rx.checkbox(
                        checked=ApplyState.declared, on_change=ApplyState.set_declaration, size="3", id="f-declaration"
                    ),
                    rx.text(tr("apply.declaration"), size=BODY_SIZE, weight="medium"),
                    **top_aligned("3"),
                ),
                html_for="f-declaration",
            ),
            rx.cond(
                ApplyState.err_vi.contains(DECLARATION),
                rx.text(
                    bi(ApplyState.err_vi[DECLARATION], ApplyState.err_en[DECLARATION]),
                    color="var(--red-11)",
                    size="3",
                    role="alert",
                    margin_top="6px",
                ),
            ),
            padding="14px",
            border="2px solid var(--accent-7)",
            border_radius="12px",
            width="100%",
        ),
        main_button(
            rx.cond(ApplyState.submitting, tr("apply.submitting"), tr("apply.submit")),
            "send",
            on_click=ApplyState.submit,
            loading=ApplyState.submitting,
            id="submit-dossier",
            type="button",
        ),
        **spaced("4"),
    )


def _progress() -> rx.Component:
    return rx.vstack(
        rx.text(
            tr("apply.step"),
            " ",
            ApplyState.step_number,
            "/",
            ApplyState.step_count,
            **quiet("3"),
            weight="medium",
        ),
        rx.progress(value=ApplyState.step_percent, max=100, size="2", width="100%", aria_label=tr("apply.progress")),
        rx.heading(
            bi(ApplyState.current.title),
            as_="h2",
            size="6",
            id="step-title",
            tab_index=-1,
            outline="none",
        ),
        **spaced("2"),
    )


def _back_button() -> rx.Component:
    return worded_button(
        "arrow-left",
        "common.back",
        icon_size=22,
        variant="soft",
        **BIG_BUTTON,
        on_click=ApplyState.prev_step,
        type="button",
        width=rx.breakpoints(initial="100%", sm="auto"),
    )


def _nav() -> rx.Component:
    """Continue and back on the steps that ask; only back on the review (its own button sends)."""
    return rx.cond(
        ApplyState.current.kind != "review",
        rx.flex(
            main_button(
                tr("apply.continue"),
                "arrow-right",
                on_click=ApplyState.next_step,
                id="next-step",
                type="button",
                disabled=ApplyState.busy,
            ),
            rx.cond(ApplyState.step > 0, _back_button()),
            direction={"initial": "column", "sm": "row-reverse"},
            justify="end",
            gap="12px",
            width="100%",
            margin_top="8px",
        ),
        rx.cond(ApplyState.step > 0, _back_button()),
    )


def _form() -> rx.Component:
    return page_column(
        back_link("/procedures/" + ApplyState.ctx.code, "apply.back_to_procedure"),
        rx.text(tr("apply.title"), size="3", color_scheme="gray", weight="medium"),
        rx.heading(bi(ApplyState.ctx.name), as_="h1", size=HEADING_SIZE, line_height="1.25"),
        rx.cond(ApplyState.restored, notice(tr("apply.restored"), "history", "blue", role="status")),
        _progress(),
        rx.match(
            ApplyState.current.kind,
            ("fields", _fields_step()),
            ("document", _document_step()),
            ("review", _review_step()),
            rx.fragment(),
        ),
        _nav(),
        rx.text(tr("apply.draft_note"), size="2", color_scheme="gray", margin_top="8px"),
        max_width="720px",
    )


def _opening() -> rx.Component:
    """The page before its load has run — all that the prerendered shell of every `/apply/<code>` link holds
    (ui/shells.py): on a slow link these words paint from the HTML, seconds before the JavaScript has arrived."""
    return page_column(
        page_heading(tr("apply.title"), tr("apply.opening")),
        loading_panel(),
        max_width="720px",
    )


def _sign_in_here() -> rx.Component:
    """A visitor who followed a link: which procedure it is for, and sign-in that comes back here."""
    named = ApplyState.public_code != ""
    return page_column(
        rx.cond(
            named,
            back_link("/procedures/" + ApplyState.public_code, "apply.back_to_procedure"),
            back_link("/procedures", "procedure.back"),
        ),
        rx.text(tr("apply.title"), size="3", color_scheme="gray", weight="medium"),
        rx.heading(
            rx.cond(named, bi(ApplyState.public_vi, ApplyState.public_en), tr("apply.title")),
            as_="h1",
            size=HEADING_SIZE,
            line_height="1.25",
        ),
        notice(tr("apply.sign_in_needed"), "log-in", "blue"),
        main_link_button(tr("auth.sign_in"), "log-in", SessionState.sign_in_href, id="apply-sign-in"),
        max_width="720px",
        id="apply-sign-in-needed",
    )


def apply_page() -> rx.Component:
    return guarded(
        CITIZEN_PAGE,
        once_loaded(
            ApplyState.loaded,
            ApplyState.ctx.code != "",
            _form(),
            rx.vstack(
                error_notice(ApplyState.problem, "apply-problem"),
                back_link("/procedures", "procedure.back"),
                **spaced("4"),
            ),
        ),
        waiting=_opening(),
        sign_in=_sign_in_here(),
    )
