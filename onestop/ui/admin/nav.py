"""The administrator's section tabs, shared by /admin and its sub-pages."""

from __future__ import annotations

import reflex as rx

from onestop.ui.components.tab_strip import tab_strip
from onestop.ui.i18n import tr
from onestop.ui.layout import guarded
from onestop.ui.routes import ADMIN
from onestop.ui.session import SessionState
from onestop.ui.widgets import page_heading

#: (name, icon) of each admin section, in tab order. A section is named once: its tab reads `admin.nav.<name>`,
#: its page lives at `section_path(name)` and its subtitle is `admin.<name>_subtitle` (admin_tab).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "layout-dashboard"),
    ("procedures", "list-checks"),
    ("catalog_import", "file-spreadsheet"),
    ("centers", "building-2"),
    ("users", "users"),
    ("calendar", "calendar-days"),
)


def section_path(name: str) -> str:
    """/admin for the overview, /admin/<name> (dashed) for the others."""
    return ADMIN.path if name == "overview" else f"{ADMIN.path}/{name.replace('_', '-')}"


def admin_nav() -> rx.Component:
    """Links, not buttons: each section has its own URL (bookmarks, back button, new tab)."""
    path = SessionState.router.url.path

    def link(name: str, icon: str) -> rx.Component:
        target = section_path(name)
        here = (path == target) | (path == target + "/")
        return rx.link(
            rx.hstack(
                rx.icon(icon, size=18), rx.text(tr(f"admin.nav.{name}"), as_="span"), spacing="2", align="center"
            ),
            href=target,
            padding="10px 14px",
            border_radius="8px",
            weight=rx.cond(here, "bold", "medium"),
            background=rx.cond(here, "var(--accent-4)", "var(--gray-3)"),
            color="var(--gray-12)",
            underline="none",
            aria_current=rx.cond(here, "page", "false"),
        )

    return tab_strip(
        *(link(*s) for s in SECTIONS), role="navigation", label_key="admin.nav.label", margin_bottom="20px"
    )


def admin_section(title: rx.Var | str, subtitle: rx.Var | str, *children: rx.Component, **props: bool) -> rx.Component:
    """An administrator's page: let in administrators only; its title, one line on what it is for, the section
    tabs, then what is its own."""
    return guarded(ADMIN, page_heading(title, subtitle), admin_nav(), *children, **props)


def admin_tab(name: str, *children: rx.Component, **props: bool) -> rx.Component:
    """The page of the section tab `name` (centers, users, …): its tab's label as the title and its catalog line
    `admin.<name>_subtitle` under it, so a page names its section once."""
    return admin_section(tr(f"admin.nav.{name}"), tr(f"admin.{name}_subtitle"), *children, **props)
