"""A row of tabs that wraps on a narrow screen and is named for screen readers.

Why shared: the administrator's section links and the officer's inbox tabs are the same strip — buttons or
links 8 px apart, wrapping onto a second line on a phone, announced as one named group (a navigation of
pages, a toolbar of filters). It was written out on each page.
"""

from __future__ import annotations

import reflex as rx

from onestop.ui.i18n import tr


def tab_strip(*tabs: rx.Component, role: str, label_key: str, **props: str) -> rx.Component:
    """`tabs` side by side, wrapping; `role` says what the group is ("navigation", "toolbar") and `label_key`
    its name."""
    return rx.flex(*tabs, wrap="wrap", gap="8px", width="100%", role=role, aria_label=tr(label_key), **props)
