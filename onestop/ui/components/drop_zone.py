"""The dashed box an officer drops one file on (a scan at the counter, a catalog spreadsheet in administration).

Why one component: both desk pages spelled out the same upload box — one file at a time, a size cap, a
dashed border, an icon above a line of words — and their copies had already drifted apart (28 vs 32 px icon,
20 vs 24 px padding). The citizens' upload buttons (components.upload) are a different widget: large buttons
with progress for phones.
"""

from __future__ import annotations

import reflex as rx

from onestop.ui.i18n import tr


def drop_zone(
    upload_id: str,
    on_drop: rx.EventHandler,
    icon: str,
    words_key: str,
    *more: rx.Component,
    max_size: int,
    **props: object,
) -> rx.Component:
    """A box that takes one file (at most `max_size` bytes) and sends it to `on_drop`; `more` shows under the
    words (the chosen file's name); `props` add to the upload (its `accept`)."""
    return rx.upload(
        rx.vstack(rx.icon(icon, size=28), rx.text(tr(words_key), size="3"), *more, align="center", spacing="1"),
        id=upload_id,
        on_drop=on_drop(rx.upload_files(upload_id=upload_id)),
        multiple=False,
        max_files=1,
        max_size=max_size,
        border="2px dashed var(--gray-7)",
        border_radius="12px",
        padding="20px",
        width="100%",
        cursor="pointer",
        **props,
    )
