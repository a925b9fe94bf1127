"""`/dossiers/[code]/supplement`: exactly what the officer asked for, until when, and where to upload it.

The request (items, deadline, note) comes from the dossier's one supplement
request; files go through the same checked, private upload as the apply flow
(document kind "supplement"); sending them is the lifecycle's
`provide_supplement` action, so the officer sees it in the inbox and the
timeline at once.
"""

from __future__ import annotations

import reflex as rx

from onestop.db import transaction
from onestop.domain.errors import DomainError
from onestop.domain.forms import SNIFFABLE_TYPES
from onestop.read.bilingual import BiText
from onestop.read.filing_forms import PendingFile
from onestop.services import filing
from onestop.services.actor import Actor
from onestop.services.uploads import GENERIC_SPEC
from onestop.ui.citizen.common import actor_of
from onestop.ui.citizen.widgets import (
    asked_items,
    card_titled,
    dossier_task_top,
    error_notice,
    focused_error,
    main_button,
    notice,
    own_words,
    page_column,
    supplement_until,
)
from onestop.ui.components.owner_dossier import OwnerDossierMixin, owner_dossier_frame
from onestop.ui.components.styles import spaced
from onestop.ui.components.upload import UploadMixin, accept_for, client_filename, file_row, refusal_key, uploader
from onestop.ui.i18n import tr
from onestop.ui.offload import off_loop

MAX_FILES = 10
# What the server takes for a supplementary document (services.uploads.GENERIC_SPEC), said once.
ACCEPT = accept_for(GENERIC_SPEC.accepted_types)
MAX_MB = GENERIC_SPEC.max_size_mb
TYPES = ", ".join(SNIFFABLE_TYPES[m] for m in GENERIC_SPEC.accepted_types)


def _store(actor: Actor, code: str, name: str, data: bytes) -> PendingFile:
    with transaction() as db:
        return filing.upload_document(db, actor, code, "supplement", name, data)


def _discard(actor: Actor, attachment_id: int) -> None:
    with transaction() as db:
        filing.discard_pending(db, actor, attachment_id)


def _provide(actor: Actor, code: str, ids: list[int], note: str) -> None:
    with transaction() as db:
        filing.provide_supplement(db, actor, code, ids, note)


class SupplementState(OwnerDossierMixin, UploadMixin, rx.State):
    files: list[PendingFile] = []
    note: str = ""
    sending: bool = False
    sent: bool = False

    @rx.event
    async def load(self):  # noqa: ANN201
        self.sending = self.sent = self.busy = False
        self.upload_problem = BiText()
        self.files, self.note = [], ""
        _, redirect = await self._load_owner()
        return redirect

    @rx.var
    def max_bytes(self) -> int:
        return MAX_MB * 1024 * 1024

    @rx.event
    def set_note(self, value: str) -> None:
        self.note = str(value)[:2100]

    @rx.event
    def upload_rejected(self, codes: list[str]) -> None:
        self._refuse_upload(refusal_key(codes), BiText.of("supplement.doc"), MAX_MB, TYPES)

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):  # noqa: ANN201
        if not files:  # an empty "drop" follows a refusal in the browser; keep its message
            self.busy = False
            return
        self.upload_problem = BiText()
        actor = await actor_of(self)
        if actor is None or not self.found:
            self.busy = False
            return
        if len(self.files) >= MAX_FILES:
            self.upload_problem = BiText.of("supplement.too_many")
            self.busy = False
            return
        upload = files[0]
        if upload.size is not None and upload.size > MAX_MB * 1024 * 1024:
            self._refuse_upload("upload.too_big", BiText.of("supplement.doc"), MAX_MB, "")
            return
        data, name, code = await upload.read(), client_filename(upload), self.view.procedure_code
        try:
            pending = await off_loop(_store, actor, code, name, data)
        except DomainError as err:
            self.upload_problem = BiText(err.vi, err.en)
            self.busy = False
            return
        self.files = [*self.files, pending]
        self.busy, self.percent = False, 100

    @rx.event
    async def remove_file(self, attachment_id: int):  # noqa: ANN201
        actor = await actor_of(self)
        if actor is None:
            return
        await off_loop(_discard, actor, int(attachment_id))
        self.files = [f for f in self.files if f.id != int(attachment_id)]

    @rx.event
    async def send(self):  # noqa: ANN201
        if self.sending:
            return
        actor = await actor_of(self)
        if actor is None:
            return
        self.problem = BiText()
        self.sending = True
        yield
        ids, note, code = [f.id for f in self.files], self.note, self.view.code
        try:
            await off_loop(_provide, actor, code, ids, note)
        except DomainError as err:
            self.problem = BiText(err.vi, err.en)
            self.sending = False
            yield rx.call_script("document.getElementById('supplement-problem')?.focus()")
            return
        self.sending, self.sent = False, True
        yield rx.redirect(f"/dossiers/{code}")


def _pending(f: rx.Var) -> rx.Component:
    return file_row(f.filename, f.size, "/api/v1/attachments/" + f.id.to(str), SupplementState.remove_file(f.id))


def _body() -> rx.Component:
    v = SupplementState.view
    return page_column(
        *dossier_task_top("supplement.title", v.code),
        rx.cond(
            v.supplement_open & ~v.supplement_sent,
            rx.vstack(
                card_titled(
                    "supplement.asked",
                    asked_items(v.supplement_items, {"padding_y": "4px"}, id="supplement-items"),
                    rx.cond(
                        v.supplement_note != "",
                        rx.text(tr("supplement.officer_note"), ": ", v.supplement_note, size="3", lang="vi"),
                    ),
                    supplement_until(v.supplement_deadline),
                    border="2px solid var(--orange-8)",
                ),
                rx.heading(tr("supplement.upload_title"), as_="h2", size="5"),
                rx.foreach(SupplementState.files, _pending),
                error_notice(SupplementState.upload_problem, "upload-error"),
                uploader(
                    "supp",
                    SupplementState.upload,
                    SupplementState.upload_progress,
                    SupplementState.upload_rejected,
                    accept=ACCEPT,
                    max_size=SupplementState.max_bytes,
                    busy=SupplementState.busy,
                    percent=SupplementState.percent,
                    camera=True,
                ),
                *own_words("supplement.note", "supplement-note", SupplementState.note, SupplementState.set_note),
                focused_error(SupplementState.problem, "supplement-problem", "supplement-error"),
                main_button(
                    tr("supplement.send"),
                    "send",
                    on_click=SupplementState.send,
                    loading=SupplementState.sending,
                    disabled=SupplementState.busy,
                    id="send-supplement",
                    type="button",
                ),
                **spaced("4"),
            ),
            notice(tr("supplement.nothing"), "circle-check", "green"),
        ),
    )


def supplement_page() -> rx.Component:
    return owner_dossier_frame(SupplementState, _body)
