"""`/officer/dossiers/[code]`: one dossier — data, documents previewed inline, timeline, and its actions.

Why this shape:
- Everything comes from `read.dossier_detail.dossier_page` after the token check;
  another center's dossier gives the same "not found" as a missing one, and no
  private data is in the prerendered HTML.
- The buttons are exactly `available_actions` for this officer now; each opens a
  dialog that asks only for what the lifecycle rule `needs` (a reason, the missing
  items and a deadline, an assignee, a unit, a new date, an amount, a method).
- The version the officer saw is captured when the dialog opens. If someone else
  acts first, the service raises ConcurrentChange: the page shows "changed by
  someone else — reload" and the fresh dossier; nothing is half-done (one
  transaction per action). Live updates keep the page fresh meanwhile and warn
  inside an open dialog.
- After an action its slip (receipt, supplement request, refusal, apology, stop
  notice, signed result) opens in the preview pane, ready to print.
"""

from __future__ import annotations

import reflex as rx

from onestop.domain.errors import ConcurrentChange, DomainError
from onestop.domain.lifecycle import COUNTER_PAYMENT_ROLES, Role
from onestop.i18n import t
from onestop.read import choices, dossier_detail
from onestop.read.choices import Choice
from onestop.read.dossier_detail import DossierPage
from onestop.services import workbench
from onestop.services.actor import Actor
from onestop.services.dossiers import CHANNELS, RETURN_METHODS
from onestop.ui import live
from onestop.ui.components.callout import callout, words_and_action
from onestop.ui.components.card import titled_card
from onestop.ui.components.form_field import (
    area_field,
    choice_field,
    input_field,
    message,
    outcome_badge,
    radio_list,
)
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.refusal import RefusalMixin, gated
from onestop.ui.components.route_args import route_code
from onestop.ui.components.styles import CENTER_ROW, COLUMN, LINE, TAP_BUTTON, WRAP_ROW, full, quiet, spaced
from onestop.ui.components.table import header_table
from onestop.ui.i18n import bi, tr, tr_choice
from onestop.ui.layout import guarded
from onestop.ui.offload import db_read, db_write
from onestop.ui.routes import OFFICER
from onestop.ui.session import SessionState, gate
from onestop.ui.widgets import deadline_chip, status_badge

ROLES = tuple(r.value for r in Role)


def _may_take_payment() -> rx.Var:
    """The counter-payment button shows for the roles the use case accepts (domain.lifecycle)."""
    roles = [r.value for r in COUNTER_PAYMENT_ROLES]
    cond = SessionState.user_role == roles[0]
    for role in roles[1:]:
        cond = cond | (SessionState.user_role == role)
    return cond


