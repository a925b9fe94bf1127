"""Icons whose name is data (a procedure field's icon), drawn without shipping every icon.

Why: `rx.icon(var)` compiles to lucide's DynamicIcon, which puts a loader for
all ~1,600 icons on every page (55 KiB gzip on the first load, issue 11). A
field's icon comes from a short, known list; matching the name in the browser
against that list keeps only those icons in the bundle. An unknown name shows
the generic document icon.
"""

from __future__ import annotations

import reflex as rx

#: Icons a procedure field may use (models.Field.icon); extend the list to allow a new one.
FIELD_ICONS: tuple[str, ...] = (
    "file-text",
    "baby",
    "stamp",
    "scale",
    "house",
    "store",
    "building",
    "building-2",
    "map",
    "car",
    "landmark",
    "briefcase",
    "graduation-cap",
    "heart-pulse",
    "users",
    "tree-pine",
    "tractor",
    "factory",
    "ship",
    "plane",
    "bus",
    "hammer",
    "wallet",
    "banknote",
    "receipt",
    "scroll-text",
    "id-card",
    "badge-check",
    "shield",
    "gavel",
    "leaf",
    "droplets",
    "zap",
    "wifi",
    "book-open",
    "church",
    "hand-heart",
    "hospital",
    "school",
    "trees",
    "fish",
    "wheat",
    "truck",
    "flame",
    "map-pin",
    "globe",
    "folder",
)
DEFAULT_ICON = "file-text"


def field_icon(name: rx.Var, **props) -> rx.Component:  # noqa: ANN003
    """The icon named by `name` if it is one of FIELD_ICONS, else the generic document icon."""
    return rx.match(
        name, *((n, rx.icon(n, **props)) for n in FIELD_ICONS if n != DEFAULT_ICON), rx.icon(DEFAULT_ICON, **props)
    )
