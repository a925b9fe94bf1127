"""The document uploader: take a photo or pick a file, sent at once with a progress bar; the uploaded-file row.

Why shared: the apply flow and the supplement page take citizen documents the
same way (checked in the browser for size and type first, then by content on
the server), and must name the file exactly as the browser sent it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx
from python_multipart.multipart import parse_options_header
from reflex_base.vars.base import Var
from reflex_base.vars.object import ObjectVar
from reflex_base.vars.sequence import ArrayVar

from onestop.i18n import t
from onestop.read.bilingual import BiText
from onestop.ui.citizen.widgets import BIG, link_button
from onestop.ui.components.icon_action import worded_button
from onestop.ui.components.styles import COLUMN, LINE, TAP_BUTTON, full, spaced
from onestop.ui.i18n import tr

#: File-name endings the browser's file picker offers for each type a document accepts.
FILE_EXTENSIONS: dict[str, list[str]] = {
    "application/pdf": [".pdf"],
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/webp": [".webp"],
    "image/heic": [".heic", ".heif"],
    "image/gif": [".gif"],
}


def accept_for(types: Sequence[str]) -> dict[str, list[str]]:
    """The uploader's `accept` for these MIME types (the server checks the bytes again, see domain.forms)."""
    return {m: FILE_EXTENSIONS.get(m, []) for m in types}


def refusal_key(codes: list[str]) -> str:
    """The catalog key for react-dropzone's refusal codes ("file-too-large", "file-invalid-type", …)."""
    found = {c for joined in codes or [] for c in str(joined).split(",")}
    if "file-too-large" in found:
        return "upload.too_big"
    return "upload.wrong_type" if "file-invalid-type" in found else "upload.one_file"


class UploadMixin(rx.State, mixin=True):
    """The progress bar and the refusal message of a page that takes documents with `uploader`."""

    busy: bool = False
    percent: int = 0
    upload_problem: BiText = BiText()

    @rx.event
    def upload_progress(self, progress: dict) -> None:
        value = float(progress.get("progress") or 0)
        self.percent = max(0, min(100, round(value * 100)))
        self.busy = value < 1

    def _refuse_upload(self, key: str, doc: BiText, max_mb: int, types: str) -> None:
        """Say why the file was not taken (key from refusal_key or the service), in both languages."""
        self.upload_problem = BiText.by(lambda lang: t(key, lang, doc=doc.message(lang), n=max_mb, types=types))
        self.busy = False


def client_filename(upload: Any) -> str:
    """The name the browser sent, as sent: Reflex shortens "../x.pdf" to "x.pdf", but a name with a
    path in it must be refused with a clear message, not silently renamed (services.uploads judges it).

    Header values arrive latin-1-decoded (HTTP), so the UTF-8 bytes of a Vietnamese name are recovered
    by `parse_options_header` and decoded here."""
    try:
        disposition = upload.headers.get("content-disposition", "") if upload.headers else ""
        _, params = parse_options_header(disposition)
        raw = params.get(b"filename")
        if raw:
            name = raw.decode("utf-8", "replace")
            # react-dropzone sends picked files as "./name": that prefix is its own, not the person's.
            return name[2:] if name.startswith("./") else name
    except (ValueError, UnicodeError, AttributeError):
        pass
    return str(getattr(upload, "path", None) or getattr(upload, "name", None) or "")


def _file_input(upload: rx.Component) -> rx.Component | None:
    """The hidden <input type=file> react-dropzone puts inside the upload zone."""
    stack = [upload]
    while stack:
        node = stack.pop()
        if getattr(node, "tag", None) == "input":
            return node
        stack.extend(getattr(node, "children", []) or [])
    return None


def _rejection_codes(rejected: Var) -> Var:
    """react-dropzone's rejections carry the File objects themselves; sent as they are, socket.io would
    push a 30 MB file through the websocket. Only the error codes ("file-too-large", …) go to the server."""
    return rejected.to(ArrayVar, list[dict]).map(
        lambda r: (
            r.to(ObjectVar, dict)["errors"]
            .to(ArrayVar, list[dict])
            .map(lambda e: e.to(ObjectVar, dict)["code"].to(str))
            .join(",")
        )
    )