class DossierState(RefusalMixin, rx.State):
    """The dossier as this officer may see it, the preview pane and the action dialog."""

    d: DossierPage = DossierPage()
    #: The dossier code from the route (not named `code`: that is Reflex's route var of /officer/dossiers/[code]).
    dossier_code: str = ""
    found: bool = False
    missing: bool = False
    preview_url: str = ""
    preview_view: str = "pdf"  # read.dossier_detail.browser_view: pdf | image | file
    preview_name: str = ""
    dialog_open: bool = False
    dlg_action: str = ""
    dlg_label_vi: str = ""
    dlg_label_en: str = ""
    dlg_needs: list[str] = []
    dlg_danger: bool = False
    form_version: int = 0
    changed_meanwhile: bool = False
    assignees: list[Choice] = []
    centers: list[Choice] = []
    conflict: bool = False
    done_vi: str = ""
    done_en: str = ""
    done_url: str = ""

    async def _read(self, actor: Actor) -> bool:
        try:
            self.d = await db_read(dossier_detail.dossier_page, actor, self.dossier_code)
        except DomainError:
            self.d, self.found, self.missing = DossierPage(), False, True
            return False
        self.found, self.missing = True, False
        return True

    @rx.event
    async def load(self):  # noqa: ANN201
        actor, redirect = await gate(self, OFFICER)
        self.d, self.found, self.missing = DossierPage(), False, False
        self.dialog_open, self.conflict = False, False
        self.error_vi = self.error_en = self.done_vi = self.done_en = self.done_url = ""
        self.preview_url = self.preview_name = ""
        if actor is None:
            return redirect
        self.dossier_code = route_code(self).upper()
        if not await self._read(actor):
            return None
        if self.d.attachments:
            first = self.d.attachments[0]
            self.preview_url, self.preview_view, self.preview_name = first.url, first.view, first.name.vi
        live.register(self.router.session.client_token, DossierState, [f"dossier:{self.d.id}"])
        return None

    async def _live_refresh(self) -> None:
        """Someone else changed this dossier: show the fresh state; warn an open dialog."""
        session = await self.get_state(SessionState)
        actor = await session.actor()
        fresh = actor is not None and bool(self.dossier_code) and await self._read(actor)
        if fresh and self.dialog_open and self.d.version != self.form_version:
            self.changed_meanwhile = True

    @rx.event
    def preview(self, url: str, view: str, name: str) -> None:
        self.preview_url, self.preview_view, self.preview_name = url, view, name

    @gated(OFFICER)
    async def open_action(self, actor: Actor, action: str):  # noqa: ANN201
        item = next((a for a in self.d.actions if a.action == action), None)
        if item is None or item.blocked.vi:
            return None
        self.dlg_action, self.dlg_label_vi, self.dlg_label_en = item.action, item.label.vi, item.label.en
        self.dlg_needs, self.dlg_danger = list(item.needs), item.danger
        self.form_version = self.d.version  # what the officer saw when deciding
        self.changed_meanwhile = False
        if "assignee" in item.needs:
            self.assignees = await db_read(choices.assignee_choices, actor, self.d.id)
        if "target_center" in item.needs:
            self.centers = await db_read(choices.center_choices, actor, exclude=None)
        self.dialog_open = True
        return None

    @rx.event
    def close_dialog(self, is_open: bool = False) -> None:
        self.dialog_open = is_open

    @gated(OFFICER)
    async def submit_action(self, actor: Actor, form: dict):  # noqa: ANN201
        try:
            done = await db_write(
                workbench.act,
                actor,
                self.d.id,
                self.dlg_action,
                self.form_version,
                {k: str(v) for k, v in form.items()},
            )
        except ConcurrentChange as err:
            self.dialog_open, self.conflict = False, True
            self._refuse(err)
            self.done_vi = self.done_en = self.done_url = ""
            await self._read(actor)
            return None
        except DomainError as err:
            self._refuse(err)
            if err.code in ("transition_not_allowed", "role_not_allowed", "not_assignee"):
                self.dialog_open, self.conflict = False, True
                await self._read(actor)
            return None
        self.dialog_open, self.conflict = False, False
        self.done_vi = t("officer.done", "vi", action=self.dlg_label_vi)
        self.done_en = t("officer.done", "en", action=self.dlg_label_en)
        await self._read(actor)
        self.done_url = done.document_url
        if done.document_url:
            self.preview_url, self.preview_view, self.preview_name = done.document_url, "pdf", self.dlg_label_vi
        return None

    @gated(OFFICER)
    async def take_payment(self, actor: Actor):  # noqa: ANN201
        """Card/QR payment at the counter: lifts the block on returning the result."""
        try:
            await db_write(workbench.counter_payment, actor, self.d.id, self.d.version)
        except DomainError as err:
            self._refuse(err)
            self.conflict = isinstance(err, ConcurrentChange)
        await self._read(actor)
        return None

    @gated(OFFICER)
    async def save_draft(self, actor: Actor, form: dict):  # noqa: ANN201
        """The specialist's corrections to the drafted result (its particulars), saved in one transaction."""
        self.done_vi = self.done_en = self.done_url = ""
        values = {str(k)[6:]: str(v) for k, v in form.items() if str(k).startswith("draft-")}
        dossier_id = self.d.id

        try:
            await db_write(workbench.save_draft, actor, dossier_id, values)
        except DomainError as err:
            self._refuse(err)
            return None
        self.done_vi, self.done_en = t("result.draft_saved", "vi"), t("result.draft_saved", "en")
        await self._read(actor)
        return None

    @gated(OFFICER)
    async def reload(self, actor: Actor):  # noqa: ANN201
        self.conflict = False
        await self._read(actor)
        return None


# --------------------------------------------------------------------------- pieces


def _kv(label_key: str, value: rx.Var | rx.Component) -> rx.Component:
    body = value if isinstance(value, rx.Component) else rx.text(value, weight="medium", size="3")
    return rx.vstack(rx.text(tr(label_key), size="2", color_scheme="gray"), body, spacing="0", align="start")


def _header() -> rx.Component:
    d = DossierState.d
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(d.code, as_="h1", size="7", font_family="ui-monospace, monospace", id="dossier-code"),
                status_badge(d.status, d.status_label.vi, d.status_label.en),
                rx.cond(
                    d.step_label.vi != "",
                    rx.badge(bi(d.step_label), size="3", variant="outline", color_scheme="indigo"),
                ),
                rx.cond(d.colour != "", deadline_chip(d.colour)),
                rx.spacer(),
                rx.link(
                    rx.button(rx.icon("arrow-left", size=18), tr("officer.back_to_inbox"), variant="soft", size="2"),
                    href="/officer",
                ),
                **CENTER_ROW,
                width="100%",
            ),
            rx.text(
                bi(d.procedure),
                " (",
                d.procedure_code,
                " · ",
                tr("officer.version"),
                " ",
                d.procedure_version,
                ")",
                size="4",
                weight="medium",
            ),
            rx.grid(
                _kv(
                    "dossier.due",
                    rx.text(
                        rx.cond(d.due != "", d.due, tr("dossier.no_due")),
                        size="4",
                        weight="bold",
                        color=rx.cond(d.colour == "red", "var(--red-11)", None),
                    ),
                ),
                _kv(
                    "officer.time_left_label",
                    rx.text(
                        rx.cond(d.left.vi != "", bi(d.left), "—"),
                        size="4",
                        weight="bold",
                        id="time-left",
                        color=rx.cond(d.colour == "red", "var(--red-11)", None),
                    ),
                ),
                _kv("officer.received_at", rx.cond(d.received != "", d.received, "—")),
                _kv("officer.channel", tr_choice("channel.", CHANNELS, d.channel)),
                _kv("officer.handling_center", d.handling_center),
                _kv("officer.assignee", rx.cond(d.assignee != "", d.assignee, "—")),
                columns={"initial": "2", "md": "3", "lg": "6"},
                **spaced("4"),
            ),
            **COLUMN,
        ),
        **full("3"),
        border_left=rx.cond(d.colour == "red", "6px solid var(--red-9)", "none"),
    )


def _action_button(a: rx.Var) -> rx.Component:
    return rx.button(
        bi(a.label),
        on_click=DossierState.open_action(a.action),
        color_scheme=rx.cond(a.danger, "red", "blue"),
        variant=rx.cond(a.danger, "soft", "solid"),
        disabled=a.blocked.vi != "",
        **TAP_BUTTON,
        id="action-" + a.action,
        title=bi(a.blocked),
    )


def _actions() -> rx.Component:
    d = DossierState.d
    return rx.card(
        rx.vstack(
            rx.text(tr("officer.actions"), weight="bold", size="4"),
            rx.cond(
                d.actions.length() > 0,
                rx.flex(rx.foreach(d.actions, _action_button), wrap="wrap", gap="10px"),
                rx.text(tr("officer.no_actions"), size="3", color_scheme="gray", id="no-actions"),
            ),
            rx.cond(
                d.fee_unpaid,
                callout(
                    words_and_action(
                        rx.text(tr("officer.fee_unpaid"), " ", bi(d.fee), size="3", weight="medium"),
                        rx.cond(
                            _may_take_payment(),
                            worded_button(
                                "credit-card",
                                "officer.take_payment",
                                size="2",
                                color_scheme="red",
                                on_click=DossierState.take_payment,
                                id="take-payment",
                            ),
                        ),
                    ),
                    "ban",
                    "red",
                    "fee-block",
                ),
            ),
            **COLUMN,
        ),
        width="100%",
        id="actions",
    )