def _upload_zone(
    upload_id: str,
    on_drop: rx.EventSpec,
    on_rejected: rx.EventHandler,
    label: rx.Var,
    icon: str,
    accept: rx.Var,
    max_size: rx.Var,
    disabled: rx.Var,
    camera: bool,
    variant: str,
) -> rx.Component:
    zone = rx.upload.root(
        rx.button(
            rx.icon(icon, size=24),
            label,
            type="button",
            size="4",
            min_height=BIG,
            width="100%",
            variant=variant,
            font_size="19px",
            disabled=disabled,
            id=f"{upload_id}-button",
        ),
        id=upload_id,
        on_drop=on_drop,
        on_drop_rejected=lambda rejected: on_rejected(_rejection_codes(rejected)),
        accept=accept,
        max_size=max_size,
        max_files=1,
        multiple=False,
        no_keyboard=True,
        disabled=disabled,
        class_name="os-upload",
        width="100%",
    )
    field = _file_input(zone)
    if field is not None:
        # The visible button is the control; the input behind it is for the browser only.
        field.custom_attrs = {**(field.custom_attrs or {}), "aria-hidden": "true", "aria-label": label}
        if camera:
            field.capture = Var.create("environment")  # open the back camera straight away on phones
    return zone


def uploader(
    prefix: str,
    handler: rx.EventHandler,
    progress_handler: rx.EventHandler,
    rejected_handler: rx.EventHandler,
    *,
    accept: rx.Var,
    max_size: rx.Var,
    busy: rx.Var,
    percent: rx.Var,
    camera: rx.Var,
) -> rx.Component:
    """Take a photo or pick a file; the file goes up at once, with a progress bar.

    Size and type are checked in the browser first (a 30 MB file is never sent
    over a weak network) and again, by content, on the server.
    """

    def zone(kind: str, label_key: str, icon: str, variant: str) -> rx.Component:
        uid = f"{prefix}-{kind}"
        spec = handler(rx.upload_files(upload_id=uid, on_upload_progress=progress_handler))
        return _upload_zone(
            uid,
            spec,
            rejected_handler,
            tr(label_key),
            icon,
            accept,
            max_size,
            busy,
            camera=kind == "camera",
            variant=variant,
        )

    return rx.vstack(
        rx.cond(camera, zone("camera", "upload.camera", "camera", "solid")),
        zone("files", "upload.files", "folder-open", rx.cond(camera, "outline", "solid")),
        rx.cond(
            busy,
            rx.vstack(
                rx.text(tr("upload.sending"), " ", percent, "%", size="3", role="status"),
                rx.progress(value=percent, max=100, size="3", width="100%", aria_label=tr("upload.progress")),
                **spaced("1"),
            ),
        ),
        **COLUMN,
    )


def file_heading(icon: str, icon_size: int, name: rx.Var, *detail: rx.Var | rx.Component | str) -> rx.Component:
    """A file's first line on its card: a green icon, its name (a long one breaks anywhere), what it is below."""
    return rx.hstack(
        rx.icon(icon, size=icon_size, color="var(--green-11)", flex_shrink="0"),
        rx.vstack(
            rx.text(name, size="4", weight="bold", word_break="break-all"),
            rx.text(*detail, size="3", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        spacing="3",
        **LINE,
    )


def file_row(
    name: rx.Var, size: rx.Var, href: rx.Var, on_remove: rx.EventSpec | None = None, reused: rx.Var | bool = False
) -> rx.Component:
    """An uploaded file: name, size, open it, remove it."""
    return rx.card(
        file_heading(
            "file-check", 28, name, size, rx.cond(reused, rx.text(" · ", tr("upload.from_wallet"), as_="span"))
        ),
        rx.flex(
            link_button(tr("upload.view"), "eye", href, external=True, new_tab=True),
            *(
                [
                    worded_button(
                        "trash-2",
                        "upload.remove",
                        icon_size=20,
                        variant="soft",
                        color_scheme="red",
                        **TAP_BUTTON,
                        on_click=on_remove,
                        type="button",
                    )
                ]
                if on_remove
                else []
            ),
            gap="8px",
            wrap="wrap",
            margin_top="10px",
        ),
        **full("2"),
        variant="surface",
    )