def _feedback() -> rx.Component:
    return rx.fragment(
        rx.cond(
            DossierState.conflict,
            callout(
                words_and_action(
                    rx.text(bi(DossierState.error_vi, DossierState.error_en), weight="bold"),
                    worded_button(
                        "refresh-cw",
                        "officer.reload",
                        icon_size=16,
                        size="2",
                        on_click=DossierState.reload,
                        variant="soft",
                        color_scheme="amber",
                    ),
                ),
                "triangle-alert",
                "amber",
                "conflict-message",
                role="alert",
            ),
            rx.cond(
                (DossierState.error_vi != "") & ~DossierState.dialog_open,
                message(DossierState.error_vi, DossierState.error_en, id_="action-error"),
            ),
        ),
        rx.cond(
            DossierState.done_vi != "",
            callout(
                words_and_action(
                    rx.text(bi(DossierState.done_vi, DossierState.done_en), weight="medium"),
                    rx.cond(
                        DossierState.done_url != "",
                        rx.link(
                            rx.icon("printer", size=16),
                            " ",
                            tr("officer.print_document"),
                            href=DossierState.done_url,
                            is_external=True,
                            id="done-document",
                        ),
                    ),
                ),
                "circle-check",
                "green",
                "action-done",
                role="status",
            ),
        ),
    )


def _applicant() -> rx.Component:
    d = DossierState.d
    return titled_card(
        "officer.applicant",
        rx.grid(
            _kv("officer.full_name", rx.text(d.applicant, weight="bold", size="4", id="applicant-name")),
            _kv("officer.id_number", rx.cond(d.applicant_id != "", d.applicant_id, "—")),
            _kv("officer.phone", rx.cond(d.applicant_phone != "", d.applicant_phone, "—")),
            _kv("officer.address", rx.cond(d.applicant_address != "", d.applicant_address, "—")),
            columns={"initial": "1", "sm": "2"},
            **COLUMN,
        ),
        rx.cond(
            d.on_behalf,
            callout(
                rx.vstack(
                    rx.text(
                        tr("officer.on_behalf"),
                        " ",
                        rx.text(d.acting_name, as_="span", weight="bold"),
                        " (",
                        tr_choice("role.", ROLES, d.acting_role),
                        ")",
                    ),
                    rx.cond(d.consent.vi != "", rx.text(bi(d.consent), size="2")),
                    spacing="1",
                ),
                "users",
                "violet",
                "on-behalf",
                size="1",
            ),
        ),
        rx.cond(
            d.not_registry_verified,
            callout(tr("officer.not_registry_verified"), "shield-alert", "amber", "not-registry-verified", size="1"),
        ),
        rx.hstack(
            _kv("officer.submitted_at", d.submitted),
            _kv("officer.fee", bi(d.fee)),
            _kv("officer.receiving_center", d.receiving_center),
            rx.cond(d.delivery.vi != "", _kv("delivery.chosen", bi(d.delivery))),
            spacing="6",
            wrap="wrap",
        ),
    )


def _supplement() -> rx.Component:
    d = DossierState.d
    return rx.cond(
        d.supplement_items.length() > 0,
        callout(
            rx.vstack(
                rx.text(tr("officer.supplement_requested"), " ", d.supplement_deadline, weight="bold"),
                rx.el.ul(rx.foreach(d.supplement_items, lambda i: rx.el.li(i)), padding_left="20px"),
                rx.cond(
                    d.supplement_provided, rx.badge(tr("officer.supplement_provided"), color_scheme="green", size="2")
                ),
                spacing="1",
            ),
            "file-warning",
            "orange",
            "supplement-box",
        ),
    )


def _form_data() -> rx.Component:
    d = DossierState.d
    return titled_card(
        "officer.form_data",
        rx.table.root(
            rx.table.body(
                rx.foreach(
                    d.form,
                    lambda f: rx.table.row(
                        rx.table.row_header_cell(bi(f.label), width="45%", color="var(--gray-11)"),
                        rx.table.cell(rx.text(f.value, weight="medium")),
                    ),
                )
            ),
            **full("2"),
            id="form-data",
        ),
    )


#: The preview of an attachment (a PDF or a photo), framed like a sheet on the desk.
_FRAMED = {"border": "1px solid var(--gray-6)", "border_radius": "8px"}


def _documents() -> rx.Component:
    d = DossierState.d

    def attachment(a: rx.Var) -> rx.Component:
        return rx.button(
            rx.match(
                a.view,
                ("pdf", rx.icon("file-text", size=18)),
                ("image", rx.icon("image", size=18)),
                rx.icon("file", size=18),
            ),
            rx.vstack(
                rx.text(bi(a.name), size="2", weight="medium", text_align="left"),
                rx.text(a.filename, " · ", a.size, rx.cond(a.reused, " · ♻", ""), size="1", color_scheme="gray"),
                spacing="0",
                align="start",
            ),
            on_click=DossierState.preview(a.url, a.view, a.name.vi),
            variant=rx.cond(DossierState.preview_url == a.url, "soft", "outline"),
            **quiet("2"),
            height="auto",
            padding="8px 10px",
            justify_content="start",
            width="100%",
            class_name="attachment-button",
        )

    def issued(doc: rx.Var) -> rx.Component:
        return rx.hstack(
            rx.button(
                rx.icon("file-badge", size=18),
                bi(doc.label),
                on_click=DossierState.preview(doc.url, "pdf", doc.label.vi),
                variant=rx.cond(DossierState.preview_url == doc.url, "soft", "outline"),
                size="2",
                id="doc-" + doc.kind,
                flex="1",
                justify_content="start",
            ),
            rx.link(
                rx.icon_button(
                    rx.icon("external-link", size=16), variant="ghost", size="2", aria_label=tr("officer.open_new_tab")
                ),
                href=doc.url,
                is_external=True,
            ),
            **LINE,
        )

    return titled_card(
        "officer.documents",
        rx.cond(
            d.attachments.length() > 0,
            rx.vstack(rx.foreach(d.attachments, attachment), spacing="2", width="100%", id="attachments"),
            rx.text(tr("officer.no_attachments"), size="2", color_scheme="gray"),
        ),
        rx.cond(
            d.documents.length() > 0,
            rx.vstack(
                rx.text(tr("officer.issued_documents"), weight="bold", size="3"),
                rx.foreach(d.documents, issued),
                **spaced("2"),
                id="issued-documents",
            ),
        ),
        rx.cond(
            DossierState.preview_url != "",
            rx.vstack(
                rx.hstack(
                    rx.text(tr("officer.preview"), ": ", DossierState.preview_name, size="2", weight="bold"),
                    rx.spacer(),
                    rx.link(tr("officer.open_new_tab"), href=DossierState.preview_url, is_external=True, size="2"),
                    width="100%",
                ),
                rx.match(
                    DossierState.preview_view,
                    (
                        "pdf",
                        # Chrome's viewer: fit the page width, no thumbnail pane (the preview column is narrow).
                        rx.el.iframe(
                            src=DossierState.preview_url + "#navpanes=0&view=FitH",
                            title=DossierState.preview_name,
                            width="100%",
                            height="640px",
                            **_FRAMED,
                            id="preview-frame",
                        ),
                    ),
                    (
                        "image",
                        rx.image(
                            src=DossierState.preview_url,
                            alt=DossierState.preview_name,
                            width="100%",
                            **_FRAMED,
                            id="preview-image",
                        ),
                    ),
                    callout(tr("officer.preview_unavailable"), "file-question", "gray", "preview-unavailable"),
                ),
                **spaced("2"),
            ),
        ),
    )


def _timeline() -> rx.Component:
    d = DossierState.d

    def row(e: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(e.at, size="2", white_space="nowrap")),
            rx.table.cell(
                rx.vstack(
                    rx.text(bi(e.label), weight="bold", size="2"),
                    rx.text(bi(e.status), size="1", color_scheme="gray"),
                    spacing="0",
                )
            ),
            rx.table.cell(
                rx.vstack(
                    rx.text(e.actor, size="2"),
                    rx.text(tr_choice("role.", ROLES, e.role), size="1", color_scheme="gray"),
                    spacing="0",
                )
            ),
            rx.table.cell(rx.text(rx.cond(e.to_unit != "", e.from_unit + " → " + e.to_unit, ""), size="2")),
            rx.table.cell(
                rx.vstack(rx.text(e.step_due, size="2", white_space="nowrap"), outcome_badge(e.outcome), spacing="1")
            ),
            rx.table.cell(rx.text(e.note, size="2")),
        )

    headers = ("officer.when", "officer.what", "officer.who", "officer.handover", "officer.step_due", "officer.note")
    return titled_card(
        rx.hstack(
            rx.heading(tr("officer.timeline"), as_="h2", size="5"),
            rx.spacer(),
            rx.cond(
                d.id > 0,
                rx.link(
                    rx.button(rx.icon("printer", size=16), tr("doc.control_sheet"), variant="soft", size="2"),
                    href="/api/v1/officer/dossiers/" + d.id.to_string() + "/documents/control_sheet",
                    is_external=True,
                    id="control-sheet-link",
                ),
            ),
            **LINE,
        ),
        header_table(headers, d.events, row, size="1", id="timeline"),
    )


# --------------------------------------------------------------------------- the action dialog


def _needs(name: str) -> rx.Var:
    return DossierState.dlg_needs.contains(name)


def _need(name: str, field: rx.Component) -> rx.Component:
    """`field` shown only when the chosen action asks for input `name` (lifecycle's action table)."""
    return rx.cond(_needs(name), field)


def _dialog() -> rx.Component:
    d = DossierState.d
    fields = rx.vstack(
        _need("reason", area_field("need.reason", "reason", "in-reason", rows=3, required=True)),
        _need("opinion", area_field("need.opinion", "opinion", "in-opinion", rows=4, required=True)),
        _need(
            "missing_items",
            area_field(
                "need.missing_items",
                "missing_items",
                "in-missing",
                rows=4,
                required=True,
                hint_key="need.missing_items_hint",
            ),
        ),
        _need(
            "supplement_deadline",
            input_field(
                "need.supplement_deadline",
                "supplement_deadline",
                "in-supplement-deadline",
                type_="date",
                value=d.suggest_supplement_deadline,
                required=True,
                hint_key="need.day_end_hint",
            ),
        ),
        _need(
            "assignee",
            choice_field(
                "need.assignee",
                DossierState.assignees,
                "assignee",
                "in-assignee",
                "inbox.choose_assignee",
                required=True,
            ),
        ),
        _need(
            "target_center",
            choice_field(
                "need.target_center",
                DossierState.centers,
                "target_center",
                "in-target-center",
                "inbox.choose_center",
                required=True,
            ),
        ),
        _need(
            "new_due_at",
            input_field(
                "need.new_due_at",
                "new_due_at",
                "in-new-due",
                type_="date",
                value=d.suggest_new_due,
                required=True,
                hint_key="need.day_end_hint",
            ),
        ),
        _need(
            "amount",
            input_field("need.amount", "amount", "in-amount", type_="number", min="0", step="1000", required=True),
        ),
        rx.cond(
            _needs("return_method"),
            rx.vstack(
                rx.text(tr("need.return_method"), " *", weight="bold", size="3"),
                radio_list(
                    "return_method",
                    RETURN_METHODS,
                    "return.",
                    "in-return-",
                    spacing="2",
                    line={"gap": "8px", "font_size": "16px"},
                    default_value=d.return_default,
                ),
                **spaced("2"),
            ),
        ),
        _need(
            "recipient_id",
            input_field(
                "need.recipient_id", "recipient_id", "in-recipient-id", max_length=12, hint_key="need.recipient_id_hint"
            ),
        ),
        _need("note", area_field("need.note", "note", "in-note", rows=3)),
        **spaced("4"),
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(bi(DossierState.dlg_label_vi, DossierState.dlg_label_en), " — ", d.code),
            rx.dialog.description(tr("officer.dialog_hint"), size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    rx.cond(
                        DossierState.changed_meanwhile,
                        callout(
                            tr("officer.changed_meanwhile"),
                            "triangle-alert",
                            "amber",
                            "changed-meanwhile",
                            role="alert",
                        ),
                    ),
                    fields,
                    rx.cond(
                        DossierState.error_vi != "",
                        message(DossierState.error_vi, DossierState.error_en, id_="dialog-error"),
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button(tr("common.cancel"), type="button", variant="soft", color_scheme="gray", size="3")
                        ),
                        rx.button(
                            tr("officer.confirm"),
                            type="submit",
                            size="3",
                            color_scheme=rx.cond(DossierState.dlg_danger, "red", "blue"),
                            id="dialog-confirm",
                        ),
                        justify="end",
                        **COLUMN,
                    ),
                    **spaced("4"),
                ),
                on_submit=DossierState.submit_action,
                key=DossierState.dlg_action + DossierState.form_version.to_string(),
            ),
            max_width="620px",
        ),
        open=DossierState.dialog_open,
        on_open_change=DossierState.close_dialog,
    )


# --------------------------------------------------------------------------- page


def _not_found() -> rx.Component:
    return callout(tr("officer.not_found"), "search-x", "gray", "dossier-not-found", size="3")


def _draft() -> rx.Component:
    """The result's particulars while processing: the specialist corrects them, the leader previews the PDF."""
    d = DossierState.d

    def row(r: rx.Var) -> rx.Component:
        return rx.cond(
            d.draft_editable,
            rx.vstack(
                rx.el.label(r.label, html_for="draft-" + r.key, font_weight="600", font_size="15px"),
                rx.input(
                    name="draft-" + r.key,
                    id="draft-" + r.key,
                    default_value=r.value,
                    key=r.key + r.value,
                    **full("3"),
                    max_length=500,
                ),
                **spaced("1"),
            ),
            _kv_line(r.label, r.value),
        )

    return rx.cond(
        d.draft.length() > 0,
        titled_card(
            "result.draft_title",
            rx.text(tr("result.draft_hint"), size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    rx.foreach(d.draft, row),
                    rx.hstack(
                        rx.cond(
                            d.draft_editable,
                            worded_button(
                                "save",
                                "result.draft_save",
                                type="submit",
                                size="3",
                                id="draft-save",
                            ),
                        ),
                        worded_button(
                            "eye",
                            "result.preview",
                            type="button",
                            size="3",
                            variant="soft",
                            id="draft-preview",
                            on_click=DossierState.preview(d.preview_url, "pdf", "Dự thảo kết quả"),
                        ),
                        **WRAP_ROW,
                    ),
                    **COLUMN,
                ),
                on_submit=DossierState.save_draft,
                width="100%",
            ),
            id="result-draft",
        ),
    )


def _kv_line(label: rx.Var, value: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(label, ":", size="2", color_scheme="gray"),
        rx.text(value, size="3", weight="medium"),
        spacing="2",
        wrap="wrap",
        width="100%",
    )


def officer_dossier_page() -> rx.Component:
    return guarded(
        OFFICER,
        rx.cond(
            DossierState.found,
            rx.vstack(
                _header(),
                _feedback(),
                _actions(),
                _supplement(),
                rx.grid(
                    rx.vstack(_applicant(), _form_data(), _draft(), spacing="4", width="100%"),
                    rx.vstack(_documents(), spacing="4", width="100%"),
                    columns={"initial": "1", "lg": "2"},
                    **spaced("4"),
                ),
                _timeline(),
                _dialog(),
                **spaced("4"),
            ),
            rx.cond(
                DossierState.missing,
                rx.vstack(
                    _not_found(),
                    rx.link(tr("officer.back_to_inbox"), href="/officer", size="4"),
                    **COLUMN,
                ),
            ),
        ),
        wide=True,
    )
